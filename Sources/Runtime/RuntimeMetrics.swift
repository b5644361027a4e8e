import Synchronization

/// The processor's statistics, shared with the demo's status line and tests.
///
/// The processing thread publishes a fresh ``RuntimeStatistics`` a few times a second (per batch, never
/// per record); readers take the latest snapshot.
public final class RuntimeMetrics: Sendable {
    private let state = Mutex(RuntimeStatistics())

    /// Creates empty metrics.
    public init() {}

    /// The latest snapshot.
    public var snapshot: RuntimeStatistics { state.withLock { $0 } }

    /// Replaces the snapshot (processing thread).
    func publish(_ statistics: RuntimeStatistics) {
        state.withLock { $0 = statistics }
    }
}
