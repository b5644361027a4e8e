import Simulator

/// Where the ``SimulatorService`` puts records: Kafka, a JSON-lines file, or nowhere (a dry run). Created and
/// used on the service's one thread.
public protocol SimulatedRecordSink {
    /// Hands on one record (borrowed for the call).
    mutating func send(_ record: SimulatedRecordView) throws(SimulatorSinkError)
    /// Serves what completed meanwhile (delivery reports) without waiting.
    mutating func serve()
    /// Waits up to `duration` while pacing, serving what completes meanwhile.
    mutating func idle(for duration: Duration)
    /// Flushes what was handed on; returns a summary line for the report, if the sink has one.
    /// - Throws: ``SimulatorSinkError`` when records could not be delivered.
    mutating func finish() throws(SimulatorSinkError) -> String?
}

extension SimulatedRecordSink {
    public mutating func serve() {}
    public mutating func idle(for duration: Duration) { SimulatorService.pause(duration) }
    public mutating func finish() throws(SimulatorSinkError) -> String? { nil }
}

/// Why records could not be handed on.
public struct SimulatorSinkError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

/// A dry run: records are generated and dropped.
public struct DiscardingRecordSink: SimulatedRecordSink {
    /// Creates the sink.
    public init() {}

    public mutating func send(_ record: SimulatedRecordView) throws(SimulatorSinkError) {}
}
