import Prometheus
import Runtime
import Synchronization

/// Turns ``Runtime/RuntimeStatistics`` snapshots into Prometheus metrics: counters grow by what the snapshot
/// added since the last update, gauges take its values.
///
/// Metric names follow Prometheus conventions: `plantstream_` prefix, `_total` on counters, units in names.
/// It writes to its own ``Prometheus/PrometheusCollectorRegistry`` (swift-prometheus, the swift-metrics
/// backend) rather than the process-wide `MetricsSystem`, so several processors in one process (tests) keep
/// their metrics apart.
public final class StatisticsExporter: Sendable {
    /// The registry the metrics live in.
    public let registry = PrometheusCollectorRegistry()
    /// The last counter values exported, by metric and label value.
    private let exported = Mutex<[String: Int]>([:])

    /// The partitions whose lag gauge is exported.
    private let partitions = Mutex<Set<String>>([])
    private static let partitionLagHelp = "Records behind the high watermark per assigned partition."

    /// Creates an exporter with an empty registry.
    public init() {}

    /// Updates every metric from `statistics`.
    public func update(_ statistics: RuntimeStatistics, readiness: Readiness) {
        counter("events_in", "Input records handed to the tasks.", statistics.eventsIn)
        counter("events_valid", "Input records that passed validation.", statistics.valid)
        counter("duplicates_dropped", "Repeats dropped by dedupe.", statistics.duplicates)
        counter("events_filtered", "Records dropped by filter.", statistics.filtered)
        counter(
            "events_skipped", "Records of types or plants the region does not process.",
            statistics.skipped)
        let late = "Late events, by how they were handled."
        counter("late_events", late, statistics.lateDropped, label: ("handling", "drop"))
        counter("late_events", late, statistics.lateDeltas, label: ("handling", "post_delta"))
        counter("window_emissions", "Window results emitted.", statistics.windowEmissions)
        for (topic, count) in statistics.outputsByTopic {
            counter("records_written", "Records written per output topic.", count, label: ("topic", topic))
        }
        for (type, count) in statistics.transactionsByType {
            counter(
                "transactions", "ERP transactions written per txnType.", count,
                label: ("txn_type", type))
        }
        for (code, count) in statistics.deadLettersByCode {
            counter("dead_letters", "Dead letters per error code.", count, label: ("code", code))
        }
        counter("exceptions", "Exception records written.", statistics.exceptions)
        gauge("parked", unit: "postings", "Postings parked now (quality holds).", statistics.parked)
        counter("released_postings", "Parked postings released.", statistics.released)
        counter("cancelled_postings", "Parked postings cancelled.", statistics.cancelled)
        counter("changelog_records", "Changelog records written.", statistics.changelogRecords)
        counter("sparkplug_sequence_gaps", "Sparkplug B sequence gaps found.", statistics.sparkplugSequenceGaps)
        gauge(
            "sparkplug_rebirths_needed", unit: "nodes",
            "Sparkplug B edge nodes with a sequence gap since their last NBIRTH.", statistics.sparkplugRebirthsNeeded)
        gauge(
            "sparkplug_parked", unit: "messages", "Sparkplug B DATA messages waiting for their BIRTH.",
            statistics.sparkplugParked)
        counter("table_records_applied", "Global-table records applied.", statistics.tableRecords)
        counter(
            "restored_records", "Changelog records read while restoring partitions.",
            statistics.restoredRecords)
        gauge("in_flight", unit: "records", "Records sent and not yet acknowledged.", statistics.inFlight)
        counter("commits", "Offset commits (or committed transactions).", statistics.commits)
        gauge("consumer_lag", unit: "records", "Records behind the high watermarks, summed.", statistics.lag)
        // A partition no longer assigned leaves the exposition (its lag is another instance's now).
        let gone = partitions.withLock { known -> Set<String> in
            let current = Set(statistics.lagByPartition.keys)
            let gone = known.subtracting(current)
            known = current
            return gone
        }
        for partition in gone {
            registry.unregisterGauge(
                registry.makeGauge(
                    descriptor: Self.descriptor("partition_lag", unit: "records", help: Self.partitionLagHelp),
                    labels: [("partition", partition)]))
        }
        for (partition, lag) in statistics.lagByPartition {
            gauge(
                "partition_lag", unit: "records", Self.partitionLagHelp, lag,
                label: ("partition", partition))
        }
        gauge("assigned", unit: "partitions", "Partitions assigned now.", statistics.assignedPartitions)
        gauge("running", unit: "", "1 once global tables are loaded and processing runs.", statistics.running ? 1 : 0)
        gauge(
            "cluster_reachable", unit: "", "1 while the Kafka cluster answers.", statistics.clusterReachable ? 1 : 0)
        gauge("ready", unit: "", "1 when /health/ready answers 200.", readiness.isReady ? 1 : 0)
    }

    /// The metrics in the Prometheus text format.
    public func exposition() -> [UInt8] { registry.emitToBuffer() }

    private func counter(_ name: String, _ help: String, _ value: Int, label: (String, String)? = nil) {
        let key = name + (label.map { "|\($0.1)" } ?? "")
        let delta = exported.withLock { last -> Int in
            let delta = value - (last[key] ?? 0)
            last[key] = value
            return delta
        }
        let counter = registry.makeCounter(
            descriptor: Self.descriptor(name, unit: "total", help: help), labels: label.map { [$0] } ?? [])
        if delta > 0 { counter.increment(by: Int64(delta)) }
    }

    private func gauge(_ name: String, unit: String, _ help: String, _ value: Int, label: (String, String)? = nil) {
        registry.makeGauge(descriptor: Self.descriptor(name, unit: unit, help: help), labels: label.map { [$0] } ?? [])
            .set(Double(value))
    }

    private static func descriptor(_ name: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "plantstream", metricName: name, unitName: unit, helpText: help)
    }
}
