/// `hexdump -C`-style lines: offset, 16 bytes in two groups of 8, and the printable ASCII.
enum HexDump {
    /// The lines for `bytes`.
    ///
    /// - Parameters:
    ///   - bytes: The bytes.
    ///   - limit: The most bytes to show; a last line says how many more there are.
    static func lines(_ bytes: [UInt8], limit: Int = 65536) -> [String] {
        let shown = min(bytes.count, limit)
        var lines: [String] = []
        var start = 0
        while start < shown {
            let end = min(start + 16, shown)
            var line = hex(start, width: 8) + "  "
            for index in start..<start + 16 {
                line += index < end ? hex(Int(bytes[index]), width: 2) + " " : "   "
                if index == start + 7 { line += " " }
            }
            line += " |"
            for byte in bytes[start..<end] {
                line.unicodeScalars.append(byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : ".")
            }
            line += "|"
            lines.append(line)
            start = end
        }
        if bytes.count > shown { lines.append("… \(bytes.count - shown) more bytes") }
        return lines
    }

    private static func hex(_ value: Int, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
