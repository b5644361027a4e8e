import JSON
import Testing

@testable import Schemas

@Suite struct SchemaRegistryTests {
    static let registry: SchemaRegistry = {
        do {
            return try SchemaRegistry.load(directory: catalogueDirectory)
        } catch {
            Issue.record("catalogue does not load: \(error)")
            return SchemaRegistry(directory: catalogueDirectory, subjects: [])
        }
    }()

    @Test(arguments: [
        ("machine.cycle/v2", "machine.cycle", 2),
        ("https://schemas.plantstream.dev/erp.goods_issue/v1.json", "erp.goods_issue", 1),
        ("analytics.oee_window/v12", "analytics.oee_window", 12),
    ])
    func schemaIDsParse(_ text: String, _ type: String, _ version: Int) throws {
        let id = try #require(SchemaID(text))
        #expect(id.type == type)
        #expect(id.version == version)
        #expect(SchemaID(id.description) == id)
        #expect(SchemaID(id.uri) == id)
    }

    @Test(arguments: [
        "machine.cycle", "machine.cycle/2", "machine.cycle/v0", "machine.cycle/v01", "Machine.cycle/v1", "cycle/v1",
        "machine..cycle/v1", "machine.cycle./v1", "machine.cycle/v1x", "", "/v1",
        "https://schemas.plantstream.dev/machine.cycle/v1", "machine.cycle/v1234567890",
    ])
    func malformedSchemaIDsAreRejected(_ text: String) {
        #expect(SchemaID(text) == nil)
    }

    @Test func byteLookupsFindTheSameSchemasWithoutStrings() {
        let registry = Self.registry
        for subject in registry.subjects {
            for version in subject.versions {
                let byType = Array(subject.name.utf8).withUnsafeBytes {
                    registry.schema(type: $0, version: version.id.version)
                }
                #expect(byType === version)
                let byID = Array(version.id.description.utf8).withUnsafeBytes { registry.schema(id: $0) }
                #expect(byID === version)
                let byURI = Array(version.uri.utf8).withUnsafeBytes { registry.schema(id: $0) }
                #expect(byURI === version)
            }
        }
        let unknown = Array("machine.cycles".utf8).withUnsafeBytes { registry.schema(type: $0, version: 1) }
        #expect(unknown == nil)
        let tooNew = Array("machine.cycle/v3".utf8).withUnsafeBytes { registry.schema(id: $0) }
        #expect(tooNew == nil)
    }

    @Test func namedLookupsExplainFailures() throws {
        let registry = Self.registry
        #expect(try registry.schema(named: "machine.cycle/v1").id.version == 1)
        #expect(registry.latestID(of: "machine.cycle")?.version == 2)
        #expect(registry.latestID(of: "machine.state")?.version == 1)
        let cases: [(String, SchemasError.Code)] = [
            ("machine.cycle", .invalidSchemaID), ("machine.cyclez/v1", .unknownSchema),
            ("machine.cycle/v3", .unknownSchema),
        ]
        for (text, code) in cases {
            do {
                _ = try registry.schema(named: text)
                Issue.record("\(text) resolved")
            } catch {
                #expect(error.code == code)
            }
        }
    }

    @Test func upcastingProducesBytesOfTheNewestVersion() throws {
        let registry = Self.registry
        let bytes = try readFile(catalogueDirectory + "/machine.cycle/examples/valid-v1-minimal.json")
        let tape = JSONTape()
        let upcast = try bytes.withUnsafeBytes { buffer in
            let document = try JSONReader().parse(buffer, into: tape)
            return try registry.upcastedBytes(document.root, from: SchemaID("machine.cycle/v1")!)
        }
        let value = try JSONValue(parsing: upcast)
        #expect(value["schemaVersion"] == 2)
        #expect(value["data"]?["reworkCount"] == 0)
        #expect(try registry.schema(named: "machine.cycle/v2").validator.validate(value).isEmpty)
        #expect(throws: SchemasError.self) {
            try registry.upcast(value, from: SchemaID("machine.cycle/v9")!)
        }
    }

    @Test func allVersionsAreCompiledWithFormatAssertion() throws {
        let registry = Self.registry
        let schema = try registry.schema(named: "machine.state/v1")
        let example = try JSONValue(
            parsing: try readFile(catalogueDirectory + "/machine.state/examples/invalid-format-since.json"))
        let violations = schema.validator.validate(example)
        #expect(violations.map(\.instancePointer) == ["/data/since"])
    }

    @Test func missingFoldersAreErrors() {
        #expect(throws: SchemasError.self) {
            try SchemaRegistry.load(directory: packageRoot + "/no-such-schemas")
        }
    }
}
