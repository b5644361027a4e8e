/// Generic parsing of mappings against an `ObjectSpec`: unknown and missing fields, types, durations,
/// choices, expressions and secrets, each reported where it was written.
extension TopologyBuilder {
    /// Secret librdkafka properties: never literals.
    static let secretProperties: Set<String> = [
        "sasl.password", "ssl.key.password", "ssl.key.pem", "ssl.keystore.password", "ssl_key.password",
        "sasl.oauthbearer.client.secret", "sasl.oauthbearer.config",
    ]

    mutating func parseObject(_ node: ConfigNode, spec: ObjectSpec, at stepLocation: SourceLocation? = nil)
        -> ParsedOptions
    {
        var options = ParsedOptions(location: stepLocation ?? node.location)
        if let whole = spec.wholeMapping, let option = spec.option(whole) {
            if let value = parseValue(node, type: option.type, option: whole, owner: spec.name) {
                options.set(whole, value, at: node.location)
            } else {
                options.isValid = false
            }
            return options
        }
        let mapping: ConfigMapping
        switch node {
        case .mapping(let value):
            mapping = value
        case .scalar(let scalar) where scalar.isNull:
            mapping = ConfigMapping(entries: [], location: scalar.location)
        case .scalar(let scalar) where spec.shorthand != nil:
            let name = spec.shorthand!
            if let option = spec.option(name),
                let value = parseValue(.scalar(scalar), type: option.type, option: name, owner: spec.name)
            {
                options.set(name, value, at: scalar.location)
                checkRequired(spec, mapping: nil, options: &options, at: node.location)
            } else {
                options.isValid = false
            }
            return options
        default:
            report(
                .invalidOption, at: node.location,
                "\(spec.name) must be a mapping of its options (\(spec.options.map(\.name).joined(separator: ", "))); "
                    + "found \(node.kindDescription)")
            options.isValid = false
            return options
        }
        var intended: Set<String> = []
        for entry in mapping.entries {
            let key = entry.key.text
            guard let option = spec.option(key) else {
                let names = spec.options.map(\.name)
                if let closest = Suggestion.closest(to: key, in: names) { intended.insert(closest) }
                report(
                    .unknownField, at: entry.key.location,
                    "unknown field '\(key)' in \(spec.name)\(Suggestion.hint(for: key, in: names)); expected one of: "
                        + names.joined(separator: ", "))
                options.isValid = false
                continue
            }
            if entry.value.isNull && !option.type.acceptsNull {
                report(
                    .missingField, at: entry.key.location,
                    "'\(key)' of \(spec.name) has no value; expected \(option.type.documentation)")
                options.isValid = false
                continue
            }
            if let value = parseValue(entry.value, type: option.type, option: key, owner: spec.name) {
                options.set(key, value, at: entry.value.isNull ? entry.key.location : entry.value.location)
                if let sequence = entry.value.sequence { options.setItemLocations(key, sequence.items.map(\.location)) }
                if !value.isValid { options.isValid = false }
            } else {
                options.isValid = false
            }
        }
        checkRequired(spec, mapping: mapping, options: &options, at: node.location, misspelt: intended)
        return options
    }

    /// Reports absent required options and `exactlyOneOf` groups; `misspelt` names (suggested for unknown
    /// fields) count as written so one typo is one finding.
    private mutating func checkRequired(
        _ spec: ObjectSpec,
        mapping: ConfigMapping?,
        options: inout ParsedOptions,
        at location: SourceLocation,
        misspelt: Set<String> = []
    ) {
        let written = Set(mapping?.entries.map(\.key.text) ?? options.names).union(misspelt)
        for option in spec.options where option.isRequired && !written.contains(option.name) {
            let named = options.string("name").map { " '\($0)'" } ?? ""
            report(
                option.missingKind, at: location,
                "\(spec.name)\(named) is missing required field '\(option.name)' (expected \(option.type.documentation))"
                    + (option.missingAdvice.map { "; \($0)" } ?? ""))
            options.isValid = false
        }
        for group in spec.exactlyOneOf {
            let present = group.filter { written.contains($0) }
            if present.isEmpty {
                report(
                    .missingField, at: location,
                    "\(spec.name) needs one of: \(group.joined(separator: ", "))")
                options.isValid = false
            } else if present.count > 1, let entry = mapping?.entries.first(where: { $0.key.text == present[1] }) {
                report(
                    .invalidOption, at: entry.key.location,
                    "\(spec.name) takes only one of \(group.joined(separator: ", ")); "
                        + "found both '\(present[0])' and '\(present[1])'")
                options.isValid = false
            }
        }
    }

