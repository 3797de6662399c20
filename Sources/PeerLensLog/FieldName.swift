#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every field name of log format v1 (CSV's `components.<name>` columns included).
///
/// Readers resolve each key to a `FieldName` once, from its bytes, so that
/// validation compares small integers instead of strings: this is the ingest
/// hot path.
public enum FieldName: String, Sendable, CaseIterable {
    case type
    case ts
    case member
    case role
    case region
    case language
    case ageBand = "age_band"
    case gender
    case culture
    case conditions
    case resourceSetting = "resource_setting"
    case researchConsent = "research_consent"
    case cohort
    case id
    case space
    case thread
    case replyTo = "reply_to"
    case chars
    case message
    case model
    case version
    case score
    case kind
    case severity
    case positive
    case reviewerRole = "reviewer_role"
    case weight
    case threshold
    case alert
    case responder
    case responderRole = "responder_role"
    case outcome
    case completed
    case action
    case layer
    case reason
    case moderation
    case seeker
    case peer
    case components
    case accepted
    case match
    case sessions
    case rating
    case group
    case session
    case facilitator
    case focus
    case attendees
    case instrument
    case riskItem = "risk_item"
    case framework
    case skill
    case course
    case durationS = "duration_s"
    case componentsExperience = "components.experience"
    case componentsCommunication = "components.communication"
    case componentsSupportStyle = "components.support_style"
    case componentsDemographic = "components.demographic"
    case componentsRecoveryStage = "components.recovery_stage"
    case componentsAvailability = "components.availability"
    case componentsSafety = "components.safety"
    case componentsCultural = "components.cultural"

    /// Known names grouped by UTF-8 length, for resolution without hashing.
    private static let byLength: [[(bytes: [UInt8], name: FieldName)]] = {
        var table = Array(repeating: [(bytes: [UInt8], name: FieldName)](), count: 32)
        for name in allCases { table[name.rawValue.utf8.count].append((Array(name.rawValue.utf8), name)) }
        return table
    }()

    /// The field name spelled by `bytes`, if it is a known one.
    public static func resolve(_ bytes: UnsafeRawBufferPointer) -> FieldName? {
        guard bytes.count < 32 else { return nil }
        for candidate in byLength[bytes.count] {
            if candidate.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                return candidate.name
            }
        }
        return nil
    }

    /// The field name `key`, if it is a known one.
    public static func resolve(_ key: String) -> FieldName? {
        var copy = key
        return copy.withUTF8 { resolve(UnsafeRawBufferPointer($0)) }
    }
}
