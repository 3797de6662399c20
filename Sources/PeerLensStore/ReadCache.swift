import GRDB
import Synchronization

/// What every evaluation of a review kind's model reads: the human reviews of the kind, the model's scores of
/// the reviewed messages (with author and space), and the threshold each version alerted at.
public struct ReviewedScoreData: Sendable, Equatable {
    /// The reviews of the kind, by message, time and reviewer role (`EventStore.reviews`).
    public let reviews: [StoredReview]
    /// The model's scores of reviewed messages, by version and message (`EventStore.scoresOfReviewedMessages`).
    public let scores: [ReviewedMessageScore]
    /// The threshold most alerts of each version used, ties to the lower threshold (`EventStore.alertThresholds`).
    public let alertThresholds: [String: Double]

    /// The data.
    public init(reviews: [StoredReview], scores: [ReviewedMessageScore], alertThresholds: [String: Double]) {
        (self.reviews, self.scores, self.alertThresholds) = (reviews, scores, alertThresholds)
    }
}

/// Results of reads that several analyses of one report repeat, kept for the life of a read-only store
/// (nothing can change them: the process never writes the file, and each is one consistent read), or of a Spark
/// source (which reads one fixed set of committed runs all its life). A store opened read-write reads afresh every
/// time.
package final class ReadCache: Sendable {
    /// One key's value, once it has one.
    private final class Entry: Sendable {
        let value = Mutex<(any Sendable)?>(nil)
    }

    private let entries = Mutex<[String: Entry]>([:])

    package init() {}

    private func entry(_ key: String) -> Entry {
        entries.withLock { entries in
            if let entry = entries[key] { return entry }
            let entry = Entry()
            entries[key] = entry
            return entry
        }
    }

    /// The value stored under `key`, if any.
    func cached<T: Sendable>(_ key: String) -> T? {
        // Unwrapped before the cast: a missing entry cast to an optional `T` would be a cached nil.
        guard let entry = entries.withLock({ $0[key] }), let value = entry.value.withLock({ $0 }) else { return nil }
        return value as? T
    }

    /// Stores `value` under `key`.
    func store<T: Sendable>(_ key: String, _ value: T) { entry(key).value.withLock { $0 = value } }

    /// The value stored under `key`, computed by `read` the first time (outside the lock: two threads asking at
    /// once may both read, and both get equal values; a read may hold a database connection of a pool meanwhile).
    func value<T: Sendable, E: Error>(_ key: String, _ read: () throws(E) -> T) throws(E) -> T {
        if let cached: T = cached(key) { return cached }
        let value = try read()
        store(key, value)
        return value
    }

    /// The value stored under `key`, computed by `read` the first time, once: a second thread asking meanwhile waits
    /// for the first one's value (for reads that cost a Spark job each, and hold nothing another reader waits for).
    /// A read that throws stores nothing.
    package func valueOnce<T: Sendable, E: Error>(_ key: String, _ read: () throws(E) -> T) throws(E) -> T {
        try entry(key).value.withLock { (stored: inout (any Sendable)?) throws(E) -> T in
            if let known = stored, let known = known as? T { return known }
            let value = try read()
            stored = value
            return value
        }
    }
}

extension EventStore {
    /// The reviews of `kind`, the scores of `model` on the reviewed messages and the alert thresholds of
    /// `model`, read once per read-only store.
    public func reviewedScoreData(kind: String, model: String) throws(StoreError) -> ReviewedScoreData {
        let read = { () throws(StoreError) -> ReviewedScoreData in
            try self.read("reading reviewed \(kind) scores of \(model)") { db in
                var scores: [ReviewedMessageScore] = []
                try EventStore.scoresOfReviewedMessages(db, kind: kind, model: model) { scores.append($0) }
                return ReviewedScoreData(reviews: try EventStore.reviews(db, kind: kind), scores: scores,
                                         alertThresholds: try EventStore.alertThresholds(db, model: model))
            }
        }
        guard mode == .readOnly else { return try read() }
        return try readCache.value("reviewed scores\u{0}\(kind)\u{0}\(model)", read)
    }
}

extension EventStore {
    /// Every score of `model` `version` (`scores(_:model:version:)`), read through `db` — a connection to this
    /// store, such as a background one — and kept for the life of a read-only store: the threshold tuning and
    /// the version comparison of one report both read the deployed version's millions of scores.
    package func scoreColumn(_ db: Database, model: String, version: String) throws -> ScoreColumn {
        guard mode == .readOnly else { return try Self.scores(db, model: model, version: version) }
        return try readCache.value("scores\u{0}\(model)\u{0}\(version)") { try Self.scores(db, model: model, version: version) }
    }
}

extension EventStore {
    /// `compute()`, kept under `key` for the life of a read-only store (computed every time on a read-write
    /// one): for analyses that two reports of one run both show. `key` must name everything the value depends
    /// on besides the store.
    package func memoized<T: Sendable>(_ key: String, _ compute: () throws -> T) throws -> T {
        guard mode == .readOnly else { return try compute() }
        return try readCache.value("memo\u{0}" + key, compute)
    }

    /// The value `remember(_:_:)` or `memoized(_:_:)` kept under `key`, if any (always nil on a read-write store).
    package func remembered<T: Sendable>(_ key: String, as type: T.Type) -> T? {
        mode == .readOnly ? readCache.cached("memo\u{0}" + key) : nil
    }

    /// Keeps `value` under `key` for the life of a read-only store (nothing on a read-write one).
    package func remember<T: Sendable>(_ key: String, _ value: T) {
        if mode == .readOnly { readCache.store("memo\u{0}" + key, value) }
    }
}
