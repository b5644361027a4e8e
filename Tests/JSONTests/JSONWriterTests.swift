import JSON
import Testing

@Suite struct JSONWriterTests {
    @Test func writesNestedStructuresWithSeparators() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("id")
        writer.string("a\"b\\c\n\u{1}é")
        writer.key("n")
        writer.int(-9_223_372_036_854_775_808)
        writer.key("q")
        writer.decimal(try ExactDecimal(parsing: "12.340"))
        writer.key("list")
        writer.beginArray()
        writer.bool(true)
        writer.null()
        writer.beginObject()
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.int(0)
        writer.endArray()
        writer.endObject()
        let text = String(decoding: writer.bytes, as: UTF8.self)
        #expect(text == #"{"id":"a\"b\\c\n\u0001é","n":-9223372036854775808,"q":12.340,"list":[true,null,{},[],0]}"#)
        let value = try JSONValue(parsing: text)
        #expect(value["id"]?.stringValue == "a\"b\\c\n\u{1}é")
        #expect(value["q"]?.numberValue?.decimal == (try ExactDecimal(parsing: "12.34")))
    }

    @Test func plainKeysAreCopiedAndSeparatedLikeOthers() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.plainKey("eventId")
        writer.int(1)
        writer.key("é")
        writer.beginObject()
        writer.plainKey("a.b")
        writer.null()
        writer.endObject()
        writer.plainKey("z")
        writer.string("x")
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"eventId":1,"é":{"a.b":null},"z":"x"}"#)
    }

    @Test func copiesRawFragmentsAndReusesTheBuffer() throws {
        var writer = JSONWriter(capacity: 16)
        let source = #"{"data": {"x": [1, 2.50, "s"]}, "skip": 1}"#
        try withRoot(source) { root in
            for _ in 0..<3 {
                writer.reset()
                writer.beginObject()
                writer.key("copy")
                writer.value(root["data"]!)
                writer.endObject()
                #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"copy":{"x": [1, 2.50, "s"]}}"#)
            }
        }
    }

    @Test(arguments: [
        #"{"a":[1,2,{"b":null}],"c":"\u0000\t","d":-0.5,"e":1e400,"f":true}"#,
        #"[]"#, #""𝄞""#, #"123456789012345678901234567890"#,
    ])
    func valuesRoundTrip(text: String) throws {
        let value = try JSONValue(parsing: text)
        var writer = JSONWriter()
        writer.value(value)
        #expect(try JSONValue(parsing: writer.bytes) == value)
    }
}
