import CSQLite
import Foundation
import GRDB
import PeerLensLog

/// Loads log files into an `EventStore`, one transaction per file.
///
/// A reader thread parses and validates records while the calling thread
/// inserts them, connected by a bounded queue so memory stays bounded
/// whatever the file size. A file is stored completely or not at all: a
/// missing/corrupt file, a wholly invalid file, a database error, or the
/// process being killed leaves the store as it was before that file.
public struct Ingestor: Sendable {
    /// The decoder (instrument catalogue) used to validate records.
    public var decoder: EventDecoder
    /// Recorded with every run.
    public var toolVersion: String

    /// Creates an ingestor.
    public init(decoder: EventDecoder = EventDecoder(), toolVersion: String) {
        self.decoder = decoder
        self.toolVersion = toolVersion
    }

    static let batchSize = 4096
    static let maxListedRejections = 20

    enum Item: Sendable {
        /// A member or group-session event, written one at a time.
        case event(Event, dropped: [String]?)
        /// Rows of a batched table, laid out by the reader.
        case rows(RowBatch)
        case rejected(line: Int, type: String?, Rejection)
    }

    struct Batch: Sendable {
        var items: [Item] = []
        var bytesRead: Int64 = 0
        var failure: LogReadError?
        /// Unknown fields dropped from the events in `.rows` items, by name.
        var dropped: [String: Int] = [:]
        /// Records read, for progress.
        var records = 0
    }

    /// Rows per `RowBatch`.
    static let rowsPerBatch = 2048

