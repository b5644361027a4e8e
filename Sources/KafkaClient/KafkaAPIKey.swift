/// A Kafka protocol request type, for fault injection on the embedded cluster.
public struct KafkaAPIKey: Hashable, Sendable, CustomStringConvertible {
    /// The protocol's ApiKey number.
    public let rawValue: Int16
    private let name: String

    /// Creates a key from its protocol number.
    public init(rawValue: Int16) {
        self.rawValue = rawValue
        self.name = "ApiKey(\(rawValue))"
    }

    private init(_ rawValue: Int16, _ name: String) {
        self.rawValue = rawValue
        self.name = name
    }

    public var description: String { name }

    /// Produce (0).
    public static let produce = KafkaAPIKey(0, "Produce")
    /// Fetch (1).
    public static let fetch = KafkaAPIKey(1, "Fetch")
    /// ListOffsets (2).
    public static let listOffsets = KafkaAPIKey(2, "ListOffsets")
    /// Metadata (3).
    public static let metadata = KafkaAPIKey(3, "Metadata")
    /// OffsetCommit (8).
    public static let offsetCommit = KafkaAPIKey(8, "OffsetCommit")
    /// OffsetFetch (9).
    public static let offsetFetch = KafkaAPIKey(9, "OffsetFetch")
    /// FindCoordinator (10).
    public static let findCoordinator = KafkaAPIKey(10, "FindCoordinator")
    /// JoinGroup (11).
    public static let joinGroup = KafkaAPIKey(11, "JoinGroup")
    /// Heartbeat (12).
    public static let heartbeat = KafkaAPIKey(12, "Heartbeat")
    /// LeaveGroup (13).
    public static let leaveGroup = KafkaAPIKey(13, "LeaveGroup")
    /// SyncGroup (14).
    public static let syncGroup = KafkaAPIKey(14, "SyncGroup")
    /// InitProducerId (22).
    public static let initProducerID = KafkaAPIKey(22, "InitProducerId")
    /// AddPartitionsToTxn (24).
    public static let addPartitionsToTxn = KafkaAPIKey(24, "AddPartitionsToTxn")
    /// AddOffsetsToTxn (25).
    public static let addOffsetsToTxn = KafkaAPIKey(25, "AddOffsetsToTxn")
    /// EndTxn (26).
    public static let endTxn = KafkaAPIKey(26, "EndTxn")
    /// TxnOffsetCommit (28).
    public static let txnOffsetCommit = KafkaAPIKey(28, "TxnOffsetCommit")
}
