/// Spec-driven cross-reference lint: every option typed as a table, output, source or schema is checked
/// against what is declared, and every expression's functions against the function catalogue.
extension TopologyBuilder {
    mutating func lintReferences(_ options: ParsedOptions, spec: ObjectSpec, topology: Topology) {
        let declared = DeclaredNames(
            tables: objects(options, "tables"), outputs: objects(options, "outputs"),
            sources: objects(options, "sources"))
        lintReferences(options, spec: spec, declared: declared, topology: topology)
    }

    private mutating func lintReferences(
        _ options: ParsedOptions,
        spec: ObjectSpec,
        declared: DeclaredNames,
        topology: Topology
    ) {
        for name in options.names {
            guard let option = spec.option(name), let value = options[name] else { continue }
            if case .list(let element) = option.type, case .list(let values) = value {
                for (index, item) in values.enumerated() {
                    lintReference(
                        item, type: element, at: options.location(of: name, item: index), declared: declared, topology)
                }
                continue
            }
            lintReference(value, type: option.type, at: options.location(of: name), declared: declared, topology)
        }
    }

    private mutating func lintReference(
        _ value: OptionValue,
        type: OptionType,
        at location: SourceLocation,
        declared: DeclaredNames,
        _ topology: Topology
    ) {
        switch (type, value) {
        case (.table, .string(let name)):
            if declared.tables[name] == nil {
                report(
                    .unknownTable, at: location,
                    "unknown table '\(name)'\(Suggestion.hint(for: name, in: declared.tables.keys)); declared tables: "
                        + Self.list(declared.tables.keys))
            }
        case (.output(let kinds), .string(let name)):
            guard let kind = declared.outputs[name] else {
                report(
                    .unknownOutput, at: location,
                    "unknown output '\(name)'\(Suggestion.hint(for: name, in: declared.outputs.keys)); declared outputs: "
                        + Self.list(declared.outputs.keys))
                return
            }
            if !kinds.contains(kind) {
                let fitting = declared.outputs.filter { kinds.contains($0.value) }.keys
                report(
                    .wrongOutputKind, at: location,
                    "output '\(name)' is of kind \(kind.rawValue); expected an output of kind "
                        + kinds.map(\.rawValue).joined(separator: " or ")
                        + (fitting.isEmpty ? "" : " (such as \(Self.list(fitting)))"))
            }
        case (.source, .string(let name)):
            if !declared.sources.contains(name) {
                report(
                    .unknownSource, at: location,
                    "unknown source '\(name)'\(Suggestion.hint(for: name, in: declared.sources)); declared sources: "
                        + Self.list(declared.sources))
            }
        case (.schemaSelector, .schemaSelector(.fixed(let id))):
            lintReference(.string(id), type: .schema, at: location, declared: declared, topology)
        case (.schema, .string(let id)):
            guard let known = knownSchemaIDs, !known.contains(id), let parsed = SchemaID(parsing: id) else { return }
            let versions = known.compactMap { SchemaID(parsing: $0) }.filter { $0.type == parsed.type }
                .map(\.version).sorted()
            if versions.isEmpty {
                report(
                    .unknownSchema, at: location,
                    "unknown schema '\(id)': the registry has no type '\(parsed.type)'"
                        + Suggestion.hint(for: parsed.type, in: knownSchemaTypes ?? []))
            } else {
                report(
                    .unknownSchema, at: location,
                    "unknown schema '\(id)': the registry has \(parsed.type) "
                        + versions.map { "v\($0)" }.joined(separator: ", "))
            }
        case (.schemaType, .string(let type)):
            guard let known = knownSchemaTypes, !known.contains(type) else { return }
            report(
                .unknownSchema, at: location,
                "unknown schema type '\(type)'\(Suggestion.hint(for: type, in: known)); the registry has no "
                    + "schemas/\(type)/")
        case (.expression, .expression(let expression)):
            lintFunctions(expression, declared: declared, topology)
        case (.expressions, .expressions(let expressions)), (.prefixedKey, .expressions(let expressions)):
            for expression in expressions { lintFunctions(expression, declared: declared, topology) }
        case (.namedExpressions, .named(let named)), (.fields, .named(let named)):
            for entry in named { lintFunctions(entry.expression, declared: declared, topology) }
        case (.aggregates, .aggregates(let aggregates)):
            for aggregate in aggregates {
                if let argument = aggregate.argument { lintFunctions(argument, declared: declared, topology) }
            }
        case (.object(let spec), .object(let options)):
            lintReferences(options, spec: spec, declared: declared, topology: topology)
        case (.list(let element), .list(let values)):
            for value in values { lintReference(value, type: element, at: location, declared: declared, topology) }
        case (.steps, .list(let steps)):
            for case .step(let kind, let options) in steps {
                guard let spec = stepSpecs[kind] else { continue }
                lintReferences(options, spec: spec.object, declared: declared, topology: topology)
            }
        default:
            break
        }
    }

