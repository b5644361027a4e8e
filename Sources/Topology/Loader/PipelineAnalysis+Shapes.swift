import JSON
import Schemas

/// The type-aware part of the lint: paths resolved against the schema of the record at each step, values used
/// where their type cannot fit, and output schemas the written record can never satisfy.
extension PipelineAnalysis {
    /// Members the ERP and analytics headers write when the output schema declares them.
    static let headerFields: Set<String> = [
        "schemaVersion", "txnId", "recordId", "txnType", "idempotencyKey", "targetSystem", "plantId", "postingDate",
        "businessDate", "documentDate", "createdAt", "window", "sources", "correlationId", "lineage",
    ]

    /// Reports the first member of `path` the record's schema does not have.
    mutating func checkFields(_ path: FieldPath, at location: SourceLocation) {
        guard let shape = scope.shape, !scope.aliases.contains(path.root),
            case .failure(let miss) = shape.resolve(path)
        else { return }
        let prefix = FieldPath(segments: Array(path.segments[..<miss.segment]))
        let place = prefix.segments.isEmpty ? scope.description : "'\(prefix)' of \(scope.description)"
        switch path.segments[miss.segment] {
        case .member(let name):
            let known = miss.parent.memberNames
            let listing =
                known.isEmpty
                ? "\(place) is \(miss.parent.summary)"
                : "\(place) has \(known.joined(separator: ", "))"
            report(
                .unknownRecordField, at: location,
                "unknown field '\(name)' in '\(path)'\(Suggestion.hint(for: name, in: known)): \(listing)")
        case .index(let index):
            report(
                .unknownRecordField, at: location,
                "'\(path)' takes element \(index) of \(place), which is \(miss.parent.summary), not an array")
        }
    }

    /// Reports `expression` when its schema type can never be a number (`what` needs one).
    mutating func checkNumeric(_ expression: Expression, what: String) {
        guard let shape = shape(of: expression) else { return }
        let kind: String
        switch shape {
        case .scalar(let scalar) where !scalar.isNumeric: kind = scalar.description
        case .object, .array: kind = shape.summary
        default: return
        }
        var advice = ""
        if case .scalar(.timestamp) = shape {
            advice = "; durationMs(from, to) gives the milliseconds between two date-times"
        }
        report(
            .typeMismatch, at: expression.location,
            "\(what) needs a number, but \(expression) is \(kind) in \(scope.description)\(advice)")
    }

    /// What the schema says an expression's value is (`nil`: not known).
    func shape(of expression: Expression) -> FieldShape? {
        switch expression {
        case .literal(let literal, _):
            switch literal {
            case .string(let text): return .scalar((try? ExactDecimal(parsing: text)) != nil ? .text : .word)
            case .number: return .scalar(.number)
            case .bool: return .scalar(.boolean)
            case .null: return .scalar(.null)
            }
        case .path(let path, _):
            guard let shape = scope.shape, !scope.aliases.contains(path.root),
                case .success(let found) = shape.resolve(path)
            else { return nil }
            return found
        case .call(let name, let arguments, _):
            switch name {
            case "durationMs", "len": return .scalar(.integer)
            case "round", "abs", "convert": return .scalar(.number)
            case "localDate": return .scalar(.date)
            case "rfc3339": return .scalar(.timestamp)
            case "concat", "upper", "lower", "pad", "localTime", "eventId", "sourceSystem": return .scalar(.text)
            case "if" where arguments.count == 3:
                guard let left = shape(of: arguments[1]), let right = shape(of: arguments[2]) else { return nil }
                return left.union(right)
            default: return nil
            }
        case .unary(let op, _, _):
            return .scalar(op == .not ? .boolean : .number)
        case .binary(let op, let left, let right, _):
            switch op {
            case .add, .subtract, .multiply, .divide: return .scalar(.number)
            case .coalesce:
                guard let left = shape(of: left), let right = shape(of: right) else { return nil }
                return left.union(right)
            default: return .scalar(.boolean)
            }
        }
    }

    /// The fields of a window result: its group values, aggregates and `window`.
    func windowResultFields(_ window: WindowStep) -> [(name: String, shape: FieldShape)] {
        var fields: [(name: String, shape: FieldShape)] = window.groupBy.map {
            ($0.name, shape(of: $0.expression) ?? .any)
        }
        for aggregate in window.aggregates {
            let result: FieldShape
            switch aggregate.function {
            case .count: result = .scalar(.integer)
            case .sum: result = .scalar(.number)
            case .min, .max, .first, .last: result = aggregate.argument.flatMap { shape(of: $0) } ?? .any
            }
            fields.append((aggregate.name, result))
        }
        fields.append(
            (
                "window",
                .closedObject([
                    "start": .scalar(.timestamp), "end": .scalar(.timestamp), "sizeSec": .scalar(.integer),
                    "revision": .scalar(.integer), "closedBy": .scalar(.word),
                ])
            ))
        return fields
    }

    /// Reports required members of the output schema that the record the step writes never has: it was
    /// replaced (by a map or a window) by one whose fields are known, and neither they nor the header write them.
    mutating func checkOutput(schema id: String, header: EmitStep.RecordHeader, at location: SourceLocation) {
        guard writtenNames != nil, let written = scope.shape, let output = schemaShape(id) else { return }
        let generated = header == .none ? [] : Self.headerFields
        var missing: [String] = []
        Self.collectMissing(output, written, path: "", generated: generated, into: &missing)
        guard !missing.isEmpty else { return }
        let names = writtenNames ?? []
        report(
            .unsatisfiableOutput, at: location,
            "\(id) requires \(missing.map { "'\($0)'" }.joined(separator: ", ")), which nothing writes: "
                + "every record would be a dead letter (OUTPUT_INVALID); the record has "
                + (names.isEmpty ? "no fields" : names.joined(separator: ", "))
                + (header == .none ? "" : " plus the header members"))
    }

    /// `a.b[0].c` as a path (`nil` when malformed).
    static func path(ofFieldName name: String) -> FieldPath? {
        var segments: [FieldPath.Segment] = []
        for part in name.split(separator: ".", omittingEmptySubsequences: false) {
            var rest = Substring(part)
            let member = rest.prefix { $0 != "[" }
            guard !member.isEmpty else { return nil }
            segments.append(.member(String(member)))
            rest = rest.dropFirst(member.count)
            while let open = rest.first, open == "[", let close = rest.firstIndex(of: "]"),
                let index = Int(rest[rest.index(after: rest.startIndex)..<close])
            {
                segments.append(.index(index))
                rest = rest[rest.index(after: close)...]
            }
            guard rest.isEmpty else { return nil }
        }
        return FieldPath(segments: segments)
    }

    static func collectMissing(
        _ output: FieldShape, _ written: FieldShape, path: String, generated: Set<String>, into missing: inout [String]
    ) {
        guard case .object(let members, let required, _) = output,
            case .object(let has, _, let open) = written, !open
        else { return }
        for name in required.sorted() {
            let full = path.isEmpty ? name : path + "." + name
            guard let value = has[name] else {
                if !(path.isEmpty && generated.contains(name)) { missing.append(full) }
                continue
            }
            if let member = members[name] {
                collectMissing(member, value, path: full, generated: [], into: &missing)
            }
        }
    }
}
