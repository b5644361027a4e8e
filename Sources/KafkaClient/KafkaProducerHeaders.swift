import CRdKafka

/// The headers of a record to produce.
public enum KafkaProducerHeaders {
    /// No headers.
    case none
    /// Owned headers.
    case list([KafkaHeader])
    /// A copy of a consumed record's headers (copied inside librdkafka; no Swift allocation).
    case copy(KafkaRecordHeaders)
    /// Borrowed headers (copied inside librdkafka; no Swift allocation).
    case views(UnsafeBufferPointer<KafkaHeaderView>)

    /// Builds a `rd_kafka_headers_t`, or `nil` for no headers. On a successful produce librdkafka
    /// takes ownership of it; otherwise the caller destroys it with `rd_kafka_headers_destroy`.
    func make() -> OpaquePointer? {
        switch self {
        case .none:
            return nil
        case .list(let list):
            guard !list.isEmpty else { return nil }
            let headers = rd_kafka_headers_new(list.count)!
            for header in list {
                header.name.withCString { name in
                    // rd_kafka_header_add copies name and value.
                    if let value = header.value {
                        value.withUnsafeBytes { bytes in
                            _ = rd_kafka_header_add(
                                headers, name, -1, bytes.baseAddress ?? KafkaProducer.emptyBytes, bytes.count)
                        }
                    } else {
                        _ = rd_kafka_header_add(headers, name, -1, nil, 0)
                    }
                }
            }
            return headers
        case .views(let views):
            guard !views.isEmpty else { return nil }
            let headers = rd_kafka_headers_new(views.count)!
            for header in views {
                // rd_kafka_header_add copies name and value; the name is passed with its size (no NUL needed).
                let name = header.name.baseAddress?.assumingMemoryBound(to: CChar.self)
                if let value = header.value {
                    _ = rd_kafka_header_add(
                        headers, name, header.name.count, value.baseAddress ?? KafkaProducer.emptyBytes, value.count)
                } else {
                    _ = rd_kafka_header_add(headers, name, header.name.count, nil, 0)
                }
            }
            return headers
        case .copy(let source):
            guard let original = source.headers else { return nil }
            // rd_kafka_headers_copy returns a new list owned by the caller.
            return rd_kafka_headers_copy(original)
        }
    }
}
