// Fuzz target `jsonl-record`: the JSON Lines record path (simdjson through the CSimdJSON shim, the field and
// timestamp readers) and the event decoder, without opening a file per input: the input's lines are parsed in place
// in one buffer, as the reader parses them in its window (a line's padding is the next line's bytes; zeroes after
// the last). Many times faster than `jsonl`, which also covers the file, gzip and window code.

import CSimdJSON
#if canImport(Glibc)
import Glibc
#endif

private let capacity = 1 << 17
private let buffer: UnsafeMutablePointer<UInt8> = {
    let b = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + csj_padding())
    b.initialize(repeating: 0, count: capacity + csj_padding())
    return b
}()
private let parser: OpaquePointer = csj_parser_new()!
private let decoder = EventDecoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLinesRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size <= capacity else { return 0 }
    memcpy(buffer, data, size)
    memset(buffer + size, 0, csj_padding())
    var start = 0, line = 0
    while start < size {
        let end = memchr(buffer + start, 10, size - start).map { buffer.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? size
        line += 1
        if let record = JSONLinesReader.record(buffer + start, count: end - start, line: line, parser: parser) {
            switch record.content {
            case let .failure(rejection): _ = rejection.message.count
            case let .success(raw):
                switch decoder.decode(raw, typeHint: nil) {
                case let .success(decoded): _ = EventJSON.line(for: decoded.event).count
                case let .failure(rejection): _ = rejection.message.count
                }
            }
        }
        start = end + 1
    }
    return 0
}
