import JSON
import Testing

@testable import Schemas

/// Conventions of the canonical catalogue that JSON Schema itself does not enforce.
@Suite struct CatalogueConventionTests {
    private static let registry = SchemaRegistryTests.registry

    private static func documents(_ kind: SubjectDefinition.Kind) -> [RegisteredSchema] {
        registry.subjects.filter { $0.definition.kind == kind }.flatMap(\.versions)
    }

    @Test func eventsReferenceEveryEnvelopeFieldInsteadOfCopyingIt() throws {
        let envelope = try Self.registry.schema(named: "mfg.envelope/v1").document
        let fields = try #require(envelope["properties"]?.objectValue?.keys)
        for event in Self.documents(.event) {
            let properties = try #require(event.document["properties"]?.objectValue, "\(event.id)")
            #expect(properties.keys == fields, "\(event.id) lists other envelope fields")
            for field in fields where !["type", "schemaVersion", "data"].contains(field) {
                #expect(
                    properties[field]
                        == .object(
                            JSONObject([.init(key: "$ref", value: .string("../mfg.envelope/v1.json#/$defs/\(field)"))])),
                    "\(event.id) /properties/\(field)")
            }
            #expect(event.document["$ref"] == "../mfg.envelope/v1.json#/$defs/rules", "\(event.id)")
            #expect(properties["type"] == ["const": .string(event.id.type)])
            #expect(properties["data"]?["properties"]?["ext"] == ["$ref": "../mfg.common/v1.json#/$defs/Ext"])
        }
    }

    @Test func equipmentIsRequiredWhereTheDomainSaysSo() throws {
        for event in Self.documents(.event) {
            let required = event.document["required"]?.arrayValue ?? []
            let needsEquipment = ["machine.", "operation.", "downtime."].contains { event.id.type.hasPrefix($0) }
            #expect(required.contains("equipment") == needsEquipment, "\(event.id)")
        }
    }

    @Test func transactionsReferenceTheCommonHeader() throws {
        let header = [
            "txnId", "idempotencyKey", "targetSystem", "plantId", "postingDate", "documentDate", "createdAt", "window",
            "sources", "reversalOfTxnId", "correlationId", "lineage",
        ]
        for transaction in Self.documents(.transaction) {
            let properties = try #require(transaction.document["properties"]?.objectValue)
            for field in header {
                #expect(
                    properties[field] == ["$ref": .string("../erp.common/v1.json#/$defs/\(field)")],
                    "\(transaction.id) \(field)")
            }
            let required = transaction.document["required"]?.arrayValue ?? []
            for field in header where !["window", "reversalOfTxnId"].contains(field) {
                #expect(required.contains(.string(field)), "\(transaction.id) must require \(field)")
            }
            #expect(properties["txnType"]?["const"] != nil, "\(transaction.id)")
        }
    }

    @Test func onlyDefinitionSubjectsDefineSharedTypes() {
        for subject in Self.registry.subjects where subject.definition.kind != .definitions {
            for version in subject.versions {
                #expect(version.document["$defs"] == nil, "\(version.id) has its own $defs")
            }
        }
    }

    /// Walks the structural subschemas (not conditions) and checks every object model is closed.
    private static func openObjects(_ value: JSONValue, _ pointer: String, into found: inout [String]) {
        guard case .object(let object) = value else { return }
        if object["properties"] != nil && object["$ref"] == nil && object["additionalProperties"] != .bool(false) {
            found.append(pointer)
        }
        for keyword in ["properties", "$defs"] {
            for member in object[keyword]?.objectValue ?? JSONObject() {
                openObjects(member.value, pointer + "/\(keyword)/" + member.key, into: &found)
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            for (index, element) in (object[keyword]?.arrayValue ?? []).enumerated() {
                openObjects(element, pointer + "/\(keyword)/\(index)", into: &found)
            }
        }
        if let items = object["items"] { openObjects(items, pointer + "/items", into: &found) }
    }

    @Test func contentModelsAreClosed() {
        for subject in Self.registry.subjects {
            for version in subject.versions {
                var open: [String] = []
                Self.openObjects(version.document, "", into: &open)
                #expect(open.isEmpty, "\(version.id): open objects at \(open)")
            }
        }
    }

    @Test func theOnlyOpenObjectsAreExtensionsAndTheGenericEnvelopeData() throws {
        var objectsWithoutProperties: [String] = []
        for subject in Self.registry.subjects {
            for version in subject.versions {
                func walk(_ value: JSONValue, _ pointer: String) {
                    guard case .object(let object) = value else { return }
                    if object["type"] == "object" && object["properties"] == nil && object["$ref"] == nil {
                        objectsWithoutProperties.append("\(version.id)\(pointer)")
                    }
                    for member in object where member.key != "enum" && member.key != "const" {
                        if case .object = member.value { walk(member.value, pointer + "/" + member.key) }
                        if case .array(let elements) = member.value {
                            for (index, element) in elements.enumerated() {
                                walk(element, pointer + "/\(member.key)/\(index)")
                            }
                        }
                    }
                }
                walk(version.document, "")
            }
        }
        // A Sparkplug B metric's properties are whatever its edge node declares.
        #expect(
            objectsWithoutProperties.sorted() == [
                "mfg.common/v1/$defs/Ext", "mfg.envelope/v1/properties/data",
                "sparkplug.metric/v1/properties/properties",
            ])
    }

    @Test func machineCycleEvolvesCompatibly() throws {
        let subject = try #require(Self.registry.subject(named: "machine.cycle"))
        #expect(subject.versions.count == 2)
        #expect(subject.definition.compatibility == .backward)
        #expect(subject.upcaster.rules(from: 1) == [.add(UpcastPath("/data/reworkCount")!, default: 0)])
        let checker = CompatibilityChecker(documents: Self.registry.documents)
        let differences = checker.differences(
            from: subject.versions[0].uri, to: subject.versions[1].uri, ignoring: CatalogCheck.ignoredPointers)
        #expect(
            differences.contains(
                SchemaDifference(
                    kind: .requiredPropertyWithDefaultAddedToUnopenContentModel,
                    pointer: "#/properties/data/properties/reworkCount")))
        #expect(differences.allSatisfy { $0.isCompatible })
        // Without the version discriminator excluded, the schemaVersion const is a narrowing.
        #expect(
            checker.differences(from: subject.versions[0].uri, to: subject.versions[1].uri).contains(
                SchemaDifference(kind: .enumArrayChanged, pointer: "#/properties/schemaVersion/const")))
    }
}
