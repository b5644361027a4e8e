/// A JSON number kept exactly, whatever its size: `±digits × 10^exponent`.
///
/// Equality and ordering are by mathematical value (`1 == 1.0 == 10e-1`), as JSON Schema requires.
/// Numbers that fit are also available as `Int64` or ``ExactDecimal``.
public struct JSONNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `true` below zero (never for zero).
    public let isNegative: Bool
    /// Significant decimal digits (ASCII), without leading or trailing zeros; empty for zero.
    public let digits: [UInt8]
    /// Power of ten applied to `digits` read as an integer.
    public let exponent: Int

    /// Creates a number from an integer.
    public init(_ value: Int64) {
        var magnitude = value.magnitude
        var reversed: [UInt8] = []
        var exponent = 0
        while magnitude != 0 {
            let digit = UInt8(magnitude % 10)
            magnitude /= 10
            if digit == 0 && reversed.isEmpty {
                exponent += 1
            } else {
                reversed.append(UInt8(ascii: "0") + digit)
            }
        }
        isNegative = value < 0
        digits = reversed.reversed()
        self.exponent = reversed.isEmpty ? 0 : exponent
    }

    /// Creates a number from an exact decimal.
    public init(_ value: ExactDecimal) {
        var text: [UInt8] = []
        value.normalized().appendText(to: &text)
        self.init(validatedText: text)
    }

    /// Parses JSON number text; `nil` if it is not valid RFC 8259 number syntax.
    public init?(text: String) {
        var bytes = Array(text.utf8)
        let document = try? bytes.withUnsafeMutableBytes { buffer in
            try JSONValue(parsing: UnsafeRawBufferPointer(buffer))
        }
        guard case .number(let number) = document else { return nil }
        bytes.removeAll()
        self = number
    }

    /// Parses number text the reader has validated.
    public init<Bytes: Collection>(validatedText text: Bytes) where Bytes.Element == UInt8 {
        var negative = false
        var significant: [UInt8] = []
        var fractionDigits = 0
        var exponent = 0
        var inFraction = false
        var iterator = text.makeIterator()
        var exponentNegative = false
        var inExponent = false
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "-") where !inExponent: negative = true
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            case UInt8(ascii: "+"): break
            case UInt8(ascii: "-"): exponentNegative = true
            default:
                let digit = byte &- UInt8(ascii: "0")
                if inExponent {
                    if exponent < 1 << 40 { exponent = exponent * 10 + Int(digit) }
                } else {
                    if !(significant.isEmpty && digit == 0) { significant.append(byte) }
                    if inFraction { fractionDigits += 1 }
                }
            }
        }
        if exponentNegative { exponent = -exponent }
        exponent -= fractionDigits
        // `significant` had leading zeros removed; only those after the first nonzero digit count.
        while let last = significant.last, last == UInt8(ascii: "0") {
            significant.removeLast()
            exponent += 1
        }
        isNegative = negative && !significant.isEmpty
        digits = significant
        self.exponent = significant.isEmpty ? 0 : exponent
    }

    /// `true` if the value is zero.
    public var isZero: Bool { digits.isEmpty }

    /// `true` if the value is a mathematical integer (`1.0` and `1e2` are integers).
    public var isInteger: Bool { exponent >= 0 }

    /// The value as `Int64` if it is an integer in range.
    public var int64: Int64? {
        guard isInteger, digits.count + exponent <= 19 else { return nil }
        var magnitude: UInt64 = 0
        for digit in digits { magnitude = magnitude * 10 + UInt64(digit - UInt8(ascii: "0")) }
        for _ in 0..<exponent {
            let (product, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            magnitude = product
        }
        if isNegative { return magnitude <= UInt64(1) << 63 ? Int64(bitPattern: 0 &- magnitude) : nil }
        return Int64(exactly: magnitude)
    }

    /// The value as an ``ExactDecimal`` if it fits (38 digits, scale ≤ 38).
    public var decimal: ExactDecimal? {
        var text = Array(description.utf8)
        return text.withUnsafeMutableBytes { try? ExactDecimal(parsing: UnsafeRawBufferPointer($0)) }
    }

    /// An approximate `Double` (for non-exact consumers only).
    public var doubleValue: Double { Double(description) ?? .nan }

    /// Three-way comparison by value.
    public func compare(_ other: JSONNumber) -> Int {
        if isNegative != other.isNegative { return isNegative ? -1 : 1 }
        let sign = isNegative ? -1 : 1
        if digits.isEmpty || other.digits.isEmpty {
            if digits.isEmpty && other.digits.isEmpty { return 0 }
            return digits.isEmpty ? -1 : 1  // both non-negative here
        }
        // Position of the most significant digit.
        let magnitude = digits.count + exponent
        let otherMagnitude = other.digits.count + other.exponent
        if magnitude != otherMagnitude { return magnitude < otherMagnitude ? -sign : sign }
        let common = min(digits.count, other.digits.count)
        for index in 0..<common where digits[index] != other.digits[index] {
            return digits[index] < other.digits[index] ? -sign : sign
        }
        if digits.count == other.digits.count { return 0 }
        return digits.count < other.digits.count ? -sign : sign
    }

    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool { lhs.compare(rhs) < 0 }

    /// `true` if `self` is an integer multiple of `divisor` (exact; `false` for a zero divisor).
    public func isMultiple(of divisor: JSONNumber) -> Bool {
        if divisor.isZero { return false }
        if isZero { return true }
        // self = A × 10^ea, divisor = B × 10^eb; A, B have no trailing zeros.
        let shift = exponent - divisor.exponent
        if shift < 0 { return false }  // would need 10^k | A, but A has no trailing zero
        if divisor.digits.count <= 19, let modulus = UInt64(String(decoding: divisor.digits, as: UTF8.self)) {
            // (A mod B) × (10^shift mod B) mod B, with products in 128 bits: exact for any exponent.
            let m = UInt128(modulus)
            var remainder: UInt128 = 0
            for digit in digits { remainder = (remainder * 10 + UInt128(digit - UInt8(ascii: "0"))) % m }
            var power: UInt128 = 1 % m
            var base: UInt128 = 10 % m
            var exponent = shift
            while exponent > 0 {
                if exponent & 1 == 1 { power = power * base % m }
                base = base * base % m
                exponent >>= 1
            }
            return remainder * power % m == 0
        }
        let quotient = doubleValue / divisor.doubleValue
        return quotient.isFinite && quotient == quotient.rounded()
    }

    /// The shortest exact text: integers without exponent up to 21 digits, else `d.ddde±n`.
    public var description: String {
        if digits.isEmpty { return "0" }
        var text = isNegative ? "-" : ""
        let digitText = String(decoding: digits, as: UTF8.self)
        let pointPosition = digits.count + exponent  // digits before the decimal point
        if exponent >= 0 && pointPosition <= 21 {
            text += digitText + String(repeating: "0", count: exponent)
        } else if exponent < 0 && pointPosition > 0 {
            text += String(digitText.prefix(pointPosition)) + "." + String(digitText.dropFirst(pointPosition))
        } else if exponent < 0 && pointPosition > -6 {
            text += "0." + String(repeating: "0", count: -pointPosition) + digitText
        } else {
            text += String(digitText.prefix(1))
            if digits.count > 1 { text += "." + String(digitText.dropFirst()) }
            text += "e" + String(pointPosition - 1)
        }
        return text
    }
}
