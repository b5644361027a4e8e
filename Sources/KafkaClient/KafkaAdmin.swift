import CRdKafka
import Logging

/// Cluster administration: create topics, read metadata, measure consumer-group lag.
///
/// Every method blocks; call from a dedicated thread or CLI code, not the cooperative pool.
/// Where the broker lacks an API (librdkafka's embedded mock has no CreateTopics), the error is
/// ``KafkaError/Code/unsupportedByBroker`` with an explanation.
public final class KafkaAdmin: Sendable {
    let client: RDKafkaClient

    /// Creates an admin client.
    ///
    /// - Parameters:
    ///   - configuration: librdkafka properties (at least `bootstrap.servers`).
    ///   - logger: Receives librdkafka's log lines.
    public init(
        configuration: KafkaConfiguration,
        logger: Logger = Logger(label: "plantstream.kafka.admin")
    ) throws(KafkaError) {
        client = try RDKafkaClient(
            kind: .producer, configuration: configuration, context: RDKafkaContext(logger: logger))
    }

    /// Creates topics.
    ///
    /// - Parameters:
    ///   - topics: The topics with partitions, replication and configs.
    ///   - timeout: The longest wait, also the broker-side operation timeout.
    ///   - ignoreExisting: Treat `TOPIC_ALREADY_EXISTS` as success.
    /// - Throws: ``KafkaError/Code/unsupportedByBroker`` when the broker has no CreateTopics API;
    ///   ``KafkaError/Code/client`` naming the first topic that failed.
    public func createTopics(_ topics: [KafkaNewTopic], timeout: Duration, ignoreExisting: Bool = false)
        throws(KafkaError)
    {
        guard !topics.isEmpty else { return }
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            var errstr = [CChar](repeating: 0, count: 512)
            // rd_kafka_NewTopic_new returns an object owned by the caller, or NULL on bad input.
            guard
                let created = rd_kafka_NewTopic_new(
                    topic.name,
                    Int32(clamping: topic.partitions),
                    Int32(clamping: topic.replicationFactor),
                    &errstr,
                    errstr.count
                )
            else {
                let reason = errstr.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
                throw KafkaError(.invalidArgument, "topic '\(topic.name)': \(reason)")
            }
            newTopics.append(created)
            for (key, value) in topic.configs.sorted(by: { $0.key < $1.key }) {
                let error = rd_kafka_NewTopic_set_config(created, key, value)
                if error != RD_KAFKA_RESP_ERR_NO_ERROR {
                    throw RDKafkaClient.error(error, operation: "topic '\(topic.name)' config '\(key)'")
                }
            }
        }
        try withAdminRequest(RD_KAFKA_ADMIN_OP_CREATETOPICS, api: "CreateTopics", timeout: timeout) {
            (options, queue) throws(KafkaError) in
            newTopics.withUnsafeMutableBufferPointer { buffer in
                rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
            }
        } result: { (event) throws(KafkaError) in
            guard let result = rd_kafka_event_CreateTopics_result(event) else {
                throw KafkaError(.client, "CreateTopics: unexpected result event")
            }
            var count = 0
            // The results array lives as long as the event.
            guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
            for index in 0..<count {
                let topicResult = results[index]
                let error = rd_kafka_topic_result_error(topicResult)
                if error == RD_KAFKA_RESP_ERR_NO_ERROR { continue }
                if ignoreExisting && error == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS { continue }
                let name = String(cString: rd_kafka_topic_result_name(topicResult))
                let reason = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) }
                throw KafkaError(
                    .client,
                    "create topic '\(name)': \(reason ?? KafkaResponseError(error).explanation)",
                    responseError: KafkaResponseError(error)
                )
            }
        }
    }

    /// Reads the metadata of every topic.
    ///
    /// - Parameter timeout: The longest wait.
    public func metadata(timeout: Duration) throws(KafkaError) -> KafkaClusterMetadata {
        try RDKafkaMetadata.fetch(client.handle, timeout: timeout)
    }

    /// Asks a partition's leader for its watermarks.
    public func watermarks(topic: String, partition: Int32, timeout: Duration) throws(KafkaError) -> KafkaWatermarks {
        try RDKafkaWatermarks.query(client.handle, topic: topic, partition: partition, timeout: timeout)
    }

    /// The committed offsets and lag of a consumer group on every partition of the given topics.
    ///
    /// - Parameters:
    ///   - group: The `group.id`.
    ///   - topics: The topics to report.
    ///   - timeout: The longest wait per request.
    /// - Returns: One entry per partition, ordered by topic and partition.
    public func consumerGroupLag(group: String, topics: [String], timeout: Duration) throws(KafkaError)
        -> [KafkaPartitionLag]
    {
        let cluster = try metadata(timeout: timeout)
        var partitions: [KafkaTopicPartitionOffset] = []
        for name in topics.sorted() {
            guard let topic = cluster.topic(named: name), topic.error == nil else {
                throw KafkaError(
                    .client, "consumer group lag: topic '\(name)' does not exist",
                    responseError: .unknownTopicOrPartition)
            }
            for partition in topic.partitions {
                partitions.append(
                    KafkaTopicPartitionOffset(topic: name, partition: partition.id, offset: KafkaOffset.unset))
            }
        }
        let committed = try committedOffsets(group: group, partitions: partitions, timeout: timeout)
        var result: [KafkaPartitionLag] = []
        for entry in committed {
            let marks = try watermarks(topic: entry.topic, partition: entry.partition, timeout: timeout)
            result.append(
                KafkaPartitionLag(
                    topic: entry.topic,
                    partition: entry.partition,
                    committedOffset: entry.offset >= 0 ? entry.offset : nil,
                    highWatermark: marks.high,
                    lowWatermark: marks.low
                )
            )
        }
        return result.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
    }

    /// A group's committed offsets for partitions (``KafkaOffset/unset`` where none).
    public func committedOffsets(
        group: String,
        partitions: [KafkaTopicPartitionOffset],
        timeout: Duration
    ) throws(KafkaError) -> [KafkaTopicPartitionOffset] {
        var committed: [KafkaTopicPartitionOffset] = []
        try withAdminRequest(RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, api: "OffsetFetch", timeout: timeout) {
            (options, queue) throws(KafkaError) in
            RDKafkaTopicPartitionList.with(partitions) { list in
                // The request object copies the list; it is destroyed after the call.
                var request: OpaquePointer? = rd_kafka_ListConsumerGroupOffsets_new(group, list)
                rd_kafka_ListConsumerGroupOffsets(client.handle, &request, 1, options, queue)
                rd_kafka_ListConsumerGroupOffsets_destroy(request)
            }
        } result: { (event) throws(KafkaError) in
            guard let result = rd_kafka_event_ListConsumerGroupOffsets_result(event) else {
                throw KafkaError(.client, "ListConsumerGroupOffsets: unexpected result event")
            }
            var count = 0
            // Owned by the event.
            guard let groups = rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count), count > 0 else {
                return
            }
            let groupResult = groups[0]
            if let error = rd_kafka_group_result_error(groupResult) {
                // Owned by the group result: read, not destroyed.
                let code = KafkaResponseError(rd_kafka_error_code(error))
                throw KafkaError(
                    .client,
                    "committed offsets of group '\(group)': \(String(cString: rd_kafka_error_string(error)))",
                    responseError: code
                )
            }
            if let list = rd_kafka_group_result_partitions(groupResult) {
                if let failure = RDKafkaTopicPartitionList.firstError(list, operation: "committed offset") {
                    throw failure
                }
                committed = RDKafkaTopicPartitionList.offsets(list)
            }
        }
        return committed
    }

    /// Runs one admin request on a temporary queue and hands its result event to `result`.
    private func withAdminRequest(
        _ operation: rd_kafka_admin_op_t,
        api: String,
        timeout: Duration,
        start: (OpaquePointer, OpaquePointer) throws(KafkaError) -> Void,
        result: (OpaquePointer) throws(KafkaError) -> Void
    ) throws(KafkaError) {
        // Owned here: options, queue and the result event are destroyed before returning.
        guard let options = rd_kafka_AdminOptions_new(client.handle, operation) else {
            throw KafkaError(.client, "\(api): cannot create admin options")
        }
        defer { rd_kafka_AdminOptions_destroy(options) }
        var errstr = [CChar](repeating: 0, count: 256)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeout.kafkaMilliseconds, &errstr, errstr.count)
        if operation == RD_KAFKA_ADMIN_OP_CREATETOPICS {
            _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeout.kafkaMilliseconds, &errstr, errstr.count)
        }
        let queue = rd_kafka_queue_new(client.handle)!
        defer { rd_kafka_queue_destroy(queue) }
        try start(options, queue)
        guard let event = rd_kafka_queue_poll(queue, timeout.kafkaMilliseconds &+ 1000) else {
            throw KafkaError(.timedOut, "\(api) got no answer within \(timeout)", responseError: .timedOut)
        }
        defer { rd_kafka_event_destroy(event) }
        let error = rd_kafka_event_error(event)
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            let reason = rd_kafka_event_error_string(event).map { String(cString: $0) } ?? ""
            // librdkafka first waits for a controller broker; the embedded mock cluster never
            // reports one (it has no CreateTopics API), so that wait is how the gap shows.
            let noController = error == RD_KAFKA_RESP_ERR__TIMED_OUT && reason.contains("controller")
            if error == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || noController {
                throw KafkaError(
                    .unsupportedByBroker,
                    "the broker does not support \(api) (\(reason)); on the embedded cluster create topics "
                        + "with KafkaEmbeddedCluster.createTopic or `plantstream broker --topic NAME:PARTITIONS`",
                    responseError: KafkaResponseError(error)
                )
            }
            throw KafkaError(.client, "\(api): \(reason)", responseError: KafkaResponseError(error))
        }
        try result(event)
    }
}
