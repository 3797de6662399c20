/// A mood or well-being questionnaire whose total score a `checkin` reports.
///
/// The built-in instruments carry their published score ranges and, where a
/// published value exists, the internal-consistency reliability (Cronbach's α)
/// and caseness cut-off that reliable-change analyses use. Every default can be
/// replaced by declaring the instrument in `peerlens.json`.
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
    /// A fixed number of points that counts as reliable change (NHS Talking Therapies: PHQ-9 6, GAD-7 4; CORE-10 6,
    /// Barkham et al. 2013),
    /// used instead of the Jacobson–Truax threshold for the service definitions. Nil: use 1.96·S_diff.
    public let reliableChange: Double?
    /// The instrument's self-harm item, which a check-in may report as `risk_item` (nil: the instrument has
    /// none, and a `risk_item` is refused).
    public let riskItem: RiskItem?

    /// A questionnaire's item about thoughts of self-harm or suicide, scored 0 to `maximum`: a second
    /// detection channel beside the risk model (`peerlens crisis`). A score of 1 or more is an endorsement.
    public struct RiskItem: Sendable, Hashable, Codable {
        /// The item as the instrument numbers it, e.g. `item 9`.
        public let label: String
        /// Highest item score (the lowest is 0).
        public let maximum: Int

        /// Creates an item definition.
        public init(label: String, maximum: Int) {
            self.label = label
            self.maximum = maximum
        }
    }

    /// Creates an instrument definition.
    public init(name: String, minimum: Double, maximum: Double, reliability: Double? = nil,
                standardDeviation: Double? = nil, caseness: Double? = nil, higherIsBetter: Bool = false,
                reliableChange: Double? = nil, riskItem: RiskItem? = nil) {
        self.name = name
        self.minimum = minimum
        self.maximum = maximum
        self.reliability = reliability
        self.standardDeviation = standardDeviation
        self.caseness = caseness
        self.higherIsBetter = higherIsBetter
        self.reliableChange = reliableChange
        self.riskItem = riskItem
    }

    /// The instruments every project knows, with their total-score ranges.
    ///
    /// Reliabilities (Cronbach's α): PHQ-9 0.89 (Kroenke, Spitzer & Williams 2001), GAD-7 0.92 (Spitzer et al.
    /// 2006), WEMWBS 0.91 (Tennant et al. 2007, population sample), K10 0.93 (Kessler et al. 2002), CORE-10 0.90
    /// (Barkham et al. 2013), BDI-II 0.92 (Beck, Steer & Brown 1996, outpatients); SWEMWBS has none by default.
    /// No reference SD is built in: reliable-change analyses use the baseline SD of the analysed sample
    /// (Jacobson & Truax 1991 allow a pre-treatment SD) unless one is declared. Caseness: PHQ-9 ≥ 10 and GAD-7 ≥ 8
    /// with reliable change of 6 and 4 points (NHS Talking Therapies manual); CORE-10 clinical cut-off 11 and reliable
    /// change index 6 points (Barkham et al. 2013, Counselling and Psychotherapy Research 13(1):3–13).
    ///
    /// Self-harm items (`riskItem`): PHQ-9 item 9 ("thoughts that you would be better off dead, or of hurting
    /// yourself", scored 0–3; Kroenke, Spitzer & Williams 2001) and CORE-10 item 6 ("I made plans to end my
    /// life", scored 0–4; Barkham et al. 2013). The other built-in instruments have no such item.
    public static let builtIn: [Instrument] = [
        Instrument(name: "PHQ-9", minimum: 0, maximum: 27, reliability: 0.89, caseness: 10, reliableChange: 6,
                   riskItem: RiskItem(label: "item 9", maximum: 3)),
        Instrument(name: "GAD-7", minimum: 0, maximum: 21, reliability: 0.92, caseness: 8, reliableChange: 4),
        Instrument(name: "WEMWBS", minimum: 14, maximum: 70, reliability: 0.91, higherIsBetter: true),
        Instrument(name: "SWEMWBS", minimum: 7, maximum: 35, higherIsBetter: true),
        Instrument(name: "K10", minimum: 10, maximum: 50, reliability: 0.93),
        Instrument(name: "CORE-10", minimum: 0, maximum: 40, reliability: 0.90, caseness: 11, reliableChange: 6,
                   riskItem: RiskItem(label: "item 6", maximum: 4)),
        Instrument(name: "BDI-II", minimum: 0, maximum: 63, reliability: 0.92),
    ]

    /// The built-in instruments with a self-harm item, for messages: `PHQ-9 item 9 (0–3), CORE-10 item 6 (0–4)`.
    public static var riskItemInstruments: String {
        builtIn.compactMap { i in i.riskItem.map { "\(i.name) \($0.label) (0–\($0.maximum))" } }.joined(separator: ", ")
    }
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
