/// An exact decimal number: `mantissa × 10^-scale` with a 128-bit mantissa (up to 38 significant
/// digits) and a scale of 0...38.
///
/// Quantities such as `"12.345"` never pass through binary floating point. All arithmetic is exact
/// or rounds half-up (ties away from zero) at an explicit scale, and reports overflow as
/// ``JSONError/Code/decimalOverflow`` instead of trapping. Equality and ordering are by value
/// (`1.50 == 1.5`); ``description`` keeps the scale (`"1.50"`) and never uses an exponent.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The unscaled value.
    public let mantissa: Int128
    /// Digits after the decimal point (0...``maxScale``).
    public let scale: Int

    /// The largest supported scale.
    public static let maxScale = 38

    /// Zero.
    public static let zero = ExactDecimal(uncheckedMantissa: 0, scale: 0)

    @usableFromInline static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    @usableFromInline
    init(uncheckedMantissa: Int128, scale: Int) {
        mantissa = uncheckedMantissa
        self.scale = scale
    }

    /// Creates a decimal from an integer.
    @inlinable public init(_ value: Int64) { self.init(uncheckedMantissa: Int128(value), scale: 0) }

    /// Creates `mantissa × 10^-scale`.
    /// - Throws: ``JSONError/Code/decimalOverflow`` if `scale` is outside 0...38.
    public init(mantissa: Int128, scale: Int) throws(JSONError) {
        guard scale >= 0 && scale <= Self.maxScale else { throw Self.overflow("scale \(scale) outside 0...38") }
        self.init(uncheckedMantissa: mantissa, scale: scale)
    }

    /// Parses JSON number text (`-12.345`, `1e3`, `0.5E-2`) or the same text taken from a string value.
    ///
    /// Trailing fractional zeros are kept (the scale of `"1.50"` is 2) unless needed to fit.
    /// - Throws: ``JSONError/Code/invalidDecimal`` for text that is not a JSON number,
    ///   ``JSONError/Code/decimalOverflow`` if it does not fit (more than 38 digits or scale).
    public init(parsing text: UnsafeRawBufferPointer) throws(JSONError) {
        var index = 0
        let count = text.count
        func digit(_ position: Int) -> UInt8? {
            guard position < count else { return nil }
            let value = text[position] &- UInt8(ascii: "0")
            return value < 10 ? value : nil
        }
        let invalid = JSONError(code: .invalidDecimal, message: "not a decimal number")
        var negative = false
        if index < count && text[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        guard digit(index) != nil else { throw invalid }
        if text[index] == UInt8(ascii: "0") && digit(index + 1) != nil { throw invalid }
        var mantissa: Int128 = 0
        var overflow = false
        var lostDigits = false  // a digit that changes the value did not fit
        var fractionDigits = 0
        func push(_ value: UInt8, fraction: Bool) {
            // After an overflow only trailing fractional zeros can be dropped exactly.
            if overflow {
                if value != 0 || !fraction { lostDigits = true }
                return
            }
            let (times10, o1) = mantissa.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int128(value))
            if o1 || o2 {
                overflow = true
                if value != 0 || !fraction { lostDigits = true }
                return
            }
            mantissa = sum
            if fraction { fractionDigits += 1 }
        }
        while let value = digit(index) {
            push(value, fraction: false)
            index += 1
        }
        if index < count && text[index] == UInt8(ascii: ".") {
            index += 1
            guard digit(index) != nil else { throw invalid }
            while let value = digit(index) {
                push(value, fraction: true)
                index += 1
            }
        }
        var exponent = 0
        if index < count && (text[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
                exponentNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            guard digit(index) != nil else { throw invalid }
            while let value = digit(index) {
                exponent = exponent > 100_000 ? exponent : exponent * 10 + Int(value)
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == count else { throw invalid }
        guard !lostDigits else { throw Self.overflow("more than 38 significant digits") }
        var scale = fractionDigits - exponent
        if negative { mantissa = -mantissa }
        if mantissa == 0 { scale = max(0, min(scale, Self.maxScale)) }
        while scale > Self.maxScale && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        guard scale <= Self.maxScale else { throw Self.overflow("more than 38 fractional digits") }
        if scale < 0 {
            guard -scale <= 38 else { throw Self.overflow("magnitude beyond 10^38") }
            let (product, o) = mantissa.multipliedReportingOverflow(by: Self.powersOfTen[-scale])
            guard !o else { throw Self.overflow("magnitude beyond 10^38") }
            mantissa = product
            scale = 0
        }
        self.init(uncheckedMantissa: mantissa, scale: scale)
    }

    /// Parses decimal text such as `"12.345"` (see ``init(parsing:)-(UnsafeRawBufferPointer)``).
    public init(parsing text: String) throws(JSONError) {
        var text = text
        var result: Result<ExactDecimal, JSONError> = .success(.zero)
        text.withUTF8 { utf8 in
            do throws(JSONError) {
                result = .success(try ExactDecimal(parsing: UnsafeRawBufferPointer(utf8)))
            } catch {
                result = .failure(error)
            }
        }
        self = try result.get()
    }

    @usableFromInline
    static func overflow(_ what: String) -> JSONError {
        JSONError(code: .decimalOverflow, message: "decimal overflow: \(what)")
    }

    // MARK: Properties

    /// `true` for zero.
    public var isZero: Bool { mantissa == 0 }
    /// `true` below zero.
    public var isNegative: Bool { mantissa < 0 }
    /// `true` if the value has no fractional part.
    public var isInteger: Bool { scale == 0 || mantissa % Self.powersOfTen[scale] == 0 }

    /// The same value with trailing fractional zeros removed (`1.500` → `1.5`).
    public func normalized() -> ExactDecimal {
        var mantissa = mantissa
        var scale = scale
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        return ExactDecimal(uncheckedMantissa: mantissa, scale: scale)
    }

    /// The value as `Int64` if it is an integer in range.
    public var int64: Int64? {
        guard isInteger else { return nil }
        return Int64(exactly: mantissa / Self.powersOfTen[scale])
    }

    /// The nearest `Double` (approximate; for display and non-exact consumers only).
    public var doubleValue: Double {
        Double(mantissa) / pow10(scale)
    }

    private func pow10(_ exponent: Int) -> Double {
        var result = 1.0
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    // MARK: Arithmetic

    /// Rescales to `scale` when that is exact (`scale >= self.scale`).
    @usableFromInline
    func upscaled(to scale: Int) throws(JSONError) -> Int128 {
        if scale == self.scale { return mantissa }
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: Self.powersOfTen[scale - self.scale])
        guard !overflow else { throw Self.overflow("rescaling \(self) to scale \(scale)") }
        return product
    }

    /// `self + other`, exact, at the larger scale.
    /// - Throws: ``JSONError/Code/decimalOverflow``.
    public func adding(_ other: ExactDecimal) throws(JSONError) -> ExactDecimal {
        let scale = max(self.scale, other.scale)
        let (sum, overflow) = try upscaled(to: scale).addingReportingOverflow(other.upscaled(to: scale))
        guard !overflow else { throw Self.overflow("\(self) + \(other)") }
        return ExactDecimal(uncheckedMantissa: sum, scale: scale)
    }

    /// `self - other`, exact, at the larger scale.
    /// - Throws: ``JSONError/Code/decimalOverflow``.
    public func subtracting(_ other: ExactDecimal) throws(JSONError) -> ExactDecimal {
        let scale = max(self.scale, other.scale)
        let (difference, overflow) = try upscaled(to: scale).subtractingReportingOverflow(other.upscaled(to: scale))
        guard !overflow else { throw Self.overflow("\(self) - \(other)") }
        return ExactDecimal(uncheckedMantissa: difference, scale: scale)
    }

    /// `self × other`, exact (scale = sum of scales; trailing zeros dropped if it exceeds 38).
    /// - Throws: ``JSONError/Code/decimalOverflow``.
    public func multiplied(by other: ExactDecimal) throws(JSONError) -> ExactDecimal {
        let (product, overflow) = mantissa.multipliedReportingOverflow(by: other.mantissa)
        guard !overflow else { throw Self.overflow("\(self) × \(other)") }
        var result = product
        var scale = self.scale + other.scale
        while scale > Self.maxScale && result % 10 == 0 {
            result /= 10
            scale -= 1
        }
        guard scale <= Self.maxScale else { throw Self.overflow("\(self) × \(other) needs scale \(scale)") }
        return ExactDecimal(uncheckedMantissa: result, scale: scale)
    }

    /// `self × other` rounded half-up to `scale`.
    /// - Throws: ``JSONError/Code/decimalOverflow``.
    public func multiplied(by other: ExactDecimal, scale: Int) throws(JSONError) -> ExactDecimal {
        try multiplied(by: other).rounded(scale: scale)
    }

    /// `self ÷ divisor` rounded half-up (ties away from zero) to `scale` digits.
    /// - Throws: ``JSONError/Code/divisionByZero``, ``JSONError/Code/decimalOverflow``.
    public func divided(by divisor: ExactDecimal, scale: Int) throws(JSONError) -> ExactDecimal {
        guard !divisor.isZero else { throw JSONError(code: .divisionByZero, message: "division by zero") }
        guard scale >= 0 && scale <= Self.maxScale else { throw Self.overflow("scale \(scale) outside 0...38") }
        // quotient = mantissa × 10^(scale - self.scale + divisor.scale) / divisor.mantissa
        let shift = scale - self.scale + divisor.scale
        var numerator = mantissa
        var denominator = divisor.mantissa
        if shift > 0 {
            guard shift <= 38 else { throw Self.overflow("\(self) ÷ \(divisor) at scale \(scale)") }
            let (product, overflow) = numerator.multipliedReportingOverflow(by: Self.powersOfTen[shift])
            guard !overflow else { throw Self.overflow("\(self) ÷ \(divisor) at scale \(scale)") }
            numerator = product
        } else if shift < 0 {
            guard -shift <= 38 else { throw Self.overflow("\(self) ÷ \(divisor) at scale \(scale)") }
            let (product, overflow) = denominator.multipliedReportingOverflow(by: Self.powersOfTen[-shift])
            guard !overflow else { throw Self.overflow("\(self) ÷ \(divisor) at scale \(scale)") }
            denominator = product
        }
        return ExactDecimal(uncheckedMantissa: Self.divideHalfUp(numerator, denominator), scale: scale)
    }

    /// `self ÷ divisor` rounded half-up to `scale`, plus the exact remainder `self - quotient × divisor`.
    ///
    /// Unit conversion keeps the remainder (the residue) and adds it to the next quantity, so
    /// rounding never loses or invents material over a series of postings.
    /// - Throws: ``JSONError/Code/divisionByZero``, ``JSONError/Code/decimalOverflow``.
    public func dividedWithRemainder(
        by divisor: ExactDecimal, scale: Int
    ) throws(JSONError) -> (quotient: ExactDecimal, remainder: ExactDecimal) {
        let quotient = try divided(by: divisor, scale: scale)
        let remainder = try subtracting(quotient.multiplied(by: divisor))
        return (quotient, remainder)
    }

    /// Rounds half-up (ties away from zero) to `scale` digits; increasing the scale is exact.
    /// - Throws: ``JSONError/Code/decimalOverflow``.
    public func rounded(scale: Int) throws(JSONError) -> ExactDecimal {
        guard scale >= 0 && scale <= Self.maxScale else { throw Self.overflow("scale \(scale) outside 0...38") }
        if scale >= self.scale { return ExactDecimal(uncheckedMantissa: try upscaled(to: scale), scale: scale) }
        let divisor = Self.powersOfTen[self.scale - scale]
        return ExactDecimal(uncheckedMantissa: Self.divideHalfUp(mantissa, divisor), scale: scale)
    }

    @usableFromInline
    static func divideHalfUp(_ numerator: Int128, _ denominator: Int128) -> Int128 {
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        let twiceRemainder = remainder.magnitude.multipliedFullWidth(by: 2)
        let denominatorMagnitude = denominator.magnitude
        let roundUp = twiceRemainder.high > 0 || twiceRemainder.low >= denominatorMagnitude
        guard roundUp else { return quotient }
        return (numerator < 0) != (denominator < 0) ? quotient - 1 : quotient + 1
    }

    /// The negated value.
    public func negated() throws(JSONError) -> ExactDecimal {
        guard mantissa != Int128.min else { throw Self.overflow("negating \(self)") }
        return ExactDecimal(uncheckedMantissa: -mantissa, scale: scale)
    }

    // MARK: Comparison

    /// Three-way comparison by value: -1, 0 or 1.
    public func compare(_ other: ExactDecimal) -> Int {
        if scale == other.scale { return mantissa < other.mantissa ? -1 : (mantissa == other.mantissa ? 0 : 1) }
        if (mantissa < 0) != (other.mantissa < 0) { return mantissa < 0 ? -1 : 1 }
        let scale = max(self.scale, other.scale)
        let left = mantissa.multipliedReportingOverflow(by: Self.powersOfTen[scale - self.scale])
        let right = other.mantissa.multipliedReportingOverflow(by: Self.powersOfTen[scale - other.scale])
        if !left.overflow && !right.overflow {
            return left.partialValue < right.partialValue ? -1 : (left.partialValue == right.partialValue ? 0 : 1)
        }
        // The one that overflowed when scaled up has the larger magnitude.
        let leftBigger = left.overflow
        let sign = mantissa < 0 ? -1 : 1
        return leftBigger ? sign : -sign
    }

    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { lhs.compare(rhs) < 0 }
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool { lhs.compare(rhs) == 0 }

    public func hash(into hasher: inout Hasher) {
        let normal = normalized()
        hasher.combine(normal.mantissa)
        hasher.combine(normal.scale)
    }

    // MARK: Formatting

    /// Appends the plain decimal text (no exponent, scale kept) to `buffer` without allocating.
    public func appendText(to buffer: inout [UInt8]) {
        var magnitude = mantissa.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 84) { digits in
            var count = 0
            repeat {
                let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
                digits[count] = UInt8(ascii: "0") + UInt8(remainder)
                count += 1
                magnitude = quotient
            } while magnitude != 0
            while count <= scale {
                digits[count] = UInt8(ascii: "0")
                count += 1
            }
            if mantissa < 0 { buffer.append(UInt8(ascii: "-")) }
            var index = count - 1
            while index >= 0 {
                if index == scale - 1 { buffer.append(UInt8(ascii: ".")) }
                buffer.append(digits[index])
                index -= 1
            }
        }
    }

    /// Plain decimal text, e.g. `-12.340` (scale kept, never an exponent).
    public var description: String {
        var buffer: [UInt8] = []
        appendText(to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
