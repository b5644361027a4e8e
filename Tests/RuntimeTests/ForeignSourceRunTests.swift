import Foundation
import KafkaClient
import Runtime
import Testing

extension RuntimeProcessTests {
    /// A plant system's own flat JSON, read by `plantstream run` on the embedded broker without touching the
    /// producer: (A) valid records routed byte for byte, invalid ones to the dead-letter topic; (B) 60 s tumbling
    /// windows per plant/line/work center. Outputs are compared exactly with what the input implies.
    @Suite struct ForeignSourceRunTests {
        static let region = "plant"
        static let input = "linectl.cycles"

        /// The user's topology: one source of foreign records, the given pipelines.
        static func topology(application: String, pipelines: String) -> String {
            """
            application: \(application)
            schemas: \(RuntimeTestPaths.packageRoot)/schemas
            regions:
              - { name: plant, bootstrapServers: "127.0.0.1:9092" }
            sources:
              - name: line-controllers
                topic: linectl.cycles
                partitions: 3
                key: [plant, line, work_center]
                envelope: none
                schema: linectl.machine_cycle/v1
                eventTime: event_time
                eventId: event_id
                plant: plant
            outputs:
              - { name: cycles, topic: plant.cycles.v1, partitions: 3 }
              - { name: totals, topic: plant.cycle_totals.v1, partitions: 3 }
              - { name: dlq, topic: plant.dlq.v1, kind: dead_letter, partitions: 1 }
            pipelines:
            \(pipelines)
            """
        }

        /// One flat machine cycle, as the issue shows it.
        struct Cycle {
            var id: Int
            var workCenter: String
            var second: Int
            var good: Int
            var scrap: Int

            var key: String { "P05/L4/\(workCenter)" }
            var minute: Int { second / 60 }
            var text: String {
                let time = String(format: "2026-01-05T06:%02d:%02d.%03dZ", second / 60, second % 60, id % 1000)
                return #"{"event_id":"\#(String(format: "a3535e36-bd31-4524-8fbc-%012d", id))","#
                    + #""schema":"machine.cycle/v1","plant":"P05","line":"L4","work_center":"\#(workCenter)","#
                    + #""machine":"M54\#(workCenter.suffix(2))-1","order_id":"2550000","operation":"0010","#
                    + #""event_time":"\#(time)","good_qty":\#(good),"scrap_qty":\#(scrap),"cycle_ms":919}"#
            }
        }

        /// 40 cycles per work center over minutes 0…3 (in order per work center), then one at minute 9 each, which
        /// closes every earlier window on every partition.
        static let cycles: [Cycle] = {
            var cycles: [Cycle] = []
            for index in 0..<80 {
                let workCenter = ["WC04", "WC05"][index % 2]
                let second = (index / 2) * 6
                cycles.append(
                    Cycle(
                        id: index + 1, workCenter: workCenter, second: second, good: index % 7 == 0 ? 0 : 1,
                        scrap: index % 7 == 0 ? 1 : 0))
            }
            cycles.append(Cycle(id: 81, workCenter: "WC04", second: 540, good: 1, scrap: 0))
            cycles.append(Cycle(id: 82, workCenter: "WC05", second: 540, good: 1, scrap: 0))
            return cycles
        }()

