#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A dedicated OS thread that runs submitted jobs in order, for blocking librdkafka calls that
/// must never run on Swift's cooperative thread pool.
///
/// Use it to run a processing loop (``detach(name:_:)``), or as a serial executor for blocking
/// calls from async code (``run(_:)``). Kafka Streams runs one such thread per consumer.
///
/// - Important: Jobs run one after another; a job that loops forever blocks the jobs queued after
///   it. Calling ``join()`` from the thread itself deadlocks.
public final class KafkaThread: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var next = 0
        var accepting = true
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private final class Shared: Sendable {
        let state = ConditionLock(State())
        let name: String
        init(name: String) { self.name = name }
    }

    private let shared: Shared

    /// The thread's name (truncated to 15 bytes for the OS).
    public var name: String { shared.name }

    /// Starts a thread that waits for jobs.
    ///
    /// - Parameter name: A name for debuggers and `top -H`.
    public init(name: String) {
        shared = Shared(name: name)
        Self.start(shared)
    }

    /// Starts a thread that runs `body` and then exits.
    ///
    /// - Parameters:
    ///   - name: A name for debuggers and `top -H`.
    ///   - body: The loop to run.
    /// - Returns: The thread, for ``join()`` or ``joined()``.
    public static func detach(name: String, _ body: @escaping @Sendable () -> Void) -> KafkaThread {
        let thread = KafkaThread(name: name)
        thread.execute(body)
        thread.shutdown()
        return thread
    }

    deinit {
        shutdown()
    }

    /// Queues a job.
    ///
    /// - Parameter job: The work to run on the thread.
    /// - Returns: `false` when the thread was shut down and the job will not run.
    @discardableResult
    public func execute(_ job: @escaping @Sendable () -> Void) -> Bool {
        shared.state.signalAll { state in
            guard state.accepting else { return false }
            state.jobs.append(job)
            return true
        }
    }

    /// Runs a job on the thread and returns its result to the awaiting task.
    ///
    /// - Parameter job: The blocking work.
    /// - Returns: What `job` returns.
    /// - Throws: What `job` throws, or ``KafkaError/Code/illegalState`` after ``shutdown()``.
    public func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = execute {
                do {
                    continuation.resume(returning: try job())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            if !accepted {
                continuation.resume(throwing: KafkaError(.illegalState, "thread '\(name)' is shut down"))
            }
        }
    }

    /// Stops accepting jobs; the thread exits after the queued ones ran. Does not wait.
    public func shutdown() {
        shared.state.signalAll { $0.accepting = false }
    }

    /// Blocks until the thread exited (after ``shutdown()``).
    public func join() {
        shared.state.wait(until: { $0.exited }, then: { _ in })
    }

    /// Suspends until the thread exited (after ``shutdown()``), without blocking a thread.
    public func joined() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = shared.state.withLock { state in
                if state.exited { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if exited { continuation.resume() }
        }
    }

    private static func start(_ shared: Shared) {
        let argument = Unmanaged.passRetained(shared).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        #if canImport(Glibc)
            var thread = pthread_t()
        #else
            var thread: pthread_t?
        #endif
        let result = pthread_create(
            &thread,
            &attributes,
            { argument in
                // Balances passRetained in start(_:).
                let shared = Unmanaged<Shared>.fromOpaque(argument!).takeRetainedValue()
                KafkaThread.main(shared)
                return nil
            },
            argument
        )
        precondition(result == 0, "pthread_create failed: \(result)")
    }

    private static func main(_ shared: Shared) {
        #if canImport(Glibc)
            // Names the thread for top -H and debuggers (Linux keeps the first 15 bytes).
            let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
            if fd >= 0 {
                let name = Array(shared.name.utf8.prefix(15))
                _ = name.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
        #endif
        while true {
            let job: (@Sendable () -> Void)? = shared.state.wait(
                until: { $0.next < $0.jobs.count || !$0.accepting },
                then: { state in
                    guard state.next < state.jobs.count else { return nil }
                    let job = state.jobs[state.next]
                    state.next += 1
                    if state.next == state.jobs.count {
                        state.jobs.removeAll(keepingCapacity: true)
                        state.next = 0
                    }
                    return job
                }
            )
            guard let job else { break }
            job()
        }
        let waiters = shared.state.signalAll { state in
            state.exited = true
            defer { state.exitWaiters.removeAll() }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
