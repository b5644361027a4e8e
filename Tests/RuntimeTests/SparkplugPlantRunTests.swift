import Foundation
import JSON
import KafkaClient
import Runtime
import Simulator
import Testing

extension RuntimeProcessTests {
    /// `plantstream run` with the default topology on the embedded broker, fed the simulated plant twice: with its
    /// machines publishing JSON, and with its line controllers speaking Sparkplug B (births, aliased DATA,
    /// reconnects with rebirths), decoded and normalized by the `edge-nodes` source and its pipelines. The ERP
    /// postings and OEE windows must be the same.
    @Suite struct SparkplugPlantRunTests {
        static let region = "eu-central"
        static let hours: Int64 = 3

        /// The simulator's records (seed 5, plant DE01) by simulated hour of the event: every record of an event
        /// that occurred before the end.
        static func phases(sparkplug: SparkplugSimulation?) throws -> [[SimulatedRecord]] {
            let scenario = try PlantScenario.load(
                topologyFile: RuntimeTestPaths.packageRoot + "/topology.yaml", region: region, plants: 1)
            var simulator = try PlantSimulator(
                scenario: scenario, configuration: SimulatorConfiguration(seed: 5, sparkplug: sparkplug))
            let start = simulator.startMs
            var phases: [[SimulatedRecord]] = Array(repeating: [], count: Int(hours))
            while let record = simulator.next(), record.timestampMs < start + hours * 3_600_000 {
                let hour = Int((record.eventID.milliseconds - start) / 3_600_000)
                if hour < phases.count { phases[hour].append(record) }
            }
            return phases
        }

        /// Runs the twin: per simulated hour, its records are produced and the processor runs until idle (a new
        /// process each hour, restoring its state from the changelogs). Sparkplug messages of an hour go first, so
        /// the machine events they are normalized into are on `mfg.machine.v1` before the hour's other events
        /// move the OEE windows' watermark — as they would be live, where the normalizing hop takes milliseconds.
        static func run(sparkplug: SparkplugSimulation?) async throws -> [ReadRecord] {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let topology = RuntimeTestPaths.packageRoot + "/topology.yaml"
            let requirements = try await TestKafka.onThread {
                try RuntimePlan.load(
                    RuntimeConfiguration(
                        topologyPath: topology, region: region, bootstrapServers: "127.0.0.1:0", environment: [:])
                ).topicRequirements()
            }
            for requirement in requirements {
                try cluster.createTopic(requirement.name, partitions: requirement.partitions)
            }
            for phase in try phases(sparkplug: sparkplug) {
                let steps = [phase.filter { $0.envelope == .sparkplugB }, phase.filter { $0.envelope != .sparkplugB }]
                for records in steps where !records.isEmpty {
                    try await TestKafka.produce(
                        records.map { record in
                            TestKafka.Outgoing(
                                topic: record.topic, key: record.key, value: record.value,
                                headers: record.headers.map { KafkaHeader(name: $0.name, value: $0.value) })
                        }, cluster: cluster)
                    let (status, stderr) = try await ProcessorProcess.runToIdle(
                        topology: topology, region: region, bootstrap: cluster.bootstrapServers, seconds: 120)
                    #expect(status == 0, "\(stderr.suffix(2000))")
                }
            }
            return try await TestKafka.readAll(
                ["erp.txn.v1", "erp.txn.exception.v1", "mfg.oee.v1", "mfg.dlq.v1", "uns.sparkplug.exception.v1"],
                cluster: cluster)
        }

        /// The records of a topic as sorted, de-duplicated JSON texts, without the members (at any depth) that
        /// differ between the twins by construction: where inputs sit on `mfg.machine.v1` (`lineage`) and, for
        /// OEE windows, which machine events they were (`sources`, `correlationId`) and when the window closed.
        static func comparable(_ records: [ReadRecord], topic: String) -> [String] {
            let ignored: Set<String> =
                topic == "mfg.oee.v1" ? ["lineage", "sources", "correlationId", "createdAt"] : ["lineage"]
            func without(_ value: JSONValue) -> JSONValue {
                switch value {
                case .object(let object):
                    return .object(
                        JSONObject(
                            object.members.filter { !ignored.contains($0.key) }.map {
                                JSONObject.Member(key: $0.key, value: without($0.value))
                            }))
                case .array(let elements): return .array(elements.map(without))
                default: return value
                }
            }
            let texts = records.filter { $0.topic == topic }.map { record in
                (try? JSONValue(parsing: record.value ?? [])).map { without($0).description } ?? record.valueString
            }
            return Array(Set(texts)).sorted()
        }

        /// As many records, and the first that differs.
        static func expectSame(_ got: [String], _ expected: [String], _ what: String) {
            #expect(got.count == expected.count, "\(what)s: \(got.count), expected \(expected.count)")
            if let (left, right) = zip(got, expected).first(where: { $0 != $1 }) {
                Issue.record("\(what) differs:\n  got      \(left)\n  expected \(right)")
            }
        }

        @Test func theSparkplugPlantPostsWhatItsJSONTwinPosts() async throws {
            let json = try await Self.run(sparkplug: nil)
            let sparkplug = try await Self.run(sparkplug: SparkplugSimulation(reconnectShare: 0.002))
            let erp = Self.comparable(json, topic: "erp.txn.v1")
            #expect(erp.count >= 20, "ERP postings: \(erp.count)")
            Self.expectSame(Self.comparable(sparkplug, topic: "erp.txn.v1"), erp, "ERP posting")
            let oee = Self.comparable(json, topic: "mfg.oee.v1")
            #expect(oee.count >= 24, "OEE windows: \(oee.count)")
            Self.expectSame(Self.comparable(sparkplug, topic: "mfg.oee.v1"), oee, "OEE window")
            #expect(
                Self.comparable(sparkplug, topic: "erp.txn.exception.v1")
                    == Self.comparable(json, topic: "erp.txn.exception.v1"))
            #expect(sparkplug.filter { $0.topic == "mfg.dlq.v1" }.isEmpty)
            #expect(json.filter { $0.topic == "mfg.dlq.v1" }.isEmpty)
            let deaths = sparkplug.filter { $0.topic == "uns.sparkplug.exception.v1" }
            #expect(!deaths.isEmpty && deaths.allSatisfy { $0.valueString.contains(#""kind":"NODE_DEATH""#) })
        }
    }
}
