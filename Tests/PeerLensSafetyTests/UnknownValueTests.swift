import Foundation
import Testing
@testable import PeerLensLog
@testable import PeerLensSafety
@testable import PeerLensStore

/// Expects `body` to throw an `UnknownValueError` for `option` and `value`, suggesting `suggestion`.
func expectUnknown(_ option: String, _ value: String, suggestion: String?, known: [String]? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected an unknown \(option) '\(value)' error", sourceLocation: sourceLocation)
    } catch let error as UnknownValueError {
        #expect(error.option == option, sourceLocation: sourceLocation)
        #expect(error.value == value, sourceLocation: sourceLocation)
        #expect(error.suggestion == suggestion, sourceLocation: sourceLocation)
        if let known { #expect(error.known == known, sourceLocation: sourceLocation) }
        #expect(error.description.contains("unknown \(option) '\(value)'"), sourceLocation: sourceLocation)
        if let suggestion { #expect(error.description.contains("did you mean \(suggestion)?"), sourceLocation: sourceLocation) }
    } catch {
        Issue.record("expected UnknownValueError, got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Unknown models, versions and spaces are refused with the values that exist")
struct UnknownValueTests {
    let store = simulated.store

    @Test("risk --model crsis: did you mean crisis?")
    func unknownModel() {
        var options = RiskEvaluationOptions()
        options.model = "crsis"
        options.replicates = 100
        expectUnknown("--model", "crsis", suggestion: "crisis", known: ["crisis", "toxicity"]) { _ = try RiskEvaluation.evaluate(store: store, options: options) }
        expectUnknown("--model", "crsis", suggestion: "crisis") { _ = try RiskBreakdown.analyse(store: store, options: { var o = options; o.by = .language; return o }()) }
        var tuning = ThresholdTuningOptions()
        tuning.model = "Crisis"
        expectUnknown("--model", "Crisis", suggestion: "crisis") { _ = try ThresholdTuning.tune(store: store, options: tuning) }
    }

    @Test("risk --version v9 and thresholds --version v3 list the versions that exist")
    func unknownVersion() {
        var options = RiskEvaluationOptions()
        options.versions = ["v1", "v9"]
        options.replicates = 100
        expectUnknown("--version", "v9", suggestion: nil, known: ["v1", "v2"]) { _ = try RiskEvaluation.evaluate(store: store, options: options) }
        var tuning = ThresholdTuningOptions()
        tuning.version = "V2"
        expectUnknown("--version", "V2", suggestion: "v2", known: ["v1", "v2"]) { _ = try ThresholdTuning.tune(store: store, options: tuning) }
    }

    @Test("risk --compare v1 v9 names --compare")
    func unknownComparedVersion() {
        var options = RiskEvaluationOptions()
        options.replicates = 100
        expectUnknown("--compare", "v9", suggestion: nil, known: ["v1", "v2"]) {
            _ = try VersionComparison.compare(store: store, versionA: "v1", versionB: "v9", options: options)
        }
    }

    @Test("crisis --model crisiss lists the models with alerts")
    func unknownAlertModel() {
        expectUnknown("--model", "crisiss", suggestion: "crisis", known: ["crisis"]) { _ = try CrisisResponseReport.analyse(store: store, model: "crisiss") }
        expectUnknown("--model", "crisiss", suggestion: "crisis") { _ = try CrisisResponseReport.timeToFirstResponse(store: store, model: "crisiss") }
    }

    @Test("moderation --model toxcity and --eating-disorder-space eating-disorder; the defaults are not checked")
    func moderation() throws {
        var options = ModerationOptions()
        options.model = "toxcity"
        expectUnknown("--model", "toxcity", suggestion: "toxicity") { _ = try ModerationReport.analyse(store: store, options: options) }
        options = ModerationOptions()
        options.eatingDisorderSpaces = ["eating-disorder"]
        expectUnknown("--eating-disorder-space", "eating-disorder", suggestion: "eating_disorder") { _ = try ModerationReport.analyse(store: store, options: options) }
        options.eatingDisorderSpaces = ["eating_disorder", "general"]
        _ = try ModerationReport.analyse(store: store, options: options)
        _ = try ModerationReport.analyse(store: store)
    }

    @Test("A model far from every stored one: no suggestion, the stored models listed")
    func farModel() {
        var options = RiskEvaluationOptions()
        do {
            options.model = "nonsense_model_with_no_scores"
            _ = try RiskEvaluation.evaluate(store: store, options: options)
        } catch let error as UnknownValueError {
            #expect(error.suggestion == nil)
            #expect(error.description.contains("models with scores in the store: crisis, toxicity"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("The safety analyses give the same results on a read-only store (background reads included)")
    func readOnly() throws {
        let readOnly = try EventStore(path: store.path, mode: .readOnly)
        var options = RiskEvaluationOptions()
        options.replicates = 100
        #expect(try RiskEvaluation.evaluate(store: readOnly, options: options) == RiskEvaluation.evaluate(store: store, options: options))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var tuning = ThresholdTuningOptions()
        tuning.replicates = 100
        #expect(try encoder.encode(ThresholdTuning.tune(store: readOnly, options: tuning)) == encoder.encode(ThresholdTuning.tune(store: store, options: tuning)))
        #expect(try encoder.encode(CrisisResponseReport.analyse(store: readOnly)) == encoder.encode(CrisisResponseReport.analyse(store: store)))
        #expect(try encoder.encode(ModerationReport.analyse(store: readOnly)) == encoder.encode(ModerationReport.analyse(store: store)))
        options.by = .language
        options.over = .month
        #expect(try encoder.encode(RiskBreakdown.analyse(store: readOnly, options: options)) == encoder.encode(RiskBreakdown.analyse(store: store, options: options)))
    }
}
