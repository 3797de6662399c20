import Dispatch
import Synchronization

/// Runs the independent analyses of a report at the same time. Each analysis is serial in places (reading the
/// store, sweeping thresholds, building tables) and parallel in others (its bootstrap), so one at a time leaves
/// a core idle for much of a report; two or more at once keep both busy. Results come back in the order of
/// the parts, and each analysis seeds its own random numbers, so the report is the same bytes however the
/// parts were scheduled.
enum Concurrently {
    /// `body(0) … body(count − 1)`, run concurrently (as many at once as there are cores), returned in index
    /// order. `cost(i)` is a rough guess of part i's work: the costliest parts start first, so that a long part
    /// does not start last and run alone at the end (the parts are started in that order; which thread runs
    /// which part does not change any result). Every part runs to its end; if parts threw, the error of the
    /// first of them in index order is thrown (the same error however the parts were scheduled).
    static func map<T: Sendable>(_ count: Int, cost: (Int) -> Int = { _ in 1 }, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        let order = (0..<count).sorted { cost($0) > cost($1) || (cost($0) == cost($1) && $0 < $1) }
        let results = Mutex<[Result<T, any Error>?]>(Array(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { k in
            let i = order[k]
            let value = Result { try body(i) }
            results.withLock { $0[i] = value }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }
}

extension Build {
    /// `body`'s value, or nil with why it failed under `name` (the concurrent form of `attempt`: each part keeps
    /// its own list of omissions, joined in part order afterwards).
    ///
    /// - Throws: an `EngineFailure` of `body`, as `attempt(_:_:_:)`.
    static func attempt<T>(_ name: String, _ body: () throws -> T) throws -> (value: T?, omitted: [String]) {
        var omitted: [String] = []
        let value = try attempt(name, &omitted, body)
        return (value, omitted)
    }
}
