import ArgumentParser
import PeerLensDocument
import PeerLensReport
import PeerLensLog
import PeerLensSafety

/// `--predictions FILE.csv --score-col C --label-col L [--positive-label V]`: exported predictions instead of
/// the store (`risk`, `thresholds`).
public struct PredictionsOptions: ParsableArguments, Sendable {
    @Option(help: "Read exported predictions from this CSV file instead of the store.")
    public var predictions: String?

    @Option(help: "With --predictions: the score column.")
    public var scoreCol: String?

    @Option(help: "With --predictions: the outcome column (1/0, true/false, or see --positive-label).")
    public var labelCol: String?

    @Option(help: "With --predictions: the outcome value that marks a positive.")
    public var positiveLabel: String?

    /// Defaults.
    public init() {}

    /// Whether predictions replace the store.
    public var given: Bool { predictions != nil }

    public func validate() throws {
        if predictions != nil, scoreCol == nil || labelCol == nil { throw ValidationError("--predictions needs --score-col and --label-col") }
        if predictions == nil, scoreCol != nil || labelCol != nil || positiveLabel != nil {
            throw ValidationError("--score-col, --label-col and --positive-label go with --predictions")
        }
    }

    /// Reads the file (nil without `--predictions`).
    func load(groupColumn: String? = nil, timeColumn: String? = nil) throws -> Predictions? {
        guard let predictions, let scoreCol, let labelCol else { return nil }
        return try Predictions(path: predictions, scoreColumn: scoreCol, labelColumn: labelCol, positiveLabel: positiveLabel,
                               groupColumn: groupColumn, timeColumn: timeColumn)
    }

    /// The provenance source naming the file (its SHA-256 and rows) instead of a store.
    func source(_ data: Predictions) throws -> StoreFingerprint? {
        guard let predictions else { return nil }
        return try SafetyReport.predictionsSource(path: predictions, rows: data.scores.count, toolVersion: PeerLensVersion.current)
    }

    /// The options for the provenance.
    var described: [String: String] {
        var o: [String: String] = [:]
        if let predictions { o["predictions"] = predictions }
        if let scoreCol { o["score_col"] = scoreCol }
        if let labelCol { o["label_col"] = labelCol }
        if let positiveLabel { o["positive_label"] = positiveLabel }
        return o
    }
}

extension Severity: ExpressibleByArgument {}
extension RiskEvaluationOptions.Cluster: ExpressibleByArgument {}
extension RiskSubgroup: ExpressibleByArgument {}
extension SensitivityAssurance: ExpressibleByArgument {}
