// Fuzz target `predictions`: the `--predictions` CSV reader of PeerLensSafety (`Predictions(path:…)`, through
// CSVRowReader: quoting, UTF-8, gzip, its number and flag parsers, RFC 3339 times), on arbitrary bytes.
//
// The first two bytes pick the options as `peerlens risk --predictions` would pass them: the score and label
// column names, `--positive-label` or none, and whether a group and a time column are asked for. The rest is the
// file. An accepted file must hold what the reader promises (at least one row; finite scores; one label per
// score; a group and a time per row exactly when their columns were asked for; a span of days ≥ 0), and every
// score the reader parsed must be the number Swift's own `Double(_:)` reads from the cell's text (strtod in the C
// locale, which the reader's fast path claims to match); a broken promise traps. Every error message is rendered.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

private let path = "\(fuzzDirectory)/peerlens-fuzz-\(getpid())-predictions.csv"
private let scoreColumns = ["score", "risk", "s100b", "dsi"]
private let labelColumns = ["label", "outcome", "suicide", "y"]
private let positiveLabels: [String?] = [nil, "yes", "Poor", "1"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPredictions(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let a = Int(data[0]), b = Int(data[1])
    let scoreColumn = scoreColumns[a & 3], labelColumn = labelColumns[(a >> 2) & 3]
    let positiveLabel = positiveLabels[(a >> 4) & 3]
    let groupColumn: String? = b & 1 == 1 ? "group" : nil
    let timeColumn: String? = b & 2 == 2 ? "at" : nil
    writeInput(data + 2, size - 2, to: path)
    let predictions: Predictions
    do {
        predictions = try Predictions(path: path, scoreColumn: scoreColumn, labelColumn: labelColumn, positiveLabel: positiveLabel,
                                      groupColumn: groupColumn, timeColumn: timeColumn)
    } catch {
        _ = String(describing: error).count
        return 0
    }
    let n = predictions.scores.count
    require(n >= 1, "accepted a file without rows")
    require(predictions.labels.count == n, "\(predictions.labels.count) labels for \(n) scores")
    require(predictions.scores.allSatisfy(\.isFinite), "accepted a score that is not finite")
    require((predictions.groups == nil) == (groupColumn == nil) && (predictions.groups?.count ?? n) == n, "groups do not match the rows")
    require((predictions.times == nil) == (timeColumn == nil) && (predictions.times?.count ?? n) == n, "times do not match the rows")
    if let span = predictions.spanDays { require(span.isFinite && span >= 0, "span of \(span) days") }
    checkScores(against: predictions, column: scoreColumn)
    return 0
}

/// Reads the file again, cell by cell, and checks each parsed score against `Double(_:)` of the cell's text.
private func checkScores(against predictions: Predictions, column: String) {
    guard let reader = try? CSVRowReader(path: path), (try? reader.next()) == true, let header = reader.strings() else {
        failure("the file was accepted but its header cannot be read again")
    }
    guard let s = header.map({ $0.trimmingCharacters(in: .whitespaces) }).firstIndex(of: column) else {
        failure("the file was accepted without its score column")
    }
    var row = 0
    while (try? reader.next()) == true {
        if reader.isBlank { continue }
        guard let parsed = reader.double(s) else { failure("a score read before cannot be read again") }
        require(row < predictions.scores.count && parsed == predictions.scores[row], "score of row \(row) differs between two reads")
        row += 1
        // strtod skips any leading white space; Swift's Double(_:) takes none. Compare cells that start with none.
        guard let text = reader.string(s)?.trimmingCharacters(in: CharacterSet(charactersIn: " \t")),
              let first = text.unicodeScalars.first, !CharacterSet.whitespacesAndNewlines.contains(first),
              !text.utf8.contains(0) else { continue }
        guard let reference = Double(text) else { failure("the reader read a number from a cell Double(_:) refuses") }
        require(reference == parsed || (reference.isNaN && parsed.isNaN), "the reader read \(parsed), Double(_:) reads \(reference)")
    }
    require(row == predictions.scores.count, "\(row) rows read again, \(predictions.scores.count) accepted")
}

/// `precondition` whose message survives `-O` (the fuzzer's report should say what broke).
private func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError(message()) }
}

/// `preconditionFailure` whose message survives `-O`.
private func failure(_ message: @autoclosure () -> String) -> Never { fatalError(message()) }
