import Engine
import KafkaClient
import Logging
import Topology

/// The processing thread of one instance (Kafka Streams' `StreamThread`): one group consumer, one producer,
/// one engine with a task per assigned partition, one commit point.
///
/// Loop: poll a batch (rebalances are handled synchronously inside the poll) → hand each partition's run of
/// records to its task while the fetch buffers are borrowed → apply table rows the tasks wrote → apply new
/// global-table records → serve delivery reports → every `commitInterval` flush the changelogs and commit
/// (at-least-once: offsets of fully acknowledged generations; exactly-once: a transaction with the offsets)
/// → every tick advance the wall clock of idle partitions.
///
/// - Important: Created, run and dropped on one dedicated thread (``ProcessorService`` uses a
///   ``KafkaClient/KafkaThread``); nothing here is shared with other threads except ``RuntimeMetrics`` and
///   the ``StopSignal``.
final class StreamProcessor {
    /// The task of one assigned partition and its positions.
    private final class PartitionState {
        let key: KafkaTopicPartition
        let task: PartitionTask
        /// Whether pipelines of this source write table rows (then records are processed one at a time so
        /// that each row is applied before the next record, as in the test driver).
        let writesTables: Bool
        /// The next offset to process (after the last processed record); -1 when not known yet.
        var position: Int64
        /// The last offset committed (or sent in a committed transaction); -1 when none.
        var committed: Int64

        init(key: KafkaTopicPartition, task: PartitionTask, writesTables: Bool, committed: Int64) {
            self.key = key
            self.task = task
            self.writesTables = writesTables
            position = committed
            self.committed = committed
        }
    }

    private let plan: RuntimePlan
    private let configuration: RuntimeConfiguration
    private let logger: Logger
    private let metrics: RuntimeMetrics
    private let stop: StopSignal
    private let exactlyOnce: Bool
    private let commitInterval: Duration
    private let clock = SystemClock()
    private let engine: Engine
    private let tracker: DeliveryTracker
    private let producer: KafkaProducer
    private let sink: ProducerSink
    private let consumer: KafkaConsumer
    private let restorer: ChangelogRestorer
    private let tableFeed: GlobalTableFeed?
    private let sourceTopics: [String]
    private let tableWritingSources: Set<String>

    private var partitions: [KafkaTopicPartition: PartitionState] = [:]
    /// `partitions` by (interned topic index << 32 | partition); cleared whenever tasks are created or removed.
    private var tasksByIndex: [Int64: PartitionState] = [:]
    private var ordered: [PartitionState] = []
    private var fatal: RuntimeError?
    private var failed = false
    private var hasAssignment = false
    private var dirty = false
    private var lastActivity = ContinuousClock.now
    private var retired = TaskMetrics()
    private var restoredRecords = 0
    private var commits = 0
    private var processedRecords = 0
    // Per-run scratch, reused. Unchecked exclusivity: only `run` touches them, on the processing thread, and
    // nothing it calls re-enters it.
    @exclusivity(unchecked) private var inputs: [InputRecord] = []
    @exclusivity(unchecked) private var headerScratch: [RecordHeader] = []
    @exclusivity(unchecked) private var headerSpans: [(start: Int, count: Int)] = []

