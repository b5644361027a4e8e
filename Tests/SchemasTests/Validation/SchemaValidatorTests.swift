import JSON
import Schemas
import Testing

@Suite struct SchemaValidatorTests {
    static let order = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "required": ["id", "qty", "lines"],
          "additionalProperties": false,
          "properties": {
            "id": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]+$", "maxLength": 8},
            "qty": {"type": "string", "pattern": "^-?\\d{1,15}(\\.\\d{1,6})?$"},
            "at": {"type": "string", "format": "date-time"},
            "lines": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/line"}}
          },
          "$defs": {
            "line": {
              "type": "object",
              "properties": {"n": {"type": "integer", "minimum": 1}, "uom": {"enum": ["KGM", "PCE"]}},
              "required": ["n"],
              "unevaluatedProperties": false
            }
          }
        }
        """#

    @Test func validInstancePasses() throws {
        let schema = try compileSchema(Self.order)
        try withInstance(##"{"id": "A-1", "qty": "12.345", "at": "2026-01-02T03:04:05.678Z", "lines": [{"n": 1}]}"##) {
            #expect(schema.isValid($0))
            #expect(schema.validate($0).isEmpty)
        }
    }

    @Test func violationsCarryPointersLocationsAndMessages() throws {
        let schema = try compileSchema(Self.order)
        let instance =
            ##"{"id": "way too long id", "qty": "1.2345678", "at": "2026-13-01T00:00:00Z", "x": 1, "lines": [{"n": 0, "uom": "M", "extra": true}]}"##
        try withInstance(instance) { root in
            #expect(!schema.isValid(root))
            let violations = schema.validate(root)
            let summary = violations.map { "\($0.instancePointer) \($0.keywordLocation) \($0.absoluteKeywordLocation)" }
            let base = "https://example.test/schema.json#"
            #expect(summary.contains("/id /properties/id/maxLength \(base)/properties/id/maxLength"))
            #expect(summary.contains("/id /properties/id/pattern \(base)/properties/id/pattern"))
            #expect(summary.contains("/qty /properties/qty/pattern \(base)/properties/qty/pattern"))
            #expect(summary.contains("/at /properties/at/format \(base)/properties/at/format"))
            #expect(summary.contains("/x /additionalProperties \(base)/additionalProperties"))
            #expect(
                summary.contains(
                    "/lines/0/n /properties/lines/items/$ref/properties/n/minimum \(base)/$defs/line/properties/n/minimum"
                ))
            #expect(
                summary.contains(
                    "/lines/0/uom /properties/lines/items/$ref/properties/uom/enum \(base)/$defs/line/properties/uom/enum"
                ))
            #expect(
                summary.contains(
                    "/lines/0/extra /properties/lines/items/$ref/unevaluatedProperties \(base)/$defs/line/unevaluatedProperties"
                ))
            #expect(violations.count == 8)  // id fails maxLength and pattern
            #expect(violations.first { $0.instancePointer == "/x" }?.message == "property 'x' is not allowed")
            #expect(
                violations.first { $0.instancePointer == "/lines/0/n" }?.description
                    == "/lines/0/n: 0 is less than the minimum 1 (minimum at \(base)/$defs/line/properties/n/minimum)")
        }
        try withInstance(##"{"lines": []}"##) { root in
            let messages = schema.validate(root).map(\.description)
            let base = "https://example.test/schema.json#"
            #expect(
                messages.contains("/lines: has 0 items, fewer than 1 (minItems at \(base)/properties/lines/minItems)"))
            #expect(messages.contains("/: missing required property 'id' (required at \(base)/required)"))
            #expect(messages.contains("/: missing required property 'qty' (required at \(base)/required)"))
        }
    }

    @Test func maxErrorsBoundsTheReport() throws {
        let schema = try compileSchema(##"{"items": {"type": "string"}}"##)
        try withInstance("[1, 2, 3, 4, 5]") { root in
            #expect(schema.validate(root, maxErrors: 2).count == 2)
            #expect(schema.validate(root).count == 5)
        }
    }

    @Test func crossResourceReferencesResolveAgainstIds() throws {
        let compiler = SchemaCompiler()
        try compiler.addResource(
            try JSONValue(
                parsing: #"""
                    {"$id": "https://schemas.plantstream.dev/common/v1.json",
                     "$defs": {"Id": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]+$", "minLength": 1, "maxLength": 64},
                               "Qty": {"type": "object", "required": ["value", "uom"], "additionalProperties": false,
                                       "properties": {"value": {"type": "string"}, "uom": {"type": "string"}}}}}
                    """#), uri: "https://schemas.plantstream.dev/common/v1.json", file: "schemas/common/v1.json")
        try compiler.addResource(
            try JSONValue(
                parsing: #"""
                    {"$id": "https://schemas.plantstream.dev/thing/v1.json",
                     "type": "object",
                     "properties": {"id": {"$ref": "../common/v1.json#/$defs/Id"}, "qty": {"$ref": "/common/v1.json#/$defs/Qty"}}}
                    """#), uri: "https://schemas.plantstream.dev/thing/v1.json", file: "schemas/thing/v1.json")
        let schema = try compiler.compile("https://schemas.plantstream.dev/thing/v1.json")
        #expect(schema.isValid(["id": "M-01", "qty": ["value": "1.5", "uom": "KGM"]]))
        let violations = schema.validate(["id": "bad id", "qty": ["value": "1.5"]])
        #expect(
            violations.map(\.absoluteKeywordLocation).sorted() == [
                "https://schemas.plantstream.dev/common/v1.json#/$defs/Id/pattern",
                "https://schemas.plantstream.dev/common/v1.json#/$defs/Qty/required",
            ])
        #expect(compiler.resourceURIs.contains("https://schemas.plantstream.dev/common/v1.json"))
    }

    @Test(arguments: [
        (##"{"type": 1}"##, SchemasError.Code.invalidKeyword, "/type"),
        (##"{"properties": {"a": {"minLength": -1}}}"##, .invalidKeyword, "/properties/a/minLength"),
        (##"{"items": {"pattern": "(unclosed"}}"##, .invalidPattern, "/items/pattern"),
        (
            ##"{"$defs": {"x": {"$ref": "#/$defs/missing"}}, "$ref": "#/$defs/x"}"##, .unresolvedReference,
            "/$defs/x/$ref"
        ),
        (##"{"allOf": []}"##, .invalidKeyword, "/allOf"),
        (##"{"anyOf": [true, 3]}"##, .invalidKeyword, "/anyOf/1"),
        (##"{"pattern": "(?=a)"}"##, .invalidPattern, "/pattern"),
    ])
    func compileErrorsNameTheKeyword(schema: String, code: SchemasError.Code, pointer: String) throws {
        let compiler = SchemaCompiler()
        let value = try JSONValue(parsing: schema)
        do {
            _ = try compiler.compile(value, uri: "https://example.test/bad.json")
            Issue.record("compiled \(schema)")
        } catch {
            #expect(error.code == code)
            #expect(error.pointer == pointer)
            #expect(error.uri == "https://example.test/bad.json")
        }
    }

    @Test func malformedSchemaFilesReportLineAndColumn() {
        let compiler = SchemaCompiler()
        do {
            try compiler.addResource(
                json: Array("{\n  \"type\": }".utf8), uri: "https://x.test/a.json", file: "schemas/a.json")
            Issue.record("accepted malformed JSON")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.file == "schemas/a.json")
            #expect(error.message.hasPrefix("2:11:"))
        }
    }

    @Test func schemasAreValidatedAgainstTheMetaSchema() throws {
        let compiler = SchemaCompiler()
        let meta = try compiler.compile(SchemaCompiler.dialect202012)
        #expect(meta.isValid(try JSONValue(parsing: Self.order)))
        #expect(!meta.isValid(["type": "strnig"]))
        #expect(!meta.isValid(["properties": ["a": ["minLength": -1]]]))
    }

    @Test func formatAssertionIsConfigurable() throws {
        let asserting = try compileSchema(##"{"format": "uuid"}"##, formatAssertion: true)
        let annotating = try compileSchema(##"{"format": "uuid"}"##, formatAssertion: false)
        #expect(!asserting.isValid("not-a-uuid"))
        #expect(annotating.isValid("not-a-uuid"))
        #expect(asserting.isValid("018f6d1e-6f0a-7c3b-9d2e-0123456789ab"))
    }

    @Test func recursiveSchemasAndRefCyclesTerminate() throws {
        let tree = try compileSchema(
            ##"{"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#"}}}}"##)
        #expect(tree.isValid(["children": [["children": []], ["children": [["children": []]]]]]))
        #expect(!tree.isValid(["children": [["children": [1]]]]))
        // A reference cycle that never consumes input fails cleanly instead of overflowing the stack.
        let cycle = try compileSchema(
            ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##)
        #expect(!cycle.isValid(1))
        #expect(cycle.validate(1).contains { $0.message.contains("nested deeper") })
    }

    /// Fuzzer finding: a `$ref` cycle under `oneOf` never consumes input; where the depth guard cut it
    /// used to decide the result, so the fast and the detailed path disagreed. Now both fail.
    @Test func cyclesUnderCombinatorsFailConsistently() throws {
        let schema = try compileSchema(
            ##"{"$defs": {"two": {"allOf": [{"oneOf": [{"$ref": "#/$defs/two"}, {"required": ["y"]}]}]}}, "$ref": "#/$defs/two"}"##
        )
        for instance: JSONValue in [.null, 1, "x", [1], ["y": 1]] {
            #expect(!schema.isValid(instance))
            #expect(schema.validate(instance).contains { $0.message.contains("nested deeper") })
        }
    }

    @Test func deepDocumentsValidateOnTaskThreads() async throws {
        let tree = try compileSchema(
            ##"{"type": "object", "properties": {"c": {"type": "array", "items": {"$ref": "#"}}}, "unevaluatedProperties": false}"##
        )
        let cycle = try compileSchema(##"{"$defs": {"a": {"anyOf": [{"$ref": "#/$defs/a"}]}}, "$ref": "#/$defs/a"}"##)
        // 63 levels of {"c": [...]} = 126 nesting levels, just inside the reader's limit of 128.
        let deep = String(repeating: #"{"c": ["#, count: 63) + String(repeating: "]}", count: 63)
        let results = await Task.detached {
            try withInstance(deep) { root in (tree.isValid(root), tree.validate(root).isEmpty, cycle.isValid(root)) }
        }.result
        let (fast, detailed, cyclic) = try results.get()
        #expect(fast && detailed)
        #expect(!cyclic)
    }

    @Test func numbersCompareExactly() throws {
        let schema = try compileSchema(##"{"minimum": 0.1, "maximum": 1e3, "multipleOf": 0.05}"##)
        try withInstance("[0.1, 0.15, 1000, 1000.00, 0.09999999999999999999, 1000.0000000000000001, 0.33, 12]") {
            root in
            let results = root.elements.map { schema.isValid($0) }
            #expect(results == [true, true, true, true, false, false, false, true])
        }
        let integer = try compileSchema(##"{"type": "integer"}"##)
        #expect(integer.isValid(try JSONValue(parsing: "1.0")))
        #expect(integer.isValid(try JSONValue(parsing: "12345678901234567890123")))
        #expect(!integer.isValid(try JSONValue(parsing: "1.5")))
    }

    @Test func failedAlternativesSayWhyEachBranchFailed() throws {
        let schema = try compileSchema(
            ##"{"properties": {"qty": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]},"##
                + ##""unit": {"oneOf": [{"const": "KGM"}, {"const": "PCE"}, {"const": "MTR"}, {"const": "LTR"}]}}}"##)
        try withInstance(##"{"qty": "12a", "unit": "BOX"}"##) { root in
            let messages = schema.validate(root).map(\.description)
            #expect(
                messages.contains {
                    $0.hasPrefix(
                        "/qty: does not match any of the 2 alternatives: [0] /qty: expected integer, got string; "
                            + "[1] /qty: '12a' does not match ^[0-9]+$ ")
                        && $0.hasSuffix("(anyOf at https://example.test/schema.json#/properties/qty/anyOf)")
                }, "\(messages)")
            #expect(
                messages.contains {
                    $0.hasPrefix("/unit: does not match any of the 4 alternatives: [0] /unit: ")
                        && $0.contains("; [2] ")
                        && $0.contains("; …")
                }, "\(messages)")
        }
    }

    @Test func controlCharactersStayOnOneLine() throws {
        let schema = try compileSchema(##"{"properties": {"lot": {"enum": ["A"]}}}"##)
        try withInstance(##"{"lot": "a\nb\u001b"}"##) { root in
            let text = schema.validate(root).map(\.description).joined()
            #expect(!text.contains("\n") && !text.contains("\u{1B}"))
            #expect(text.contains("a\\nb\\u001B"), "\(text)")
        }
    }

    @Test(arguments: [
        ("mes://plant/DE01/line/L4", true), ("urn:isbn:0451450523", true), ("../schemas/v1.json#/$defs/Qty", true),
        ("#fragment", true), ("", true), ("http://[2001:db8::1]:8080/a?b=c#d", true), ("//host/path", true),
        ("a b", false), ("1plant:x", false), ("http://host/%zz", false), ("http://host:80a/", false),
        ("\\\\server\\share", false), ("http://[::1/", false), ("mes://plant/Ä", false),
    ])
    func uriReferencesFollowRFC3986(text: String, valid: Bool) throws {
        let schema = try compileSchema(##"{"format": "uri-reference"}"##)
        var writer = JSONWriter()
        writer.string(text)
        try withInstance(String(decoding: writer.bytes, as: UTF8.self)) { root in
            #expect(schema.isValid(root) == valid, "\(text)")
            #expect(schema.validate(root).isEmpty == valid, "\(text)")
        }
    }

    @Test func aURINeedsAScheme() throws {
        let schema = try compileSchema(##"{"format": "uri"}"##)
        try withInstance(##""mes://plant/DE01""##) { #expect(schema.isValid($0)) }
        try withInstance(##""/plant/DE01""##) { #expect(!schema.isValid($0)) }
    }
}
