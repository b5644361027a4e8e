import JSON

/// A finished record on its way from `emit` to its output, through the gates that may park it.
///
/// Its bytes are borrowed from `emit`'s buffers: valid only while the stages handle it.
struct Posting {
    /// Where it goes.
    var destination: Destination
    /// The Kafka key (`nil` for none).
    var key: UnsafeRawBufferPointer?
    /// The record.
    var value: UnsafeRawBufferPointer
    /// Kafka headers (those of a record routed unchanged; none for records `emit` builds).
    var headers = UnsafeBufferPointer<RecordHeader>(start: nil, count: 0)
    /// `value` parsed, when `emit` parsed it (gates that write exceptions parse it otherwise).
    var document: JSONNode?
    /// The record timestamp.
    var timestamp: Int64
    /// The record's plant and the posting's plant-local day (for the period gate).
    var plant: Value
    var postingDay: Int64
}

/// A stage between `emit` and the output: a gate that may park a posting, or the sink that writes it.
protocol PostingStage: AnyObject {
    /// Takes a posting of `record` (the record that made it, still current).
    func accept(_ posting: Posting, of record: RecordContext)
    /// The stage's state stores.
    var stores: [StateStore] { get }
    /// A global table row changed.
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer)
    /// State was restored from a changelog.
    func stateRestored()
}

extension PostingStage {
    var stores: [StateStore] { [] }
    func tableChanged(_ table: GlobalTable, key: UnsafeRawBufferPointer) {}
    func stateRestored() {}
}

extension Posting {
    /// Calls `body` with the posting parsed (its document, or the value parsed into `tape`); `nil` when the value
    /// is not JSON (an engine bug: `emit` writes JSON).
    func withDocument<R>(tape: JSONTape, _ body: (JSONNode?) -> R) -> R {
        if let document { return body(document) }
        return body(try? JSONReader().parse(value, into: tape).root)
    }
}