    /// Ingests `path` into `store`. `progress` is called on the calling thread a few times a second.
    @discardableResult
    public func ingest(path: String, into store: EventStore,
                       progress: ((IngestProgress) -> Void)? = nil) throws(StoreError) -> FileSummary {
        guard store.mode == .readWrite else { throw StoreError.readOnly(path: store.path, operation: "ingesting \(path)") }
        let started = Date()
        let clock = ContinuousClock.now
        let digest = DigestTask(path: path)
        let reader: any LogReader
        do { reader = try openLogReader(path: path) } catch { throw StoreError.unreadableLog(error) }
        let format = LogFormat.detect(path: path)?.rawValue ?? "jsonl"
        var tally = Tally()
        let queue = BoundedQueue<Batch>(capacity: 8)
        let producer = Producer(reader: reader, decoder: decoder, queue: queue)
        producer.start()
        defer { queue.close(); producer.waitUntilFinished() }

        do {
            let summary: FileSummary = try store.queue.write { db in try Self.reportingFull(db, store: store, file: path) {
                try db.execute(sql: """
                    INSERT INTO ingest_run (file, sha256, format, started_at, duration_s, tool_version, records, accepted, duplicates, rejected, dropped_fields)
                    VALUES (?, ?, ?, ?, 0, ?, 0, 0, 0, 0, 0)
                    """, arguments: [path, String(repeating: "0", count: 64), format, ISO8601DateFormatter().string(from: started), toolVersion])
                let runID = db.lastInsertedRowID
                let inserter = try EventInserter(connection: db.sqliteConnection!, runID: runID)
                let quarantine = try db.cachedStatement(sql: "INSERT INTO quarantine (run_id, line, event_type, category, reason) VALUES (?, ?, ?, ?, ?)")
                var lastReport = ContinuousClock.now
                while let batch = queue.take() {
                    if let failure = batch.failure { throw StoreError.unreadableLog(failure) }
                    for (field, count) in batch.dropped { tally.drop(field, count: count) }
                    for item in batch.items {
                        switch item {
                        case let .event(event, dropped):
                            try inserter.insert(event)
                            // Provisionally accepted; duplicates are settled from SQLite's change counts at the end.
                            tally.count(event.type, .accepted)
                            if let dropped { tally.drop(dropped) }
                        case let .rows(rows):
                            try inserter.insert(rows)
                            tally.count(rows.type, .accepted, times: rows.rows)
                        case let .rejected(line, type, rejection):
                            tally.count(type, .rejected)
                            tally.reject(RejectedRecord(line: line, eventType: type, category: rejection.category.rawValue, reason: rejection.message))
                            try quarantine.execute(arguments: [runID, line, type, rejection.category.rawValue, rejection.message])
                        }
                    }
                    if let progress, ContinuousClock.now - lastReport > .milliseconds(200) {
                        lastReport = .now
                        progress(IngestProgress(file: path, bytesRead: batch.bytesRead, fileSize: reader.fileSize,
                                                records: tally.records, elapsed: (ContinuousClock.now - clock).seconds))
                    }
                }
                try inserter.finish()
                tally.settle(storedByType: inserter.accepted)
                if tally.records > 0, tally.accepted + tally.duplicates == 0 {
                    throw StoreError.whollyInvalid(file: path, rejected: tally.rejected,
                                                   firstReasons: tally.firstRejections.prefix(5).map { "\($0.line): \($0.reason)" })
                }
                let sha256 = try digest.result()
                let duration = (ContinuousClock.now - clock).seconds
                try db.execute(sql: """
                    UPDATE ingest_run SET sha256 = ?, duration_s = ?, records = ?, accepted = ?, duplicates = ?, rejected = ?, dropped_fields = ?
                    WHERE id = ?
                    """, arguments: [sha256, duration, tally.records, tally.accepted, tally.duplicates, tally.rejected, tally.droppedTotal, runID])
                for counts in tally.byType {
                    try db.execute(sql: "INSERT INTO ingest_count (run_id, event_type, accepted, duplicates, rejected) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [runID, counts.eventType, counts.accepted, counts.duplicates, counts.rejected])
                }
                for (field, count) in tally.dropped.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO dropped_field (run_id, field, count) VALUES (?, ?, ?)", arguments: [runID, field, count])
                }
                return tally.summary(file: path, sha256: sha256, format: format, runID: runID, duration: duration)
            } }
            return summary
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw StoreError.full(path: store.path, file: path)
        } catch let error as DatabaseError {
            throw StoreError.database(operation: "ingesting \(path)", reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw StoreError.database(operation: "ingesting \(path)", reason: "\(error)")
        }
    }

    /// Runs `body` (the ingest transaction's work on `db`) and turns a failure of the store to grow (SQLITE_FULL:
    /// the disk, the file system or SQLite's page limit) into `StoreError.full`, whether GRDB or the batch inserter
    /// (which calls SQLite directly and reports `StoreError.database`) met it. Checked here, on the connection
    /// before the rollback, because SQLite's error code is only valid until the next call.
    private static func reportingFull<T>(_ db: Database, store: EventStore, file: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {
            throw StoreError.full(path: store.path, file: file)
        } catch StoreError.database(let operation, let reason) {
            if let connection = db.sqliteConnection, sqlite3_errcode(connection) & 0xff == SQLITE_FULL {
                throw StoreError.full(path: store.path, file: file)
            }
            throw StoreError.database(operation: operation, reason: reason)
        }
    }

    /// Validates `path` without a store: the same checks as `ingest`, nothing written.
    /// Duplicates cannot be known without a store, so `duplicates` is 0.
    public func validate(path: String, progress: ((IngestProgress) -> Void)? = nil) throws(StoreError) -> FileSummary {
        let clock = ContinuousClock.now
        let reader: any LogReader
        do { reader = try openLogReader(path: path) } catch { throw StoreError.unreadableLog(error) }
        let format = LogFormat.detect(path: path)?.rawValue ?? "jsonl"
        var tally = Tally()
        var lastReport = ContinuousClock.now
        do {
            while let record = try reader.next() {
                switch Self.decode(record, decoder) {
                case let .event(event, dropped):
                    tally.count(event.type, .accepted)
                    if let dropped { tally.drop(dropped) }
                case .rows:
                    preconditionFailure("decode(_:_:) never returns rows")
                case let .rejected(line, type, rejection):
                    tally.count(type, .rejected)
                    tally.reject(RejectedRecord(line: line, eventType: type, category: rejection.category.rawValue, reason: rejection.message))
                }
                if let progress, tally.records % 4096 == 0, ContinuousClock.now - lastReport > .milliseconds(200) {
                    lastReport = .now
                    progress(IngestProgress(file: path, bytesRead: reader.consumedBytes, fileSize: reader.fileSize,
                                            records: tally.records, elapsed: (ContinuousClock.now - clock).seconds))
                }
            }
        } catch {
            throw StoreError.unreadableLog(error)
        }
        return tally.summary(file: path, sha256: "", format: format, runID: nil, duration: (ContinuousClock.now - clock).seconds)
    }

    static func decode(_ record: LogRecord, _ decoder: EventDecoder) -> Item {
        switch record.content {
        case let .failure(rejection):
            return .rejected(line: record.line, type: record.typeHint?.rawValue, rejection)
        case let .success(raw):
            switch decoder.decode(raw, typeHint: record.typeHint) {
            case let .success(decoded):
                return .event(decoded.event, dropped: decoded.droppedFields.isEmpty ? nil : decoded.droppedFields)
            case let .failure(rejection):
                var type = record.typeHint?.rawValue
                if case let .string(name)? = raw.value("type"), EventType(rawValue: name) != nil { type = name }
                return .rejected(line: record.line, type: type, rejection)
            }
        }
    }
}

/// The reader thread: parses and validates records into batches.
private final class Producer: @unchecked Sendable {
    private let reader: any LogReader
    private let decoder: EventDecoder
    private let queue: BoundedQueue<Ingestor.Batch>
    private let finished = DispatchSemaphore(value: 0)

    init(reader: any LogReader, decoder: EventDecoder, queue: BoundedQueue<Ingestor.Batch>) {
        self.reader = reader
        self.decoder = decoder
        self.queue = queue
    }

    func start() {
        let thread = Thread { [self] in
            run()
            finished.signal()
        }
        thread.name = "peerlens-reader"
        thread.start()
    }

    func waitUntilFinished() { finished.wait() }

