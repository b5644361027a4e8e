import Timekeeping

/// `emit`'s `periodCheck`: parks a posting whose plant-local posting date is not in an open posting period of
/// its plant (a PARKED exception, `PERIOD_CLOSED`).
final class PeriodGate: PostingStage {
    private let context: StepContext
    private let calendar: PlantCalendar
    private let next: PostingStage

    init(context: StepContext, calendar: PlantCalendar, next: PostingStage) {
        self.context = context
        self.calendar = calendar
        self.next = next
    }

    func accept(_ posting: Posting, of record: RecordContext) {
        guard !isOpen(posting.plant, day: posting.postingDay) else { return next.accept(posting, of: record) }
        posting.withDocument(tape: context.outputTape) { document in
            guard let document else { return }
            context.exception(
                PostingException(
                    reason: .periodClosed,
                    message: "posting period of \(RFC3339.dateString(days: posting.postingDay)) is not open",
                    holdId: nil, txn: document, embedTxn: true, kafkaKey: posting.key, timestamp: posting.timestamp))
        }
    }

    private func isOpen(_ plantValue: Value, day: Int64) -> Bool {
        guard !calendar.isAbsent else { return true }
        guard let plant = plantValue.withString({ calendar.plant($0) }) ?? nil else { return false }
        guard let periods = plant.openPeriods else { return true }
        return periods.contains { day >= $0.from && day <= $0.to }
    }
}
