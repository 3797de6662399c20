import Testing
@testable import PeerLensLog

@Suite("Log format v1 decoding")
struct EventDecoderTests {
    @Test("Every event type in the example file is accepted")
    func everyTypeAccepted() throws {
        let results = try readAll(fixture("all-types.jsonl"))
        let events = try results.map { try $0.result.get().event }
        #expect(Set(events.map(\.type)) == Set(EventType.allCases))
        #expect(events.count == 18)
    }

    @Test("Fields are read into the typed event")
    func fieldsRead() throws {
        let events = try readAll(fixture("all-types.jsonl")).map { try $0.result.get().event }
        guard case let .member(m) = events[0] else { Issue.record("first event is not a member"); return }
        #expect(m.member == "m0001")
        #expect(m.role == .seeker)
        #expect(m.conditions == [.depression, .anxiety])
        #expect(m.ageBand == .a25to34)
        #expect(m.ts == Timestamp(rfc3339: "2026-01-05T09:00:00Z"))
        guard case let .member(m2) = events[1] else { Issue.record("second event is not a member"); return }
        #expect(m2.researchConsent == true, "research_consent defaults to true")
        guard case let .message(reply) = events[3] else { Issue.record("not a message"); return }
        #expect(reply.replyTo == "msg0001")
        guard case let .match(match) = events[11] else { Issue.record("not a match"); return }
        #expect(match.components.supportStyle == 0.7)
        #expect(match.components.availability == 1)
        guard case let .review(review) = events[5] else { Issue.record("not a review"); return }
        #expect(review.severity == .high)
        #expect(review.positive == nil)
        #expect(review.weight == 2.5)
    }

    /// Each line of rejections.jsonl and the reason it must get.
    static let expectedRejections: [(line: Int, category: Rejection.Category, message: String)] = [
        (1, .malformed, "malformed JSON"),
        (2, .wrongType, "field 'score' must be a number, not a string"),
        (3, .missingField, "missing field 'message'"),
        (4, .outOfRange, "score 1.7 is outside [0,1]"),
        (5, .unknownType, "unknown event type"),
        (6, .freeText, "field 'text' carries free text"),
        (7, .personalData, "field 'cohort' looks like an e-mail address"),
        (8, .personalData, "field 'member' looks like a phone number"),
        (9, .personalData, "field 'culture' looks like a URL"),
        (10, .invalidTimestamp, "field 'ts' is not an RFC 3339 date-time"),
        (11, .duplicateField, "field 'message' appears more than once"),
        (12, .invalidValue, "field 'role' must be one of seeker|peer|listener|moderator|professional"),
        (13, .invalidValue, "field 'member' is not an opaque pseudonym"),
        (14, .freeText, "field 'mood_note' looks like free text"),
        (15, .malformed, "a record must be a JSON object"),
    ]

    @Test("Every rejection reason, with its line and a message a person understands", arguments: expectedRejections)
    func rejection(line: Int, category: Rejection.Category, message: String) throws {
        let results = try readAll(fixture("rejections.jsonl"))
        let result = try #require(results.first { $0.line == line })
        guard case let .failure(rejection) = result.result else {
            Issue.record("line \(line) was accepted")
            return
        }
        #expect(rejection.category == category)
        #expect(rejection.message.hasPrefix(message), "got: \(rejection.message)")
    }

    @Test("Rejection messages never repeat string values from the record")
    func noValueEcho() throws {
        let secrets = ["I feel awful", "alice@example.org", "7946", "www.example.org", "yesterday", "supporter", "slept badly"]
        for (_, result) in try readAll(fixture("rejections.jsonl")) {
            guard case let .failure(rejection) = result else { continue }
            for secret in secrets { #expect(!rejection.message.contains(secret)) }
        }
    }

    @Test("Unknown fields are dropped and named")
    func unknownFieldsDropped() throws {
        let path = temporaryFile(#"{"type":"activity","ts":"2026-01-05T10:30:00Z","member":"m1","duration_s":60,"client":"ios","x_flag":true}"# + "\n")
        let decoded = try #require(try readAll(path).first).result.get()
        #expect(decoded.droppedFields == ["client", "x_flag"])
    }

    @Test("A review needs severity or positive; a moderation needs message or member")
    func requiredAlternatives() throws {
        let path = temporaryFile("""
        {"type":"review","ts":"2026-01-05T12:00:00Z","message":"msg1","kind":"toxicity","reviewer_role":"moderator"}
        {"type":"moderation","ts":"2026-01-05T12:00:00Z","id":"mod1","action":"warn","layer":"peer","reason":"spam"}
        {"type":"review","ts":"2026-01-05T12:00:00Z","message":"msg1","kind":"toxicity","positive":false,"reviewer_role":"moderator"}
        """)
        let results = try readAll(path)
        #expect(results.count == 3)
        if case let .failure(r) = results[0].result { #expect(r.category == .missingField) } else { Issue.record("review without judgement accepted") }
        if case let .failure(r) = results[1].result { #expect(r.category == .missingField) } else { Issue.record("moderation without target accepted") }
        #expect((try? results[2].result.get()) != nil)
    }

    @Test("Check-in scores must lie in the instrument's range; declared instruments are accepted")
    func instruments() throws {
        let path = temporaryFile("""
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":28}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"ORS","score":31.5}
        """)
        let plain = try readAll(path)
        if case let .failure(r) = plain[0].result { #expect(r.message == "score 28 is outside [0,27]") } else { Issue.record("PHQ-9 28 accepted") }
        if case let .failure(r) = plain[1].result { #expect(r.category == .invalidValue) } else { Issue.record("undeclared instrument accepted") }
        let declared = EventDecoder(instruments: InstrumentCatalog(declared: [Instrument(name: "ORS", minimum: 0, maximum: 40)]))
        #expect((try? readAll(path, decoder: declared)[1].result.get()) != nil)
    }

    @Test("Integers must be whole; booleans must be booleans")
    func scalarTypes() throws {
        let path = temporaryFile("""
        {"type":"message","ts":"2026-01-05T10:00:00Z","id":"a","member":"m","space":"general","thread":"t","chars":2.5}
        {"type":"followup","ts":"2026-01-05T10:00:00Z","alert":"a","completed":"yes"}
        """)
        let results = try readAll(path)
        if case let .failure(r) = results[0].result { #expect(r.message == "field 'chars' must be a whole number") } else { Issue.record("2.5 chars accepted") }
        if case let .failure(r) = results[1].result { #expect(r.message == "field 'completed' must be true or false, not a string") } else { Issue.record("string bool accepted in JSON") }
    }
}
