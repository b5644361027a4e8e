import Glibc
import KafkaClient
import Synchronization
import Testing

@Suite struct KafkaThreadTests {
    @Test func runsJobsInOrderOnOneDedicatedThread() async throws {
        let thread = KafkaThread(name: "ps-test")
        let order = Mutex<[Int]>([])
        for index in 0..<100 {
            thread.execute { order.withLock { $0.append(index) } }
        }
        let name = try await thread.run { () -> String in
            var buffer = [UInt8](repeating: 0, count: 32)
            let fd = open("/proc/thread-self/comm", O_RDONLY)
            defer { close(fd) }
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            return String(decoding: buffer[0..<max(0, count)], as: UTF8.self).trimmingNewline
        }
        #expect(name == "ps-test")
        #expect(order.withLock { $0 } == Array(0..<100))
        thread.shutdown()
        await thread.joined()
        await #expect(throws: KafkaError.self) { try await thread.run { 1 } }
    }

    @Test func runPropagatesErrors() async {
        let thread = KafkaThread(name: "ps-test-errors")
        defer { thread.shutdown() }
        await #expect(throws: KafkaError.self) {
            try await thread.run { throw KafkaError(.invalidArgument, "boom") }
        }
    }

    @Test func detachedLoopEndsAndJoins() {
        let counter = Atomic<Int>(0)
        let thread = KafkaThread.detach(name: "ps-loop") {
            for _ in 0..<1000 { counter.add(1, ordering: .relaxed) }
        }
        thread.join()
        #expect(counter.load(ordering: .relaxed) == 1000)
    }
}

extension String {
    fileprivate var trimmingNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
