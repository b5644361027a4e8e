/// Parks a posting whose record missed master data in an `enrich` with `onMissing: exception`: a PARKED
/// exception (`ENRICHMENT_MISS`) is written instead of the posting.
final class EnrichMissGate: PostingStage {
    private let context: StepContext
    private let next: PostingStage

    init(context: StepContext, next: PostingStage) {
        self.context = context
        self.next = next
    }

    func accept(_ posting: Posting, of record: RecordContext) {
        guard let reason = record.parkReason else { return next.accept(posting, of: record) }
        posting.withDocument(tape: context.outputTape) { document in
            guard let document else { return }
            context.exception(
                PostingException(
                    reason: .enrichmentMiss, message: reason.message, holdId: nil, txn: document, embedTxn: true,
                    kafkaKey: posting.key, timestamp: posting.timestamp))
        }
    }
}
