/// A min-heap of pending window closes and purges, ordered by due time, then window start and end.
///
/// Items are validated when popped (the window may have been merged, extended or removed since).
struct CloseQueue {
    struct Item {
        var due: Int64
        var start: Int64
        var end: Int64
        var index: Int
        var generation: UInt32
        /// `true` for forgetting a closed window, `false` for closing an open one.
        var purge: Bool
    }

    private var items: [Item] = []

    var count: Int { items.count }

    var first: Item? { items.first }

    private static func less(_ a: Item, _ b: Item) -> Bool {
        if a.due != b.due { return a.due < b.due }
        if a.start != b.start { return a.start < b.start }
        return a.end < b.end
    }

    mutating func push(_ item: Item) {
        items.append(item)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.less(items[child], items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Item? {
        guard !items.isEmpty else { return nil }
        items.swapAt(0, items.count - 1)
        let top = items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < items.count && Self.less(items[left], items[smallest]) { smallest = left }
            if right < items.count && Self.less(items[right], items[smallest]) { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    mutating func removeAll() { items.removeAll() }
}
