/// Appends JSON text into a reusable byte buffer.
///
/// Commas and colons are inserted automatically: call ``key(_:)-(String)`` before each object
/// member's value. The writer does not check that calls nest correctly. Call ``reset()`` between
/// records to reuse the buffer's capacity (no allocation once it has grown).
///
/// ```swift
/// writer.reset()
/// writer.beginObject()
/// writer.key("qty"); writer.decimal(total)
/// writer.key("source"); writer.raw(node.rawBytes)
/// writer.endObject()
/// ```
public struct JSONWriter: Sendable {
    /// The text written so far.
    public private(set) var bytes: [UInt8]
    var needsComma = false

    /// Creates a writer with `capacity` bytes reserved.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Clears the text, keeping the buffer's capacity.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma = false
    }

    /// Calls `body` with the text written so far.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.withUnsafeBytes { body($0) }
    }

    @inline(__always)
    mutating func separator() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Starts an object.
    public mutating func beginObject() {
        separator()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Ends the current object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Starts an array.
    public mutating func beginArray() {
        separator()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Ends the current array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name (escaped) and the colon.
    public mutating func key(utf8: UnsafeRawBufferPointer) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        JSONEscaping.escape(utf8, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a member name and the colon.
    public mutating func key(_ name: StaticString) {
        key(utf8: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
    }

    /// Writes a member name that needs no escaping (a literal without `"`, `\` or control characters) and the
    /// colon, copying it as it is: no scan per call.
    public mutating func plainKey(_ name: StaticString) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a member name and the colon.
    @_disfavoredOverload
    public mutating func key(_ name: String) {
        var name = name
        name.withUTF8 { key(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Writes a string value from UTF-8 bytes (escaped as needed).
    public mutating func string(utf8: UnsafeRawBufferPointer) {
        separator()
        bytes.append(UInt8(ascii: "\""))
        JSONEscaping.escape(utf8, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a string value.
    public mutating func string(_ value: StaticString) {
        string(utf8: UnsafeRawBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount))
    }

    /// Writes a string value. (Disfavoured so that literals take the `StaticString` overload, which needs no
    /// copy of the string.)
    @_disfavoredOverload
    public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { string(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Writes an integer.
    public mutating func int(_ value: Int64) {
        separator()
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, no allocation
        var count = 0
        withUnsafeMutableBytes(of: &digits) { scratch in
            repeat {
                scratch[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude != 0
            while count > 0 {
                count -= 1
                bytes.append(scratch[count])
            }
        }
        needsComma = true
    }

    /// Writes an exact decimal in plain notation (scale kept, no exponent).
    public mutating func decimal(_ value: ExactDecimal) {
        separator()
        value.appendText(to: &bytes)
        needsComma = true
    }

    /// Writes a number exactly.
    public mutating func number(_ value: JSONNumber) {
        separator()
        bytes.append(contentsOf: value.description.utf8)
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separator()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes a complete JSON value's bytes verbatim (e.g. ``JSONNode/rawBytes`` of an input value).
    ///
    /// - Important: The bytes must be one valid JSON value; they are not checked.
    public mutating func raw(_ value: UnsafeRawBufferPointer) {
        separator()
        bytes.append(contentsOf: value)
        needsComma = true
    }

    /// Copies a parsed value's original bytes.
    public mutating func value(_ node: JSONNode) {
        raw(node.rawBytes)
    }

    /// Writes a tree value (compact).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number): self.number(number)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(member.key)
                self.value(member.value)
            }
            endObject()
        }
    }
}
