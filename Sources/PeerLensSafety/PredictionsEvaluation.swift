import PeerLensStats

extension RiskEvaluation {
    /// Evaluates exported predictions (unweighted; one evaluation, or one per group plus `all` when the file
    /// has groups). Groups with fewer than `minimumPerClass` positives or negatives are skipped and listed in
    /// the returned `skippedGroups` rather than hidden silently. Cases are independent: `options.cluster` is
    /// not used (exported predictions have no members).
    public static func evaluate(predictions: Predictions, name: String, options given: RiskEvaluationOptions = RiskEvaluationOptions(),
                                minimumPerClass: Int = 10) throws -> (results: [RiskEvaluation], skippedGroups: [String]) {
        var options = given
        options.cluster = .message
        func data(_ indices: [Int]) -> ReviewedScores { ReviewedScores(predictions, indices: indices) }
        var results = [try evaluate(ReviewedScores(predictions), model: name, version: "all", threshold: options.threshold,
                                    source: options.threshold == nil ? nil : "option", options: options)]
        var skipped: [String] = []
        if let groups = predictions.groups {
            let all = Array(predictions.scores.indices)
            for group in Set(groups).sorted() {
                let idx = all.filter { groups[$0] == group }
                let positives = idx.filter { predictions.labels[$0] }.count
                guard positives >= minimumPerClass, idx.count - positives >= minimumPerClass else { skipped.append(group); continue }
                results.append(try evaluate(data(idx), model: name, version: group, threshold: options.threshold,
                                            source: options.threshold == nil ? nil : "option", options: options))
            }
        }
        return (results, skipped)
    }
}

extension ReviewedScores {
    /// Every case of exported predictions, sharing their arrays (no copy): unweighted and independent, so
    /// without weights or members (the command refuses `--cluster member` with them).
    init(_ predictions: Predictions) {
        scores = predictions.scores
        labels = predictions.labels
    }

    /// The cases at `indices` of exported predictions (one group's), unweighted and independent.
    init(_ predictions: Predictions, indices: [Int]) {
        scores = indices.map { predictions.scores[$0] }
        labels = indices.map { predictions.labels[$0] }
    }
}
