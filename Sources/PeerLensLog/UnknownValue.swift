/// "Did you mean …?" for a value that is not among the known ones: the single place where PeerLens decides
/// that a mistyped instrument, model, version or attribute is close to one that exists.
public enum Suggestion {
    /// The one value of `known` that `value` most likely meant, or nil when none is close or several are
    /// equally close.
    ///
    /// A known value is close when it is equal to `value` ignoring case and punctuation (`PHQ9` → `PHQ-9`,
    /// `Harmful-Advice` → `harmful_advice`), or, failing that, when its edit distance (insertions, deletions,
    /// substitutions and swaps of neighbours, compared in lower case without punctuation) is at most 1 for
    /// values of up to four characters, 2 up to eight and 3 beyond (`crsis` → `crisis`). An exact match is
    /// not a suggestion.
    public static func closest(to value: String, among known: [String]) -> String? {
        let candidates = known.filter { $0 != value }
        let key = normalised(value)
        let same = Set(candidates.filter { normalised($0) == key })
        if !key.isEmpty, same.count == 1 { return same.first }
        if same.count > 1 { return nil }
        let limit = key.count <= 4 ? 1 : (key.count <= 8 ? 2 : 3)
        var best: (value: String, distance: Int)? = nil
        var tied = false
        for candidate in Set(candidates) {
            let d = distance(key, normalised(candidate))
            guard d <= limit else { continue }
            if let b = best, d > b.distance { continue }
            tied = best?.distance == d
            best = (candidate, d)
        }
        return tied ? nil : best?.value
    }

    /// Lower case, letters and digits only.
    static func normalised(_ text: String) -> [Character] {
        text.lowercased().filter { $0.isLetter || $0.isNumber }.map { $0 }
    }

    /// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], previous2[j - 2] + 1) }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}

/// A value given for an option that the store (or the option's vocabulary) does not hold: refused, naming the
/// option and listing the values that exist, with a suggestion when one of them is close
/// (`Suggestion.closest(to:among:)`). Raised by the analyses instead of reporting an empty result.
public struct UnknownValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The option as written on the command line (`--instrument`).
    public let option: String
    /// The value given.
    public let value: String
    /// The values that exist, sorted as they are listed.
    public let known: [String]
    /// What the known values are, as a plural phrase (`instruments with check-ins in the store`).
    public let knownDescription: String
    /// The known value `value` most likely meant, if one is close.
    public let suggestion: String?

    /// Most values listed in the message; more are counted, not listed.
    public static let listedValues = 25

    /// Creates the error; the suggestion is computed from `known`.
    public init(option: String, value: String, known: [String], knownDescription: String) {
        self.option = option
        self.value = value
        self.known = known
        self.knownDescription = knownDescription
        suggestion = Suggestion.closest(to: value, among: known)
    }

    /// Throws unless `value` is one of `known`.
    public static func check(option: String, value: String, known: [String], knownDescription: String) throws(UnknownValueError) {
        guard known.contains(value) else {
            throw UnknownValueError(option: option, value: value, known: known, knownDescription: knownDescription)
        }
    }

    /// E.g. `unknown --instrument 'PHQ9': did you mean PHQ-9? Instruments with check-ins in the store: GAD-7, PHQ-9`.
    public var description: String {
        var text = "unknown \(option) '\(value)'"
        if let suggestion { text += ": did you mean \(suggestion)?" }
        let head = knownDescription.prefix(1).uppercased() + knownDescription.dropFirst()
        if known.isEmpty {
            text += suggestion == nil ? ": there are no \(knownDescription)" : " There are no \(knownDescription)"
        } else {
            var list = known.prefix(Self.listedValues).joined(separator: ", ")
            if known.count > Self.listedValues { list += " and \(known.count - Self.listedValues) more" }
            text += (suggestion == nil ? "; " + knownDescription : " " + head) + ": " + list
        }
        return text
    }
}
