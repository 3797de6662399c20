import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensResearch
@testable import PeerLensStore

/// The error `body` throws, as an `UnknownValueError` (nil, recorded as an issue, otherwise).
func unknownValue(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> UnknownValueError? {
    do {
        try body()
        Issue.record("expected an UnknownValueError", sourceLocation: sourceLocation)
    } catch let error as UnknownValueError {
        return error
    } catch {
        Issue.record("expected UnknownValueError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

@Suite("Unknown instruments are refused with the instruments that exist")
struct UnknownInstrumentTests {
    let store = simulatedCommunity.store

    @Test("outcomes --instrument PHQ9: did you mean PHQ-9?")
    func outcomes() throws {
        var options = OutcomesOptions()
        options.instruments = ["PHQ-9", "PHQ9"]
        let error = try #require(unknownValue { _ = try OutcomesReport.analyse(store: store, options: options) })
        #expect(error.option == "--instrument")
        #expect(error.value == "PHQ9")
        #expect(error.suggestion == "PHQ-9")
        #expect(error.known == ["GAD-7", "PHQ-9"])
        #expect(error.description == "unknown --instrument 'PHQ9': did you mean PHQ-9? Instruments with check-ins in the store: GAD-7, PHQ-9")
        options.instruments = ["GAD-7"]
        #expect(try OutcomesReport.analyse(store: store, options: options).instruments.map(\.instrument) == ["GAD-7"])
    }

    @Test("groups, skills and matches --instrument: refused with a suggestion; the default PHQ-9 is not checked")
    func singleInstrument() throws {
        var groups = GroupsOptions()
        groups.instrument = "gad7"
        #expect(unknownValue { _ = try GroupsReport.analyse(store: store, options: groups) }?.suggestion == "GAD-7")
        var skills = SkillsOptions()
        skills.instrument = "phq-9"
        #expect(unknownValue { _ = try SkillsReport.analyse(store: store, options: skills) }?.suggestion == "PHQ-9")
        var matches = MatchesOptions()
        matches.instrument = "WEMWBS"
        let error = unknownValue { _ = try MatchesReport.analyse(store: store, options: matches) }
        #expect(error?.suggestion == nil)
        #expect(error?.known == ["GAD-7", "PHQ-9"])
        matches.instrument = "GAD-7"
        _ = try MatchesReport.analyse(store: store, options: matches)

        // A store with GAD-7 check-ins only: the default PHQ-9 gives notes, as before, not an error.
        let (gadOnly, dir) = try newResearchStore()
        let start = Timestamp(rfc3339: "2026-01-05T00:00:00Z")!
        var lines: [String] = []
        for i in 0..<3 {
            lines.append(EventJSON.line(for: .member(MemberEvent(ts: start, member: "m\(i)", role: .seeker, researchConsent: true))))
            lines.append(EventJSON.line(for: .checkin(CheckinEvent(ts: Timestamp(microseconds: start.microseconds + 1_000_000), member: "m\(i)", instrument: "GAD-7", score: 12))))
        }
        try ingest(lines, into: gadOnly, directory: dir)
        for analysis in [{ _ = try GroupsReport.analyse(store: gadOnly) }, { _ = try SkillsReport.analyse(store: gadOnly) },
                         { _ = try MatchesReport.analyse(store: gadOnly) }] as [() throws -> Void] {
            do { try analysis() } catch let error as UnknownValueError { Issue.record("the default was checked: \(error)") } catch {}
        }
    }

    @Test("The research analyses give the same results on a read-only store")
    func readOnly() throws {
        let readOnly = try EventStore(path: store.path, mode: .readOnly)
        #expect(try OutcomesReport.analyse(store: readOnly) == OutcomesReport.analyse(store: store))
        #expect(try EngagementReport.analyse(store: readOnly) == EngagementReport.analyse(store: store))
        #expect(try GroupsReport.analyse(store: readOnly) == GroupsReport.analyse(store: store))
        #expect(try SkillsReport.analyse(store: readOnly) == SkillsReport.analyse(store: store))
        #expect(try MatchesReport.analyse(store: readOnly) == MatchesReport.analyse(store: store))
    }
}
