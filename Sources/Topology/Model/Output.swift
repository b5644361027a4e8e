/// `outputs:` entry — a topic PlantStream writes.
public struct Output: Sendable, Hashable {
    public var name: String
    public var topic: String
    public var kind: Kind
    /// Partition count used when the topic is created (demo / embedded broker).
    public var partitions: Int
    public var location: SourceLocation

    /// What the output carries.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// ERP transactions or analytics records (validated against their schema).
        case records
        /// Dead letters: original bytes plus reason headers.
        case deadLetter = "dead_letter"
        /// Exception records (`erp.exception`): parked, cancelled, enrichment misses.
        case exceptions
        /// Compacted topic that feeds a global table.
        case table
    }

    public init(name: String, topic: String, kind: Kind = .records, partitions: Int = 6, location: SourceLocation) {
        self.name = name
        self.topic = topic
        self.kind = kind
        self.partitions = partitions
        self.location = location
    }
}
