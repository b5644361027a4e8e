import Foundation

// Schemas the fuzz target validates against: the real catalogue in schemas/ (run.sh runs from the
// package root) and one schema that uses every applicator (unevaluated*, $dynamicRef, contains,
// dependentSchemas, if/then/else, patterns).
enum FuzzSchemas {
    static let base = "https://schemas.plantstream.dev/"

    /// `(uri, json)` of every `schemas/<type>/v<N>.json` plus the kitchen sink.
    static let resources: [(String, [UInt8])] = {
        var resources = [(base + "kitchen-sink/v1.json", Array(kitchenSink.utf8))]
        let files = FileManager.default.enumerator(atPath: "schemas")?.compactMap { $0 as? String } ?? []
        for file in files.sorted() where file.hasSuffix(".json") && !file.contains("examples/") {
            guard let data = FileManager.default.contents(atPath: "schemas/" + file) else { continue }
            resources.append((base + file, Array(data)))
        }
        return resources
    }()

    /// The schemas validated against each input: the benchmarked event types, the envelope, a few
    /// catalogue schemas with combinators, and the kitchen sink.
    static let validated = [
        "machine.cycle/v2.json", "machine.cycle/v1.json", "operation.reported/v1.json", "mfg.envelope/v1.json",
        "inspection.result/v1.json", "erp.exception/v1.json", "kitchen-sink/v1.json",
    ].map { base + $0 }

    static let kitchenSink = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.plantstream.dev/kitchen-sink/v1.json",
          "$dynamicAnchor": "node",
          "type": ["object", "array", "string", "number", "boolean", "null"],
          "properties": {
            "a": {"type": "integer", "minimum": -5, "exclusiveMaximum": 1e20, "multipleOf": 0.5},
            "s": {"type": "string", "pattern": "^(ab|c[d-f]+)*\\d{0,3}$", "format": "date-time", "maxLength": 40},
            "u": {"format": "uuid"}, "e": {"format": "email"}, "h": {"format": "hostname"},
            "i4": {"format": "ipv4"}, "i6": {"format": "ipv6"}, "d": {"format": "date"}, "t": {"format": "time"},
            "arr": {
              "type": "array",
              "prefixItems": [{"type": "string"}, {"const": {"k": [1, 2.0]}}],
              "contains": {"enum": [1, "x", null, {"z": true}]},
              "minContains": 0,
              "maxContains": 3,
              "uniqueItems": true,
              "unevaluatedItems": {"$dynamicRef": "#node"}
            },
            "tree": {"$ref": "#"}
          },
          "patternProperties": {"^p[0-9]+$": {"type": "number"}, "é+": false},
          "propertyNames": {"maxLength": 20, "pattern": "^[^\\s]*$"},
          "dependentRequired": {"a": ["s"]},
          "dependentSchemas": {"x": {"required": ["y"]}},
          "if": {"required": ["kind"]},
          "then": {"properties": {"kind": {"enum": ["A", "B"]}}},
          "else": {"minProperties": 0},
          "anyOf": [{"type": "object"}, {"type": "array"}, true],
          "oneOf": [{"type": "object"}, {"not": {"type": "object"}}],
          "unevaluatedProperties": {"type": ["string", "number", "object", "array", "boolean", "null"]}
        }
        """#
}
