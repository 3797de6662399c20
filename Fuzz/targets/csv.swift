// Fuzz target `csv`: the CSV log reader (CSVRowReader, plain or gzip through zlib) and the event decoder, on
// arbitrary bytes. The first byte picks the file's name: an event type's (`score.csv`: the type comes from the name)
// or `events.csv` (the rows must carry a `type` column), so both ways of naming the type are reached.

#if canImport(Glibc)
import Glibc
#endif

private let names = EventType.allCases.map { "\($0.rawValue).csv" } + ["events.csv"]
private let paths = names.map { "\(fuzzDirectory)/peerlens-fuzz-\(getpid())-\($0)" }
private let decoder = EventDecoder()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let path = paths[Int(data[0]) % paths.count]
    writeInput(data + 1, size - 1, to: path)
    do {
        drain(try CSVLogReader(path: path), decoder: decoder)
    } catch {
        _ = error.description.count
    }
    return 0
}
