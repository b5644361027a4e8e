import CRdKafka

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A borrowed view of a consumed record's headers, valid while its batch is.
public struct KafkaRecordHeaders: RandomAccessCollection {
    /// The `rd_kafka_headers_t` owned by the message (never destroyed here), or nil.
    let headers: OpaquePointer?

    init(headers: OpaquePointer?) {
        self.headers = headers
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { headers.map { rd_kafka_header_cnt($0) } ?? 0 }

    /// The header at `index`.
    public subscript(index: Int) -> KafkaRecordHeader {
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        _ = rd_kafka_header_get_all(headers, index, &name, &value, &size)
        return KafkaRecordHeader(
            name: UnsafeRawBufferPointer(start: name, count: name.map { strlen($0) } ?? 0),
            value: value.map { UnsafeRawBufferPointer(start: $0, count: size) }
        )
    }

    /// The last header with the given name.
    ///
    /// - Parameter name: The header name.
    /// - Returns: The header, or `nil` when absent.
    public func last(named name: String) -> KafkaRecordHeader? {
        for index in indices.reversed() {
            let header = self[index]
            if header.name.elementsEqual(name.utf8) { return header }
        }
        return nil
    }

    /// Owned copies of all headers.
    public var owned: [KafkaHeader] {
        map { KafkaHeader(name: $0.nameString, value: $0.value.map { Array($0) }) }
    }
}
