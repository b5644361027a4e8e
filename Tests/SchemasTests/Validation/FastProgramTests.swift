import ConformanceSuites
import Foundation
import JSON
import Testing

@testable import Schemas

/// The fast program behind `isValid` must answer exactly what the general validator answers.
@Suite struct FastProgramTests {
    @Test(arguments: ["machine.cycle", "operation.reported", "mfg.envelope", "erp.production_confirmation"])
    func catalogueSchemasRunFullyOnTheFastPath(type: String) throws {
        let registry = try SchemaRegistry.load(directory: catalogueDirectory)
        let schema = try #require(registry.subject(named: type)?.latest.validator)
        let program = try #require(schema.fast)
        #expect(program.fallbackCount == 0)
    }

    @Test func everyCatalogueExampleGetsTheSameAnswerOnBothPaths() throws {
        let registry = try SchemaRegistry.load(directory: catalogueDirectory)
        var compared = 0
        var rejected = 0
        let tape = JSONTape()
        for subject in registry.subjects {
            let folder = catalogueDirectory + "/" + subject.name + "/examples"
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasSuffix(".json") {
                let bytes = try readFile(folder + "/" + file)
                for version in subject.versions {
                    let schema = version.validator
                    let (fast, general) = try bytes.withUnsafeBytes { buffer in
                        let root = try JSONReader().parse(buffer, into: tape).root
                        return (schema.isValid(root), schema.isValidByGeneralValidator(root))
                    }
                    #expect(fast == general, "\(subject.name)/\(file) against \(version.id)")
                    compared += 1
                    if !fast { rejected += 1 }
                }
            }
        }
        #expect(compared > 100)
        #expect(rejected > 40)
    }

    @Test(
        .enabled(
            if: ConformanceSuites.enabled(SchemaTestPaths.suite),
            Comment(rawValue: ConformanceSuites.skipReason("JSON-Schema-Test-Suite", SchemaTestPaths.suite))))
    func theSuiteSchemasAgreeOnBothPaths() throws {
        let files = (try FileManager.default.contentsOfDirectory(atPath: SchemaTestPaths.tests)).filter {
            $0.hasSuffix(".json")
        }
        var groupsCompiled = 0
        var withProgram = 0
        var withFallback = 0
        var compared = 0
        for file in files.sorted() {
            guard case .array(let groups) = try SchemaTestPaths.load(SchemaTestPaths.tests + "/" + file) else {
                continue
            }
            for (index, group) in groups.enumerated() {
                guard case .array(let tests) = group["tests"], let schemaValue = group["schema"] else { continue }
                let compiler = SchemaCompiler(
                    options: SchemaValidationOptions(formatAssertion: false), resolver: SchemaTestPaths.remoteResolver)
                guard let schema = try? compiler.compile(schemaValue, uri: "https://suite.test/\(file)/\(index).json")
                else { continue }
                groupsCompiled += 1
                guard let program = schema.fast else { continue }
                withProgram += 1
                if program.fallbackCount > 0 { withFallback += 1 }
                for test in tests {
                    guard let data = test["data"] else { continue }
                    var writer = JSONWriter()
                    writer.value(data)
                    let tape = JSONTape()
                    let agree = writer.withBytes { bytes in
                        (try? JSONReader(maxDepth: 10_000).parse(bytes, into: tape)).map {
                            schema.isValid($0.root) == schema.isValidByGeneralValidator($0.root)
                        }
                    }
                    #expect(agree == true, "\(file) group \(index): \(test["description"]?.stringValue ?? "")")
                    compared += 1
                }
            }
        }
        print(
            "fast program: \(withProgram) of \(groupsCompiled) suite schemas (\(withFallback) with fallbacks),"
                + " \(compared) instances")
        #expect(withProgram > 340)
        #expect(withProgram - withFallback > 230)
    }

