import Foundation
import KafkaClient
import Testing

extension RuntimeProcessTests {
    /// `plantstream run` refuses to start, with a precise message and exit 1, on configuration errors.
    @Suite struct RunCommandTests {
        static let region = "eu-central"

        /// A fixture topology with one text replaced.
        static func broken(_ old: String, _ new: String, in directory: String) throws -> String {
            let fixture = try FixtureTopology(application: "cli", prefix: "c.", directory: directory)
            var text = try String(contentsOfFile: fixture.path, encoding: .utf8)
            guard text.contains(old) else { throw HarnessError("topology.yaml no longer contains '\(old)'") }
            text = text.replacingOccurrences(of: old, with: new)
            try text.write(toFile: fixture.path, atomically: true, encoding: .utf8)
            return fixture.path
        }

        @Test func lintErrorsStopStartUpWithTheirPositions() async throws {
            let directory = try RuntimeTestPaths.temporaryDirectory("cli-lint")
            let path = try Self.broken("          tumbling: 15m\n", "          tumblin: 15m\n", in: directory)
            let outcome = try await ProcessorProcess.runToIdle(
                topology: path, region: Self.region, bootstrap: "127.0.0.1:1", seconds: 30)
            #expect(outcome.status == 1)
            let finding = outcome.stderr.split(separator: "\n").first { $0.contains("tumblin") }
            #expect(finding?.hasPrefix("\(path):") == true, "\(outcome.stderr)")
            #expect(finding?.contains(": error: unknown field 'tumblin'") == true, "\(outcome.stderr)")
            #expect(outcome.stderr.contains("plantstream check"))
        }

        @Test func aMissingSecretStopsStartUpNamingItsVariable() async throws {
            let directory = try RuntimeTestPaths.temporaryDirectory("cli-secret")
            let path = try Self.broken(
                "      # sasl.password: { env: EU_KAFKA_PASSWORD }\n",
                "      sasl.password: { env: PLANTSTREAM_TEST_UNSET_PASSWORD }\n", in: directory)
            let outcome = try await ProcessorProcess.runToIdle(
                topology: path, region: Self.region, bootstrap: "127.0.0.1:1", seconds: 30)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("PLANTSTREAM_TEST_UNSET_PASSWORD is not set"), "\(outcome.stderr)")
        }

        @Test func missingTopicsAreReportedClearly() async throws {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("cli-topics")
            let fixture = try FixtureTopology(application: "cli", prefix: "c.", directory: directory)
            // No source topics: the runtime never creates inputs.
            let outcome = try await ProcessorProcess.runToIdle(
                topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers, seconds: 40)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("source topics 'mfg.production.v1'"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("mfg.production.v1:12"), "\(outcome.stderr)")

            // Sources present, changelogs missing: the embedded broker cannot create topics, and says so.
            for topic in ["mfg.production.v1", "mfg.machine.v1"] { try cluster.createTopic(topic, partitions: 12) }
            for topic in ["mfg.quality.v1", "linectl.cycles.v1", "acmemes.opconf.v1", "uns.sparkplug.v1"] {
                try cluster.createTopic(topic, partitions: 6)
            }
            let second = try await ProcessorProcess.runToIdle(
                topology: fixture.path, region: Self.region, bootstrap: cluster.bootstrapServers, seconds: 40)
            #expect(second.status == 1)
            #expect(second.stderr.contains("cannot be created"), "\(second.stderr)")
            #expect(second.stderr.contains("cli-eu-central-confirmations-"), "\(second.stderr)")
        }
    }
}
