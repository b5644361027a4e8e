import JSON
import Timekeeping
import Topology

extension ExpressionCompiler {
    /// Compiles a function call (the fixed set of docs/topology.md, "Expressions").
    func compileCall(_ name: String, _ arguments: [Expression], in scope: Scope, at location: SourceLocation)
        throws(EngineError) -> Evaluator
    {
        func arity(_ counts: ClosedRange<Int>) throws(EngineError) {
            guard counts.contains(arguments.count) else {
                let expected = counts.lowerBound == counts.upperBound ? "\(counts.lowerBound)" : "\(counts)"
                throw EngineError(
                    .invalidExpression, "\(name)() takes \(expected) arguments, got \(arguments.count)", at: location)
            }
        }
        var compiled: [Evaluator] = []
        switch name {
        case "lookup":
            try arity(3...16)
        default:
            for argument in arguments { compiled.append(try compile(argument, in: scope)) }
        }
        switch name {
        case "convert":
            try arity(4...5)
            return try compileConvert(
                compiled, scale: arguments.count == 5 ? arguments[4] : nil, in: scope, at: location)
        case "localDate", "localTime":
            try arity(1...1)
            return try compileLocal(compiled[0], time: name == "localTime", in: scope, at: location)
        case "lookup":
            return try compileLookup(arguments, in: scope, at: location)
        case "eventId", "sourceSystem":
            try arity(0...0)
            if scope.isWindowed {
                throw EngineError(
                    .invalidExpression,
                    "\(name)() is the input event's; after a window the record is the window result (see sources)",
                    at: location)
            }
            if name == "eventId" { return { context in context.identity.eventIdValue(of: context) } }
            return { context in context.identity.sourceSystemValue(of: context) }
        case "concat":
            try arity(1...64)
            return { (context) throws(RecordFailure) -> Value in
                var text: [UInt8] = []
                for part in compiled { try part(context).appendText(to: &text) }
                return .text(text)
            }
        case "upper", "lower":
            try arity(1...1)
            let argument = compiled[0]
            let upper = name == "upper"
            return { (context) throws(RecordFailure) -> Value in
                let value = try argument(context)
                if value.isNull { return .null }
                var text = value.textBytes
                for index in text.indices {
                    let byte = text[index]
                    if upper, byte >= 0x61, byte <= 0x7A { text[index] = byte - 0x20 }
                    if !upper, byte >= 0x41, byte <= 0x5A { text[index] = byte + 0x20 }
                }
                return .text(text)
            }
        case "pad":
            try arity(2...3)
            let (value, width) = (compiled[0], compiled[1])
            let fill = compiled.count == 3 ? compiled[2] : { _ in .text([0x30]) }
            return { (context) throws(RecordFailure) -> Value in
                let input = try value(context)
                if input.isNull { return .null }
                guard let count = try width(context).decimal?.int64, count >= 0, count <= 256 else {
                    throw RecordFailure(.expressionType, "pad() width must be an integer 0...256")
                }
                let fillBytes = try fill(context).textBytes
                guard let fillByte = fillBytes.first, fillBytes.count == 1 else {
                    throw RecordFailure(.expressionType, "pad() fill must be one ASCII character")
                }
                let text = input.textBytes
                if text.count >= Int(count) { return .text(text) }
                return .text(Array(repeating: fillByte, count: Int(count) - text.count) + text)
            }
        case "round":
            try arity(1...2)
            let value = compiled[0]
            let scale = compiled.count == 2 ? compiled[1] : { _ in .decimal(.zero) }
            return { (context) throws(RecordFailure) -> Value in
                let input = try value(context)
                if input.isNull { return .null }
                guard let number = input.decimal, let digits = try scale(context).decimal?.int64, digits >= 0,
                    digits <= 38
                else { throw RecordFailure(.expressionType, "round() needs a number and a scale 0...38") }
                do throws(JSONError) { return .decimal(try number.rounded(scale: Int(digits))) } catch {
                    throw RecordFailure(.decimalOverflow, error.message)
                }
            }
        case "abs":
            try arity(1...1)
            let value = compiled[0]
            return { (context) throws(RecordFailure) -> Value in
                let input = try value(context)
                if input.isNull { return .null }
                guard let number = input.decimal else { throw RecordFailure(.expressionType, "abs() needs a number") }
                if !number.isNegative { return .decimal(number) }
                do throws(JSONError) { return .decimal(try number.negated()) } catch {
                    throw RecordFailure(.decimalOverflow, error.message)
                }
            }
        case "if":
            try arity(3...3)
            let (condition, then, otherwise) = (compiled[0], compiled[1], compiled[2])
            return { (context) throws(RecordFailure) -> Value in
                try condition(context).isTrue ? try then(context) : try otherwise(context)
            }
        case "coalesce":
            try arity(1...64)
            return { (context) throws(RecordFailure) -> Value in
                for part in compiled {
                    let value = try part(context)
                    if !value.isNull { return value }
                }
                return .null
            }
        case "durationMs":
            try arity(2...2)
            let (from, to) = (compiled[0], compiled[1])
            return { (context) throws(RecordFailure) -> Value in
                let start = try from(context)
                let end = try to(context)
                if start.isNull || end.isNull { return .null }
                guard let startTime = Self.instant(start), let endTime = Self.instant(end) else {
                    throw RecordFailure(.expressionType, "durationMs() needs two RFC 3339 timestamps")
                }
                return .decimal(ExactDecimal(endTime - startTime))
            }
        case "rfc3339":
            try arity(1...1)
            let time = compiled[0]
            return { (context) throws(RecordFailure) -> Value in
                let value = try time(context)
                if value.isNull { return .null }
                guard let instant = Self.instant(value) else {
                    throw RecordFailure(.expressionType, "rfc3339() needs a timestamp or epoch milliseconds")
                }
                var text: [UInt8] = []
                RFC3339.appendTimestamp(instant, to: &text)
                return .text(text)
            }
        case "len":
            try arity(1...1)
            let value = compiled[0]
            return { (context) throws(RecordFailure) -> Value in
                switch try value(context) {
                case .null: return .null
                case .text(let bytes): return .decimal(ExactDecimal(Int64(Self.scalarCount(bytes))))
                case .node(let node):
                    switch node.kind {
                    case .array, .object: return .decimal(ExactDecimal(Int64(node.count)))
                    case .string: return .decimal(ExactDecimal(Int64(node.scalarCount ?? 0)))
                    case .null: return .null
                    default: throw RecordFailure(.expressionType, "len() needs an array, object or string")
                    }
                default: throw RecordFailure(.expressionType, "len() needs an array, object or string")
                }
            }
        default:
            throw EngineError(
                .invalidExpression,
                "unknown function \(name)(); expected convert, localDate, localTime, lookup, concat, upper, lower, "
                    + "pad, round, abs, if, coalesce, durationMs or len",
                at: location)
        }
    }

