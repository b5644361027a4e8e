import CRdKafka

/// Logical offsets understood by librdkafka.
public enum KafkaOffset {
    /// The log start of the partition (`RD_KAFKA_OFFSET_BEGINNING`).
    public static let beginning = Int64(RD_KAFKA_OFFSET_BEGINNING)
    /// The log end of the partition (`RD_KAFKA_OFFSET_END`).
    public static let end = Int64(RD_KAFKA_OFFSET_END)
    /// The group's committed offset (`RD_KAFKA_OFFSET_STORED`).
    public static let stored = Int64(RD_KAFKA_OFFSET_STORED)
    /// No offset: use the committed offset, else `auto.offset.reset` (`RD_KAFKA_OFFSET_INVALID`).
    public static let unset = Int64(RD_KAFKA_OFFSET_INVALID)
}
