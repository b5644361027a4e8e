import JSON
import Testing
import Timekeeping
import Topology

@testable import Engine

@Suite struct ExpressionTests {
    let services: EngineServices
    let compiler: ExpressionCompiler
    let document: OwnedDocument

    init() throws {
        let topology = Topology(
            application: "test",
            plantCalendar: PlantCalendarBinding(table: "calendar", location: here),
            units: UnitsBinding(table: "units", location: here),
            tables: [
                Table(name: "calendar", origin: .file("calendar.yaml"), key: ["plantId"], location: here),
                Table(
                    name: "units", origin: .file("units.csv"), key: ["plantId", "materialId", "uom"], location: here),
                Table(
                    name: "orders", origin: .file("orders.csv"), key: ["plantId", "orderId"], validFrom: "validFrom",
                    location: here),
            ])
        var tables: [String: GlobalTable] = [:]
        for definition in topology.tables { tables[definition.name] = GlobalTable(definition) }
        try tables["calendar"]!.add(row: ["plantId": "DE01", "timeZone": "Europe/Berlin"], at: "t")
        try tables["calendar"]!.add(row: ["plantId": "US01", "timeZone": "America/Chicago"], at: "t")
        for (uom, numerator, denominator) in [("ST", "1", "1"), ("KAR", "12", "1"), ("G", "1", "1000")] {
            try tables["units"]!.add(
                row: [
                    "plantId": "DE01", "materialId": "FG-1", "uom": .string(uom), "numerator": .string(numerator),
                    "denominator": .string(denominator), "baseUom": uom == "G" ? "KG" : "ST",
                ], at: "t")
        }
        try tables["orders"]!.add(
            row: ["plantId": "DE01", "orderId": "1000123", "status": "RELEASED", "validFrom": "2026-01-01"], at: "t")
        try tables["orders"]!.add(
            row: ["plantId": "DE01", "orderId": "1000123", "status": "TECO", "validFrom": "2026-06-01"], at: "t")
        services = try EngineServices(topology: topology, tables: tables)
        compiler = ExpressionCompiler(services: services)
        document = try OwnedDocument.parse(
            Array(
                """
                {"plantId":"DE01","type":"operation.reported","occurredAt":"2026-03-29T00:30:00Z",
                 "data":{"orderId":"1000123","qty":{"value":"0.1","uom":"ST"},"n":0.2,"count":7,"flag":true,
                 "lines":[{"q":"1.5"},{"q":"2.25"}],"text":"a\\"b","start":"2026-03-29T00:00:00Z",
                 "end":"2026-03-29T00:05:30.250Z","opId":"10","none":null}}
                """.utf8))
    }

    func evaluate(_ expression: Expression, at time: Int64 = 1_780_000_000_000) throws -> Value {
        let context = RecordContext(topic: "t", partition: 0, aliasCount: 0)
        context.event = document.root
        context.eventTime = time
        let evaluator = try compiler.compile(expression, in: Scope(record: .event))
        return try evaluator(context)
    }

    func text(_ expression: Expression) throws -> String? { try evaluate(expression).string }
    func number(_ expression: Expression) throws -> String? { try evaluate(expression).decimal?.description }

    @Test func pathsReachNestedMembersAndArrayElements() throws {
        #expect(try text(X.path("data.orderId")) == "1000123")
        #expect(try number(X.path("data.lines[1].q")) == "2.25")
        #expect(try text(X.path("data.text")) == "a\"b")
        #expect(try evaluate(X.path("data.missing.deeper")).isNull)
        #expect(try evaluate(X.path("data.lines[5]")).isNull)
    }

    @Test func arithmeticIsExactDecimal() throws {
        #expect(try number(X.op(.add, X.path("data.qty.value"), X.path("data.n"))) == "0.3")
        #expect(try number(X.op(.multiply, X.number("1.5"), X.number("3"))) == "4.5")
        #expect(try number(X.op(.divide, X.number("1"), X.number("3"))) == "0.333333")
        #expect(try number(X.op(.divide, X.number("3000"), X.number("1000"))) == "3")
        #expect(try number(X.op(.subtract, X.path("data.count"), X.number("10"))) == "-3")
        #expect(try number(X.negate(X.path("data.qty.value"))) == "-0.1")
        #expect(try evaluate(X.op(.add, X.path("data.none"), X.number("1"))).isNull)
    }

    @Test func divisionByZeroAndTypeErrorsAreRecordFailures() throws {
        #expect(throws: RecordFailure.self) { try evaluate(X.op(.divide, X.number("1"), X.number("0"))) }
        #expect(throws: RecordFailure.self) { try evaluate(X.op(.add, X.path("data.orderId"), X.string("x"))) }
    }

