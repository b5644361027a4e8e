/// A material of a plant (material master row).
struct ScenarioMaterial: Sendable {
    /// What the simulator does with a material.
    enum Kind: Sendable {
        case finished
        case component
    }

    /// An alternative unit: `qty_uom × numerator / denominator = qty_baseUom`.
    struct AlternativeUnit: Sendable {
        var uom: String
        var numerator: Int64
        var denominator: Int64
    }

    var id: String
    var kind: Kind
    var baseUom: String
    var batchManaged: Bool
    var shelfLifeDays: Int?
    /// Decimals the base unit is counted in (0 for pieces).
    var decimals: Int
    var productionStorageLocation: String?
    var issueStorageLocation: String?
    var alternativeUnits: [AlternativeUnit]

    /// Whether quantities are counted in whole units.
    var isDiscrete: Bool { decimals == 0 }
}
