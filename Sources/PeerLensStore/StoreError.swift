import PeerLensLog

/// Why a store operation failed. Messages name the file and what was being
/// done, and never include values from the log.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// The store could not be opened or migrated.
    case open(path: String, reason: String)
    /// A database statement failed while doing `operation`.
    case database(operation: String, reason: String)
    /// A file could not be read.
    case io(file: String, String)
    /// A whole file is unusable (missing, corrupt, malformed CSV, …).
    case unreadableLog(LogReadError)
    /// Every record of the file was rejected; nothing was stored.
    case whollyInvalid(file: String, rejected: Int, firstReasons: [String])

    /// A sentence a person understands.
    public var description: String {
        switch self {
        case let .open(path, reason): return "cannot open store \(path): \(reason)"
        case let .database(operation, reason): return "\(operation) failed: \(reason)"
        case let .io(file, reason): return "\(file): \(reason)"
        case let .unreadableLog(error): return error.description + "; nothing from this file was stored"
        case let .whollyInvalid(file, rejected, reasons):
            let sample = reasons.map { "  \(file):\($0)" }.joined(separator: "\n")
            return "\(file): no valid records (\(rejected) rejected); nothing from this file was stored. First problems:\n\(sample)"
        }
    }
}
