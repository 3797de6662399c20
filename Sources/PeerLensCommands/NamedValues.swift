import ArgumentParser
import Foundation

/// `NAME=VALUE,NAME=VALUE` option values (instrument overrides such as `PHQ-9=0.84`).
public enum NamedValues {
    /// The pairs of `text`.
    ///
    /// - Throws: `ValidationError` naming `option` when a pair is not `NAME=NUMBER`.
    public static func parse(_ text: String, option: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count == 2, !pieces[0].isEmpty, let value = Double(pieces[1]), value.isFinite else {
                throw ValidationError("\(option) takes NAME=NUMBER pairs separated by commas, e.g. PHQ-9=0.84")
            }
            out[pieces[0]] = value
        }
        return out
    }
}
