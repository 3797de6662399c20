// Fuzz target `timestamp`: the RFC 3339 timestamp parser, on arbitrary bytes. Whatever it accepts must print back
// to a timestamp that parses to the same instant (the round trip the store relies on).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let micros = Timestamp.parse(UnsafeBufferPointer(start: data, count: size)) else { return 0 }
    let printed = Timestamp(microseconds: micros).rfc3339
    guard let again = Timestamp(rfc3339: printed), again.microseconds == micros else {
        fatalError("timestamp round trip failed: \(micros) printed as \(printed)")
    }
    return 0
}
