/// The last stage of an `emit`: writes the posting to its output and counts it where it arises (one more
/// transaction of the output schema's `txnType`, one more output).
final class OutputSink: PostingStage {
    private let context: StepContext
    private let counters: TaskCounters
    /// The counter slot of the `txnType` the emit's schema fixes, if any.
    private let transactionSlot: Int?

    init(context: StepContext, transactionType: String?) {
        self.context = context
        counters = context.counters
        transactionSlot = transactionType.map(counters.transactionSlot(for:))
    }

    @inline(__always)
    func accept(_ posting: Posting, of record: RecordContext) {
        counters.metrics.outputs += 1
        if let transactionSlot { counters.countTransaction(slot: transactionSlot) }
        context.write(
            posting.destination, key: posting.key, value: posting.value, headers: posting.headers,
            timestamp: posting.timestamp, origin: record)
    }
}
