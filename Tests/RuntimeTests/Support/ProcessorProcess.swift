import Foundation
import Glibc
import Synchronization

/// `plantstream run` started as a child process (the built binary), with its standard error collected.
final class ProcessorProcess: Sendable {
    private final class State: Sendable {
        let stderr = Mutex<String>("")
        /// Complete lines of standard error so far, and the unterminated rest.
        let lines = Mutex<(complete: [String], partial: String)>(([], ""))
        let status = Mutex<Int32?>(nil)
    }

    private let process: Process
    private let state = State()

    /// Starts `plantstream run` with the given arguments.
    init(arguments: [String], environment: [String: String] = [:]) throws {
        let binary = RuntimeTestPaths.plantstream
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HarnessError("\(binary) is missing: run `swift build` before `swift test` (see README)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run"] + arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let state = self.state
        errors.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                // End of file: stop watching the descriptor before the pipe can be closed (Foundation on Linux
                // crashes in its event loop when a watched descriptor is closed under it).
                handle.readabilityHandler = nil
                return
            }
            let text = String(decoding: data, as: UTF8.self)
            state.stderr.withLock { $0 += text }
            state.lines.withLock { lines in
                var pieces = (lines.partial + text).split(separator: "\n", omittingEmptySubsequences: false)
                lines.partial = String(pieces.removeLast())
                lines.complete += pieces.map(String.init)
            }
        }
        process.terminationHandler = { finished in state.status.withLock { $0 = finished.terminationStatus } }
        self.process = process
        try process.run()
    }

    /// What the process wrote to standard error so far.
    var standardError: String { state.stderr.withLock { $0 } }

    /// The exit status, once exited.
    var exitStatus: Int32? { state.status.withLock { $0 } }

    /// The number of complete lines of standard error so far.
    var lineCount: Int { state.lines.withLock { $0.complete.count } }

    /// How many complete lines in `range` (clamped to the lines there are) contain `text`.
    func lines(containing text: String, in range: Range<Int>) -> Int {
        state.lines.withLock { lines in
            let end = min(range.upperBound, lines.complete.count)
            guard range.lowerBound < end else { return 0 }
            return lines.complete[range.lowerBound..<end].reduce(0) { $0 + ($1.contains(text) ? 1 : 0) }
        }
    }

    /// Sends SIGTERM.
    func terminate() { process.terminate() }

    /// Sends SIGKILL (no shutdown of any kind: a crash).
    func kill() { Glibc.kill(process.processIdentifier, SIGKILL) }

    /// Waits for the process to exit (up to `seconds`, then kills it and fails).
    ///
    /// - Returns: The exit status.
    func waitForExit(seconds: Int) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let status = exitStatus { return status }
            try await Task.sleep(for: .milliseconds(50))
        }
        Glibc.kill(process.processIdentifier, SIGKILL)
        throw HarnessError("plantstream run did not exit within \(seconds) s; stderr:\n\(standardError)")
    }

    /// Runs `plantstream run ... --exit-when-idle` to completion.
    ///
    /// - Returns: The exit status and standard error.
    static func runToIdle(
        topology: String, region: String, bootstrap: String, idle: String = "3s", extra: [String] = [],
        environment: [String: String] = [:], seconds: Int = 50
    ) async throws -> (status: Int32, stderr: String) {
        let process = try ProcessorProcess(
            arguments: ProcessorProcess.arguments(topology: topology, region: region, bootstrap: bootstrap)
                + ["--exit-when-idle", idle] + extra,
            environment: environment)
        let status = try await process.waitForExit(seconds: seconds)
        return (status, process.standardError)
    }

    /// The common `run` arguments: fast fetches and rebalances on the embedded broker (see the README's limits
    /// of the embedded broker), quiet logs.
    static func arguments(topology: String, region: String, bootstrap: String) -> [String] {
        [
            "--topology", topology, "--region", region, "--bootstrap-servers", bootstrap, "--log-level", "notice",
            "-X", "fetch.wait.max.ms=10", "-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=250",
            "-X", "max.in.flight.requests.per.connection=1",
        ]
    }
}