    @Test func comparisonsAndLogic() throws {
        #expect(try evaluate(X.op(.equal, X.path("type"), X.string("operation.reported"))).isTrue)
        #expect(try evaluate(X.op(.equal, X.path("data.qty.value"), X.number("0.10"))).isTrue)
        #expect(try evaluate(X.op(.greater, X.path("data.count"), X.number("6.5"))).isTrue)
        #expect(try evaluate(X.op(.less, X.path("data.start"), X.path("data.end"))).isTrue)
        #expect(try evaluate(X.op(.notEqual, X.path("data.none"), X.null)).isTrue == false)
        #expect(try evaluate(X.op(.and, X.path("data.flag"), X.not(X.path("data.none")))).isTrue)
        #expect(try evaluate(X.op(.or, X.bool(false), X.path("data.missing"))).isTrue == false)
        #expect(try text(X.op(.coalesce, X.path("data.none"), X.string("fallback"))) == "fallback")
    }

    @Test func stringFunctions() throws {
        #expect(
            try text(X.call("concat", X.string("op "), X.path("data.opId"), X.string("/"), X.path("data.count")))
                == "op 10/7")
        #expect(try text(X.call("pad", X.path("data.opId"), X.number("4"))) == "0010")
        #expect(try text(X.call("pad", X.string("7"), X.number("3"), X.string(" "))) == "  7")
        #expect(try text(X.call("upper", X.string("abc-é"))) == "ABC-é")
        #expect(try text(X.call("lower", X.path("plantId"))) == "de01")
        #expect(try number(X.call("len", X.path("data.lines"))) == "2")
        #expect(try number(X.call("len", X.string("aé"))) == "2")
    }

    @Test func numberFunctions() throws {
        #expect(try number(X.call("round", X.number("2.3456"), X.number("2"))) == "2.35")
        #expect(try number(X.call("round", X.number("-2.5"))) == "-3")
        #expect(try number(X.call("abs", X.number("-4.20"))) == "4.20")
        #expect(try text(X.call("if", X.path("data.flag"), X.string("yes"), X.string("no"))) == "yes")
        #expect(try text(X.call("coalesce", X.path("data.none"), X.path("data.missing"), X.string("z"))) == "z")
        #expect(try number(X.call("durationMs", X.path("data.start"), X.path("data.end"))) == "330250")
    }

    @Test func plantLocalDateAndTimeFollowDST() throws {
        // 2026-03-29T00:30Z is 01:30 CET; 2026-03-29T01:30Z is 03:30 CEST.
        #expect(try text(X.call("localDate", X.path("occurredAt"))) == "2026-03-29")
        #expect(try text(X.call("localTime", X.path("occurredAt"))) == "01:30:00")
        #expect(try text(X.call("localTime", X.string("2026-03-29T01:30:00Z"))) == "03:30:00")
        #expect(try text(X.call("localDate", X.string("2026-03-28T23:30:00Z"))) == "2026-03-29")
    }

    @Test func lookupPicksTheEffectiveDatedRow() throws {
        let lookup = X.call("lookup", X.string("orders"), X.string("status"), X.path("plantId"), X.path("data.orderId"))
        #expect(try evaluate(lookup, at: RFC3339.parse("2026-03-01T00:00:00Z")!).string == "RELEASED")
        #expect(try evaluate(lookup, at: RFC3339.parse("2026-07-01T00:00:00Z")!).string == "TECO")
        #expect(try evaluate(lookup, at: RFC3339.parse("2025-07-01T00:00:00Z")!).isNull)
    }

    @Test func convertUsesPerMaterialFactorsAndRoundsHalfUp() throws {
        func convert(_ qty: String, _ from: String, _ to: String) throws -> String? {
            try number(X.call("convert", X.number(qty), X.string(from), X.string(to), X.string("FG-1")))
        }
        #expect(try convert("24", "ST", "KAR") == "2.000")
        #expect(try convert("1", "ST", "KAR") == "0.083")
        #expect(try convert("3", "KAR", "ST") == "36.000")
        #expect(try convert("1500", "G", "KG") == "1.500")
        #expect(try convert("5", "ST", "ST") == "5.000")
        #expect(throws: RecordFailure.self) { try convert("1", "ST", "LTR") }
    }

    @Test func compileErrorsNameTheProblem() {
        #expect(throws: EngineError.self) {
            try compiler.compile(X.call("nope", X.number("1")), in: Scope(record: .event))
        }
        #expect(throws: EngineError.self) { try compiler.compile(X.call("round"), in: Scope(record: .event)) }
        #expect(throws: EngineError.self) {
            try compiler.compile(
                X.call("lookup", X.string("missing"), X.string("x"), X.path("a")), in: Scope(record: .event))
        }
        let windowScope = Scope(record: .window(groupNames: ["plantId"], aggregateNames: ["yield"]))
        #expect(throws: EngineError.self) { try compiler.compile(X.path("data.orderId"), in: windowScope) }
        #expect(throws: EngineError.self) { try compiler.compile(X.path("window.nope"), in: windowScope) }
    }
}
