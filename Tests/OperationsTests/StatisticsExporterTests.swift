import Operations
import Runtime
import TestHTTP
import Testing

/// Statistics snapshots become Prometheus metrics: counters add what a snapshot added, gauges follow, partitions
/// an instance lost leave the exposition; readiness says why it is not ready.
@Suite struct StatisticsExporterTests {
    static func samples(_ exporter: StatisticsExporter) -> [String: Double] {
        HTTPGet.samples(String(decoding: exporter.exposition(), as: UTF8.self))
    }

    @Test func countersGrowByWhatEachSnapshotAddedAndGaugesFollow() {
        let exporter = StatisticsExporter()
        var statistics = RuntimeStatistics()
        statistics.running = true
        statistics.eventsIn = 100
        statistics.deadLettersByCode = ["SCHEMA_VIOLATION": 2]
        statistics.transactionsByType = ["goods_issue": 3]
        statistics.lagByPartition = ["mfg.production.v1[0]": 7, "mfg.production.v1[1]": 0]
        statistics.lag = 7
        exporter.update(statistics, readiness: Readiness(statistics, maxLag: 10))
        statistics.eventsIn = 250
        statistics.deadLettersByCode["SCHEMA_VIOLATION"] = 5
        statistics.lagByPartition = ["mfg.production.v1[1]": 4]
        statistics.lag = 4
        exporter.update(statistics, readiness: Readiness(statistics, maxLag: 10))
        let samples = Self.samples(exporter)
        #expect(samples["plantstream_events_in_total"] == 250)
        #expect(samples["plantstream_dead_letters_total{code=\"SCHEMA_VIOLATION\"}"] == 5)
        #expect(samples["plantstream_transactions_total{txn_type=\"goods_issue\"}"] == 3)
        #expect(samples["plantstream_consumer_lag_records"] == 4)
        #expect(samples["plantstream_partition_lag_records{partition=\"mfg.production.v1[1]\"}"] == 4)
        #expect(samples["plantstream_partition_lag_records{partition=\"mfg.production.v1[0]\"}"] == nil)
        #expect(samples["plantstream_ready"] == 1)
    }

    @Test func readinessNamesEveryReason() {
        var statistics = RuntimeStatistics()
        #expect(Readiness(statistics, maxLag: 0).reasons.count == 1)
        statistics.running = true
        statistics.clusterReachable = false
        statistics.lag = 11
        let readiness = Readiness(statistics, maxLag: 10)
        #expect(!readiness.isReady)
        #expect(
            readiness.reasons == ["the Kafka cluster is unreachable", "lag 11 records exceeds 10 (--ready-max-lag)"])
        statistics.clusterReachable = true
        statistics.lag = 10
        #expect(Readiness(statistics, maxLag: 10).isReady)
    }
}
