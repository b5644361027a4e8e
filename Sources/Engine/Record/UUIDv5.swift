import Crypto

/// Name-based UUIDs (RFC 9562 version 5, SHA-1), used for `txnId`s from idempotency keys.
package enum UUIDv5 {
    /// The namespace of PlantStream transaction ids: the RFC 9562 URL namespace
    /// `6ba7b811-9dad-11d1-80b4-00c04fd430c8`.
    package static let transactionNamespace: [UInt8] = [
        0x6B, 0xA7, 0xB8, 0x11, 0x9D, 0xAD, 0x11, 0xD1, 0x80, 0xB4, 0x00, 0xC0, 0x4F, 0xD4, 0x30, 0xC8,
    ]

    /// Appends the lower-case, hyphenated UUIDv5 of `name` in `namespace`.
    package static func append(
        name: UnsafeRawBufferPointer, namespace: [UInt8] = transactionNamespace, to buffer: inout [UInt8]
    ) {
        var hasher = Insecure.SHA1()
        namespace.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: name)
        let digest = hasher.finalize()
        buffer.reserveCapacity(buffer.count + 36)
        digest.withUnsafeBytes { bytes in
            for index in 0..<16 {
                var byte = bytes[index]
                if index == 6 { byte = (byte & 0x0F) | 0x50 }
                if index == 8 { byte = (byte & 0x3F) | 0x80 }
                if index == 4 || index == 6 || index == 8 || index == 10 { buffer.append(0x2D) }
                buffer.append(hexDigit(byte >> 4))
                buffer.append(hexDigit(byte & 0x0F))
            }
        }
    }

    /// The lower-case hex digit of a nibble (no table to allocate or retain).
    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble
    }

    /// The UUIDv5 of a string (tests, tools).
    package static func string(name: String) -> String {
        var buffer: [UInt8] = []
        Array(name.utf8).withUnsafeBytes { append(name: $0, to: &buffer) }
        return String(decoding: buffer, as: UTF8.self)
    }
}
