/// Receives every record a ``PartitionTask`` writes: outputs, dead letters, exceptions, table rows and
/// changelog records. The runtime implements it with the Kafka producer; the test driver with arrays.
///
/// - Important: Called synchronously on the task's thread; the record's buffers are valid only during
///   the call.
package protocol Sink: AnyObject {
    /// Takes one record.
    func send(_ record: OutgoingRecord)
}
