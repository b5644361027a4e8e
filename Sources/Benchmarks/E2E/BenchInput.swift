import Foundation
import KafkaClient

/// The records a benchmark run preloads into its input topic (not timed): a shipped workload's events, or
/// the lines of a file (`KEY<TAB>VALUE`, or a value alone for a record without key), partitioned by key.
public struct BenchInput: Sendable {
    /// Where the records come from.
    public enum Origin: Sendable, Equatable {
        /// A shipped workload's generator.
        case workload(BenchWorkload)
        /// A file of key/value lines.
        case file(String)
    }

    /// A record of a file.
    struct FileRecord: Sendable {
        var key: [UInt8]?
        var value: [UInt8]
    }

    /// The origin.
    public let origin: Origin
    private let fileRecords: [FileRecord]

    /// A workload's events.
    public init(workload: BenchWorkload) {
        origin = .workload(workload)
        fileRecords = []
    }

    /// The records of a file, read now: one per non-empty line, the key before the first tab (none without a tab).
    ///
    /// - Throws: ``BenchmarksError`` when the file cannot be read or holds no record.
    public init(recordsFile path: String) throws(BenchmarksError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BenchmarksError(.invalidConfiguration, "\(path): cannot read the records file")
        }
        var records: [FileRecord] = []
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            var line = line
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { continue }
            if let tab = line.firstIndex(of: 0x09) {
                records.append(FileRecord(key: Array(line[..<tab]), value: Array(line[(tab + 1)...])))
            } else {
                records.append(FileRecord(key: nil, value: Array(line)))
            }
        }
        guard !records.isEmpty else {
            throw BenchmarksError(.invalidConfiguration, "\(path): no records (one KEY<TAB>VALUE per line)")
        }
        origin = .file(path)
        fileRecords = records
    }

    /// What the records are, for the report.
    public var workloadSummary: String {
        switch origin {
        case .workload(let workload): workload.summary
        case .file(let path): "records of \(path)"
        }
    }

    /// The records of a file (`nil` for a workload, which makes as many as asked).
    public var fixedCount: Int? { fileRecords.isEmpty ? nil : fileRecords.count }

    /// How many records job A writes for `count` input records (`nil` when unknown: a file).
    public func routedCount(of count: Int) -> Int? {
        switch origin {
        case .workload(let workload): workload.generator(partitions: 1, startMs: 0).routedCount(of: count)
        case .file: nil
        }
    }

    /// How many of `count` records a validating job dead-letters on purpose (`nil` when unknown: a file).
    public func invalidCount(of count: Int) -> Int? {
        switch origin {
        case .workload(let workload): workload.generator(partitions: 1, startMs: 0).invalidCount(of: count)
        case .file: nil
        }
    }

    /// The mean key + value bytes of the first `count` records (at most 10,000 looked at).
    public func meanRecordSize(count: Int, partitions: Int) -> Int {
        let sample = min(count, 10_000)
        guard sample > 0 else { return 0 }
        var bytes = 0
        switch origin {
        case .workload(let workload):
            var generator = workload.generator(partitions: partitions, startMs: E2EBenchmark.startMs)
            for index in 0..<sample { bytes += generator.withEvent(index) { $1.count + $2.count } }
        case .file:
            for index in 0..<sample {
                let record = fileRecords[index % fileRecords.count]
                bytes += (record.key?.count ?? 0) + record.value.count
            }
        }
        return bytes / sample
    }

    /// Writes `count` records into `topic` of `partitions` partitions: a workload's partition by partition (each
    /// in event-time order, so that the producer fills whole batches), a file's in file order, partitioned by
    /// the producer's partitioner. Returns the key + value bytes written; waits until all are acknowledged.
    func preload(count: Int, partitions: Int, into topic: KafkaProducerTopic, of producer: KafkaProducer) throws
        -> Int
    {
        var bytes = 0
        var failure: (any Error)?
        switch origin {
        case .workload(let workload):
            var generator = workload.generator(partitions: partitions, startMs: E2EBenchmark.startMs)
            for index in generator.indexesByPartition(count: count) {
                let headers: KafkaProducerHeaders = generator.header(of: index).map { .list([$0]) } ?? .none
                generator.withEvent(index) { partition, key, value in
                    bytes += key.count + value.count
                    do {
                        try producer.send(
                            to: topic, partition: partition, key: key, value: value, headers: headers,
                            timestamp: E2EBenchmark.startMs)
                    } catch {
                        failure = failure ?? error
                    }
                }
                if let failure { throw failure }
            }
        case .file:
            for index in 0..<count {
                let record = fileRecords[index % fileRecords.count]
                bytes += (record.key?.count ?? 0) + record.value.count
                try record.value.withUnsafeBytes { value in
                    if let key = record.key {
                        try key.withUnsafeBytes { key in try producer.send(to: topic, key: key, value: value) }
                    } else {
                        try producer.send(to: topic, key: nil, value: value)
                    }
                }
            }
        }
        try producer.flush(timeout: .seconds(300))
        return bytes
    }
}
