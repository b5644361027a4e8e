import Timekeeping

/// Late events (`late:` policy): a record for a window that is closed, or whose `end + grace` the watermark
/// already passed.
extension WindowNode {
    func handleLate(_ context: RecordContext, _ late: [WindowBounds]) {
        switch plan.late {
        case .drop:
            counters.metrics.lateDropped += 1
        case .deadLetter:
            self.context.deadLetter(
                context,
                RecordFailure(
                    .lateEvent, path: plan.eventTimePointer,
                    "window \(late[0]) already closed (watermark \(RFC3339.string(watermark)))"))
        case .postDelta:
            for bounds in late { postDelta(context, bounds: bounds) }
        }
    }

    /// Emits the late record alone as an additional result with the window's next revision.
    func postDelta(_ context: RecordContext, bounds: WindowBounds) {
        let index: Int
        if let existing = storeKey(for: bounds).withUnsafeBytes({ windows.index(of: $0) }) {
            index = existing
        } else {
            guard bounds.end + plan.grace + plan.retention > watermark else {
                self.context.deadLetter(
                    context,
                    RecordFailure(
                        .windowExpired, path: plan.eventTimePointer,
                        "window \(bounds) is older than the late-event retention"))
                return
            }
            storeKey = storeKey(for: bounds)
            index = insertWindow(bounds, context)
            windows.update(at: index) { $0.closed = true }
            schedule(index, due: bounds.end + plan.grace + plan.retention, purge: true)
        }
        counters.metrics.lateDeltas += 1
        windows.update(at: index) { $0.resetAccumulation() }
        add(context, to: index)
        emit(index, closedBy: .late)
    }

    func storeKey(for bounds: WindowBounds) -> [UInt8] {
        var key: [UInt8] = []
        Self.appendBigEndian(bounds.start, to: &key)
        Self.appendBigEndian(bounds.end, to: &key)
        key.append(contentsOf: groupKey)
        return key
    }
}
