import Engine
import JSON
import PlantStreamTesting
import Topology

/// Topologies built in Swift for driver tests.
enum Fixtures {
    static let productionTopic = "mfg.production.v1"
    static let machineTopic = "mfg.machine.v1"
    static let lotStatusTopic = "mfg.lotstatus.v1"

    static let calendarRows: [JSONValue] = [
        [
            "plantId": "DE01", "timeZone": "Europe/Berlin",
            "openPeriods": [["from": "2026-01-01", "to": "2026-12-31"]],
        ],
        ["plantId": "US01", "timeZone": "America/Chicago"],
        [
            "plantId": "CN01", "timeZone": "Asia/Shanghai",
            "openPeriods": [["from": "2026-05-01", "to": "2026-05-31"]],
        ],
    ]

    static func step(_ kind: Step.Kind) -> Step { Step(kind, location: here) }

    static func topology(pipelines: [Pipeline], extraTables: [Table] = [], units: Bool = false) -> Topology {
        Topology(
            application: "plantstream",
            plantCalendar: PlantCalendarBinding(table: "posting_calendar", location: here),
            units: units ? UnitsBinding(table: "material_uom", location: here) : nil,
            regions: [Region(name: "eu-central", bootstrapServers: "127.0.0.1:9092", location: here)],
            sources: [
                Source(
                    name: "production", topic: productionTopic, partitions: 4,
                    key: [FieldPath(segments: [.member("plantId")])], location: here),
                Source(
                    name: "machine", topic: machineTopic, partitions: 4,
                    key: [FieldPath(segments: [.member("plantId")])], location: here),
            ],
            tables: [
                Table(
                    name: "posting_calendar", origin: .file("posting_calendar.yaml"), key: ["plantId"], location: here),
                Table(
                    name: "material_uom", origin: .file("material_uom.csv"), key: ["plantId", "materialId", "uom"],
                    location: here),
                Table(
                    name: "lot_status", origin: .topic(lotStatusTopic), key: ["plantId", "materialId", "batchId"],
                    location: here),
            ] + extraTables,
            outputs: [
                Output(name: "erp", topic: "erp.txn.v1", location: here),
                Output(name: "dlq", topic: "mfg.dlq.v1", kind: .deadLetter, location: here),
                Output(name: "exceptions", topic: "erp.txn.exception.v1", kind: .exceptions, location: here),
                Output(name: "cycles", topic: "mfg.cycles.v1", location: here),
                Output(name: "oee", topic: "mfg.oee.v1", location: here),
            ],
            pipelines: pipelines)
    }

    static func named(_ name: String, _ expression: Expression) -> NamedExpression {
        NamedExpression(name: name, expression: expression)
    }

    /// The T1 map and emit (complete production confirmations from a window result).
    static func confirmationTail(yieldValue: Expression = X.path("yield"), uom: Expression = X.path("unit")) -> [Step] {
        [
            step(
                .map(
                    MapStep(fields: [
                        named("plantId", X.path("plantId")),
                        named("orderId", X.path("orderId")),
                        named("sequenceId", X.path("sequenceId")),
                        named("operationId", X.path("operationId")),
                        named("workCenterId", X.string("WC-CNC2")),
                        named("yield.value", yieldValue),
                        named("yield.uom", uom),
                        named("scrap.value", X.path("scrap")),
                        named("scrap.uom", X.path("unit")),
                        named("rework.value", X.string("0")),
                        named("rework.uom", X.path("unit")),
                        named("activities[0].slot", X.number("1")),
                        named("activities[0].qty.value", X.path("reports")),
                        named("activities[0].qty.uom", X.string("MIN")),
                        named("execution.start", X.path("window.start")),
                        named("execution.end", X.path("window.end")),
                        named(
                            "finalType",
                            X.call(
                                "if", X.op(.equal, X.path("window.closedBy"), X.string("final")), X.string("FINAL"),
                                X.string("PARTIAL"))),
                        named("clearOpenReservations", X.bool(false)),
                        named("confirmationText", X.call("concat", X.string("PlantStream "), X.path("orderId"))),
                        named("noGoodsMovements", X.bool(true)),
                    ]))),
            step(
                .emit(
                    EmitStep(
                        output: "erp", schema: "erp.production_confirmation/v1",
                        key: [X.path("plantId"), X.path("orderId")],
                        idempotencyKey: [
                            X.path("CONF"), X.path("plantId"), X.path("orderId"), X.path("sequenceId"),
                            X.path("operationId"),
                        ], periodCheck: true))),
        ]
    }

    /// A window over operation reports/completions.
    static func confirmationWindow(
        shape: WindowShape = .tumbling(size: .minutes(15)), alignment: WindowAlignment = .utc,
        split: Bool = false, outOfOrderness: DurationValue = .minutes(0), grace: DurationValue = .minutes(0),
        idle: DurationValue? = nil, emitEarly: Expression? = nil, closeWhen: Expression? = nil,
        late: LatePolicy = .postDelta
    ) -> WindowStep {
        WindowStep(
            groupBy: [
                named("plantId", X.path("plantId")), named("orderId", X.path("data.orderId")),
                named("sequenceId", X.path("data.sequenceId")), named("operationId", X.path("data.operationId")),
            ], shape: shape, alignment: alignment, splitAtLocalMidnight: split, outOfOrderness: outOfOrderness,
            grace: grace, idleTimeout: idle,
            aggregates: [
                Aggregate(name: "yield", function: .sum, argument: X.path("data.yield.value"), location: here),
                Aggregate(name: "scrap", function: .sum, argument: X.path("data.scrap.value"), location: here),
                Aggregate(name: "unit", function: .last, argument: X.path("data.yield.uom"), location: here),
                Aggregate(name: "reports", function: .count, argument: nil, location: here),
            ], emitEarly: emitEarly, closeWhen: closeWhen, late: late)
    }

    static func confirmations(_ window: WindowStep, dedupe: Bool = false, tail: [Step]? = nil) -> Pipeline {
        var steps = [step(.validate(ValidateStep()))]
        if dedupe { steps.append(step(.dedupe(DedupeStep(key: [], ttl: .hours(24))))) }
        steps.append(step(.window(window)))
        steps += tail ?? confirmationTail()
        return Pipeline(
            name: "confirmations", source: "production", types: ["operation.reported", "operation.completed"],
            deadLetter: "dlq", exceptions: "exceptions", steps: steps, location: here)
    }

    static func driver(
        _ topology: Topology, tables: [String: [JSONValue]] = [:], wallClock: Int64 = 0,
        maxRecordBytes: Int = Engine.defaultMaxRecordBytes
    ) throws -> TopologyTestDriver {
        var all = tables
        all["posting_calendar"] = all["posting_calendar"] ?? calendarRows
        return try TopologyTestDriver(
            topology: topology, schemasDirectory: TestPaths.schemas, tables: all, wallClock: wallClock,
            maxRecordBytes: maxRecordBytes)
    }
}

extension TopologyTestDriver {
    /// Pipes a canonical event as plain JSON.
    @discardableResult
    func send(_ event: JSONValue, topic: String = Fixtures.productionTopic, key: String = "DE01|1000123") throws
        -> Int64
    {
        try pipe(topic: topic, key: key, value: Events.text(event))
    }
}
