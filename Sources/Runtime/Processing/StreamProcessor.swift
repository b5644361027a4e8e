import Engine
import KafkaClient
import Logging
import Topology

/// The processing loop of one instance (Kafka Streams' `StreamThread`): one group consumer, one producer,
/// one engine with a task per assigned partition (``TaskManager``), one commit protocol (``Committer``).
///
/// Loop: poll a batch (rebalances are handled synchronously inside the poll) → hand each partition's run of
/// records to its task while the fetch buffers are borrowed (the engine applies the table rows its pipelines
/// write itself) → apply new global-table records of other instances → serve delivery reports → let the committer commit what became safe, and every
/// `commitInterval` flush the changelogs and commit → every tick advance the wall clock of idle partitions.
///
/// - Important: Created, run and dropped on one dedicated thread (``ProcessorService`` uses a
///   ``KafkaClient/KafkaThread``); nothing here is shared with other threads except ``RuntimeMetrics`` and
///   the ``StopSignal``.
final class StreamProcessor {
    private let plan: RuntimePlan
    private let configuration: RuntimeConfiguration
    private let logger: Logger
    private let metrics: RuntimeMetrics
    private let stop: StopSignal
    private let commitInterval: Duration
    private let clock = SystemClock()
    private let engine: Engine
    private let tracker: DeliveryTracker
    private let producer: KafkaProducer
    private let sink: ProducerSink
    private let consumer: KafkaConsumer
    private let restorer: ChangelogRestorer
    private let tableFeed: GlobalTableFeed?
    private let tasks: TaskManager
    private let committer: any Committer
    private let reachability: ClusterReachability
    private let sourceTopics: [String]

