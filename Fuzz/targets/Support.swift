// Shared by the fuzz targets: the input is written to a file on a RAM-backed directory because PeerLens's readers
// read files (a path is what `peerlens ingest` gives them); the decoder then validates every record read.

#if canImport(Glibc)
import Glibc
#endif

/// Where each input is written: /dev/shm when it exists (no disk I/O), else the temporary directory.
let fuzzDirectory: String = {
    var info = stat()
    return stat("/dev/shm", &info) == 0 ? "/dev/shm" : "/tmp"
}()

/// Writes the fuzzer's input to `path`, replacing the previous one.
func writeInput(_ data: UnsafePointer<UInt8>, _ size: Int, to path: String) {
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    precondition(fd >= 0, "cannot write the fuzz input to \(path)")
    var written = 0
    while written < size {
        let n = write(fd, data + written, size - written)
        precondition(n > 0, "short write of the fuzz input")
        written += n
    }
    close(fd)
}

/// Reads every record of `reader`, validates it with the decoder, and renders every rejection and error as a
/// person would see it (error messages are code paths too).
func drain(_ reader: any LogReader, decoder: EventDecoder) {
    do {
        while let record = try reader.next() {
            switch record.content {
            case let .failure(rejection): _ = rejection.message.count
            case let .success(raw):
                switch decoder.decode(raw, typeHint: record.typeHint) {
                case let .success(decoded): _ = EventJSON.line(for: decoded.event).count
                case let .failure(rejection): _ = rejection.message.count
                }
            }
        }
    } catch {
        _ = error.description.count
    }
}