    /// An RFC 3339 string (or epoch-ms number) as epoch milliseconds.
    static func instant(_ value: Value) -> Int64? {
        if value.isString { return value.withString { RFC3339.parse($0) } ?? nil }
        return value.decimal?.int64
    }

    static func scalarCount(_ bytes: [UInt8]) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
    }

    /// The evaluator of the plant in this scope (`plantId`; a foreign record's `plant`), or `nil` when the scope
    /// has none.
    func plantEvaluator(in scope: Scope) -> Evaluator? {
        if case .event = scope.record, scope.mapFields == nil, scope.foreignPlant == true {
            return { context in context.identity.plantValue(of: context) }
        }
        let path = FieldPath(segments: [.member("plantId")])
        return try? compilePath(path, in: scope, at: SourceLocation(file: "", line: 0, column: 0))
    }

    private func compileLocal(_ argument: @escaping Evaluator, time: Bool, in scope: Scope, at location: SourceLocation)
        throws(EngineError) -> Evaluator
    {
        let calendar = services.calendar
        guard let plant = plantEvaluator(in: scope) ?? (calendar.isAbsent ? { _ in .null } : nil) else {
            throw EngineError(
                .invalidExpression, "\(time ? "localTime" : "localDate")() needs plantId in the record", at: location)
        }
        return { (context) throws(RecordFailure) -> Value in
            let input = try argument(context)
            if input.isNull { return .null }
            guard let instant = Self.instant(input) else {
                throw RecordFailure(.expressionType, "local date/time needs an RFC 3339 timestamp")
            }
            let plantId = try plant(context)
            guard let zone = calendar.zone(for: plantId) else {
                throw RecordFailure(.unknownPlant, "plant \(plantId.string ?? "?") is not in the plant calendar")
            }
            let local = instant + zone.offset(at: instant)
            var text: [UInt8] = []
            if time {
                let msOfDay = local - CivilTime.floorDiv(local, CivilTime.dayMs) * CivilTime.dayMs
                RFC3339.appendTwo(msOfDay / 3_600_000, to: &text)
                text.append(0x3A)
                RFC3339.appendTwo(msOfDay / 60_000 % 60, to: &text)
                text.append(0x3A)
                RFC3339.appendTwo(msOfDay / 1000 % 60, to: &text)
            } else {
                RFC3339.appendDate(days: CivilTime.floorDiv(local, CivilTime.dayMs), to: &text)
            }
            return .text(text)
        }
    }

    private func compileLookup(_ arguments: [Expression], in scope: Scope, at location: SourceLocation)
        throws(EngineError) -> Evaluator
    {
        guard case .literal(.string(let tableName), _) = arguments[0],
            case .literal(.string(let field), _) = arguments[1]
        else {
            throw EngineError(
                .invalidExpression, "lookup() takes a quoted table name and a quoted column name first", at: location)
        }
        guard let table = services.tables[tableName] else {
            throw EngineError(.unknownTable, "lookup() names unknown table \(tableName)", at: location)
        }
        var keys: [Evaluator] = []
        for argument in arguments.dropFirst(2) { keys.append(try compile(argument, in: scope)) }
        guard keys.count == table.keyColumns.count else {
            throw EngineError(
                .invalidExpression,
                "lookup('\(tableName)', …) needs \(table.keyColumns.count) key values "
                    + "(\(table.keyColumns.joined(separator: ", "))), got \(keys.count)",
                at: location)
        }
        let fieldKey = Array(field.utf8)
        let scratch = ByteScratch()
        return { (context) throws(RecordFailure) -> Value in
            scratch.bytes.removeAll(keepingCapacity: true)
            for (position, key) in keys.enumerated() {
                if position > 0 { scratch.bytes.append(0x7C) }
                try key(context).appendText(to: &scratch.bytes)
            }
            guard let row = scratch.bytes.withUnsafeBytes({ table.lookup($0, at: context.eventTime) }) else {
                return .null
            }
            guard let cell = fieldKey.withUnsafeBytes({ row.root.member(utf8: $0) }) else { return .null }
            return .node(cell)
        }
    }

    private func compileConvert(
        _ arguments: [Evaluator], scale scaleArgument: Expression?, in scope: Scope, at location: SourceLocation
    ) throws(EngineError) -> Evaluator {
        guard let units = services.units else {
            throw EngineError(.invalidExpression, "convert() needs a units table (top-level units:)", at: location)
        }
        guard let plant = plantEvaluator(in: scope) else {
            throw EngineError(.invalidExpression, "convert() needs plantId in the record", at: location)
        }
        let (quantity, fromUnit, toUnit, material) = (arguments[0], arguments[1], arguments[2], arguments[3])
        var scale = 3
        if let scaleArgument {
            guard case .literal(.number(let text), _) = scaleArgument, let value = Int(text), (0...6).contains(value)
            else {
                throw EngineError(
                    .invalidExpression, "convert() scale must be a literal whole number from 0 to 6",
                    at: scaleArgument.location)
            }
            scale = value
        }
        let site = callSites.take()
        let windowed = scope.isWindowed
        let scratch = ByteScratch()
        func factor(_ row: OwnedDocument?) -> (ExactDecimal, ExactDecimal, [UInt8])? {
            guard let row, let numerator = row.root["numerator"].flatMap({ Value.node($0).decimal }),
                let denominator = row.root["denominator"].flatMap({ Value.node($0).decimal }), !numerator.isZero,
                !denominator.isZero
            else { return nil }
            let base = row.root["baseUom"].map { Value.node($0).textBytes } ?? []
            return (numerator, denominator, base)
        }
        return { (context) throws(RecordFailure) -> Value in
            let input = try quantity(context)
            if input.isNull { return .null }
            guard let amount = input.decimal else {
                throw RecordFailure(.expressionType, "convert() needs a numeric quantity")
            }
            let from = try fromUnit(context).textBytes
            let to = try toUnit(context).textBytes
            let materialId = try material(context).textBytes
            let plantId = try plant(context).textBytes
            var multiplier = ExactDecimal(1)
            var divisor = ExactDecimal(1)
            if from != to {
                func row(_ unit: [UInt8]) -> OwnedDocument? {
                    scratch.bytes.removeAll(keepingCapacity: true)
                    scratch.bytes.append(contentsOf: plantId)
                    scratch.bytes.append(0x7C)
                    scratch.bytes.append(contentsOf: materialId)
                    scratch.bytes.append(0x7C)
                    scratch.bytes.append(contentsOf: unit)
                    return scratch.bytes.withUnsafeBytes { units.lookup($0, at: context.eventTime) }
                }
                let fromFactor = factor(row(from))
                let toFactor = factor(row(to))
                let base = fromFactor?.2 ?? toFactor?.2
                let one = (ExactDecimal(1), ExactDecimal(1), base ?? [])
                guard let base, let source = fromFactor ?? (from == base ? one : nil),
                    let target = toFactor ?? (to == base ? one : nil), source.2 == target.2 || source.2 == base
                else {
                    throw RecordFailure(
                        .unitNotConvertible,
                        "no factor from \(String(decoding: from, as: UTF8.self)) to "
                            + "\(String(decoding: to, as: UTF8.self)) for material "
                            + "\(String(decoding: materialId, as: UTF8.self)) in plant "
                            + "\(String(decoding: plantId, as: UTF8.self))")
                }
                do throws(JSONError) {
                    multiplier = try source.0.multiplied(by: target.1)
                    divisor = try source.1.multiplied(by: target.0)
                } catch {
                    throw RecordFailure(.decimalOverflow, error.message)
                }
            }
            do throws(JSONError) {
                if windowed, let window = context.window, let residues = window.residues {
                    var key = window.groupKey
                    key.append(0x1F)
                    key.append(contentsOf: String(site).utf8)
                    for part in [from, to, materialId] {
                        key.append(0x1F)
                        key.append(contentsOf: part)
                    }
                    return .decimal(
                        try residues.convert(amount, multiplier: multiplier, divisor: divisor, scale: scale, key: key))
                }
                return .decimal(try amount.multiplied(by: multiplier).divided(by: divisor, scale: scale))
            } catch {
                throw RecordFailure(
                    error.code == .divisionByZero ? RecordFailure.Code.divisionByZero : .decimalOverflow, error.message)
            }
        }
    }
}

/// A reusable byte buffer captured by compiled closures (engine thread only).
final class ByteScratch {
    var bytes: [UInt8] = []
}
