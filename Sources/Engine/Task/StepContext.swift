import JSON
import Logging

/// What a pipeline step may use: the only way from a node to the rest of its task.
///
/// Each task gives every pipeline its own context. A node holds its context (never the task), reads time and
/// counts facts through it, and hands everything it writes — dead letters, exceptions, records — to it. Data
/// flows one way: a node pushes records to the node after it and never calls a node before it.
protocol StepContext: AnyObject {
    /// The pipeline the step belongs to.
    var pipeline: PipelinePlan { get }
    /// The source topic and partition of the task.
    var topic: String { get }
    var partition: Int32 { get }
    /// Stream time and wall-clock activity of the task.
    var clock: TaskClock { get }
    /// The task's counters.
    var counters: TaskCounters { get }
    /// Where configuration and state problems are logged.
    var logger: Logger { get }
    /// A reused tape for parsing the task's outputs (valid until the next use).
    var outputTape: JSONTape { get }

    /// A record context for records a step makes itself (window results, released postings).
    func makeRecordContext() -> RecordContext
    /// Writes a dead letter for the record (its original bytes, or a window result, plus reason headers).
    func deadLetter(_ record: RecordContext, _ failure: RecordFailure)
    /// Writes an `erp.exception` record about a posting to the pipeline's exceptions output.
    func exception(_ exception: PostingException)
    /// Writes a record to an output, replacing it by a `RECORD_TOO_LARGE` dead letter when the producer would
    /// refuse it; rows written to `table` outputs are applied to the engine's table after the current record.
    func write(
        _ destination: Destination, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer,
        headers: UnsafeBufferPointer<RecordHeader>, timestamp: Int64, origin: RecordContext)
    /// An output of the topology by name (restored state names its outputs).
    func destination(named name: String) -> Destination?
}

/// An exception record about a posting: the kind and reason, the posting itself and where it came from.
struct PostingException {
    var reason: ExceptionKind.Reason
    var message: String
    var holdId: [UInt8]?
    /// The posting (embedded unless the kind is `RELEASED`; its header fields are copied).
    var txn: JSONNode
    var embedTxn: Bool
    var releasedTxnIds: [[UInt8]] = []
    /// The Kafka key (the posting's), else the exception's txn id.
    var kafkaKey: UnsafeRawBufferPointer?
    var timestamp: Int64
}
