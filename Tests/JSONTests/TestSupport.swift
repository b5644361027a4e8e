import ConformanceSuites
import JSON

/// Locations of shared test data, found from this file's path (`<package>/Tests/JSONTests/...`).
enum TestPaths {
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let jsonTestSuite = ConformanceSuites.folder(packageRoot: packageRoot) + "/json-test-suite/test_parsing"
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
