import Testing
@testable import PeerLensLog

@Suite("Did-you-mean suggestions and unknown values")
struct SuggestionTests {
    @Test("Equal ignoring case and punctuation", arguments: [
        ("PHQ9", ["GAD-7", "PHQ-9", "WEMWBS"], "PHQ-9"),
        ("phq-9", ["GAD-7", "PHQ-9"], "PHQ-9"),
        ("Harmful-Advice", ["crisis", "harmful_advice", "toxicity"], "harmful_advice"),
        ("ageband", ["age_band", "gender"], "age_band"),
    ])
    func normalised(value: String, known: [String], expected: String) {
        #expect(Suggestion.closest(to: value, among: known) == expected)
    }

    @Test("A small edit distance", arguments: [
        ("crsis", ["crisis", "toxicity"], "crisis"),
        ("toxcity", ["crisis", "toxicity"], "toxicity"),
        ("crisi", ["crisis", "toxicity"], "crisis"),
        ("sesions", ["cohort", "sessions", "skills"], "sessions"),
        ("GAD7x", ["GAD-7", "PHQ-9"], "GAD-7"),
        ("eating_disordre", ["eating_disorder", "general"], "eating_disorder"),
    ])
    func closeByEdits(value: String, known: [String], expected: String) {
        #expect(Suggestion.closest(to: value, among: known) == expected)
    }

    @Test("No suggestion when nothing is close, when two values are equally close, or for an exact match", arguments: [
        ("v9", ["v1", "v2"]),
        ("depression", ["crisis", "toxicity"]),
        ("x", ["crisis"]),
        ("crisis", ["crisis"]),
        ("", ["crisis"]),
        ("PHQ9", []),
    ])
    func none(value: String, known: [String]) {
        #expect(Suggestion.closest(to: value, among: known) == nil)
    }

    @Test("The error names the option and the value, suggests, and lists the known values")
    func message() {
        let e = UnknownValueError(option: "--instrument", value: "PHQ9", known: ["GAD-7", "PHQ-9"], knownDescription: "instruments with check-ins in the store")
        #expect(e.suggestion == "PHQ-9")
        #expect(e.description == "unknown --instrument 'PHQ9': did you mean PHQ-9? Instruments with check-ins in the store: GAD-7, PHQ-9")
        let v = UnknownValueError(option: "--compare", value: "v9", known: ["v1", "v2"], knownDescription: "versions of crisis with scores in the store")
        #expect(v.suggestion == nil)
        #expect(v.description == "unknown --compare 'v9'; versions of crisis with scores in the store: v1, v2")
        let none = UnknownValueError(option: "--model", value: "crisis", known: [], knownDescription: "models with scores in the store")
        #expect(none.description == "unknown --model 'crisis': there are no models with scores in the store")
        let many = UnknownValueError(option: "--x", value: "zz", known: (0..<30).map { "value\($0)" }, knownDescription: "values")
        #expect(many.description.hasSuffix("value24 and 5 more"))
        #expect(throws: UnknownValueError.self) { try UnknownValueError.check(option: "--x", value: "a", known: ["b"], knownDescription: "values") }
        #expect(throws: Never.self) { try UnknownValueError.check(option: "--x", value: "b", known: ["b"], knownDescription: "values") }
    }
}