    mutating func parseValue(_ node: ConfigNode, type: OptionType, option: String, owner: String) -> OptionValue? {
        if let scalar = node.scalar, scalar.substitutionFailed { return nil }
        let subject = "'\(option)' of \(owner)"
        func expectScalar(_ what: String) -> ConfigScalar? {
            guard let scalar = node.scalar, !scalar.isNull else {
                report(.invalidOption, at: node.location, "\(subject) must be \(what); found \(node.kindDescription)")
                return nil
            }
            return scalar
        }
        switch type {
        case .string:
            return expectScalar("text").map { .string($0.text) }
        case .name, .table, .output, .source:
            guard let scalar = expectScalar("a name") else { return nil }
            guard Self.isName(scalar.text) else {
                report(
                    .invalidOption, at: scalar.location,
                    "\(subject) must be a name of letters, digits, '_', '-' or '.'; found '\(scalar.text)'")
                return nil
            }
            return .string(scalar.text)
        case .schema:
            guard let scalar = expectScalar("a schema id") else { return nil }
            guard SchemaID(parsing: scalar.text) != nil else {
                report(
                    .invalidOption, at: scalar.location,
                    "\(subject) must be a schema id <type>/v<N> such as erp.goods_receipt/v1; found '\(scalar.text)'")
                return nil
            }
            return .string(scalar.text)
        case .schemaType:
            guard let scalar = expectScalar("a schema type") else { return nil }
            if SchemaID(parsing: scalar.text) != nil {
                report(
                    .invalidOption, at: scalar.location,
                    "\(subject) takes schema types without version (every version is accepted and upcast); "
                        + "write '\(scalar.text.prefix { $0 != "/" })'")
                return nil
            }
            guard Self.isName(scalar.text) else {
                report(.invalidOption, at: scalar.location, "\(subject) must be a schema type such as machine.cycle")
                return nil
            }
            return .string(scalar.text)
        case .integer(let range):
            guard let scalar = expectScalar("an integer") else { return nil }
            guard let value = Int(scalar.text), range.contains(value) else {
                report(
                    .invalidOption, at: scalar.location,
                    "invalid value '\(scalar.text)' for \(subject); expected \(type.documentation)")
                return nil
            }
            return .integer(value)
        case .boolean:
            guard let scalar = expectScalar("true or false") else { return nil }
            switch scalar.text {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default:
                report(
                    .invalidOption, at: scalar.location,
                    "invalid value '\(scalar.text)' for \(subject); expected true or false")
                return nil
            }
        case .duration(let minimum):
            guard let scalar = expectScalar("a duration") else { return nil }
            guard let duration = DurationValue(parsing: scalar.text) else {
                report(
                    .invalidOption, at: scalar.location,
                    "invalid duration '\(scalar.text)' for \(subject); expected a whole number followed by "
                        + "ms, s, m, h or d (e.g. 250ms, 30s, 15m, 2h, 7d)")
                return nil
            }
            guard duration >= minimum else {
                report(
                    .invalidOption, at: scalar.location,
                    "\(subject) must be at least \(minimum); found \(scalar.text)")
                return nil
            }
            return .duration(duration)
        case .choice(let words):
            guard let scalar = expectScalar("one of \(words.joined(separator: ", "))") else { return nil }
            guard words.contains(scalar.text) else {
                report(
                    .invalidOption, at: scalar.location,
                    "invalid value '\(scalar.text)' for \(subject)\(Suggestion.hint(for: scalar.text, in: words)); "
                        + "expected one of: \(words.joined(separator: ", "))")
                return nil
            }
            return .string(scalar.text)
        case .expression:
            guard let scalar = expectScalar("an expression") else { return nil }
            return parseExpression(scalar).map { .expression($0) }
        case .path:
            guard let scalar = expectScalar("a field path") else { return nil }
            return parsePath(scalar, subject: subject).map { .path($0) }
        case .recordField:
            return parseRecordField(node, subject: subject, alternative: nil).map { .recordField($0) }
        case .schemaSelector:
            if let scalar = node.scalar, !scalar.isNull {
                guard SchemaID(parsing: scalar.text) != nil else {
                    report(
                        .invalidOption, at: scalar.location,
                        "\(subject) must be a schema id <type>/v<N> such as acme.machine_cycle/v1, or { field: PATH } "
                            + "or { header: NAME } naming where each record's schema id is; found '\(scalar.text)'")
                    return nil
                }
                return .schemaSelector(.fixed(scalar.text))
            }
            return parseRecordField(node, subject: subject, alternative: "a schema id").map {
                .schemaSelector(.from($0))
            }
        case .expressions:
            return parseExpressionList(node, subject: subject).map { .expressions($0) }
        case .prefixedKey:
            return parsePrefixedKey(node, subject: subject).map { .expressions($0) }
        case .namedExpressions:
            return parseNamedExpressions(node, subject: subject).map { .named($0) }
        case .fields:
            return parseFields(node, subject: subject).map { .named($0) }
        case .aggregates:
            return parseAggregates(node, subject: subject).map { .aggregates($0) }
        case .object(let spec):
            return .object(parseObject(node, spec: spec))
        case .list(let element):
            let items: [ConfigNode]
            switch node {
            case .sequence(let sequence): items = sequence.items
            case .scalar where !element.isStructured: items = [node]
            default:
                report(.invalidOption, at: node.location, "\(subject) must be a list; found \(node.kindDescription)")
                return nil
            }
            var values: [OptionValue] = []
            var valid = true
            for item in items {
                if let value = parseValue(item, type: element, option: option, owner: owner) {
                    values.append(value)
                } else {
                    valid = false
                }
            }
            return valid ? .list(values) : nil
        case .kafkaProperties:
            return parseKafkaProperties(node, subject: subject).map { .properties($0) }
        case .steps:
            return parseSteps(node, subject: subject).map { .list($0) }
        }
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy {
                ExpressionLexer.isIdentifierPart($0) || $0 == "-" || $0 == "."
            }
    }

