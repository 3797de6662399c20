import Testing
@testable import PeerLensDocument

/// Numbers, money and dates for readers (issue 14): `p < 0.001`, currency with thousands separators and no false
/// cents, human dates; and the provenance's explanation of a repeated ingest.
@Suite("Formatter: p-values, money and dates for readers")
struct FormatterTests {
    @Test("A p-value below 0.001 reads `p < 0.001`, never `p = < 0.001` or `p = 0.000`",
          arguments: [(0.0004, "< 0.001", "p < 0.001"), (1e-12, "< 0.001", "p < 0.001"), (0.001, "0.0010", "p = 0.0010"),
                      (0.0011, "0.0011", "p = 0.0011"), (0.054, "0.054", "p = 0.054"), (0.8994, "0.899", "p = 0.899"), (1.0, "1.000", "p = 1.000")])
    func pValues(_ p: Double, _ cell: String, _ phrase: String) {
        #expect(Formatter.pValue(p) == cell)
        #expect(Formatter.pPhrase(p) == phrase)
        #expect(!Formatter.pPhrase(p).contains("= <"))
    }

    @Test("A non-finite p-value prints as n/a")
    func pValueNaN() {
        #expect(Formatter.pValue(.nan) == "n/a")
        #expect(Formatter.pPhrase(.infinity) == "p = n/a")
    }

    @Test("Money: the currency, thousands separators, and cents only below 1,000 when there are any",
          arguments: [(250_000.0, "USD", "USD 250,000"), (2808.99, "USD", "USD 2,809"), (2354.4, "USD", "USD 2,354"),
                      (1_234_567.5, "EUR", "EUR 1,234,568"), (12.5, "GBP", "GBP 12.50"), (12.0, "GBP", "GBP 12"),
                      (999.999, "USD", "USD 1,000"), (-1500.4, "USD", "USD −1,500"), (152.0, "USD", "USD 152")])
    func money(_ amount: Double, _ code: String, _ expected: String) {
        #expect(Formatter.currency(amount, code: code) == expected)
    }

    @Test("Money without a currency code is the number alone; a non-finite amount is n/a")
    func moneyEdges() {
        #expect(Formatter.currency(250_000, code: nil) == "250,000")
        #expect(Formatter.currency(.nan, code: "USD") == "USD n/a")
        // Averages over people: whole units whatever the size.
        #expect(Formatter.currency(151.61, code: "USD", wholeUnits: true) == "USD 152")
        #expect(Formatter.currency(2808.99, code: "USD", wholeUnits: true) == "USD 2,809")
    }

    @Test("Dates for reading: day, month name, year; the time of a timestamp is dropped",
          arguments: [("2026-01-05", "5 January 2026"), ("2026-03-05T23:59:53.349775Z", "5 March 2026"),
                      ("2025-12-31T00:00:00Z", "31 December 2025"), ("not a date", "not a date"), ("2026-13-01", "2026-13-01")])
    func dates(_ text: String, _ expected: String) {
        #expect(Formatter.date(text) == expected)
    }

    @Test("Dates inside a note are written for reading; timestamps and other numbers are left alone")
    func datesInText() {
        #expect(Formatter.humanDates(in: "mean of the 8 scored weeks from 2026-01-05 to 2026-02-23 (1 partial week left out)")
                == "mean of the 8 scored weeks from 5 January 2026 to 23 February 2026 (1 partial week left out)")
        #expect(Formatter.humanDates(in: "at 2026-03-05T23:59:53Z") == "at 2026-03-05T23:59:53Z")
        #expect(Formatter.humanDates(in: "id 12026-01-05 and 2026-01-05-2") == "id 12026-01-05 and 2026-01-05-2")
        #expect(Formatter.humanDates(in: "no dates") == "no dates")
    }

    @Test("A period names the year once when both ends share it")
    func ranges() {
        #expect(Formatter.dateRange(from: "2026-01-05", to: "2026-03-05") == "5 January to 5 March 2026")
        #expect(Formatter.dateRange(from: "2025-12-20T10:00:00Z", to: "2026-03-05T23:59:59Z") == "20 December 2025 to 5 March 2026")
        #expect(Formatter.dateRange(from: "2026-03-05", to: "2026-03-05T12:00:00Z") == "5 March 2026")
    }

    @Test("Countries by name through the label table, an unknown code in upper case")
    func regions() {
        #expect(CategoryLabels.label("GB", .region) == "United Kingdom")
        #expect(CategoryLabels.label("ke", .region) == "Kenya")
        #expect(CategoryLabels.label("zz", .region) == "ZZ")
    }
}

@Suite("Provenance: a repeated ingest is explained")
struct IngestNoteTests {
    func file(_ run: Int64, sha: String, records: Int, accepted: Int, duplicates: Int, rejected: Int = 0) -> StoreFingerprint.IngestedFile {
        StoreFingerprint.IngestedFile(run: run, file: "events.jsonl.gz", sha256: sha, format: "jsonl", records: records, accepted: accepted,
                                      duplicates: duplicates, rejected: rejected, toolVersion: "test")
    }

    @Test("The same file again: accepted 0 is explained, naming the earlier run")
    func repeated() {
        let a = String(repeating: "a", count: 64)
        let f = StoreFingerprint(path: "s.sqlite", files: [file(1, sha: a, records: 147_279, accepted: 147_279, duplicates: 0),
                                                          file(2, sha: a, records: 147_279, accepted: 0, duplicates: 147_279)],
                                 combinedSHA256: a)
        #expect(f.ingestNotes.count == 1)
        let note = f.ingestNotes[0]
        #expect(note.hasPrefix("Run 2 ingested the same file as run 1"))
        #expect(note.contains("147,279") && note.contains("accepted 0") && note.contains("changes no figure"))
    }

    @Test("Another file whose records are all in the store, and a partly duplicated run")
    func otherDuplicates() {
        let f = StoreFingerprint(path: "s.sqlite", files: [file(1, sha: String(repeating: "a", count: 64), records: 100, accepted: 100, duplicates: 0),
                                                          file(2, sha: String(repeating: "b", count: 64), records: 40, accepted: 0, duplicates: 38, rejected: 2),
                                                          file(3, sha: String(repeating: "c", count: 64), records: 50, accepted: 45, duplicates: 5)],
                                 combinedSHA256: "")
        #expect(f.ingestNotes == [
            "Run 2 ingested records already in the store again: all 38 of its readable records were already in the store, so it added none (accepted 0). The store keeps each record once, so a repeated ingest changes no figure.",
            "Run 3: 5 of its records were already in the store (duplicates) and were kept once.",
        ])
    }

    @Test("No duplicates: nothing to explain")
    func none() {
        let f = StoreFingerprint(path: "s.sqlite", files: [file(1, sha: "a", records: 10, accepted: 10, duplicates: 0)], combinedSHA256: "")
        #expect(f.ingestNotes.isEmpty)
    }
}
