import Testing
@testable import PeerLensLog

/// Inputs found by the fuzz targets of `Fuzz/` (see Fuzz/README.md), kept so that what they found stays fixed.
@Suite("Fuzz findings")
struct FuzzRegressionTests {
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
}
