import Foundation

/// Project configuration, read from `peerlens.json` in the working directory
/// when present. Today it declares extra questionnaires:
///
/// ```json
/// { "instruments": [ { "name": "ORS", "minimum": 0, "maximum": 40,
///                      "reliability": 0.85, "standard_deviation": 7.5, "caseness": 25,
///                      "higher_is_better": true } ] }
/// ```
///
/// An instrument with a self-harm item adds `"risk_item_maximum"` (and optionally `"risk_item_label"`), so
/// that its check-ins may report `risk_item` (see `Instrument.RiskItem`).
public struct ProjectConfig: Sendable, Codable, Equatable {
    /// Instruments beyond the built-in ones (or replacing them by name).
    public var instruments: [InstrumentDeclaration]

    /// The default file name.
    public static let fileName = "peerlens.json"

    /// One declared instrument.
    public struct InstrumentDeclaration: Sendable, Codable, Equatable {
        /// The instrument's `name`.
        public var name: String
        /// The instrument's `minimum`.
        public var minimum: Double
        /// The instrument's `maximum`.
        public var maximum: Double
        /// The instrument's `reliability`.
        public var reliability: Double?
        /// The instrument's `standard_deviation`.
        public var standardDeviation: Double?
        /// The instrument's `caseness`.
        public var caseness: Double?
        /// The instrument's `higher_is_better`.
        public var higherIsBetter: Bool?
        /// The instrument's `reliable_change`: points of change that count as reliable.
        public var reliableChange: Double?
        /// The highest score of the instrument's self-harm item (scored from 0), when it has one: check-ins may
        /// then report it as `risk_item`. Absent for a declaration that replaces a built-in instrument: the
        /// built-in item (PHQ-9 item 9, CORE-10 item 6) is kept.
        public var riskItemMaximum: Int?
        /// How the instrument numbers that item (e.g. `item 4`); default `self-harm item`.
        public var riskItemLabel: String?

        enum CodingKeys: String, CodingKey {
            case name, minimum, maximum, reliability, caseness
            case standardDeviation = "standard_deviation", higherIsBetter = "higher_is_better", reliableChange = "reliable_change"
            case riskItemMaximum = "risk_item_maximum", riskItemLabel = "risk_item_label"
        }
    }

    /// An empty configuration.
    public init(instruments: [InstrumentDeclaration] = []) { self.instruments = instruments }

    /// Reads `path` (default `peerlens.json`); a missing default file means an empty configuration.
    public static func load(path: String? = nil) throws -> ProjectConfig {
        let file = path ?? fileName
        guard FileManager.default.fileExists(atPath: file) else {
            if path != nil { throw ConfigError(file: file, problem: "no such file") }
            return ProjectConfig()
        }
        let config: ProjectConfig
        do {
            config = try JSONDecoder().decode(ProjectConfig.self, from: Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw ConfigError(file: file, problem: "not a valid configuration (\(error))")
        }
        for i in config.instruments {
            guard Anonymity.isLabel(i.name), i.minimum.isFinite, i.maximum.isFinite, i.minimum < i.maximum else {
                throw ConfigError(file: file, problem: "instrument \(i.name): needs a short name and minimum < maximum")
            }
            if let r = i.reliability, !(r > 0 && r < 1) {
                throw ConfigError(file: file, problem: "instrument \(i.name): reliability must be in (0, 1)")
            }
            if let m = i.riskItemMaximum, !(1...100).contains(m) {
                throw ConfigError(file: file, problem: "instrument \(i.name): risk_item_maximum must be a whole number from 1 to 100")
            }
            if let label = i.riskItemLabel, !Anonymity.isLabel(label) {
                throw ConfigError(file: file, problem: "instrument \(i.name): risk_item_label must be a short label")
            }
            for (key, value) in [("standard_deviation", i.standardDeviation), ("reliable_change", i.reliableChange)] {
                if let value, !(value > 0 && value.isFinite) {
                    throw ConfigError(file: file, problem: "instrument \(i.name): \(key) must be positive")
                }
            }
        }
        return config
    }

    /// The built-in instruments plus the declared ones.
    public func catalog() -> InstrumentCatalog {
        InstrumentCatalog(declared: instruments.map { d in
            let builtInItem = Instrument.builtIn.first { $0.name == d.name }?.riskItem
            let item = d.riskItemMaximum.map { Instrument.RiskItem(label: d.riskItemLabel ?? "self-harm item", maximum: $0) } ?? builtInItem
            return Instrument(name: d.name, minimum: d.minimum, maximum: d.maximum, reliability: d.reliability,
                              standardDeviation: d.standardDeviation, caseness: d.caseness, higherIsBetter: d.higherIsBetter ?? false,
                              reliableChange: d.reliableChange, riskItem: item)
        })
    }

    /// A decoder accepting the built-in and declared instruments.
    public func decoder() -> EventDecoder { EventDecoder(instruments: catalog()) }
}

/// A problem in the project configuration file.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    /// The configuration file.
    public let file: String
    /// What is wrong with it.
    public let problem: String
    /// The instrument's `description`.
    public var description: String { "\(file): \(problem)" }
}