    /// Builds the engine, checks (and creates) topics, starts the clients and loads the global tables.
    ///
    /// - Parameters:
    ///   - plan: The loaded plan.
    ///   - metrics: Where statistics are published.
    ///   - stop: Set to stop after the current batch.
    ///   - logger: The runtime's logger.
    /// - Throws: ``RuntimeError`` for anything that stops start-up.
    init(plan: RuntimePlan, metrics: RuntimeMetrics, stop: StopSignal, logger: Logger) throws(RuntimeError) {
        self.plan = plan
        configuration = plan.configuration
        self.logger = logger
        self.metrics = metrics
        self.stop = stop
        exactlyOnce = plan.guarantee == .exactlyOnce
        commitInterval = plan.commitInterval
        engine = try plan.makeEngine(logger: logger)
        sourceTopics = engine.sourceTopics
        tableWritingSources = Self.tableWritingSources(plan.topology)
        let origin = "\(configuration.instanceID)-\(UInt64.random(in: 0...UInt64.max))"
        do {
            let admin = try KafkaAdmin(configuration: KafkaPropertyScope.forProducer(plan.kafka), logger: logger)
            let counts = try TopicSetup.ensure(
                TopicRequirement.all(topology: plan.topology, engine: engine), admin: admin,
                create: configuration.createTopics, logger: logger)

            var producerSettings = KafkaPropertyScope.forProducer(
                KafkaConfiguration([
                    "linger.ms": "5",
                    "batch.size": "65536",
                    "queue.buffering.max.messages": "500000",
                    "socket.nagle.disable": "true",
                ]).merging(plan.kafka))
            if exactlyOnce {
                producerSettings.transactionalID = "\(plan.applicationID)-\(configuration.instanceID)"
            }
            let tracker = DeliveryTracker()
            self.tracker = tracker
            producer = try KafkaProducer(configuration: producerSettings, logger: logger) { report in
                tracker.delivered(report)
            }
            if exactlyOnce {
                try producer.initTransactions(timeout: .seconds(60))
            }
            sink = try ProducerSink(
                producer: producer, destinations: engine.destinations, tracker: tracker, origin: origin)

            if engine.tableTopics.isEmpty {
                tableFeed = nil
            } else {
                let feed = try GlobalTableFeed(
                    configuration: KafkaPropertyScope.forConsumer(plan.kafka), applicationID: plan.applicationID,
                    topics: engine.tableTopics,
                    origin: origin, logger: logger)
                try feed.bootstrap(engine: engine, partitions: counts, timeout: .seconds(60))
                tableFeed = feed
            }
            restorer = try ChangelogRestorer(
                configuration: KafkaPropertyScope.forConsumer(plan.kafka), applicationID: plan.applicationID,
                logger: logger)

            let consumerSettings = KafkaPropertyScope.forConsumer(
                KafkaConfiguration([
                    "group.id": plan.applicationID,
                    "auto.offset.reset": "earliest",
                    "fetch.wait.max.ms": "100",
                    "socket.nagle.disable": "true",
                    "isolation.level": "read_committed",
                    // librdkafka 2.0.2 stops fetching for ~0.5 s once the consumer queue passes either
                    // threshold (both count all partitions of the shared queue); a prefetch of ~1 s of input
                    // keeps the processing thread from running dry while partitions back off.
                    "queued.min.messages": "1000000",
                    "queued.max.messages.kbytes": "262144",
                ]).merging(plan.kafka))
            consumer = try KafkaConsumer(
                configuration: consumerSettings, logger: logger, maxBatchSize: configuration.maxBatch)
        } catch let error as RuntimeError {
            throw error
        } catch let error as KafkaError {
            throw RuntimeError(.kafka, error.message)
        } catch {
            throw RuntimeError(.kafka, "\(error)")
        }
    }

    /// Runs until stopped (or idle, with `--exit-when-idle`), then commits, leaves the group and flushes.
    ///
    /// - Throws: ``RuntimeError`` when processing cannot continue (nothing is committed past the failure).
    func run() throws(RuntimeError) {
        do {
            if exactlyOnce { try beginTransaction() }
            try consumer.subscribe(topics: sourceTopics)
            logger.notice(
                "processing",
                metadata: [
                    "group": "\(plan.applicationID)", "topics": "\(sourceTopics.joined(separator: ","))",
                    "guarantee": "\(plan.guarantee.rawValue)", "instance": "\(configuration.instanceID)",
                ])
            try loop()
            try shutDown()
        } catch {
            failed = true
            let failure = error as? RuntimeError ?? RuntimeError(.kafka, "\(error)")
            logger.error("processing stopped: \(failure.message)")
            abandon()
            throw failure
        }
    }

