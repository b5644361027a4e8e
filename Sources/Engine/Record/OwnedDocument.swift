import JSON

/// A parsed JSON document that owns its bytes and tape, so its nodes stay valid as long as it lives.
///
/// Used for table rows, stored window values, parked postings and normalised envelopes.
package final class OwnedDocument {
    private let storage: UnsafeMutableRawBufferPointer
    private let tape: JSONTape
    /// The parsed document (valid for the lifetime of `self`).
    package let document: JSONDocument

    /// Copies and parses `bytes`.
    /// - Throws: ``JSON/JSONError`` when the bytes are not one JSON value.
    package init(copying bytes: UnsafeRawBufferPointer) throws(JSONError) {
        storage = .allocate(byteCount: max(bytes.count, 1), alignment: 8)
        if let base = bytes.baseAddress, bytes.count > 0 {
            storage.baseAddress!.copyMemory(from: base, byteCount: bytes.count)
        }
        tape = JSONTape(capacity: 32)
        do {
            document = try JSONReader().parse(UnsafeRawBufferPointer(rebasing: storage[0..<bytes.count]), into: tape)
        } catch {
            storage.deallocate()
            throw error
        }
    }

    deinit { storage.deallocate() }

    /// Copies and parses an array of bytes.
    /// - Throws: ``JSON/JSONError`` when the bytes are not one JSON value.
    package static func parse(_ bytes: [UInt8]) throws(JSONError) -> OwnedDocument {
        let result: Result<OwnedDocument, JSONError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONError) { return .success(try OwnedDocument(copying: buffer)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The root value.
    package var root: JSONNode { document.root }

    /// The document's bytes.
    package var bytes: UnsafeRawBufferPointer { document.bytes }
}
