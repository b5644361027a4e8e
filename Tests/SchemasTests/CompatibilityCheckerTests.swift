import JSON
import Testing

@testable import Schemas

@Suite struct CompatibilityCheckerTests {
    private func value(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }

    @Test func anythingCanBecomeTheEmptySchema() throws {
        let differences = CompatibilityChecker.differences(
            from: try value(#"{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}"#),
            to: try value("{}"))
        #expect(differences.allSatisfy { $0.isCompatible })
    }

    @Test func falseSchemasFollowConfluent() throws {
        // Nothing was ever written with `false`: any reader is fine; a `false` reader rejects everything.
        #expect(CompatibilityChecker.differences(from: .bool(false), to: try value(#"{"type":"string"}"#)).isEmpty)
        let narrowed = CompatibilityChecker.differences(from: try value(#"{"type":"string"}"#), to: .bool(false))
        #expect(narrowed == [SchemaDifference(kind: .typeChanged, pointer: "#")])
    }

    @Test func identicalSchemasHaveNoDifferences() throws {
        let schema = try value(
            #"{"type":"object","properties":{"a":{"anyOf":[{"type":"string"},{"type":"null"}]}},"additionalProperties":false}"#
        )
        #expect(CompatibilityChecker.differences(from: schema, to: schema).isEmpty)
    }

    @Test func referencesResolveAcrossDocumentsAndReportWhereTheyAreUsed() throws {
        let checker = CompatibilityChecker(documents: [
            "https://x.test/common/v1.json": try value(#"{"$defs":{"Code":{"type":"string","maxLength":4}}}"#),
            "https://x.test/common/v2.json": try value(#"{"$defs":{"Code":{"type":"string","maxLength":2}}}"#),
            "https://x.test/t/v1.json": try value(
                #"{"type":"object","properties":{"code":{"$ref":"../common/v1.json#/$defs/Code"}}}"#),
            "https://x.test/t/v2.json": try value(
                #"{"type":"object","properties":{"code":{"$ref":"../common/v2.json#/$defs/Code"}}}"#),
        ])
        let differences = checker.differences(from: "https://x.test/t/v1.json", to: "https://x.test/t/v2.json")
        #expect(differences == [SchemaDifference(kind: .maxLengthDecreased, pointer: "#/properties/code/maxLength")])
    }

    @Test func unresolvedReferencesAreIncompatible() throws {
        let differences = CompatibilityChecker.differences(
            from: try value(#"{"properties":{"a":{"type":"string"}}}"#),
            to: try value(##"{"properties":{"a":{"$ref":"#/$defs/Missing"}}}"##))
        #expect(differences == [SchemaDifference(kind: .referenceUnresolved, pointer: "#/properties/a")])
        #expect(!SchemaDifference.Kind.referenceUnresolved.isCompatible)
    }

    @Test func recursiveSchemasTerminate() throws {
        func tree(_ nameLimit: String) -> String {
            ##"{"$defs":{"node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/$defs/node"}},"##
                + #""name":{"type":"string""# + nameLimit + "}}}},"
                + ##""$ref":"#/$defs/node"}"##
        }
        let differences = CompatibilityChecker.differences(
            from: try value(tree("")), to: try value(tree(#","maxLength":3"#)))
        #expect(differences.contains(SchemaDifference(kind: .maxLengthAdded, pointer: "#/properties/name/maxLength")))
    }

    @Test func ignoredPointersAreNotCompared() throws {
        let checker = CompatibilityChecker(documents: [
            "urn:v1": try value(#"{"properties":{"schemaVersion":{"const":1},"x":{"type":"string"}}}"#),
            "urn:v2": try value(#"{"properties":{"schemaVersion":{"const":2},"x":{"type":"string"}}}"#),
        ])
        #expect(!checker.differences(from: "urn:v1", to: "urn:v2").isEmpty)
        #expect(
            checker.differences(from: "urn:v1", to: "urn:v2", ignoring: ["#/properties/schemaVersion"]).isEmpty)
    }

    @Test func definitionsAreComparedByName() throws {
        let checker = CompatibilityChecker(documents: [
            "urn:d1": try value(#"{"$defs":{"A":{"type":"string"},"B":{"type":"integer"}}}"#),
            "urn:d2": try value(#"{"$defs":{"A":{"type":"string","maxLength":3},"C":{"type":"integer"}}}"#),
        ])
        let differences = checker.differences(from: "urn:d1", to: "urn:d2", scope: .definitions)
        #expect(
            differences == [
                SchemaDifference(kind: .maxLengthAdded, pointer: "#/$defs/A/maxLength"),
                SchemaDifference(kind: .definitionRemoved, pointer: "#/$defs/B"),
            ])
        // Adding a definition is never a difference.
        #expect(checker.differences(from: "urn:d1", to: "urn:d1", scope: .definitions).isEmpty)
    }

    /// v1 → v2 adds an optional property (backward only), v2 → v3 removes a property from the
    /// closed model that v1 did not have either.
    private func threeVersions() throws -> CompatibilityChecker {
        try CompatibilityChecker(documents: [
            "urn:v1": value(#"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#),
            "urn:v2": value(
                #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false}"#
            ),
            "urn:v3": value(
                #"{"type":"object","properties":{"a":{"type":"string"},"c":{"type":"string"}},"additionalProperties":false}"#
            ),
        ])
    }

    @Test(arguments: [
        (CompatibilityMode.backward, 1), (.backwardTransitive, 1), (.forward, 1), (.forwardTransitive, 2),
        (.full, 2), (.fullTransitive, 3), (.none, 0),
    ])
    func modesCheckTheRightVersions(_ mode: CompatibilityMode, _ expectedIssues: Int) throws {
        let checker = try threeVersions()
        let issues = checker.check(mode, version: "urn:v3", earlier: ["urn:v1", "urn:v2"])
        // Against v2: backward breaks (v3's closed model lacks b), forward breaks (v2's lacks c).
        // Against v1: backward is fine (c is an optional addition), forward breaks (v1's lacks c).
        #expect(issues.count == expectedIssues, "\(issues)")
        #expect(issues.allSatisfy { !$0.difference.isCompatible })
        if mode == .backward {
            #expect(
                issues == [
                    CompatibilityIssue(
                        difference: SchemaDifference(
                            kind: .propertyRemovedFromClosedContentModel, pointer: "#/properties/b"),
                        direction: .backward, against: "urn:v2")
                ])
        }
    }

    @Test func modeNamesMatchSubjectFiles() {
        #expect(
            CompatibilityMode.allCases.map(\.rawValue) == [
                "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE", "NONE",
            ])
        #expect(CompatibilityMode.default == .backward)
    }
}
