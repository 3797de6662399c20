import Foundation
@testable import PeerLensLog

/// Path of a committed fixture.
func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name).path
}

/// Every record of a file, decoded.
func readAll(_ path: String, decoder: EventDecoder = EventDecoder()) throws -> [(line: Int, result: Result<DecodedEvent, Rejection>)] {
    let reader = try openLogReader(path: path)
    var out: [(Int, Result<DecodedEvent, Rejection>)] = []
    while let record = try reader.next() {
        switch record.content {
        case let .failure(rejection): out.append((record.line, .failure(rejection)))
        case let .success(raw): out.append((record.line, decoder.decode(raw, typeHint: record.typeHint)))
        }
    }
    return out
}

/// A temporary file with `contents`, removed by the caller.
func temporaryFile(_ contents: String, name: String = "log.jsonl") -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("peerlens-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try! contents.write(to: url, atomically: true, encoding: .utf8)
    return url.path
}
