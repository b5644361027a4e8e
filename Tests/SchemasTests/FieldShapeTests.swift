import JSON
import Testing

@testable import Schemas

/// What the lint learns from a schema: members, closedness, scalar kinds, across `$ref` and combinators.
@Suite struct FieldShapeTests {
    static func shape(_ text: String, extra: [String: String] = [:]) throws -> FieldShape? {
        var documents = ["https://example.test/main.json": try JSONValue(parsing: text)]
        for (uri, document) in extra { documents[uri] = try JSONValue(parsing: document) }
        return FieldShapeReader(resolver: SchemaResolver(documents: documents)).shape(
            ofResource: "https://example.test/main.json")
    }

    @Test func propertiesRequiredAndClosedness() throws {
        let shape = try #require(
            try Self.shape(
                #"{"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"string","format":"date-time"}},"#
                    + #""required":["a"],"additionalProperties":false}"#))
        #expect(
            shape
                == .object(
                    members: ["a": .scalar(.integer), "b": .scalar(.timestamp)], required: ["a"], open: false))
        #expect(shape.member("c") == nil)
        let open = try #require(try Self.shape(#"{"type":"object","properties":{"a":{}}}"#))
        #expect(open.member("c") == .any)
    }

    @Test func referencesAcrossDocumentsAndAllOfIntersect() throws {
        let common =
            #"{"$defs":{"Qty":{"type":"object","properties":{"value":{"type":"string","pattern":"^[0-9]+$"},"#
            + #""uom":{"enum":["KGM","ST"]}},"required":["value","uom"],"additionalProperties":false}}}"#
        let shape = try #require(
            try Self.shape(
                #"{"type":"object","properties":{"qty":{"$ref":"common.json#/$defs/Qty"}},"#
                    + #""allOf":[{"properties":{"note":{"type":"string"}}}],"additionalProperties":false}"#,
                extra: ["https://example.test/common.json": common]))
        #expect(shape.member("qty")?.member("value") == .scalar(.text))
        #expect(shape.member("qty")?.member("uom") == .scalar(.word))
        #expect(shape.member("qty")?.member("other") == nil)
        #expect(shape.member("note") == .scalar(.text))
    }

    @Test func anyOfUnitesTheBranches() throws {
        let shape = try #require(
            try Self.shape(
                #"{"type":"object","anyOf":[{"properties":{"a":{"type":"integer"}}},"#
                    + #"{"properties":{"b":{"type":"number"}},"additionalProperties":false}]}"#))
        #expect(shape.member("a") == .scalar(.integer))
        #expect(shape.member("b") == .scalar(.number))
        #expect(FieldShape.scalar(.integer).union(.scalar(.number)) == .scalar(.number))
        #expect(FieldShape.scalar(.timestamp).union(.scalar(.word)) == .scalar(.text))
    }

    @Test func theCatalogueHasAShapeForEverySchema() throws {
        let registry = try SchemaRegistry.load(directory: catalogueDirectory)
        let shapes = registry.fieldShapes
        let cycle = try #require(shapes["machine.cycle/v2"])
        #expect(cycle.member("data")?.member("goodCount") == .scalar(.integer))
        #expect(cycle.member("occurredAt") == .scalar(.timestamp))
        #expect(cycle.member("data")?.member("goodCnt") == nil)
        let foreign = try #require(shapes["linectl.machine_cycle/v1"])
        #expect(foreign.memberNames.contains("good_qty"))
        #expect(foreign.member("event_id") == .scalar(.word))
        #expect(shapes["mfg.common/v1"] == nil)
    }
}
