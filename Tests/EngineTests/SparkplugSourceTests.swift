import Engine
import JSON
import PlantStreamTesting
import Schemas
import Sparkplug
import Testing
import Topology

/// Sources with `envelope: sparkplug_b`: BIRTH tables as partition state, alias resolution, sequence gaps, deaths,
/// DATA waiting for its BIRTH, one `sparkplug.metric` record per metric.
@Suite struct SparkplugSourceTests {
    static let topic = "uns.sparkplug"
    static let node = "spBv1.0/DE01/NBIRTH/line-4"
    static let t0: UInt64 = 1_742_198_400_000

    static func yaml(
        key: String = "[topic]", partitions: Int = 1,
        sparkplug: String = "{ exceptions: sparkplug-exceptions, staleEvents: true, parkLimit: 3 }"
    ) -> String {
        """
        application: plantstream
        regions:
          - { name: eu, bootstrapServers: "127.0.0.1:9092" }
        sources:
          - name: uns
            topic: uns.sparkplug
            partitions: \(partitions)
            key: \(key)
            envelope: sparkplug_b
            sparkplug: \(sparkplug)
        outputs:
          - { name: metrics, topic: plant.metrics.v1 }
          - { name: sparkplug-exceptions, topic: plant.sparkplug.exceptions.v1 }
          - { name: dlq, topic: plant.dlq.v1, kind: dead_letter }
        pipelines:
          - name: metrics
            source: uns
            types: [sparkplug.metric]
            deadLetter: dlq
            steps:
              - validate: {}
              - emit: { output: metrics, schema: sparkplug.metric/v1, key: [group, edgeNode], header: none }
        """
    }

    // MARK: Messages of one edge node (line-4) with one device (PRESS-07)

    static func topic(_ type: String, device: String? = "PRESS-07") -> String {
        "spBv1.0/DE01/\(type)/line-4" + (type.hasPrefix("D") ? "/\(device ?? "")" : "")
    }

    static func nbirth(seq: UInt64 = 0, bdSeq: Int64 = 0) -> [UInt8] {
        SparkplugPayload(
            timestamp: t0,
            metrics: [
                SparkplugMetric(name: "bdSeq", datatype: .int64, value: .longValue(UInt64(bitPattern: bdSeq))),
                SparkplugMetric(
                    name: "Node Control/Rebirth", alias: 10, datatype: .boolean, value: .booleanValue(false)),
            ], seq: seq
        ).encoded()
    }

    static func dbirth(seq: UInt64) -> [UInt8] {
        let pieces = SparkplugPropertySet(
            keys: ["engUnit"], values: [SparkplugPropertyValue(type: .string, value: .string("PCS"))])
        return SparkplugPayload(
            timestamp: t0 + 1,
            metrics: [
                SparkplugMetric(
                    name: "Counters/Good", alias: 1, datatype: .int64, value: .longValue(0), properties: pieces),
                SparkplugMetric(name: "Counters/Reject", alias: 2, datatype: .int64, value: .longValue(0)),
                SparkplugMetric(name: "State", alias: 3, datatype: .string, value: .stringValue("IDLE")),
                SparkplugMetric(name: "Temperature", alias: 4, datatype: .float, value: .floatValue(20)),
            ], seq: seq
        ).encoded()
    }

    /// DATA carrying only aliases and values.
    static func data(seq: UInt64, at time: UInt64, _ metrics: [(UInt64, SparkplugWireValue)]) -> [UInt8] {
        SparkplugPayload(
            timestamp: time, metrics: metrics.map { SparkplugMetric(alias: $0.0, value: $0.1) }, seq: seq
        ).encoded()
    }

    static func death(bdSeq: Int64) -> [UInt8] {
        SparkplugPayload(
            timestamp: t0 + 60_000,
            metrics: [SparkplugMetric(name: "bdSeq", datatype: .int64, value: .longValue(UInt64(bitPattern: bdSeq)))]
        ).encoded()
    }

    func driver(_ yaml: String = SparkplugSourceTests.yaml()) throws -> TopologyTestDriver {
        try TopologyTestDriver(yaml: yaml, schemasDirectory: TestPaths.schemas)
    }

