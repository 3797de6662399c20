// Its own file (no GRDB, no store): the fuzz target `predictions` (Fuzz/run.sh) compiles it with the reader.

/// Why an analysis cannot run.
public struct AnalysisError: Error, Sendable, CustomStringConvertible {
    /// A sentence a person understands.
    public let description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
