import CRdKafka
import Logging

/// An in-process Kafka-protocol cluster: librdkafka's mock cluster (`rdkafka_mock.h`) of N
/// brokers on 127.0.0.1, with fault injection. Any client connects through ``bootstrapServers``;
/// the code path is the same as for a real cluster.
///
/// Limits of librdkafka 2.0.2's mock (see the README): no CreateTopics/DeleteTopics/
/// DescribeConfigs/ListGroups/DescribeGroups APIs (create topics with ``createTopic(_:partitions:replicationFactor:)``),
/// topics auto-created by Metadata get 4 partitions, each partition keeps at most 5 MiB or 100,000
/// batches, brokers bind ephemeral ports (use ``listen(port:)`` for a fixed one), one thread serves
/// all brokers, and aborted transactional records are visible to `read_committed` consumers.
public final class KafkaEmbeddedCluster: Sendable {
    /// Which coordinator to move with ``setCoordinator(_:key:broker:)``.
    public enum CoordinatorKind: String, Sendable {
        /// The group coordinator for a `group.id`.
        case group
        /// The transaction coordinator for a `transactional.id`.
        case transaction
    }

    private let client: RDKafkaClient
    // Safe: the mock cluster API is thread-safe (every call posts an operation to the mock
    // cluster's own thread and waits); the pointer is immutable and destroyed in deinit.
    nonisolated(unsafe) private let cluster: OpaquePointer
    /// The brokers' `host:port` list, for `bootstrap.servers`.
    public let bootstrapServers: String
    /// The number of brokers (ids 1 through `brokerCount`).
    public let brokerCount: Int