    private func run() {
        var batch = Ingestor.Batch()
        batch.items.reserveCapacity(Ingestor.batchSize)
        // Open row batches per table; a full one becomes an item, so each table's rows keep file order.
        var open = [RowBatch?](repeating: nil, count: EventType.allCases.count)
        do {
            while let record = try reader.next() {
                batch.records += 1
                let item = Ingestor.decode(record, decoder)
                if case let .event(event, dropped) = item, case let eventType = event.type, RowLayout.isBatched(eventType) {
                    let type = eventType.index
                    if open[type] == nil { open[type] = RowBatch(type: eventType, capacity: Ingestor.rowsPerBatch) }
                    open[type]!.append(event)
                    if let dropped { for field in dropped { batch.dropped[field, default: 0] += 1 } }
                    if open[type]!.isFull {
                        batch.items.append(.rows(open[type]!))
                        open[type] = nil
                    }
                } else {
                    batch.items.append(item)
                }
                if batch.records >= Ingestor.batchSize {
                    batch.bytesRead = reader.consumedBytes
                    guard queue.put(batch) else { return }
                    batch = Ingestor.Batch()
                    batch.items.reserveCapacity(Ingestor.batchSize)
                }
            }
            for rows in open { if let rows { batch.items.append(.rows(rows)) } }
            batch.bytesRead = reader.consumedBytes
        } catch {
            batch.failure = error
        }
        _ = queue.put(batch)
        queue.close()
    }
}

/// SHA-256 of a file computed on its own thread while the file is ingested.
private final class DigestTask: @unchecked Sendable {
    private var outcome: Result<String, StoreError>?
    private let done = DispatchSemaphore(value: 0)

    init(path: String) {
        let thread = Thread { [self] in
            do throws(StoreError) { outcome = .success(try SHA256Digest.hex(ofFile: path)) } catch { outcome = .failure(error) }
            done.signal()
        }
        thread.start()
    }

    func result() throws(StoreError) -> String {
        done.wait()
        done.signal()
        return try outcome!.get()
    }
}

/// Running counts for one file.
struct Tally {
    enum Outcome { case accepted, duplicate, rejected }
    private(set) var records = 0
    private(set) var accepted = 0
    private(set) var duplicates = 0
    private(set) var rejected = 0
    /// Counts per event type (indexed like `EventType.allCases`), plus one slot for unreadable types.
    private var perType: [TypeCounts] = EventType.allCases.map { TypeCounts(eventType: $0.rawValue, accepted: 0, duplicates: 0, rejected: 0) }
        + [TypeCounts(eventType: "unknown", accepted: 0, duplicates: 0, rejected: 0)]
    private static let index: [String: Int] = Dictionary(uniqueKeysWithValues: EventType.allCases.enumerated().map { ($1.rawValue, $0) })
    private(set) var dropped: [String: Int] = [:]
    private(set) var droppedTotal = 0
    private(set) var firstRejections: [RejectedRecord] = []

    mutating func count(_ type: EventType, _ outcome: Outcome, times: Int = 1) { count(slot: type.index, outcome, times: times) }

    mutating func count(_ typeName: String?, _ outcome: Outcome) {
        count(slot: typeName.flatMap { Self.index[$0] } ?? EventType.allCases.count, outcome, times: 1)
    }


    private mutating func count(slot: Int, _ outcome: Outcome, times n: Int) {
        records += n
        switch outcome {
        case .accepted: accepted += n; perType[slot].accepted += n
        case .duplicate: duplicates += n; perType[slot].duplicates += n
        case .rejected: rejected += n; perType[slot].rejected += n
        }
    }

    /// Splits each type's provisionally accepted events into stored ones (`stored[i]`, indexed like
    /// `EventType.allCases`) and duplicates.
    mutating func settle(storedByType stored: [Int]) {
        for i in stored.indices {
            let duplicates = perType[i].accepted - stored[i]
            precondition(duplicates >= 0, "SQLite reported more stored rows than events sent")
            perType[i].accepted = stored[i]
            perType[i].duplicates += duplicates
            accepted -= duplicates
            self.duplicates += duplicates
        }
    }

    mutating func drop(_ fields: [String]) {
        for field in fields { drop(field, count: 1) }
    }

    mutating func drop(_ field: String, count: Int) {
        dropped[field, default: 0] += count
        droppedTotal += count
    }

    mutating func reject(_ record: RejectedRecord) {
        if firstRejections.count < Ingestor.maxListedRejections { firstRejections.append(record) }
    }

    /// Types that occurred, sorted by name.
    var byType: [TypeCounts] {
        perType.filter { $0.accepted + $0.duplicates + $0.rejected > 0 }.sorted { $0.eventType < $1.eventType }
    }

    func summary(file: String, sha256: String, format: String, runID: Int64?, duration: Double) -> FileSummary {
        FileSummary(file: file, sha256: sha256, format: format, runID: runID, records: records, accepted: accepted,
                    duplicates: duplicates, rejected: rejected, droppedFields: droppedTotal, droppedFieldNames: dropped,
                    byType: byType, firstRejections: firstRejections, durationSeconds: duration)
    }
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
