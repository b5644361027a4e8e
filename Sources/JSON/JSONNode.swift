/// One value inside a ``JSONDocument``: a document plus a tape index.
///
/// Accessors never allocate except the ones that return `String`, ``JSONValue`` or `[UInt8]`.
/// Scalar accessors return `nil` when the value has another kind.
///
/// - Important: Same lifetime as the ``JSONDocument`` it came from.
public struct JSONNode {
    /// The document this value belongs to.
    public let document: JSONDocument
    /// The position of this value on the tape (stable for the document's lifetime).
    public let index: Int

    @inlinable
    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    @inlinable @inline(__always)
    var entry: TapeEntry { document.entries[index] }

    /// The kind of the value.
    @inlinable public var kind: JSONKind { entry.kind }

    /// Byte offset of the value in the input (for strings: the opening quote).
    @inlinable public var byteOffset: Int {
        let entry = entry
        return entry.kindRaw == JSONKind.string.rawValue ? Int(entry.start) - 1 : Int(entry.start)
    }

    /// The exact input bytes of the value, quotes and brackets included (for copying raw fragments).
    @inlinable public var rawBytes: UnsafeRawBufferPointer {
        let entry = entry
        let isString = entry.kindRaw == JSONKind.string.rawValue
        let start = isString ? Int(entry.start) - 1 : Int(entry.start)
        let end = isString ? Int(entry.end) + 1 : Int(entry.end)
        return UnsafeRawBufferPointer(start: document.base + start, count: end - start)
    }

    /// The tape index one past this value and all of its descendants (the next sibling's index).
    @inlinable public var nextIndex: Int {
        let entry = entry
        return entry.kindRaw >= JSONKind.array.rawValue ? Int(entry.a) : index + 1
    }

    // MARK: Scalars

    /// `true` if the value is `null`.
    @inlinable public var isNull: Bool { entry.kindRaw == JSONKind.null.rawValue }

    /// The boolean, or `nil` if the value is not a boolean.
    @inlinable public var bool: Bool? {
        switch entry.kindRaw {
        case JSONKind.true.rawValue: true
        case JSONKind.false.rawValue: false
        default: nil
        }
    }

    /// The number as `Int64` when it is written as an integer (no fraction or exponent) that fits.
    @inlinable public var int64: Int64? {
        let entry = entry
        guard entry.meta & 0xFF == UInt32(JSONKind.number.rawValue), entry.meta & TapeEntry.flagInt64 != 0 else {
            return nil
        }
        return Int64(bitPattern: UInt64(entry.b) << 32 | UInt64(entry.a))
    }

    /// `true` if the number was written without fraction or exponent (e.g. `12`, not `12.0`).
    @inlinable public var hasIntegerSyntax: Bool {
        let entry = entry
        return entry.kindRaw == JSONKind.number.rawValue && entry.meta & TapeEntry.flagIntegerSyntax != 0
    }

    /// The number's original text (e.g. `-1.50e3`), or `nil` if the value is not a number.
    @inlinable public var numberText: UnsafeRawBufferPointer? {
        let entry = entry
        guard entry.kindRaw == JSONKind.number.rawValue else { return nil }
        return UnsafeRawBufferPointer(start: document.base + Int(entry.start), count: Int(entry.end - entry.start))
    }

    /// The number as an exact decimal, or `nil` if not a number or outside ``ExactDecimal``'s range.
    @inlinable public var decimal: ExactDecimal? {
        if let value = int64 { return ExactDecimal(value) }
        guard let text = numberText else { return nil }
        return try? ExactDecimal(parsing: text)
    }

    /// The value as an exact decimal: a number, or a string holding decimal text such as `"12.345"`
    /// (the canonical model's `Dec`); `nil` for other values or when it does not fit ``ExactDecimal``.
    @inlinable public var decimalFromNumberOrString: ExactDecimal? {
        if let text = rawStringBytes {
            guard !hasEscapes else { return nil }
            return try? ExactDecimal(parsing: text)
        }
        return decimal
    }

    /// The number exactly, whatever its magnitude; `nil` if the value is not a number.
    public var number: JSONNumber? {
        if let value = int64 { return JSONNumber(value) }
        guard let text = numberText else { return nil }
        return JSONNumber(validatedText: text)
    }

