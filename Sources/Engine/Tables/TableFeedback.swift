/// Rows the engine's own pipelines wrote to outputs of kind `table`, waiting to be applied to the global table
/// that reads the same topic — after the record that wrote them, so a `quality.hold.created` and its release in
/// one batch, or a hold and the goods issue after it, see each other exactly as in the topic's order.
///
/// - Important: Confined to the engine's thread.
final class TableFeedback {
    struct Row {
        var topic: String
        var key: [UInt8]
        var value: [UInt8]?
    }

    @exclusivity(unchecked) private(set) var pending: [Row] = []

    /// `true` when rows wait.
    var isEmpty: Bool { pending.isEmpty }

    /// Remembers a row written to a table output.
    func written(_ destination: Destination, key: UnsafeRawBufferPointer?, value: UnsafeRawBufferPointer?) {
        pending.append(Row(topic: destination.topic, key: key.map { Array($0) } ?? [], value: value.map { Array($0) }))
    }

    /// Returns and forgets the waiting rows.
    func take() -> [Row] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }
}
