import Foundation
import Testing
@testable import PeerLensLog

/// The adapter on real community data (Stack Exchange History Meta, text removed; see Fixtures/stackexchange).
/// Expected counts were taken from the CSV files with Python's csv module: 40 users, 15 questions,
/// 25 answers (all to questions in the sample), 40 comments (all on those posts).
@Suite("Stack Exchange adapter")
struct StackExchangeAdapterTests {
    @Test("Every user, question, answer and comment becomes an event; all pass validation")
    func sample() throws {
        let (events, summary) = try StackExchangeAdapter.events(from: fixture("stackexchange"))
        #expect(summary.written["member"] == 41, "40 users and the placeholder for deleted users")
        #expect(summary.written["message"] == 15 + 25 + 40)
        #expect(summary.skipped.isEmpty)
        var previous = Timestamp(microseconds: .min)
        for event in events {
            #expect(event.ts >= previous)
            previous = event.ts
            // Round trip through the writer and the validator: nothing the adapter writes is refused.
            let path = temporaryFile(EventJSON.line(for: event) + "\n")
            #expect((try? readAll(path).first?.result.get()) != nil)
        }
        let replies = events.compactMap { e -> MessageEvent? in if case let .message(m) = e, m.replyTo != nil { m } else { nil } }
        #expect(replies.count == 65)
        let openers = Set(events.compactMap { e -> String? in if case let .message(m) = e, m.replyTo == nil { m.thread } else { nil } })
        #expect(replies.allSatisfy { openers.contains($0.thread) }, "every reply sits in a question's thread")
    }

    @Test("A missing file is a clear error naming it")
    func missing() {
        #expect(throws: StackExchangeAdapter.AdapterError.self) { _ = try StackExchangeAdapter.events(from: "/nonexistent") }
    }
}
