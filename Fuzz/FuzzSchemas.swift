// Schemas the fuzz target validates against: the bench stand-in catalogue and one schema that uses
// every applicator (unevaluated*, $dynamicRef, contains, dependentSchemas, if/then/else, patterns).
enum FuzzSchemas {
    static let resources: [(String, String)] =
        BenchSchemas.resources + [("https://schemas.plantstream.dev/kitchen-sink/v1.json", kitchenSink)]

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
