import JSON

/// Rounding residues of `convert()` carried per window group key, so posted totals never drift.
///
/// For a conversion `q × a / b` (a, b from the unit factors) the posted value is
/// `round3((q × a + r) / b)` and the new residue `r` is the exact remainder; the sum of posted values
/// therefore differs from the exact total by less than half a unit of the third decimal.
/// Residues are kept in the window step's store (changelogged); a residue of zero is deleted.
final class ResidueBook {
    private let store: LoggedStore<StoredDecimal>

    init(store: LoggedStore<StoredDecimal>) {
        self.store = store
    }

    /// Converts with carried residue for `key` and returns the posted (rounded) value.
    func convert(
        _ quantity: ExactDecimal, multiplier: ExactDecimal, divisor: ExactDecimal, scale: Int, key: [UInt8]
    ) throws(JSONError) -> ExactDecimal {
        let storeKey = key
        let index = storeKey.withUnsafeBytes { store.index(of: $0) }
        let carried = index.map { store[$0].value } ?? .zero
        let exact = try quantity.multiplied(by: multiplier).adding(carried)
        let (posted, remainder) = try exact.dividedWithRemainder(by: divisor, scale: scale)
        if remainder.isZero {
            if let index { store.remove(at: index) }
        } else if let index {
            store.update(at: index) { $0.value = remainder }
        } else {
            store.insert(storeKey, value: StoredDecimal(value: remainder))
        }
        return posted
    }
}

/// A decimal held in a store.
struct StoredDecimal: StateCodable {
    var value: ExactDecimal

    func encode(into writer: inout StateWriter) {
        var text: [UInt8] = []
        value.appendText(to: &text)
        writer.write(bytes: text)
    }

    static func decode(from reader: inout StateReader) throws(EngineError) -> StoredDecimal {
        let text = try reader.readBytes()
        guard let value = text.withUnsafeBytes({ try? ExactDecimal(parsing: $0) }) else {
            throw EngineError(.corruptState, "bad decimal in changelog record")
        }
        return StoredDecimal(value: value)
    }
}
