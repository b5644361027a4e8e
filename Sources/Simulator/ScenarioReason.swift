/// A reason code of a plant (reason_code_map row).
struct ScenarioReason: Sendable {
    /// What the code explains.
    enum Purpose: Sendable, Hashable {
        /// Downtime of a loss type (`EQUIPMENT_FAILURE`, …).
        case downtime(lossType: String)
        /// Scrap found in production (a quality loss with an ERP variance reason).
        case scrap
        /// Scrap of stock (a movement reason, no OEE category).
        case inventoryScrap
        /// Why quality puts lots on hold.
        case quality
    }

    var code: String
    var codeSet: String
    var text: String?
    var purpose: Purpose
    /// The OEE category says the time is not scheduled (breaks, no order).
    var notScheduled = false
}
