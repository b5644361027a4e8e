import Foundation
import JSON
import Testing

@testable import Schemas

/// A two-version catalogue without external references, written into a temporary folder.
struct FixtureCatalogue {
    let folder: TemporaryFolder
    var directory: String { folder.path }

    static func schema(version: Int, extraProperties: String = "", required: String = #""schemaVersion","name""#)
        -> String
    {
        """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.plantstream.dev/demo.thing/v\(version).json",
          "type": "object",
          "properties": {
            "schemaVersion": { "const": \(version) },
            "name": { "type": "string", "maxLength": 8 },
            "count": { "type": "integer", "minimum": 0 }\(extraProperties)
          },
          "required": [\(required)],
          "additionalProperties": false
        }
        """
    }

    static let subject = """
        subject: demo.thing
        kind: analytics
        description: A fixture.
        owner: tests
        compatibility: BACKWARD
        upcast:
          - from: 1
            to: 2
            rules:
              - add: /color
                default: red
        """

    init() throws {
        folder = try TemporaryFolder()
        try folder.write("demo.thing/subject.yaml", Self.subject)
        try folder.write("demo.thing/v1.json", Self.schema(version: 1))
        try folder.write(
            "demo.thing/v2.json",
            Self.schema(
                version: 2, extraProperties: #", "color": { "enum": ["red", "blue"], "default": "red" }"#,
                required: #""schemaVersion","name","color""#))
        try folder.write("demo.thing/examples/valid-v1-basic.json", #"{"schemaVersion":1,"name":"a","count":2}"#)
        try folder.write("demo.thing/examples/valid-blue.json", #"{"schemaVersion":2,"name":"a","color":"blue"}"#)
        try folder.write(
            "demo.thing/examples/invalid-maxLength-long-name.json",
            #"{"schemaVersion":2,"name":"abcdefghi","color":"red"}"#
        )
        try folder.write(
            "demo.thing/examples/invalid-v1-additionalProperties-color.json",
            #"{"schemaVersion":1,"name":"a","color":"red"}"#)
    }

    func findings() -> [CatalogFinding] { CatalogCheck.run(directory: directory) }
}

@Suite struct CatalogCheckTests {
    @Test func aSoundCatalogueHasNoFindings() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        #expect(fixture.findings().isEmpty, "\(fixture.findings())")
        _ = try SchemaRegistry.load(directory: fixture.directory)
    }

    @Test func versionGapsAreReported() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write("demo.thing/v4.json", FixtureCatalogue.schema(version: 4))
        let findings = fixture.findings()
        #expect(
            findings == [
                CatalogFinding(
                    location: fixture.directory + "/demo.thing/v3.json", rule: "invalidCatalog",
                    message: "missing: versions must be contiguous, v1.json to v4.json")
            ])
        #expect(throws: SchemasError.self) { try SchemaRegistry.load(directory: fixture.directory) }
    }

    /// v3 drops `count` (declared as an upcast `remove`); the v2 example moves to `valid-v2-…`.
    private func addV3RemovingCount(_ fixture: FixtureCatalogue, mode: String) throws {
        try fixture.folder.write(
            "demo.thing/v3.json",
            FixtureCatalogue.schema(
                version: 3, extraProperties: #", "color": { "enum": ["red", "blue"], "default": "red" }"#,
                required: #""schemaVersion","name","color""#
            ).replacingOccurrences(of: #", "type": "integer", "minimum": 0 }"#, with: "")
                .replacingOccurrences(of: #""count": { "type": "integer", "minimum": 0 },"#, with: ""))
        try fixture.folder.write(
            "demo.thing/subject.yaml",
            FixtureCatalogue.subject.replacingOccurrences(of: "compatibility: BACKWARD", with: "compatibility: \(mode)")
                + "\n  - from: 2\n    rules:\n      - remove: /count\n")
        try FileManager.default.moveItem(
            atPath: fixture.directory + "/demo.thing/examples/valid-blue.json",
            toPath: fixture.directory + "/demo.thing/examples/valid-v2-blue.json")
    }

    @Test func incompatibleVersionsAreReportedWithPointerAndRule() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try addV3RemovingCount(fixture, mode: "BACKWARD")
        let findings = fixture.findings()
        #expect(
            findings == [
                CatalogFinding(
                    location: fixture.directory + "/demo.thing/v3.json#/properties/count",
                    rule: "BACKWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                    message: "v3 cannot read data written with v2 (BACKWARD compatibility)")
            ], "\(findings)")
    }

    @Test(arguments: [
        ("FORWARD", ["v2.json#/properties/color FORWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL"]),
        ("NONE", []),
        (
            "FULL_TRANSITIVE",
            [
                "v2.json#/properties/color FORWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                // v3 against v1, then against v2.
                "v3.json#/properties/count BACKWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                "v3.json#/properties/color FORWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
                "v3.json#/properties/count BACKWARD/PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            ]
        ),
    ])
    func theSubjectsModeDecides(_ mode: String, _ expected: [String]) throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try addV3RemovingCount(fixture, mode: mode)
        let prefix = fixture.directory + "/demo.thing/"
        let findings = fixture.findings().map {
            String($0.location.dropFirst(prefix.count)) + " " + $0.rule
        }
        #expect(findings == expected)
    }

    @Test func examplesMustBehaveAsDeclared() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        let examples = fixture.directory + "/demo.thing/examples/"
        try fixture.folder.write(
            "demo.thing/examples/invalid-required-passes.json", #"{"schemaVersion":2,"name":"a","color":"red"}"#)
        try fixture.folder.write(
            "demo.thing/examples/valid-fails.json", #"{"schemaVersion":2,"name":"a","color":"green"}"#)
        try fixture.folder.write("demo.thing/examples/invalid-pattern-other.json", #"{"schemaVersion":2,"name":"a"}"#)
        try fixture.folder.write("demo.thing/examples/sample.json", "{}")
        try fixture.folder.write("demo.thing/examples/valid-v9-missing.json", "{}")
        try fixture.folder.write("demo.thing/examples/valid-broken.json", "{\n  \"name\": }")
        let findings = fixture.findings()
        let byLocation = Dictionary(grouping: findings, by: \.location)
        #expect(byLocation[examples + "invalid-required-passes.json"]?.first?.rule == "example-invalid")
        #expect(byLocation[examples + "valid-fails.json#/color"]?.first?.rule == "example-valid")
        #expect(
            byLocation[examples + "invalid-pattern-other.json"]?.first?.message.hasPrefix(
                "declared to fail \"pattern\" but fails") == true)
        #expect(byLocation[examples + "sample.json"]?.first?.rule == "example-name")
        #expect(byLocation[examples + "valid-v9-missing.json"]?.first?.rule == "example-name")
        #expect(byLocation[examples + "valid-broken.json:2:11"]?.first?.rule == "invalidJSON")
        #expect(findings.count == 6, "\(findings)")
    }

    @Test func olderValidExamplesMustStayValidAfterUpcasting() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        // The default no longer matches v2's enum.
        try fixture.folder.write(
            "demo.thing/subject.yaml",
            FixtureCatalogue.subject.replacingOccurrences(of: "default: red", with: "default: 7"))
        let findings = fixture.findings()
        // The loader rejects the rule itself (its default does not validate against v2)…
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.rule == "invalidSubject")
        #expect(findings.first?.location == fixture.directory + "/demo.thing/subject.yaml:10:9")
    }

    @Test func examplesAreRequired() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try FileManager.default.removeItem(atPath: fixture.directory + "/demo.thing/examples")
        #expect(fixture.findings().map(\.rule) == ["examples-missing"])
    }

    @Test func schemaConventionsAreChecked() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write(
            "demo.thing/v2.json",
            FixtureCatalogue.schema(version: 2).replacingOccurrences(
                of: "demo.thing/v2.json", with: "demo.thing/v3.json"
            )
            .replacingOccurrences(of: #"{ "const": 2 }"#, with: #"{ "const": 1 }"#))
        let findings = fixture.findings()
        let file = fixture.directory + "/demo.thing/v2.json"
        #expect(findings.map(\.location) == [file + "#/$id", file + "#/properties/schemaVersion"], "\(findings)")
    }

    @Test func malformedSchemasAreLocated() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write("demo.thing/v2.json", "{\n  \"type\": \"object\",\n  oops\n}")
        let findings = fixture.findings()
        #expect(findings.map(\.location) == [fixture.directory + "/demo.thing/v2.json:3:3"], "\(findings)")
        #expect(findings.first?.rule == "invalidJSON")
    }

    @Test func invalidKeywordsAreLocatedByPointer() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write(
            "demo.thing/v1.json",
            FixtureCatalogue.schema(version: 1).replacingOccurrences(of: #""maxLength": 8"#, with: #""maxLength": -1"#))
        let findings = fixture.findings()
        #expect(findings.count == 1, "\(findings)")
        #expect(findings.first?.location.hasSuffix("/demo.thing/v1.json#/properties/name/maxLength") == true)
    }

    @Test func subjectFilesAreLocatedByLineAndColumn() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write(
            "demo.thing/subject.yaml",
            FixtureCatalogue.subject.replacingOccurrences(of: "compatibility: BACKWARD", with: "compatibilty: BACKWARD")
        )
        let findings = fixture.findings()
        #expect(findings.map(\.location) == [fixture.directory + "/demo.thing/subject.yaml:5:1"])
        #expect(findings.first?.message.hasPrefix("unknown key \"compatibilty\"") == true)
    }

    @Test func upcastRulesMustNameRealMembers() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        try fixture.folder.write(
            "demo.thing/subject.yaml", FixtureCatalogue.subject.replacingOccurrences(of: "/color", with: "/colour"))
        let findings = fixture.findings()
        #expect(
            findings == [
                CatalogFinding(
                    location: fixture.directory + "/demo.thing/subject.yaml:10:9", rule: "invalidSubject",
                    message: "add /colour: v2 has no such member")
            ])
    }

    @Test func publishedVersionsAreImmutable() throws {
        let fixture = try FixtureCatalogue()
        defer { fixture.folder.remove() }
        let v1 = try readFile(fixture.directory + "/demo.thing/v1.json")
        let changed = Array(
            FixtureCatalogue.schema(version: 2).replacingOccurrences(of: #""maxLength": 8"#, with: #""maxLength": 9"#)
                .utf8)
        let findings = CatalogCheck.publishedChanges(
            published: [
                "demo.thing/v1.json": v1, "demo.thing/v2.json": changed, "demo.thing/v3.json": v1,
                "demo.thing/subject.yaml": [], "README.md": [],
            ], directory: fixture.directory)
        #expect(findings.map(\.rule) == ["published-version-changed", "published-version-deleted"])
        #expect(findings.first?.location == fixture.directory + "/demo.thing/v2.json:7")
        #expect(findings.last?.location == fixture.directory + "/demo.thing/v3.json")
    }

    @Test func exampleNamesDeclareTheirExpectation() {
        typealias Name = CatalogCheck.ExampleName
        #expect(Name("valid-basic.json") == Name(valid: true, version: nil, keyword: nil))
        #expect(Name("valid-v1-cycle.json") == Name(valid: true, version: 1, keyword: nil))
        #expect(Name("invalid-required-x.json") == Name(valid: false, version: nil, keyword: "required"))
        #expect(Name("invalid-v2-enum-x-y.json") == Name(valid: false, version: 2, keyword: "enum"))
        #expect(Name("valid-v1.json") == Name(valid: true, version: nil, keyword: nil))
        #expect(Name("invalid-required.json") == nil)
        #expect(Name("sample.json") == nil)
        #expect(Name("valid-.json") == nil)
    }
}

extension CatalogCheck.ExampleName {
    init(valid: Bool, version: Int?, keyword: String?) {
        self = CatalogCheck.ExampleName("valid-x.json")!
        self.valid = valid
        self.version = version
        self.keyword = keyword
    }
}
