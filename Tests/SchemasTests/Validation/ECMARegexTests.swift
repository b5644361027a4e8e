import JSON
import Schemas
import Testing

@Suite struct ECMARegexTests {
    @Test(arguments: [
        ("^[A-Za-z0-9._:/-]+$", "M-01/x:y.z_1", true), ("^[A-Za-z0-9._:/-]+$", "", false),
        ("^[A-Za-z0-9._:/-]+$", "a b", false), ("^[A-Za-z0-9._:/-]+$", "é", false),
        (#"^-?\d{1,15}(\.\d{1,6})?$"#, "12.345", true), (#"^-?\d{1,15}(\.\d{1,6})?$"#, "-0", true),
        (#"^-?\d{1,15}(\.\d{1,6})?$"#, "1.", false), (#"^-?\d{1,15}(\.\d{1,6})?$"#, "1.1234567", false),
        (#"^-?\d{1,15}(\.\d{1,6})?$"#, "1234567890123456", false), (#"^-?\d{1,15}(\.\d{1,6})?$"#, "--1", false),
        ("^[A-Z0-9]{2,3}$", "KGM", true), ("^[A-Z0-9]{2,3}$", "K", false), (#"^\d{4}$"#, "0010", true),
        ("a+b", "xxaab", true), ("^(ab|cd)*$", "abcdab", true), ("^(ab|cd)*$", "abc", false),
        (#"^\p{Letter}+$"#, "éß", true), (#"^\p{Letter}+$"#, "a1", false), ("colou?r", "my color", true),
        (#"\bword\b"#, "a word.", true), (#"\bword\b"#, "swordfish", false), ("^[^\"]*$", "no quotes é", true),
        ("^.$", "\u{1F600}", true), (#"^\u00e9$"#, "é", true), ("^(a|a)*$", String(repeating: "a", count: 5000), true),
        ("^(a+)+$", String(repeating: "a", count: 3000) + "!", false), ("[0-9]{2,}", "a12", true),
    ])
    func matchesWithSearchSemantics(pattern: String, input: String, expected: Bool) throws {
        let schema = try compileSchema("{\"pattern\": \(jsonString(pattern))}")
        #expect(schema.isValid(.string(input)) == expected)
    }

    func jsonString(_ text: String) -> String {
        var writer = JSON.JSONWriter()
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}
