import JSON
import Testing

@Suite struct ExactDecimalTests {
    static func d(_ text: String) -> ExactDecimal { try! ExactDecimal(parsing: text) }

    @Test(arguments: [
        ("12.345", "12.345", 3), ("-0.5", "-0.5", 1), ("1.50", "1.50", 2), ("1e3", "1000", 0),
        ("1.5E-2", "0.015", 3), ("0", "0", 0), ("-0.000", "0.000", 3), ("123456789012345", "123456789012345", 0),
        ("0.000001", "0.000001", 6),
    ])
    func parsesAndFormatsWithoutExponent(text: String, formatted: String, scale: Int) throws {
        let value = try ExactDecimal(parsing: text)
        #expect(value.description == formatted)
        #expect(value.scale == scale)
    }

    @Test(arguments: ["", "-", "1.", ".5", "01", "1e", "abc", "1.2.3", "+1", " 1"])
    func rejectsNonNumbers(text: String) {
        #expect(throws: JSONError.self) { try ExactDecimal(parsing: text) }
    }

    @Test func overflowIsReportedNotTrapped() {
        let digits39 = String(repeating: "9", count: 39)
        #expect(throws: JSONError.self) { try ExactDecimal(parsing: digits39) }
        #expect(throws: JSONError.self) { try ExactDecimal(parsing: "1e39") }
        #expect(throws: JSONError.self) { try ExactDecimal(parsing: "1e-39") }
        let big = Self.d(String(repeating: "9", count: 38))
        do {
            _ = try big.adding(big)
            Issue.record("expected overflow")
        } catch {
            #expect(error.code == .decimalOverflow)
        }
        #expect(throws: JSONError.self) { try big.multiplied(by: Self.d("10")) }
        #expect(throws: JSONError.self) { try Self.d("1").divided(by: .zero, scale: 3) }
        // Trailing zeros beyond the capacity are dropped exactly.
        #expect(Self.d("1." + String(repeating: "0", count: 60)) == Self.d("1"))
    }

    /// Fuzzer finding: a value digit lost to overflow followed by fractional zeros trapped on an
    /// integer overflow of the dropped-digit counter.
    @Test func longFractionsAfterOverflowFailCleanly() throws {
        let text =
            "-0." + String(repeating: "0", count: 37) + String(repeating: "5", count: 120)
            + String(repeating: "0", count: 38) + "1"
        #expect(throws: JSONError.self) { try ExactDecimal(parsing: text) }
        try withRoot("[\(text)]") { root in
            #expect(root[0]?.decimal == nil)
            #expect(root[0]?.number?.isNegative == true)
        }
    }

    @Test func arithmeticIsExact() throws {
        #expect(try Self.d("0.1").adding(Self.d("0.2")) == Self.d("0.3"))
        #expect(try Self.d("0.1").adding(Self.d("0.2")).description == "0.3")
        #expect(try Self.d("10").subtracting(Self.d("0.001")).description == "9.999")
        #expect(try Self.d("1.5").multiplied(by: Self.d("-2.25")).description == "-3.375")
        #expect(Self.d("1.50") == Self.d("1.5"))
        #expect(Self.d("1.50").hashValue == Self.d("1.5").hashValue)
        #expect(Self.d("-2") < Self.d("-1.999"))
        #expect(Self.d("100000000000000000000000000000000000") > Self.d("0.00000000000000000000000000000000001"))
        #expect(Self.d("2.000").isInteger)
        #expect(Self.d("2.000").int64 == 2)
        #expect(Self.d("1.500").normalized().description == "1.5")
    }

    @Test(arguments: [
        ("1.0005", 3, "1.001"), ("1.0004", 3, "1.000"), ("-1.0005", 3, "-1.001"), ("2.5", 0, "3"),
        ("-2.5", 0, "-3"), ("0.12", 5, "0.12000"),
    ])
    func roundsHalfUp(text: String, scale: Int, expected: String) throws {
        #expect(try Self.d(text).rounded(scale: scale).description == expected)
    }

    @Test func divisionRoundsAndKeepsTheResidue() throws {
        #expect(try Self.d("1").divided(by: Self.d("3"), scale: 3).description == "0.333")
        #expect(try Self.d("2").divided(by: Self.d("3"), scale: 3).description == "0.667")
        #expect(try Self.d("-2").divided(by: Self.d("3"), scale: 3).description == "-0.667")
        #expect(try Self.d("10").divided(by: Self.d("0.004"), scale: 0).description == "2500")
        // Unit conversion: 1234.5 g -> kg at 3 decimals via × 1 / 1000, residue kept exactly.
        let grams = Self.d("1234.5")
        let (kilograms, residue) = try grams.multiplied(by: Self.d("1")).dividedWithRemainder(
            by: Self.d("1000"), scale: 3)
        #expect(kilograms.description == "1.235")
        #expect(residue == Self.d("-0.5"))
        #expect(try kilograms.multiplied(by: Self.d("1000")).adding(residue) == grams)
    }
}
