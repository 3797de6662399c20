import Foundation
@testable import PeerLensStore
import ProcessTestSupport
import Synchronization
import Testing

@Suite("Read cache")
struct ReadCacheTests {
    struct Refused: Error {}
    final class Counter: Sendable { let reads = Atomic<Int>(0) }

    /// `valueOnce`: callers asking for the same key at the same time share one read; the others wait for its value.
    @Test func concurrentCallersShareOneRead() async {
        let cache = ReadCache()
        let counter = Counter()
        let values = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    await onOwnThread {
                        cache.valueOnce("answer") { () -> Int in
                            counter.reads.add(1, ordering: .relaxed)
                            Thread.sleep(forTimeInterval: 0.05)  // long enough for the others to arrive meanwhile
                            return 42
                        }
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(values == Array(repeating: 42, count: 8))
        #expect(counter.reads.load(ordering: .relaxed) == 1)
        #expect(cache.valueOnce("other") { 7 } == 7, "another key reads afresh")
    }

    /// A read that throws keeps nothing: the next caller reads again and its value is kept.
    @Test func aFailedReadIsNotKept() throws {
        let cache = ReadCache()
        #expect(throws: Refused.self) { try cache.valueOnce("answer") { () throws(Refused) -> Int in throw Refused() } }
        #expect(cache.cached("answer") as Int? == nil)
        #expect(try cache.valueOnce("answer") { () throws(Refused) -> Int in 1 } == 1)
        #expect(try cache.valueOnce("answer") { () throws(Refused) -> Int in throw Refused() } == 1, "the value kept, no second read")
    }

    /// `value` and `valueOnce` keep their values under the same keys; `cached` sees both.
    @Test func bothWaysShareTheEntries() {
        let cache = ReadCache()
        #expect(cache.value("a") { 1 } == 1)
        #expect(cache.valueOnce("a") { 2 } == 1)
        cache.store("b", "text")
        #expect(cache.cached("b") as String? == "text")
        #expect(cache.cached("b") as Int? == nil, "asked as another type: nothing")
    }
}