    /// Parses an expression scalar, reporting syntax errors at their column inside the string.
    mutating func parseExpression(_ scalar: ConfigScalar) -> Expression? {
        let source = self.source
        let text = scalar.text
        let substituted = scalar.isSubstituted
        do {
            return try ExpressionParser.parse(text) { offset in
                substituted ? scalar.location : source.location(in: scalar, offset: offset)
            }
        } catch {
            let location = substituted ? scalar.location : source.location(in: scalar, offset: error.offset)
            report(.invalidExpression, at: location, "invalid expression '\(text)': \(error.message)")
            return nil
        }
    }

    private mutating func parsePath(_ scalar: ConfigScalar, subject: String) -> FieldPath? {
        guard let expression = parseExpression(scalar) else { return nil }
        guard case .path(let path, _) = expression else {
            report(
                .invalidOption, at: scalar.location,
                "\(subject) must be a field path such as data.orderId; found the expression '\(scalar.text)'")
            return nil
        }
        return path
    }

    /// A field path, or `{ header: NAME }` (or, with `alternative`, `{ field: PATH }`, the scalar being taken).
    private mutating func parseRecordField(_ node: ConfigNode, subject: String, alternative: String?) -> RecordField? {
        let expected =
            alternative.map { "\($0), { field: PATH } or { header: NAME }" } ?? "a field path or { header: NAME }"
        if alternative == nil, let scalar = node.scalar, !scalar.isNull {
            return parsePath(scalar, subject: subject).map { .field($0) }
        }
        guard let mapping = node.mapping, mapping.entries.count == 1, let entry = mapping.entries.first,
            let scalar = entry.value.scalar, !scalar.isNull
        else {
            report(.invalidOption, at: node.location, "\(subject) must be \(expected); found \(node.kindDescription)")
            return nil
        }
        switch entry.key.text {
        case "header":
            guard !scalar.text.isEmpty else {
                report(.invalidOption, at: scalar.location, "\(subject): the header name must not be empty")
                return nil
            }
            return .header(scalar.text)
        case "field":
            return parsePath(scalar, subject: subject).map { .field($0) }
        default:
            let names = ["field", "header"]
            report(
                .unknownField, at: entry.key.location,
                "unknown field '\(entry.key.text)' in \(subject)\(Suggestion.hint(for: entry.key.text, in: names)); "
                    + "expected \(expected)")
            return nil
        }
    }

