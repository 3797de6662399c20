/// A mood or well-being questionnaire whose total score a `checkin` reports.
///
/// The built-in instruments carry their published score ranges. Reliability,
/// SD and caseness cut-offs (used by reliable-change analyses) are optional
/// here and documented where they are used.
public struct Instrument: Sendable, Hashable, Codable {
    /// Name as written in the log, e.g. `PHQ-9`.
    public let name: String
    /// Lowest possible total score.
    public let minimum: Double
    /// Highest possible total score.
    public let maximum: Double
    /// Test–retest or internal-consistency reliability used for the reliable change index.
    public let reliability: Double?
    /// Reference standard deviation used for the reliable change index.
    public let standardDeviation: Double?
    /// Caseness cut-off: a score at or above it is a case (for instruments where higher is worse).
    public let caseness: Double?
    /// Whether a higher score means better well-being (WEMWBS, SWEMWBS) rather than more symptoms.
    public let higherIsBetter: Bool

    /// Creates an instrument definition.
    public init(name: String, minimum: Double, maximum: Double, reliability: Double? = nil,
                standardDeviation: Double? = nil, caseness: Double? = nil, higherIsBetter: Bool = false) {
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.reliability = reliability
        self.standardDeviation = standardDeviation
        self.caseness = caseness
        self.higherIsBetter = higherIsBetter
    }

    /// The instruments every project knows, with their total-score ranges.
    /// Reliability/SD/caseness defaults follow NHS Talking Therapies practice
    /// for PHQ-9 (caseness ≥ 10) and GAD-7 (caseness ≥ 8).
    public static let builtIn: [Instrument] = [
        Instrument(name: "PHQ-9", minimum: 0, maximum: 27, caseness: 10),
        Instrument(name: "GAD-7", minimum: 0, maximum: 21, caseness: 8),
        Instrument(name: "WEMWBS", minimum: 14, maximum: 70, higherIsBetter: true),
        Instrument(name: "SWEMWBS", minimum: 7, maximum: 35, higherIsBetter: true),
        Instrument(name: "K10", minimum: 10, maximum: 50),
        Instrument(name: "CORE-10", minimum: 0, maximum: 40),
        Instrument(name: "BDI-II", minimum: 0, maximum: 63),
    ]
}

/// The instruments a project accepts: the built-in ones plus any declared in
/// the project configuration (a declared instrument with a built-in name replaces it).
public struct InstrumentCatalog: Sendable {
    private var byName: [String: Instrument]

    /// A catalog of the built-in instruments plus `declared`.
    public init(declared: [Instrument] = []) {
        byName = Dictionary(uniqueKeysWithValues: Instrument.builtIn.map { ($0.name, $0) })
        for instrument in declared { byName[instrument.name] = instrument }
    }

    /// The instrument called `name`, if known.
    public subscript(name: String) -> Instrument? { byName[name] }

    /// All instruments, sorted by name.
    public var all: [Instrument] { byName.values.sorted { $0.name < $1.name } }
}