    func pipe(_ driver: TopologyTestDriver, _ mqttTopic: String, _ payload: [UInt8]) throws {
        try driver.pipe(topic: Self.topic, key: mqttTopic, value: payload)
    }

    /// Birth of the node and its device: 2 + 4 metric records.
    func born(_ driver: TopologyTestDriver) throws {
        try pipe(driver, Self.topic("NBIRTH"), Self.nbirth())
        try pipe(driver, Self.topic("DBIRTH"), Self.dbirth(seq: 1))
    }

    func conforms(_ record: TestRecord, to schema: String) -> Bool {
        guard let catalog = try? RegistryCatalog(directory: TestPaths.schemas),
            let validator = catalog.validator(forSchemaID: schema), let value = record.value
        else { return false }
        let tape = JSONTape(capacity: 64)
        return value.withUnsafeBytes { bytes in
            guard let document = try? JSONReader().parse(bytes, into: tape) else { return false }
            return validator.isValid(document.root)
        }
    }

    // MARK: Tests

    @Test func dataAliasesResolveThroughTheBirth() throws {
        let driver = try driver()
        try born(driver)
        try pipe(
            driver, Self.topic("DDATA"),
            Self.data(seq: 2, at: Self.t0 + 5_000, [(1, .longValue(42)), (4, .floatValue(71.5))]))
        let metrics = driver.records(output: "metrics")
        #expect(driver.records(output: "dlq").map { $0.header("ps_error_message") } == [])
        try #require(metrics.count == 8)
        #expect(
            metrics.map { $0.string("name") } == [
                "bdSeq", "Node Control/Rebirth", "Counters/Good", "Counters/Reject", "State", "Temperature",
                "Counters/Good", "Temperature",
            ])
        let good = metrics[6]
        #expect(
            good.json == [
                "eventId": .string(good.string("eventId") ?? ""), "topic": "spBv1.0/DE01/DDATA/line-4/PRESS-07",
                "group": "DE01", "messageType": "DDATA", "edgeNode": "line-4", "device": "PRESS-07", "seq": 2,
                "name": "Counters/Good", "alias": 1, "datatype": "Int64", "value": 42, "timestamp": 1_742_198_405_000,
                "quality": "GOOD", "properties": ["engUnit": "PCS"],
            ])
        #expect(metrics[7].valueString?.contains(#""value":71.5,"#) == true)
        #expect(metrics[7].string("datatype") == "Float")
        #expect(metrics[6].keyString == "DE01|line-4")
        #expect(Set(metrics.compactMap { $0.string("eventId") }).count == 8)
        #expect(driver.records(output: "sparkplug-exceptions").isEmpty)
        #expect(driver.metrics(topic: Self.topic)?.valid == 8)
    }

    @Test func dataBeforeItsBirthWaitsAndFollowsTheBirth() throws {
        let driver = try driver()
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 9, at: Self.t0 - 1_000, [(1, .longValue(7))]))
        #expect(driver.records(output: "metrics").isEmpty)
        #expect(driver.metrics(topic: Self.topic)?.sparkplugParked == 1)
        try pipe(driver, Self.topic("NBIRTH"), Self.nbirth())
        // The node's BIRTH does not define the device's metrics: still waiting.
        #expect(driver.metrics(topic: Self.topic)?.sparkplugParked == 1)
        try pipe(driver, Self.topic("DBIRTH"), Self.dbirth(seq: 1))
        let metrics = driver.records(output: "metrics")
        try #require(metrics.count == 7)
        #expect(metrics[6].string("name") == "Counters/Good")
        #expect(metrics[6].json?["value"] == 7)
        #expect(metrics[6].json?["seq"] == 9)
        #expect(driver.metrics(topic: Self.topic)?.sparkplugParked == 0)
        // Parked DATA is from before the BIRTH: no sequence gap.
        #expect(driver.records(output: "sparkplug-exceptions").isEmpty)
    }

    @Test func dataBeyondTheParkLimitIsADeadLetterWithItsBytes() throws {
        let driver = try driver()
        let first = Self.data(seq: 1, at: Self.t0, [(1, .longValue(1))])
        try pipe(driver, Self.topic("DDATA"), first)
        for seq in 2...4 {
            try pipe(driver, Self.topic("DDATA"), Self.data(seq: UInt64(seq), at: Self.t0, [(1, .longValue(1))]))
        }
        let letters = driver.records(output: "dlq")
        try #require(letters.count == 1)
        #expect(letters[0].header("ps_error_code") == "SPARKPLUG_NO_BIRTH")
        #expect(letters[0].header("ps_source_offset") == "0")
        #expect(letters[0].value == first)
        #expect(letters[0].keyString == Self.topic("DDATA"))
        #expect(driver.metrics(topic: Self.topic)?.sparkplugParked == 3)
    }

    @Test func aSequenceGapIsAnExceptionAndTheNodeNeedsARebirth() throws {
        let driver = try driver()
        try born(driver)
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 2, at: Self.t0 + 1_000, [(1, .longValue(1))]))
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 5, at: Self.t0 + 2_000, [(1, .longValue(4))]))
        let exceptions = driver.records(output: "sparkplug-exceptions")
        try #require(exceptions.count == 1)
        let gap = exceptions[0]
        #expect(conforms(gap, to: "sparkplug.exception/v1"))
        #expect(gap.string("kind") == "SEQUENCE_GAP")
        #expect(gap.json?["missing"] == ["from": 3, "to": 4, "count": 2])
        #expect(gap.json?["expectedSeq"] == 3)
        #expect(gap.json?["receivedSeq"] == 5)
        #expect(gap.json?["rebirthNeeded"] == true)
        #expect(gap.string("device") == "PRESS-07")
        #expect(gap.keyString == "DE01|line-4")
        #expect(gap.json?["source"] == ["topic": "uns.sparkplug", "partition": 0, "offset": 3])
        // The message after the gap is still decoded.
        #expect(driver.records(output: "metrics").last?.json?["value"] == 4)
        #expect(driver.metrics(topic: Self.topic)?.sparkplugRebirthsNeeded == 1)
        #expect(driver.metrics(topic: Self.topic)?.sparkplugSequenceGaps == 1)
        try pipe(driver, Self.topic("NBIRTH"), Self.nbirth(seq: 0, bdSeq: 1))
        #expect(driver.metrics(topic: Self.topic)?.sparkplugRebirthsNeeded == 0)
    }

    @Test func theSequenceWrapsAfter255() throws {
        let driver = try driver()
        try pipe(driver, Self.topic("NBIRTH"), Self.nbirth(seq: 254))
        try pipe(driver, Self.topic("DBIRTH"), Self.dbirth(seq: 255))
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 0, at: Self.t0, [(1, .longValue(1))]))
        #expect(driver.records(output: "sparkplug-exceptions").isEmpty)
        #expect(driver.records(output: "metrics").count == 7)
    }

    @Test func aDeathMakesTheMetricsStaleAndLaterDataWaitsForARebirth() throws {
        let driver = try driver()
        try born(driver)
        // An NDEATH of an earlier session (another bdSeq) changes nothing.
        try pipe(driver, Self.topic("NDEATH"), Self.death(bdSeq: 7))
        #expect(driver.records(output: "metrics").count == 6)
        #expect(driver.records(output: "sparkplug-exceptions").isEmpty)
        try pipe(driver, Self.topic("NDEATH"), Self.death(bdSeq: 0))
        let stale = driver.records(output: "metrics").dropFirst(6)
        #expect(stale.count == 6)
        #expect(stale.allSatisfy { $0.string("quality") == "STALE" && $0.json?["value"] == .null })
        #expect(stale.map { $0.string("name") }.contains("Temperature"))
        let exceptions = driver.records(output: "sparkplug-exceptions")
        #expect(exceptions.map { $0.string("kind") } == ["NODE_DEATH"])
        #expect(exceptions.allSatisfy { conforms($0, to: "sparkplug.exception/v1") })
        // DATA after the death waits for the node's and the device's new BIRTH.
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 2, at: Self.t0 + 70_000, [(3, .stringValue("RUNNING"))]))
        #expect(driver.records(output: "metrics").count == 12)
        try pipe(driver, Self.topic("NBIRTH"), Self.nbirth(bdSeq: 1))
        try pipe(driver, Self.topic("DBIRTH"), Self.dbirth(seq: 1))
        #expect(driver.records(output: "metrics").last?.string("value") == "RUNNING")
    }

    @Test func aDeviceDeathIsReportedAndItsMetricsGoStale() throws {
        let driver = try driver()
        try born(driver)
        try pipe(driver, Self.topic("DDEATH"), SparkplugPayload(timestamp: Self.t0 + 9_000, seq: 2).encoded())
        #expect(
            driver.records(output: "metrics").dropFirst(6).map { $0.string("quality") }
                == Array(repeating: "STALE", count: 4))
        #expect(driver.records(output: "sparkplug-exceptions").map { $0.string("kind") } == ["DEVICE_DEATH"])
    }

    @Test func aRestartBetweenBirthAndDataKeepsTheAliasesSequenceAndParkedData() throws {
        let driver = try driver()
        try born(driver)
        try pipe(driver, "spBv1.0/DE01/DDATA/line-4/PRESS-09", Self.data(seq: 2, at: Self.t0, [(1, .longValue(3))]))
        driver.flush()
        #expect(!driver.changelogRecords(store: "uns-sparkplug").isEmpty)
        try driver.restartTask(topic: Self.topic)
        driver.clearRecords()
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 3, at: Self.t0 + 1_000, [(2, .longValue(5))]))
        let metrics = driver.records(output: "metrics")
        try #require(metrics.count == 1)
        #expect(metrics[0].string("name") == "Counters/Reject")
        #expect(metrics[0].json?["value"] == 5)
        #expect(driver.records(output: "sparkplug-exceptions").isEmpty)
        #expect(driver.metrics(topic: Self.topic)?.sparkplugParked == 1)
        try pipe(driver, "spBv1.0/DE01/DBIRTH/line-4/PRESS-09", Self.dbirth(seq: 4))
        #expect(driver.records(output: "metrics").last?.string("device") == "PRESS-09")
        #expect(driver.records(output: "metrics").last?.json?["value"] == 3)
    }

    @Test func whatCannotBeDecodedIsADeadLetterWithTheReason() throws {
        let driver = try driver()
        try born(driver)
        try pipe(driver, Self.topic("DDATA"), [0x12, 0x05, 0x0A])
        try pipe(driver, "spBv1.0/DE01/data/line-4", Self.nbirth())
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 2, at: Self.t0, [(99, .longValue(1))]))
        try pipe(driver, Self.topic("DDATA"), Self.data(seq: 3, at: Self.t0, [(3, .longValue(1))]))
        try driver.pipe(topic: Self.topic, key: nil, value: Self.nbirth())
        // Commands and host state are not edge data.
        try pipe(driver, "spBv1.0/DE01/NCMD/line-4", Self.nbirth())
        try pipe(driver, "spBv1.0/STATE/scada-1", Array(#"{"online":true}"#.utf8))
        let letters = driver.records(output: "dlq")
        #expect(
            letters.map { $0.header("ps_error_code") } == [
                "SPARKPLUG_MALFORMED", "SPARKPLUG_INVALID_TOPIC", "SPARKPLUG_UNKNOWN_METRIC", "SPARKPLUG_MALFORMED",
                "SPARKPLUG_INVALID_TOPIC",
            ])
        #expect(
            letters[0].header("ps_error_message") == "DDATA payload: byte 1: length 5 runs past the end (1 bytes left)")
        #expect(letters[2].header("ps_error_message")?.contains("alias 99") == true)
        #expect(letters[3].header("ps_error_message")?.contains("a String value cannot be in long_value") == true)
        #expect(driver.records(output: "metrics").count == 6)
        #expect(driver.metrics(topic: Self.topic)?.skippedTypes == 2)
    }

    @Test func qualityComesFromTheQualityPropertyAndUnreadValuesAreNull() throws {
        let driver = try driver()
        try born(driver)
        func quality(_ code: Int64) -> SparkplugPropertySet {
            SparkplugPropertySet(keys: ["Quality"], values: [SparkplugPropertyValue(type: .int32, value: .int(code))])
        }
        let payload = SparkplugPayload(
            timestamp: Self.t0 + 2_000,
            metrics: [
                SparkplugMetric(alias: 4, value: .floatValue(70), properties: quality(500)),
                SparkplugMetric(alias: 4, value: .floatValue(71), properties: quality(0)),
                SparkplugMetric(alias: 4, value: .floatValue(72), properties: quality(64)),
                SparkplugMetric(alias: 4, value: .floatValue(73), properties: quality(192)),
                SparkplugMetric(alias: 4, value: nil),
            ], seq: 2)
        try pipe(driver, Self.topic("DDATA"), payload.encoded())
        let metrics = driver.records(output: "metrics").suffix(5)
        #expect(metrics.map { $0.string("quality") } == ["STALE", "BAD", "UNCERTAIN", "GOOD", "GOOD"])
        #expect(metrics.map { $0.json?["qualityCode"] } == [500, 0, 64, 192, nil])
        #expect(metrics.last?.json?["value"] == .null)
        // The per-value Quality is not a property (and Temperature's BIRTH has none).
        #expect(metrics.first?.json?["properties"] == nil)
    }

    @Test func aBirthMetricWithoutDatatypeIsMalformed() throws {
        let driver = try driver()
        let birth = SparkplugPayload(
            timestamp: Self.t0, metrics: [SparkplugMetric(name: "Speed", alias: 1, value: .doubleValue(3))], seq: 0)
        try pipe(driver, Self.topic("NBIRTH"), birth.encoded())
        #expect(driver.records(output: "dlq").map { $0.header("ps_error_code") } == ["SPARKPLUG_MALFORMED"])
        #expect(driver.records(output: "dlq").first?.header("ps_error_message")?.contains("'Speed'") == true)
        #expect(driver.records(output: "metrics").isEmpty)
    }

    @Test func theTopicCanComeFromAHeaderWithTheNodeAsKey() throws {
        let driver = try driver(
            Self.yaml(key: "[group, edgeNode]", partitions: 6, sparkplug: "{ topicHeader: mqtt_topic }"))
        for (type, payload) in [("NBIRTH", Self.nbirth()), ("DBIRTH", Self.dbirth(seq: 1))] {
            try driver.pipe(
                topic: Self.topic, key: "DE01|line-4", value: payload,
                headers: [("mqtt_topic", Array(Self.topic(type).utf8))])
        }
        try driver.pipe(
            topic: Self.topic, key: "DE01|line-4", value: Self.data(seq: 2, at: Self.t0, [(3, .stringValue("RUN"))]),
            headers: [("mqtt_topic", Array(Self.topic("DDATA").utf8))])
        #expect(driver.records(output: "metrics").last?.string("name") == "State")
        #expect(driver.records(output: "dlq").isEmpty)
    }

    @Test(arguments: [
        (
            "[topic]", 6, "{}",
            "an edge node's BIRTH and DATA land on different partitions of its 6"
        ),
        (
            "[group, edgeNode]", 1, "{}",
            "reads the MQTT topic from the record key (no sparkplug.topicHeader), so its key is [topic]"
        ),
        (
            "[group, device]", 6, "{ topicHeader: mqtt_topic }",
            "the key may hold only group and edgeNode, not [group, device]"
        ),
        ("[topic]", 1, "{ exceptions: dlq }", "output 'dlq' is of kind dead_letter"),
    ])
    func partitioningThatBreaksDecodingIsALintError(key: String, partitions: Int, sparkplug: String, message: String) {
        #expect {
            try TopologyLoader().load(
                text: Self.yaml(key: key, partitions: partitions, sparkplug: sparkplug), file: "t.yaml")
        } throws: { error in
            "\(error)".contains(message)
        }
    }
}
