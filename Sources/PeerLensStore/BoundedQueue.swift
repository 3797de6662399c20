import Foundation

/// A blocking first-in first-out queue of bounded capacity between one
/// producer thread and one consumer, so a fast reader cannot run ahead of the
/// database by more than `capacity` batches (memory stays bounded).
final class BoundedQueue<Element>: @unchecked Sendable {
    private var items: [Element] = []
    private var head = 0
    private let capacity: Int
    private var closed = false
    private let condition = NSCondition()

    init(capacity: Int) { self.capacity = capacity }

    /// Appends `item`, waiting while the queue is full. Returns false if the queue was closed.
    func put(_ item: Element) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        if closed { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// Removes the oldest item, waiting while empty; nil once closed and drained.
    func take() -> Element? {
        condition.lock(); defer { condition.unlock() }
        while items.count == head && !closed { condition.wait() }
        guard items.count > head else { return nil }
        let item = items[head]
        head += 1
        if head > 64 && head * 2 > items.count { items.removeFirst(head); head = 0 }
        condition.broadcast()
        return item
    }

    /// No more items will be put; wakes everyone.
    func close() {
        condition.lock(); closed = true; condition.broadcast(); condition.unlock()
    }
}
