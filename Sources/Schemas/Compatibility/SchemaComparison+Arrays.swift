import JSON

extension SchemaComparison {
    /// Tuple positions (`prefixItems`, or draft-07 array-form `items`) and the schema for the rest.
    private func tuple(_ node: LocatedSchema) -> (prefix: [LocatedSchema], rest: Openness, restKeyword: String) {
        if case .array(let elements) = node.value["prefixItems"] {
            let prefix = elements.indices.compactMap { node.child("prefixItems", String($0)) }
            return (prefix, Openness(node.child("items")), "items")
        }
        if case .array(let elements) = node.value["items"] {
            let prefix = elements.indices.compactMap { node.child("items", String($0)) }
            return (prefix, Openness(node.child("additionalItems")), "additionalItems")
        }
        return ([], Openness(node.child("items")), "items")
    }

    private func isOpenArray(_ rest: Openness, _ node: LocatedSchema) -> Bool {
        guard case .open = rest else { return false }
        guard case .open = Openness(node.child("unevaluatedItems")) else { return false }
        return true
    }

    private func partialItemSchema(_ rest: Openness, _ node: LocatedSchema) -> LocatedSchema? {
        if let schema = rest.schema { return schema }
        if case .open = rest { return Openness(node.child("unevaluatedItems")).schema }
        return nil
    }

    mutating func compareArrays(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalTuple = tuple(original)
        let updateTuple = tuple(update)
        let common = min(originalTuple.prefix.count, updateTuple.prefix.count)
        for index in 0..<max(originalTuple.prefix.count, updateTuple.prefix.count) {
            path += ["prefixItems", String(index)]
            defer { path.removeLast(2) }
            if index < common {
                compare(originalTuple.prefix[index], updateTuple.prefix[index])
            } else if index < originalTuple.prefix.count {
                itemRemoved(originalTuple.prefix[index], update: update, rest: updateTuple.rest)
            } else {
                itemAdded(updateTuple.prefix[index], original: original, rest: originalTuple.rest)
            }
        }
        compareOpenness(
            updateTuple.restKeyword, originalTuple.rest, updateTuple.rest,
            OpennessKinds(
                added: .additionalItemsAdded, removed: .additionalItemsRemoved, extended: .additionalItemsExtended,
                narrowed: .additionalItemsNarrowed))
        compareOpenness(
            "unevaluatedItems", Openness(original.child("unevaluatedItems")),
            Openness(update.child("unevaluatedItems")),
            OpennessKinds(
                added: .unevaluatedItemsAdded, removed: .unevaluatedItemsRemoved, extended: .unevaluatedItemsExtended,
                narrowed: .unevaluatedItemsNarrowed))
        path.append("contains")
        compare(original.child("contains"), update.child("contains"))
        path.removeLast()
        let originalValue = original.value
        let updateValue = update.value
        compareLimit(
            "maxItems", originalValue["maxItems"]?.numberValue, updateValue["maxItems"]?.numberValue,
            added: .maxItemsAdded, removed: .maxItemsRemoved, increased: .maxItemsIncreased,
            decreased: .maxItemsDecreased)
        compareLimit(
            "minItems", originalValue["minItems"]?.numberValue, updateValue["minItems"]?.numberValue,
            added: .minItemsAdded, removed: .minItemsRemoved, increased: .minItemsIncreased,
            decreased: .minItemsDecreased)
        compareLimit(
            "maxContains", originalValue["maxContains"]?.numberValue, updateValue["maxContains"]?.numberValue,
            added: .maxContainsAdded, removed: .maxContainsRemoved, increased: .maxContainsIncreased,
            decreased: .maxContainsDecreased)
        compareLimit(
            "minContains", originalValue["minContains"]?.numberValue, updateValue["minContains"]?.numberValue,
            added: .minContainsAdded, removed: .minContainsRemoved, increased: .minContainsIncreased,
            decreased: .minContainsDecreased)
        let originalUnique = originalValue["uniqueItems"] == .bool(true)
        let updateUnique = updateValue["uniqueItems"] == .bool(true)
        if originalUnique != updateUnique { add("uniqueItems", updateUnique ? .uniqueItemsAdded : .uniqueItemsRemoved) }
    }

    private mutating func itemRemoved(_ item: LocatedSchema, update: LocatedSchema, rest: Openness) {
        if isOpenArray(rest, update) {
            add(.itemRemovedFromOpenContentModel)
        } else if let partial = partialItemSchema(rest, update) {
            var sub = subcomparison()
            sub.compare(item, partial)
            differences += sub.differences
            add(
                sub.isCompatible
                    ? .itemRemovedIsCoveredByPartiallyOpenContentModel
                    : .itemRemovedNotCoveredByPartiallyOpenContentModel)
        } else if item.value == .bool(false) {
            add(.itemWithFalseRemovedFromClosedContentModel)
        } else {
            add(.itemRemovedFromClosedContentModel)
        }
    }

    private mutating func itemAdded(_ item: LocatedSchema, original: LocatedSchema, rest: Openness) {
        if isOpenArray(rest, original) {
            add(Self.isEmpty(item.value) ? .itemWithEmptySchemaAddedToOpenContentModel : .itemAddedToOpenContentModel)
        } else if let partial = partialItemSchema(rest, original) {
            var sub = subcomparison()
            sub.compare(partial, item)
            differences += sub.differences
            add(
                sub.isCompatible
                    ? .itemAddedIsCoveredByPartiallyOpenContentModel : .itemAddedNotCoveredByPartiallyOpenContentModel)
        } else {
            add(.itemAddedToClosedContentModel)
        }
    }
}
