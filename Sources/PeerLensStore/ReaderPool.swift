import GRDB
import Synchronization

/// The connections of a read-only store. One GRDB `DatabaseQueue` runs one read at a time, so the analyses a
/// report runs at once would queue behind each other — and much of a read is Swift work on the rows, not
/// SQLite's. A read borrows an idle connection (opening another, with the same configuration, when all are
/// busy) and gives it back; a read-only store cannot change under them, so every connection sees the same data.
final class ReaderPool: Sendable {
    private let path: String
    private let configuration: Configuration
    private let idle: Mutex<[DatabaseQueue]>

    /// A pool whose first connection is `first` (already open and checked).
    init(first: DatabaseQueue, path: String, configuration: Configuration) {
        self.path = path
        self.configuration = configuration
        idle = Mutex([first])
    }

    /// `body` on an idle connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? DatabaseQueue(path: path, configuration: configuration)
        defer { idle.withLock { $0.append(connection) } }
        return try connection.read(body)
    }
}
