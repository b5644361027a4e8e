import Foundation
import Testing

@testable import Topology

/// Runs the built `plantstream` binary (`swift build` first) on fixtures and checks output and exit status.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    static let binary = TestSupport.path(".build/debug/plantstream")

    private func run(_ arguments: [String]) throws -> Run {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "build the binary first: swift build (looked for \(Self.binary))")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: TestSupport.packageRoot)
        process.environment = ["PATH": "/usr/bin:/bin"]
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self))
    }

    /// A broken copy of the default topology in a temporary directory, reading the repository's schemas and
    /// reference data.
    private func brokenCopy(_ replacements: [(String, String)]) throws -> String {
        var text = TestSupport.defaultTopologyText
            .replacingOccurrences(of: "schemas: schemas", with: "schemas: \(TestSupport.path("schemas"))")
            .replacingOccurrences(of: "reference: reference", with: "reference: \(TestSupport.path("reference"))")
        for (find, replace) in replacements {
            let range = try #require(text.range(of: find), "\(find) is not in topology.yaml")
            text.replaceSubrange(range, with: replace)
        }
        let directory = try TestSupport.temporaryDirectory(["topology.yaml": text])
        return directory + "/topology.yaml"
    }

    @Test func checkPassesOnTheDefaultTopology() throws {
        let result = try run(["check"])
        #expect(result.status == 0, Comment(rawValue: result.output + result.error))
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("topology.yaml: ok — 2 regions, 6 sources, 15 pipelines") == true)
    }

    @Test func checkPrintsEveryFindingOnItsOwnLineAndExitsOne() throws {
        let path = try brokenCopy([
            ("tumbling: 15m", "tumblin: 15m"),
            ("mainWorkCenter: eq.maintenanceWorkCenter", "mainWorkCenter: eq.maintenanceWorkCentre"),
            ("client.id: plantstream-americas", "sasl.password: hunter2"),
        ])
        let result = try run(["check", "--topology", path])
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, Comment(rawValue: result.output))
        for line in lines {
            #expect(line.hasPrefix(path + ":"))
            #expect(line.range(of: #"^.+:\d+:\d+: error: .+$"#, options: .regularExpression) != nil)
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let tumbling = try #require(TestSupport.position(of: "tumblin:", in: text))
        let secret = try #require(TestSupport.position(of: "hunter2", in: text))
        #expect(
            lines.contains(
                "\(path):\(secret.line):\(secret.column): error: secret 'sasl.password' must not be written in the topology; write { env: NAME } or { file: PATH }"
            ))
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "\(path):\(tumbling.line):\(tumbling.column): error: unknown field 'tumblin' in window (did you mean 'tumbling'?)"
                )
            })
        #expect(result.error.contains("2 errors"))
    }

    @Test func checkReportsReferenceDataAfterTheTopologyIsClean() throws {
        let path = try brokenCopy([
            ("mainWorkCenter: eq.maintenanceWorkCenter", "mainWorkCenter: eq.maintenanceWorkCentre")
        ])
        let result = try run(["check", "--topology", path])
        #expect(result.status == 1)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let column = try #require(TestSupport.position(of: "eq.maintenanceWorkCentre", in: text))
        #expect(
            result.output.hasPrefix(
                "\(path):\(column.line):\(column.column): error: table 'equipment_master' has no column 'maintenanceWorkCentre' (did you mean 'maintenanceWorkCenter'?)"
            ))
    }

    @Test func checkOfAMissingFile() throws {
        let result = try run(["check", "--topology", "/nonexistent/topology.yaml"])
        #expect(result.status == 1)
        #expect(result.output.contains("/nonexistent/topology.yaml:1:1: error: cannot read the topology file"))
    }

    @Test func describeStepsPrintsTheReference() throws {
        let result = try run(["describe", "steps"])
        #expect(result.status == 0)
        for spec in StepSpec.builtIn {
            #expect(result.output.contains("\n\(spec.name) — ") || result.output.hasPrefix("\(spec.name) — "))
        }
        let window = try run(["describe", "steps", "window"])
        #expect(window.output == TopologyReference.steps([StepSpec.window], format: .text))
        let markdown = try run(["describe", "all", "--markdown"])
        #expect(markdown.output == TopologyReference.markdownDocument() + "\n")
        let bad = try run(["describe", "steps", "windows"])
        #expect(bad.status == 2)
        #expect(bad.error.contains("unknown step 'windows'"))
    }
}
