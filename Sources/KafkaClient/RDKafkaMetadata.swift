import CRdKafka

/// Reads `rd_kafka_metadata` into Swift values.
enum RDKafkaMetadata {
    /// Whether a broker answered a metadata request (brokers and locally known topics only) within `timeout`.
    /// Unlike a watermark query, `rd_kafka_metadata` keeps to its timeout while the cluster is unreachable.
    static func answers(_ handle: OpaquePointer, timeout: Duration) -> Bool {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 0, nil, &metadata, timeout.kafkaMilliseconds)
        // The metadata is owned by the caller and freed with rd_kafka_metadata_destroy.
        if let metadata { rd_kafka_metadata_destroy(metadata) }
        return error == RD_KAFKA_RESP_ERR_NO_ERROR
    }

    static func fetch(_ handle: OpaquePointer, timeout: Duration) throws(KafkaError) -> KafkaClusterMetadata {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let error = rd_kafka_metadata(handle, 1, nil, &metadata, timeout.kafkaMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw RDKafkaClient.error(error, operation: "metadata")
        }
        // The metadata is owned by the caller and freed with rd_kafka_metadata_destroy.
        defer { rd_kafka_metadata_destroy(metadata) }
        let raw = metadata.pointee
        var brokers: [KafkaClusterMetadata.Broker] = []
        for index in 0..<Int(raw.broker_cnt) {
            let broker = raw.brokers[index]
            brokers.append(.init(id: broker.id, host: String(cString: broker.host), port: Int(broker.port)))
        }
        var topics: [KafkaClusterMetadata.Topic] = []
        for index in 0..<Int(raw.topic_cnt) {
            let topic = raw.topics[index]
            var partitions: [KafkaClusterMetadata.Partition] = []
            for partitionIndex in 0..<Int(topic.partition_cnt) {
                let partition = topic.partitions[partitionIndex]
                partitions.append(
                    .init(
                        id: partition.id,
                        leader: partition.leader,
                        replicas: Array(
                            UnsafeBufferPointer(start: partition.replicas, count: Int(partition.replica_cnt))),
                        inSyncReplicas: Array(
                            UnsafeBufferPointer(start: partition.isrs, count: Int(partition.isr_cnt))),
                        error: partition.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaResponseError(partition.err)
                    )
                )
            }
            topics.append(
                .init(
                    name: String(cString: topic.topic),
                    partitions: partitions.sorted { $0.id < $1.id },
                    error: topic.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaResponseError(topic.err)
                )
            )
        }
        return KafkaClusterMetadata(
            brokers: brokers.sorted { $0.id < $1.id },
            topics: topics.sorted { $0.name < $1.name }
        )
    }
}
