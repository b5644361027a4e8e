import JSON

/// `hold:` — quality-hold gating (domain.md §2.5 rule 1), in two parts that keep data flowing one way:
///
/// - the **check** (``HoldCheck``, where `hold:` is written) evaluates the lot key in the step's scope and asks
///   the lot-status table whether the lot is held, and leaves the answer on the record (``HoldMark``, data only);
/// - the **gate** (``HoldGate``, after the next `emit`) parks that emit's posting when the mark says so: the
///   posting is kept in order per lot in the partition's changelogged state and a PARKED `erp.exception`
///   (`QUALITY_HOLD`) is written. When the lot's row changes so that it is no longer held, the parked postings
///   are written in their original order, followed by a RELEASED notice; when the change satisfies
///   `cancelWhen` (default `disposition == 'SCRAP'`) each is written as a CANCELLED exception instead.
///
/// Fail safe: when `heldWhen` cannot be evaluated the posting is parked (`HOLD_CHECK_FAILED`, naming the
/// error), and parked postings stay parked while it cannot.
final class HoldStepPlan: StepPlan {
    let table: GlobalTable
    let lotParts: KeyPlan
    let heldWhen: Evaluator
    let cancelWhen: Evaluator
    let storeDestination: Destination

    init(
        table: GlobalTable, lotParts: KeyPlan, heldWhen: @escaping Evaluator, cancelWhen: @escaping Evaluator,
        storeDestination: Destination
    ) {
        self.table = table
        self.lotParts = lotParts
        self.heldWhen = heldWhen
        self.cancelWhen = cancelWhen
        self.storeDestination = storeDestination
    }

    func makeNode(in context: StepContext) -> StepNode { HoldCheck(plan: self, context: context) }

    /// What a lot's current row says.
    enum LotState: Equatable {
        case held
        case free
        /// `heldWhen` failed (treated as held).
        case undecidable(String)
    }

    /// Evaluates `heldWhen` on the lot's current row (no row: free).
    func state(of lot: [UInt8], rowContext: RecordContext) -> (state: LotState, row: OwnedDocument?) {
        guard let row = lot.withUnsafeBytes({ table.lookup($0, at: Int64.max) }) else { return (.free, nil) }
        rowContext.event = row.root
        defer { rowContext.event = nil }
        do {
            return (try heldWhen(rowContext).isTrue ? .held : .free, row)
        } catch {
            return (.undecidable("heldWhen failed on the lot-status row: \(error)"), row)
        }
    }

    /// The hold id: the row's `holdId`, else the first of `activeHoldIds`, else the lot key.
    static func holdId(_ row: OwnedDocument?, lotKey: [UInt8]) -> [UInt8] {
        if let id = row?.root["holdId"], id.kind == .string { return Value.node(id).textBytes }
        if let ids = row?.root["activeHoldIds"], let first = ids[0], first.kind == .string {
            return Value.node(first).textBytes
        }
        return lotKey.map { $0 == 0x7C ? 0x3A : $0 }
    }
}

/// What the hold check found for a record's lot: data the gate after `emit` acts on.
struct HoldMark {
    /// The lot key (key parts joined with `|`).
    var lotKey: [UInt8]
    /// `true` when the posting must be parked.
    var park: Bool
    /// The hold id (when parked).
    var holdId: [UInt8]
    /// Why the check could not decide (the posting is parked, fail safe).
    var failure: String?
}

/// The `hold:` step in its pipeline position: evaluates the lot key and the lot's state, marks the record.
final class HoldCheck: StepNode {
    var next: StepNode?
    private let plan: HoldStepPlan
    private let context: StepContext
    private let rowContext: RecordContext
    private var lotKey: [UInt8] = []

    init(plan: HoldStepPlan, context: StepContext) {
        self.plan = plan
        self.context = context
        rowContext = context.makeRecordContext()
    }

    func push(_ record: RecordContext) {
        lotKey.removeAll(keepingCapacity: true)
        do {
            try plan.lotParts.append(record, separator: 0x7C, to: &lotKey)
        } catch {
            context.deadLetter(record, error)
            return
        }
        let (state, row) = plan.state(of: lotKey, rowContext: rowContext)
        switch state {
        case .held:
            record.hold = HoldMark(
                lotKey: lotKey, park: true, holdId: HoldStepPlan.holdId(row, lotKey: lotKey), failure: nil)
        case .free:
            record.hold = HoldMark(lotKey: lotKey, park: false, holdId: [], failure: nil)
        case .undecidable(let failure):
            record.hold = HoldMark(
                lotKey: lotKey, park: true, holdId: HoldStepPlan.holdId(row, lotKey: lotKey), failure: failure)
        }
        next?.push(record)
    }
}
