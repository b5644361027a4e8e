import Foundation
import JSON
import Schemas
import Testing

/// Paths of shared test data, found from this file's location (`<package>/Tests/SchemasTests/Validation/`).
enum SchemaTestPaths {
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)
        return parts.joined(separator: "/")
    }()
    static let suite = ConformanceSuites.folder(packageRoot: packageRoot) + "/json-schema-test-suite"
    static let tests = suite + "/tests/draft2020-12"
    static let remotes = suite + "/remotes"

    /// Serves `http://localhost:1234/...` from the suite's `remotes` folder (no network).
    static let remoteResolver: SchemaCompiler.Resolver = { uri in
        let prefix = "http://localhost:1234/"
        guard uri.hasPrefix(prefix) else { return nil }
        let path = remotes + "/" + uri.dropFirst(prefix.count)
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONValue(parsing: Array(data))
    }

    static func load(_ path: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SchemasError(code: .invalidJSON, file: path, message: "cannot read")
        }
        return try JSONValue(parsing: Array(data))
    }
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

/// Compiles `schema` alone (format assertion as given) for unit tests.
func compileSchema(_ json: String, formatAssertion: Bool = true) throws -> CompiledSchema {
    let compiler = SchemaCompiler(options: SchemaValidationOptions(formatAssertion: formatAssertion))
    return try compiler.compile(try JSONValue(parsing: json), uri: "https://example.test/schema.json")
}

/// Parses `json` and runs `body` on its root.
func withInstance<R>(_ json: String, _ body: (JSONNode) throws -> R) throws -> R {
    let tape = JSONTape()
    let bytes = Array(json.utf8)
    return try bytes.withUnsafeBytes { buffer in
        try body(try JSONReader().parse(buffer, into: tape).root)
    }
}
