/// Stand-in catalogue schemas for `bench validate` (from domain.md §2.1–2.3), used when no
/// `schemas/` folder is given: a shared-definitions resource, the envelope and two event types,
/// with cross-file `$ref`s and closed content models, exactly as the registry lays them out.
enum BenchSchemas {
    static let base = "https://schemas.plantstream.dev/"

    /// `(uri, json)` pairs of every stand-in resource.
    static let resources: [(String, String)] = [
        (base + "common/v1.json", common),
        (base + "envelope/v1.json", envelope),
        (base + "machine.cycle/v1.json", machineCycle),
        (base + "operation.reported/v1.json", operationReported),
    ]

    static let common = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.plantstream.dev/common/v1.json",
          "title": "Shared definitions",
          "$defs": {
            "Id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "^[A-Za-z0-9._:/-]+$"},
            "Ts": {"type": "string", "format": "date-time"},
            "LocalDate": {"type": "string", "format": "date"},
            "Dec": {"type": "string", "pattern": "^-?\\d{1,15}(\\.\\d{1,6})?$"},
            "NonNegativeDec": {"type": "string", "pattern": "^\\d{1,15}(\\.\\d{1,6})?$"},
            "Uom": {"type": "string", "pattern": "^[A-Z0-9]{2,3}$"},
            "Qty": {
              "type": "object",
              "required": ["value", "uom"],
              "additionalProperties": false,
              "properties": {
                "value": {"$ref": "#/$defs/NonNegativeDec"},
                "uom": {"$ref": "#/$defs/Uom"}
              }
            },
            "Interval": {
              "type": "object",
              "required": ["start", "end"],
              "additionalProperties": false,
              "properties": {"start": {"$ref": "#/$defs/Ts"}, "end": {"$ref": "#/$defs/Ts"}}
            },
            "EquipmentRef": {
              "type": "object",
              "required": ["enterpriseId", "siteId", "areaId", "lineId", "equipmentId"],
              "additionalProperties": false,
              "properties": {
                "enterpriseId": {"$ref": "#/$defs/Id"},
                "siteId": {"$ref": "#/$defs/Id"},
                "areaId": {"$ref": "#/$defs/Id"},
                "lineId": {"$ref": "#/$defs/Id"},
                "workCellId": {"$ref": "#/$defs/Id"},
                "equipmentId": {"$ref": "#/$defs/Id"}
              }
            },
            "Reason": {
              "type": "object",
              "required": ["code", "codeSet"],
              "additionalProperties": false,
              "properties": {
                "code": {"$ref": "#/$defs/Id"},
                "codeSet": {"$ref": "#/$defs/Id"},
                "text": {"type": "string", "maxLength": 80}
              }
            }
          }
        }
        """#

    static let envelope = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.plantstream.dev/envelope/v1.json",
          "title": "Canonical event envelope",
          "type": "object",
          "required": ["specVersion", "eventId", "type", "schemaVersion", "source", "occurredAt", "ingestedAt",
                       "plantId", "data"],
          "properties": {
            "specVersion": {"const": "mfg/1.0"},
            "eventId": {"type": "string", "format": "uuid"},
            "type": {"$ref": "../common/v1.json#/$defs/Id"},
            "schemaVersion": {"type": "integer", "minimum": 1},
            "source": {"type": "string", "minLength": 1, "maxLength": 256},
            "sourceEventId": {"type": "string", "maxLength": 128},
            "sourceSeq": {"type": "integer", "minimum": 0},
            "occurredAt": {"$ref": "../common/v1.json#/$defs/Ts"},
            "ingestedAt": {"$ref": "../common/v1.json#/$defs/Ts"},
            "plantId": {"$ref": "../common/v1.json#/$defs/Id"},
            "equipment": {"$ref": "../common/v1.json#/$defs/EquipmentRef"},
            "subject": {"type": "string", "maxLength": 256},
            "correlationId": {"$ref": "../common/v1.json#/$defs/Id"},
            "causationId": {"type": "string", "format": "uuid"},
            "isCorrection": {"type": "boolean"},
            "reversalOfEventId": {"type": "string", "format": "uuid"},
            "data": {"type": "object"}
          }
        }
        """#

    static let machineCycle = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.plantstream.dev/machine.cycle/v1.json",
          "title": "E3 machine.cycle",
          "$ref": "../envelope/v1.json",
          "required": ["equipment"],
          "properties": {
            "type": {"const": "machine.cycle"},
            "schemaVersion": {"const": 1},
            "data": {
              "type": "object",
              "required": ["cycleId", "totalCount", "goodCount", "cycleTimeMs"],
              "additionalProperties": false,
              "properties": {
                "cycleId": {"$ref": "../common/v1.json#/$defs/Id"},
                "totalCount": {"type": "integer", "minimum": 0},
                "goodCount": {"type": "integer", "minimum": 0},
                "cycleTimeMs": {"type": "integer", "minimum": 0},
                "orderId": {"$ref": "../common/v1.json#/$defs/Id"},
                "operationId": {"type": "string", "pattern": "^\\d{4}$"},
                "materialId": {"$ref": "../common/v1.json#/$defs/Id"}
              }
            }
          },
          "unevaluatedProperties": false
        }
        """#

    static let operationReported = #"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "https://schemas.plantstream.dev/operation.reported/v1.json",
          "title": "E5 operation.reported",
          "$ref": "../envelope/v1.json",
          "required": ["equipment"],
          "properties": {
            "type": {"const": "operation.reported"},
            "schemaVersion": {"const": 1},
            "data": {
              "type": "object",
              "required": ["orderId", "operationId", "sequenceId", "workCenterId", "interval", "yield", "scrap",
                           "rework", "activities"],
              "additionalProperties": false,
              "properties": {
                "orderId": {"$ref": "../common/v1.json#/$defs/Id"},
                "operationId": {"type": "string", "pattern": "^\\d{4}$"},
                "sequenceId": {"$ref": "../common/v1.json#/$defs/Id"},
                "workCenterId": {"$ref": "../common/v1.json#/$defs/Id"},
                "interval": {"$ref": "../common/v1.json#/$defs/Interval"},
                "yield": {"$ref": "../common/v1.json#/$defs/Qty"},
                "scrap": {"$ref": "../common/v1.json#/$defs/Qty"},
                "rework": {"$ref": "../common/v1.json#/$defs/Qty"},
                "scrapReason": {"$ref": "../common/v1.json#/$defs/Reason"},
                "activities": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": ["activityKey", "duration"],
                    "additionalProperties": false,
                    "properties": {
                      "activityKey": {"enum": ["SETUP", "MACHINE", "LABOR", "OTHER1", "OTHER2", "OTHER3"]},
                      "duration": {
                        "allOf": [
                          {"$ref": "../common/v1.json#/$defs/Qty"},
                          {"properties": {"uom": {"enum": ["MIN", "HUR", "SEC"]}}}
                        ]
                      }
                    }
                  }
                },
                "personnelIds": {"type": "array", "items": {"$ref": "../common/v1.json#/$defs/Id"}}
              }
            }
          },
          "unevaluatedProperties": false
        }
        """#
}
