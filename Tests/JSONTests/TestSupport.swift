import Foundation
import JSON
import Testing

/// Locations of shared test data, found from this file's path (`<package>/Tests/JSONTests/...`).
enum TestPaths {
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let jsonTestSuite = ConformanceSuites.folder(packageRoot: packageRoot) + "/json-test-suite/test_parsing"
}

/// Where the external conformance suites are: `$PLANTSTREAM_CONFORMANCE_SUITES` (a folder holding
/// `json-test-suite/` and `json-schema-test-suite/`), else `../shared` beside the package. Tests that need them
/// are skipped with this reason when absent — unless `PLANTSTREAM_REQUIRE_CONFORMANCE_SUITES=1` (set by
/// `.ci/run`), which makes them run and fail.
enum ConformanceSuites {
    static func folder(packageRoot: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["PLANTSTREAM_CONFORMANCE_SUITES"], !folder.isEmpty { return folder }
        return packageRoot + "/../shared"
    }

    /// Whether the tests of `suite` (a folder that must exist) run.
    static func enabled(_ suite: String) -> Bool {
        FileManager.default.fileExists(atPath: suite) || required
    }

    static var required: Bool { ProcessInfo.processInfo.environment["PLANTSTREAM_REQUIRE_CONFORMANCE_SUITES"] == "1" }

    static func skipReason(_ name: String, _ suite: String) -> Comment {
        Comment(
            rawValue: "\(name) not found at \(suite): put it in a folder and set PLANTSTREAM_CONFORMANCE_SUITES to "
                + "that folder (README)")
    }
}

/// Parses `bytes` with a fresh tape and returns the outcome.
func parseOutcome(_ bytes: [UInt8], maxDepth: Int = JSONReader.defaultMaxDepth) -> Result<JSONValue, JSONError> {
    let tape = JSONTape()
    return bytes.withUnsafeBytes { buffer in
        do throws(JSONError) {
            let document = try JSONReader(maxDepth: maxDepth).parse(buffer, into: tape)
            return .success(JSONValue(document.root))
        } catch {
            return .failure(error)
        }
    }
}

/// Parses `text` and runs `body` on the root node.
func withRoot<R>(_ text: String, _ body: (JSONNode) throws -> R) throws -> R {
    let tape = JSONTape()
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBytes { buffer in
        let document = try JSONReader().parse(buffer, into: tape)
        return try body(document.root)
    }
}
