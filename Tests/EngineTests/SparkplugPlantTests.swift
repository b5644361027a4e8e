import Engine
import JSON
import PlantStreamTesting
import Simulator
import Sparkplug
import Testing

/// The simulated plant twice through the default topology: once with its machines publishing JSON, once with its
/// line controllers speaking Sparkplug B (`sparkplug-cycles`, `-states`, `-telemetry` normalize onto the
/// catalogue and feed `mfg.machine.v1` back). The OEE windows and ERP postings must be the same.
@Suite struct SparkplugPlantTests {
    static let region = "eu-central"
    /// Simulated hours of the plant.
    static let hours: Int64 = 5

    /// What one twin wrote, per output topic.
    struct Outputs {
        var records: [String: [TestRecord]] = [:]
        var sparkplugRecords = 0
        var sparkplugExceptions: [TestRecord] = []
        var deadLetters: [TestRecord] = []
        /// Parts counted by the machine.cycle events that reached the OEE pipeline (sent as JSON, or fed back
        /// from Sparkplug counters).
        var cycleParts: (total: Int, good: Int) = (0, 0)

        func values(_ topic: String) -> [String] { (records[topic] ?? []).map { $0.valueString ?? "" } }
    }

    /// Runs the simulator (seed 5, one plant, the given Sparkplug link) through the driver: records in the order
    /// the simulator sends them, the wall clock following their timestamps, and every record the normalizing
    /// pipelines feed to `mfg.machine.v1` piped there right after the record that made it.
    static func run(sparkplug: SparkplugSimulation?) throws -> Outputs {
        let topologyFile = TestPaths.packageRoot + "/topology.yaml"
        let scenario = try PlantScenario.load(topologyFile: topologyFile, region: region, plants: 1)
        var simulator = try PlantSimulator(
            scenario: scenario, configuration: SimulatorConfiguration(seed: 5, sparkplug: sparkplug))
        var records: [SimulatedRecord] = []
        let end = simulator.startMs + hours * 3_600_000
        while let record = simulator.next(), record.timestampMs < end { records.append(record) }
        let driver = try TopologyTestDriver(
            topologyFile: topologyFile, region: region, wallClock: records.first?.timestampMs ?? 0)
        var outputs = Outputs()
        var fed = 0
        func count(_ cycle: JSONValue?) {
            guard let data = cycle?["data"] ?? cycle,
                case .number(let total)? = data["totalCount"], case .number(let good)? = data["goodCount"]
            else { return }
            outputs.cycleParts.total += Int(total.description) ?? 0
            outputs.cycleParts.good += Int(good.description) ?? 0
        }
        for record in records {
            if record.timestampMs > driver.clock.milliseconds + 10_000 {
                driver.advanceWallClock(by: record.timestampMs - driver.clock.milliseconds)
            }
            if record.envelope == .sparkplugB { outputs.sparkplugRecords += 1 }
            if record.eventType == .machineCycle && record.envelope != .sparkplugB {
                count(try? JSONValue(parsing: record.value))
            }
            try driver.pipe(
                topic: record.topic, key: String(decoding: record.key, as: UTF8.self), value: record.value,
                headers: record.headers.map { ($0.name, $0.value) }, timestamp: record.timestampMs)
            let feed = driver.records(output: "machine-feed")
            while fed < feed.count {
                let event = feed[fed]
                fed += 1
                if event.string("type") == "machine.cycle" { count(event.json) }
                try driver.pipe(
                    topic: event.topic, key: event.keyString, value: event.value, timestamp: record.timestampMs)
            }
        }
        driver.advanceWallClock(by: 3_600_000)
        for output in ["erp", "exceptions", "dlq", "oee", "sparkplug-exceptions"] {
            for record in driver.records(output: output) { outputs.records[record.topic, default: []].append(record) }
        }
        outputs.sparkplugExceptions = outputs.records["uns.sparkplug.exception.v1"] ?? []
        outputs.deadLetters = outputs.records["mfg.dlq.v1"] ?? []
        return outputs
    }

    /// A record's JSON without the members that differ between the twins by construction, at any depth: where
    /// its inputs sit on `mfg.machine.v1` (`lineage`: the Sparkplug twin's topic holds other records) and, for a
    /// window of machine events, which events those were (`sources`, `correlationId`) and when it closed.
    static func comparable(_ text: String, ignoring names: Set<String>) -> String {
        guard let value = try? JSONValue(parsing: Array(text.utf8)) else { return text }
        return without(names, value).description
    }

