import Runtime

/// Whether a processor should get traffic (Kubernetes readiness): started (global tables loaded, partitions
/// restored), the cluster reachable, and every assigned partition caught up within `maxLag` records.
public struct Readiness: Sendable, Hashable {
    /// Why the processor is not ready (empty when it is).
    public var reasons: [String]

    /// Ready when nothing stands in the way.
    public var isReady: Bool { reasons.isEmpty }

    /// Judges a statistics snapshot.
    public init(_ statistics: RuntimeStatistics, maxLag: Int) {
        var reasons: [String] = []
        if !statistics.running { reasons.append("starting: global tables and partitions are being loaded") }
        if !statistics.clusterReachable { reasons.append("the Kafka cluster is unreachable") }
        if statistics.lag > maxLag {
            reasons.append("lag \(statistics.lag) records exceeds \(maxLag) (--ready-max-lag)")
        }
        self.reasons = reasons
    }
}
