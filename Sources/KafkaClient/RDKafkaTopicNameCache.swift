import CRdKafka

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Maps `rd_kafka_topic_t` handles of consumed messages to Swift topic names without allocating
/// per record. Used only on the polling thread.
final class RDKafkaTopicNameCache {
    private var handles: [OpaquePointer] = []
    private var names: [String] = []
    private var last = 0

    /// The topic name of a message's topic handle.
    func name(of topic: OpaquePointer) -> String {
        if last < handles.count, handles[last] == topic, matches(last, topic) { return names[last] }
        for index in handles.indices where handles[index] == topic {
            if matches(index, topic) {
                last = index
                return names[index]
            }
            // A handle address was reused for another topic: refresh the entry.
            names[index] = String(cString: rd_kafka_topic_name(topic))
            last = index
            return names[index]
        }
        handles.append(topic)
        names.append(String(cString: rd_kafka_topic_name(topic)))
        last = handles.count - 1
        return names[last]
    }

    private func matches(_ index: Int, _ topic: OpaquePointer) -> Bool {
        // rd_kafka_topic_name returns a string owned by the (live) topic handle.
        names[index].withCString { strcmp($0, rd_kafka_topic_name(topic)) == 0 }
    }
}
