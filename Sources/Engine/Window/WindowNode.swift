import JSON
import Timekeeping
import Topology

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The per-task state and logic of a window step.
///
/// Per record: evaluate the group key and aggregate inputs, assign windows, accumulate, maybe emit
/// early (threshold) or close (closeWhen). After each record that advances the partition's stream
/// time, windows whose end + grace the watermark passed are closed in a deterministic order
/// (due time, start, end, group key). Every emission carries the next revision and only what
/// accumulated since the previous emission of that window.
final class WindowNode: StepNode {
    var next: StepNode?
    let plan: WindowStepPlan
    let context: StepContext
    let counters: TaskCounters
    private let clock: TaskClock
    private let store: ChangelogStore
    let windows: LoggedStore<WindowState>
    private let metaMap: LoggedStore<WindowMeta>
    private let residues: ResidueBook
    // Unchecked exclusivity (no dynamic check per record): the node is confined to its task's thread, and no
    // access to these overlaps a call that reaches them again.
    @exclusivity(unchecked) private var queue = CloseQueue()
    /// Group key → entry indexes of its sessions (session windows only; rebuilt on restore).
    @exclusivity(unchecked) var sessions = ByteKeyMap<[Int]>()
    @exclusivity(unchecked) private var idleWatermark = Int64.min
    /// Stream time or the idle watermark moved since the meta entry was last written.
    @exclusivity(unchecked) private var metaChanged = false
    @exclusivity(unchecked) var generation: UInt32 = 0
    @exclusivity(unchecked) var groupKey: [UInt8] = []
    @exclusivity(unchecked) var storeKey: [UInt8] = []
    @exclusivity(unchecked) private var assigned: [WindowBounds] = []
    @exclusivity(unchecked) private var inputs: [Value] = []
    /// The event id of a foreign record (read into this buffer; canonical ids are read in place).
    @exclusivity(unchecked) private var eventIdScratch: [UInt8] = []
    let emission: RecordContext
    private let probe: WindowResult
    private let hasArgument: [Bool]
    /// The aggregate functions (shared by adding records and merging sessions).
    let aggregator: Aggregator
    /// The plan's key parts as plain views (no reference counting to read them per record); valid while `plan`,
    /// which this node holds, lives.
    private let groupView: KeyPlan.View
    private let argumentView: KeyPlan.View
    /// The plan's assigner for fixed windows (`nil` for sessions) and whether it needs the plant's zone, read
    /// once: `plan.kind` would be copied per record.
    private let fixedAssigner: WindowAssigner?
    private let needsZone: Bool
    private let utc = ZoneRules.utc

    private static let metaKey: [UInt8] = []

    init(plan: WindowStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
        counters = context.counters
        clock = context.clock
        store = ChangelogStore(name: plan.storeDestination.name, destination: plan.storeDestination)
        windows = store.makeMap(tag: 1)
        residues = ResidueBook(store: store.makeMap(tag: 2))
        metaMap = store.makeMap(tag: 0)
        emission = context.makeRecordContext()
        probe = WindowResult(
            bounds: WindowBounds(start: 0, end: 0), revision: 0, closedBy: .threshold, groupKey: [], groupValues: [],
            aggregates: [], sources: SourceSet(), fromOffset: 0, toOffset: 0, createdAt: 0)
        hasArgument = plan.hasArgument
        aggregator = Aggregator(functions: plan.functions, hasArgument: plan.hasArgument)
        groupView = plan.groupParts.view
        argumentView = plan.arguments.view
        if case .fixed(let assigner) = plan.kind { fixedAssigner = assigner } else { fixedAssigner = nil }
        needsZone = plan.needsZone
        probe.layout = plan.layout
        probe.residues = residues
        inputs = Array(repeating: .null, count: plan.functions.count)
    }

    /// Appends `value` as 8 sortable big-endian bytes (as ``StateWriter/write(bigEndian:)``).
    @inline(__always)
    static func appendBigEndian(_ value: Int64, to buffer: inout [UInt8]) {
        let bits = (UInt64(bitPattern: value) ^ (1 << 63)).bigEndian
        withUnsafeBytes(of: bits) { buffer.append(contentsOf: $0) }
    }

    var stores: [StateStore] { [store] }

