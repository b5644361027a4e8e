import Foundation
import Testing

@testable import Topology

/// Topology and reference files a processor must not be brought down by: alias bombs, huge documents, deep
/// nesting, and reference paths that leave the reference directory.
@Suite struct HostileConfigurationTests {
    /// Nine levels of ten aliases each: 10⁹ scalars once expanded, in 1 KB of text.
    static let billionLaughs: String = {
        var text =
            "application: bomb\nl0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let previous = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
            text += "l\(level): &l\(level) [\(previous)]\n"
        }
        return text
    }()

    @Test func anAliasBombIsRefusedWithAPosition() throws {
        // Unbounded, this took minutes and gigabytes; the bound stops it after a quarter of a million nodes.
        let result = TestSupport.loader().lint(text: Self.billionLaughs, file: "bomb.yaml")
        let finding = try #require(result.findings.first { $0.message.contains("expands to more than") })
        #expect(finding.location.file == "bomb.yaml")
        #expect(finding.location.line >= 1 && finding.location.column >= 1)
        #expect(finding.severity == .error)
        #expect(result.topology == nil || result.findings.contains { $0.severity == .error })
    }

    @Test func aDocumentOverTheSizeLimitIsRefusedBeforeItIsParsed() throws {
        let directory = try TestSupport.temporaryDirectory(["placeholder.txt": ""])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/topology.yaml"
        let line = "# " + String(repeating: "x", count: 1022) + "\n"
        let text = "application: big\n" + String(repeating: line, count: ConfigReader.maxDocumentBytes / 1024 + 1)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = TestSupport.loader().lint(contentsOf: path)
        #expect(result.topology == nil)
        let finding = try #require(result.findings.first)
        #expect(result.findings.count == 1)
        #expect(finding.message.contains("limited to \(ConfigReader.maxDocumentBytes) bytes"), "\(finding)")
        #expect(finding.location.file == path && finding.location.line == 1 && finding.location.column == 1)
    }

    @Test func deepNestingIsRefused() throws {
        let depth = ConfigReader.maxDepth + 10
        let text =
            "application: deep\nx: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let result = TestSupport.loader().lint(text: text, file: "deep.yaml")
        #expect(result.findings.contains { $0.message.contains("nests deeper than") }, "\(result.findings)")
    }

    @Test(arguments: ["../order_operations.csv", "/tmp/elsewhere/order_operations.csv", "linked/order_operations.csv"])
    func aReferenceFileOutsideTheReferenceDirectoryIsALintError(file: String) throws {
        var files: [String: String] = ["topology.yaml": TestSupport.defaultTopologyText]
        for name in try FileManager.default.contentsOfDirectory(atPath: TestSupport.path("reference")) {
            files["reference/" + name] = try String(
                contentsOfFile: TestSupport.path("reference/" + name), encoding: .utf8)
        }
        files["order_operations.csv"] = files["reference/order_operations.csv"]
        files["topology.yaml"] = files["topology.yaml"]!.replacingOccurrences(
            of: "file: order_operations.csv", with: "file: \(file)")
        let directory = try TestSupport.temporaryDirectory(files)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A symbolic link inside reference/ that leads out of it.
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/reference/linked", withDestinationPath: directory)
        let topology = try TestSupport.loader().load(contentsOf: directory + "/topology.yaml")
        let findings = ReferenceDataCheck(topology: topology).run()
        let finding = try #require(findings.first { $0.message.contains("resolves outside the reference directory") })
        #expect(finding.severity == .error)
        let position = try #require(TestSupport.position(of: "name: order_operations", in: files["topology.yaml"]!))
        #expect(finding.location.line == position.line)
    }

    @Test func aSymbolicLinkThatStaysInsideIsFine() throws {
        let directory = try TestSupport.temporaryDirectory(["reference/a/rows.csv": "k\n1\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/reference/b", withDestinationPath: directory + "/reference/a")
        #expect(ReferencePath.resolve("b/rows.csv", in: directory + "/reference").isInside)
        #expect(!ReferencePath.resolve("../reference/../x.csv", in: directory + "/reference").isInside)
    }
}
