import JSON
import Logging

/// A task's ``StepContext`` for one of its pipelines: routes what the pipeline's steps write to the task's
/// ``TaskOutput`` and collects the table rows they write for the engine to apply after the current record.
final class TaskStepContext: StepContext {
    let pipeline: PipelinePlan
    let clock: TaskClock
    let counters: TaskCounters
    let logger: Logger
    private let output: TaskOutput
    private let tables: TableFeedback
    private let destinations: [Destination]
    private let aliasCount: Int
    private let identity: EventIdentity

    init(
        pipeline: PipelinePlan, output: TaskOutput, clock: TaskClock, tables: TableFeedback,
        destinations: [Destination], aliasCount: Int, identity: EventIdentity, logger: Logger
    ) {
        self.pipeline = pipeline
        self.output = output
        self.clock = clock
        counters = output.counters
        self.tables = tables
        self.destinations = destinations
        self.aliasCount = aliasCount
        self.identity = identity
        self.logger = logger
    }

    var topic: String { output.topic }
    var partition: Int32 { output.partition }
    var outputTape: JSONTape { output.outputTape }

    func makeRecordContext() -> RecordContext {
        RecordContext(topic: output.topic, partition: output.partition, aliasCount: aliasCount, identity: identity)
    }

    func deadLetter(_ record: RecordContext, _ failure: RecordFailure) {
        output.deadLetter(record, failure, pipeline: pipeline)
    }

    func exception(_ exception: PostingException) {
        output.exception(exception, pipeline: pipeline)
    }

    @inline(__always)
    func write(
        _ destination: Destination, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer,
        headers: UnsafeBufferPointer<RecordHeader>, timestamp: Int64, origin: RecordContext
    ) {
        output.write(
            destination, key: key, value: value, headers: headers, timestamp: timestamp, pipeline: pipeline,
            origin: origin)
        if destination.kind == .table { tables.written(destination, key: key, value: value) }
    }

    func destination(named name: String) -> Destination? {
        destinations.first { $0.name == name && $0.kind != .changelog }
    }
}
