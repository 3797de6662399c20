import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensDocument
@testable import PeerLensReport
@testable import PeerLensStats
@testable import PeerLensStore

/// Reports read the store only through its query API, and work on a store opened read-only.
@Suite("Reports and the store")
struct StoreAccessTests {
    @Test("Provenance: library versions from PeerLensStats and the store, the fingerprint from the ingest runs")
    func provenance() throws {
        let libraries = try Provenance.libraryVersions(simulatedStore)
        #expect(libraries == ["gsl": StatsLibrary.gslVersion, "sqlite": try simulatedStore.sqliteVersion()])
        #expect(StatsLibrary.gslVersion.first?.isNumber == true)
        #expect(try simulatedStore.sqliteVersion().hasPrefix("3."))
        let fingerprint = try StoreFingerprint.read(simulatedStore)
        let runs = try simulatedStore.ingestRuns()
        #expect(fingerprint.files.map(\.run) == runs.map(\.id))
        #expect(fingerprint.files.map(\.sha256) == runs.map(\.sha256))
        let text = runs.map { "\($0.id) \($0.file) \($0.sha256) \($0.format) \($0.records) \($0.accepted) \($0.duplicates) \($0.rejected)\n" }.joined()
        #expect(fingerprint.combinedSHA256 == SHA256Digest.hex(text))
        #expect(fingerprint.combinedSHA256.count == 64)
    }

    @Test("The three audience reports are byte-identical on a read-only store")
    func readOnly() throws {
        let readOnly = try EventStore(path: simulatedStore.path, mode: .readOnly)
        let writable = try ReportContext(store: simulatedStore, options: testOptions())
        let context = try ReportContext(store: readOnly, options: testOptions())
        #expect(context.provenance == writable.provenance)
        #expect(try context.dataPeriod()! == writable.dataPeriod()!)
        for audience in [Audience.safety, .research, .funder] {
            let a = try ReportRenderer.render(try AudienceReport.build(audience, context: context), format: .json)
            let b = try ReportRenderer.render(try AudienceReport.build(audience, context: writable), format: .json)
            #expect(a == b, "\(audience)")
        }
    }

    @Test("report --model crsis is refused with a suggestion")
    func unknownModel() throws {
        var options = testOptions()
        options.model = "crsis"
        let context = try ReportContext(store: simulatedStore, options: options)
        #expect {
            _ = try AudienceReport.build(.safety, context: context)
        } throws: { error in
            (error as? UnknownValueError)?.suggestion == "crisis"
        }
    }
}
