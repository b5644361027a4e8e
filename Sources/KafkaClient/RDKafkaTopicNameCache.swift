import CRdKafka

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Interns the topics of consumed messages: maps `rd_kafka_topic_t` handles to small, stable indexes
/// and Swift names without allocating or comparing strings per record. Used only on the polling thread.
///
/// A consumed message keeps its partition (and so its topic handle) alive until it is destroyed, so a
/// handle cannot be freed and its address reused for another topic while a batch is borrowed. Between
/// batches it can: every entry is therefore checked by name (one `strcmp`) the first time it is seen in
/// a batch (``beginBatch()`` starts one), and by pointer alone after that.
///
/// The stored properties skip the dynamic exclusivity check (`@exclusivity(unchecked)`): the cache is
/// confined to the polling thread and no method holds an access across a call that could re-enter it.
final class RDKafkaTopicNameCache {
    @exclusivity(unchecked) private var handles: [OpaquePointer?] = []
    @exclusivity(unchecked) private var names: [String] = []
    /// The batch in which each entry's handle was last confirmed to name its topic.
    @exclusivity(unchecked) private var confirmed: [UInt64] = []
    @exclusivity(unchecked) private var batch: UInt64 = 1
    @exclusivity(unchecked) private var last = 0

    /// Starts a new batch: every handle is checked by name once more before it is trusted.
    func beginBatch() {
        batch &+= 1
    }

    /// The interned index of a message's topic handle: equal indexes mean equal topic names, for the
    /// lifetime of the cache.
    @inline(__always)
    func index(of topic: OpaquePointer) -> Int {
        let last = self.last
        if last < handles.count, handles[last] == topic, confirmed[last] == batch { return last }
        return lookUp(topic)
    }

    /// The topic name of an interned index.
    @inline(__always)
    func name(at index: Int) -> String { names[index] }

    /// The topic name of a message's topic handle.
    func name(of topic: OpaquePointer) -> String { names[index(of: topic)] }

    private func lookUp(_ topic: OpaquePointer) -> Int {
        // rd_kafka_topic_name returns a string owned by the (live) topic handle.
        let current = rd_kafka_topic_name(topic)!
        for index in handles.indices where handles[index] == topic {
            if confirmed[index] == batch || names[index].withCString({ strcmp($0, current) == 0 }) {
                confirmed[index] = batch
                last = index
                return index
            }
            // The handle's address was reused for another topic since it was interned.
            handles[index] = nil
        }
        let name = String(cString: current)
        if let index = names.firstIndex(of: name) {
            // The topic's handle changed (it was destroyed and created again): same index, new handle.
            handles[index] = topic
            confirmed[index] = batch
            last = index
            return index
        }
        handles.append(topic)
        names.append(name)
        confirmed.append(batch)
        last = handles.count - 1
        return last
    }
}
