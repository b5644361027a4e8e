import Synchronization

/// A flag the services set to ask the processing thread to stop after its current batch.
public final class StopSignal: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Creates an unset signal.
    public init() {}

    /// Asks to stop.
    public func set() { flag.store(true, ordering: .releasing) }

    /// Whether a stop was asked for.
    public var isSet: Bool { flag.load(ordering: .acquiring) }
}
