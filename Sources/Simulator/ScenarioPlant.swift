/// One simulated plant: its lines and machines, materials, products, orders, lots, storage locations and
/// reason codes, all taken from the reference data the topology loads.
struct ScenarioPlant: Sendable {
    /// A production line of machines.
    struct Line: Sendable {
        var id: String
        var areaId: String
        /// Indices into ``ScenarioPlant/machines``.
        var machines: [Int]
        /// Indices into ``ScenarioPlant/products`` the line makes.
        var products: [Int]
    }

    /// A machine (ISA-95 work unit) with its ERP work center.
    struct Machine: Sendable {
        var equipmentId: String
        var lineIndex: Int
        var areaId: String
        var lineId: String
        var workCellId: String?
        var workCenterId: String
        /// Ideal cycle time per product index (ms); `defaultIdealCycleMs` when a product has none.
        var idealCycleMs: [Int: Int64]
        var defaultIdealCycleMs: Int64
        /// Parts made per cycle.
        var partsPerCycle: Int
    }

    /// A work center's standard value keys in slot order (work_center_activities).
    struct WorkCenter: Sendable {
        var id: String
        var activityKeys: [String]
    }

    /// A finished or semi-finished product with its bill of materials.
    struct Product: Sendable {
        struct Component: Sendable {
            /// Index into ``ScenarioPlant/materials``.
            var material: Int
            /// Quantity per produced unit in the component's base unit, in thousandths.
            var milliPerUnit: Int64
            /// Index of the routing operation (0 = first) that consumes it.
            var operationIndex: Int
            var backflush: Bool
        }

        /// Index into ``ScenarioPlant/materials``.
        var material: Int
        var components: [Component]
    }

    /// A released order of the order master (order_operations).
    struct Order: Sendable {
        struct Operation: Sendable {
            var id: String
            var sequenceId: String
            var workCenterId: String
            /// Index into ``ScenarioPlant/machines``.
            var machine: Int
            var controlKey: String
            var confirmationNumber: String?
            var autoGoodsReceipt: Bool
        }

        var id: String
        /// Index into ``ScenarioPlant/products``.
        var product: Int
        /// Index into ``ScenarioPlant/lines``.
        var line: Int
        /// Planned quantity in units of the product's base unit.
        var plannedQty: Int64
        var orderType: String
        var operations: [Operation]
    }

    /// A batch of the ERP stock snapshot (batch_stock).
    struct Lot: Sendable {
        /// Index into ``ScenarioPlant/materials``.
        var material: Int
        var batch: String
        var storageLocationId: String
        var stockType: String
        var milli: Int64
    }

    var id: String
    var enterpriseId: String
    var timeZone: String
    /// Code set of the plant's scrap reasons (`mes-DE01`).
    var codeSet: String
    var lines: [Line]
    var machines: [Machine]
    var workCenters: [WorkCenter]
    var materials: [ScenarioMaterial]
    var products: [Product]
    var orders: [Order]
    var lots: [Lot]
    /// Where finished goods are received when the material names none.
    var productionStorageLocation: String
    /// Where components are staged and issued from (line side).
    var issueStorageLocation: String
    /// Where components are stored before they are staged (and inventory is scrapped from).
    var warehouseStorageLocation: String
    /// Where finished goods are put away (no put-away when it is the production storage location).
    var finishedStorageLocation: String
    /// Where held stock is moved to, if the plant has such an area.
    var qualityStorageLocation: String?
    var reasons: [ScenarioReason]
    /// Open posting periods as (first day, last day) day numbers.
    var openPeriods: [(from: Int64, to: Int64)]
    /// Local times of day (ms after midnight) at which each line's break starts.
    var breakTimes: [Int64]

    /// Reasons of one purpose.
    func reasons(for purpose: ScenarioReason.Purpose) -> [ScenarioReason] {
        reasons.filter { $0.purpose == purpose }
    }

    /// The work center with the id, if the reference data has it.
    func workCenter(_ id: String) -> WorkCenter? {
        workCenters.first { $0.id == id }
    }
}