    /// Starts a mock cluster.
    ///
    /// - Parameters:
    ///   - brokers: The number of brokers (≥ 1).
    ///   - logger: Receives the bookkeeping handle's librdkafka log lines.
    /// - Throws: ``KafkaError/Code/invalidArgument`` for fewer than one broker, or
    ///   ``KafkaError/Code/client`` when the cluster cannot start.
    public init(brokers: Int = 1, logger: Logger = Logger(label: "plantstream.kafka.embedded")) throws(KafkaError) {
        guard brokers >= 1, brokers <= 64 else {
            throw KafkaError(.invalidArgument, "an embedded cluster needs 1 to 64 brokers, not \(brokers)")
        }
        // The mock needs a librdkafka handle for its bookkeeping; it is used for nothing else.
        let client = try RDKafkaClient(
            kind: .producer,
            configuration: KafkaConfiguration(["client.id": "plantstream-embedded-cluster"]),
            context: RDKafkaContext(logger: logger)
        )
        guard let cluster = rd_kafka_mock_cluster_new(client.handle, Int32(brokers)) else {
            throw KafkaError(.client, "cannot start the embedded cluster (rd_kafka_mock_cluster_new failed)")
        }
        self.client = client
        self.cluster = cluster
        self.brokerCount = brokers
        // The bootstraps string is owned by the cluster; copied here.
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(cluster))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
    }

    /// Client properties that suit the mock: its broker sockets leave Nagle's algorithm on, so a
    /// second response queued on a connection waits ~40 ms for the client's delayed ACK; with one
    /// request in flight per connection that stall never happens (`plantstream bench pipe`: 45,090
    /// records/s with 5 in flight, 527,662 with 1).
    public static let clientDefaults: [String: String] = ["max.in.flight.requests.per.connection": "1"]

    /// A client configuration pointing at this cluster, with ``clientDefaults``.
    ///
    /// - Parameter properties: Extra librdkafka properties (they override the defaults).
    public func configuration(_ properties: [String: String] = [:]) -> KafkaConfiguration {
        var configuration = KafkaConfiguration(Self.clientDefaults.merging(properties) { $1 })
        configuration.bootstrapServers = bootstrapServers
        return configuration
    }

    /// Creates a topic (the mock has no CreateTopics API).
    ///
    /// - Parameters:
    ///   - name: The topic name.
    ///   - partitions: The partition count (≥ 1).
    ///   - replicationFactor: Replicas per partition (≤ broker count).
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        guard partitions >= 1, replicationFactor >= 1, replicationFactor <= brokerCount else {
            throw KafkaError(
                .invalidArgument,
                "topic '\(name)': need ≥ 1 partition and 1…\(brokerCount) replicas, got \(partitions) and \(replicationFactor)"
            )
        }
        try check(
            rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor)),
            "create topic '\(name)'"
        )
    }

    /// Disconnects a broker and refuses new connections (leadership does not move).
    ///
    /// - Parameter broker: The broker id, or -1 for all.
    public func setBrokerDown(_ broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_down(cluster, broker), "set broker \(broker) down")
    }

    /// Lets a broker accept connections again.
    ///
    /// - Parameter broker: The broker id, or -1 for all.
    public func setBrokerUp(_ broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_up(cluster, broker), "set broker \(broker) up")
    }

    /// Delays every response of a broker.
    ///
    /// - Parameters:
    ///   - broker: The broker id, or -1 for all.
    ///   - milliseconds: The added round-trip time.
    public func setRoundTripTime(broker: Int32, milliseconds: Int) throws(KafkaError) {
        try check(rd_kafka_mock_broker_set_rtt(cluster, broker, Int32(clamping: milliseconds)), "set broker RTT")
    }

    /// Makes the next requests of one API fail, one error per request, in order (cluster-wide).
    ///
    /// - Parameters:
    ///   - errors: The errors to return; ``KafkaResponseError/transport`` disconnects the client.
    ///   - api: The request type.
    public func injectRequestErrors(_ errors: [KafkaResponseError], api: KafkaAPIKey) {
        let codes = errors.map(\.cValue)
        codes.withUnsafeBufferPointer { buffer in
            // The array is copied by the mock.
            rd_kafka_mock_push_request_errors_array(cluster, api.rawValue, buffer.count, buffer.baseAddress)
        }
    }

    /// Removes injected errors not yet returned for an API.
    ///
    /// - Parameter api: The request type.
    public func clearRequestErrors(api: KafkaAPIKey) {
        rd_kafka_mock_clear_request_errors(cluster, api.rawValue)
    }

    /// Moves a partition's leadership (clients see `NOT_LEADER` and follow the new leader).
    ///
    /// - Parameters:
    ///   - topic: The topic.
    ///   - partition: The partition.
    ///   - broker: The new leader's id, or -1 for no leader.
    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) throws(KafkaError) {
        try check(
            rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker),
            "move leader of \(topic)[\(partition)]"
        )
    }

    /// Makes a broker the coordinator of a group or transactional id.
    ///
    /// - Parameters:
    ///   - kind: Group or transaction coordinator.
    ///   - key: The `group.id` or `transactional.id`.
    ///   - broker: The broker id.
    public func setCoordinator(_ kind: CoordinatorKind, key: String, broker: Int32) throws(KafkaError) {
        try check(rd_kafka_mock_coordinator_set(cluster, kind.rawValue, key, broker), "set \(kind) coordinator")
    }

    /// Makes Metadata and AddPartitionsToTxn requests for a topic fail with an error.
    ///
    /// - Parameters:
    ///   - topic: The topic.
    ///   - error: The error to return, or `nil` to clear it.
    public func setTopicError(topic: String, error: KafkaResponseError?) {
        rd_kafka_mock_topic_set_error(cluster, topic, error?.cValue ?? RD_KAFKA_RESP_ERR_NO_ERROR)
    }

    /// Serves the cluster on a fixed port of 127.0.0.1 by forwarding connections to the first
    /// broker; clients bootstrap there and then use the broker addresses from metadata.
    ///
    /// - Parameter port: The TCP port, or 0 for any free port.
    /// - Returns: The running listener; it stops on ``KafkaEmbeddedListener/close()`` or deinit.
    /// - Throws: ``KafkaError/Code/portInUse`` when the port is taken, ``KafkaError/Code/io`` otherwise.
    public func listen(port: Int) throws(KafkaError) -> KafkaEmbeddedListener {
        let first = bootstrapServers.split(separator: ",").first.map(String.init) ?? bootstrapServers
        guard let colon = first.lastIndex(of: ":"), let targetPort = Int(first[first.index(after: colon)...]) else {
            throw KafkaError(.io, "cannot parse the embedded broker address '\(first)'")
        }
        return try KafkaEmbeddedListener(port: port, targetPort: targetPort)
    }

    private func check(_ error: rd_kafka_resp_err_t, _ operation: String) throws(KafkaError) {
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw RDKafkaClient.error(error, operation: operation) }
    }
}
