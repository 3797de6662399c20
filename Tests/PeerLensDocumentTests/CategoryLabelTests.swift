import Testing
@testable import PeerLensDocument

@Suite("Category labels")
struct CategoryLabelTests {
    @Test("Language codes read as language names", arguments: [
        ("fil", "Filipino"), ("uk", "Ukrainian"), ("sw", "Swahili"), ("en", "English"), ("pt-BR", "Portuguese (Brazil)"),
        ("es_MX", "Spanish (Mexico)"), ("xq", "XQ"), ("not_stated", "Not stated"),
    ])
    func languages(code: String, expected: String) {
        #expect(CategoryLabels.label(code, .language) == expected)
    }

    @Test("Other codes read as names, unknown ones in sentence case", arguments: [
        ("conflict_affected", "Conflict-affected"), ("not_stated", "Not stated"), ("north_american", "North American"),
        ("group_session", "Group session"), ("woman", "Woman"), ("ptsd", "PTSD"), ("checkin", "Check-in"), ("", ""),
    ])
    func categories(code: String, expected: String) {
        #expect(CategoryLabels.label(code) == expected)
    }

    @Test("Resource settings are named in full; the same bare code elsewhere is not")
    func resourceSettings() {
        #expect(CategoryLabels.label("high", .resourceSetting) == "High-resource")
        #expect(CategoryLabels.label("conflict_affected", .resourceSetting) == "Conflict-affected")
        #expect(CategoryLabels.label("high") == "High")
    }
}