    static let erpIgnored: Set<String> = ["lineage"]
    static let oeeIgnored: Set<String> = ["lineage", "sources", "correlationId", "createdAt"]

    static func without(_ names: Set<String>, _ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(
                JSONObject(
                    object.members.filter { !names.contains($0.key) }.map {
                        JSONObject.Member(key: $0.key, value: without(names, $0.value))
                    }))
        case .array(let elements): return .array(elements.map { without(names, $0) })
        default: return value
        }
    }

    /// Equal lists, or the count and the first pair that differs.
    static func expectSame(_ actual: [String], _ expected: [String], _ what: String) {
        guard actual != expected else { return }
        let index =
            (0..<min(actual.count, expected.count)).first { actual[$0] != expected[$0] }
            ?? min(actual.count, expected.count)
        let message: String =
            "\(what): \(actual.count) records, expected \(expected.count); first difference at \(index):\n"
            + "  got      \(index < actual.count ? actual[index] : "-")\n"
            + "  expected \(index < expected.count ? expected[index] : "-")"
        Issue.record(Comment(rawValue: message))
    }

    @Test func theSparkplugPlantPostsWhatItsJSONTwinPosts() throws {
        let json = try Self.run(sparkplug: nil)
        let sparkplug = try Self.run(sparkplug: SparkplugSimulation(reconnectShare: 0.002))
        #expect(json.sparkplugRecords == 0)
        #expect(sparkplug.sparkplugRecords > 1000)
        let oee = json.values("mfg.oee.v1")
        #expect(oee.count >= 20, "OEE windows: \(oee.count)")
        Self.expectSame(
            sparkplug.values("mfg.oee.v1").map { Self.comparable($0, ignoring: Self.oeeIgnored) },
            oee.map { Self.comparable($0, ignoring: Self.oeeIgnored) }, "OEE")
        let erp = json.values("erp.txn.v1")
        #expect(erp.count >= 20, "ERP postings: \(erp.count)")
        Self.expectSame(
            sparkplug.values("erp.txn.v1").map { Self.comparable($0, ignoring: Self.erpIgnored) },
            erp.map { Self.comparable($0, ignoring: Self.erpIgnored) }, "ERP")
        Self.expectSame(
            sparkplug.values("erp.txn.exception.v1").map { Self.comparable($0, ignoring: Self.erpIgnored) },
            json.values("erp.txn.exception.v1").map { Self.comparable($0, ignoring: Self.erpIgnored) }, "exceptions")
        // Every part the JSON machines counted reached OEE from the Sparkplug counters.
        #expect(json.cycleParts.total > 1000)
        #expect(sparkplug.cycleParts == json.cycleParts)
        #expect(
            sparkplug.deadLetters.isEmpty, "\(sparkplug.deadLetters.prefix(3).map { $0.header("ps_error_message") })")
        // Reconnects are NDEATHs and rebirths, not gaps; a rebirth repeats the counters and adds no parts.
        #expect(!sparkplug.sparkplugExceptions.isEmpty)
        #expect(sparkplug.sparkplugExceptions.allSatisfy { $0.string("kind") == "NODE_DEATH" })
    }

    // MARK: The mapping, message by message

    static let t0: UInt64 = 1_742_198_400_000  // 2025-03-17T08:00:00Z

    static func metric(_ alias: UInt64, _ value: SparkplugWireValue, quality: Int64? = nil) -> SparkplugMetric {
        var metric = SparkplugMetric(alias: alias, value: value)
        if let quality {
            metric.properties = SparkplugPropertySet(
                keys: ["Quality"], values: [SparkplugPropertyValue(type: .int32, value: .int(quality))])
        }
        return metric
    }

    /// Counters become parts by their increase (a lost message loses none, a restart counts from zero), a PackML
    /// code becomes machine.state, a sample machine.telemetry — onto the catalogue, fed to `mfg.machine.v1`.
    @Test func countersStateAndSamplesBecomeCatalogueEvents() throws {
        let driver = try TopologyTestDriver(
            topologyFile: TestPaths.packageRoot + "/topology.yaml", region: Self.region,
            wallClock: Int64(Self.t0))
        func pipe(_ type: SparkplugTopic.MessageType, _ payload: SparkplugPayload) throws {
            let topic = SparkplugTopic(
                group: "DE01", messageType: type, edgeNode: "L1", device: type.isDevice ? "M01" : nil)
            try driver.pipe(
                topic: "uns.sparkplug.v1", key: "DE01|L1", value: payload.encoded(),
                headers: [("mqtt_topic", Array(topic.description.utf8))], timestamp: Int64(payload.timestamp ?? 0))
        }
        try pipe(
            .nodeBirth,
            SparkplugPayload(
                timestamp: Self.t0, metrics: [SparkplugMetric(name: "bdSeq", datatype: .uint64, value: .longValue(0))],
                seq: 0))
        try pipe(
            .deviceBirth,
            SparkplugPayload(
                timestamp: Self.t0,
                metrics: [
                    SparkplugMetric(name: "Counters/Good", alias: 1, datatype: .uint64, value: .longValue(100)),
                    SparkplugMetric(name: "Counters/Reject", alias: 2, datatype: .uint64, value: .longValue(4)),
                    SparkplugMetric(name: "State", alias: 4, datatype: .int32, value: .intValue(6)),
                    SparkplugMetric(name: "Spindle/Temperature", alias: 5, datatype: .double, value: nil),
                ], seq: 1))
        try pipe(
            .deviceData,
            SparkplugPayload(timestamp: Self.t0 + 40_000, metrics: [Self.metric(1, .longValue(103))], seq: 2))
        // seq 3 (Good = 105) is lost on the way.
        try pipe(
            .deviceData,
            SparkplugPayload(
                timestamp: Self.t0 + 120_000,
                metrics: [Self.metric(1, .longValue(108)), Self.metric(2, .longValue(5))],
                seq: 4))
        try pipe(
            .deviceData,
            SparkplugPayload(timestamp: Self.t0 + 130_000, metrics: [Self.metric(4, .intValue(11))], seq: 5))
        try pipe(
            .deviceData,
            SparkplugPayload(
                timestamp: Self.t0 + 140_000, metrics: [Self.metric(5, .doubleValue(52.5), quality: 64)], seq: 6))
        // The controller restarted: its counter starts again at zero.
        try pipe(
            .deviceData,
            SparkplugPayload(timestamp: Self.t0 + 200_000, metrics: [Self.metric(1, .longValue(2))], seq: 7))

        let feed = driver.records(output: "machine-feed")
        #expect(
            driver.records(output: "dlq").isEmpty,
            "\(driver.records(output: "dlq").map { $0.header("ps_error_message") })")
        #expect(feed.allSatisfy { $0.keyString == "DE01|M01" && $0.string("equipment.lineId") == "L1" })
        #expect(feed.allSatisfy { $0.string("equipment.areaId") == "A1" && $0.string("plantId") == "DE01" })
        let cycles = feed.filter { $0.string("type") == "machine.cycle" }.map { cycle in
            [cycle.string("data.totalCount"), cycle.string("data.goodCount"), cycle.string("occurredAt")]
                .map { $0 ?? "-" }.joined(separator: " ")
        }
        #expect(
            cycles == [
                "3 3 2025-03-17T08:00:40.000Z", "5 5 2025-03-17T08:02:00.000Z", "1 0 2025-03-17T08:02:00.000Z",
                "2 2 2025-03-17T08:03:20.000Z",
            ])
        let states = feed.filter { $0.string("type") == "machine.state" }.map { state in
            [state.string("data.state"), state.string("data.category"), state.string("data.previousState")]
                .map { $0 ?? "-" }.joined(separator: " ")
        }
        #expect(states == ["EXECUTE PRODUCING -", "HELD UNPLANNED_STOP EXECUTE"])
        let telemetry = feed.filter { $0.string("type") == "machine.telemetry" }
        try #require(telemetry.count == 1)
        #expect(
            telemetry[0].json?["data"]?["metrics"]?.description
                == #"[{"name":"spindleTemperature","value":52.5,"quality":"UNCERTAIN","#
                + #""sampledAt":"2025-03-17T08:02:20.000Z","uom":"CEL"}]"#)
        let exceptions = driver.records(output: "sparkplug-exceptions")
        #expect(exceptions.map { $0.string("kind") } == ["SEQUENCE_GAP"])
    }
}