    // MARK: Loop

    private func loop() throws {
        let start = ContinuousClock.now
        var nextCommit = start + commitInterval
        var nextTick = start + configuration.wallClockTick
        var nextStatistics = start
        var nextLog = start + (configuration.logInterval ?? .seconds(3600))
        lastActivity = start
        while !stop.isSet {
            let received = try consumer.poll(
                maxRecords: configuration.maxBatch, timeout: configuration.pollTimeout,
                onRebalance: { self.rebalance(&$0) }, { batch in self.process(batch) })
            if let fatal { throw fatal }
            if received > 0 {
                if processedRecords == 0 { configuration.hooks?.firstRecords() }
                processedRecords += received
                lastActivity = .now
                if let limit = configuration.stopAfterRecords, processedRecords >= limit { stop.set() }
            }
            if let tableFeed {
                let applied = try tableFeed.poll(engine: engine) { self.applyTableRows() }
                if applied > 0 { lastActivity = .now }
            }
            producer.poll()
            try checkDeliveries()
            let now = ContinuousClock.now
            if now >= nextCommit {
                try commit()
                nextCommit = now + commitInterval
            } else if !exactlyOnce {
                commitCompleted()
            }
            if now >= nextTick {
                tick()
                nextTick = now + configuration.wallClockTick
                if isIdleFinished() {
                    logger.info("caught up and idle; stopping", metadata: ["idle": "\(configuration.exitWhenIdle!)"])
                    break
                }
            }
            if now >= nextStatistics {
                publish()
                nextStatistics = now + configuration.statisticsInterval
            }
            if configuration.logInterval != nil, now >= nextLog {
                logStatus()
                nextLog = now + configuration.logInterval!
            }
        }
    }

    /// Hands each partition's run of records to its task while librdkafka's buffers are borrowed.
    ///
    /// Runs are found by the interned topic index and the partition (integer compares, no string per
    /// record); the task of a run is found through a small cache keyed the same way.
    private func process(_ batch: KafkaRecordBatch) -> Int {
        let count = batch.count
        var index = 0
        while index < count {
            let first = batch[index]
            let partition = first.partition
            let topic = first.topicIndex
            var end = index + 1
            while end < count {
                let next = batch[end]
                if next.partition != partition || next.topicIndex != topic { break }
                end += 1
            }
            if let state = task(topic: topic, partition: partition, batch) {
                run(state, batch, index..<end)
            } else {
                logger.warning("records of unassigned partition \(batch.topic(ofIndex: topic))[\(partition)] skipped")
            }
            index = end
        }
        return count
    }

    /// The task of a partition, by the consumer's interned topic index.
    @inline(__always)
    private func task(topic: Int, partition: Int32, _ batch: KafkaRecordBatch) -> PartitionState? {
        let key = Int64(topic) << 32 | Int64(UInt32(bitPattern: partition))
        if let state = tasksByIndex[key] { return state }
        guard let state = partitions[KafkaTopicPartition(topic: batch.topic(ofIndex: topic), partition: partition)]
        else { return nil }
        tasksByIndex[key] = state
        return state
    }

    private func run(_ state: PartitionState, _ batch: KafkaRecordBatch, _ range: Range<Int>) {
        headerScratch.removeAll(keepingCapacity: true)
        headerSpans.removeAll(keepingCapacity: true)
        for index in range {
            let start = headerScratch.count
            for header in batch[index].headers {
                headerScratch.append(RecordHeader(name: header.name, value: header.value))
            }
            headerSpans.append((start, headerScratch.count - start))
        }
        inputs.removeAll(keepingCapacity: true)
        headerScratch.withUnsafeBufferPointer { headers in
            var span = 0
            for index in range {
                let record = batch[index]
                let (start, count) = headerSpans[span]
                span += 1
                inputs.append(
                    InputRecord(
                        offset: record.offset, timestamp: record.timestamp ?? 0, key: record.key, value: record.value,
                        headers: count == 0
                            ? UnsafeBufferPointer(start: nil, count: 0)
                            : UnsafeBufferPointer(rebasing: headers[start..<start + count])))
            }
            inputs.withUnsafeBufferPointer { records in
                guard state.writesTables else { return state.task.process(records) }
                for index in records.indices {
                    state.task.process(UnsafeBufferPointer(rebasing: records[index..<index + 1]))
                    applyTableRows()
                }
            }
        }
        state.position = batch[range.upperBound - 1].offset + 1
        dirty = true
        applyTableRows()
    }

