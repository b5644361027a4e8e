/// A change of a consumer's assignment, handed synchronously to the polling thread.
///
/// On ``Kind-swift.enum/assigned`` the handler runs before any record of the new partitions is
/// returned; it may set ``partitions``' offsets to choose where each starts (default
/// ``KafkaOffset/unset``: the committed offset, else `auto.offset.reset`). On
/// ``Kind-swift.enum/revoked`` it runs before the partitions are taken away: flush and commit
/// their state now; records of revoked partitions that were fetched but not yet returned are
/// discarded (they are redelivered to the next owner from the committed offset). On
/// ``Kind-swift.enum/lost`` the partitions already belong to someone else: do not commit.
public struct KafkaRebalance: Sendable {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// Partitions were added to the assignment.
        case assigned
        /// Partitions are about to be removed from the assignment.
        case revoked
        /// Partitions were lost (e.g. session timeout) and may already be consumed elsewhere.
        case lost
    }

    /// What happened.
    public var kind: Kind
    /// The partitions concerned (for ``Kind-swift.enum/assigned``, with settable start offsets).
    public var partitions: [KafkaTopicPartitionOffset]

    /// Creates a rebalance event.
    public init(kind: Kind, partitions: [KafkaTopicPartitionOffset]) {
        self.kind = kind
        self.partitions = partitions
    }
}
