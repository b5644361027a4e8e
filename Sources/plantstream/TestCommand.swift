import ArgumentParser
import Foundation
import PlantStreamTesting
import Topology

/// `plantstream test [FILES...]`: runs the declarative topology tests (`tests/*.yaml` beside the topology) on the
/// engine, without a broker. Every failure is printed as `file:line:column: message` with the expected and actual
/// records; exit 1 when a test fails or a test file has a mistake.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the topology's tests (tests/*.yaml): records in, expected records out, no broker.",
        discussion: """
            Each test runs on a fresh engine with the topology, its schemas and reference data (`${VAR}` \
            references take their defaults): it sends records to sources, moves the wall clock, and expects \
            records on outputs (a subset of fields or exact, in order or as a set), dead letters by code and \
            exceptions by kind. Dead letters and exceptions a test does not expect fail it. The file format is in \
            docs/testing.md.
            """
    )

    @Option(help: "The topology file.")
    var topology = "topology.yaml"

    @Argument(help: "Test files (default: every tests/*.yaml beside the topology).")
    var files: [String] = []

    func run() throws {
        let directory = (topology as NSString).deletingLastPathComponent
        func resolve(_ path: String) -> String {
            path.hasPrefix("/") || directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
        }
        let loaded: Topology
        do {
            loaded = try TopologyLoader(environment: [:]).load(contentsOf: topology)
        } catch {
            Self.printError("\(error)\nplantstream check --topology \(topology) shows every finding")
            throw ExitCode(1)
        }
        let paths = files.isEmpty ? Self.testFiles(in: resolve("tests")) : files
        guard !paths.isEmpty else {
            Self.printError("no test files: none given and no \(resolve("tests"))/*.yaml")
            throw ExitCode(1)
        }
        let runner = TopologyTestRunner(
            topology: loaded, schemasDirectory: resolve(loaded.schemasDirectory),
            referenceDirectory: resolve(loaded.referenceDirectory))
        let loader = TopologyTestFileLoader(topology: loaded)
        let started = ContinuousClock.now
        var passed = 0
        var failed = 0
        var broken = 0
        for path in paths {
            let (file, findings) = loader.load(contentsOf: path)
            for finding in findings { print(finding) }
            guard let file else {
                broken += 1
                continue
            }
            for result in runner.run(file) {
                let time = String(format: "%.0f ms", result.milliseconds)
                if result.passed {
                    passed += 1
                    print("ok    \(path): \(result.name) (\(time))")
                } else {
                    failed += 1
                    print("FAIL  \(path): \(result.name) (\(time))")
                    for failure in result.failures { print(failure) }
                }
            }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(
            "\(passed + failed) tests in \(paths.count) file\(paths.count == 1 ? "" : "s"): \(passed) passed, "
                + "\(failed) failed" + (broken > 0 ? ", \(broken) file\(broken == 1 ? "" : "s") not run" : "")
                + String(format: " (%.2f s)", seconds))
        if failed > 0 || broken > 0 { throw ExitCode(1) }
    }

    /// `*.yaml` and `*.yml` files of `directory`, sorted.
    static func testFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { directory + "/" + $0 }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
