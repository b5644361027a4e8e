import JSON
import Timekeeping

extension JSONWriter {
    /// Writes a member name known at compile time (the `StaticString` overload, not `String`'s).
    @inline(__always)
    mutating func name(_ name: StaticString) {
        key(name)
    }

    // MARK: Members in one piece
    //
    // `"name":value` written with one `raw` call: the writer's separator logic treats the pair like one
    // value, and the constant name needs no escape scan. Used on the hot path (envelopes, cycles).

    /// Writes the member `"name":<int>`.
    @inline(__always)
    mutating func member(_ name: StaticString, int value: Int64) {
        withUnsafeTemporaryAllocation(byteCount: name.utf8CodeUnitCount + 24, alignment: 1) { buffer in
            var index = Self.putName(name, into: buffer)
            if value < 0 {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            var magnitude = value.magnitude
            var digits = 1
            var probe = magnitude / 10
            while probe > 0 {
                digits += 1
                probe /= 10
            }
            for position in stride(from: index + digits - 1, through: index, by: -1) {
                buffer[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            raw(UnsafeRawBufferPointer(rebasing: buffer[0..<(index + digits)]))
        }
    }

    /// Writes the member `"name":"<timestamp>"`.
    @inline(__always)
    mutating func member(_ name: StaticString, timestamp ms: Int64, offsetSeconds: Int32) {
        withUnsafeTemporaryAllocation(byteCount: name.utf8CodeUnitCount + 36, alignment: 1) { buffer in
            let index = Self.putName(name, into: buffer)
            let count = RFC3339.writeQuotedTimestamp(
                ms, offsetSeconds: offsetSeconds, into: UnsafeMutableRawBufferPointer(rebasing: buffer[index...]))
            raw(UnsafeRawBufferPointer(rebasing: buffer[0..<(index + count)]))
        }
    }

    /// Writes the member `"name":"<text>"`, copying the text as is when it needs no escaping.
    @inline(__always)
    mutating func member(_ name: StaticString, string value: String) {
        var value = value
        value.withUTF8 { text in
            withUnsafeTemporaryAllocation(byteCount: name.utf8CodeUnitCount + text.count + 5, alignment: 1) {
                buffer in
                var index = Self.putName(name, into: buffer)
                buffer[index] = UInt8(ascii: "\"")
                index += 1
                for byte in text {
                    guard byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") else {
                        key(name)
                        string(utf8: UnsafeRawBufferPointer(text))
                        return
                    }
                    buffer[index] = byte
                    index += 1
                }
                buffer[index] = UInt8(ascii: "\"")
                raw(UnsafeRawBufferPointer(rebasing: buffer[0..<(index + 1)]))
            }
        }
    }

    /// Writes the member `"name":"<literal>"` (the literal must need no escaping).
    @inline(__always)
    mutating func member(_ name: StaticString, literal value: StaticString) {
        withUnsafeTemporaryAllocation(
            byteCount: name.utf8CodeUnitCount + value.utf8CodeUnitCount + 5, alignment: 1
        ) { buffer in
            var index = Self.putName(name, into: buffer)
            buffer[index] = UInt8(ascii: "\"")
            index += 1
            for offset in 0..<value.utf8CodeUnitCount {
                buffer[index] = value.utf8Start[offset]
                index += 1
            }
            buffer[index] = UInt8(ascii: "\"")
            raw(UnsafeRawBufferPointer(rebasing: buffer[0..<(index + 1)]))
        }
    }

    /// Writes `"name":` into `buffer`; returns the next index.
    @inline(__always)
    private static func putName(_ name: StaticString, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        buffer[0] = UInt8(ascii: "\"")
        for offset in 0..<name.utf8CodeUnitCount { buffer[offset + 1] = name.utf8Start[offset] }
        buffer[name.utf8CodeUnitCount + 1] = UInt8(ascii: "\"")
        buffer[name.utf8CodeUnitCount + 2] = UInt8(ascii: ":")
        return name.utf8CodeUnitCount + 3
    }

    /// Writes a string value known at compile time (the `StaticString` overload, not `String`'s).
    @inline(__always)
    mutating func literal(_ value: StaticString) {
        string(value)
    }

    /// Writes an RFC 3339 timestamp string with the given UTC offset.
    @inline(__always)
    mutating func timestamp(_ ms: Int64, offsetSeconds: Int32) {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { buffer in
            let count = RFC3339.writeQuotedTimestamp(ms, offsetSeconds: offsetSeconds, into: buffer)
            raw(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes a `YYYY-MM-DD` string for a day number.
    mutating func date(days: Int64) {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { buffer in
            let count = RFC3339.writeQuotedDate(days: days, into: buffer)
            raw(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    /// Writes an event id string.
    @inline(__always)
    mutating func eventID(_ id: EventID) {
        withUnsafeTemporaryAllocation(byteCount: 38, alignment: 1) { buffer in
            buffer[0] = UInt8(ascii: "\"")
            id.write(into: buffer, at: 1)
            buffer[37] = UInt8(ascii: "\"")
            raw(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Writes `units / 10^scale` as a decimal string with exactly `scale` fraction digits (`"12.345"`).
    @inline(__always)
    mutating func decimalString(_ units: Int64, scale: Int) {
        decimal(units, scale: scale, quoted: true)
    }

    /// Writes `units / 10^scale` as a JSON number with exactly `scale` fraction digits (`12.345`).
    @inline(__always)
    mutating func decimalNumber(_ units: Int64, scale: Int) {
        decimal(units, scale: scale, quoted: false)
    }

    @inline(__always)
    private mutating func decimal(_ units: Int64, scale: Int, quoted: Bool) {
        withUnsafeTemporaryAllocation(byteCount: 48, alignment: 1) { buffer in
            var index = 0
            if quoted {
                buffer[index] = UInt8(ascii: "\"")
                index += 1
            }
            if units < 0 {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            var magnitude = units.magnitude
            var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &scratch) { reversed in
                repeat {
                    reversed[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                    count += 1
                } while magnitude != 0 || count <= scale
                while count > 0 {
                    count -= 1
                    buffer[index] = reversed[count]
                    index += 1
                    if count == scale && scale > 0 {
                        buffer[index] = UInt8(ascii: ".")
                        index += 1
                    }
                }
            }
            if quoted {
                buffer[index] = UInt8(ascii: "\"")
                index += 1
            }
            raw(UnsafeRawBufferPointer(rebasing: buffer[0..<index]))
        }
    }

    /// Writes the string `"<prefix><number padded to width digits>"` without building a `String`.
    @inline(__always)
    mutating func numberedString(_ prefix: String, _ number: Int64, width: Int) {
        var prefix = prefix
        prefix.withUTF8 { prefixBytes in
            withUnsafeTemporaryAllocation(byteCount: prefixBytes.count + 24, alignment: 1) { buffer in
                var index = 0
                buffer[index] = UInt8(ascii: "\"")
                index += 1
                for byte in prefixBytes {
                    buffer[index] = byte
                    index += 1
                }
                var digits = 1
                var probe = number / 10
                while probe > 0 {
                    digits += 1
                    probe /= 10
                }
                let total = max(width, digits)
                var rest = number
                for position in stride(from: index + total - 1, through: index, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                index += total
                buffer[index] = UInt8(ascii: "\"")
                index += 1
                raw(UnsafeRawBufferPointer(rebasing: buffer[0..<index]))
            }
        }
    }

    /// Writes a `Qty` object: `{"value":"12.345","uom":"KGM"}` from thousandths, with `decimals` (0…3)
    /// fraction digits.
    @inline(__always)
    mutating func quantity(milli: Int64, decimals: Int, uom: String) {
        beginObject()
        name("value")
        var scaled = milli
        for _ in decimals..<3 { scaled /= 10 }
        decimalString(scaled, scale: decimals)
        name("uom")
        string(uom)
        endObject()
    }

    /// Writes a `DurationQty` in minutes with three decimals from milliseconds.
    @inline(__always)
    mutating func minutes(ms: Int64) {
        beginObject()
        name("value")
        decimalString(ms / 60, scale: 3)
        name("uom")
        literal("MIN")
        endObject()
    }

    /// Writes a `Reason` object.
    mutating func reason(_ reason: ScenarioReason) {
        beginObject()
        name("code")
        string(reason.code)
        name("codeSet")
        string(reason.codeSet)
        if let text = reason.text {
            name("text")
            string(text)
        }
        endObject()
    }

    /// Writes a `LotRef` object with only a batch id.
    mutating func lot(_ batchId: String) {
        beginObject()
        name("batchId")
        string(batchId)
        endObject()
    }
}
