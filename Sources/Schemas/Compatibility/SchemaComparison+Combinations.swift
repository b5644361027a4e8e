import JSON

extension SchemaComparison {
    private static let combinators = ["allOf", "anyOf", "oneOf"]

    private func subschemas(_ node: LocatedSchema, _ keyword: String) -> [LocatedSchema]? {
        guard case .array(let elements) = node.value[keyword] else { return nil }
        // Duplicates collapse, as in Confluent.
        var seen: [JSONValue] = []
        var result: [LocatedSchema] = []
        for index in elements.indices where !seen.contains(elements[index]) {
            seen.append(elements[index])
            if let child = node.child(keyword, String(index)) { result.append(child) }
        }
        return result
    }

    mutating func compareCombinations(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalKeywords = Self.combinators.filter { original.value[$0]?.arrayValue != nil }
        let updateKeywords = Self.combinators.filter { update.value[$0]?.arrayValue != nil }
        if originalKeywords.count == 1, updateKeywords.count == 1, originalKeywords[0] != updateKeywords[0],
            let originalSubschemas = subschemas(original, originalKeywords[0]),
            let updateSubschemas = subschemas(update, updateKeywords[0])
        {
            // The criterion changed (allOf / anyOf / oneOf).
            let keyword = originalKeywords[0]
            let updateKeyword = updateKeywords[0]
            let kind: Kind
            switch updateKeyword {
            case "anyOf": kind = .combinedTypeExtended
            case "oneOf": kind = originalSubschemas.count == 1 ? .combinedTypeExtended : .combinedTypeChanged
            default:
                kind =
                    originalSubschemas.count == 1 && updateSubschemas.count == 1
                    ? .combinedTypeExtended : .combinedTypeChanged
            }
            add(keyword, kind)
            if kind != .combinedTypeChanged {
                compareSubschemas(
                    keyword, originalSubschemas, updateSubschemas, updateIsProduct: updateKeyword == "allOf")
            }
            return
        }
        for keyword in Self.combinators {
            switch (subschemas(original, keyword), subschemas(update, keyword)) {
            case (.some(let originalSubschemas), .some(let updateSubschemas)):
                compareSubschemas(keyword, originalSubschemas, updateSubschemas, updateIsProduct: keyword == "allOf")
            case (.some, nil):
                // Dropping a conjunction removes constraints; dropping a union accepts any alternative.
                add(keyword, keyword == "allOf" ? .productTypeNarrowed : .combinedTypeRemoved)
            case (nil, .some(let updateSubschemas)):
                combinationAdded(keyword, original, updateSubschemas)
            case (nil, nil):
                break
            }
        }
    }

    /// Whether every value `original` accepts is accepted by `update`.
    private func accepts(_ original: LocatedSchema, _ update: LocatedSchema, at tokens: [String]) -> Bool {
        var sub = subcomparison()
        sub.path += tokens
        sub.compare(original, update)
        return sub.isCompatible
    }

    private mutating func combinationAdded(_ keyword: String, _ original: LocatedSchema, _ subschemas: [LocatedSchema])
    {
        let covering = subschemas.indices.map { accepts(original, subschemas[$0], at: [keyword, String($0)]) }
        if keyword == "allOf" {
            // A new conjunction is harmless only if the original already implied each member.
            if !covering.allSatisfy({ $0 }) { add(keyword, .productTypeExtended) }
        } else {
            add(keyword, covering.contains(true) ? .sumTypeExtended : .sumTypeNarrowed)
        }
    }

