import Timekeeping

/// Session windows (`session: { gap }`): a record joins its key's session when it lies within `gap` of it,
/// bridging records merge sessions, and a session ends `gap` after its last record (never across local
/// midnight with `splitAtLocalMidnight`).
extension WindowNode {
    func indexSession(_ index: Int) {
        let key = Self.groupKey(of: windows.key(at: index))
        if let slot = sessions.index(of: key) {
            sessions[slot].append(index)
        } else {
            sessions.insert(key, value: [index])
        }
    }

    func unindexSession(_ index: Int) {
        let key = Self.groupKey(of: windows.key(at: index))
        guard let slot = sessions.index(of: key) else { return }
        sessions[slot].removeAll { $0 == index }
        if sessions[slot].isEmpty { sessions.remove(at: slot) }
    }

    func pushSession(_ context: RecordContext, gap: Int64, split: Bool, zone: ZoneRules, closeNow: Bool) {
        let time = context.eventTime
        var day = (start: Int64.min, end: Int64.max)
        if split { day = zone.localDayBounds(at: time) }
        let candidates = (groupKey.withUnsafeBytes { sessions.index(of: $0) }.map { sessions[$0] } ?? []).filter {
            let bounds = windows[$0].bounds
            return time >= bounds.start - gap && time < bounds.end && bounds.start >= day.start
                && bounds.start < day.end
        }
        let proposed = WindowBounds(start: time, end: min(time + gap, day.end))
        if candidates.isEmpty {
            guard proposed.end + plan.grace > watermark else {
                handleLate(context, [proposed])
                return
            }
            storeKey = storeKey(for: proposed)
            let index = insertWindow(proposed, context)
            indexSession(index)
            add(context, to: index)
            afterAdd(index, closeNow: closeNow)
            return
        }
        var ordered = candidates.sorted { windows[$0].bounds < windows[$1].bounds }
        var target = ordered.removeFirst()
        // Merge later sessions bridged by this record into the earliest one.
        for other in ordered {
            let merged = windows[other]
            unindexSession(other)
            windows.remove(at: other)
            let aggregator = self.aggregator
            windows.update(at: target) { state in aggregator.merge(merged, into: &state) }
        }
        var bounds = windows[target].bounds
        bounds.start = min(bounds.start, time)
        bounds.end = min(max(bounds.end, time + gap), day.end)
        if bounds != windows[target].bounds {
            target = rekey(target, to: bounds)
        }
        add(context, to: target)
        schedule(target, due: bounds.end + plan.grace, purge: false)
        afterAdd(target, closeNow: closeNow)
    }

    /// Moves a session to new bounds (its store key contains them).
    func rekey(_ index: Int, to bounds: WindowBounds) -> Int {
        var state = windows[index]
        unindexSession(index)
        windows.remove(at: index)
        state.bounds = bounds
        generation &+= 1
        state.generation = generation
        storeKey = storeKey(for: bounds)
        let moved = windows.insert(storeKey, value: state)
        indexSession(moved)
        return moved
    }
}
