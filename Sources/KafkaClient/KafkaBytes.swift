/// A value usable as a record key or value: anything that can lend contiguous bytes.
public protocol KafkaBytes {
    /// Calls `body` with the bytes; the buffer is only valid during the call.
    func withKafkaBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R
}

extension Array: KafkaBytes where Element == UInt8 {
    /// Lends the array's storage.
    @inlinable
    public func withKafkaBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { buffer in
            do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension ArraySlice: KafkaBytes where Element == UInt8 {
    /// Lends the slice's storage.
    @inlinable
    public func withKafkaBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = withUnsafeBytes { buffer in
            do throws(E) { return .success(try body(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

extension String: KafkaBytes {
    /// Lends the string's UTF-8 bytes (without a terminating NUL).
    @inlinable
    public func withKafkaBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = self
        let result: Result<R, E> = copy.withUTF8 { buffer in
            do throws(E) { return .success(try body(UnsafeRawBufferPointer(buffer))) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

extension UnsafeRawBufferPointer: KafkaBytes {
    /// Lends itself.
    @inlinable
    public func withKafkaBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(self)
    }
}