    private var fatal: RuntimeError?
    private var failed = false
    private var hasAssignment = false
    private var lastActivity = ContinuousClock.now
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
        let exactlyOnce = plan.guarantee == .exactlyOnce
        commitInterval = plan.commitInterval
        engine = try plan.makeEngine(logger: logger)
        engine.stepProfiler = configuration.hooks?.stepProfiler
        sourceTopics = engine.sourceTopics
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
        tasks = TaskManager(engine: engine, sink: sink, consumer: consumer, restorer: restorer, logger: logger)
        reachability = ClusterReachability(producer: producer, consumer: consumer, logger: logger)
        if exactlyOnce {
            committer = TransactionalCommitter(offsets: consumer, producer: producer, tracker: tracker, logger: logger)
        } else {
            committer = AtLeastOnceCommitter(
                offsets: consumer, producer: producer, tracker: tracker, flushTimeout: configuration.flushTimeout,
                logger: logger)
        }
    }

    /// Runs until stopped (or idle, with `--exit-when-idle`), then commits, leaves the group and flushes.
    ///
    /// - Throws: ``RuntimeError`` when processing cannot continue (nothing is committed past the failure).
    func run() throws(RuntimeError) {
        do {
            try committer.start()
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
                let applied = try tableFeed.poll(engine: engine)
                if applied > 0 { lastActivity = .now }
            }
            producer.poll()
            try checkDeliveries()
            let now = ContinuousClock.now
            if now >= nextCommit {
                try committer.commit(tasks)
                nextCommit = now + commitInterval
            } else {
                try committer.poll(tasks)
            }
            if now >= nextTick {
                tick()
                nextTick = now + configuration.wallClockTick
                if isIdleFinished() {
                    logger.info("caught up and idle; stopping", metadata: ["idle": "\(configuration.exitWhenIdle!)"])
                    break
                }
                if configuration.exitWhenIdle != nil, let down = reachability.unreachableFor(),
                    down >= configuration.unreachableTimeout
                {
                    throw RuntimeError(
                        .kafka,
                        "the cluster has been unreachable for \(down) (--exit-when-idle gives up after "
                            + "\(configuration.unreachableTimeout)); \(tracker.inFlight) outputs were not acknowledged "
                            + "and nothing after the last commit is committed — check bootstrap servers and broker health, "
                            + "then run again (the next run resumes from the last commit)")
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
            if let owned = tasks.partition(topicIndex: topic, partition: partition, batch) {
                run(owned, batch, index..<end)
            } else {
                logger.warning("records of unassigned partition \(batch.topic(ofIndex: topic))[\(partition)] skipped")
            }
            index = end
        }
        return count
    }

    private func run(_ owned: OwnedPartition, _ batch: KafkaRecordBatch, _ range: Range<Int>) {
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
            inputs.withUnsafeBufferPointer { owned.task.process($0) }
        }
        owned.position = batch[range.upperBound - 1].offset + 1
    }

    /// Wall-clock tick: idle partitions close their windows; the cluster's reachability is checked.
    private func tick() {
        reachability.update(waiting: tracker.inFlight) { probeCluster() }
        let now = clock.now()
        let before = tracker.current
        let sentBefore = tracker.inFlight
        for owned in tasks.owned { owned.task.advance(wallClock: now) }
        if tracker.current != before || tracker.inFlight != sentBefore { lastActivity = .now }
    }

    private func checkDeliveries() throws(RuntimeError) {
        if let failure = sink.failure {
            if let error = failure.error.responseError, error.refusesTopic {
                sink.clearFailure()
                try refuse(topic: failure.topic, error)
                return
            }
            throw RuntimeError(.delivery, "an output was refused: \(failure.error.message)")
        }
        if let report = tracker.failure {
            if let error = report.error, error.refusesTopic, let topic = report.failedTopic {
                try refuse(topic: topic, error)
                return
            }
            throw RuntimeError(
                .delivery,
                "an output could not be delivered (\(report.error?.explanation ?? "unknown error")); offsets after "
                    + "it were not committed")
        }
    }

    /// The broker refuses records for `topic` whatever is retried: its outputs and exceptions become
    /// `OUTPUT_REFUSED` dead letters from now on, and the records since the last commit are processed again so
    /// that none is lost. A refused dead-letter, table or changelog topic cannot be replaced: that stops the run.
    private func refuse(topic: String, _ error: KafkaResponseError) throws(RuntimeError) {
        let destinations = engine.destinations.filter { $0.topic == topic }
        guard !destinations.isEmpty, destinations.allSatisfy(OutputRefusals.canReplace) else {
            let kinds = Set(destinations.map(\.kind.rawValue)).sorted().joined(separator: ", ")
            throw RuntimeError(
                .delivery,
                "the broker refuses records for \(topic) (\(error.explanation)), which holds "
                    + "\(kinds.isEmpty ? "no output of this topology" : kinds) records that cannot go anywhere else: "
                    + "give the region's principal write access to it (or create it) and start again")
        }
        guard destinations.allSatisfy({ engine.outputRefusals.reason(for: $0) == nil }) else {
            throw RuntimeError(
                .delivery,
                "the broker refused records for \(topic) again after they were replaced (\(error.explanation))")
        }
        for destination in destinations { engine.outputRefusals.refuse(destination, reason: error.explanation) }
        let message =
            "the broker refuses records for \(topic) (\(error.explanation)); until a restart they become OUTPUT_REFUSED "
            + "dead letters (replay them with `plantstream dlq replay --code OUTPUT_REFUSED --to-topic \(topic)`); "
            + "processing again from the last commit"
        logger.error("\(message)")
        try committer.rewind(tasks)
        lastActivity = .now
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
                try tasks.create(keys, seek: false)
                logger.info("partitions assigned", metadata: ["partitions": "\(TaskManager.describe(keys))"])
            } catch {
                fatal = error
            }
        case .revoked:
            if fatal == nil, !failed {
                do {
                    try committer.beforeRevoke(tasks)
                } catch {
                    fatal = error
                }
            }
            tasks.remove(keys)
            logger.info("partitions revoked", metadata: ["partitions": "\(TaskManager.describe(keys))"])
        case .lost:
            tasks.remove(keys)
            logger.warning("partitions lost (not committed)", metadata: ["partitions": "\(TaskManager.describe(keys))"])
            if fatal == nil, !failed {
                do {
                    try committer.lost(keys, owner: tasks)
                } catch {
                    fatal = error
                }
            }
        }
        lastActivity = .now
    }

    /// Asks the cluster for its brokers (briefly: the loop waits for the answer).
    private func probeCluster() -> Bool {
        consumer.clusterAnswers(within: .milliseconds(250))
    }

    // MARK: Idle exit

    /// With `--exit-when-idle`: the cluster answers, every assigned partition's position reached its high
    /// watermark, every output is acknowledged and every position committed, and nothing arrived (and nothing
    /// was written) for the configured time.
    private func isIdleFinished() -> Bool {
        guard let limit = configuration.exitWhenIdle, hasAssignment, ContinuousClock.now - lastActivity >= limit,
            reachability.state == .reachable, tracker.inFlight == 0, producer.inFlightCount == 0
        else { return false }
        for owned in tasks.owned where owned.position >= 0 && owned.committed.offset != owned.position {
            logger.debug(
                "not committed yet",
                metadata: [
                    "partition": "\(owned.key)", "position": "\(owned.position)", "committed": "\(owned.committed)",
                ])
            return false
        }
        for owned in tasks.owned {
            var marks = consumer.cachedWatermarks(topic: owned.key.topic, partition: owned.key.partition)
            if marks == nil || owned.position < 0 {
                marks = try? consumer.watermarks(
                    topic: owned.key.topic, partition: owned.key.partition, timeout: .seconds(5))
            }
            guard let marks else { return false }
            if owned.position < 0 ? marks.high > marks.low : owned.position < marks.high {
                logger.debug(
                    "not caught up",
                    metadata: [
                        "partition": "\(owned.key)", "position": "\(owned.position)",
                        "low": "\(marks.low)", "high": "\(marks.high)",
                    ])
                return false
            }
        }
        return true
    }

    // MARK: Shutdown

    private func shutDown() throws(RuntimeError) {
        try committer.finish(tasks)
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
        committer.abandon()
        try? producer.close(timeout: .seconds(10))
        publish()
    }

    // MARK: Statistics

    private func publish() {
        var totals = tasks.retired
        for owned in tasks.owned { totals.add(owned.task.metrics) }
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
        statistics.sparkplugSequenceGaps = totals.sparkplugSequenceGaps
        statistics.sparkplugRebirthsNeeded = totals.sparkplugRebirthsNeeded
        statistics.sparkplugParked = totals.sparkplugParked
        for destination in engine.destinations where destination.kind != .changelog {
            statistics.outputsByTopic[destination.topic, default: 0] += sink.countsByDestination[destination.index]
        }
        statistics.transactionsByType = totals.transactionsByType
        statistics.deadLettersByCode = totals.deadLettersByCode
        statistics.tableRecords = tableFeed?.applied ?? 0
        statistics.restoredRecords = tasks.restoredRecords
        statistics.inFlight = producer.inFlightCount
        statistics.commits = committer.commits
        statistics.assignedPartitions = tasks.owned.count
        statistics.running = true
        var lag: Int64 = 0
        for owned in tasks.owned {
            guard let marks = consumer.cachedWatermarks(topic: owned.key.topic, partition: owned.key.partition)
            else { continue }
            let behind = max(0, marks.high - max(owned.position, marks.low, 0))
            lag += behind
            statistics.lagByPartition["\(owned.key.topic)[\(owned.key.partition)]"] = Int(behind)
        }
        statistics.lag = Int(lag)
        statistics.clusterReachable = reachability.unreachableFor() == nil
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
