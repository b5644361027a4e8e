/// An error from reading JSON or from exact decimal arithmetic.
///
/// Reader errors carry the byte offset of the problem plus its 1-based line and column; arithmetic
/// errors have offset, line and column set to 0.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a closed set of codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: UInt8, Sendable {
            case unexpectedEnd, unexpectedCharacter, invalidLiteral, invalidNumber, invalidString, invalidEscape
            case invalidUnicode, invalidUTF8, controlCharacter, tooDeep, trailingData, emptyInput, tooLarge
            case decimalOverflow, divisionByZero, invalidDecimal
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The input ended inside a value.
        public static let unexpectedEnd = Code(.unexpectedEnd)
        /// A byte that cannot start or continue the current construct.
        public static let unexpectedCharacter = Code(.unexpectedCharacter)
        /// A misspelled `true`, `false` or `null`.
        public static let invalidLiteral = Code(.invalidLiteral)
        /// A number that does not follow the RFC 8259 grammar.
        public static let invalidNumber = Code(.invalidNumber)
        /// A malformed string.
        public static let invalidString = Code(.invalidString)
        /// An unknown backslash escape.
        public static let invalidEscape = Code(.invalidEscape)
        /// A `\u` escape that is malformed or a lone/unpaired UTF-16 surrogate.
        public static let invalidUnicode = Code(.invalidUnicode)
        /// Bytes that are not well-formed UTF-8 (including overlong forms and encoded surrogates).
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// An unescaped control character (U+0000–U+001F) inside a string.
        public static let controlCharacter = Code(.controlCharacter)
        /// Nesting deeper than the reader's limit.
        public static let tooDeep = Code(.tooDeep)
        /// Non-whitespace bytes after the root value.
        public static let trailingData = Code(.trailingData)
        /// Empty or whitespace-only input.
        public static let emptyInput = Code(.emptyInput)
        /// Input larger than the reader supports (4 GiB) or a value too large for its representation.
        public static let tooLarge = Code(.tooLarge)
        /// Decimal arithmetic or conversion overflowed the exact representation.
        public static let decimalOverflow = Code(.decimalOverflow)
        /// Decimal division by zero.
        public static let divisionByZero = Code(.divisionByZero)
        /// Text that is not a decimal number.
        public static let invalidDecimal = Code(.invalidDecimal)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public var code: Code
    /// Byte offset in the input (0-based).
    public var offset: Int
    /// Line of `offset` (1-based; 0 when not about input).
    public var line: Int
    /// Column of `offset` in bytes (1-based; 0 when not about input).
    public var column: Int
    /// Human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(code: Code, offset: Int = 0, line: Int = 0, column: Int = 0, message: String) {
        self.code = code
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(line):\(column) (byte \(offset)): \(message)" : message
    }
}
