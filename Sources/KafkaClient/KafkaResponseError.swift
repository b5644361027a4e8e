import CRdKafka

/// A librdkafka error code (`rd_kafka_resp_err_t`): Kafka protocol errors (≥ 0) and librdkafka's
/// local errors (negative, names starting with `_`).
public struct KafkaResponseError: Hashable, Sendable, CustomStringConvertible {
    /// The numeric librdkafka error code.
    public let rawValue: Int32

    /// Wraps a raw librdkafka error code.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    init(_ code: rd_kafka_resp_err_t) { self.rawValue = code.rawValue }

    var cValue: rd_kafka_resp_err_t { rd_kafka_resp_err_t(rawValue: rawValue) }

    /// The librdkafka name, e.g. `QUEUE_FULL` or `NOT_LEADER_FOR_PARTITION`.
    public var name: String {
        // rd_kafka_err2name returns a static string owned by librdkafka.
        String(cString: rd_kafka_err2name(cValue))
    }

    /// librdkafka's human-readable description.
    public var explanation: String {
        // rd_kafka_err2str returns a static string owned by librdkafka.
        String(cString: rd_kafka_err2str(cValue))
    }

    public var description: String { name }

    /// The local queue is full (`_QUEUE_FULL`).
    public static let queueFull = KafkaResponseError(RD_KAFKA_RESP_ERR__QUEUE_FULL)
    /// A local operation timed out (`_TIMED_OUT`).
    public static let timedOut = KafkaResponseError(RD_KAFKA_RESP_ERR__TIMED_OUT)
    /// A message timed out in the producer queue (`_MSG_TIMED_OUT`).
    public static let messageTimedOut = KafkaResponseError(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
    /// The connection to a broker failed (`_TRANSPORT`); injected on the embedded cluster it
    /// disconnects the client.
    public static let transport = KafkaResponseError(RD_KAFKA_RESP_ERR__TRANSPORT)
    /// Every broker connection of the client is down (`_ALL_BROKERS_DOWN`); librdkafka keeps reconnecting.
    public static let allBrokersDown = KafkaResponseError(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
    /// The broker does not support the feature (`_UNSUPPORTED_FEATURE`).
    public static let unsupportedFeature = KafkaResponseError(RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE)
    /// No stored offsets to commit (`_NO_OFFSET`).
    public static let noOffset = KafkaResponseError(RD_KAFKA_RESP_ERR__NO_OFFSET)
    /// The partition is not assigned or the call is not allowed now (`_STATE`).
    public static let state = KafkaResponseError(RD_KAFKA_RESP_ERR__STATE)
    /// The topic or partition does not exist (`UNKNOWN_TOPIC_OR_PART`).
    public static let unknownTopicOrPartition = KafkaResponseError(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
    /// The broker is not the partition's leader (`NOT_LEADER_FOR_PARTITION`).
    public static let notLeaderForPartition = KafkaResponseError(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
    /// The broker timed out the request (`REQUEST_TIMED_OUT`).
    public static let requestTimedOut = KafkaResponseError(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
    /// Not enough in-sync replicas (`NOT_ENOUGH_REPLICAS`).
    public static let notEnoughReplicas = KafkaResponseError(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
    /// Not enough in-sync replicas after append (`NOT_ENOUGH_REPLICAS_AFTER_APPEND`).
    public static let notEnoughReplicasAfterAppend = KafkaResponseError(
        RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND
    )
    /// The coordinator is loading (`COORDINATOR_LOAD_IN_PROGRESS`).
    public static let coordinatorLoadInProgress = KafkaResponseError(
        RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS
    )
    /// The broker is not the coordinator (`NOT_COORDINATOR`).
    public static let notCoordinator = KafkaResponseError(RD_KAFKA_RESP_ERR_NOT_COORDINATOR)
    /// The group is rebalancing (`REBALANCE_IN_PROGRESS`): a commit may be retried after the rebalance.
    public static let rebalanceInProgress = KafkaResponseError(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
    /// The member's group generation is outdated: a rebalance happened (`ILLEGAL_GENERATION`).
    public static let illegalGeneration = KafkaResponseError(RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION)
    /// The topic already exists (`TOPIC_ALREADY_EXISTS`).
    public static let topicAlreadyExists = KafkaResponseError(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
    /// Access to the topic is denied (`TOPIC_AUTHORIZATION_FAILED`).
    public static let topicAuthorizationFailed = KafkaResponseError(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
    /// The broker says a newer instance with the same `transactional.id` fenced this producer
    /// (`PRODUCER_FENCED`).
    public static let producerFenced = KafkaResponseError(RD_KAFKA_RESP_ERR_PRODUCER_FENCED)
    /// This producer instance was fenced (`_FENCED`, librdkafka's local code for it).
    public static let fenced = KafkaResponseError(RD_KAFKA_RESP_ERR__FENCED)
    /// `POLICY_VIOLATION` (44): the broker's create/alter policy or a topic's rules refused the request.
    public static let policyViolation = KafkaResponseError(RD_KAFKA_RESP_ERR_POLICY_VIOLATION)
    /// `INVALID_RECORD` (87): the broker refused the record (e.g. no key for a compacted topic).
    public static let invalidRecord = KafkaResponseError(RD_KAFKA_RESP_ERR_INVALID_RECORD)
    /// `_UNKNOWN_TOPIC` (-188): the topic does not exist in the cluster.
    public static let unknownTopic = KafkaResponseError(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
    /// `_UNKNOWN_PARTITION` (-190): the partition a queued record was meant for no longer exists (the cluster's
    /// metadata lists no partitions for its topic).
    public static let unknownPartition = KafkaResponseError(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)

    /// Whether a failed delivery says the broker refuses records for the topic whatever is retried (missing
    /// write permission, a policy, records the topic cannot take, a topic that is gone: librdkafka retries
    /// `UNKNOWN_TOPIC_OR_PART` answers to a produce request itself and fails queued records only once the
    /// cluster's metadata says the topic does not exist) — as opposed to an outage, a timeout or a fatal producer
    /// error.
    public var refusesTopic: Bool {
        self == .topicAuthorizationFailed || self == .policyViolation || self == .invalidRecord
            || self == .unknownTopic || self == .unknownTopicOrPartition || self == .unknownPartition
    }

    /// The message is larger than the broker accepts (`MSG_SIZE_TOO_LARGE`).
    public static let messageSizeTooLarge = KafkaResponseError(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
    /// The fatal error indicator (`_FATAL`); see ``KafkaError/message`` for the underlying error.
    public static let fatal = KafkaResponseError(RD_KAFKA_RESP_ERR__FATAL)
}
