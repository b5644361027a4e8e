/// A borrowed record header: name and value bytes, valid only during the call that lends them.
package struct RecordHeader {
    /// The header name (UTF-8, no terminating NUL).
    package var name: UnsafeRawBufferPointer
    /// The header value; `nil` for a null value.
    package var value: UnsafeRawBufferPointer?

    /// Creates a header view.
    @inlinable
    package init(name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer?) {
        self.name = name
        self.value = value
    }

    /// `true` if the name equals `text` (ASCII case-sensitive).
    @inlinable
    package func hasName(_ text: StaticString) -> Bool {
        guard name.count == text.utf8CodeUnitCount else { return false }
        let other = text.utf8Start
        for index in 0..<name.count where name[index] != other[index] { return false }
        return true
    }
}