        /// Records no schema allows: a text quantity, a misspelt field, and no JSON at all.
        static let invalid: [(key: String, value: String, code: String)] = [
            (
                "P05/L4/WC04",
                cycles[0].text.replacingOccurrences(of: #""good_qty":0"#, with: #""good_qty":"0""#),
                "SCHEMA_VIOLATION"
            ),
            (
                "P05/L4/WC05",
                cycles[1].text.replacingOccurrences(of: #""good_qty""#, with: #""good_qtty""#),
                "SCHEMA_VIOLATION"
            ),
            ("P05/L4/WC04", "GOOD=1;SCRAP=0", "MALFORMED_JSON"),
        ]

        /// Creates the topics, produces the input (valid and invalid records interleaved, a header on each), runs
        /// the processor until idle and reads the outputs.
        static func run(application: String, pipelines: String) async throws -> [ReadRecord] {
            let cluster = try KafkaEmbeddedCluster(brokers: 1, logger: TestKafka.logger)
            let directory = try RuntimeTestPaths.temporaryDirectory("foreign")
            let path = directory + "/topology.yaml"
            try topology(application: application, pipelines: pipelines).write(
                toFile: path, atomically: true, encoding: .utf8)
            let requirements = try await TestKafka.onThread {
                try RuntimePlan.load(
                    RuntimeConfiguration(
                        topologyPath: path, region: region, bootstrapServers: "127.0.0.1:0", environment: [:])
                ).topicRequirements()
            }
            for requirement in requirements {
                try cluster.createTopic(requirement.name, partitions: requirement.partitions)
            }
            var records = cycles.map {
                TestKafka.Outgoing(
                    topic: input, key: Array($0.key.utf8), value: Array($0.text.utf8),
                    headers: [KafkaHeader(name: "x-gateway", value: Array("edge-\($0.workCenter)".utf8))])
            }
            for (offset, record) in invalid.enumerated() {
                records.insert(
                    TestKafka.Outgoing(topic: input, key: Array(record.key.utf8), value: Array(record.value.utf8)),
                    at: 10 + offset * 20)
            }
            try await TestKafka.produce(records, cluster: cluster)
            let (status, stderr) = try await ProcessorProcess.runToIdle(
                topology: path, region: region, bootstrap: cluster.bootstrapServers, seconds: 90)
            #expect(status == 0, "\(stderr)")
            return try await TestKafka.readAll(
                ["plant.cycles.v1", "plant.cycle_totals.v1", "plant.dlq.v1"], cluster: cluster)
        }

        @Test func validRecordsAreRoutedUnchangedAndInvalidOnesDeadLettered() async throws {
            let outputs = try await Self.run(
                application: "foreign-route",
                pipelines: """
                      - name: route
                        source: line-controllers
                        types: [linectl.machine_cycle]
                        deadLetter: dlq
                        steps:
                          - validate: {}
                          - emit: { output: cycles, schema: linectl.machine_cycle/v1, header: none }
                    """)
            let routed = outputs.filter { $0.topic == "plant.cycles.v1" }
            // Every valid record once, with its bytes, key and header; in order per key.
            for workCenter in ["WC04", "WC05"] {
                let expected = Self.cycles.filter { $0.workCenter == workCenter }
                let received = routed.filter { $0.keyString == "P05/L4/\(workCenter)" }
                #expect(received.map(\.valueString) == expected.map(\.text))
                #expect(received.allSatisfy { $0.header("x-gateway") == "edge-\(workCenter)" })
            }
            #expect(routed.count == Self.cycles.count)
            // Dead letters of different input partitions interleave: compare them by value.
            let letters = outputs.filter { $0.topic == "plant.dlq.v1" }.sorted { $0.valueString < $1.valueString }
            let invalid = Self.invalid.sorted { $0.value < $1.value }
            #expect(letters.map(\.valueString) == invalid.map(\.value))
            #expect(letters.map(\.keyString) == invalid.map(\.key))
            #expect(letters.map { $0.header("ps_error_code") } == invalid.map(\.code))
            #expect(letters.map { $0.header("ps_error_path") } == ["", "/good_qty", "/good_qtty"])
            #expect(letters.allSatisfy { $0.header("ps_source_topic") == Self.input })
            #expect(letters.allSatisfy { $0.header("ps_pipeline") == "route" })
        }

        @Test func tumblingWindowsSumPerPlantLineAndWorkCenter() async throws {
            let outputs = try await Self.run(
                application: "foreign-totals",
                pipelines: """
                      - name: totals
                        source: line-controllers
                        types: [linectl.machine_cycle]
                        deadLetter: dlq
                        steps:
                          - validate: {}
                          - window:
                              tumbling: 60s
                              groupBy: [plant, line, work_center]
                              aggregates: { good: sum(good_qty), scrap: sum(scrap_qty), cycles: count() }
                          - map:
                              plant: plant
                              line: line
                              work_center: work_center
                              window_start: window.start
                              window_end: window.end
                              good_qty: good
                              scrap_qty: scrap
                              cycles: cycles
                          - emit:
                              output: totals
                              schema: linectl.cycle_totals/v1
                              key: [plant, line, work_center]
                              header: none
                    """)
            // What the input implies: every minute before the last record of each work center, summed.
            var expected: [String] = []
            for workCenter in ["WC04", "WC05"] {
                let cycles = Self.cycles.filter { $0.workCenter == workCenter && $0.minute < 9 }
                for minute in Set(cycles.map(\.minute)).sorted() {
                    let inMinute = cycles.filter { $0.minute == minute }
                    expected.append(
                        "P05|L4|\(workCenter) "
                            + #"{"plant":"P05","line":"L4","work_center":"\#(workCenter)","#
                            + String(
                                format: #""window_start":"2026-01-05T06:%02d:00.000Z","#
                                    + #""window_end":"2026-01-05T06:%02d:00.000Z","#, minute, minute + 1)
                            + #""good_qty":\#(inMinute.map(\.good).reduce(0, +)),"#
                            + #""scrap_qty":\#(inMinute.map(\.scrap).reduce(0, +)),"cycles":\#(inMinute.count)}"#)
                }
            }
            let totals = outputs.filter { $0.topic == "plant.cycle_totals.v1" }
            #expect(totals.map { "\($0.keyString) \($0.valueString)" }.sorted() == expected.sorted())
            #expect(expected.count == 8)
            let codes = outputs.filter { $0.topic == "plant.dlq.v1" }.compactMap { $0.header("ps_error_code") }
            #expect(codes.sorted() == Self.invalid.map(\.code).sorted())
        }
    }
}