    /// Unknown functions, wrong arity, `lookup` of an unknown table, `convert` without `units`, plant-local
    /// functions without `plantCalendar`.
    mutating func lintFunctions(_ expression: Expression, declared: DeclaredNames, _ topology: Topology) {
        switch expression {
        case .literal, .path:
            return
        case .unary(_, let operand, _):
            lintFunctions(operand, declared: declared, topology)
        case .binary(_, let left, let right, _):
            lintFunctions(left, declared: declared, topology)
            lintFunctions(right, declared: declared, topology)
        case .call(let name, let arguments, let location):
            for argument in arguments { lintFunctions(argument, declared: declared, topology) }
            guard let function = ExpressionFunction.named(name) else {
                if Aggregate.Function(rawValue: name) != nil {
                    report(
                        .unknownFunction, at: location,
                        "\(name)() is a window aggregate; use it under aggregates: of a window step")
                } else {
                    let names = ExpressionFunction.all.map(\.name)
                    report(
                        .unknownFunction, at: location,
                        "unknown function '\(name)'\(Suggestion.hint(for: name, in: names)); functions: "
                            + names.joined(separator: ", "))
                }
                return
            }
            let count = arguments.count
            if count < function.minimumArity || count > (function.maximumArity ?? Int.max) {
                let plural = function.minimumArity == 1 && function.optionalParameters.isEmpty ? "" : "s"
                let expected =
                    function.isVariadic
                    ? "at least \(function.minimumArity) argument\(plural)"
                    : function.optionalParameters.isEmpty
                        ? "\(function.minimumArity) argument\(plural)"
                        : "\(function.minimumArity) to \(function.maximumArity ?? function.minimumArity) arguments"
                report(
                    .wrongArity, at: location,
                    "\(name)() takes \(expected) (\(function.signature)); found \(count)")
                return
            }
            switch name {
            case "convert" where count == 5:
                guard case .literal(.number(let text), _) = arguments[4], let scale = Int(text),
                    (0...6).contains(scale)
                else {
                    report(
                        .invalidOption, at: arguments[4].location,
                        "convert() scale must be a literal whole number from 0 to 6")
                    return
                }
            case "lookup":
                guard case .literal(.string(let table), let tableLocation) = arguments[0] else {
                    report(
                        .invalidOption, at: arguments[0].location,
                        "the first argument of lookup() must be a quoted table name such as 'order_operations'")
                    return
                }
                guard let key = declared.tables[table] else {
                    report(
                        .unknownTable, at: tableLocation,
                        "unknown table '\(table)' in lookup()\(Suggestion.hint(for: table, in: declared.tables.keys)); "
                            + "declared tables: \(Self.list(declared.tables.keys))")
                    return
                }
                if case .literal(let literal, _) = arguments[1], case .string = literal {
                } else {
                    report(
                        .invalidOption, at: arguments[1].location,
                        "the second argument of lookup() must be a quoted column name such as 'workCenter'")
                }
                if !key.isEmpty && count - 2 != key.count {
                    report(
                        .wrongArity, at: location,
                        "lookup('\(table)', ...) passes \(count - 2) key part\(count - 2 == 1 ? "" : "s"); table "
                            + "'\(table)' is keyed by \(key.count) column\(key.count == 1 ? "" : "s") "
                            + "(\(key.joined(separator: ", ")))")
                }
            case "convert" where topology.units == nil:
                report(
                    .missingField, at: location,
                    "convert() needs the unit table: add units: { table: <table keyed by plantId, materialId, uom> }")
            case "localDate" where topology.plantCalendar == nil, "localTime" where topology.plantCalendar == nil:
                report(
                    .missingField, at: location,
                    "\(name)() needs plant time zones: add plantCalendar: { table: <table keyed by plantId> }")
            default:
                break
            }
        }
    }

    static func list(_ names: some Sequence<String>) -> String {
        let sorted = names.sorted()
        return sorted.isEmpty ? "(none)" : sorted.joined(separator: ", ")
    }
}
