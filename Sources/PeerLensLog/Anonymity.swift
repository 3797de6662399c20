/// Checks that keep personal data and free text out of the store.
///
/// PeerLens stores opaque pseudonyms, closed vocabularies, numbers and short
/// labels only. These heuristics refuse a record rather than store something
/// that could identify a person; they err on the side of refusing.
public enum Anonymity {
    /// Field names that carry free text or direct identifiers. A record with any
    /// of them (non-null) is refused, whatever its event type.
    public static let forbiddenFieldNames: Set<String> = [
        "text", "body", "content", "contents", "message_text", "msg", "title", "subject", "comment", "comments",
        "note", "notes", "description", "bio", "about", "summary", "transcript", "raw", "html", "markdown",
        "name", "first_name", "last_name", "full_name", "display_name", "username", "user_name", "screen_name",
        "email", "e_mail", "mail", "phone", "phone_number", "mobile", "address", "street", "postcode", "zip",
        "ip", "ip_address", "url", "link", "dob", "date_of_birth", "birthday", "ssn", "nhs_number",
    ]

    /// What kind of personal data a string looks like.
    public enum Finding: String, Sendable {
        case email = "an e-mail address"
        case url = "a URL"
        case phone = "a phone number"
    }

    /// Whether `value` looks like an e-mail address, a URL or a phone number.
    ///
    /// - e-mail: `local@domain.tld` anywhere in the string;
    /// - URL: contains `://`, or starts with `www.`, or `mailto:`;
    /// - phone: only digits and `+ - . ( )` and spaces, with 9 to 15 digits
    ///   (so numeric-only pseudonyms of 9+ digits are refused: prefix them, e.g. `m123456789`).
    public static func personalData(in value: String) -> Finding? {
        var copy = value
        return copy.withUTF8 { personalData(in: $0) }
    }

    /// `personalData(in:)` over UTF-8 bytes: one pass, no allocation (it runs on every string ingested).
    static func personalData(in bytes: UnsafeBufferPointer<UInt8>) -> Finding? {
        var at = -1
        var digits = 0
        var phoneShaped = true
        var schemeSeparator = false
        for i in 0..<bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "@"):
                if at < 0 { at = i }
                phoneShaped = false
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                 UInt8(ascii: " "):
                break
            case UInt8(ascii: ":"):
                phoneShaped = false
                if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"), bytes[i + 2] == UInt8(ascii: "/") {
                    schemeSeparator = true
                }
            default: phoneShaped = false
            }
        }
        if at > 0, isEmailLike(bytes, at: at) { return .email }
        if phoneShaped, (9...15).contains(digits) { return .phone }
        if schemeSeparator || hasPrefixIgnoringCase(bytes, "www.") || hasPrefixIgnoringCase(bytes, "mailto:") { return .url }
        return nil
    }

    private static func hasPrefixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        guard bytes.count >= prefix.utf8CodeUnitCount else { return false }
        let p = prefix.utf8Start
        for i in 0..<prefix.utf8CodeUnitCount {
            var b = bytes[i]
            if b >= 65 && b <= 90 { b += 32 }
            if b != p[i] { return false }
        }
        return true
    }

    /// `local@domain.tld`: something before the `@`, and a dot inside the domain part.
    private static func isEmailLike(_ bytes: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        var lastDot = -1
        for i in (at + 1)..<bytes.count where bytes[i] == UInt8(ascii: ".") { lastDot = i }
        return lastDot > at + 1 && lastDot < bytes.count - 1
    }

    /// Whether a value in an unknown field reads like prose: three or more
    /// whitespace-separated words. Unknown fields are dropped, but a record
    /// that carries prose is refused so the sender learns to strip it.
    public static func looksLikeFreeText(_ value: String) -> Bool {
        var words = 0
        var inWord = false
        for byte in value.utf8 {
            let space = byte == 32 || byte == 9 || byte == 10 || byte == 13
            if space { inWord = false } else if !inWord { inWord = true; words += 1; if words >= 3 { return true } }
        }
        return false
    }

    /// Whether `value` is a valid opaque pseudonym: 1–64 characters of `A-Za-z0-9_.:-`.
    @inlinable
    public static func isPseudonym(_ value: String) -> Bool {
        let utf8 = value.utf8
        guard !utf8.isEmpty, utf8.count <= 64 else { return false }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                 UInt8(ascii: "-"):
                continue
            default: return false
            }
        }
        return true
    }

    /// Whether `value` is a valid label (space, culture, gender, cohort, model,
    /// version, skill, course, …): 1–64 characters, letters (any script),
    /// digits, space and `_ . : - + ( ) ' &`, at most 4 words.
    public static func isLabel(_ value: String) -> Bool {
        var copy = value
        // Fast path: plain ASCII labels need no Unicode property look-ups.
        if let ascii = copy.withUTF8({ bytes -> Bool? in
            guard !bytes.isEmpty else { return false }
            // More than 64 bytes is too long only for ASCII: 64 characters of another script take more bytes
            // (a finding of the `validators` fuzz target).
            if bytes.count > 64 { return bytes.contains { $0 >= 0x80 } ? nil : false }
            var words = 0
            var inWord = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte == 32 { inWord = false; continue }
                if !inWord { inWord = true; words += 1 }
                switch byte {
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"),
                     UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "'"),
                     UInt8(ascii: "&"):
                    continue
                default: return false
                }
            }
            return words >= 1 && words <= 4
        }) {
            return ascii
        }
        guard !value.isEmpty, value.unicodeScalars.count <= 64 else { return false }
        var words = 0
        var inWord = false
        for scalar in value.unicodeScalars {
            if scalar == " " { inWord = false; continue }
            if !inWord { inWord = true; words += 1 }
            if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) { continue }
            switch scalar {
            case "_", ".", ":", "-", "+", "(", ")", "'", "&": continue
            default: return false
            }
        }
        return words >= 1 && words <= 4
    }
}
