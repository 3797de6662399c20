import Foundation
import Testing
@testable import PeerLensLog

/// Inputs found by the fuzz targets of `Fuzz/` (see Fuzz/README.md), kept so that what they found stays fixed.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
    @Test("timestamp: an offset that carries the instant out of 0000–9999 in UTC is refused (it could not print back)",
          arguments: ["9999-12-31T23:59:50-15:00", "0000-01-01T00:00:00+00:01"])
    func offsetOutOfRange(_ text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("timestamp: the same offsets within range still parse and print back")
    func offsetInRange() throws {
        let t = try #require(Timestamp(rfc3339: "9999-12-31T08:59:59-15:00"))
        #expect(t.rfc3339 == "9999-12-31T23:59:59Z")
        #expect(Timestamp(rfc3339: "0000-01-01T00:00:00Z") != nil)
    }

    @Test("validators: a label of 64 characters but more than 64 UTF-8 bytes is a label (the ASCII fast path refused it)")
    func longNonASCIILabel() {
        // The fuzzer's input: 64 characters, 65 bytes (é takes two), one word of allowed characters.
        let found = String(decoding: [67, 97, 102, 195, 169, 67, 97, 116, 95, 108, 105, 115, 116, 101, 110, 110, 101, 39, 39, 39, 48,
                                      39, 117, 95, 108, 105, 115, 116, 101, 110, 110, 40, 95, 39, 39, 39, 49, 39, 117, 95, 108, 105, 115,
                                      116, 101, 110, 40, 95, 39, 39, 39, 49, 39, 39, 39, 39, 39, 110, 39, 39, 39, 39, 110, 39, 39] as [UInt8],
                           as: UTF8.self)
        #expect(found.unicodeScalars.count == 64 && found.utf8.count == 65)
        #expect(Anonymity.isLabel(found))
        // A space name in Devanagari: 22 characters, 66 bytes.
        let devanagari = String(repeating: "\u{0915}", count: 22)
        #expect(devanagari.utf8.count == 66 && Anonymity.isLabel(devanagari))
        // Still refused: 65 characters, whatever the script; 65 ASCII bytes.
        #expect(!Anonymity.isLabel(String(repeating: "\u{0915}", count: 65)))
        #expect(!Anonymity.isLabel("é" + String(repeating: "a", count: 64)))
        #expect(!Anonymity.isLabel(String(repeating: "a", count: 65)))
        #expect(Anonymity.isLabel(String(repeating: "a", count: 64)))
    }

    @Test("predictions: a number of 20 or more digits is read as strtod reads it (the fast path's mantissa overflowed and trapped)",
          arguments: ["0.01421111111111111111111", "11111111111111111111", "-123456789012345678901234567890", "1234567890123456"])
    func manyDigits(_ cell: String) throws {
        // The fuzzer's score cell was "0.0142" followed by 100 ones; these are shorter versions of it and its kin.
        let found = "0.0142" + String(repeating: "1", count: 100)
        let path = temporaryFile("score\n\(cell)\n\(found)\n", name: "many-digits.csv")
        let reader = try CSVRowReader(path: path)
        #expect(try reader.next())
        #expect(try reader.next())
        #expect(reader.double(0) == strtod(cell, nil), "\(cell)")
        #expect(try reader.next())
        #expect(reader.double(0) == strtod(found, nil))
        #expect(try !reader.next())
    }

    @Test("predictions: 15 digits are still read by the fast path, exactly as strtod reads them",
          arguments: ["123456789012345", "0.12345678901234", "-98765.4321098765", "+0.00000000000001"])
    func fifteenDigits(_ cell: String) throws {
        let reader = try CSVRowReader(path: temporaryFile("x\n\(cell)\n", name: "fifteen-digits.csv"))
        #expect(try reader.next() && reader.next())
        #expect(reader.double(0) == strtod(cell, nil))
    }
}
