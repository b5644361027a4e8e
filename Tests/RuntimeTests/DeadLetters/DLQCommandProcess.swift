import Foundation

/// `plantstream dlq ...` run as a child process (the built binary) to completion.
enum DLQCommandProcess {
    /// What a finished command printed.
    struct Outcome: Sendable, CustomStringConvertible {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String

        var output: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        var description: String { "exit \(status)\nstdout:\n\(output)\nstderr:\n\(stderr)" }
    }

    /// Runs `plantstream dlq <arguments>` and waits for it (killing it after `seconds`).
    static func run(_ arguments: [String], seconds: Int = 60) async throws -> Outcome {
        let binary = RuntimeTestPaths.plantstream
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw HarnessError("\(binary) is missing: run `swift build` before `swift test` (see README)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["dlq"] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let exited = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        let stdout = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let stderr = Task.detached { errors.fileHandleForReading.readDataToEndOfFile() }
        let pid = process.processIdentifier
        let watchdog = Task.detached {
            try await Task.sleep(for: .seconds(seconds))
            kill(pid, SIGKILL)
        }
        var status: Int32 = -1
        for await value in exited.stream {
            status = value
            break
        }
        watchdog.cancel()
        return Outcome(
            status: status, stdout: Array(await stdout.value),
            stderr: String(decoding: await stderr.value, as: UTF8.self))
    }

    /// The arguments naming a fixture's region on the embedded cluster (fast fetches, one request in flight).
    static func region(_ topology: String, bootstrap: String) -> [String] {
        [
            "--topology", topology, "--region", "eu-central", "--bootstrap-servers", bootstrap, "-X",
            "max.in.flight.requests.per.connection=1", "-X", "fetch.wait.max.ms=10",
        ]
    }
}
