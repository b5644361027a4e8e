/// `tables:` entry — a global table fully loaded on every instance.
public struct Table: Sendable, Hashable {
    public var name: String
    public var origin: Origin
    /// Key columns; a topic-fed table's Kafka key is these values joined with `|`.
    public var key: [String]
    /// Optional column with the date or timestamp from which a row is valid (effective-dated rows).
    public var validFrom: String?
    public var location: SourceLocation

    /// Where the rows come from.
    public enum Origin: Sendable, Hashable {
        /// A file under the reference directory (`.csv` with a header row, or `.yaml`/`.json` list of objects).
        case file(String)
        /// A compacted topic; the value is a JSON object (the row), a tombstone deletes the key.
        case topic(String)
    }

    public init(name: String, origin: Origin, key: [String], validFrom: String? = nil, location: SourceLocation) {
        self.name = name
        self.origin = origin
        self.key = key
        self.validFrom = validFrom
        self.location = location
    }
}