    private mutating func parseExpressionList(_ node: ConfigNode, subject: String) -> [Expression]? {
        let items: [ConfigNode]
        switch node {
        case .sequence(let sequence): items = sequence.items
        case .scalar(let scalar) where !scalar.isNull: items = [node]
        default:
            report(
                .invalidOption, at: node.location,
                "\(subject) must be a list of expressions; found \(node.kindDescription)")
            return nil
        }
        var expressions: [Expression] = []
        var valid = true
        for item in items {
            guard let scalar = item.scalar, !scalar.isNull else {
                report(
                    .invalidOption, at: item.location,
                    "each entry of \(subject) must be an expression; found \(item.kindDescription)")
                valid = false
                continue
            }
            if let expression = parseExpression(scalar) { expressions.append(expression) } else { valid = false }
        }
        if valid && expressions.isEmpty {
            report(.invalidOption, at: node.location, "\(subject) must not be empty")
            return nil
        }
        return valid ? expressions : nil
    }

    private mutating func parsePrefixedKey(_ node: ConfigNode, subject: String) -> [Expression]? {
        guard let sequence = node.sequence, let first = sequence.items.first?.scalar else {
            report(
                .invalidOption, at: node.location,
                "\(subject) must be a list [PREFIX, expression, ...] such as [CONF, plantId, orderId]; found "
                    + node.kindDescription)
            return nil
        }
        let prefix: Expression
        if first.style == .plain, Self.isPrefix(first.text) {
            prefix = .literal(.string(first.text), first.location)
        } else if let parsed = parseExpression(first), case .literal(.string(let text), _) = parsed, Self.isPrefix(text)
        {
            prefix = parsed
        } else {
            report(
                .invalidOption, at: first.location,
                "\(subject) must start with an upper-case prefix word such as CONF or GR; found '\(first.text)'")
            return nil
        }
        let rest = ConfigNode.sequence(
            ConfigSequence(items: Array(sequence.items.dropFirst()), location: sequence.location))
        if sequence.items.count == 1 { return [prefix] }
        guard let parts = parseExpressionList(rest, subject: subject) else { return nil }
        return [prefix] + parts
    }

