import JSON
import Testing

@testable import Schemas

/// One change, seen in both directions: original → update yields `kind` at `pointer`; update →
/// original yields `mirror` at `mirrorPointer`.
struct CompatibilityCase: CustomTestStringConvertible, Sendable {
    var original: String
    var update: String
    var kind: SchemaDifference.Kind
    var pointer: String
    var mirror: SchemaDifference.Kind
    var mirrorPointer: String

    init(
        _ original: String, _ update: String, _ kind: SchemaDifference.Kind, at pointer: String,
        mirror: SchemaDifference.Kind, at mirrorPointer: String? = nil
    ) {
        self.original = original
        self.update = update
        self.kind = kind
        self.pointer = pointer
        self.mirror = mirror
        self.mirrorPointer = mirrorPointer ?? pointer
    }

    var testDescription: String { "\(kind.rawValue) / \(mirror.rawValue)" }
}

private let closedAB = #"{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":false}"#

/// Every rule, as an original/update pair; the mirror is the same pair read the other way round.
let compatibilityCases: [CompatibilityCase] = [
    // Annotations.
    .init(
        #"{"$id":"urn:a","type":"string"}"#, #"{"$id":"urn:b","type":"string"}"#, .idChanged, at: "#",
        mirror: .idChanged),
    .init(
        #"{"type":"string","title":"A"}"#, #"{"type":"string","title":"B"}"#, .titleChanged, at: "#",
        mirror: .titleChanged),
    .init(
        #"{"type":"string","description":"A"}"#, #"{"type":"string","description":"B"}"#, .descriptionChanged,
        at: "#", mirror: .descriptionChanged),
    .init(
        #"{"type":"string","default":"a"}"#, #"{"type":"string","default":"b"}"#, .defaultChanged, at: "#",
        mirror: .defaultChanged),
    // Whole schemas and types.
    .init(
        #"{"type":"array"}"#, #"{"type":"array","contains":{"type":"string"}}"#, .schemaAdded, at: "#/contains",
        mirror: .schemaRemoved),
    .init(#"{"type":"integer"}"#, #"{"type":"number"}"#, .typeExtended, at: "#/type", mirror: .typeNarrowed),
    .init(#"{"type":"string"}"#, #"{"type":["string","null"]}"#, .typeExtended, at: "#/type", mirror: .typeNarrowed),
    .init(#"{"type":"string"}"#, #"{"type":"integer"}"#, .typeChanged, at: "#/type", mirror: .typeChanged),
    // Strings.
    .init(
        #"{"type":"string"}"#, #"{"type":"string","maxLength":4}"#, .maxLengthAdded, at: "#/maxLength",
        mirror: .maxLengthRemoved),
    .init(
        #"{"type":"string","maxLength":4}"#, #"{"type":"string","maxLength":8}"#, .maxLengthIncreased,
        at: "#/maxLength", mirror: .maxLengthDecreased),
    .init(
        #"{"type":"string"}"#, #"{"type":"string","minLength":1}"#, .minLengthAdded, at: "#/minLength",
        mirror: .minLengthRemoved),
    .init(
        #"{"type":"string","minLength":1}"#, #"{"type":"string","minLength":2}"#, .minLengthIncreased,
        at: "#/minLength", mirror: .minLengthDecreased),
    .init(
        #"{"type":"string"}"#, #"{"type":"string","pattern":"^a"}"#, .patternAdded, at: "#/pattern",
        mirror: .patternRemoved),
    .init(
        #"{"type":"string","pattern":"^a"}"#, #"{"type":"string","pattern":"^b"}"#, .patternChanged,
        at: "#/pattern", mirror: .patternChanged),
    .init(
        #"{"type":"string"}"#, #"{"type":"string","format":"date"}"#, .formatAdded, at: "#/format",
        mirror: .formatRemoved),
    .init(
        #"{"type":"string","format":"date"}"#, #"{"type":"string","format":"date-time"}"#, .formatChanged,
        at: "#/format", mirror: .formatChanged),
    // Numbers.
    .init(
        #"{"type":"number"}"#, #"{"type":"number","maximum":10}"#, .maximumAdded, at: "#/maximum",
        mirror: .maximumRemoved),
    .init(
        #"{"type":"number","maximum":10}"#, #"{"type":"number","maximum":10.5}"#, .maximumIncreased,
        at: "#/maximum", mirror: .maximumDecreased),
    .init(
        #"{"type":"number"}"#, #"{"type":"number","minimum":0}"#, .minimumAdded, at: "#/minimum",
        mirror: .minimumRemoved),
    .init(
        #"{"type":"number","minimum":0}"#, #"{"type":"number","minimum":1}"#, .minimumIncreased, at: "#/minimum",
        mirror: .minimumDecreased),
    .init(
        #"{"type":"number"}"#, #"{"type":"number","exclusiveMaximum":10}"#, .exclusiveMaximumAdded,
        at: "#/exclusiveMaximum", mirror: .exclusiveMaximumRemoved),
    .init(
        #"{"type":"number","exclusiveMaximum":10}"#, #"{"type":"number","exclusiveMaximum":11}"#,
        .exclusiveMaximumIncreased, at: "#/exclusiveMaximum", mirror: .exclusiveMaximumDecreased),
    .init(
        #"{"type":"number"}"#, #"{"type":"number","exclusiveMinimum":0}"#, .exclusiveMinimumAdded,
        at: "#/exclusiveMinimum", mirror: .exclusiveMinimumRemoved),
    .init(
        #"{"type":"number","exclusiveMinimum":0}"#, #"{"type":"number","exclusiveMinimum":1}"#,
        .exclusiveMinimumIncreased, at: "#/exclusiveMinimum", mirror: .exclusiveMinimumDecreased),
    .init(
        #"{"type":"number"}"#, #"{"type":"number","multipleOf":2}"#, .multipleOfAdded, at: "#/multipleOf",
        mirror: .multipleOfRemoved),
    .init(
        #"{"type":"number","multipleOf":0.5}"#, #"{"type":"number","multipleOf":1.5}"#, .multipleOfExpanded,
        at: "#/multipleOf", mirror: .multipleOfReduced),
    .init(
        #"{"type":"number","multipleOf":2}"#, #"{"type":"number","multipleOf":3}"#, .multipleOfChanged,
        at: "#/multipleOf", mirror: .multipleOfChanged),
    // Required.
    .init(
        #"{"properties":{"a":{"type":"string"}}}"#, #"{"properties":{"a":{"type":"string"}},"required":["a"]}"#,
        .requiredAttributeAdded, at: "#/required/a", mirror: .requiredAttributeRemoved),
    .init(
        #"{"properties":{"a":{"type":"string"}}}"#,
        #"{"properties":{"a":{"type":"string","default":"x"}},"required":["a"]}"#,
        .requiredAttributeWithDefaultAdded, at: "#/required/a", mirror: .requiredAttributeRemoved),
    .init(
        #"{"type":"object"}"#, #"{"type":"object","required":["z"]}"#, .requiredAttributeAdded, at: "#/required/z",
        mirror: .requiredAttributeRemoved),
    // Object size.
    .init(
        #"{"type":"object"}"#, #"{"type":"object","maxProperties":3}"#, .maxPropertiesAdded, at: "#/maxProperties",
        mirror: .maxPropertiesRemoved),
    .init(
        #"{"type":"object","maxProperties":3}"#, #"{"type":"object","maxProperties":4}"#, .maxPropertiesIncreased,
        at: "#/maxProperties", mirror: .maxPropertiesDecreased),
    .init(
        #"{"type":"object"}"#, #"{"type":"object","minProperties":1}"#, .minPropertiesAdded, at: "#/minProperties",
        mirror: .minPropertiesRemoved),
    .init(
        #"{"type":"object","minProperties":1}"#, #"{"type":"object","minProperties":2}"#, .minPropertiesIncreased,
        at: "#/minProperties", mirror: .minPropertiesDecreased),
    // additionalProperties / unevaluatedProperties.
    .init(
        #"{"type":"object","additionalProperties":false}"#, #"{"type":"object"}"#, .additionalPropertiesAdded,
        at: "#/additionalProperties", mirror: .additionalPropertiesRemoved),
    .init(
        #"{"type":"object","additionalProperties":{"type":"string"}}"#, #"{"type":"object"}"#,
        .additionalPropertiesExtended, at: "#/additionalProperties", mirror: .additionalPropertiesNarrowed),
    .init(
        #"{"type":"object","additionalProperties":{"type":"integer"}}"#,
        #"{"type":"object","additionalProperties":{"type":"number"}}"#, .typeExtended,
        at: "#/additionalProperties/type", mirror: .typeNarrowed),
    .init(
        #"{"type":"object","unevaluatedProperties":false}"#, #"{"type":"object"}"#, .unevaluatedPropertiesAdded,
        at: "#/unevaluatedProperties", mirror: .unevaluatedPropertiesRemoved),
    .init(
        #"{"type":"object","unevaluatedProperties":{"type":"string"}}"#, #"{"type":"object"}"#,
        .unevaluatedPropertiesExtended, at: "#/unevaluatedProperties", mirror: .unevaluatedPropertiesNarrowed),
    // Dependencies.
    .init(
        #"{"type":"object"}"#, #"{"type":"object","dependentRequired":{"a":["b"]}}"#, .dependencyArrayAdded,
        at: "#/dependentRequired/a", mirror: .dependencyArrayRemoved),
    .init(
        #"{"type":"object","dependentRequired":{"a":["b"]}}"#,
        #"{"type":"object","dependentRequired":{"a":["b","c"]}}"#, .dependencyArrayExtended,
        at: "#/dependentRequired/a", mirror: .dependencyArrayNarrowed),
    .init(
        #"{"type":"object","dependentRequired":{"a":["b"]}}"#, #"{"type":"object","dependentRequired":{"a":["c"]}}"#,
        .dependencyArrayChanged, at: "#/dependentRequired/a", mirror: .dependencyArrayChanged),
    .init(
        #"{"type":"object"}"#, #"{"type":"object","dependentSchemas":{"a":{"required":["b"]}}}"#,
        .dependencySchemaAdded, at: "#/dependentSchemas/a", mirror: .dependencySchemaRemoved),
    // Properties and content models.
    .init(
        #"{"properties":{"a":{"type":"string"}}}"#, #"{"properties":{"a":{"type":"string"},"b":{"type":"string"}}}"#,
        .optionalPropertyAddedToOpenContentModel, at: "#/properties/b", mirror: .propertyRemovedFromOpenContentModel),
    .init(
        #"{"properties":{"a":{"type":"string"}}}"#,
        #"{"properties":{"a":{"type":"string"},"b":{"type":"string"}},"required":["b"]}"#,
        .requiredPropertyAddedToOpenContentModel, at: "#/properties/b",
        mirror: .propertyRemovedFromOpenContentModel),
    .init(
        #"{"properties":{"a":{"type":"string"}}}"#,
        #"{"properties":{"a":{"type":"string"},"b":{"type":"string","default":"x"}},"required":["b"]}"#,
        .requiredPropertyWithDefaultAddedToOpenContentModel, at: "#/properties/b",
        mirror: .propertyRemovedFromOpenContentModel),
    .init(
        #"{"properties":{"a":{"type":"string"}}}"#, #"{"properties":{"a":{"type":"string"},"b":{}}}"#,
        .propertyWithEmptySchemaAddedToOpenContentModel, at: "#/properties/b",
        mirror: .propertyRemovedFromOpenContentModel),
    .init(
        closedAB,
        #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":false}"#,
        .optionalPropertyAddedToUnopenContentModel, at: "#/properties/b",
        mirror: .propertyRemovedFromClosedContentModel),
    .init(
        closedAB,
        #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}},"required":["b"],"additionalProperties":false}"#,
        .requiredPropertyAddedToUnopenContentModel, at: "#/properties/b",
        mirror: .propertyRemovedFromClosedContentModel),
    .init(
        closedAB,
        #"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"integer","default":0}},"required":["b"],"additionalProperties":false}"#,
        .requiredPropertyWithDefaultAddedToUnopenContentModel, at: "#/properties/b",
        mirror: .propertyRemovedFromClosedContentModel),
    .init(
        #"{"type":"object","properties":{"a":{"type":"string"},"b":false},"additionalProperties":false}"#, closedAB,
        .propertyWithFalseRemovedFromClosedContentModel, at: "#/properties/b",
        mirror: .optionalPropertyAddedToUnopenContentModel),
    .init(
        #"{"properties":{"a":{"type":"string"},"b":{"type":"string"}},"additionalProperties":{"type":"string"}}"#,
        #"{"properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}"#,
        .propertyRemovedIsCoveredByPartiallyOpenContentModel, at: "#/properties/b",
        mirror: .propertyAddedIsCoveredByPartiallyOpenContentModel),
    .init(
        #"{"properties":{"a":{"type":"string"},"b":{"type":"integer"}},"additionalProperties":{"type":"string"}}"#,
        #"{"properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}"#,
        .propertyRemovedNotCoveredByPartiallyOpenContentModel, at: "#/properties/b",
        mirror: .propertyAddedNotCoveredByPartiallyOpenContentModel),
    .init(
        #"{"properties":{"a":{"type":"string"},"x1":{"type":"string"}},"patternProperties":{"^x":{"type":"string"}}}"#,
        #"{"properties":{"a":{"type":"string"}},"patternProperties":{"^x":{"type":"string"}}}"#,
        .propertyRemovedIsCoveredByPartiallyOpenContentModel, at: "#/properties/x1",
        mirror: .propertyAddedIsCoveredByPartiallyOpenContentModel),
    .init(
        #"{"type":"object"}"#, #"{"type":"object","patternProperties":{"^x":{"type":"string"}}}"#,
        .patternPropertyAddedToOpenContentModel, at: "#/patternProperties/^x",
        mirror: .patternPropertyRemovedFromOpenContentModel),
    .init(
        #"{"type":"object","additionalProperties":false}"#,
        #"{"type":"object","patternProperties":{"^x":{"type":"string"}},"additionalProperties":false}"#,
        .patternPropertyAddedToUnopenContentModel, at: "#/patternProperties/^x",
        mirror: .patternPropertyRemovedFromUnopenContentModel),
    .init(
        #"{"type":"object","propertyNames":{"maxLength":8}}"#, #"{"type":"object"}"#, .schemaRemoved,
        at: "#/propertyNames", mirror: .schemaAdded),
    // Arrays.
    .init(
        #"{"type":"array"}"#, #"{"type":"array","maxItems":3}"#, .maxItemsAdded, at: "#/maxItems",
        mirror: .maxItemsRemoved),
    .init(
        #"{"type":"array","maxItems":3}"#, #"{"type":"array","maxItems":5}"#, .maxItemsIncreased, at: "#/maxItems",
        mirror: .maxItemsDecreased),
    .init(
        #"{"type":"array"}"#, #"{"type":"array","minItems":1}"#, .minItemsAdded, at: "#/minItems",
        mirror: .minItemsRemoved),
    .init(
        #"{"type":"array","minItems":1}"#, #"{"type":"array","minItems":2}"#, .minItemsIncreased, at: "#/minItems",
        mirror: .minItemsDecreased),
    .init(
        #"{"type":"array","contains":{"type":"string"}}"#,
        #"{"type":"array","contains":{"type":"string"},"maxContains":2}"#, .maxContainsAdded, at: "#/maxContains",
        mirror: .maxContainsRemoved),
    .init(
        #"{"type":"array","contains":{"type":"string"},"maxContains":2}"#,
        #"{"type":"array","contains":{"type":"string"},"maxContains":3}"#, .maxContainsIncreased,
        at: "#/maxContains", mirror: .maxContainsDecreased),
    .init(
        #"{"type":"array","contains":{"type":"string"}}"#,
        #"{"type":"array","contains":{"type":"string"},"minContains":2}"#, .minContainsAdded, at: "#/minContains",
        mirror: .minContainsRemoved),
    .init(
        #"{"type":"array","contains":{"type":"string"},"minContains":2}"#,
        #"{"type":"array","contains":{"type":"string"},"minContains":3}"#, .minContainsIncreased,
        at: "#/minContains", mirror: .minContainsDecreased),
    .init(
        #"{"type":"array"}"#, #"{"type":"array","uniqueItems":true}"#, .uniqueItemsAdded, at: "#/uniqueItems",
        mirror: .uniqueItemsRemoved),
    .init(
        #"{"type":"array","items":{"type":"integer"}}"#, #"{"type":"array","items":{"type":"number"}}"#,
        .typeExtended, at: "#/items/type", mirror: .typeNarrowed),
    .init(
        #"{"prefixItems":[{"type":"string"}],"items":false}"#, #"{"prefixItems":[{"type":"string"}]}"#,
        .additionalItemsAdded, at: "#/items", mirror: .additionalItemsRemoved),
    .init(
        #"{"type":"array","items":{"type":"string"}}"#, #"{"type":"array"}"#, .additionalItemsExtended,
        at: "#/items", mirror: .additionalItemsNarrowed),
    .init(
        #"{"type":"array","unevaluatedItems":false}"#, #"{"type":"array"}"#, .unevaluatedItemsAdded,
        at: "#/unevaluatedItems", mirror: .unevaluatedItemsRemoved),
    .init(
        #"{"type":"array","unevaluatedItems":{"type":"string"}}"#, #"{"type":"array"}"#,
        .unevaluatedItemsExtended, at: "#/unevaluatedItems", mirror: .unevaluatedItemsNarrowed),
    .init(
        #"{"prefixItems":[{"type":"string"}]}"#, #"{"prefixItems":[{"type":"string"},{"type":"integer"}]}"#,
        .itemAddedToOpenContentModel, at: "#/prefixItems/1", mirror: .itemRemovedFromOpenContentModel),
    .init(
        #"{"prefixItems":[{"type":"string"}]}"#, #"{"prefixItems":[{"type":"string"},{}]}"#,
        .itemWithEmptySchemaAddedToOpenContentModel, at: "#/prefixItems/1",
        mirror: .itemRemovedFromOpenContentModel),
    .init(
        #"{"prefixItems":[{"type":"string"}],"items":false}"#,
        #"{"prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"#, .itemAddedToClosedContentModel,
        at: "#/prefixItems/1", mirror: .itemRemovedFromClosedContentModel),
    .init(
        #"{"prefixItems":[{"type":"string"},false],"items":false}"#,
        #"{"prefixItems":[{"type":"string"}],"items":false}"#,
        .itemWithFalseRemovedFromClosedContentModel, at: "#/prefixItems/1", mirror: .itemAddedToClosedContentModel),
    .init(
        #"{"prefixItems":[{"type":"string"},{"type":"string"}],"items":{"type":"string"}}"#,
        #"{"prefixItems":[{"type":"string"}],"items":{"type":"string"}}"#,
        .itemRemovedIsCoveredByPartiallyOpenContentModel, at: "#/prefixItems/1",
        mirror: .itemAddedIsCoveredByPartiallyOpenContentModel),
    .init(
        #"{"prefixItems":[{"type":"string"},{"type":"integer"}],"items":{"type":"string"}}"#,
        #"{"prefixItems":[{"type":"string"}],"items":{"type":"string"}}"#,
        .itemRemovedNotCoveredByPartiallyOpenContentModel, at: "#/prefixItems/1",
        mirror: .itemAddedNotCoveredByPartiallyOpenContentModel),
    // Enumerations.
    .init(
        #"{"enum":["A","B"]}"#, #"{"enum":["A","B","C"]}"#, .enumArrayExtended, at: "#/enum",
        mirror: .enumArrayNarrowed),
    .init(#"{"enum":["A","B"]}"#, #"{"enum":["A","C"]}"#, .enumArrayChanged, at: "#/enum", mirror: .enumArrayChanged),
    .init(
        #"{"type":"string"}"#, #"{"type":"string","const":"A"}"#, .enumArrayNarrowed, at: "#/const",
        mirror: .enumArrayExtended),
    .init(#"{"const":1}"#, #"{"const":2}"#, .enumArrayChanged, at: "#/const", mirror: .enumArrayChanged),
    // Composition.
    .init(
        #"{"oneOf":[{"type":"string"},{"type":"integer"}]}"#, #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#,
        .combinedTypeExtended, at: "#/oneOf", mirror: .combinedTypeChanged, at: "#/anyOf"),
    .init(
        #"{"minLength":1,"anyOf":[{"type":"string"},{"type":"integer"}]}"#, #"{"minLength":1}"#,
        .combinedTypeRemoved, at: "#/anyOf", mirror: .sumTypeNarrowed),
    .init(
        #"{"minLength":1}"#, #"{"minLength":1,"anyOf":[{"minLength":0},{"type":"integer"}]}"#,
        .sumTypeExtended, at: "#/anyOf", mirror: .combinedTypeRemoved),
    .init(
        #"{"allOf":[{"type":"string"}]}"#, #"{"allOf":[{"type":"string"},{"maxLength":4}]}"#,
        .productTypeExtended, at: "#/allOf", mirror: .productTypeNarrowed),
    .init(
        #"{"anyOf":[{"type":"string"}]}"#, #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#, .sumTypeExtended,
        at: "#/anyOf", mirror: .sumTypeNarrowed),
    .init(
        #"{"anyOf":[{"type":"string"},{"type":"integer"}]}"#, #"{"anyOf":[{"type":"boolean"},{"type":"null"}]}"#,
        .combinedTypeSubschemasChanged, at: "#/anyOf", mirror: .combinedTypeSubschemasChanged),
    .init(
        #"{"type":"string"}"#, #"{"type":"string","not":{"const":"x"}}"#, .notTypeExtended, at: "#/not",
        mirror: .notTypeNarrowed),
    .init(
        #"{"type":"string","not":{"enum":["x","y"]}}"#, #"{"type":"string","not":{"enum":["x"]}}"#,
        .notTypeNarrowed, at: "#/not", mirror: .notTypeExtended),
    .init(
        #"{"type":"object"}"#, #"{"type":"object","if":{"required":["a"]},"then":{"required":["b"]}}"#,
        .conditionAdded, at: "#/if", mirror: .conditionRemoved),
    .init(
        #"{"type":"object","if":{"required":["a"]},"then":{"required":["b"]}}"#,
        #"{"type":"object","if":{"required":["c"]},"then":{"required":["b"]}}"#, .conditionChanged, at: "#/if",
        mirror: .conditionChanged),
    .init(
        #"{"type":"object","if":{"required":["a"]},"then":{"required":["b"]}}"#,
        #"{"type":"object","if":{"required":["a"]},"then":{"required":["b"]},"else":{"required":["c"]}}"#,
        .schemaAdded, at: "#/else", mirror: .schemaRemoved),
]

@Suite struct CompatibilityRuleTests {
    private static func differences(_ original: String, _ update: String) throws -> [SchemaDifference] {
        CompatibilityChecker.differences(from: try JSONValue(parsing: original), to: try JSONValue(parsing: update))
    }

    @Test(arguments: compatibilityCases)
    func ruleInBothDirections(_ rule: CompatibilityCase) throws {
        let forward = try Self.differences(rule.original, rule.update)
        #expect(forward.contains(SchemaDifference(kind: rule.kind, pointer: rule.pointer)), "got \(forward)")
        let backward = try Self.differences(rule.update, rule.original)
        #expect(
            backward.contains(SchemaDifference(kind: rule.mirror, pointer: rule.mirrorPointer)), "got \(backward)")
    }

    @Test(arguments: compatibilityCases)
    func modesFollowTheClassification(_ rule: CompatibilityCase) throws {
        let checker = CompatibilityChecker(documents: [
            "urn:v1": try JSONValue(parsing: rule.original), "urn:v2": try JSONValue(parsing: rule.update),
        ])
        let forwardDifferences = checker.differences(from: "urn:v1", to: "urn:v2")
        let backwardDifferences = checker.differences(from: "urn:v2", to: "urn:v1")
        let backwardOK = forwardDifferences.allSatisfy { $0.isCompatible }
        let forwardOK = backwardDifferences.allSatisfy { $0.isCompatible }
        // A pair whose only difference is the rule's own must be judged by that rule.
        if forwardDifferences.count == 1 { #expect(backwardOK == rule.kind.isCompatible) }
        if backwardDifferences.count == 1 { #expect(forwardOK == rule.mirror.isCompatible) }
        func issues(_ mode: CompatibilityMode) -> Bool {
            checker.check(mode, version: "urn:v2", earlier: ["urn:v1"]).isEmpty
        }
        #expect(issues(.backward) == backwardOK)
        #expect(issues(.forward) == forwardOK)
        #expect(issues(.full) == (backwardOK && forwardOK))
        #expect(issues(.none))
        if !rule.kind.isCompatible { #expect(!issues(.backward)) }
        if !rule.mirror.isCompatible { #expect(!issues(.forward)) }
    }

    @Test func everyKindHasARule() {
        var covered = Set(compatibilityCases.flatMap { [$0.kind, $0.mirror] })
        covered.insert(.definitionRemoved)  // DefinitionsCompatibilityTests
        covered.insert(.referenceUnresolved)  // CompatibilityCheckerTests
        let missing = SchemaDifference.Kind.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "no rule case for \(missing.map(\.rawValue))")
    }
}
