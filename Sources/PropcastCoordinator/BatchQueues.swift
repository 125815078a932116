/// A first-in first-out queue with O(1) amortised push and pop (an array and a head index,
/// compacted once the consumed half dominates).
struct FIFO<Element: Sendable>: Sendable {
    private var items: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }
    var first: Element? { isEmpty ? nil : items[head] }

    mutating func push(_ element: Element) { items.append(element) }

    mutating func pop() -> Element? {
        guard !isEmpty else { return nil }
        let element = items[head]
        head += 1
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }
}

/// Workers that may have a free credit, in round-robin order; each appears at most once.
/// Entries are checked lazily: a worker that lost its credit meanwhile is dropped when reached.
struct ReadyRing: Sendable {
    private var ring = FIFO<WorkerID>()
    private var members: Set<WorkerID> = []

    /// Puts `worker` at the back unless it is already waiting.
    mutating func offer(_ worker: WorkerID) {
        if members.insert(worker).inserted { ring.push(worker) }
    }

    /// The first waiting worker for which `hasCredit` holds; workers without are dropped.
    mutating func next(where hasCredit: (WorkerID) -> Bool) -> WorkerID? {
        while let worker = ring.pop() {
            members.remove(worker)
            if hasCredit(worker) { return worker }
        }
        return nil
    }
}
