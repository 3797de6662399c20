import Foundation
import Testing
@testable import PeerLensLog

@Suite("Check-in risk_item (the instrument's self-harm item)")
struct RiskItemDecodingTests {
    /// The check-in of one result, or nil when refused.
    func checkin(_ result: Result<DecodedEvent, Rejection>) -> CheckinEvent? {
        guard case let .success(decoded) = result, case let .checkin(c) = decoded.event else { return nil }
        return c
    }

    func rejection(_ result: Result<DecodedEvent, Rejection>) -> Rejection? {
        if case let .failure(r) = result { return r }
        return nil
    }

    @Test("JSON Lines: PHQ-9 item 9 (0–3) and CORE-10 item 6 (0–4) are read; absent and null mean not reported")
    func accepted() throws {
        let path = temporaryFile("""
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":17,"risk_item":2}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"CORE-10","score":22,"risk_item":4}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":17}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":17,"risk_item":null}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":3,"risk_item":3.0}
        """)
        let results = try readAll(path)
        #expect(results.map { checkin($0.result)?.riskItem } == [2, 4, nil, nil, 3])
        #expect(results.allSatisfy { (try? $0.result.get().droppedFields) == [] })
    }

    /// Each refused line, the category and the message (which names the rule, never a string from the record).
    static let refused: [(line: String, category: Rejection.Category, message: String)] = [
        (#""instrument":"PHQ-9","score":20,"risk_item":4"#, .outOfRange, "risk_item 4 is outside [0,3]"),
        (#""instrument":"CORE-10","score":30,"risk_item":5"#, .outOfRange, "risk_item 5 is outside [0,4]"),
        (#""instrument":"PHQ-9","score":20,"risk_item":-1"#, .outOfRange, "risk_item -1 is outside [0,3]"),
        (#""instrument":"PHQ-9","score":20,"risk_item":1.5"#, .wrongType, "field 'risk_item' must be a whole number"),
        (#""instrument":"PHQ-9","score":20,"risk_item":"2""#, .wrongType, "field 'risk_item' must be a number, not a string"),
        (#""instrument":"PHQ-9","score":20,"risk_item":true"#, .wrongType, "field 'risk_item' must be a number, not a boolean"),
        (#""instrument":"PHQ-9","score":1,"risk_item":2"#, .outOfRange, "risk_item 2 is more than the total score 1 allows"),
        (#""instrument":"GAD-7","score":12,"risk_item":1"#, .invalidValue,
         "field 'risk_item' is defined only for instruments with a self-harm item (PHQ-9 item 9 (0–3), CORE-10 item 6 (0–4)); GAD-7 has none (declare risk_item_maximum for it in the project config)"),
        (#""instrument":"WEMWBS","score":40,"risk_item":0"#, .invalidValue,
         "field 'risk_item' is defined only for instruments with a self-harm item (PHQ-9 item 9 (0–3), CORE-10 item 6 (0–4)); WEMWBS has none (declare risk_item_maximum for it in the project config)"),
    ]

    @Test("Out of range, not an integer, above the total, or on an instrument without the item: refused with the rule", arguments: refused)
    func refusedRecord(fields: String, category: Rejection.Category, message: String) throws {
        let path = temporaryFile(#"{"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","# + fields + "}\n")
        let results = try readAll(path)
        let r = try #require(rejection(results[0].result), "accepted: \(fields)")
        #expect(r.category == category)
        #expect(r.message == message)
        #expect(results[0].line == 1)
    }

    @Test("CSV: a risk_item column is read; an empty cell is not reported; refusals name the line")
    func csv() throws {
        let path = temporaryFile("""
        ts,member,instrument,score,risk_item
        2026-01-05T09:10:00Z,m1,PHQ-9,17,2
        2026-01-05T09:10:00Z,m1,PHQ-9,17,
        2026-01-05T09:10:00Z,m1,CORE-10,25,4
        2026-01-05T09:10:00Z,m1,PHQ-9,17,1.5
        2026-01-05T09:10:00Z,m1,GAD-7,12,1
        2026-01-05T09:10:00Z,m1,PHQ-9,17,7

        """, name: "checkin.csv")
        let results = try readAll(path)
        #expect(results.map(\.line) == [2, 3, 4, 5, 6, 7])
        #expect(results.prefix(3).map { checkin($0.result)?.riskItem } == [2, nil, 4])
        #expect(rejection(results[3].result)?.message == "field 'risk_item' must be a whole number")
        #expect(rejection(results[4].result)?.category == .invalidValue)
        #expect(rejection(results[5].result)?.message == "risk_item 7 is outside [0,3]")
    }

    @Test("A declared instrument may have a self-harm item; redeclaring PHQ-9 keeps item 9")
    func declared() throws {
        let config = ProjectConfig(instruments: [
            .init(name: "ORS", minimum: 0, maximum: 40, riskItemMaximum: 2, riskItemLabel: "item 4"),
            .init(name: "PHQ-9", minimum: 0, maximum: 27, reliability: 0.84),
            .init(name: "K6", minimum: 0, maximum: 24),
        ])
        let catalog = config.catalog()
        #expect(catalog["ORS"]?.riskItem == Instrument.RiskItem(label: "item 4", maximum: 2))
        #expect(catalog["PHQ-9"]?.riskItem == Instrument.RiskItem(label: "item 9", maximum: 3))
        #expect(catalog["K6"]?.riskItem == nil)
        let path = temporaryFile("""
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"ORS","score":20,"risk_item":2}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"ORS","score":20,"risk_item":3}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":20,"risk_item":3}
        {"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"K6","score":20,"risk_item":1}
        """)
        let results = try readAll(path, decoder: config.decoder())
        #expect(checkin(results[0].result)?.riskItem == 2)
        #expect(rejection(results[1].result)?.message == "risk_item 3 is outside [0,2]")
        #expect(checkin(results[2].result)?.riskItem == 3)
        #expect(rejection(results[3].result)?.category == .invalidValue)
    }

    @Test("A configuration with a bad risk_item_maximum is refused, naming the instrument")
    func badDeclaration() throws {
        let path = temporaryFile(#"{"instruments":[{"name":"ORS","minimum":0,"maximum":40,"risk_item_maximum":0}]}"#, name: "peerlens.json")
        #expect(throws: ConfigError.self) { try ProjectConfig.load(path: path) }
        do { _ = try ProjectConfig.load(path: path) } catch { #expect("\(error)".contains("instrument ORS: risk_item_maximum")) }
    }

    @Test("EventJSON writes risk_item after score, and only when reported")
    func written() {
        let ts = Timestamp(rfc3339: "2026-01-05T09:10:00Z")!
        #expect(EventJSON.line(for: .checkin(CheckinEvent(ts: ts, member: "m1", instrument: "PHQ-9", score: 17, riskItem: 1)))
                == #"{"type":"checkin","ts":"2026-01-05T09:10:00Z","member":"m1","instrument":"PHQ-9","score":17,"risk_item":1}"#)
        #expect(!EventJSON.line(for: .checkin(CheckinEvent(ts: ts, member: "m1", instrument: "PHQ-9", score: 17))).contains("risk_item"))
    }
}