    /// The watermark: stream time minus the allowed out-of-orderness, or the idle-advanced one.
    var watermark: Int64 {
        let streamTime = clock.streamTime
        let fromStream = streamTime == Int64.min ? Int64.min : streamTime - plan.outOfOrderness
        return max(fromStream, idleWatermark)
    }

    // MARK: Records

    func push(_ context: RecordContext) {
        // Group key and aggregate inputs first, so a bad record changes nothing. Buffers are swapped into
        // locals so the loops below mutate them without an exclusivity check per access.
        var key: [UInt8] = []
        var values: [Value] = []
        swap(&key, &groupKey)
        swap(&values, &inputs)
        key.removeAll(keepingCapacity: true)
        var closeNow = false
        var failure: RecordFailure?
        do throws(RecordFailure) {
            try groupView.append(context, separator: 0x1F, to: &key)
            for index in 0..<values.count where hasArgument[index] {
                let value = try argumentView.value(index, context)
                if plan.functions[index] == .sum, !value.isNull {
                    // Parsed once: `accumulate` adds the decimal as it is.
                    guard let number = value.decimal else {
                        throw RecordFailure(
                            .expressionType, "sum() of a non-number (aggregate \(plan.layout.aggregateNames[index]))")
                    }
                    values[index] = .decimal(number)
                } else {
                    values[index] = value
                }
            }
            if let closeWhen = plan.closeWhen { closeNow = try closeWhen(context).isTrue }
        } catch {
            failure = error
        }
        swap(&key, &groupKey)
        swap(&values, &inputs)
        if let failure {
            self.context.deadLetter(context, failure)
            return
        }
        if !needsZone {
            // No per-record copy of the zone (its tables would be retained and released).
            place(context, zone: utc, closeNow: closeNow)
        } else {
            var plantValue: Value = .null
            if let plant = plan.plant { plantValue = (try? plant(context)) ?? .null }
            guard let found = plan.calendar.zone(for: plantValue) else {
                self.context.deadLetter(
                    context,
                    RecordFailure(
                        .unknownPlant, path: "/plantId",
                        "plant \(plantValue.string ?? "null") is not in the plant calendar"))
                return
            }
            place(context, zone: found, closeNow: closeNow)
        }
        for index in inputs.indices { inputs[index] = .null }
    }

    /// Assigns the record to its windows and accumulates it.
    func place(_ context: RecordContext, zone: ZoneRules, closeNow: Bool) {
        if let fixedAssigner {
            assigned.removeAll(keepingCapacity: true)
            fixedAssigner.assign(context.eventTime, zone: zone, into: &assigned)
            var lateWindows: [WindowBounds] = []
            for bounds in assigned {
                if !accumulate(context, bounds: bounds, closeNow: closeNow) { lateWindows.append(bounds) }
            }
            if !lateWindows.isEmpty { handleLate(context, lateWindows) }
        } else if case .session(let gap, let split) = plan.kind {
            pushSession(context, gap: gap, split: split, zone: zone, closeNow: closeNow)
        }
    }

    /// Adds the record to the fixed window `bounds`; returns `false` when the window is late.
    func accumulate(_ context: RecordContext, bounds: WindowBounds, closeNow: Bool) -> Bool {
        var key: [UInt8] = []
        swap(&key, &storeKey)
        key.removeAll(keepingCapacity: true)
        Self.appendBigEndian(bounds.start, to: &key)
        Self.appendBigEndian(bounds.end, to: &key)
        key.append(contentsOf: groupKey)
        swap(&key, &storeKey)
        let index: Int
        if let existing = storeKey.withUnsafeBytes({ windows.index(of: $0) }) {
            guard !windows[existing].closed else { return false }
            index = existing
        } else {
            guard bounds.end + plan.grace > watermark else { return false }
            index = insertWindow(bounds, context)
        }
        add(context, to: index)
        afterAdd(index, closeNow: closeNow)
        return true
    }

    func insertWindow(_ bounds: WindowBounds, _ context: RecordContext) -> Int {
        var groupValues: [StoredValue] = []
        groupValues.reserveCapacity(groupView.parts.count)
        for index in 0..<groupView.parts.count {
            groupValues.append(((try? groupView.value(index, context)) ?? .null).stored())
        }
        var state = WindowState(bounds: bounds, groupValues: groupValues, aggregateCount: plan.functions.count)
        generation &+= 1
        state.generation = generation
        let index = windows.insert(storeKey, value: state)
        schedule(index, due: bounds.end + plan.grace, purge: false)
        return index
    }