    static let closedObject = #"""
        {
          "type": "object",
          "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]+$", "minLength": 2, "maxLength": 8},
            "n": {"type": "integer", "minimum": 0, "exclusiveMaximum": 100},
            "kind": {"enum": ["A", "Bé", "long-enum-value-x"]},
            "flag": {"const": true},
            "amount": {"type": "string", "pattern": "^-?[0-9]{1,15}(\\.[0-9]{1,6})?$"},
            "name": {"type": "string", "minLength": 2, "maxLength": 3},
            "a-rather-long-member-name": {"type": "boolean"},
            "a-rather-long-member-nbme": {"type": "null"}
          },
          "required": ["id", "n"],
          "additionalProperties": false
        }
        """#

    @Test(
        arguments: [
            (#"{"id":"ab","n":1}"#, true),
            (#"{"id":"ab","n":1,"extra":1}"#, false),
            (#"{"i\u0064":"ab","n":1}"#, true),
            (#"{"id":"ab"}"#, false),
            (#"{"id":"a","n":1}"#, false),
            (#"{"id":"abcdefghi","n":1}"#, false),
            (#"{"id":"a b","n":1}"#, false),
            (#"{"id":"a\u0062","n":1.0}"#, true),
            (#"{"id":"ab","n":100}"#, false),
            (#"{"id":"ab","n":-1}"#, false),
            (#"{"id":"ab","n":99.0}"#, true),
            (#"{"id":"ab","n":1e400}"#, false),
            (#"{"id":"ab","n":1,"kind":"B\u00e9"}"#, true),
            (#"{"id":"ab","n":1,"kind":"long-enum-value-x"}"#, true),
            (#"{"id":"ab","n":1,"kind":"C"}"#, false),
            (#"{"id":"ab","n":1,"flag":false}"#, false),
            (#"{"id":"ab","n":1,"flag":true}"#, true),
            (#"{"id":"ab","n":1,"amount":"-12.5"}"#, true),
            (#"{"id":"ab","n":1,"amount":"12."}"#, false),
            (#"{"id":"ab","n":1,"name":"ééé"}"#, true),
            (#"{"id":"ab","n":1,"name":"éééé"}"#, false),
            (#"{"id":"ab","n":1,"a-rather-long-member-nbme":true}"#, false),
            (#"{"id":"ab","n":1,"a-rather-long-member-name":true}"#, true),
            (#"[]"#, false),
        ])
    func closedObjects(instance: String, expected: Bool) throws {
        let schema = try compileSchema(Self.closedObject)
        #expect(schema.fast?.fallbackCount == 0)
        try withInstance(instance) { root in
            #expect(schema.isValid(root) == expected, "\(instance)")
            #expect(schema.isValidByGeneralValidator(root) == expected, "\(instance)")
        }
    }

    @Test(
        arguments: [
            (#"{"properties":{"id":{"minLength":2}},"required":["id"]}"#, #"{"id":"ab"}"#, true),
            (#"{"properties":{"id":{"minLength":2}},"required":["id"]}"#, #"{"i\u0064":"\u00e9"}"#, false),
            (#"{"properties":{"n":{"type":"integer","maximum":5}}}"#, #"{"n":5.0}"#, true),
            (#"{"properties":{"n":{"type":"integer","maximum":5}}}"#, #"{"n":18446744073709551617}"#, false),
            (#"{"properties":{"n":{"minimum":-1e30}}}"#, #"{"n":-5}"#, true),
            (#"{"properties":{"n":{"exclusiveMinimum":9223372036854775807}}}"#, #"{"n":9223372036854775807}"#, false),
            (#"{"properties":{"s":{"const":"x\"y"}}}"#, #"{"s":"x\u0022y"}"#, true),
            (#"{"properties":{"s":{"maxLength":2}}}"#, #"{"s":"\ud83d\ude00\ud83d\ude00"}"#, true),
            (#"{"properties":{"s":{"maxLength":1}}}"#, #"{"s":"\ud83d\ude00\ud83d\ude00"}"#, false),
            (#"{"required":["a","b"]}"#, #"{"b":1,"a":2}"#, true),
            (#"{"properties":{"a":true},"required":["a","b"],"additionalProperties":false}"#, #"{"a":1,"b":2}"#, false),
            (#"{"required":["a","b"]}"#, #"{"b":1,"b":2}"#, false),
            (#"{"dependentSchemas":{"a":{"required":["b"]}}}"#, #"{"a":1}"#, false),
            (#"{"dependentSchemas":{"a":{"required":["b"]}}}"#, #"{"a":1,"b":2}"#, true),
            (#"{"if":{"required":["x"]},"then":{"required":["y"]},"else":false}"#, #"{"x":1}"#, false),
            (#"{"if":{"required":["x"]},"then":{"required":["y"]},"else":false}"#, #"{}"#, false),
            (#"{"oneOf":[{"type":"integer"},{"minimum":2}]}"#, "3", false),
            (#"{"anyOf":[{"type":"string"},{"minimum":2}]}"#, "3", true),
            (
                #"{"items":{"format":"uuid"},"prefixItems":[true]}"#, #"[1,"01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d01"]"#,
                true
            ),
            (#"{"format":"uuid"}"#, #""01958F3A-6C1E-7B2A-9D4E-3F5A6B7C8D01""#, true),
            (#"{"format":"uuid"}"#, #""01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8dg1""#, false),
            (#"{"format":"uuid"}"#, #""01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d0é""#, false),
            (#"{"format":"uuid"}"#, #""01958f3a-6c1e-7b2a-9d4e:3f5a6b7c8d01""#, false),
            (#"{"format":"uuid"}"#, #""01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d0""#, false),
            (#"{"format":"uuid"}"#, #""01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d0/""#, false),
            (#"{"format":"uuid"}"#, #""01958f3a-6c1e-7b2a-9d4e-3f5a6b7c8d0@""#, false),
            (#"{"items":{"format":"date-time"}}"#, #"["2025-03-14T09:15:02.120+01:00","2025-02-30T00:00:00Z"]"#, false),
            (#"{"not":{"pattern":"^0+(\\.0+)?$"}}"#, #""00.00""#, false),
            (##"{"$ref":"#/$defs/a","$defs":{"a":{"type":"integer"}},"minimum":3}"##, "2", false),
            (#"{"patternProperties":{"^x":{"type":"string"}}}"#, #"{"x1":1}"#, false),
        ])
    func keywordsAgree(schema: String, instance: String, expected: Bool) throws {
        let compiled = try compileSchema(schema)
        #expect(compiled.fast != nil)
        try withInstance(instance) { root in
            #expect(compiled.isValid(root) == expected, "\(schema) \(instance)")
            #expect(compiled.isValidByGeneralValidator(root) == expected, "\(schema) \(instance)")
        }
    }

    static let envelopeRules = #"""
        {
          "type": "object",
          "properties": {"a": {}, "b": {}, "c": {"type": "integer"}},
          "allOf": [
            {
              "if": {"required": ["a"], "properties": {"a": {"const": true}}},
              "then": {"required": ["b"]}
            },
            {"dependentSchemas": {"b": {"required": ["a"]}}},
            {"properties": {"c": {"minimum": 5}}},
            {"not": {"required": ["z"]}}
          ]
        }
        """#

    /// Checks after an object pass reuse what it found about the same object (``FastPresence``).
    @Test(
        arguments: [
            (#"{"a":true,"b":1}"#, true),
            (#"{"a":true}"#, false),
            (#"{"a":false}"#, true),
            (#"{"b":1}"#, false),
            (#"{"a":false,"b":1,"c":5}"#, true),
            (#"{"a":false,"b":1,"c":4}"#, false),
            (#"{"a":false,"a":true}"#, true),
            (#"{"a":true,"a":false}"#, true),
            (#"{"a":true,"a":true}"#, false),
            (#"{"\u0061":true,"b":1}"#, true),
            (#"{"\u0061":true}"#, false),
            (#"{"a":false,"z":1}"#, false),
            (#"{"a":false,"y":1}"#, true),
        ])
    func rulesOverTheSameObjectAgree(instance: String, expected: Bool) throws {
        let schema = try compileSchema(Self.envelopeRules)
        #expect(schema.fast?.fallbackCount == 0)
        try withInstance(instance) { root in
            #expect(schema.isValid(root) == expected, "\(instance)")
            #expect(schema.isValidByGeneralValidator(root) == expected, "\(instance)")
        }
    }

    @Test func hugeEnumsStayExact() throws {
        let values = (0..<40_000).map { "\"v\($0)\"" }.joined(separator: ",")
        let schema = try compileSchema("{\"properties\":{\"s\":{\"enum\":[" + values + "]}}}")
        #expect(schema.fast != nil)
        try withInstance(#"{"s":"v39999"}"#) { #expect(schema.isValid($0)) }
        try withInstance(#"{"s":"v40000"}"#) { #expect(!schema.isValid($0)) }
    }

    @Test func deepSchemasUseTheGeneralValidator() throws {
        let depth = FastProgram.maxGraphDepth + 10
        let chain = (0..<depth).map { "\"d\($0)\":{\"minimum\":0,\"$ref\":\"#/$defs/d\($0 + 1)\"}" }
        let schema = try compileSchema(
            "{\"$ref\":\"#/$defs/d0\",\"$defs\":{" + chain.joined(separator: ",")
                + ",\"d\(depth)\":{\"type\":\"integer\"}}}")
        #expect(schema.fast == nil)
        try withInstance("1") { #expect(schema.isValid($0)) }
        try withInstance("-1") { #expect(!schema.isValid($0)) }
        try withInstance("1.5") { #expect(!schema.isValid($0)) }
    }

    @Test func recursiveSchemasUseTheGeneralValidator() throws {
        let schema = try compileSchema(##"{"properties":{"child":{"$ref":"#"}},"type":"object"}"##)
        #expect(schema.fast == nil)
        try withInstance(#"{"child":{"child":{}}}"#) { #expect(schema.isValid($0)) }
        try withInstance(#"{"child":{"child":1}}"#) { #expect(!schema.isValid($0)) }
    }
}
