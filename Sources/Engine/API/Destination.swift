/// A topic the engine writes: a topology output or a state changelog.
///
/// Created once by the ``Engine``; ``index`` is dense (0..<`engine.destinations.count`) so the runtime
/// can keep per-destination producer handles in an array.
package final class Destination: Sendable, CustomStringConvertible {
    /// What a destination carries.
    package enum Kind: String, Sendable, Hashable {
        /// ERP transactions or analytics records.
        case records
        /// Dead letters: original key, value and headers plus `ps_*` reason headers.
        case deadLetter = "dead_letter"
        /// Exception records (`erp.exception`).
        case exceptions
        /// Rows of a compacted topic that feeds a global table.
        case table
        /// A state store changelog (compacted; partition = the input partition).
        case changelog
    }

    /// Position in `Engine.destinations`.
    package let index: Int
    /// The output name in the topology, or the store name for changelogs.
    package let name: String
    /// The Kafka topic.
    package let topic: String
    package let kind: Kind

    init(index: Int, name: String, topic: String, kind: Kind) {
        self.index = index
        self.name = name
        self.topic = topic
        self.kind = kind
    }

    package var description: String { "\(name) (\(kind.rawValue), topic \(topic))" }
}
