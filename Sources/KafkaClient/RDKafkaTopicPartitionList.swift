import CRdKafka

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Conversions between Swift partition values and `rd_kafka_topic_partition_list_t`.
enum RDKafkaTopicPartitionList {
    typealias List = UnsafeMutablePointer<rd_kafka_topic_partition_list_t>

    /// Creates a list the caller must destroy with `rd_kafka_topic_partition_list_destroy`.
    static func make(_ partitions: [KafkaTopicPartitionOffset]) -> List {
        // rd_kafka_topic_partition_list_new never returns NULL; the list copies topic names.
        let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))!
        for item in partitions {
            let element = rd_kafka_topic_partition_list_add(list, item.topic, item.partition)!
            element.pointee.offset = item.offset
            if let metadata = item.metadata, !metadata.isEmpty {
                // The list owns `metadata` and frees it with rd_free (free) when destroyed: allocate with malloc.
                let bytes = Array(metadata.utf8)
                let copy = malloc(bytes.count)!
                bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
                element.pointee.metadata = copy
                element.pointee.metadata_size = bytes.count
            }
        }
        return list
    }

    /// Creates a list (offsets unset) the caller must destroy.
    static func make(_ partitions: [KafkaTopicPartition]) -> List {
        make(partitions.map { KafkaTopicPartitionOffset($0, offset: KafkaOffset.unset) })
    }

    /// Runs `body` with a temporary list that is destroyed afterwards.
    static func with<R, E: Error>(
        _ partitions: [KafkaTopicPartitionOffset],
        _ body: (List) throws(E) -> R
    ) throws(E) -> R {
        let list = make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }

    /// Copies a list's elements into Swift values (the list stays owned by the caller).
    static func offsets(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [KafkaTopicPartitionOffset] {
        var result: [KafkaTopicPartitionOffset] = []
        result.reserveCapacity(Int(list.pointee.cnt))
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            var metadata: String?
            if let bytes = element.metadata, element.metadata_size > 0 {
                metadata = String(
                    decoding: UnsafeRawBufferPointer(start: bytes, count: element.metadata_size), as: UTF8.self)
            }
            result.append(
                KafkaTopicPartitionOffset(
                    topic: String(cString: element.topic),
                    partition: element.partition,
                    offset: element.offset,
                    metadata: metadata
                )
            )
        }
        return result
    }

    /// The first per-partition error in a list, as a ``KafkaError``.
    static func firstError(
        _ list: UnsafePointer<rd_kafka_topic_partition_list_t>,
        operation: String
    ) -> KafkaError? {
        for index in 0..<Int(list.pointee.cnt) {
            let element = list.pointee.elems[index]
            if element.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                let code = KafkaResponseError(element.err)
                return KafkaError(
                    .client,
                    "\(operation) failed for \(String(cString: element.topic))[\(element.partition)]: "
                        + code.explanation,
                    responseError: code
                )
            }
        }
        return nil
    }
}
