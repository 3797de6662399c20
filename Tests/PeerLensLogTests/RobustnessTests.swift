import Foundation
import Testing
@testable import PeerLensLog

/// Untrusted input must never crash the reader or the decoder, and every non-blank line must come out as
/// exactly one record (accepted or rejected) — nothing silently lost.
@Suite("Robustness against mangled input")
struct RobustnessTests {
    /// Deterministic pseudo-random generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("Byte-level mutations of valid lines: no crash, one record per line", arguments: [1, 2, 3, 4])
    func mutations(seed: UInt64) throws {
        var rng = SplitMix(state: seed)
        let valid = try String(contentsOfFile: fixture("all-types.jsonl"), encoding: .utf8).split(separator: "\n").map { Array($0.utf8) }
        let alphabet = Array("{}[]\":,\\ 0123456789.-+eE truefalsenull\u{00}\u{7F}é😀abcXYZ@/".utf8)
        var lines: [[UInt8]] = []
        for _ in 0..<400 {
            var line = valid[Int.random(in: 0..<valid.count, using: &rng)]
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                guard !line.isEmpty else { break }
                let at = Int.random(in: 0..<line.count, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: line[at] = alphabet.randomElement(using: &rng)!
                case 1: line.insert(alphabet.randomElement(using: &rng)!, at: at)
                case 2: line.remove(at: at)
                default: line.insert(contentsOf: line[at..<min(line.count, at + 8)], at: at)
                }
            }
            // A newline or a whitespace-only line would change the line count; keep one record per line.
            line = line.map { $0 == 10 || $0 == 13 ? UInt8(ascii: "x") : $0 }
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { line = Array("x".utf8) }
            lines.append(line)
        }
        var data = Data()
        for line in lines { data.append(contentsOf: line); data.append(10) }
        let path = temporaryFile("", name: "mangled.jsonl")
        try data.write(to: URL(fileURLWithPath: path))
        let results = try readAll(path)
        #expect(results.count == lines.count)
        #expect(results.map(\.line) == Array(1...lines.count))
        for (_, result) in results {
            if case let .failure(rejection) = result { #expect(!rejection.message.isEmpty) }
        }
    }

    @Test("Random bytes: no crash; every line is a rejected or accepted record")
    func randomBytes() throws {
        var rng = SplitMix(state: 99)
        var data = Data()
        var count = 0
        for _ in 0..<300 {
            var line = (0..<Int.random(in: 1...200, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            line = line.map { $0 == 10 || $0 == 13 ? UInt8(ascii: "x") : $0 }
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { line = Array("x".utf8) }
            data.append(contentsOf: line)
            data.append(10)
            count += 1
        }
        let path = temporaryFile("", name: "random.jsonl")
        try data.write(to: URL(fileURLWithPath: path))
        let results = try readAll(path)
        #expect(results.count == count)
        #expect(results.allSatisfy { if case .failure = $0.result { true } else { false } })
    }
}
