import CRdKafka

/// Offsets: store, commit, committed, position, watermarks, seek, pause and resume.
extension KafkaConsumer {
    /// Stores, for each partition in the batch, the offset after its last record, to be committed
    /// by the next ``commit()``. Call it once the batch's outputs are acknowledged.
    ///
    /// - Parameter batch: The batch being processed (inside the poll body).
    /// - Throws: ``KafkaError`` with ``KafkaResponseError/state`` when a partition is no longer
    ///   assigned; the other partitions are still stored.
    public func storeOffsets(for batch: KafkaRecordBatch) throws(KafkaError) {
        var done: [(topic: OpaquePointer, partition: Int32)] = []
        var failure: KafkaError?
        for index in batch.indices.reversed() {
            let message = batch.messages[index]!
            guard let topic = message.pointee.rkt else { continue }
            let partition = message.pointee.partition
            if done.contains(where: { $0.topic == topic && $0.partition == partition }) { continue }
            done.append((topic, partition))
            // Stores offset + 1 (the next offset to consume).
            let error = rd_kafka_offset_store(topic, partition, message.pointee.offset)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR, failure == nil {
                failure = RDKafkaClient.error(
                    error,
                    operation: "store offset for \(batch.names.name(of: topic))[\(partition)]"
                )
            }
        }
        if let failure { throw failure }
    }

