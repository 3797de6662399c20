// Fuzz target `jsonl`: the JSON Lines reader (simdjson through the CSimdJSON shim, plain or gzip through zlib) and
// the event decoder, on arbitrary bytes.

#if canImport(Glibc)
import Glibc
#endif

private let path = "\(fuzzDirectory)/peerlens-fuzz-\(getpid()).jsonl"
private let decoder = EventDecoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    writeInput(data, size, to: path)
    do {
        drain(try JSONLinesReader(path: path), decoder: decoder)
    } catch {
        _ = error.description.count
    }
    return 0
}
