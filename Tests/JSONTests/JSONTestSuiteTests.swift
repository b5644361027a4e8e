import ConformanceSuites
import Foundation
import JSON
import Testing

/// Runs every file of nst/JSONTestSuite `test_parsing` (y_ accept, n_ reject, i_ as documented in
/// docs/json-i-cases.md).
@Suite(
    .enabled(
        if: ConformanceSuites.enabled(TestPaths.jsonTestSuite),
        Comment(rawValue: ConformanceSuites.skipReason("nst/JSONTestSuite", TestPaths.jsonTestSuite))))
struct JSONTestSuiteTests {
    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: TestPaths.jsonTestSuite)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// The documented behaviour for each implementation-defined file: `true` = accepted.
    static let implementationDefined: [String: Bool] = [
        "i_number_double_huge_neg_exp.json": true,
        "i_number_huge_exp.json": true,
        "i_number_neg_int_huge_exp.json": true,
        "i_number_pos_double_huge_exp.json": true,
        "i_number_real_neg_overflow.json": true,
        "i_number_real_pos_overflow.json": true,
        "i_number_real_underflow.json": true,
        "i_number_too_big_neg_int.json": true,
        "i_number_too_big_pos_int.json": true,
        "i_number_very_big_negative_int.json": true,
        "i_object_key_lone_2nd_surrogate.json": false,
        "i_string_1st_surrogate_but_2nd_missing.json": false,
        "i_string_1st_valid_surrogate_2nd_invalid.json": false,
        "i_string_UTF-16LE_with_BOM.json": false,
        "i_string_UTF-8_invalid_sequence.json": false,
        "i_string_UTF8_surrogate_U+D800.json": false,
        "i_string_incomplete_surrogate_and_escape_valid.json": false,
        "i_string_incomplete_surrogate_pair.json": false,
        "i_string_incomplete_surrogates_escape_valid.json": false,
        "i_string_invalid_lonely_surrogate.json": false,
        "i_string_invalid_surrogate.json": false,
        "i_string_invalid_utf-8.json": false,
        "i_string_inverted_surrogates_U+1D11E.json": false,
        "i_string_iso_latin_1.json": false,
        "i_string_lone_second_surrogate.json": false,
        "i_string_lone_utf8_continuation_byte.json": false,
        "i_string_not_in_unicode_range.json": false,
        "i_string_overlong_sequence_2_bytes.json": false,
        "i_string_overlong_sequence_6_bytes.json": false,
        "i_string_overlong_sequence_6_bytes_null.json": false,
        "i_string_truncated-utf-8.json": false,
        "i_string_utf16BE_no_BOM.json": false,
        "i_string_utf16LE_no_BOM.json": false,
        "i_structure_500_nested_arrays.json": false,
        "i_structure_UTF-8_BOM_empty_object.json": false,
    ]

    @Test func suiteIsPresent() {
        #expect(Self.files.count == 318)
        #expect(Self.files.filter { $0.hasPrefix("i_") }.count == Self.implementationDefined.count)
    }

    @Test(arguments: files)
    func file(_ name: String) throws {
        let data = try #require(FileManager.default.contents(atPath: TestPaths.jsonTestSuite + "/" + name))
        let outcome = parseOutcome(Array(data))
        let accepted: Bool
        if case .success = outcome { accepted = true } else { accepted = false }
        switch name.first {
        case "y": #expect(accepted, "must accept \(name): \(outcome)")
        case "n": #expect(!accepted, "must reject \(name)")
        default:
            guard let expected = Self.implementationDefined[name] else {
                Issue.record("undocumented i_ file \(name)")
                return
            }
            #expect(accepted == expected, "\(name): documented \(expected ? "accept" : "reject"), got \(outcome)")
        }
        // Accepted documents round-trip through the writer to an equal value.
        if case .success(let value) = outcome {
            let reparsed = parseOutcome(Array(value.description.utf8))
            #expect(try reparsed.get() == value)
        }
    }
}