    func schedule(_ index: Int, due: Int64, purge: Bool) {
        let bounds = windows[index].bounds
        let generation = windows[index].generation
        queue.push(
            CloseQueue.Item(
                due: due, start: bounds.start, end: bounds.end, index: index, generation: generation, purge: purge))
    }

    /// Accumulates the current inputs into the window at `index`.
    func add(_ context: RecordContext, to index: Int) {
        let time = context.eventTime
        let aggregator = self.aggregator
        windows.update(at: index) { state in
            aggregator.accumulate(&state, inputs: inputs, time: time)
            state.count += 1
            if context.offset < state.fromOffset { state.fromOffset = context.offset }
            if context.offset > state.toOffset { state.toOffset = context.offset }
            if time > state.maxEventTime { state.maxEventTime = time }
            if plan.needsSources, let event = context.event {
                let identity = context.identity
                if identity.isCanonical {
                    if let id = event.member("eventId") { _ = id.withUnescapedBytes { state.sources.add($0) } }
                } else {
                    eventIdScratch.removeAll(keepingCapacity: true)
                    identity.appendEventId(of: context, to: &eventIdScratch)
                    eventIdScratch.withUnsafeBytes { state.sources.add($0) }
                }
                if state.correlationId.isEmpty {
                    identity.appendCorrelationId(of: context, to: &state.correlationId)
                }
            }
        }
    }

    /// Threshold and `closeWhen` after a record was added.
    func afterAdd(_ index: Int, closeNow: Bool) {
        if closeNow {
            close(index, closedBy: .final)
            return
        }
        if let emitEarly = plan.emitEarly {
            let state = windows[index]
            probe.bounds = state.bounds
            probe.revision = state.revision
            probe.groupKey = groupKey
            probe.groupValues = state.groupValues
            probe.aggregates = state.aggregates
            emission.reset()
            emission.window = probe
            let fire = (try? emitEarly(emission).isTrue) ?? false
            probe.groupValues = []
            probe.aggregates = []
            emission.window = nil
            if fire { emit(index, closedBy: .threshold) }
        }
    }

    // MARK: Emitting and closing

    /// Emits what accumulated in the window at `index` (if anything) and starts a new revision (`reset`: false
    /// when the window is forgotten right after, so its accumulation need not be cleared).
    func emit(_ index: Int, closedBy: WindowResult.ClosedBy, reset: Bool = true) {
        guard windows[index].count > 0 else { return }
        let key = windows.key(at: index)
        let overflow = windows[index].overflow
        let result: WindowResult = windows.update(at: index) { state in
            let result = WindowResult(
                bounds: state.bounds, revision: state.revision, closedBy: closedBy, groupKey: Self.groupKey(of: key),
                groupValues: state.groupValues, aggregates: state.aggregates, sources: state.sources,
                fromOffset: state.fromOffset, toOffset: state.toOffset, createdAt: state.maxEventTime)
            result.correlationId = state.correlationId
            state.revision += 1
            if reset { state.resetAccumulation() }
            return result
        }
        guard overflow < 0 else { return deadLetterOverflow(result, aggregate: overflow) }
        deliver(result)
    }

    /// An emission whose aggregate did not fit: a `DECIMAL_OVERFLOW` dead letter of the window result.
    func deadLetterOverflow(_ result: WindowResult, aggregate index: Int) {
        result.layout = plan.layout
        result.residues = residues
        emission.reset()
        emission.window = result
        emission.eventTime = result.bounds.end - 1
        emission.offset = result.toOffset
        emission.pipeline = context.pipeline
        context.deadLetter(
            emission,
            RecordFailure(
                .decimalOverflow, path: "/\(plan.layout.aggregateNames[index])",
                "\(plan.functions[index].rawValue)() of \(plan.layout.aggregateNames[index]) exceeds 38 digits in window "
                    + "\(result.bounds) revision \(result.revision)"))
        emission.window = nil
    }

    func deliver(_ result: WindowResult) {
        result.layout = plan.layout
        result.residues = residues
        counters.metrics.windowEmissions += 1
        emission.reset()
        emission.window = result
        emission.eventTime = result.bounds.end - 1
        emission.offset = result.toOffset
        emission.pipeline = context.pipeline
        next?.push(emission)
        emission.window = nil
    }

