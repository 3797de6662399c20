/// Writes events as log format v1 JSON Lines: one object per line, keys in
/// contract order (`type`, `ts`, then the documented field order), absent
/// optionals omitted (except `reply_to`, written as `null`), numbers in
/// Swift's shortest round-trip form. The same event always yields the same bytes.
public enum EventJSON {
    /// The JSON object for `event`, without a trailing newline.
    public static func line(for event: Event) -> String {
        var w = ObjectWriter(type: event.type, ts: event.ts)
        switch event {
        case let .member(e):
            w.string("member", e.member); w.string("role", e.role.rawValue)
            w.string("region", e.region); w.string("language", e.language)
            w.string("age_band", e.ageBand?.rawValue); w.string("gender", e.gender); w.string("culture", e.culture)
            if !e.conditions.isEmpty { w.strings("conditions", e.conditions.map(\.rawValue)) }
            w.string("resource_setting", e.resourceSetting?.rawValue)
            if !e.researchConsent { w.bool("research_consent", false) }
            w.string("cohort", e.cohort)
        case let .message(e):
            w.string("id", e.id); w.string("member", e.member); w.string("space", e.space)
            w.string("thread", e.thread)
            if let r = e.replyTo { w.string("reply_to", r) } else { w.null("reply_to") }
            w.int("chars", e.chars)
        case let .score(e):
            w.string("message", e.message); w.string("model", e.model); w.string("version", e.version)
            w.number("score", e.score)
        case let .review(e):
            w.string("message", e.message); w.string("kind", e.kind.rawValue)
            w.string("severity", e.severity?.rawValue)
            if let p = e.positive { w.bool("positive", p) }
            w.string("reviewer_role", e.reviewerRole)
            if let weight = e.weight { w.number("weight", weight) }
        case let .alert(e):
            w.string("id", e.id); w.string("message", e.message); w.string("member", e.member)
            w.string("model", e.model); w.string("version", e.version)
            w.number("score", e.score); w.number("threshold", e.threshold)
        case let .response(e):
            w.string("alert", e.alert); w.string("responder", e.responder)
            w.string("responder_role", e.responderRole.rawValue); w.string("outcome", e.outcome.rawValue)
        case let .followup(e):
            w.string("alert", e.alert); w.bool("completed", e.completed)
        case let .moderation(e):
            w.string("id", e.id); w.string("message", e.message); w.string("member", e.member)
            w.string("action", e.action.rawValue); w.string("layer", e.layer.rawValue); w.string("reason", e.reason.rawValue)
        case let .appeal(e):
            w.string("moderation", e.moderation); w.string("outcome", e.outcome.rawValue)
        case let .match(e):
            w.string("id", e.id); w.string("seeker", e.seeker); w.string("peer", e.peer)
            w.string("kind", e.kind.rawValue); w.number("score", e.score)
            w.object("components", zip(MatchComponents.fieldNames, e.components.values).map { ($0, $1) })
            w.bool("accepted", e.accepted)
        case let .matchEnd(e):
            w.string("match", e.match); w.int("sessions", e.sessions)
            if let r = e.rating { w.int("rating", r) }
            w.string("reason", e.reason.rawValue)
        case let .groupSession(e):
            w.string("group", e.group); w.string("session", e.session); w.string("facilitator", e.facilitator)
            w.string("focus", e.focus); w.strings("attendees", e.attendees)
        case let .checkin(e):
            w.string("member", e.member); w.string("instrument", e.instrument); w.number("score", e.score)
            if let item = e.riskItem { w.int("risk_item", item) }
        case let .skill(e):
            w.string("member", e.member); w.string("framework", e.framework.rawValue); w.string("skill", e.skill)
            w.bool("completed", e.completed)
        case let .training(e):
            w.string("member", e.member); w.string("course", e.course); w.bool("completed", e.completed)
        case let .activity(e):
            w.string("member", e.member); w.number("duration_s", e.durationSeconds)
        }
        return w.finish()
    }

    /// `text` as a JSON string literal, quotes included.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Deterministic JSON text for a finite double: integers without a
    /// fraction (`3`), others in shortest round-trip form (`0.25`, `1e-05`).
    public static func number(_ value: Double) -> String {
        precondition(value.isFinite, "JSON cannot represent a non-finite number")
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private struct ObjectWriter {
        var text: String

        init(type: EventType, ts: Timestamp) {
            text = "{\"type\":\"\(type.rawValue)\",\"ts\":\"\(ts.rfc3339)\""
        }

        mutating func key(_ k: String) { text += ",\"\(k)\":" }
        mutating func string(_ k: String, _ v: String?) {
            guard let v else { return }
            key(k); text += EventJSON.quoted(v)
        }
        mutating func null(_ k: String) { key(k); text += "null" }
        mutating func bool(_ k: String, _ v: Bool) { key(k); text += v ? "true" : "false" }
        mutating func int(_ k: String, _ v: Int) { key(k); text += String(v) }
        mutating func number(_ k: String, _ v: Double) { key(k); text += EventJSON.number(v) }
        mutating func strings(_ k: String, _ v: [String]) {
            key(k); text += "[" + v.map(EventJSON.quoted).joined(separator: ",") + "]"
        }
        mutating func object(_ k: String, _ fields: [(String, Double)]) {
            key(k); text += "{" + fields.map { "\"\($0.0)\":\(EventJSON.number($0.1))" }.joined(separator: ",") + "}"
        }
        func finish() -> String { text + "}" }
    }
}
