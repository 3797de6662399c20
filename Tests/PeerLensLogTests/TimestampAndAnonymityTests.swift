import Testing
@testable import PeerLensLog

@Suite("Timestamps")
struct TimestampTests {
    static let known: [(String, Int64)] = [
        ("1970-01-01T00:00:00Z", 0),
        ("2026-01-05T09:00:00Z", 1_767_603_600_000_000),
        ("2024-02-29T23:59:59.5Z", 1_709_251_199_500_000),
        ("2026-01-05T10:00:00+01:00", 1_767_603_600_000_000),
        ("2026-01-05t09:00:00.000001z", 1_767_603_600_000_001),
    ]

    @Test("RFC 3339 parsing against known epoch values (from `date -u -d … +%s`)", arguments: known)
    func parses(text: String, micros: Int64) {
        #expect(Timestamp(rfc3339: text)?.microseconds == micros)
    }

    @Test("Invalid date-times are refused", arguments: [
        "2026-02-30T00:00:00Z", "2026-01-05 09:00:00", "2026-01-05T24:00:00Z", "2026-01-05T09:00:00.1234567Z",
        "2026-01-05T09:00:00", "20260105T090000Z", "", "2025-02-29T00:00:00Z",
    ])
    func refuses(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("Formatting round-trips")
    func roundTrip() {
        for text in ["2026-01-05T09:00:00Z", "2026-01-05T09:00:00.250Z", "1969-12-31T23:59:59.000001Z", "2400-02-29T12:00:00Z"] {
            #expect(Timestamp(rfc3339: text)?.rfc3339 == text)
        }
    }
}

@Suite("Anonymity screening")
struct AnonymityTests {
    @Test("Personal data is recognised", arguments: [
        ("someone@example.org", Anonymity.Finding.email), ("+44 20 7946 0958", .phone), ("07946095800", .phone),
        ("(555) 123-4567", .phone), ("https://x.org/u/1", .url), ("www.example.org", .url),
    ])
    func finds(value: String, finding: Anonymity.Finding) {
        #expect(Anonymity.personalData(in: value) == finding)
    }

    @Test("Pseudonyms and labels are not personal data", arguments: ["m000123", "12345678", "msg-2026-01-05", "south_asian", "v2.1", "pilot_a"])
    func clean(value: String) {
        #expect(Anonymity.personalData(in: value) == nil)
    }

    @Test("Pseudonym and label rules")
    func shapes() {
        #expect(Anonymity.isPseudonym("m_0001:a.b-c"))
        #expect(!Anonymity.isPseudonym(""))
        #expect(!Anonymity.isPseudonym(String(repeating: "a", count: 65)))
        #expect(!Anonymity.isPseudonym("m 1"))
        #expect(Anonymity.isLabel("Māori"))
        #expect(Anonymity.isLabel("non-binary"))
        #expect(!Anonymity.isLabel("i feel so alone tonight"))
        #expect(!Anonymity.isLabel("<script>"))
    }
}

@Suite("JSON writer")
struct EventJSONTests {
    @Test("Writing then reading every example event gives the same events")
    func roundTrip() throws {
        let events = try readAll(fixture("all-types.jsonl")).map { try $0.result.get().event }
        let text = events.map(EventJSON.line(for:)).joined(separator: "\n") + "\n"
        let again = try readAll(temporaryFile(text)).map { try $0.result.get().event }
        #expect(again == events)
    }

    @Test("Numbers and strings are written canonically")
    func canonical() {
        #expect(EventJSON.number(3) == "3")
        #expect(EventJSON.number(0.25) == "0.25")
        #expect(EventJSON.quoted("a\"b\\c\n") == #""a\"b\\c\n""#)
    }
}

@Suite("Event type names")
struct EventTypeNameTests {
    @Test("The fast name lookup agrees with the raw values, and refuses near misses")
    func names() {
        for type in EventType.allCases { #expect(EventType(name: type.rawValue) == type) }
        for name in ["", "Score", "scores", "match-end", "group", "x", "messages", "activity "] { #expect(EventType(name: name) == nil) }
    }
}
