import JSON

/// Indents a JSON text for reading, keeping member order and every token exactly as written (numbers and string
/// escapes are not re-encoded).
enum JSONPrettyPrinter {
    /// The indented text, or `nil` when `bytes` is not one valid JSON value.
    ///
    /// - Parameters:
    ///   - bytes: The JSON text.
    ///   - indent: Spaces per level.
    static func format(_ bytes: [UInt8], indent: Int = 2) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            let tape = JSONTape()
            guard let document = try? JSONReader().parse(buffer, into: tape) else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count * 2)
            write(document.root, level: 0, indent: indent, into: &output)
            return withExtendedLifetime(tape) { String(decoding: output, as: UTF8.self) }
        }
    }

    private static func write(_ node: JSONNode, level: Int, indent: Int, into output: inout [UInt8]) {
        func newline(_ level: Int) {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indent))
        }
        switch node.kind {
        case .object:
            guard node.count > 0 else {
                output.append(contentsOf: Array("{}".utf8))
                return
            }
            output.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in node.members {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                newline(level + 1)
                output.append(contentsOf: key.rawBytes)
                output.append(contentsOf: Array(": ".utf8))
                write(value, level: level + 1, indent: indent, into: &output)
            }
            newline(level)
            output.append(UInt8(ascii: "}"))
        case .array:
            guard node.count > 0 else {
                output.append(contentsOf: Array("[]".utf8))
                return
            }
            output.append(UInt8(ascii: "["))
            var first = true
            for element in node.elements {
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                newline(level + 1)
                write(element, level: level + 1, indent: indent, into: &output)
            }
            newline(level)
            output.append(UInt8(ascii: "]"))
        default:
            output.append(contentsOf: node.rawBytes)
        }
    }
}
