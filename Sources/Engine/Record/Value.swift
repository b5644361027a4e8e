import JSON
import Timekeeping

/// A value produced while evaluating an expression: borrowed from a document or computed.
///
/// `.node` values borrow the record's (or a table row's) bytes and are valid only while the record
/// is being processed; use ``StoredValue`` for anything kept in state.
package enum Value {
    case null
    case bool(Bool)
    /// A computed number.
    case decimal(ExactDecimal)
    /// A value inside a parsed document (any kind).
    case node(JSONNode)
    /// A computed string (UTF-8).
    case text([UInt8])

    /// `true` for `null` and a JSON `null`.
    @inlinable
    package var isNull: Bool {
        switch self {
        case .null: true
        case .node(let node): node.isNull
        default: false
        }
    }

    /// `true` only for boolean `true` (conditions treat everything else as false).
    @inlinable
    package var isTrue: Bool {
        switch self {
        case .bool(let flag): flag
        case .node(let node): node.bool == true
        default: false
        }
    }

    /// The value as an exact decimal: numbers, and strings holding a decimal number.
    @inlinable
    package var decimal: ExactDecimal? {
        switch self {
        case .decimal(let value): return value
        case .node(let node):
            switch node.kind {
            case .number: return node.decimal
            case .string:
                return node.withUnescapedBytes { bytes in try? ExactDecimal(parsing: bytes) } ?? nil
            default: return nil
            }
        case .text(let bytes): return bytes.withUnsafeBytes { try? ExactDecimal(parsing: $0) }
        default: return nil
        }
    }

    /// `true` for JSON numbers and computed decimals.
    @inlinable
    package var isNumber: Bool {
        switch self {
        case .decimal: true
        case .node(let node): node.kind == .number
        default: false
        }
    }

    /// `true` for strings (borrowed or computed).
    @inlinable
    package var isString: Bool {
        switch self {
        case .text: true
        case .node(let node): node.kind == .string
        default: false
        }
    }

    /// Calls `body` with a string's unescaped UTF-8 bytes; `nil` for non-strings.
    @inlinable
    package func withString<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        switch self {
        case .text(let bytes): return bytes.withUnsafeBytes(body)
        case .node(let node): return node.withUnescapedBytes(body)
        default: return nil
        }
    }

    /// The string value as a Swift `String` (allocates; error paths and tests).
    package var string: String? {
        withString { String(decoding: $0, as: UTF8.self) }
    }

    /// Appends the value's text form: strings unescaped, numbers as written, booleans as `true`/`false`,
    /// `null` as nothing, objects and arrays as their JSON text. Used for keys and `concat`.
    @inlinable
    package func appendText(to buffer: inout [UInt8]) {
        switch self {
        case .null: break
        case .bool(let flag): buffer.append(contentsOf: flag ? Self.trueBytes : Self.falseBytes)
        case .decimal(let value): value.appendText(to: &buffer)
        case .text(let bytes): buffer.append(contentsOf: bytes)
        case .node(let node):
            switch node.kind {
            case .null: break
            case .string: node.appendUnescapedBytes(to: &buffer)
            case .number: buffer.append(contentsOf: node.numberText!)
            case .true: buffer.append(contentsOf: Self.trueBytes)
            case .false: buffer.append(contentsOf: Self.falseBytes)
            case .array, .object: buffer.append(contentsOf: node.rawBytes)
            }
        }
    }

    /// The text form as a new array.
    @inlinable
    package var textBytes: [UInt8] {
        var buffer: [UInt8] = []
        appendText(to: &buffer)
        return buffer
    }

    @usableFromInline static let trueBytes: [UInt8] = Array("true".utf8)
    @usableFromInline static let falseBytes: [UInt8] = Array("false".utf8)

    /// Equality of the expression language: numbers by value (a string holding a number equals that
    /// number), strings by bytes, booleans, `null == null`; objects and arrays by their JSON text.
    package static func equal(_ lhs: Value, _ rhs: Value) -> Bool {
        let leftNull = lhs.isNull
        let rightNull = rhs.isNull
        if leftNull || rightNull { return leftNull && rightNull }
        if let left = lhs.boolean, let right = rhs.boolean { return left == right }
        if lhs.isNumber || rhs.isNumber {
            guard let left = lhs.decimal, let right = rhs.decimal else { return false }
            return left == right
        }
        if lhs.isString && rhs.isString {
            return lhs.withString { left in rhs.withString { right in bytesEqual(left, right) } ?? false } ?? false
        }
        return lhs.textBytes == rhs.textBytes
    }

    /// Ordering of the expression language: numbers by value, timestamps (RFC 3339 strings) by
    /// instant, other strings by bytes; `nil` when the values cannot be ordered.
    package static func compare(_ lhs: Value, _ rhs: Value) -> Int? {
        if lhs.isNull || rhs.isNull { return nil }
        if lhs.isNumber || rhs.isNumber {
            guard let left = lhs.decimal, let right = rhs.decimal else { return nil }
            return left.compare(right)
        }
        guard lhs.isString, rhs.isString else { return nil }
        return lhs.withString { left in
            rhs.withString { right -> Int in
                if let leftTime = RFC3339.parse(left), let rightTime = RFC3339.parse(right) {
                    return leftTime < rightTime ? -1 : (leftTime == rightTime ? 0 : 1)
                }
                return lexicographic(left, right)
            }
        } ?? nil
    }

    /// The boolean, if the value is one.
    @inlinable
    package var boolean: Bool? {
        switch self {
        case .bool(let flag): flag
        case .node(let node): node.bool
        default: nil
        }
    }

    @usableFromInline
    static func bytesEqual(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        guard left.count == right.count else { return false }
        for index in 0..<left.count where left[index] != right[index] { return false }
        return true
    }

    static func lexicographic(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let count = min(left.count, right.count)
        for index in 0..<count where left[index] != right[index] { return left[index] < right[index] ? -1 : 1 }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    /// Writes the value as JSON. Numbers become JSON strings when `numbersAsStrings` (schema type
    /// `string`, e.g. the domain's `Dec`); strings holding a number become JSON numbers when
    /// `stringsAsNumbers`.
    package func write(to writer: inout JSONWriter, numbersAsStrings: Bool = false, stringsAsNumbers: Bool = false) {
        switch self {
        case .null: writer.null()
        case .bool(let flag): writer.bool(flag)
        case .decimal(let value):
            if numbersAsStrings {
                var text: [UInt8] = []
                value.appendText(to: &text)
                text.withUnsafeBytes { writer.string(utf8: $0) }
            } else {
                writer.decimal(value)
            }
        case .text(let bytes):
            if stringsAsNumbers, let number = self.decimal {
                writer.decimal(number)
            } else {
                bytes.withUnsafeBytes { writer.string(utf8: $0) }
            }
        case .node(let node):
            if numbersAsStrings, node.kind == .number, let text = node.numberText {
                writer.string(utf8: text)
            } else if stringsAsNumbers, node.kind == .string, let number = self.decimal {
                writer.decimal(number)
            } else {
                writer.value(node)
            }
        }
    }

    /// An owned copy for state.
    package func stored() -> StoredValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .decimal(let value): return .decimal(value)
        case .text(let bytes): return .text(bytes)
        case .node(let node):
            switch node.kind {
            case .null: return .null
            case .true: return .bool(true)
            case .false: return .bool(false)
            case .number:
                if let value = node.decimal { return .decimal(value) }
                // A parsed node's bytes are valid JSON; should that ever fail, keep its text.
                return (try? OwnedDocument(copying: node.rawBytes)).map { .json($0) } ?? .text(Array(node.rawBytes))
            case .string:
                var bytes: [UInt8] = []
                node.appendUnescapedBytes(to: &bytes)
                return .text(bytes)
            case .array, .object:
                return (try? OwnedDocument(copying: node.rawBytes)).map { .json($0) } ?? .text(Array(node.rawBytes))
            }
        }
    }
}
