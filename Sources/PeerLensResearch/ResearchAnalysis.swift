import GRDB
import PeerLensStore

/// Options of a research analysis: their defaults, and what they must satisfy before the store is read.
public protocol ResearchOptions: Sendable {
    /// The default options.
    init()
    /// - Throws: `ResearchError` for options the analysis cannot run with.
    func validate() throws
}

/// A research analysis of the store (`groups`, `skills`, `matches`, `outcomes`, `engagement`).
public protocol ResearchAnalysis: Sendable {
    /// The analysis's options.
    associatedtype Options: ResearchOptions
    /// The analysis in an open read of the store; `options` are already validated.
    static func analyse(_ db: Database, options: Options) throws -> Self
}

extension ResearchAnalysis {
    /// Runs the analysis on the store: validates the options, then reads the store once.
    ///
    /// - Throws: `ResearchError` for invalid options or a store without members; `UnknownValueError` for an
    ///   instrument without check-ins in a store that has others (analyses of one instrument: other than the
    ///   default PHQ-9); `StoreError` underneath.
    public static func analyse(store: EventStore, options: Options = Options()) throws -> Self {
        try options.validate()
        return try store.reading { db in try analyse(db, options: options) }
    }
}
