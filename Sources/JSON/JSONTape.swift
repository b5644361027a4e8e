/// One value on the tape (20 bytes).
///
/// - `meta`: kind in the low 8 bits, flags above.
/// - `start`/`end`: byte range of the value. Strings: the content between the quotes.
/// - containers: `a` = tape index one past the last descendant, `b` = element or member count.
/// - numbers that fit `Int64`: `a`/`b` = low/high 32 bits of the value.
@usableFromInline
struct TapeEntry {
    @usableFromInline var meta: UInt32
    @usableFromInline var start: UInt32
    @usableFromInline var end: UInt32
    @usableFromInline var a: UInt32
    @usableFromInline var b: UInt32

    @usableFromInline static let flagEscapes: UInt32 = 1 << 8
    @usableFromInline static let flagIntegerSyntax: UInt32 = 1 << 8
    @usableFromInline static let flagInt64: UInt32 = 1 << 9

    @inlinable init(meta: UInt32, start: UInt32, end: UInt32, a: UInt32, b: UInt32) {
        self.meta = meta
        self.start = start
        self.end = end
        self.a = a
        self.b = b
    }

    /// The kind (the reader only ever stores valid raw values, so no check is needed).
    @inlinable var kind: JSONKind { unsafeBitCast(UInt8(truncatingIfNeeded: meta), to: JSONKind.self) }
    @inlinable var kindRaw: UInt8 { UInt8(truncatingIfNeeded: meta) }
}

/// Caller-owned, reusable storage for the structural index ("tape") of one parsed document.
///
/// The reader writes one entry per value (object keys included) in document order; containers
/// record where they end, so siblings are skipped in O(1). Reusing one tape across records makes
/// parsing allocation-free once the tape has grown to the largest record seen.
///
/// - Important: A `JSONTape` is not thread-safe. Parsing into a tape invalidates every
///   ``JSONDocument`` and ``JSONNode`` previously produced from it.
public final class JSONTape {
    /// The storage of a tape, behind a pointer: the reader reads and writes it without the dynamic
    /// exclusivity checks that stored class properties need.
    @usableFromInline
    struct Storage {
        @usableFromInline var entries: UnsafeMutablePointer<TapeEntry>
        @usableFromInline var capacity: Int
        @usableFromInline var count = 0
        @usableFromInline var stack: UnsafeMutablePointer<UInt32>
        @usableFromInline var stackCapacity: Int

        @inlinable
        init(
            entries: UnsafeMutablePointer<TapeEntry>, capacity: Int, stack: UnsafeMutablePointer<UInt32>,
            stackCapacity: Int
        ) {
            self.entries = entries
            self.capacity = capacity
            self.stack = stack
            self.stackCapacity = stackCapacity
        }

        /// Grows the entry storage so at least `minimum` entries fit.
        @usableFromInline
        mutating func grow(minimum: Int) {
            var newCapacity = capacity * 2
            while newCapacity < minimum { newCapacity *= 2 }
            let fresh = UnsafeMutablePointer<TapeEntry>.allocate(capacity: newCapacity)
            fresh.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = fresh
            capacity = newCapacity
        }

        /// Grows the container stack so at least `minimum` levels fit.
        @usableFromInline
        mutating func growStack(minimum: Int) {
            var newCapacity = stackCapacity * 2
            while newCapacity < minimum { newCapacity *= 2 }
            let fresh = UnsafeMutablePointer<UInt32>.allocate(capacity: newCapacity)
            fresh.moveInitialize(from: stack, count: stackCapacity)
            stack.deallocate()
            stack = fresh
            stackCapacity = newCapacity
        }
    }

    @usableFromInline let storage: UnsafeMutablePointer<Storage>

    @inlinable var entries: UnsafeMutablePointer<TapeEntry> {
        get { storage.pointee.entries }
        set { storage.pointee.entries = newValue }
    }
    @inlinable var capacity: Int {
        get { storage.pointee.capacity }
        set { storage.pointee.capacity = newValue }
    }
    @inlinable var count: Int {
        get { storage.pointee.count }
        set { storage.pointee.count = newValue }
    }
    @inlinable var stack: UnsafeMutablePointer<UInt32> {
        get { storage.pointee.stack }
        set { storage.pointee.stack = newValue }
    }
    @inlinable var stackCapacity: Int {
        get { storage.pointee.stackCapacity }
        set { storage.pointee.stackCapacity = newValue }
    }

    /// Creates a tape.
    /// - Parameter capacity: Initial number of entries (grows on demand, never shrinks).
    public init(capacity: Int = 256) {
        let capacity = max(capacity, 16)
        storage = .allocate(capacity: 1)
        storage.initialize(
            to: Storage(
                entries: .allocate(capacity: capacity), capacity: capacity, stack: .allocate(capacity: 32),
                stackCapacity: 32))
    }

    deinit {
        entries.deallocate()
        stack.deallocate()
        storage.deallocate()
    }

    /// The number of values on the tape from the last parse.
    public var valueCount: Int { count }
}
