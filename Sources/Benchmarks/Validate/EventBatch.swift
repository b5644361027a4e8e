/// Generated events laid out back to back in one buffer, as a Kafka fetch response delivers a
/// batch of message payloads (one allocation, read sequentially), with each event's offset.
struct EventBatch {
    let bytes: [UInt8]
    /// `offsets[i]..<offsets[i + 1]` is event `i`.
    let offsets: [Int]

    /// `count` events of `type` (`machine.cycle` or `operation.reported`), deterministic (seed 42).
    init(type: String, count: Int) {
        var generator = BenchEvents(seed: 42)
        var bytes: [UInt8] = []
        var offsets = [0]
        for index in 0..<count {
            bytes += type == "machine.cycle" ? generator.machineCycle(index) : generator.operationReported(index)
            offsets.append(bytes.count)
        }
        self.bytes = bytes
        self.offsets = offsets
    }

    /// The number of events.
    var count: Int { offsets.count - 1 }

    /// Calls `body` with each event's bytes, in order.
    @inline(__always)
    func withEachEvent(_ body: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { all in
            offsets.withUnsafeBufferPointer { offsets in
                for index in 0..<(offsets.count - 1) {
                    body(UnsafeRawBufferPointer(rebasing: all[offsets[index]..<offsets[index + 1]]))
                }
            }
        }
    }
}
