/// Validates a `RawRecord` against log format v1 and builds the typed `Event`.
///
/// Order of checks: personal data and free text anywhere in the record first
/// (so the reason given is the privacy one), then `type`, then each field of
/// that type. Unknown fields are dropped and reported by name.
public struct EventDecoder: Sendable {
    /// Instruments accepted in `checkin` events.
    public var instruments: InstrumentCatalog

    /// Creates a decoder that accepts the given instruments.
    public init(instruments: InstrumentCatalog = InstrumentCatalog()) {
        self.instruments = instruments
    }

    /// Known fields per event type, in contract order (`type` and `ts` included).
    public static let knownFields: [EventType: Set<String>] = {
        let raw: [EventType: [String]] = [
        .member: ["member", "role", "region", "language", "age_band", "gender", "culture", "conditions",
                  "resource_setting", "research_consent", "cohort"],
        .message: ["id", "member", "space", "thread", "reply_to", "chars"],
        .score: ["message", "model", "version", "score"],
        .review: ["message", "kind", "severity", "positive", "reviewer_role", "weight"],
        .alert: ["id", "message", "member", "model", "version", "score", "threshold"],
        .response: ["alert", "responder", "responder_role", "outcome"],
        .followup: ["alert", "completed"],
        .moderation: ["id", "message", "member", "action", "layer", "reason"],
        .appeal: ["moderation", "outcome"],
        .match: ["id", "seeker", "peer", "kind", "score", "components", "accepted"],
        .matchEnd: ["match", "sessions", "rating", "reason"],
        .groupSession: ["group", "session", "facilitator", "focus", "attendees"],
        .checkin: ["member", "instrument", "score", "risk_item"],
        .skill: ["member", "framework", "skill", "completed"],
        .training: ["member", "course", "completed"],
        .activity: ["member", "duration_s"],
    ]
        var known = raw.mapValues { Set($0).union(["type", "ts"]) }
        // CSV spells the nested match components as columns `components.<name>`.
        known[.match]!.formUnion(MatchComponents.fieldNames.map { "components." + $0 })
        return known
    }()

    /// `knownFields` as arrays, for allocation- and hash-free membership tests on the hot path.
    static let knownFieldLists: [[FieldName]] = EventType.allCases.map { type in
        knownFields[type]!.sorted().map { FieldName(rawValue: $0)! }
    }

    /// Validates `record`. `typeHint` is the event type a CSV file holds when
    /// its rows have no `type` column.
    public func decode(_ record: RawRecord, typeHint: EventType? = nil) -> Result<DecodedEvent, Rejection> {
        do {
            return .success(try decodeOrThrow(record, typeHint: typeHint))
        } catch {
            return .failure(error)
        }
    }