    /// Applies the table rows the tasks just wrote (holds react at once, as in the test driver).
    private func applyTableRows() {
        var rows = sink.takeTableRows()
        while !rows.isEmpty {
            for row in rows {
                row.key.withUnsafeBytes { key in
                    if let value = row.value {
                        value.withUnsafeBytes { _ = engine.applyTableRecord(topic: row.topic, key: key, value: $0) }
                    } else {
                        _ = engine.applyTableRecord(topic: row.topic, key: key, value: nil)
                    }
                }
            }
            rows = sink.takeTableRows()
        }
    }

    /// Wall-clock tick: idle partitions close their windows.
    private func tick() {
        let now = clock.now()
        let before = tracker.current
        let sentBefore = tracker.inFlight
        for state in ordered { state.task.advance(wallClock: now) }
        applyTableRows()
        if tracker.current != before || tracker.inFlight != sentBefore { lastActivity = .now }
    }

    // MARK: Commit

    private func commit() throws(RuntimeError) {
        if exactlyOnce {
            try commitTransaction()
        } else {
            checkpoint()
            commitCompleted()
        }
    }

    /// At-least-once: writes the changelogs and seals the delivery generation with the positions reached.
    private func checkpoint() {
        for state in ordered { state.task.flush() }
        guard dirty || tracker.currentHasRecords else { return }
        tracker.seal(offsets: positions())
        dirty = false
    }

    private func positions() -> [KafkaTopicPartitionOffset] {
        ordered.compactMap { $0.position >= 0 ? KafkaTopicPartitionOffset($0.key, offset: $0.position) : nil }
    }

    /// At-least-once: commits the positions of the newest fully acknowledged generation, for partitions still
    /// owned.
    private func commitCompleted() {
        guard let completed = tracker.takeCompleted() else { return }
        let owned = completed.filter { offset in
            guard let state = partitions[offset.topicPartition] else { return false }
            return offset.offset > state.committed
        }
        guard !owned.isEmpty else { return }
        do {
            try consumer.storeOffsets(owned)
            consumer.commitAsync()
            for offset in owned { partitions[offset.topicPartition]?.committed = offset.offset }
            commits += 1
        } catch {
            // The offsets stay stored and go with the next commit; at worst the next owner reprocesses
            // records whose outputs carry the same idempotency keys.
            logger.warning("offset commit failed: \(error.message)")
        }
    }

    /// At-least-once, on revoke and shutdown, after ``checkpoint()`` and ``flushProducer()``: everything is
    /// acknowledged and the changelogs hold the state, so every owned partition's position is committed
    /// synchronously (also those an earlier asynchronous commit may have missed).
    private func commitAll() {
        _ = tracker.takeCompleted()
        let offsets = positions()
        guard !offsets.isEmpty else { return }
        do {
            try consumer.commit(offsets)
            for offset in offsets { partitions[offset.topicPartition]?.committed = offset.offset }
            commits += 1
        } catch {
            logger.warning("offset commit failed: \(error.message)")
        }
    }

    private func checkDeliveries() throws(RuntimeError) {
        if let failure = sink.failure {
            throw RuntimeError(.delivery, "an output was refused: \(failure.message)")
        }
        if let report = tracker.failure {
            throw RuntimeError(
                .delivery,
                "an output could not be delivered (\(report.error?.explanation ?? "unknown error")); offsets after "
                    + "it were not committed")
        }
    }

