import CRdKafka

/// Watermark queries shared by consumers and the admin client.
enum RDKafkaWatermarks {
    static func query(
        _ handle: OpaquePointer,
        topic: String,
        partition: Int32,
        timeout: Duration
    ) throws(KafkaError) -> KafkaWatermarks {
        var low: Int64 = -1
        var high: Int64 = -1
        let error = rd_kafka_query_watermark_offsets(handle, topic, partition, &low, &high, timeout.kafkaMilliseconds)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw RDKafkaClient.error(error, operation: "watermarks of \(topic)[\(partition)]")
        }
        return KafkaWatermarks(low: low, high: high)
    }
}
