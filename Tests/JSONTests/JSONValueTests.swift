import JSON
import Testing

@Suite struct JSONValueTests {
    @Test(arguments: [
        ("1", "1.0", true), ("1", "1e0", true), ("100", "1e2", true), ("0", "-0", true), ("0.1", "1e-1", true),
        ("1", "1.0000000000000000000000000000001", false), (#"{"a":1,"b":2}"#, #"{"b":2.0,"a":1}"#, true),
        (#"{"a":1}"#, #"{"a":1,"b":2}"#, false), ("[1,2]", "[2,1]", false), (#""é""#, #""e\u0301""#, false),
        ("true", "1", false), ("null", "false", false), ("[]", "{}", false),
    ])
    func schemaEquality(left: String, right: String, equal: Bool) throws {
        let lhs = try JSONValue(parsing: left)
        let rhs = try JSONValue(parsing: right)
        #expect((lhs == rhs) == equal)
        if equal { #expect(lhs.hashValue == rhs.hashValue) }
    }

    @Test func numbersCompareAndDivideExactly() throws {
        let n = { (text: String) in JSONNumber(text: text)! }
        #expect(n("1e400") > n("9.99e399"))
        #expect(n("-1e400") < n("-9.99e399"))
        #expect(n("0.0075").isMultiple(of: n("0.0001")))
        #expect(!n("0.00751").isMultiple(of: n("0.0001")))
        #expect(n("1e308").isMultiple(of: n("0.5")))
        #expect(n("12").isInteger && n("1.0").isInteger && !n("1.5").isInteger)
        #expect(n("-9223372036854775808").int64 == Int64.min)
        #expect(n("9223372036854775808").int64 == nil)
        #expect(n("1.5").description == "1.5")
        #expect(n("1e400").description == "1e400")
        #expect(JSONNumber(text: "01") == nil)
        // Huge exponents are decided by modular exponentiation, not by looping over the exponent.
        #expect(n("1e1000000000").isMultiple(of: n("7")) == false)
        #expect(n("1e1000000000").isMultiple(of: n("2e999999999")))
        #expect(n("12e999999999").isMultiple(of: n("3")))
    }

    @Test func literalsBuildTrees() {
        let value: JSONValue = ["a": [1, "x", nil, true], "b": ["c": 2]]
        #expect(value["a"]?[1]?.stringValue == "x")
        #expect(value["b"]?["c"] == .number(JSONNumber(2)))
        #expect(value.description == #"{"a":[1,"x",null,true],"b":{"c":2}}"#)
    }
}
