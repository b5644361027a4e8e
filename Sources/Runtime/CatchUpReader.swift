import KafkaClient
import Logging

/// Reads partitions from their beginning up to the high watermark they had when reading started — how
/// changelogs are restored and global tables bootstrapped.
///
/// A partition is caught up when a record at `high - 1` was read, or when the consumer's position reached the
/// high watermark (the last offsets can be transaction markers, which are never returned).
enum CatchUpReader {
    /// Reads the given partitions (already assigned to `consumer` from their beginning).
    ///
    /// - Parameters:
    ///   - consumer: A consumer without group membership (it uses `assign`).
    ///   - targets: High watermark per partition to reach; partitions already caught up are not listed.
    ///   - timeout: The longest wait without progress.
    ///   - apply: Called with each record, in partition order.
    /// - Returns: The number of records read.
    /// - Throws: ``RuntimeError/Code/timedOut`` when no progress is made for `timeout`, or what `apply` throws.
    static func read(
        consumer: KafkaConsumer,
        targets: [KafkaTopicPartition: Int64],
        timeout: Duration,
        apply: (KafkaRecord) throws -> Void
    ) throws -> Int {
        var remaining = targets
        var count = 0
        var lastProgress = ContinuousClock.now
        var idlePolls = 0
        while !remaining.isEmpty {
            let received = try consumer.poll(maxRecords: 4096, timeout: .milliseconds(50)) { batch -> Int in
                for record in batch {
                    try apply(record)
                    let key = record.topicPartition
                    if let target = remaining[key], record.offset + 1 >= target { remaining[key] = nil }
                }
                return batch.count
            }
            count += received
            if received > 0 {
                lastProgress = .now
                idlePolls = 0
                continue
            }
            idlePolls += 1
            if idlePolls % 4 == 0 {
                let positions = try consumer.position(Array(remaining.keys))
                for position in positions where position.offset >= 0 {
                    if let target = remaining[position.topicPartition], position.offset >= target {
                        remaining[position.topicPartition] = nil
                    }
                }
            }
            if ContinuousClock.now - lastProgress > timeout {
                let names = remaining.keys.map(\.description).sorted().joined(separator: ", ")
                throw RuntimeError(.timedOut, "no progress reading \(names) for \(timeout) (broker unavailable?)")
            }
        }
        return count
    }

    /// The high watermarks of partitions that hold records (`high > low`).
    static func targets(
        consumer: KafkaConsumer, partitions: [KafkaTopicPartition], timeout: Duration
    ) throws(KafkaError) -> [KafkaTopicPartition: Int64] {
        var targets: [KafkaTopicPartition: Int64] = [:]
        for partition in partitions {
            let marks = try consumer.watermarks(
                topic: partition.topic, partition: partition.partition, timeout: timeout)
            if marks.high > marks.low { targets[partition] = marks.high }
        }
        return targets
    }
}