    /// Waits for every outstanding delivery (revoke, shutdown).
    private func flushProducer() throws(RuntimeError) {
        do {
            try producer.flush(timeout: configuration.flushTimeout)
        } catch {
            throw RuntimeError(.delivery, "outputs not acknowledged in time: \(error.message)")
        }
        try checkDeliveries()
    }

    // MARK: Transactions

    private func beginTransaction() throws(RuntimeError) {
        do {
            try producer.beginTransaction()
        } catch {
            throw RuntimeError(.kafka, error.message)
        }
    }

    /// Exactly-once: flushes the changelogs, adds the positions to the transaction and commits it, then
    /// begins the next one.
    private func commitTransaction(beginNext: Bool = true) throws(RuntimeError) {
        for state in ordered { state.task.flush() }
        let offsets = ordered.filter { $0.position > $0.committed }.map {
            KafkaTopicPartitionOffset($0.key, offset: $0.position)
        }
        guard tracker.currentHasRecords || !offsets.isEmpty else {
            if !beginNext { abortEmptyTransaction() }
            return
        }
        do {
            if !offsets.isEmpty {
                let metadata = try consumer.groupMetadata()
                try retrying { () throws(KafkaError) in
                    try producer.sendOffsetsToTransaction(offsets, groupMetadata: metadata, timeout: .seconds(30))
                }
            }
            try retrying { () throws(KafkaError) in try producer.commitTransaction(timeout: .seconds(60)) }
        } catch {
            if error.transactionErrorKind == .abortRequired {
                logger.warning("transaction aborted: \(error.message); rewinding to the last committed state")
                try rewind()
                if beginNext { try beginTransaction() }
                return
            }
            throw RuntimeError(.kafka, "commit transaction: \(error.message)")
        }
        for state in ordered where state.position > state.committed { state.committed = state.position }
        tracker.seal(offsets: [])
        _ = tracker.takeCompleted()
        dirty = false
        commits += 1
        if beginNext { try beginTransaction() }
    }

    private func abortEmptyTransaction() {
        do { try producer.abortTransaction(timeout: .seconds(10)) } catch {
            logger.debug("abort of the empty final transaction: \(error.message)")
        }
    }

    private func retrying(_ body: () throws(KafkaError) -> Void) throws(KafkaError) {
        var attempt = 0
        while true {
            do {
                try body()
                return
            } catch  where error.transactionErrorKind == .retriable && attempt < 5 {
                attempt += 1
                logger.warning("retrying: \(error.message)")
            }
        }
    }

    /// Exactly-once after an abort: the tasks' memory holds effects of the aborted records, so every task is
    /// rebuilt from its changelog and the consumer goes back to the committed offsets.
    private func rewind() throws(RuntimeError) {
        do {
            try producer.abortTransaction(timeout: .seconds(30))
        } catch {
            throw RuntimeError(.kafka, "abort transaction: \(error.message)")
        }
        let keys = ordered.map(\.key)
        removeTasks(keys)
        try createTasks(keys, seek: true)
    }

    // MARK: Rebalance

    private func rebalance(_ event: inout KafkaRebalance) {
        let keys = event.partitions.map(\.topicPartition)
        // A cooperative rebalance can take several rounds (a joining member first gets nothing): idleness is
        // counted from the last change of the assignment.
        lastActivity = .now
        switch event.kind {
        case .assigned:
            hasAssignment = true
            guard fatal == nil, !failed else { return }
            do {
                try createTasks(keys.filter { partitions[$0] == nil }, seek: false)
                logger.info("partitions assigned", metadata: ["partitions": "\(describe(keys))"])
            } catch {
                fatal = error
            }
        case .revoked:
            if fatal == nil, !failed {
                do {
                    if exactlyOnce {
                        try commitTransaction()
                    } else {
                        checkpoint()
                        try flushProducer()
                        commitAll()
                    }
                } catch {
                    fatal = error
                }
            }
            removeTasks(keys)
            logger.info("partitions revoked", metadata: ["partitions": "\(describe(keys))"])
        case .lost:
            removeTasks(keys)
            tracker.forget(Set(keys))
            logger.warning("partitions lost (not committed)", metadata: ["partitions": "\(describe(keys))"])
            if exactlyOnce, fatal == nil, !failed {
                do {
                    try rewind()
                    try beginTransaction()
                } catch {
                    fatal = error
                }
            }
        }
    }

