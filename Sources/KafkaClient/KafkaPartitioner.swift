/// Java-compatible key partitioning (Kafka's default partitioner for keyed records; librdkafka's
/// `murmur2_random`), for code that must predict where a key lands.
public enum KafkaPartitioner {
    /// Kafka's murmur2 hash of a key (seed `0x9747b28c`), as in `org.apache.kafka.common.utils.Utils`.
    ///
    /// - Parameter key: The key bytes.
    /// - Returns: The 32-bit hash.
    public static func murmur2(_ key: UnsafeRawBufferPointer) -> UInt32 {
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        let length = key.count
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        var index = 0
        while index + 4 <= length {
            var k =
                UInt32(key[index]) | UInt32(key[index + 1]) << 8 | UInt32(key[index + 2]) << 16
                | UInt32(key[index + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
            index += 4
        }
        let remaining = length - index
        if remaining >= 3 { h ^= UInt32(key[index + 2]) << 16 }
        if remaining >= 2 { h ^= UInt32(key[index + 1]) << 8 }
        if remaining >= 1 {
            h ^= UInt32(key[index])
            h &*= m
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return h
    }

    /// The partition Kafka's Java client (and librdkafka's `murmur2_random`) picks for a key.
    ///
    /// - Parameters:
    ///   - key: The key bytes.
    ///   - partitionCount: The topic's partition count (≥ 1).
    /// - Returns: A partition in `0..<partitionCount`.
    public static func partition(forKey key: UnsafeRawBufferPointer, partitionCount: Int32) -> Int32 {
        Int32(bitPattern: murmur2(key) & 0x7fff_ffff) % max(1, partitionCount)
    }

    /// The partition for a byte-like key (see ``partition(forKey:partitionCount:)-(UnsafeRawBufferPointer,_)``).
    public static func partition<Key: KafkaBytes>(forKey key: Key, partitionCount: Int32) -> Int32 {
        key.withKafkaBytes { partition(forKey: $0, partitionCount: partitionCount) }
    }
}
