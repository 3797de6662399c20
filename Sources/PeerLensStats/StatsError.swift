/// Why a statistic cannot be computed for the data it was given.
///
/// Every public entry point in `PeerLensStats` throws one of these instead of
/// trapping or returning NaN. `statistic` names what was being computed so the
/// message can be shown to a user as it is.
public struct StatsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of problem.
    public enum Kind: Sendable, Equatable {
        /// No observations at all.
        case emptyInput
        /// Fewer observations than the statistic needs.
        case tooFewObservations(needed: Int, got: Int)
        /// Only one outcome class is present (e.g. no positives), so a
        /// discrimination or calibration measure is undefined.
        case singleClass
        /// All values are tied, so the statistic is undefined (e.g. a zero variance).
        case allTied
        /// An input value is NaN or infinite.
        case nonFiniteValue
        /// Weights are negative or sum to zero.
        case invalidWeights
        /// Arrays that must have the same length do not.
        case lengthMismatch(expected: Int, got: Int)
        /// An argument is outside its domain (a level not in (0, 1), a probability outside [0, 1], …).
        case invalidArgument(String)
        /// An iterative fit did not converge (e.g. separation in logistic regression).
        case didNotConverge(iterations: Int)
        /// GSL reported an error.
        case gsl(GSLError)
    }

    /// What was being computed, e.g. `"AUC (DeLong)"`.
    public let statistic: String
    /// What went wrong.
    public let kind: Kind

    /// Creates an error for `statistic`.
    public init(_ statistic: String, _ kind: Kind) {
        self.statistic = statistic
        self.kind = kind
    }

    /// A sentence a person understands.
    public var description: String {
        let why: String
        switch kind {
        case .emptyInput: why = "there are no observations"
        case let .tooFewObservations(needed, got): why = "it needs at least \(needed) observations, got \(got)"
        case .singleClass: why = "only one outcome class is present"
        case .allTied: why = "all values are tied"
        case .nonFiniteValue: why = "an input value is NaN or infinite"
        case .invalidWeights: why = "weights are negative or sum to zero"
        case let .lengthMismatch(expected, got): why = "inputs have different lengths (\(expected) vs \(got))"
        case let .invalidArgument(text): why = text
        case let .didNotConverge(iterations): why = "the fit did not converge in \(iterations) iterations"
        case let .gsl(error): why = error.description
        }
        return "\(statistic) cannot be computed: \(why)"
    }

    /// Equality of all fields.
    public static func == (lhs: StatsError, rhs: StatsError) -> Bool {
        lhs.statistic == rhs.statistic && lhs.kind == rhs.kind
    }
}

extension GSLError: Equatable {
    /// Equality of all fields.
    public static func == (lhs: GSLError, rhs: GSLError) -> Bool {
        lhs.operation == rhs.operation && lhs.status == rhs.status
    }
}