    /// Creates and restores the tasks of newly owned partitions; with `seek`, moves the consumer back to the
    /// committed offsets (after an aborted transaction).
    private func createTasks(_ keys: [KafkaTopicPartition], seek: Bool) throws(RuntimeError) {
        guard !keys.isEmpty else { return }
        var created: [PartitionTask] = []
        do {
            for key in keys {
                created.append(try engine.makeTask(topic: key.topic, partition: key.partition, sink: sink))
            }
            restoredRecords += try restorer.restore(created)
            let committed = try consumer.committed(keys, timeout: .seconds(30))
            var offsets: [KafkaTopicPartition: Int64] = [:]
            for entry in committed { offsets[entry.topicPartition] = entry.offset }
            for (key, task) in zip(keys, created) {
                let state = PartitionState(
                    key: key, task: task, writesTables: tableWritingSources.contains(key.topic),
                    committed: max(offsets[key] ?? -1, -1))
                partitions[key] = state
                tasksByIndex.removeAll(keepingCapacity: true)
                ordered.append(state)
            }
            ordered.sort { ($0.key.topic, $0.key.partition) < ($1.key.topic, $1.key.partition) }
            if seek {
                try consumer.seek(
                    keys.map {
                        KafkaTopicPartitionOffset(
                            $0, offset: max(offsets[$0] ?? -1, -1) >= 0 ? offsets[$0]! : KafkaOffset.beginning)
                    },
                    timeout: .seconds(10))
            }
        } catch let error as RuntimeError {
            for task in created
            where partitions[KafkaTopicPartition(topic: task.topic, partition: task.partition)] == nil {
                task.close()
            }
            throw error
        } catch let error as EngineError {
            throw RuntimeError(.engine, error.description)
        } catch let error as KafkaError {
            throw RuntimeError(.kafka, "assigning \(describe(keys)): \(error.message)")
        } catch {
            throw RuntimeError(.kafka, "\(error)")
        }
        applyTableRows()
        lastActivity = .now
    }

    private func removeTasks(_ keys: [KafkaTopicPartition]) {
        tasksByIndex.removeAll(keepingCapacity: true)
        for key in keys {
            guard let state = partitions.removeValue(forKey: key) else { continue }
            var metrics = state.task.metrics
            metrics.parked = 0
            retired.add(metrics)
            state.task.close()
        }
        let removed = Set(keys)
        ordered.removeAll { removed.contains($0.key) }
    }

    private func describe(_ keys: [KafkaTopicPartition]) -> String {
        keys.map(\.description).sorted().joined(separator: ",")
    }

    /// Source topics read by a pipeline that emits to an output of kind `table`.
    private static func tableWritingSources(_ topology: Topology) -> Set<String> {
        let tableOutputs = Set(topology.outputs.filter { $0.kind == .table }.map(\.name))
        var result = Set<String>()
        for pipeline in topology.pipelines {
            let writes = pipeline.steps.contains { step in
                if case .emit(let emit) = step.kind { return tableOutputs.contains(emit.output) }
                return false
            }
            if writes, let source = topology.source(named: pipeline.source) { result.insert(source.topic) }
        }
        return result
    }

    // MARK: Idle exit