    func decodeOrThrow(_ record: RawRecord, typeHint: EventType?) throws(Rejection) -> DecodedEvent {
        try Self.screen(record)
        let r = FieldReader(record: record)
        let type: EventType
        if let raw = record.value(.type), raw != .null || typeHint == nil {
            guard case let .string(text) = raw else {
                try Self.screenUnknownFields(record, known: nil)
                throw Rejection(.wrongType, "field 'type' must be a string")
            }
            guard let t = EventType(name: text) else {
                try Self.screenUnknownFields(record, known: nil)
                throw Rejection(.unknownType, "unknown event type (expected one of \(EventType.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if let typeHint, t != typeHint {
                throw Rejection(.invalidValue, "field 'type' says \(t.rawValue) but this file holds \(typeHint.rawValue) events")
            }
            type = t
        } else if let typeHint {
            type = typeHint
        } else {
            try Self.screenUnknownFields(record, known: nil)
            throw Rejection(.missingField, "missing field 'type'")
        }
        let known = Self.knownFieldLists[type.index]
        let dropped = try Self.screenUnknownFields(record, known: known)
        let ts = try r.timestamp()
        let event: Event
        switch type {
        case .member:
            let consent = try r.optionalBool(.researchConsent) ?? true
            event = .member(MemberEvent(
                ts: ts, member: try r.id(.member), role: try r.enumeration(.role, Role.self),
                region: try r.region(), language: try r.language(),
                ageBand: try r.optionalEnumeration(.ageBand, AgeBand.self),
                gender: try r.optionalLabel(.gender), culture: try r.optionalLabel(.culture),
                conditions: try r.enumerationList(.conditions, Condition.self),
                resourceSetting: try r.optionalEnumeration(.resourceSetting, ResourceSetting.self),
                researchConsent: consent, cohort: try r.optionalLabel(.cohort)))
        case .message:
            event = .message(MessageEvent(
                ts: ts, id: try r.id(.id), member: try r.id(.member), space: try r.label(.space),
                thread: try r.id(.thread), replyTo: try r.optionalId(.replyTo),
                chars: try r.integer(.chars, in: 0...10_000_000)))
        case .score:
            event = .score(ScoreEvent(
                ts: ts, message: try r.id(.message), model: try r.label(.model), version: try r.label(.version),
                score: try r.number(.score, in: 0...1)))
        case .review:
            let severity = try r.optionalEnumeration(.severity, Severity.self)
            let positive = try r.optionalBool(.positive)
            guard severity != nil || positive != nil else {
                throw Rejection(.missingField, "a review needs 'severity' or 'positive'")
            }
            let weight = try r.optionalNumber(.weight, in: 0...Double.greatestFiniteMagnitude)
            if let weight, weight <= 0 {
                throw Rejection(.outOfRange, "weight \(EventJSON.number(weight)) must be greater than 0")
            }
            event = .review(ReviewEvent(
                ts: ts, message: try r.id(.message), kind: try r.enumeration(.kind, ReviewKind.self),
                severity: severity, positive: positive, reviewerRole: try r.label(.reviewerRole), weight: weight))
        case .alert:
            event = .alert(AlertEvent(
                ts: ts, id: try r.id(.id), message: try r.id(.message), member: try r.id(.member),
                model: try r.label(.model), version: try r.label(.version),
                score: try r.number(.score, in: 0...1), threshold: try r.number(.threshold, in: 0...1)))
        case .response:
            event = .response(ResponseEvent(
                ts: ts, alert: try r.id(.alert), responder: try r.id(.responder),
                responderRole: try r.enumeration(.responderRole, ResponderRole.self),
                outcome: try r.enumeration(.outcome, ResponseOutcome.self)))
        case .followup:
            event = .followup(FollowupEvent(ts: ts, alert: try r.id(.alert), completed: try r.bool(.completed)))
        case .moderation:
            let message = try r.optionalId(.message)
            let member = try r.optionalId(.member)
            guard message != nil || member != nil else {
                throw Rejection(.missingField, "a moderation needs 'message' or 'member'")
            }
            event = .moderation(ModerationEvent(
                ts: ts, id: try r.id(.id), message: message, member: member,
                action: try r.enumeration(.action, ModerationAction.self),
                layer: try r.enumeration(.layer, ModerationLayer.self),
                reason: try r.enumeration(.reason, ModerationReason.self)))
        case .appeal:
            event = .appeal(AppealEvent(ts: ts, moderation: try r.id(.moderation),
                                        outcome: try r.enumeration(.outcome, AppealOutcome.self)))
        case .match:
            event = .match(MatchEvent(
                ts: ts, id: try r.id(.id), seeker: try r.id(.seeker), peer: try r.id(.peer),
                kind: try r.enumeration(.kind, MatchKind.self), score: try r.number(.score, in: 0...1),
                components: try r.components(), accepted: try r.bool(.accepted)))
        case .matchEnd:
            event = .matchEnd(MatchEndEvent(
                ts: ts, match: try r.id(.match), sessions: try r.integer(.sessions, in: 0...100_000),
                rating: try r.optionalInteger(.rating, in: 1...5),
                reason: try r.enumeration(.reason, MatchEndReason.self)))
        case .groupSession:
            let focus = try r.label(.focus)
            guard focus == "general" || Condition(rawValue: focus) != nil else {
                throw Rejection(.invalidValue, "field 'focus' must be a condition (\(Condition.allCases.map(\.rawValue).joined(separator: "|"))) or general")
            }
            event = .groupSession(GroupSessionEvent(
                ts: ts, group: try r.id(.group), session: try r.id(.session),
                facilitator: try r.id(.facilitator), focus: focus, attendees: try r.idList(.attendees)))
        case .checkin:
            let name = try r.label(.instrument)
            guard let instrument = instruments[name] else {
                throw Rejection(.invalidValue, "field 'instrument' is not a known instrument (built in: \(Instrument.builtIn.map(\.name).joined(separator: ", ")); declare others in the project config)")
            }
            let score = try r.number(.score, in: instrument.minimum...instrument.maximum)
            var riskItem: Int? = nil
            if let item = instrument.riskItem {
                riskItem = try r.optionalInteger(.riskItem, in: 0...item.maximum)
                // The item is part of the total: an item score above the total is a recording error.
                if let riskItem, Double(riskItem) > score - instrument.minimum {
                    throw Rejection(.outOfRange, "risk_item \(riskItem) is more than the total score \(EventJSON.number(score)) allows")
                }
            } else if r.has(.riskItem) {
                throw Rejection(.invalidValue, "field 'risk_item' is defined only for instruments with a self-harm item (\(Instrument.riskItemInstruments)); \(name) has none (declare risk_item_maximum for it in the project config)")
            }
            event = .checkin(CheckinEvent(ts: ts, member: try r.id(.member), instrument: name, score: score, riskItem: riskItem))
        case .skill:
            event = .skill(SkillEvent(
                ts: ts, member: try r.id(.member), framework: try r.enumeration(.framework, SkillFramework.self),
                skill: try r.label(.skill), completed: try r.bool(.completed)))
        case .training:
            event = .training(TrainingEvent(ts: ts, member: try r.id(.member), course: try r.label(.course),
                                            completed: try r.bool(.completed)))
        case .activity:
            event = .activity(ActivityEvent(ts: ts, member: try r.id(.member),
                                            durationSeconds: try r.number(.durationS, in: 0...31_536_000)))
        }
        return DecodedEvent(event: event, droppedFields: dropped)
    }

    /// Refuses records with duplicate keys or personal data in any string value.
    static func screen(_ record: RawRecord) throws(Rejection) {
        let fields = record.fields
        for i in fields.indices {
            for j in 0..<i where fields[j].name == fields[i].name && (fields[i].name != nil || fields[j].key == fields[i].key) {
                throw Rejection(.duplicateField, "field '\(printableFieldName(fields[i].key))' appears more than once")
            }
            try screenValue(fields[i].value, key: fields[i].key)
        }
    }

    /// Refuses forbidden field names and prose among the fields not in `known`
    /// (nil: not known for any type); returns the names of the other unknown fields, which are dropped.
    @discardableResult
    static func screenUnknownFields(_ record: RawRecord, known: [FieldName]?) throws(Rejection) -> [String] {
        var dropped: [String] = []
        for i in record.fields.indices {
            if let name = record.fields[i].name, known?.contains(name) ?? true { continue }
            let field = record.fields[i]
            if field.value != .null, forbidden(field) {
                throw Rejection(.freeText, "field '\(printableFieldName(field.key))' carries free text or a personal identifier; PeerLens stores neither (remove the field before ingesting)")
            }
            if containsProse(field.value) {
                throw Rejection(.freeText, "field '\(printableFieldName(field.key))' looks like free text; PeerLens stores no free text")
            }
            dropped.append(printableFieldName(field.key))
        }
        return dropped
    }

    private static func forbidden(_ field: RawRecord.Field) -> Bool {
        if case let .string(s) = field.value, s.isEmpty { return false }
        return Anonymity.forbiddenFieldNames.contains(field.key.lowercased())
    }

    private static func containsProse(_ value: RawValue) -> Bool {
        switch value {
        case let .string(s): return Anonymity.looksLikeFreeText(s)
        case let .array(items): return items.contains(where: containsProse)
        case let .object(fields): return fields.contains { containsProse($0.value) }
        default: return false
        }
    }

    private static func screenValue(_ value: RawValue, key: String) throws(Rejection) {
        switch value {
        case var .string(s):
            if let finding = s.withUTF8({ Anonymity.personalData(in: $0) }) {
                throw Rejection(.personalData, "field '\(printableFieldName(key))' looks like \(finding.rawValue); PeerLens stores no personal data")
            }
        case let .array(items):
            for item in items { try screenValue(item, key: key) }
        case let .object(fields):
            for f in fields { try screenValue(f.value, key: key + "." + f.key) }
        default:
            break
        }
    }

    /// A field name safe to print: key-like names as they are, anything else replaced.
    static func printableFieldName(_ key: String) -> String {
        if key.utf8.count <= 64, key.utf8.allSatisfy({ $0 == 95 || $0 == 46 || $0 == 45 || ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) {
            return key
        }
        return "(unprintable field name)"
    }
}
