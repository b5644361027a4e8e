import Foundation
import Testing

@testable import Topology

@Suite struct TopologyLoaderTests {
    private func load(_ text: String, environment: [String: String] = [:]) throws -> Topology {
        try TopologyLoader(environment: environment, knownSchemaIDs: nil).load(text: text, file: "t.yaml")
    }

    private func findings(_ text: String, environment: [String: String] = [:]) -> [TopologyFinding] {
        TopologyLoader(environment: environment, knownSchemaIDs: nil).lint(text: text, file: "t.yaml").findings
    }

    /// A small valid topology; `steps` replaces the pipeline's steps.
    private func minimal(steps: String = "", extra: String = "") -> String {
        """
        application: demo
        regions:
          - name: local
            bootstrapServers: ${BROKERS:-127.0.0.1:9092}
            plants: [DE01]
        sources:
          - name: production
            topic: mfg.production.v1
            key: [plantId, data.orderId]
        tables:
          - name: lots
            topic: mfg.lotstatus.v1
            key: [plantId, materialId, batchId]
        outputs:
          - { name: erp, topic: erp.txn.v1 }
          - { name: dlq, topic: mfg.dlq.v1, kind: dead_letter }
          - { name: exceptions, topic: erp.txn.exception.v1, kind: exceptions }
        \(extra)
        pipelines:
          - name: receipts
            source: production
            types: [material.produced]
            deadLetter: dlq
            exceptions: exceptions
            steps:
        \(steps.isEmpty ? """
              - validate: {}
              - map: { plantId: plantId, orderId: data.orderId }
              - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId, orderId], idempotencyKey: [GR] }
        """ : steps)
        """
    }

    @Test func defaultTopologyBuildsTypedValues() throws {
        let topology = try TestSupport.loader().load(contentsOf: TestSupport.defaultTopologyPath)
        #expect(topology.application == "plantstream")
        #expect(topology.regions.map(\.name) == ["eu-central", "americas"])
        #expect(topology.regions.flatMap(\.plants).sorted() == ["CN01", "DE01", "US01"])
        #expect(topology.regions[0].bootstrapServers == "127.0.0.1:9092")
        #expect(topology.plantCalendar?.table == "posting_calendar")
        #expect(topology.units?.table == "material_uom")
        let production = try #require(topology.source(named: "production"))
        #expect(production.key.map(\.description) == ["plantId", "data.orderId"])
        #expect(production.partitions == 12)
        #expect(topology.table(named: "equipment_master")?.validFrom == "validFrom")
        #expect(topology.table(named: "lot_status")?.origin == .topic("mfg.lotstatus.v1"))
        #expect(topology.output(named: "dlq")?.kind == .deadLetter)
        #expect(topology.output(named: "lot-status")?.kind == .table)

        let confirmations = try #require(topology.pipelines.first { $0.name == "confirmations" })
        #expect(
            confirmations.steps.map(\.name) == ["validate", "dedupe", "enrich", "window", "enrich", "map", "emit"])
        guard case .window(let window) = confirmations.steps[3].kind else {
            Issue.record("step 4 is not a window")
            return
        }
        #expect(window.shape == .tumbling(size: .minutes(15)))
        #expect(window.alignment == .plantLocal)
        #expect(window.splitAtLocalMidnight)
        #expect(window.outOfOrderness == .minutes(2))
        #expect(window.grace == .minutes(10))
        #expect(window.idleTimeout == .minutes(5))
        #expect(window.late == .postDelta)
        #expect(window.groupBy.map(\.name) == ["plantId", "orderId", "sequenceId", "operationId"])
        #expect(window.aggregates.first { $0.name == "reports" }?.function == .count)
        #expect(window.aggregates.first { $0.name == "reports" }?.argument == nil)
        #expect(window.emitEarly?.description == "yield >= 500")
        #expect(window.closeWhen?.description == "type == 'operation.completed'")
        guard case .dedupe(let dedupe) = confirmations.steps[1].kind else {
            Issue.record("step 2 is not dedupe")
            return
        }
        // The default dedupe key starts with the source's partitioning key.
        #expect(dedupe.key.map(\.description) == ["plantId", "data.orderId", "source", "sourceEventId ?? eventId"])
        #expect(dedupe.ttl == .hours(24))
        guard case .emit(let emit) = confirmations.steps[6].kind else {
            Issue.record("last step is not emit")
            return
        }
        #expect(emit.schema == "erp.production_confirmation/v1")
        #expect(emit.idempotencyKey.first == .literal(.string("CONF"), emit.idempotencyKey[0].location))
        #expect(emit.periodCheck)
        #expect(emit.header == .erp && emit.erpHeader)
        guard case .map(let map) = confirmations.steps[5].kind else {
            Issue.record("step 6 is not map")
            return
        }
        #expect(map.fields.contains { $0.name == "activities[0].qty.value" })

        let blocks = try #require(topology.pipelines.first { $0.name == "hold-blocks" })
        let emits = blocks.steps.compactMap { step -> EmitStep? in
            if case .emit(let emit) = step.kind { return emit }
            return nil
        }
        #expect(emits.map(\.output) == ["lot-status", "hold-index", "erp"])
        #expect(emits.map(\.header) == [.none, .none, .erp])
        #expect(emits.map(\.erpHeader) == [false, false, true])
        guard case .emit(let oee) = topology.pipelines.first(where: { $0.name == "oee" })?.steps.last?.kind else {
            Issue.record("oee does not end with emit")
            return
        }
        // The engine adds the header members the schema declares: analytics records have a header too.
        #expect(oee.header == .analytics && oee.erpHeader)
        #expect(emits[0].schema.isEmpty)
        let issueSteps = topology.pipelines.first { $0.name == "goods-issues" }?.steps ?? []
        guard
            let hold = issueSteps.lazy.compactMap({ step -> HoldStep? in
                if case .hold(let hold) = step.kind { return hold }
                return nil
            }).first
        else {
            Issue.record("goods-issues has no hold step")
            return
        }
        #expect(hold.heldWhen.description == "status == 'HELD'")
        #expect(hold.cancelWhen.description == "disposition == 'SCRAP'")
    }

    @Test func locationsAreWhereThingsAreWritten() throws {
        let text = minimal()
        let topology = try load(text)
        let pipeline = try #require(topology.pipelines.first)
        #expect(pipeline.location == SourceLocation(file: "t.yaml", line: 20, column: 5))
        #expect(pipeline.steps[0].location == SourceLocation(file: "t.yaml", line: 26, column: 9))
        guard case .map(let map) = pipeline.steps[1].kind else {
            Issue.record("not a map")
            return
        }
        #expect(map.fields[1].expression.location == SourceLocation(file: "t.yaml", line: 27, column: 43))
    }

    @Test func environmentSubstitution() throws {
        let topology = try load(minimal(), environment: ["BROKERS": "kafka-1:9093,kafka-2:9093"])
        #expect(topology.regions[0].bootstrapServers == "kafka-1:9093,kafka-2:9093")
        let defaulted = try load(minimal())
        #expect(defaulted.regions[0].bootstrapServers == "127.0.0.1:9092")
    }

    @Test func missingVariableInsideAnExpressionPointsAtTheReference() {
        let text = minimal(
            steps: """
                      - validate: {}
                      - filter: "plantId == '${PLANT}'"
                      - map: { plantId: plantId, orderId: data.orderId }
                      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId, orderId], idempotencyKey: [GR] }
                """)
        let found = findings(text)
        #expect(found.map(\.kind) == [.missingEnvironmentVariable])
        #expect(found.first?.location == SourceLocation(file: "t.yaml", line: 27, column: 30))
        #expect(
            found.first?.description
                == "t.yaml:27:30: error: environment variable PLANT is not set; set it or write ${PLANT:-default}")
    }

    @Test func expressionErrorsInBlockScalarsPointIntoTheBlock() {
        let text = minimal(
            steps: """
                      - validate: {}
                      - filter: |
                          plantId == 'DE01'
                            and data.qty.value >> 0
                      - map: { plantId: plantId, orderId: data.orderId }
                      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId, orderId], idempotencyKey: [GR] }
                """)
        let found = findings(text)
        #expect(found.count == 1)
        #expect(found.first?.kind == .invalidExpression)
        #expect(found.first?.location == SourceLocation(file: "t.yaml", line: 29, column: 33))
    }

    @Test func expressionErrorsInQuotedScalarsCountEscapes() {
        let text = minimal(
            steps: """
                      - validate: {}
                      - filter: "data.note == \\"a\\\\tb\\" and = 1"
                      - map: { plantId: plantId, orderId: data.orderId }
                      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId, orderId], idempotencyKey: [GR] }
                """)
        let found = findings(text)
        #expect(found.first?.kind == .invalidExpression)
        // `"data.note == \"a\\tb\" and = 1"` — the '=' is at column 45 of the line.
        #expect(found.first?.location.column == 45)
    }

    @Test func secretsAreReferencesAndResolve() throws {
        let text = minimal().replacingOccurrences(
            of: "    plants: [DE01]",
            with: """
                    plants: [DE01]
                    kafka:
                      sasl.username: plantstream
                      sasl.password: { env: KAFKA_PASSWORD }
                      ssl.key.password: { file: /run/secrets/key }
                """)
        let topology = try load(text)
        let kafka = topology.regions[0].kafka
        #expect(kafka["sasl.username"] == .literal("plantstream"))
        #expect(kafka["sasl.password"] == .environment("KAFKA_PASSWORD"))
        #expect(kafka["ssl.key.password"] == .file("/run/secrets/key"))
        #expect(
            try kafka["sasl.password"]?.resolve(key: "sasl.password", environment: ["KAFKA_PASSWORD": "s3cret"])
                == "s3cret")
        #expect(throws: TopologyError.self) {
            try kafka["sasl.password"]?.resolve(key: "sasl.password", environment: [:])
        }
        let directory = try TestSupport.temporaryDirectory(["key": "hunter2\n"])
        #expect(try ConfigValue.file(directory + "/key").resolve(key: "ssl.key.password") == "hunter2")
    }

    @Test func unknownRegionNamesTheKnownOnes() throws {
        let topology = try TestSupport.loader().load(contentsOf: TestSupport.defaultTopologyPath)
        #expect(try topology.requireRegion("americas").plants == ["US01"])
        #expect {
            _ = try topology.requireRegion("eu-centrl")
        } throws: { error in
            guard let error = error as? TopologyError else { return false }
            return error.code == .unknownRegion && error.message.contains("did you mean 'eu-central'?")
                && error.message.contains("eu-central, americas")
        }
    }

    @Test func loadThrowsWithEveryFinding() {
        #expect {
            _ = try load(minimal().replacingOccurrences(of: "key: [plantId, data.orderId]", with: "keys: [plantId]"))
        } throws: { error in
            guard let error = error as? TopologyError else { return false }
            // One typo, one finding: the misspelt 'key' is not also reported as missing.
            return error.code == .invalidTopology && error.findings.map(\.kind) == [.unknownField]
                && error.findings[0].message.contains("(did you mean 'key'?)")
        }
    }

    @Test func emptyAndNonMappingFiles() {
        #expect(findings("").map(\.kind) == [.syntax])
        #expect(findings("# only a comment\n").map(\.kind) == [.syntax])
        #expect(findings("- a\n- b\n").map(\.kind) == [.invalidOption])
        #expect(findings("a: [\n").map(\.kind) == [.syntax])
    }

    @Test func duplicateYAMLKeysAreReportedAtTheRepeat() {
        let text = minimal().replacingOccurrences(
            of: "    topic: mfg.production.v1\n", with: "    topic: mfg.production.v1\n    topic: mfg.other.v1\n")
        let found = findings(text)
        #expect(found.map(\.kind) == [.duplicateName])
        #expect(found.first?.location == SourceLocation(file: "t.yaml", line: 9, column: 5))
    }

    @Test func mergeKeysAndAnchors() throws {
        let text = minimal(
            steps: """
                      - validate: {}
                      - window:
                          <<: &common { tumbling: 15m, grace: 1m }
                          groupBy: [plantId, data.orderId]
                          aggregates: { qty: sum(data.qty.value) }
                      - map: { plantId: plantId, orderId: orderId }
                      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId, orderId], idempotencyKey: [GR] }
                """)
        let topology = try load(text)
        guard case .window(let window) = topology.pipelines[0].steps[1].kind else {
            Issue.record("not a window")
            return
        }
        #expect(window.shape == .tumbling(size: .minutes(15)))
        #expect(window.grace == .minutes(1))
    }

    @Test(arguments: [
        ("hopping: { size: 15m, advance: 20m }", TopologyFinding.Kind.invalidOption, "advance 20m is larger"),
        ("tumbling: 7m\n          alignTo: plant_local", .invalidOption, "does not divide 24h"),
        ("tumbling: 15m\n          session: { gap: 5m }", .invalidOption, "only one of"),
        ("session: { gap: 0ms }", .invalidOption, "at least 1ms"),
        ("tumbling: 15m\n          alignTo: plant_local", .missingField, "needs plant time zones"),
    ])
    func windowOptionChecks(shape: String, kind: TopologyFinding.Kind, message: String) {
        let text = minimal(
            steps: """
                      - validate: {}
                      - window:
                          groupBy: [plantId, data.orderId]
                          \(shape)
                          aggregates: { qty: sum(data.qty.value) }
                      - map: { plantId: plantId, orderId: orderId }
                      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId, orderId], idempotencyKey: [GR] }
                """)
        let found = findings(text)
        #expect(
            found.contains { $0.kind == kind && $0.message.contains(message) },
            Comment(rawValue: found.map(\.description).joined(separator: "\n")))
    }

    @Test(arguments: [
        // first step, second window, no emit, step after the last emit
        (
            "- filter: \"true\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            "must be validate"
        ),
        ("- validate: {}\n      - filter: \"true\"", "has no emit step"),
        (
            "- validate: {}\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }\n      - filter: \"true\"",
            "has no effect"
        ),
        (
            "- validate: {}\n      - validate: {}\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            "first step only"
        ),
    ])
    func stepOrder(steps: String, message: String) {
        let found = findings(minimal(steps: "      " + steps))
        #expect(
            found.contains { $0.kind == .stepOrder && $0.message.contains(message) },
            Comment(rawValue: found.map(\.description).joined(separator: "\n")))
    }

    @Test(arguments: [
        (
            "- map: { x: \"'a'\" }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [x], idempotencyKey: [GR] }",
            TopologyFinding.Kind.missingField, "needs a plantId"
        ),
        (
            "- emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId] }", .missingField,
            "needs idempotencyKey"
        ),
        (
            "- emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [plantId, orderId] }",
            .invalidOption, "upper-case prefix"
        ),
        ("- emit: { output: erp, key: [plantId], idempotencyKey: [GR] }", .missingField, "needs schema"),
        (
            "- emit: { output: erp, schema: goods_receipt, key: [plantId], idempotencyKey: [GR] }", .invalidOption,
            "<type>/v<N>"
        ),
        (
            "- emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR], header: analytics, periodCheck: true }",
            .invalidOption, "periodCheck needs"
        ),
        (
            "- enrich: { table: lots, key: [plantId], as: lot }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .invalidOption, "keyed by 3 columns"
        ),
        (
            "- enrich: { table: lots, key: [plantId, data.materialId, data.lot.batchId], as: data }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .duplicateName, "alias 'data'"
        ),
        (
            "- filter: \"lookup('lots', 'status', plantId) == 'HELD'\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .wrongArity, "passes 1 key part"
        ),
        (
            "- filter: \"lookup(lots, 'status', plantId, data.materialId, data.lot.batchId) == 'HELD'\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .invalidOption, "quoted table name"
        ),
        (
            "- filter: \"sum(data.qty.value) > 0\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .unknownFunction, "window aggregate"
        ),
        (
            "- filter: \"convert(data.qty.value, 'G', 'KG', data.materialId) > 0\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .missingField, "units"
        ),
        (
            "- filter: \"localDate(occurredAt) > '2025-01-01'\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .missingField, "plantCalendar"
        ),
        (
            "- explode: { path: data.lots, as: lot }\n      - filter: \"lots.batchId != null\"\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .unknownName, "did you mean 'lot'?"
        ),
        (
            "- map: { a: \"1\", a.b: \"2\" }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .duplicateName, "overlaps"
        ),
        (
            "- map: { plantId: plantId, \"x[1]\": \"2\" }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .invalidOption, "without gaps"
        ),
        (
            "- hold: { table: lots, lot: [plantId, data.materialId, data.lot.batchId] }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .stepOrder, "NONE"
        ),
        (
            "- dedupe: { ttl: 0ms }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .invalidOption, "at least 1ms"
        ),
        (
            "- filter\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .invalidOption, "'- filter: {}'"
        ),
        (
            "- filter: { when: \"true\", also: 1 }\n      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }",
            .unknownField, "'also'"
        ),
    ])
    func stepChecks(steps: String, kind: TopologyFinding.Kind, message: String) {
        let found = findings(minimal(steps: "      - validate: {}\n      " + steps))
        if message == "NONE" {
            #expect(found.isEmpty, Comment(rawValue: found.map(\.description).joined(separator: "\n")))
            return
        }
        #expect(
            found.contains { $0.kind == kind && $0.message.contains(message) },
            Comment(rawValue: found.map(\.description).joined(separator: "\n")))
    }

    @Test func sectionChecks() {
        let text = minimal(
            extra: """
                  - { name: again, topic: mfg.production.v1, kind: table }
                """
        ).replacingOccurrences(of: "outputs:\n", with: "outputs:\n  - { name: erp, topic: erp.other.v1 }\n")
        let found = findings(text)
        #expect(found.contains { $0.kind == .duplicateName && $0.message.contains("duplicate output name 'erp'") })
        #expect(found.contains { $0.kind == .invalidOption && $0.message.contains("loop") })
        #expect(found.contains { $0.severity == .warning && $0.message.contains("no table reads that topic") })
        let twoSources = minimal().replacingOccurrences(
            of: "tables:\n",
            with: "  - { name: copy, topic: mfg.production.v1, key: [plantId] }\ntables:\n")
        #expect(findings(twoSources).contains { $0.kind == .duplicateName && $0.message.contains("already read") })
        let noRegions = minimal().replacingOccurrences(
            of: "  - name: local\n    bootstrapServers: ${BROKERS:-127.0.0.1:9092}\n    plants: [DE01]\n",
            with: "  []\n")
        #expect(findings(noRegions).contains { $0.message.contains("at least one region") })
    }

    @Test func customStepsParseLikeBuiltInOnes() throws {
        let spec = StepSpec(
            name: "geofence", summary: "Drops events outside a site.",
            options: [
                OptionSpec("radius", .duration(minimum: .seconds(1)), required: true, "Not really a radius."),
                OptionSpec("mode", .choice(["strict", "lenient"]), default: "strict", "How strict."),
            ])
        let loader = TopologyLoader(environment: [:], knownSchemaIDs: nil, customSteps: [spec])
        let text = minimal(
            steps: """
                      - validate: {}
                      - geofence: { radius: 30s, mode: lenient }
                      - emit: { output: erp, schema: erp.goods_receipt/v1, key: [plantId], idempotencyKey: [GR] }
                """)
        let topology = try loader.load(text: text, file: "t.yaml")
        #expect(topology.pipelines[0].steps[1].kind == .custom("geofence", ["radius": "30s", "mode": "lenient"]))
        let bad = loader.lint(text: text.replacingOccurrences(of: "mode: lenient", with: "mode: loose"), file: "t.yaml")
        #expect(bad.findings.map(\.kind) == [.invalidOption])
        #expect(TopologyReference.step(spec, format: .text).contains("radius (required)"))
    }
}