    /// The group key part of a store key (fixed windows: after 16 bytes of bounds).
    static func groupKey(of storeKey: [UInt8]) -> [UInt8] {
        Array(storeKey.dropFirst(16))
    }

    /// Closes the window: emits the remainder, then remembers it (post_delta) or forgets it.
    func close(_ index: Int, closedBy: WindowResult.ClosedBy) {
        let bounds = windows[index].bounds
        let forgetAt = bounds.end + plan.grace + (plan.late == .postDelta ? plan.retention : 0)
        // Emitting moves no watermark (later steps do not change the task's stream time).
        let forget = forgetAt <= watermark
        emit(index, closedBy: closedBy, reset: !forget)
        if forget {
            removeWindow(index)
        } else {
            windows.update(at: index) { $0.closed = true }
            schedule(index, due: forgetAt, purge: true)
        }
    }

    /// Closes and forgets every window whose due time the watermark passed.
    func closeDue(closedBy: WindowResult.ClosedBy) {
        let watermark = self.watermark
        var due: [CloseQueue.Item] = []
        while let first = queue.first, first.due <= watermark {
            due.append(queue.pop()!)
        }
        guard !due.isEmpty else { return }
        if due.count > 1 {
            // Deterministic order: due time, start, end, then the group key (fetched once per item).
            let keyed = due.map { item in (item, windows.isLive(item.index) ? windows.key(at: item.index) : []) }
            due = keyed.sorted { a, b in
                if a.0.due != b.0.due { return a.0.due < b.0.due }
                if a.0.start != b.0.start { return a.0.start < b.0.start }
                if a.0.end != b.0.end { return a.0.end < b.0.end }
                return Self.bytesPrecede(a.1, b.1)
            }.map(\.0)
        }
        for item in due {
            guard windows.isLive(item.index) else { continue }
            let (generation, bounds, closed) = (
                windows[item.index].generation, windows[item.index].bounds, windows[item.index].closed
            )
            guard generation == item.generation, bounds.start == item.start, bounds.end == item.end else { continue }
            if item.purge {
                guard closed else { continue }
                removeWindow(item.index)
            } else if !closed {
                close(item.index, closedBy: closedBy)
            }
        }
    }

    /// Byte-wise ordering of two keys (memcmp, then length).
    static func bytesPrecede(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                let count = min(left.count, right.count)
                if count > 0, let l = left.baseAddress, let r = right.baseAddress {
                    let order = memcmp(l, r, count)
                    if order != 0 { return order < 0 }
                }
                return left.count < right.count
            }
        }
    }

    func removeWindow(_ index: Int) {
        if case .session = plan.kind { unindexSession(index) }
        windows.remove(at: index)
    }

    func streamTimeAdvanced() {
        metaChanged = true
        closeDue(closedBy: .watermark)
    }

    func prepareFlush() {
        if metaChanged { updateMeta() }
    }

    func wallClockAdvanced(_ now: Int64) {
        guard let timeout = plan.idleTimeout, now - clock.lastActivity >= timeout else { return }
        let candidate = now - plan.outOfOrderness
        guard candidate > idleWatermark else { return }
        idleWatermark = candidate
        metaChanged = true
        closeDue(closedBy: .idle)
    }

    func updateMeta() {
        metaChanged = false
        let meta = WindowMeta(streamTime: clock.streamTime, idleWatermark: idleWatermark)
        if let index = Self.metaKey.withUnsafeBytes({ metaMap.index(of: $0) }) {
            metaMap.update(at: index) { $0 = meta }
        } else {
            metaMap.insert(Self.metaKey, value: meta)
        }
    }

    func stateRestored() {
        if let index = Self.metaKey.withUnsafeBytes({ metaMap.index(of: $0) }) {
            let meta = metaMap[index]
            idleWatermark = max(idleWatermark, meta.idleWatermark)
            clock.recover(streamTime: meta.streamTime)
        }
        queue.removeAll()
        sessions = ByteKeyMap()
        for index in windows.indexes {
            generation &+= 1
            let current = generation
            windows.updateUnlogged(at: index) { $0.generation = current }
            let state = windows[index]
            if state.closed {
                let forgetAt = state.bounds.end + plan.grace + (plan.late == .postDelta ? plan.retention : 0)
                schedule(index, due: forgetAt, purge: true)
            } else {
                schedule(index, due: state.bounds.end + plan.grace, purge: false)
                if case .session = plan.kind { indexSession(index) }
            }
        }
    }
}