    private mutating func compareSubschemas(
        _ keyword: String, _ originalSubschemas: [LocatedSchema], _ updateSubschemas: [LocatedSchema],
        updateIsProduct: Bool
    ) {
        if originalSubschemas.count < updateSubschemas.count {
            add(keyword, updateIsProduct ? .productTypeExtended : .sumTypeExtended)
        } else if originalSubschemas.count > updateSubschemas.count {
            add(keyword, updateIsProduct ? .productTypeNarrowed : .sumTypeNarrowed)
        }
        // Compatible pairs, then a maximum matching between original and update subschemas.
        var edges: [[[SchemaDifference]?]] = []
        for (originalIndex, originalSubschema) in originalSubschemas.enumerated() {
            var row: [[SchemaDifference]?] = []
            for updateSubschema in updateSubschemas {
                var sub = subcomparison(keyword, String(originalIndex))
                sub.compare(originalSubschema, updateSubschema)
                row.append(sub.isCompatible ? sub.differences : nil)
            }
            edges.append(row)
        }
        let matching = Self.maximumMatching(edges.map { $0.map { $0 != nil } })
        for (originalIndex, updateIndex) in matching.enumerated() {
            if let updateIndex, let matched = edges[originalIndex][updateIndex] { differences += matched }
        }
        if matching.compactMap({ $0 }).count < min(originalSubschemas.count, updateSubschemas.count) {
            add(keyword, .combinedTypeSubschemasChanged)
        }
    }

    /// Maximum bipartite matching (augmenting paths): for each left vertex, its right partner.
    static func maximumMatching(_ adjacent: [[Bool]]) -> [Int?] {
        let rightCount = adjacent.first?.count ?? 0
        var partnerOfRight = [Int?](repeating: nil, count: rightCount)
        func augment(_ left: Int, _ visited: inout [Bool]) -> Bool {
            for right in 0..<rightCount where adjacent[left][right] && !visited[right] {
                visited[right] = true
                if partnerOfRight[right] == nil || augment(partnerOfRight[right]!, &visited) {
                    partnerOfRight[right] = left
                    return true
                }
            }
            return false
        }
        for left in adjacent.indices {
            var visited = [Bool](repeating: false, count: rightCount)
            _ = augment(left, &visited)
        }
        var partnerOfLeft = [Int?](repeating: nil, count: adjacent.count)
        for (right, left) in partnerOfRight.enumerated() {
            if let left { partnerOfLeft[left] = right }
        }
        return partnerOfLeft
    }

    mutating func compareNegation(_ original: LocatedSchema, _ update: LocatedSchema) {
        switch (original.child("not"), update.child("not")) {
        case (.some(let originalNot), .some(let updateNot)):
            // The excluded sets compare the other way round.
            var sub = subcomparison("not")
            sub.compare(updateNot, originalNot)
            add("not", sub.isCompatible ? .notTypeNarrowed : .notTypeExtended)
        case (nil, .some): add("not", .notTypeExtended)
        case (.some, nil): add("not", .notTypeNarrowed)
        case (nil, nil): break
        }
    }

    mutating func compareConditions(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalIf = original.value["if"]
        let updateIf = update.value["if"]
        let updateHasBranch = update.value["then"] != nil || update.value["else"] != nil
        switch (originalIf, updateIf) {
        case (nil, nil):
            return
        case (nil, .some):
            if updateHasBranch { add("if", .conditionAdded) }
        case (.some, nil):
            add("if", .conditionRemoved)
        case (.some(let originalCondition), .some(let updateCondition)):
            guard originalCondition == updateCondition else {
                add("if", .conditionChanged)
                return
            }
            for branch in ["then", "else"] {
                path.append(branch)
                compare(original.child(branch), update.child(branch))
                path.removeLast()
            }
        }
    }

    /// A `$ref` beside other keywords acts as one more conjunct.
    mutating func compareReferences(_ original: LocatedSchema, _ update: LocatedSchema) {
        let originalReference = original.value["$ref"]?.stringValue
        let updateReference = update.value["$ref"]?.stringValue
        switch (originalReference, updateReference) {
        case (nil, nil):
            return
        case (.some, nil):
            add("$ref", .productTypeNarrowed)
        case (.some(let originalReference), .some(let updateReference)):
            guard let originalTarget = resolver.resolve(originalReference, base: original.baseURI),
                let updateTarget = resolver.resolve(updateReference, base: update.baseURI)
            else {
                add("$ref", .referenceUnresolved)
                return
            }
            path.append("$ref")
            compare(originalTarget, updateTarget)
            path.removeLast()
        case (nil, .some(let updateReference)):
            guard let updateTarget = resolver.resolve(updateReference, base: update.baseURI) else {
                add("$ref", .referenceUnresolved)
                return
            }
            if !accepts(original, updateTarget, at: ["$ref"]) { add("$ref", .productTypeExtended) }
        }
    }
}
