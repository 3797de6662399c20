import CSimdJSON
import Foundation
import Testing
@testable import PeerLensLog

/// `JSONLinesReader.record`, the record path that the `jsonl-record` fuzz target (Fuzz/) feeds directly, must parse a
/// line exactly as the reader does when it reads the file: otherwise fuzzing it would test something else.
@Suite("JSON Lines record path")
struct RecordPathTests {
    /// Every line's outcome as text: the decoded event re-encoded, or the rejection.
    static func outcome(_ record: LogRecord?, _ decoder: EventDecoder) -> String {
        guard let record else { return "blank" }
        switch record.content {
        case let .failure(rejection): return "\(record.line) rejected: \(rejection.message)"
        case let .success(raw):
            switch decoder.decode(raw, typeHint: record.typeHint) {
            case let .success(decoded): return "\(record.line) " + EventJSON.line(for: decoded.event)
            case let .failure(rejection): return "\(record.line) invalid: \(rejection.message)"
            }
        }
    }

    @Test("Parsing each line in place in one buffer gives the reader's records", arguments: ["all-types.jsonl", "rejections.jsonl"])
    func sameAsReader(_ name: String) throws {
        let decoder = EventDecoder()
        let reader = try JSONLinesReader(path: fixture(name))
        var expected: [String] = []
        while let record = try reader.next() { expected.append(Self.outcome(record, decoder)) }

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture(name))))
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count + csj_padding())
        defer { buffer.deallocate() }
        buffer.initialize(repeating: 0, count: bytes.count + csj_padding())
        buffer.update(from: bytes, count: bytes.count)
        let parser = try #require(csj_parser_new())
        defer { csj_parser_free(parser) }
        var actual: [String] = []
        var start = 0, line = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            line += 1
            let record = JSONLinesReader.record(buffer + start, count: end - start, line: line, parser: parser)
            if record != nil { actual.append(Self.outcome(record, decoder)) }
            start = end + 1
        }
        #expect(!expected.isEmpty)
        #expect(actual == expected)
    }
}
