/// Topics the broker refuses to take records for (missing write permission, a policy, a topic that is gone), as
/// the runtime learned them from failed deliveries. A record for a refused topic is written as an
/// `OUTPUT_REFUSED` dead letter of its pipeline instead, so one refused output never stops the processor; the
/// dead letter keeps the record for `plantstream dlq replay --to-topic` once the topic takes writes again.
///
/// - Important: Confined to the processing thread (the runtime registers refusals between batches).
package final class OutputRefusals {
    /// The broker's reason per destination index; `nil` while the destination is not refused.
    @exclusivity(unchecked) private var reasons: [String?]
    /// Whether nothing is refused (checked once per record written).
    @exclusivity(unchecked) package private(set) var isEmpty = true

    init(destinationCount: Int) {
        reasons = Array(repeating: nil, count: destinationCount)
    }

    /// Refuses `destination` from now on.
    ///
    /// - Parameters:
    ///   - destination: An output or exception destination (dead-letter, table and changelog destinations cannot
    ///     be replaced: refusals of those stop the processor).
    ///   - reason: The broker's answer, e.g. `Broker: Topic authorization failed`.
    package func refuse(_ destination: Destination, reason: String) {
        precondition(Self.canReplace(destination))
        reasons[destination.index] = reason
        isEmpty = false
    }

    /// Why `destination` is refused, or `nil`.
    @inline(__always)
    package func reason(for destination: Destination) -> String? {
        isEmpty ? nil : reasons[destination.index]
    }

    /// Whether records for `destination` can be replaced by a dead letter when refused.
    package static func canReplace(_ destination: Destination) -> Bool {
        destination.kind == .records || destination.kind == .exceptions
    }
}
