/// A parsed JSON text: the caller's bytes plus the tape the reader built over them.
///
/// A document is a small value of unsafe pointers: copying it is free and it allocates nothing.
///
/// - Important: Valid only while the input buffer is alive and the ``JSONTape`` it was parsed
///   into is neither deallocated nor reused for another parse. Copy out (``JSONValue``,
///   `String`, ``ExactDecimal``) whatever must outlive the record.
public struct JSONDocument {
    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let byteCount: Int
    @usableFromInline let entries: UnsafePointer<TapeEntry>
    /// The number of values on the tape (object keys count as values).
    public let valueCount: Int

    @inlinable
    init(bytes: UnsafeRawBufferPointer, entries: UnsafePointer<TapeEntry>, count: Int) {
        base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? TapeParser.emptyBase
        byteCount = bytes.count
        self.entries = entries
        valueCount = count
    }

    /// The input bytes the document was parsed from.
    @inlinable public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: byteCount) }

    /// The root value.
    @inlinable public var root: JSONNode { JSONNode(document: self, index: 0) }

    /// The value at a tape index (as returned by ``JSONNode/index``).
    @inlinable public func node(at index: Int) -> JSONNode {
        precondition(index >= 0 && index < valueCount, "tape index out of range")
        return JSONNode(document: self, index: index)
    }
}
