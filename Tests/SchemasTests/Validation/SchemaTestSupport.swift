import ConformanceSuites
import Foundation
import JSON
import Schemas

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
