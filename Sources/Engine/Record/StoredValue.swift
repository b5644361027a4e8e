import JSON

/// An owned value kept in state (window keys and aggregates, parked postings), encodable for changelogs.
package enum StoredValue {
    case null
    case bool(Bool)
    case decimal(ExactDecimal)
    case text([UInt8])
    /// An object, array or out-of-range number, kept as parsed JSON.
    case json(OwnedDocument)

    /// A borrowed view for evaluation (valid while `self` lives).
    @inlinable
    package var value: Value {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .decimal(let number): .decimal(number)
        case .text(let bytes): .text(bytes)
        case .json(let document): .node(document.root)
        }
    }

    /// Encodes for a changelog.
    package func encode(into writer: inout StateWriter) {
        switch self {
        case .null: writer.write(byte: 0)
        case .bool(let flag): writer.write(byte: flag ? 2 : 1)
        case .decimal(let number):
            writer.write(byte: 3)
            var text: [UInt8] = []
            number.appendText(to: &text)
            writer.write(bytes: text)
        case .text(let bytes):
            writer.write(byte: 4)
            writer.write(bytes: bytes)
        case .json(let document):
            writer.write(byte: 5)
            writer.write(bytes: document.bytes)
        }
    }

    /// Decodes what ``encode(into:)`` wrote.
    /// - Throws: ``EngineError/Code/corruptState``.
    package static func decode(from reader: inout StateReader) throws(EngineError) -> StoredValue {
        switch try reader.readByte() {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3:
            let text = try reader.readBytes()
            guard let number = text.withUnsafeBytes({ try? ExactDecimal(parsing: $0) }) else {
                throw EngineError(.corruptState, "bad decimal in changelog record")
            }
            return .decimal(number)
        case 4: return .text(try reader.readBytes())
        case 5:
            let bytes = try reader.readBytes()
            do { return .json(try OwnedDocument.parse(bytes)) } catch {
                throw EngineError(.corruptState, "bad JSON in changelog record: \(error)")
            }
        default: throw EngineError(.corruptState, "unknown value tag in changelog record")
        }
    }
}
