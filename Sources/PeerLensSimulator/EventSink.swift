import CZlib
import PeerLensLog

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where simulated events go, in timestamp order.
public protocol EventSink: AnyObject {
    /// Receives the next events (already in order).
    func write(_ events: [Event]) throws(SimulationError)
}

/// Keeps every event in memory (for tests and small runs).
public final class CollectingSink: EventSink {
    /// The events received, in order.
    public private(set) var events: [Event] = []
    /// Creates an empty sink.
    public init() {}
    /// Receives the next events, in order.
    public func write(_ events: [Event]) throws(SimulationError) { self.events.append(contentsOf: events) }
}

/// Writes log format v1 JSON Lines, optionally gzip-compressed (zlib, level 6,
/// no timestamp in the header, so the same events give the same bytes).
public final class JSONLinesFileSink: EventSink {
    private let path: String
    private let file: UnsafeMutablePointer<FILE>?
    private let gz: gzFile?
    private var buffer: [UInt8] = []
    private let flushAt = 1 << 20
    /// Bytes written so far (uncompressed).
    public private(set) var bytesWritten: Int64 = 0

    /// Creates (truncating) `path`.
    public init(path: String, gzip: Bool) throws(SimulationError) {
        self.path = path
        if gzip {
            gz = gzopen(path, "wb6")
            file = nil
            guard gz != nil else { throw SimulationError.io(path: path, "cannot be created") }
        } else {
            file = fopen(path, "wb")
            gz = nil
            guard file != nil else { throw SimulationError.io(path: path, "cannot be created") }
        }
        buffer.reserveCapacity(flushAt + 4096)
    }

    deinit {
        if let gz { gzclose(gz) }
        if let file { fclose(file) }
    }

    /// Receives the next events, in order.
    public func write(_ events: [Event]) throws(SimulationError) {
        for event in events {
            var line = EventJSON.line(for: event)
            line.withUTF8 { buffer.append(contentsOf: $0) }
            buffer.append(10)
            if buffer.count >= flushAt { try flush() }
        }
    }

    /// Writes buffered bytes and closes the file.
    public func close() throws(SimulationError) {
        try flush()
        if let gz, gzflush(gz, Z_FINISH) != Z_OK { throw SimulationError.io(path: path, "gzip write failed") }
        if let file, fflush(file) != 0 { throw SimulationError.io(path: path, "write failed (disk full?)") }
    }

    private func flush() throws(SimulationError) {
        guard !buffer.isEmpty else { return }
        let ok: Bool = buffer.withUnsafeBytes { raw in
            if let gz { return gzwrite(gz, raw.baseAddress, UInt32(raw.count)) == Int32(raw.count) }
            return fwrite(raw.baseAddress, 1, raw.count, file) == raw.count
        }
        guard ok else { throw SimulationError.io(path: path, "write failed (disk full?)") }
        bytesWritten += Int64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Why a simulation could not be written.
public enum SimulationError: Error, Sendable, CustomStringConvertible {
    case invalidConfig(String)
    case io(path: String, String)

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case let .invalidConfig(text): "invalid simulation: \(text)"
        case let .io(path, text): "\(path): \(text)"
        }
    }
}
