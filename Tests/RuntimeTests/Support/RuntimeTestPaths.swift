import Foundation

/// Paths of the package under test.
enum RuntimeTestPaths {
    /// The package root (three levels above this file: Tests/RuntimeTests/Support).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The binary `swift build` makes (the README's test command builds it before `swift test`);
    /// `PLANTSTREAM_BINARY` runs the process tests against another build.
    static var plantstream: String {
        ProcessInfo.processInfo.environment["PLANTSTREAM_BINARY"] ?? packageRoot + "/.build/debug/plantstream"
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ name: String) throws -> String {
        let path = NSTemporaryDirectory() + "plantstream-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A failure of the test harness (not of the code under test).
struct HarnessError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}
