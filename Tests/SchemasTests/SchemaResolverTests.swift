import JSON
import Testing

@testable import Schemas

@Suite struct SchemaResolverTests {
    private let resolver: SchemaResolver = {
        let root = try! JSONValue(
            parsing: ##"""
                {"$id":"https://x.test/a/root.json",
                 "$defs":{
                   "plain":{"type":"string"},
                   "a b":{"type":"integer"},
                   "anchored":{"$anchor":"here","type":"boolean"},
                   "embedded":{"$id":"nested/inner.json","$defs":{"x":{"const":1}},"$ref":"#/$defs/x"},
                   "chain":{"$ref":"#/$defs/plain"}
                 }}
                """##)
        return SchemaResolver(documents: ["https://x.test/a/root.json": root])
    }()

    private let base = "https://x.test/a/root.json"

    @Test func pointersResolve() {
        #expect(resolver.resolve("#/$defs/plain", base: base)?.value == ["type": "string"])
        #expect(resolver.resolve("#/$defs/a%20b", base: base)?.value == ["type": "integer"])
        #expect(resolver.resolve("root.json#/$defs/plain", base: base)?.location == base + "#/$defs/plain")
        #expect(resolver.resolve("#/$defs/none", base: base) == nil)
        #expect(resolver.resolve("other.json", base: base) == nil)
    }

    @Test func anchorsAndEmbeddedResourcesResolve() throws {
        #expect(resolver.resolve("#here", base: base)?.value["type"] == "boolean")
        let embedded = try #require(resolver.resolve("nested/inner.json", base: base))
        #expect(embedded.baseURI == "https://x.test/a/nested/inner.json")
        // Inside the embedded resource, fragments are relative to it.
        #expect(resolver.resolve("#/$defs/x", base: embedded.baseURI)?.value == ["const": 1])
    }

    @Test func referenceOnlySchemasAreFollowed() throws {
        let chain = try #require(resolver.resolve("#/$defs/chain", base: base))
        #expect(resolver.dereferenced(chain)?.location == base + "#/$defs/plain")
    }

    @Test func propertySchemasAreFoundThroughReferencesAndAllOf() throws {
        let document = try JSONValue(
            parsing: ##"""
                {"$defs":{"base":{"properties":{"a":{"type":"string"}}}},
                 "allOf":[{"$ref":"#/$defs/base"}],
                 "properties":{"list":{"items":{"properties":{"q":{"enum":["GOOD"]}}}}}}
                """##)
        let resolver = SchemaResolver(documents: ["urn:d": document])
        let root = try #require(resolver.resource("urn:d"))
        #expect(resolver.propertySchema(root, [.member("a")])?.location == "urn:d#/$defs/base/properties/a")
        #expect(
            resolver.propertySchema(root, UpcastPath("/list/*/q")!.tokens)?.location
                == "urn:d#/properties/list/items/properties/q")
        #expect(resolver.propertySchema(root, [.member("missing")]) == nil)
    }
}
