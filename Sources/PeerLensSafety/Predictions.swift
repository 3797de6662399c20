import Foundation
import PeerLensLog

// The reader only, with PeerLensLog and AnalysisError: the fuzz target `predictions` (Fuzz/run.sh) compiles this
// file outside the package build. Evaluating predictions is in PredictionsEvaluation.swift.

/// Any model's exported scores with outcome labels, read from a CSV file, for `peerlens risk --predictions`
/// (no log needs ingesting). Scores may be probabilities or any ordinal risk score; calibration measures are
/// reported only when every score lies in [0, 1].
public struct Predictions: Sendable {
    /// Scores, outcome labels and optional group labels, in file order.
    public let scores: [Double]
    /// Outcome labels (true = positive).
    public let labels: [Bool]
    /// Group labels, when a group column was given.
    public let groups: [String]?
    /// Case times, when a timestamp column (RFC 3339) was given.
    public let times: [Timestamp]?

    /// Days between the first and the last case time (nil without a timestamp column).
    public var spanDays: Double? {
        guard let times, let first = times.min(), let last = times.max() else { return nil }
        return Double(last.microseconds - first.microseconds) / 86_400_000_000
    }

    /// Reads `path` (CSV, plain or gzip-compressed, with `CSVRowReader`): a header row, then one row per case. `labelColumn` holds `1`/`0`, `true`/`false`, or, with
    /// `positiveLabel`, that value for positives and anything else for negatives. `timeColumn`, if given, holds
    /// RFC 3339 times (for workload per day).
    ///
    /// - Throws: `AnalysisError` naming the file, the line and the column for a missing column, an empty file,
    ///   a score that is not a finite number, or a label that cannot be read (never the cell's value).
    public init(path: String, scoreColumn: String, labelColumn: String, positiveLabel: String? = nil, groupColumn: String? = nil,
                timeColumn: String? = nil) throws {
        // The reader's file-level errors (missing file, truncated gzip, an unclosed quote) name the file and line.
        func advance(_ reader: CSVRowReader) throws -> Bool {
            do { return try reader.next() } catch { throw AnalysisError(error.description) }
        }
        let reader: CSVRowReader
        do { reader = try CSVRowReader(path: path) } catch { throw AnalysisError(error.description) }
        guard try advance(reader), let header = reader.strings()?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw AnalysisError("\(path): cannot read the header row")
        }
        func column(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else { throw AnalysisError("\(path): no column '\(name)' (columns: \(header.joined(separator: ", ")))") }
            return i
        }
        let s = try column(scoreColumn), l = try column(labelColumn)
        let g = try groupColumn.map(column)
        let t = try timeColumn.map(column)
        var scores: [Double] = [], labels: [Bool] = [], groups: [String] = [], times: [Timestamp] = []
        while try advance(reader) {
            let line = reader.line
            if reader.isBlank { continue }
            guard reader.count == header.count else { throw AnalysisError("\(path):\(line): row has \(reader.count) cells but the header has \(header.count)") }
            guard let score = reader.double(s), score.isFinite else {
                throw AnalysisError("\(path):\(line): column '\(scoreColumn)' is not a finite number")
            }
            let label: Bool
            if let positiveLabel {
                label = reader.cell(l, equals: positiveLabel)
            } else if let flag = reader.flag(l) {
                label = flag
            } else {
                throw AnalysisError("\(path):\(line): column '\(labelColumn)' must be 1/0 or true/false (or give --positive-label)")
            }
            scores.append(score)
            labels.append(label)
            if let g {
                guard let group = reader.string(g) else { throw AnalysisError("\(path):\(line): column '\(groupColumn!)' is not valid UTF-8 text") }
                groups.append(group)
            }
            if let t {
                guard let text = reader.string(t), let time = Timestamp(rfc3339: text.trimmingCharacters(in: .whitespaces)) else {
                    throw AnalysisError("\(path):\(line): column '\(timeColumn!)' is not an RFC 3339 time")
                }
                times.append(time)
            }
        }
        guard !scores.isEmpty else { throw AnalysisError("\(path): no data rows") }
        self.scores = scores
        self.labels = labels
        self.groups = groupColumn == nil ? nil : groups
        self.times = timeColumn == nil ? nil : times
    }
}
