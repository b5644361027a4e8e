/// The kinds of `erp.exception` records the engine writes (`exceptionKind`), and why (`reasonCode`): listed
/// in one place, from which the table in docs/engine.md is generated.
package enum ExceptionKind: String, Sendable, Hashable, CaseIterable {
    /// A posting was not written and waits (for a hold's release, master data, an open period).
    case parked = "PARKED"
    /// A parked posting was dropped for good (its lot was scrapped).
    case cancelled = "CANCELLED"
    /// Parked postings of a lot were written after its hold ended.
    case released = "RELEASED"

    /// Why an exception was written.
    package struct Reason: Hashable, Sendable, CustomStringConvertible {
        /// The `reasonCode`.
        package let name: String
        /// The kind it goes with.
        package let kind: ExceptionKind
        /// When it is written.
        package let summary: String

        package var description: String { name }

        /// The lot is under quality hold: the posting is parked until the hold ends.
        package static let qualityHold = Reason(
            name: "QUALITY_HOLD", kind: .parked, summary: "the lot is under quality hold; the posting waits for its end"
        )
        /// The hold check itself failed: the posting is parked (fail safe) with the error.
        package static let holdCheckFailed = Reason(
            name: "HOLD_CHECK_FAILED", kind: .parked,
            summary: "the hold condition could not be evaluated; the posting is parked (fail safe) with the error")
        /// `enrich` found no row (`onMissing: exception`).
        package static let enrichmentMiss = Reason(
            name: "ENRICHMENT_MISS", kind: .parked, summary: "`enrich` found no row (`onMissing: exception`)")
        /// The posting date's period is not open.
        package static let periodClosed = Reason(
            name: "PERIOD_CLOSED", kind: .parked, summary: "the posting date's period is not open (`periodCheck`)")
        /// A parked posting's pipeline or output is no longer in the topology: it stays parked.
        package static let outputUnknown = Reason(
            name: "OUTPUT_UNKNOWN", kind: .parked,
            summary: "a parked posting's pipeline or output is no longer in the topology: it stays parked")
        /// The held lot was scrapped: its parked postings are cancelled.
        package static let holdDispositionScrap = Reason(
            name: "HOLD_DISPOSITION_SCRAP", kind: .cancelled,
            summary: "the held lot was scrapped (`cancelWhen`): the parked posting is dropped")
        /// The hold ended: the lot's parked postings were written, in order.
        package static let holdReleased = Reason(
            name: "HOLD_RELEASED", kind: .released,
            summary: "the hold ended: the lot's parked postings were written in order (`releasedTxnIds`)")

        /// Every reason, in documentation order.
        package static let all: [Reason] = [
            .qualityHold, .holdCheckFailed, .enrichmentMiss, .periodClosed, .outputUnknown, .holdDispositionScrap,
            .holdReleased,
        ]
    }

    /// The table of exception kinds and reasons in docs/engine.md.
    package static var markdownTable: String {
        var text = "| exceptionKind | reasonCode | when |\n|---|---|---|\n"
        for reason in Reason.all { text += "| `\(reason.kind.rawValue)` | `\(reason.name)` | \(reason.summary) |\n" }
        return text
    }
}
