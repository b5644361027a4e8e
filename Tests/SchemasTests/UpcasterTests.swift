import JSON
import Testing

@testable import Schemas

@Suite struct UpcasterTests {
    private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }
    private func path(_ text: String) -> UpcastPath { UpcastPath(text)! }

    private func upcast(_ rules: [UpcastRule], _ document: String) throws -> JSONValue {
        let upcaster = Upcaster(latestVersion: 2, steps: [Upcaster.Step(from: 1, rules: rules)])
        return try upcaster.upcast(try json(document), from: 1)
    }

    @Test func addSetsAnAbsentMemberAndRewritesTheVersion() throws {
        let result = try upcast([.add(path("/data/reworkCount"), default: 0)], #"{"schemaVersion":1,"data":{"a":1}}"#)
        #expect(result == (try json(#"{"schemaVersion":2,"data":{"a":1,"reworkCount":0}}"#)))
    }

    @Test func addNeverOverwrites() throws {
        let result = try upcast([.add(path("/data/x"), default: 0)], #"{"schemaVersion":1,"data":{"x":7}}"#)
        #expect(result["data"]?["x"] == 7)
    }

    @Test func addWithoutParentDoesNothing() throws {
        let result = try upcast([.add(path("/data/lot/subLotId"), default: "S")], #"{"schemaVersion":1,"data":{}}"#)
        #expect(result == (try json(#"{"schemaVersion":2,"data":{}}"#)))
    }

    @Test func addObjectDefaults() throws {
        let result = try upcast(
            [.add(path("/data/limits"), default: ["lower": "0"])], #"{"schemaVersion":1,"data":{}}"#)
        #expect(result["data"]?["limits"] == (try json(#"{"lower":"0"}"#)))
    }

    @Test func renameMovesTheValue() throws {
        let result = try upcast(
            [.rename(path("/data/cycleTimeMs"), to: path("/data/cycleDurationMs"))],
            #"{"schemaVersion":1,"data":{"cycleTimeMs":41250}}"#)
        #expect(result == (try json(#"{"schemaVersion":2,"data":{"cycleDurationMs":41250}}"#)))
    }

    @Test func renameAcrossObjects() throws {
        let result = try upcast(
            [.rename(path("/data/station"), to: path("/equipment/workCellId"))],
            #"{"schemaVersion":1,"equipment":{"equipmentId":"M05"},"data":{"station":"C3"}}"#)
        #expect(result["equipment"]?["workCellId"] == "C3")
        #expect(result["data"]?["station"] == nil)
    }

    @Test func renameKeepsAnExistingDestination() throws {
        let result = try upcast(
            [.rename(path("/data/a"), to: path("/data/b"))], #"{"schemaVersion":1,"data":{"a":1,"b":2}}"#)
        #expect(result["data"] == (try json(#"{"b":2}"#)))
    }

    @Test func renameOfAnAbsentMemberDoesNothing() throws {
        let result = try upcast([.rename(path("/data/a"), to: path("/data/b"))], #"{"schemaVersion":1,"data":{}}"#)
        #expect(result["data"] == (try json("{}")))
    }

    @Test func removeDeletesTheMember() throws {
        let result = try upcast([.remove(path("/data/legacy"))], #"{"schemaVersion":1,"data":{"legacy":true,"x":1}}"#)
        #expect(result == (try json(#"{"schemaVersion":2,"data":{"x":1}}"#)))
    }

    @Test func wildcardsVisitEveryArrayElement() throws {
        let document = #"{"schemaVersion":1,"data":{"metrics":[{"q":"GOOD"},{"q":"BAD","unit":"RPM"},{}]}}"#
        let result = try upcast(
            [
                .rename(path("/data/metrics/*/q"), to: path("/data/metrics/*/quality")),
                .add(path("/data/metrics/*/uom"), default: "C62"),
                .remove(path("/data/metrics/*/unit")),
            ], document)
        #expect(
            result["data"]?["metrics"]
                == (try json(
                    #"[{"quality":"GOOD","uom":"C62"},{"quality":"BAD","uom":"C62"},{"uom":"C62"}]"#)))
    }

    @Test func stepsApplyInOrderFromTheEventsVersion() throws {
        let upcaster = Upcaster(
            latestVersion: 3,
            steps: [
                Upcaster.Step(from: 1, rules: [.add(path("/data/a"), default: 1)]),
                Upcaster.Step(from: 2, rules: [.rename(path("/data/a"), to: path("/data/b"))]),
            ])
        let fromOne = try upcaster.upcast(try json(#"{"schemaVersion":1,"data":{}}"#), from: 1)
        #expect(fromOne == (try json(#"{"schemaVersion":3,"data":{"b":1}}"#)))
        let fromTwo = try upcaster.upcast(try json(#"{"schemaVersion":2,"data":{"a":5}}"#), from: 2)
        #expect(fromTwo == (try json(#"{"schemaVersion":3,"data":{"b":5}}"#)))
        let latest = try json(#"{"schemaVersion":3,"data":{"b":5}}"#)
        #expect(try upcaster.upcast(latest, from: 3) == latest)
    }

    @Test func badVersionsAndDocumentsAreErrors() throws {
        let upcaster = Upcaster(latestVersion: 2, steps: [])
        #expect(throws: SchemasError.self) { try upcaster.upcast(try json("{}"), from: 3) }
        #expect(throws: SchemasError.self) { try upcaster.upcast(try json("{}"), from: 0) }
        #expect(throws: SchemasError.self) { try upcaster.upcast(try json("[1]"), from: 1) }
    }

    @Test(arguments: ["", "data", "/data/~2x"])
    func malformedPathsAreRejected(_ text: String) {
        #expect(UpcastPath(text) == nil)
    }

    @Test func pathsUnescape() throws {
        let parsed = try #require(UpcastPath("/a~1b/~0c/*"))
        #expect(parsed.tokens == [.member("a/b"), .member("~c"), .eachElement])
        #expect(parsed.description == "/a~1b/~0c/*")
    }

    @Test func theCataloguesCycleUpcastsToAValidV2() throws {
        let registry = try SchemaRegistry.load(directory: catalogueDirectory)
        let v1 = try #require(registry.schema(SchemaID("machine.cycle/v1")!))
        let example = try JSONValue(
            parsing: try readFile(catalogueDirectory + "/machine.cycle/examples/valid-v1-cycle.json"))
        #expect(v1.validator.validate(example).isEmpty)
        let upcast = try registry.upcast(example, from: v1.id)
        #expect(upcast["schemaVersion"] == 2)
        #expect(upcast["data"]?["reworkCount"] == 0)
        let v2 = try #require(registry.schema(SchemaID("machine.cycle/v2")!))
        #expect(v2.validator.validate(upcast).isEmpty)
        // Unchanged apart from the upcast: v1 data is still there.
        #expect(upcast["data"]?["cycleTimeMs"] == example["data"]?["cycleTimeMs"])
    }
}