    /// Stores the offset after one record.
    ///
    /// - Parameter record: A record of the current batch.
    public func storeOffset(for record: KafkaRecord) throws(KafkaError) {
        let message = record.message
        guard let topic = message.pointee.rkt else { return }
        let error = rd_kafka_offset_store(topic, message.pointee.partition, message.pointee.offset)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RDKafkaClient.error(error, operation: "store offset for \(record.topic)[\(record.partition)]")
        }
    }

    /// Stores explicit offsets (next offsets to consume) for the next ``commit()``.
    ///
    /// - Parameter offsets: Offsets to store as given (not + 1).
    public func storeOffsets(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(offsets) { (list) throws(KafkaError) in
            let error = rd_kafka_offsets_store(client.handle, list)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "store offsets") }
            if let failure = RDKafkaTopicPartitionList.firstError(list, operation: "store offset") { throw failure }
        }
    }

    /// Commits the stored offsets synchronously. Nothing stored is not an error.
    public func commit() throws(KafkaError) {
        let error = rd_kafka_commit(client.handle, nil, 0)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw RDKafkaClient.error(error, operation: "commit")
        }
    }

    /// Commits explicit offsets synchronously.
    ///
    /// - Parameter offsets: Next offsets to consume per partition.
    public func commit(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(offsets) { (list) throws(KafkaError) in
            let error = rd_kafka_commit(client.handle, list, 0)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "commit") }
        }
    }

    /// Starts committing the stored offsets; failures are logged when a later poll serves the result.
    public func commitAsync() {
        _ = rd_kafka_commit(client.handle, nil, 1)
    }

    /// Starts committing explicit offsets (with their metadata); failures are logged when a later poll serves
    /// the result.
    ///
    /// - Parameter offsets: Next offsets to consume per partition.
    /// - Throws: ``KafkaError`` when the commit cannot be started (no group).
    public func commitAsync(_ offsets: [KafkaTopicPartitionOffset]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(offsets) { (list) throws(KafkaError) in
            // rd_kafka_commit copies the list (offsets and metadata) before returning.
            let error = rd_kafka_commit(client.handle, list, 1)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "commit") }
        }
    }

    /// The group's committed offsets, read from the group coordinator.
    ///
    /// - Parameters:
    ///   - partitions: The partitions to ask for.
    ///   - timeout: The longest wait.
    /// - Returns: One entry per partition; ``KafkaOffset/unset`` when nothing is committed.
    public func committed(
        _ partitions: [KafkaTopicPartition],
        timeout: Duration
    ) throws(KafkaError) -> [KafkaTopicPartitionOffset] {
        let input = partitions.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.unset) }
        return try RDKafkaTopicPartitionList.with(input) { (list) throws(KafkaError) in
            let error = rd_kafka_committed(client.handle, list, timeout.kafkaMilliseconds)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "committed") }
            if let failure = RDKafkaTopicPartitionList.firstError(list, operation: "committed") { throw failure }
            return RDKafkaTopicPartitionList.offsets(list)
        }
    }

    /// This consumer's position: the offset after the last record returned by poll.
    ///
    /// - Parameter partitions: The partitions to ask for.
    /// - Returns: One entry per partition; ``KafkaOffset/unset`` when nothing was consumed.
    public func position(_ partitions: [KafkaTopicPartition]) throws(KafkaError) -> [KafkaTopicPartitionOffset] {
        let input = partitions.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.unset) }
        return try RDKafkaTopicPartitionList.with(input) { (list) throws(KafkaError) in
            let error = rd_kafka_position(client.handle, list)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "position") }
            return RDKafkaTopicPartitionList.offsets(list)
        }
    }

    /// Asks the partition leader for the low and high watermarks.
    ///
    /// - Parameters:
    ///   - topic: The topic.
    ///   - partition: The partition.
    ///   - timeout: The longest wait.
    public func watermarks(topic: String, partition: Int32, timeout: Duration) throws(KafkaError) -> KafkaWatermarks {
        try RDKafkaWatermarks.query(client.handle, topic: topic, partition: partition, timeout: timeout)
    }

    /// Whether the cluster answers a small metadata request within `timeout` (a reachability probe that keeps to
    /// its timeout, unlike ``watermarks(topic:partition:timeout:)`` on librdkafka 2.0.2, which waits for the
    /// request timeout while the partition leader is unreachable).
    public func clusterAnswers(within timeout: Duration) -> Bool {
        RDKafkaMetadata.answers(client.handle, timeout: timeout)
    }

    /// The watermarks last seen in fetch responses, without a request; `nil` before the first fetch.
    ///
    /// - Parameters:
    ///   - topic: The topic.
    ///   - partition: The partition.
    public func cachedWatermarks(topic: String, partition: Int32) -> KafkaWatermarks? {
        var low: Int64 = -1
        var high: Int64 = -1
        let error = rd_kafka_get_watermark_offsets(client.handle, topic, partition, &low, &high)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR, high >= 0 else { return nil }
        return KafkaWatermarks(low: low, high: high)
    }

    /// Moves the fetch position of assigned partitions.
    ///
    /// - Parameters:
    ///   - offsets: Where to continue per partition.
    ///   - timeout: How long to wait for the seek to take effect (`.zero`: do not wait).
    public func seek(_ offsets: [KafkaTopicPartitionOffset], timeout: Duration) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(offsets) { (list) throws(KafkaError) in
            if let error = rd_kafka_seek_partitions(client.handle, list, timeout.kafkaMilliseconds) {
                throw RDKafkaClient.consume(error, operation: "seek")
            }
            if let failure = RDKafkaTopicPartitionList.firstError(list, operation: "seek") { throw failure }
        }
    }

    /// Stops fetching from partitions; polling continues to serve the group protocol (back-pressure
    /// without leaving the group).
    ///
    /// - Parameter partitions: Assigned partitions to pause.
    public func pause(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(partitions.map { .init($0, offset: KafkaOffset.unset) }) {
            (list) throws(KafkaError) in
            let error = rd_kafka_pause_partitions(client.handle, list)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "pause") }
            if let failure = RDKafkaTopicPartitionList.firstError(list, operation: "pause") { throw failure }
        }
    }

    /// Resumes fetching from paused partitions.
    ///
    /// - Parameter partitions: Paused partitions.
    public func resume(_ partitions: [KafkaTopicPartition]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(partitions.map { .init($0, offset: KafkaOffset.unset) }) {
            (list) throws(KafkaError) in
            let error = rd_kafka_resume_partitions(client.handle, list)
            if error != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaClient.error(error, operation: "resume") }
            if let failure = RDKafkaTopicPartitionList.firstError(list, operation: "resume") { throw failure }
        }
    }

    /// The group metadata for ``KafkaProducer/sendOffsetsToTransaction(_:groupMetadata:timeout:)``.
    public func groupMetadata() throws(KafkaError) -> KafkaConsumerGroupMetadata {
        // Returns a new object owned by the caller, or NULL when not in a group.
        guard let handle = rd_kafka_consumer_group_metadata(client.handle) else {
            throw KafkaError(.illegalState, "consumer group metadata is not available")
        }
        return KafkaConsumerGroupMetadata(handle: handle)
    }
}
