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
    /// The analysis of the events of `source`; `options` are already validated.
    static func analyse(_ source: any EventSource, options: Options) throws -> Self
}

extension ResearchAnalysis {
    /// Runs the analysis on the events of `store` (the embedded store or a Spark warehouse): validates the
    /// options, then reads the events.
    ///
    /// - Throws: `ResearchError` for invalid options or a store without members; `UnknownValueError` for an
    ///   instrument without check-ins in a store that has others (analyses of one instrument: other than the
    ///   default PHQ-9); `StoreError` underneath.
    public static func analyse(store: any EventSource, options: Options = Options()) throws -> Self {
        try options.validate()
        return try analyse(store, options: options)
    }
}