    // MARK: Strings

    /// `true` if the string contains backslash escapes (its raw bytes differ from its value).
    @inlinable public var hasEscapes: Bool { entry.meta & TapeEntry.flagEscapes != 0 }

    /// The string's raw content between the quotes, escapes not decoded; `nil` if not a string.
    @inlinable public var rawStringBytes: UnsafeRawBufferPointer? {
        let entry = entry
        guard entry.kindRaw == JSONKind.string.rawValue else { return nil }
        return UnsafeRawBufferPointer(start: document.base + Int(entry.start), count: Int(entry.end - entry.start))
    }

    /// Calls `body` with the string's unescaped UTF-8 bytes (no copy when the string has no escapes).
    ///
    /// - Returns: `body`'s result, or `nil` if the value is not a string.
    @inlinable
    public func withUnescapedBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard let raw = rawStringBytes else { return nil }
        if entry.meta & TapeEntry.flagEscapes == 0 { return body(raw) }
        var buffer: [UInt8] = []
        JSONEscaping.unescape(raw, into: &buffer)
        return buffer.withUnsafeBytes { body($0) }
    }

    /// Appends the string's unescaped UTF-8 bytes to `buffer`; returns `false` if not a string.
    @inlinable @discardableResult
    public func appendUnescapedBytes(to buffer: inout [UInt8]) -> Bool {
        guard let raw = rawStringBytes else { return false }
        if entry.meta & TapeEntry.flagEscapes == 0 {
            buffer.append(contentsOf: raw)
        } else {
            JSONEscaping.unescape(raw, into: &buffer)
        }
        return true
    }

    /// The string value (allocates; keep off the hot path), or `nil` if not a string.
    public var string: String? {
        guard let raw = rawStringBytes else { return nil }
        if !hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var buffer: [UInt8] = []
        JSONEscaping.unescape(raw, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Compares the string's unescaped value with `utf8` without allocating (unless it has escapes).
    @inlinable
    public func stringEquals(_ utf8: UnsafeRawBufferPointer) -> Bool {
        guard let raw = rawStringBytes else { return false }
        if entry.meta & TapeEntry.flagEscapes == 0 { return JSONEscaping.bytesEqual(raw, utf8) }
        return JSONEscaping.unescapedEquals(raw, utf8)
    }

    /// Compares the string's value with `text`.
    @inlinable
    public func stringEquals(_ text: StaticString) -> Bool {
        stringEquals(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Compares the string's value with `text`.
    @inlinable
    public func stringEquals(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { stringEquals(UnsafeRawBufferPointer($0)) }
    }

    /// The number of Unicode scalars in the string (JSON Schema's string length); `nil` if not a string.
    @inlinable public var scalarCount: Int? {
        guard let raw = rawStringBytes else { return nil }
        if entry.meta & TapeEntry.flagEscapes == 0 { return JSONEscaping.scalarCount(raw) }
        var buffer: [UInt8] = []
        JSONEscaping.unescape(raw, into: &buffer)
        return buffer.withUnsafeBytes { JSONEscaping.scalarCount($0) }
    }

    // MARK: Containers

    /// The number of elements (array) or members (object); `0` for scalars.
    @inlinable public var count: Int {
        let entry = entry
        return entry.kindRaw >= JSONKind.array.rawValue ? Int(entry.b) : 0
    }

    /// The elements of an array (empty for other kinds).
    @inlinable public var elements: Elements { Elements(node: self) }

    /// The members of an object in document order (empty for other kinds).
    @inlinable public var members: Members { Members(node: self) }

    /// The member value for `key` (the first one if the key repeats), or `nil`.
    ///
    /// Compares the unescaped key bytes; no `String` is created.
    @inlinable
    public func member(utf8 key: UnsafeRawBufferPointer) -> JSONNode? {
        let entry = entry
        guard entry.kindRaw == JSONKind.object.rawValue else { return nil }
        var cursor = index + 1
        let end = Int(entry.a)
        let entries = document.entries
        while cursor < end {
            let keyEntry = entries[cursor]
            let valueIndex = cursor + 1
            let rawLength = Int(keyEntry.end - keyEntry.start)
            if keyEntry.meta & TapeEntry.flagEscapes == 0 {
                if rawLength == key.count
                    && (rawLength == 0 || memcmpBytes(document.base + Int(keyEntry.start), key.baseAddress!, rawLength))
                {
                    return JSONNode(document: document, index: valueIndex)
                }
            } else if JSONNode(document: document, index: cursor).stringEquals(key) {
                return JSONNode(document: document, index: valueIndex)
            }
            let valueEntry = entries[valueIndex]
            cursor = valueEntry.kindRaw >= JSONKind.array.rawValue ? Int(valueEntry.a) : valueIndex + 1
        }
        return nil
    }

    /// The member value for `key`, or `nil`.
    @inlinable
    public func member(_ key: StaticString) -> JSONNode? {
        member(utf8: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The member value for `key`, or `nil`.
    @inlinable
    public subscript(key: String) -> JSONNode? {
        var key = key
        return key.withUTF8 { member(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The array element at `position` (linear in `position`), or `nil`.
    @inlinable
    public subscript(position: Int) -> JSONNode? {
        guard kind == .array, position >= 0, position < count else { return nil }
        var cursor = index + 1
        var remaining = position
        while remaining > 0 {
            cursor = JSONNode(document: document, index: cursor).nextIndex
            remaining -= 1
        }
        return JSONNode(document: document, index: cursor)
    }

    /// The elements of an array, in order.
    public struct Elements: Sequence {
        @usableFromInline let node: JSONNode
        @inlinable init(node: JSONNode) { self.node = node }

        /// Iterates the elements by skipping over each element's descendants.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let document: JSONDocument
            @usableFromInline var cursor: Int
            @usableFromInline let end: Int
            @inlinable init(document: JSONDocument, cursor: Int, end: Int) {
                self.document = document
                self.cursor = cursor
                self.end = end
            }
            @inlinable
            public mutating func next() -> JSONNode? {
                guard cursor < end else { return nil }
                let node = JSONNode(document: document, index: cursor)
                cursor = node.nextIndex
                return node
            }
        }

        @inlinable
        public func makeIterator() -> Iterator {
            let entry = node.entry
            let isArray = entry.kindRaw == JSONKind.array.rawValue
            return Iterator(document: node.document, cursor: node.index + 1, end: isArray ? Int(entry.a) : 0)
        }

        @inlinable public var underestimatedCount: Int { node.kind == .array ? node.count : 0 }
    }

    /// The members of an object, in document order.
    public struct Members: Sequence {
        @usableFromInline let node: JSONNode
        @inlinable init(node: JSONNode) { self.node = node }

        /// Iterates `(key, value)` pairs; `key` is a string node.
        public struct Iterator: IteratorProtocol {
            @usableFromInline let document: JSONDocument
            @usableFromInline var cursor: Int
            @usableFromInline let end: Int
            @inlinable init(document: JSONDocument, cursor: Int, end: Int) {
                self.document = document
                self.cursor = cursor
                self.end = end
            }
            @inlinable
            public mutating func next() -> (key: JSONNode, value: JSONNode)? {
                guard cursor < end else { return nil }
                let key = JSONNode(document: document, index: cursor)
                let value = JSONNode(document: document, index: cursor + 1)
                cursor = value.nextIndex
                return (key, value)
            }
        }

        @inlinable
        public func makeIterator() -> Iterator {
            let entry = node.entry
            let isObject = entry.kindRaw == JSONKind.object.rawValue
            return Iterator(document: node.document, cursor: node.index + 1, end: isObject ? Int(entry.a) : 0)
        }

        @inlinable public var underestimatedCount: Int { node.kind == .object ? node.count : 0 }
    }
}

/// Byte equality of two non-overlapping ranges of `count` bytes.
@inlinable @inline(__always)
func memcmpBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafeRawPointer, _ count: Int) -> Bool {
    var index = 0
    let right = rhs.assumingMemoryBound(to: UInt8.self)
    while index + 8 <= count {
        if UnsafeRawPointer(lhs + index).loadUnaligned(as: UInt64.self)
            != UnsafeRawPointer(right + index).loadUnaligned(as: UInt64.self)
        {
            return false
        }
        index += 8
    }
    while index < count {
        if lhs[index] != right[index] { return false }
        index += 1
    }
    return true
}
