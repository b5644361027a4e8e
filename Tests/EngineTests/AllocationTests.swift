import Engine
import MallocCounter
import PlantStreamTesting
import Testing

/// The paths of the two peer jobs `bench e2e` ships (flat line-controller cycles: A validates and routes each
/// valid one byte for byte re-keyed by order, B sums 60 s tumbling windows) allocate nothing per record once
/// warm: counted with a malloc counter around the engine alone (the sink drops what it is handed).
@Suite(.serialized) struct AllocationTests {
    /// Drops every record.
    final class NullSink: Sink {
        var records = 0
        func send(_ record: OutgoingRecord) { records += 1 }
    }

    static let routeJob = """
          - name: route
            source: line-controllers
            types: [linectl.machine_cycle]
            deadLetter: dlq
            steps:
              - validate: {}
              - emit: { output: cycles, schema: linectl.machine_cycle/v1, key: [order_id], header: none }
        """

    /// `count` valid cycles of 8 work centers (keys), 10 s apart per work center, back to back in one buffer.
    static func cycles(_ count: Int) -> (bytes: [UInt8], spans: [(key: Range<Int>, value: Range<Int>)]) {
        var bytes: [UInt8] = []
        var spans: [(key: Range<Int>, value: Range<Int>)] = []
        for index in 0..<count {
            let workCenter = "WC0\(index % 8)"
            let seconds = index / 8 * 10
            let time =
                "2026-01-05T" + StepProfilerTests.two(6 + seconds / 3600) + ":"
                + StepProfilerTests.two(seconds / 60 % 60)
                + ":" + StepProfilerTests.two(seconds % 60) + "Z"
            let key = "P05|L4|\(workCenter)"
            let value = ForeignSourceTests.cycle(id: index + 1, at: time, good: 1 + index % 3, workCenter: workCenter)
            let keyStart = bytes.count
            bytes += Array(key.utf8)
            let valueStart = bytes.count
            bytes += Array(value.utf8)
            spans.append((keyStart..<valueStart, valueStart..<bytes.count))
        }
        return (bytes, spans)
    }

    /// What the task allocated while processing the second half of the records one by one (the first half warms
    /// it up), split by whether a record's event time reached a new minute of its work center (opening a window,
    /// and for the first work center closing the last minute's windows) or only accumulated.
    struct Counts {
        var accumulating = 0
        var accumulatingAllocations: UInt = 0
        var boundaryAllocations: UInt = 0
        var written = 0
    }

    static func allocations(pipelines: String) throws -> Counts {
        let driver = try ForeignSourceTests().driver(ForeignSourceTests.yaml(pipelines: pipelines))
        let sink = NullSink()
        let task = try driver.engine.makeTask(topic: ForeignSourceTests.topic, partition: 0, sink: sink)
        let (bytes, spans) = cycles(4000)
        return bytes.withUnsafeBytes { buffer in
            let inputs = spans.enumerated().map { offset, span in
                InputRecord(
                    offset: Int64(offset), timestamp: 0,
                    key: UnsafeRawBufferPointer(rebasing: buffer[span.key]),
                    value: UnsafeRawBufferPointer(rebasing: buffer[span.value]))
            }
            return inputs.withUnsafeBufferPointer { records in
                let half = records.count / 2
                task.process(UnsafeBufferPointer(rebasing: records[..<half]))
                var counts = Counts()
                let writtenBefore = sink.records
                for index in half..<records.count {
                    plantstream_malloc_counter_start()
                    task.process(UnsafeBufferPointer(rebasing: records[index..<index + 1]))
                    let allocations = plantstream_malloc_counter_stop()
                    // Record `index` is at second index / 8 × 10 of its work center (see `cycles`).
                    if index / 8 % 6 == 0 {
                        counts.boundaryAllocations += allocations
                    } else {
                        counts.accumulating += 1
                        counts.accumulatingAllocations += allocations
                    }
                }
                counts.written = sink.records - writtenBefore
                return counts
            }
        }
    }

    /// Allocation counts mean something only in an optimized build (a debug build boxes and copies freely):
    /// `.ci/run` runs these tests with `swift test -c release -Xswiftc -enable-testing --filter AllocationTests`.
    static var optimized: Bool {
        #if DEBUG
            false
        #else
            true
        #endif
    }

    @Test func theCounterCountsTheAllocationsOfItsThread() {
        plantstream_malloc_counter_start()
        let array = [Int](repeating: 7, count: Int.random(in: 100...200))
        let counted = plantstream_malloc_counter_stop()
        #expect(array.count >= 100)
        #expect(counted >= 1)
    }

    @Test(
        .enabled(
            if: optimized,
            "optimized builds only: swift test -c release -Xswiftc -enable-testing --filter AllocationTests"
        ))
    func jobARoutesValidRecordsWithoutAllocating() throws {
        let counts = try Self.allocations(pipelines: Self.routeJob)
        #expect(counts.written == 2000)
        #expect(counts.accumulatingAllocations + counts.boundaryAllocations == 0)
    }

    @Test(
        .enabled(
            if: optimized,
            "optimized builds only: swift test -c release -Xswiftc -enable-testing --filter AllocationTests"
        ))
    func jobBAllocatesPerWindowNotPerRecord() throws {
        let counts = try Self.allocations(pipelines: ForeignSourceTests.pipelines)
        // Both jobs of the example: every record routed, and one result per work center and minute.
        let windows = counts.written - 2000
        #expect(windows > 300)
        // A record that only adds to an open window allocates nothing.
        #expect(counts.accumulating > 1600)
        #expect(counts.accumulatingAllocations == 0)
        // Opening and closing a window does (its state, its result): a bound that catches a per-record cost.
        #expect(
            counts.boundaryAllocations <= UInt(16 * windows), "\(counts.boundaryAllocations) for \(windows) windows")
    }
}