    /// With `--exit-when-idle`: every assigned partition's position reached its high watermark and nothing
    /// arrived (and nothing was written) for the configured time.
    private func isIdleFinished() -> Bool {
        guard let limit = configuration.exitWhenIdle, hasAssignment, ContinuousClock.now - lastActivity >= limit
        else { return false }
        for state in ordered {
            var marks = consumer.cachedWatermarks(topic: state.key.topic, partition: state.key.partition)
            if marks == nil || state.position < 0 {
                marks = try? consumer.watermarks(
                    topic: state.key.topic, partition: state.key.partition, timeout: .seconds(5))
            }
            guard let marks else { return false }
            if state.position < 0 ? marks.high > marks.low : state.position < marks.high {
                logger.debug(
                    "not caught up",
                    metadata: [
                        "partition": "\(state.key)", "position": "\(state.position)",
                        "low": "\(marks.low)", "high": "\(marks.high)",
                    ])
                return false
            }
        }
        return true
    }

    // MARK: Shutdown

    private func shutDown() throws(RuntimeError) {
        if exactlyOnce {
            try commitTransaction(beginNext: false)
        } else {
            checkpoint()
            try flushProducer()
            commitAll()
        }
        configuration.hooks?.drained()
        do {
            try consumer.close { self.rebalance(&$0) }
        } catch {
            logger.warning("leaving the group: \(error.message)")
        }
        if let fatal { throw fatal }
        tableFeed?.close()
        restorer.close()
        do {
            try producer.close(timeout: configuration.flushTimeout)
        } catch {
            throw RuntimeError(.delivery, "final flush: \(error.message)")
        }
        try checkDeliveries()
        publish()
        logStatus()
    }

    /// After a failure: leave the group without committing, send what is queued, close.
    private func abandon() {
        try? consumer.close { self.rebalance(&$0) }
        tableFeed?.close()
        restorer.close()
        if exactlyOnce { try? producer.abortTransaction(timeout: .seconds(10)) }
        try? producer.close(timeout: .seconds(10))
        publish()
    }

    // MARK: Statistics

    private func publish() {
        var totals = retired
        for state in ordered { totals.add(state.task.metrics) }
        var statistics = RuntimeStatistics()
        statistics.eventsIn = totals.recordsIn
        statistics.valid = totals.valid
        statistics.duplicates = totals.duplicates
        statistics.filtered = totals.filtered
        statistics.skipped = totals.skippedTypes + totals.skippedPlants
        statistics.lateDropped = totals.lateDropped
        statistics.lateDeltas = totals.lateDeltas
        statistics.windowEmissions = totals.windowEmissions
        statistics.exceptions = totals.exceptions
        statistics.parked = totals.parked
        statistics.released = totals.released
        statistics.cancelled = totals.cancelled
        statistics.changelogRecords = totals.changelogRecords
        for destination in engine.destinations where destination.kind != .changelog {
            statistics.outputsByTopic[destination.topic, default: 0] += sink.countsByDestination[destination.index]
        }
        statistics.transactionsByType = sink.transactionsByType
        statistics.deadLettersByCode = sink.deadLettersByCode
        statistics.tableRecords = tableFeed?.applied ?? 0
        statistics.restoredRecords = restoredRecords
        statistics.inFlight = producer.inFlightCount
        statistics.commits = commits
        statistics.assignedPartitions = ordered.count
        statistics.running = true
        var lag: Int64 = 0
        for state in ordered {
            guard let marks = consumer.cachedWatermarks(topic: state.key.topic, partition: state.key.partition)
            else { continue }
            lag += max(0, marks.high - max(state.position, marks.low, 0))
        }
        statistics.lag = Int(lag)
        metrics.publish(statistics)
    }

    private func logStatus() {
        let statistics = metrics.snapshot
        logger.info(
            "status",
            metadata: [
                "eventsIn": "\(statistics.eventsIn)", "transactions": "\(statistics.transactions)",
                "deadLetters": "\(statistics.deadLetters)", "exceptions": "\(statistics.exceptions)",
                "parked": "\(statistics.parked)", "lag": "\(statistics.lag)",
                "partitions": "\(statistics.assignedPartitions)", "commits": "\(statistics.commits)",
            ])
    }
}
