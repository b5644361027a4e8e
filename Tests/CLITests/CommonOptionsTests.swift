import Foundation
import Testing

/// Options the commands share: `--version`, `--log-level` (commands that log), the region options.
@Suite struct CommonOptionsTests {
    @Test func versionNamesTheReleaseAndTheLinkedLibrdkafka() async throws {
        let outcome = try await CLIProcess.run(try CLIProcess.plantstream(), ["--version"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.hasPrefix("plantstream "))
        #expect(outcome.stdout.contains("(librdkafka 2."))
    }

    @Test(arguments: ["run", "demo", "broker", "dlq list"])
    func anUnknownLogLevelIsAUsageErrorListingTheLevels(command: String) async throws {
        let arguments = command.split(separator: " ").map(String.init) + ["--log-level", "loud"]
        let outcome = try await CLIProcess.run(try CLIProcess.plantstream(), arguments)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown log level 'loud'; expected one of trace, debug, info"))
    }

    @Test(arguments: ["run", "dlq list"])
    func commandsOnOneRegionNameTheMissingRegion(command: String) async throws {
        let arguments = command.split(separator: " ").map(String.init) + ["--topology", "topology.yaml"]
        let outcome = try await CLIProcess.run(try CLIProcess.plantstream(), arguments)
        #expect(outcome.status != 0)
        #expect(outcome.stderr.contains("--region is required"), "\(outcome.stderr)")
    }
}
