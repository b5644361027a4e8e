import ConformanceSuites
import Foundation
import JSON
import Schemas
import Testing

/// Runs the official JSON-Schema-Test-Suite for draft 2020-12: every required file, plus the
/// optional format files PlantStream asserts (with format assertion on). Remote references
/// resolve from the suite's `remotes` folder. Prints passed/failed/excluded counts.
@Suite(
    .enabled(
        if: ConformanceSuites.enabled(SchemaTestPaths.suite),
        Comment(rawValue: ConformanceSuites.skipReason("JSON-Schema-Test-Suite", SchemaTestPaths.suite))))
struct JSONSchemaSuiteTests {
    static let requiredFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: SchemaTestPaths.tests)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()
    static let formatFiles = [
        "date-time", "date", "time", "uuid", "email", "ipv4", "ipv6", "hostname", "uri", "uri-reference",
    ].map {
        "optional/format/\($0).json"
    }

    /// Test cases deliberately not run, as "file: group description: test description" → reason.
    static let exclusions: [String: String] = [:]

    struct Counts {
        var passed = 0
        var failed = 0
        var excluded = 0
        var failures: [String] = []
    }

    static func run(file: String, formatAssertion: Bool, counts: inout Counts) throws {
        guard case .array(let groups) = try SchemaTestPaths.load(SchemaTestPaths.tests + "/" + file) else {
            Issue.record("\(file) is not an array")
            return
        }
        for (groupIndex, group) in groups.enumerated() {
            let description = group["description"]?.stringValue ?? "group \(groupIndex)"
            guard case .array(let tests) = group["tests"], let schema = group["schema"] else { continue }
            let compiler = SchemaCompiler(
                options: SchemaValidationOptions(formatAssertion: formatAssertion),
                resolver: SchemaTestPaths.remoteResolver)
            let compiled: CompiledSchema?
            var compileError: String?
            do {
                compiled = try compiler.compile(schema, uri: "https://suite.test/\(file)/\(groupIndex).json")
            } catch {
                compiled = nil
                compileError = "\(error)"
            }
            for test in tests {
                let name = "\(file): \(description): \(test["description"]?.stringValue ?? "?")"
                if exclusions[name] != nil {
                    counts.excluded += 1
                    continue
                }
                guard let data = test["data"], let expected = test["valid"]?.boolValue else { continue }
                guard let compiled else {
                    counts.failed += 1
                    counts.failures.append("\(name): compile error \(compileError ?? "")")
                    continue
                }
                let fast = compiled.isValid(data)
                let violations = compiled.validate(data)
                if fast == expected && violations.isEmpty == expected {
                    counts.passed += 1
                } else {
                    counts.failed += 1
                    counts.failures.append(
                        "\(name): expected \(expected), isValid \(fast), violations \(violations.map(\.description))")
                }
            }
        }
    }

    @Test func suiteIsPresent() {
        #expect(Self.requiredFiles.count >= 45)
    }

    @Test func draft2020Conformance() throws {
        var counts = Counts()
        for file in Self.requiredFiles { try Self.run(file: file, formatAssertion: false, counts: &counts) }
        for file in Self.formatFiles { try Self.run(file: file, formatAssertion: true, counts: &counts) }
        print(
            "JSON-Schema-Test-Suite draft2020-12: \(counts.passed) passed, \(counts.failed) failed, \(counts.excluded) excluded"
        )
        for failure in counts.failures { Issue.record(Comment(rawValue: failure)) }
        #expect(counts.passed > 1600)
    }
}