    static func isPrefix(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("A"..."Z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private mutating func parseNamedExpressions(_ node: ConfigNode, subject: String) -> [NamedExpression]? {
        var result: [NamedExpression] = []
        var seen: [String: SourceLocation] = [:]
        var valid = true
        func add(_ name: String, _ expression: Expression, at location: SourceLocation) {
            if let first = seen[name] {
                report(
                    .duplicateName, at: location,
                    "\(subject) names '\(name)' twice (first at line \(first.line)); name the entries apart "
                        + "with a mapping name: expression")
                valid = false
            } else {
                seen[name] = location
                result.append(NamedExpression(name: name, expression: expression))
            }
        }
        switch node {
        case .mapping(let mapping):
            for entry in mapping.entries {
                guard ExpressionLexer.isIdentifier(entry.key.text) else {
                    report(
                        .invalidOption, at: entry.key.location,
                        "'\(entry.key.text)' in \(subject) is not a valid name (letters, digits, '_')")
                    valid = false
                    continue
                }
                guard let scalar = entry.value.scalar, !scalar.isNull else {
                    report(
                        .invalidOption, at: entry.value.location,
                        "'\(entry.key.text)' in \(subject) must be an expression; found \(entry.value.kindDescription)")
                    valid = false
                    continue
                }
                if let expression = parseExpression(scalar) {
                    add(entry.key.text, expression, at: entry.key.location)
                } else {
                    valid = false
                }
            }
        case .sequence, .scalar:
            guard let expressions = parseExpressionList(node, subject: subject) else { return nil }
            for expression in expressions {
                guard case .path(let path, let location) = expression else {
                    report(
                        .invalidOption, at: expression.location,
                        "entry '\(expression)' of \(subject) is not a field path, so it has no name; write \(subject) "
                            + "as a mapping name: expression")
                    valid = false
                    continue
                }
                add(path.lastName, expression, at: location)
            }
        }
        if valid && result.isEmpty {
            report(.invalidOption, at: node.location, "\(subject) must not be empty")
            return nil
        }
        return valid ? result : nil
    }

    private mutating func parseFields(_ node: ConfigNode, subject: String) -> [NamedExpression]? {
        guard let mapping = node.mapping else {
            report(
                .invalidOption, at: node.location,
                "\(subject) must be a mapping field.path: expression; found \(node.kindDescription)")
            return nil
        }
        var result: [NamedExpression] = []
        var written: [(name: String, location: SourceLocation)] = []
        var valid = true
        for entry in mapping.entries {
            let name = entry.key.text
            guard Self.isFieldName(name) else {
                report(
                    .invalidOption, at: entry.key.location,
                    "'\(name)' in \(subject) is not a field name; expected names of letters, digits and '_' "
                        + "joined by '.', with [N] after a name for array elements (activities[0].slot)")
                valid = false
                continue
            }
            func contains(_ outer: String, _ inner: String) -> Bool {
                inner.hasPrefix(outer + ".") || inner.hasPrefix(outer + "[")
            }
            if let clash = written.first(where: {
                contains($0.name, name) || contains(name, $0.name) || $0.name == name
            }) {
                report(
                    .duplicateName, at: entry.key.location,
                    "field '\(name)' of \(subject) overlaps field '\(clash.name)' (line \(clash.location.line)); "
                        + "a field cannot be both a value and an object")
                valid = false
                continue
            }
            written.append((name, entry.key.location))
            guard let scalar = entry.value.scalar, !scalar.isNull else {
                report(
                    .invalidOption, at: entry.value.location,
                    "field '\(name)' of \(subject) must be an expression (quote text literals: \"'ST'\"); found "
                        + entry.value.kindDescription)
                valid = false
                continue
            }
            if let expression = parseExpression(scalar) {
                result.append(NamedExpression(name: name, expression: expression))
            } else {
                valid = false
            }
        }
        if valid && result.isEmpty {
            report(.invalidOption, at: node.location, "\(subject) must not be empty")
            return nil
        }
        if valid, let gap = Self.arrayGap(in: written) {
            report(
                .invalidOption, at: gap.location,
                "\(subject) writes \(gap.written) but not \(gap.missing); array elements must be numbered from 0 "
                    + "without gaps")
            return nil
        }
        return valid ? result : nil
    }

    /// `name(.name|[N])*` with names of letters, digits and `_`.
    static func isFieldName(_ name: String) -> Bool {
        var scalars = Substring(name).unicodeScalars[...]
        var expectName = true
        while !scalars.isEmpty {
            if expectName {
                let identifier = scalars.prefix { ExpressionLexer.isIdentifierPart($0) }
                guard let first = identifier.first, ExpressionLexer.isIdentifierStart(first) else { return false }
                scalars = scalars.dropFirst(identifier.count)
                expectName = false
            } else if scalars.first == "." {
                scalars = scalars.dropFirst()
                expectName = true
                if scalars.isEmpty { return false }
            } else if scalars.first == "[" {
                let digits = scalars.dropFirst().prefix { ExpressionLexer.isDigit($0) }
                guard !digits.isEmpty, scalars.dropFirst(1 + digits.count).first == "]" else { return false }
                if digits.count > 1 && digits.first == "0" { return false }
                scalars = scalars.dropFirst(2 + digits.count)
            } else {
                return false
            }
        }
        return !expectName
    }

    /// The first array element written without its predecessor (`a[2]` without `a[1]`).
    static func arrayGap(
        in written: [(name: String, location: SourceLocation)]
    ) -> (written: String, missing: String, location: SourceLocation)? {
        var indexes: [String: Set<Int>] = [:]
        var firstLocation: [String: SourceLocation] = [:]
        for (name, location) in written {
            var searchStart = name.startIndex
            while let open = name[searchStart...].firstIndex(of: "["),
                let close = name[open...].firstIndex(of: "]"), let index = Int(name[name.index(after: open)..<close])
            {
                let array = String(name[..<open])
                indexes[array, default: []].insert(index)
                let element = "\(array)[\(index)]"
                if firstLocation[element] == nil { firstLocation[element] = location }
                searchStart = close
            }
        }
        for (array, present) in indexes.sorted(by: { $0.key < $1.key }) {
            for index in present.sorted() where index > 0 && !present.contains(index - 1) {
                let element = "\(array)[\(index)]"
                return (element, "\(array)[\(index - 1)]", firstLocation[element]!)
            }
        }
        return nil
    }

    private mutating func parseAggregates(_ node: ConfigNode, subject: String) -> [Aggregate]? {
        guard let mapping = node.mapping, !mapping.entries.isEmpty else {
            report(
                .invalidOption, at: node.location,
                "\(subject) must be a mapping name: function(expression) such as yield: sum(data.yield.value); found "
                    + node.kindDescription)
            return nil
        }
        let functions = Aggregate.Function.allCases.map(\.rawValue)
        var result: [Aggregate] = []
        var valid = true
        for entry in mapping.entries {
            let name = entry.key.text
            guard ExpressionLexer.isIdentifier(name), name != "window" else {
                report(
                    .invalidOption, at: entry.key.location,
                    "'\(name)' is not a valid aggregate name (letters, digits, '_'; not 'window')")
                valid = false
                continue
            }
            guard let scalar = entry.value.scalar, !scalar.isNull, let expression = parseExpression(scalar) else {
                if entry.value.scalar == nil || entry.value.isNull {
                    report(
                        .invalidOption, at: entry.value.location,
                        "aggregate '\(name)' must be function(expression); found \(entry.value.kindDescription)")
                }
                valid = false
                continue
            }
            guard case .call(let function, let arguments, let location) = expression else {
                report(
                    .invalidOption, at: scalar.location,
                    "aggregate '\(name)' must be a call of \(functions.joined(separator: ", ")) such as "
                        + "sum(data.yield.value); found '\(scalar.text)'")
                valid = false
                continue
            }
            guard let kind = Aggregate.Function(rawValue: function) else {
                report(
                    .unknownFunction, at: location,
                    "unknown aggregate function '\(function)'\(Suggestion.hint(for: function, in: functions)); "
                        + "expected one of: \(functions.joined(separator: ", "))")
                valid = false
                continue
            }
            let expected = kind == .count ? 0 : 1
            guard arguments.count == expected else {
                report(
                    .wrongArity, at: location,
                    "\(function)() takes \(expected == 0 ? "no arguments" : "one argument"); found \(arguments.count)")
                valid = false
                continue
            }
            result.append(Aggregate(name: name, function: kind, argument: arguments.first, location: location))
        }
        return valid ? result : nil
    }

    private mutating func parseKafkaProperties(_ node: ConfigNode, subject: String) -> [String: ConfigValue]? {
        guard let mapping = node.mapping else {
            report(
                .invalidOption, at: node.location,
                "\(subject) must be a mapping of librdkafka properties; found \(node.kindDescription)")
            return nil
        }
        var result: [String: ConfigValue] = [:]
        var valid = true
        for entry in mapping.entries {
            let key = entry.key.text
            let isSecret = Self.secretProperties.contains(key)
            switch entry.value {
            case .scalar(let scalar):
                if isSecret {
                    let hint = scalar.isSubstituted || scalar.decoded.contains("${") ? " (not ${VAR} either)" : ""
                    report(
                        .literalSecret, at: scalar.location,
                        "secret '\(key)' must not be written in the topology\(hint); write { env: NAME } "
                            + "or { file: PATH }")
                    valid = false
                    continue
                }
                result[key] = .literal(scalar.text)
            case .mapping(let reference):
                guard reference.entries.count == 1, let only = reference.entries.first,
                    only.key.text == "env" || only.key.text == "file", let value = only.value.scalar, !value.isNull
                else {
                    report(
                        .invalidOption, at: reference.location,
                        "'\(key)' must be a value, { env: NAME } or { file: PATH }")
                    valid = false
                    continue
                }
                if only.key.text == "env" {
                    guard EnvironmentSubstitution.isVariableName(value.text) else {
                        report(
                            .invalidOption, at: value.location,
                            "'\(value.text)' is not an environment variable name (letters, digits, '_')")
                        valid = false
                        continue
                    }
                    result[key] = .environment(value.text)
                } else {
                    result[key] = .file(value.text)
                }
            case .sequence(let sequence):
                report(
                    .invalidOption, at: sequence.location,
                    "'\(key)' must be a value, { env: NAME } or { file: PATH }; found a list")
                valid = false
            }
        }
        return valid ? result : nil
    }

    private mutating func parseSteps(_ node: ConfigNode, subject: String) -> [OptionValue]? {
        guard let sequence = node.sequence, !sequence.items.isEmpty else {
            report(
                .invalidOption, at: node.location,
                "\(subject) must be a non-empty list of steps (- validate: {} ...); found \(node.kindDescription)")
            return nil
        }
        var steps: [OptionValue] = []
        for item in sequence.items {
            guard let mapping = item.mapping, mapping.entries.count == 1, let entry = mapping.entries.first else {
                if let scalar = item.scalar, !scalar.isNull, stepSpecs[scalar.text] != nil {
                    report(
                        .invalidOption, at: item.location,
                        "step '\(scalar.text)' needs its options as a mapping: write '- \(scalar.text): {}'")
                } else {
                    report(
                        .invalidOption, at: item.location,
                        "each step must be a mapping with exactly one key, the step kind (- window: {...}); found "
                            + (item.mapping.map { "a mapping with keys \($0.entries.map(\.key.text))" }
                                ?? item.kindDescription))
                }
                var invalid = ParsedOptions(location: item.location)
                invalid.isValid = false
                steps.append(.step("", invalid))
                continue
            }
            let kind = entry.key.text
            guard let spec = stepSpecs[kind] else {
                report(
                    .unknownStep, at: entry.key.location,
                    "unknown step '\(kind)'\(Suggestion.hint(for: kind, in: stepSpecs.keys.sorted())); expected one of: "
                        + stepSpecs.keys.sorted().joined(separator: ", "))
                var invalid = ParsedOptions(location: entry.key.location)
                invalid.isValid = false
                steps.append(.step(kind, invalid))
                continue
            }
            steps.append(.step(kind, parseObject(entry.value, spec: spec.object, at: entry.key.location)))
        }
        return steps
    }
}

extension OptionType {
    /// Whether a null (empty) value is acceptable: mappings whose options are all optional.
    var acceptsNull: Bool {
        if case .object(let spec) = self { return spec.options.allSatisfy { !$0.isRequired } }
        return false
    }

    /// Mappings and lists; a bare scalar is not shorthand for a one-element list of these.
    var isStructured: Bool {
        switch self {
        case .object, .list, .fields, .aggregates, .kafkaProperties, .steps: true
        default: false
        }
    }
}

extension ExpressionLexer {
    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isIdentifierStart(first) else { return false }
        return text.unicodeScalars.allSatisfy(isIdentifierPart)
    }
}
