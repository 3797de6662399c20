/// Reader-facing names for the codes that logs carry: `fil` → "Filipino", `not_stated` → "Not stated",
/// `conflict_affected` → "Conflict-affected". Reports show categories through this table so that no raw code
/// reaches a reader; JSON keeps the codes (machines read those).
///
/// A code the table does not know is shown in sentence case with underscores as spaces (`group_session` →
/// "Group session"), which is never worse than the code itself. Language codes are ISO 639-1 (two letters) or
/// ISO 639-2/3 (three letters) with names from ISO 639; an unknown language code is shown in upper case
/// (`XX`), since a guessed name would be wrong.
public enum CategoryLabels {
    /// What kind of category a code names: the same code can mean different things (`uk` is Ukrainian as a
    /// language, not the United Kingdom).
    public enum Dimension: Sendable {
        /// A language code (ISO 639).
        case language
        /// A resource setting (`high` → "High-resource").
        case resourceSetting
        /// A country or region (ISO 3166-1 alpha-2: `GB` → "United Kingdom"); an unknown code is shown in
        /// upper case, since a guessed name would be wrong.
        case region
        /// Any other category (gender, age band, resource setting, culture, roles, outcomes, event kinds).
        case category
    }

    /// The reader-facing name of `code` in `dimension`.
    public static func label(_ code: String, _ dimension: Dimension = .category) -> String {
        let key = code.lowercased()
        if let shared = special[key] { return shared }
        switch dimension {
        case .language:
            // A BCP 47 tag: language, then optionally a region (`pt-BR` → "Portuguese (Brazil)").
            let parts = key.split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
            guard let language = parts.first, language.count <= 3, language.allSatisfy(\.isLetter) else { return sentenceCase(code) }
            let name = languages[language] ?? language.uppercased()
            guard parts.count > 1 else { return name }
            let region = parts[1]
            return "\(name) (\(regions[region] ?? region.uppercased()))"
        case .region:
            return regions[key] ?? code.uppercased()
        case .resourceSetting:
            return resourceSettings[key] ?? categories[key] ?? sentenceCase(code)
        case .category:
            return categories[key] ?? sentenceCase(code)
        }
    }

    /// `group_session` → "Group session": underscores and hyphens between words become spaces, the first
    /// letter is capitalised, the rest is left as it is.
    public static func sentenceCase(_ code: String) -> String {
        let spaced = code.replacingOccurrences(of: "_", with: " ")
        guard let first = spaced.first else { return spaced }
        return first.uppercased() + spaced.dropFirst()
    }

    /// Codes that mean the same in every dimension.
    static let special: [String: String] = [
        "not_stated": "Not stated", "unknown": "Unknown", "other": "Other", "none": "None", "prefer_not_to_say": "Prefer not to say",
    ]

    /// Resource settings, whose bare codes (`high`, `low`) would be ambiguous.
    static let resourceSettings: [String: String] = ["high": "High-resource", "low": "Low-resource", "rural": "Rural"]

    /// Category codes whose sentence-case form is not the right name.
    package static let categories: [String: String] = [
        "conflict_affected": "Conflict-affected",
        // Gender
        "non_binary": "Non-binary", "nonbinary": "Non-binary",
        // Cultures and regions
        "north_american": "North American", "south_american": "South American", "latin_american": "Latin American",
        "british": "British", "south_asian": "South Asian", "east_asian": "East Asian", "southeast_asian": "Southeast Asian",
        "east_african": "East African", "west_african": "West African", "southern_african": "Southern African",
        "north_african": "North African", "middle_eastern": "Middle Eastern", "brazilian": "Brazilian", "mexican": "Mexican",
        "ukrainian": "Ukrainian", "filipino": "Filipino", "european": "European", "indigenous": "Indigenous",
        // Conditions
        "ptsd": "PTSD", "ocd": "OCD", "eating_disorder": "Eating disorder",
        // Skills
        "cbt": "CBT", "dbt": "DBT", "act": "ACT",
        // Outcomes and event kinds
        "emergency_services": "Emergency services", "no_contact": "No contact", "false_alarm": "False alarm",
        "harmful_advice": "Harmful advice", "trigger_content": "Trigger content", "checkin": "Check-in",
        "followup": "Follow-up", "match_end": "Match end", "seeker_left": "Seeker left", "peer_left": "Peer left",
    ]

    /// ISO 3166 region names for the region part of a language tag.
    static let regions: [String: String] = [
        "br": "Brazil", "pt": "Portugal", "mx": "Mexico", "es": "Spain", "us": "United States", "gb": "United Kingdom",
        "ca": "Canada", "au": "Australia", "in": "India", "ke": "Kenya", "ng": "Nigeria", "ph": "Philippines",
        "ua": "Ukraine", "za": "South Africa", "fr": "France", "de": "Germany", "cn": "China", "tw": "Taiwan",
        "hk": "Hong Kong", "ar": "Argentina", "co": "Colombia", "419": "Latin America",
    ]

    /// ISO 639 language names (English), for the languages peer-support platforms commonly serve.
    package static let languages: [String: String] = [
        "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "bn": "Bengali", "bg": "Bulgarian", "ca": "Catalan",
        "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
        "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fil": "Filipino", "fr": "French", "ga": "Irish",
        "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian",
        "hy": "Armenian", "id": "Indonesian", "ig": "Igbo", "is": "Icelandic", "it": "Italian", "ja": "Japanese",
        "ka": "Georgian", "kk": "Kazakh", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "ku": "Kurdish",
        "lo": "Lao", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
        "mr": "Marathi", "ms": "Malay", "my": "Burmese", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian",
        "nb": "Norwegian Bokmål", "om": "Oromo", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto", "pt": "Portuguese",
        "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian",
        "so": "Somali", "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil",
        "te": "Telugu", "th": "Thai", "ti": "Tigrinya", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian",
        "ur": "Urdu", "uz": "Uzbek", "vi": "Vietnamese", "xh": "Xhosa", "yo": "Yoruba", "zh": "Chinese", "zu": "Zulu",
    ]
}
