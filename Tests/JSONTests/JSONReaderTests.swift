import JSON
import Testing

@Suite struct JSONReaderTests {
    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("42", 42), ("-17", -17),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
        ("12345678901234567", 12_345_678_901_234_567), ("123456789012345678", 123_456_789_012_345_678),
        ("99999999999999999", 99_999_999_999_999_999), ("7", 7),
    ])
    func integersFitInt64(text: String, value: Int64) throws {
        try withRoot(text) { root in
            #expect(root.kind == .number)
            #expect(root.int64 == value)
            #expect(root.hasIntegerSyntax)
        }
    }

    @Test(arguments: ["9223372036854775808", "-9223372036854775809", "1.0", "1e2", "123456789012345678901234567890"])
    func numbersOutsideInt64KeepTheirText(text: String) throws {
        try withRoot(text) { root in
            #expect(root.int64 == nil)
            #expect(String(decoding: root.numberText!, as: UTF8.self) == text)
        }
    }

    @Test func decimalQuantitiesStayExact() throws {
        try withRoot(#"{"value": 12.345, "big": 1e400, "qty": "-0.500", "bad": "1.2.3"}"#) { root in
            #expect(root["qty"]?.decimalFromNumberOrString?.description == "-0.500")
            #expect(root["bad"]?.decimalFromNumberOrString == nil)
            #expect(root["qty"]?.decimal == nil)
            #expect(root["value"]?.decimal?.description == "12.345")
            #expect(root["big"]?.decimal == nil)
            #expect(root["value"]?.decimalFromNumberOrString?.description == "12.345")
            #expect(root["big"]?.number == JSONNumber(text: "10e399"))
        }
    }

    @Test(arguments: [
        (#""a\"b\\c\/d\b\f\n\r\t""#, "a\"b\\c/d\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u20AC""#, "é€"),
        (#""\uD834\uDD1E""#, "𝄞"),
        (#""plain""#, "plain"),
        ("\"\u{1F600} ok\"", "\u{1F600} ok"),
    ])
    func stringsUnescape(json: String, expected: String) throws {
        try withRoot(json) { root in
            #expect(root.string == expected)
            #expect(root.stringEquals(expected))
            #expect(!root.stringEquals(expected + "x"))
            #expect(root.scalarCount == expected.unicodeScalars.count)
            var bytes: [UInt8] = []
            #expect(root.appendUnescapedBytes(to: &bytes))
            #expect(bytes == Array(expected.utf8))
        }
    }

    @Test func memberLookupComparesUnescapedKeys() throws {
        try withRoot(#"{"a": 1, "b\u0063": 2, "dup": 3, "dup": 4, "nested": {"x": [1, {"y": null}]}}"#) { root in
            #expect(root["a"]?.int64 == 1)
            #expect(root["bc"]?.int64 == 2)
            #expect(root.member("dup")?.int64 == 3)
            #expect(root["missing"] == nil)
            #expect(root["nested"]?["x"]?[1]?["y"]?.isNull == true)
            #expect(root.count == 5)
            #expect(root.members.map { $0.key.string! } == ["a", "bc", "dup", "dup", "nested"])
        }
    }

    @Test func iterationSkipsNestedValues() throws {
        try withRoot(#"[[1, [2, 3]], {"k": [4]}, "s", true, false, null, 5.5]"#) { root in
            let kinds = root.elements.map(\.kind)
            #expect(kinds == [.array, .object, .string, .true, .false, .null, .number])
            #expect(root.count == 7)
            #expect(root[6]?.decimal?.description == "5.5")
            #expect(root[7] == nil)
        }
    }

    @Test func rawBytesCoverTheWholeValue() throws {
        let text = #"{"data": {"a": [1, 2], "s": "x\ny"}, "n": -1.5e3}"#
        try withRoot(text) { root in
            #expect(String(decoding: root["data"]!.rawBytes, as: UTF8.self) == #"{"a": [1, 2], "s": "x\ny"}"#)
            #expect(String(decoding: root["data"]!["s"]!.rawBytes, as: UTF8.self) == #""x\ny""#)
            #expect(String(decoding: root["n"]!.rawBytes, as: UTF8.self) == "-1.5e3")
            #expect(root["data"]!["s"]!.byteOffset == 28)
        }
    }

    @Test func depthLimitIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        guard case .failure(let error) = parseOutcome(Array(deep.utf8)) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .tooDeep)
        #expect(error.offset == 128)
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        #expect((try? parseOutcome(Array(ok.utf8)).get()) != nil)
        let custom = String(repeating: "{\"a\":", count: 10) + "1" + String(repeating: "}", count: 10)
        #expect((try? parseOutcome(Array(custom.utf8), maxDepth: 10).get()) != nil)
        #expect((try? parseOutcome(Array(custom.utf8), maxDepth: 9).get()) == nil)
    }

    @Test(arguments: [
        ("", JSONError.Code.emptyInput, 0, 1, 1),
        ("  \n ", .emptyInput, 4, 2, 2),
        ("{\"a\":\n  tru}", .invalidLiteral, 8, 2, 3),
        ("[1,]", .unexpectedCharacter, 3, 1, 4),
        ("[1 2]", .unexpectedCharacter, 3, 1, 4),
        ("01", .invalidNumber, 0, 1, 1),
        ("1.", .unexpectedEnd, 2, 1, 3),
        ("\"a\u{01}\"", .controlCharacter, 2, 1, 3),
        (#""\x""#, .invalidEscape, 1, 1, 2),
        (#""\uD800""#, .invalidUnicode, 1, 1, 2),
        ("{} x", .trailingData, 3, 1, 4),
        ("\"abc", .unexpectedEnd, 0, 1, 1),
        ("{\"a\" 1}", .unexpectedCharacter, 5, 1, 6),
    ])
    func errorsCarryPosition(text: String, code: JSONError.Code, offset: Int, line: Int, column: Int) {
        guard case .failure(let error) = parseOutcome(Array(text.utf8)) else {
            Issue.record("expected an error for \(text)")
            return
        }
        #expect(error.code == code)
        #expect(error.offset == offset)
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(!error.message.isEmpty)
    }

    @Test func invalidUTF8IsRejected() {
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x22], [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], [0x22, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22],
        ] {
            guard case .failure(let error) = parseOutcome(bytes) else {
                Issue.record("accepted \(bytes)")
                continue
            }
            #expect(error.code == .invalidUTF8)
        }
    }

    @Test func tapeIsReusedAcrossDocuments() throws {
        let tape = JSONTape(capacity: 16)
        let reader = JSONReader()
        let big = "[" + (0..<1000).map(String.init).joined(separator: ",") + "]"
        for text in [big, #"{"a": 1}"#, "[true]"] {
            let bytes = Array(text.utf8)
            try bytes.withUnsafeBytes { buffer in
                let document = try reader.parse(buffer, into: tape)
                #expect(JSONValue(document.root) == (try JSONValue(parsing: text)))
                #expect(document.valueCount == tape.valueCount)
            }
        }
        #expect(tape.valueCount == 2)
    }

    @Test(arguments: [
        (#"[1,22,333]"#, [Int64(1), 22, 333]), (#"{"a":41250}"#, [41250]), ("[ 7 , 8 ]", [7, 8]),
        ("[12345678901234567890]", [nil]), ("[15e1]", [nil]), ("[15.0]", [nil]), ("[15E+1]", [nil]),
    ])
    func integersInsideContainers(text: String, values: [Int64?]) throws {
        try withRoot(text) { root in
            let numbers = root.kind == .array ? Array(root.elements) : root.members.map(\.value)
            #expect(numbers.map(\.int64) == values)
            #expect(numbers.allSatisfy { $0.kind == .number })
        }
    }

    @Test(arguments: ["[1.]", "[12e]", "[1x]", "[01]", "[1", "{\"a\":12"])
    func malformedIntegersAreRejected(text: String) {
        #expect(throws: JSONError.self) { try withRoot(text) { _ in } }
    }

    @Test func longStringsUseTheWordScanner() throws {
        let body = String(repeating: "abcdefgh", count: 20) + "é" + String(repeating: "z", count: 17)
        try withRoot("\"\(body)\"") { root in
            #expect(root.string == body)
            #expect(!root.hasEscapes)
        }
        let withQuote = String(repeating: "a", count: 13) + "\\\"" + String(repeating: "b", count: 9)
        try withRoot("\"\(withQuote)\"") { root in
            #expect(root.string == String(repeating: "a", count: 13) + "\"" + String(repeating: "b", count: 9))
        }
    }
}
