import Foundation
import Synchronization
import Testing

/// Runs the built `plantstream` binary (and kcat) as child processes for CLI tests.
///
/// The binary comes from `swift build` (the README's test command builds it before `swift test`).
enum CLIProcess {
    /// The package root, from this file's path (Tests/CLITests/CLIProcess.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `.build/debug/plantstream`, required to exist.
    static func plantstream() throws -> URL {
        let url = packageRoot.appendingPathComponent(".build/debug/plantstream")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw CLITestError("\(url.path) is missing: run `swift build` before `swift test` (see README)")
        }
        return url
    }

    /// A tool from PATH (e.g. kcat), required to exist.
    static func tool(_ name: String) throws -> URL {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let url = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CLITestError("\(name) is not installed (.ci/run installs it with apt-get)")
    }

    /// The outcome of a finished process.
    struct Outcome: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a process to completion, feeding `input` to its stdin.
    static func run(_ executable: URL, _ arguments: [String], input: String? = nil) async throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        let stdin = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        process.standardInput = stdin
        let exited = AsyncStream.makeStream(of: Int32.self)
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let output = Task.detached { stdout.fileHandleForReading.readDataToEndOfFile() }
        let errors = Task.detached { stderr.fileHandleForReading.readDataToEndOfFile() }
        var status: Int32 = -1
        for await value in exited.stream {
            status = value
            break
        }
        return Outcome(
            status: status,
            stdout: String(decoding: await output.value, as: UTF8.self),
            stderr: String(decoding: await errors.value, as: UTF8.self)
        )
    }

    /// A free TCP port on 127.0.0.1 (bound and released; a small race is acceptable in tests).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw CLITestError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A long-running child process whose stdout lines are collected as they arrive.
final class RunningProcess: @unchecked Sendable {
    // Safe: `process` is configured before `run()` and afterwards only read through its
    // thread-safe accessors; the collected output lives in the Sendable `State`.
    private final class State: Sendable {
        let lines = Mutex<[String]>([])
        let exited = Mutex<Int32?>(nil)
        let stderrText = Mutex<String>("")
    }

    private let process: Process
    private let state = State()

    init(_ executable: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        self.process = process
        let state = self.state
        // At end of file each handler stops watching its descriptor before the pipe can be closed (Foundation on
        // Linux crashes in its event loop when a watched descriptor is closed under it).
        stdout.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            let text = String(decoding: data, as: UTF8.self)
            state.lines.withLock { $0 += text.split(separator: "\n").map(String.init) }
        }
        stderr.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil
                return
            }
            state.stderrText.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        process.terminationHandler = { process in state.exited.withLock { $0 = process.terminationStatus } }
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    var pid: Int32 { process.processIdentifier }
    var output: [String] { state.lines.withLock { $0 } }
    var errorOutput: String { state.stderrText.withLock { $0 } }

    /// Waits (polling every 50 ms, up to `seconds`) for a stdout line with the prefix.
    func waitForLine(prefix: String, seconds: Int = 30) async throws -> String {
        var afterExit = 0
        for _ in 0..<(seconds * 20) {
            if let line = output.first(where: { $0.hasPrefix(prefix) }) { return line }
            // Once it exited, what it wrote last may still be in the pipe for a moment.
            if state.exited.withLock({ $0 }) != nil {
                afterExit += 1
                if afterExit > 20 { break }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLITestError("no line starting with '\(prefix)'; stdout: \(output), stderr: \(errorOutput)")
    }

    /// Waits (up to `seconds`) for the process to exit by itself; its exit status (negative for a signal).
    func waitForExit(seconds: Int) async throws -> Int32 {
        for _ in 0..<(seconds * 20) {
            if let status = state.exited.withLock({ $0 }) {
                return process.terminationReason == .exit ? status : -status
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLITestError("the process did not exit within \(seconds) s")
    }

    /// Sends a signal and waits (up to `seconds`) for the exit status.
    func stop(signal number: Int32, seconds: Int = 30) async throws -> Int32 {
        kill(process.processIdentifier, number)
        for _ in 0..<(seconds * 20) {
            if let status = state.exited.withLock({ $0 }) {
                // Only a normal exit counts (a death by signal also reports a status).
                return process.terminationReason == .exit ? status : -status
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CLITestError("the process did not exit within \(seconds) s of signal \(number)")
    }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
