import Foundation
import JSON

extension CatalogCheck {
    /// What an example file name declares.
    struct ExampleName: Equatable {
        /// `valid-…` or `invalid-…`.
        var valid: Bool
        /// The version named right after the prefix (`valid-v1-…`), if any.
        var version: Int?
        /// For invalid examples, the JSON Schema keyword that must fail.
        var keyword: String?

        /// Parses `valid-[v<N>-]<slug>.json` or `invalid-[v<N>-]<keyword>-<slug>.json`.
        init?(_ fileName: String) {
            guard fileName.hasSuffix(".json") else { return nil }
            var parts = fileName.dropLast(5).split(separator: "-", omittingEmptySubsequences: false)[...]
            switch parts.popFirst() {
            case "valid": valid = true
            case "invalid": valid = false
            default: return nil
            }
            if let first = parts.first, first.count > 1, first.hasPrefix("v"), let number = Int(first.dropFirst()),
                number >= 1, parts.count > 1
            {
                version = number
                parts = parts.dropFirst()
            }
            if !valid {
                guard let keyword = parts.popFirst(), !keyword.isEmpty else { return nil }
                self.keyword = String(keyword)
            }
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        }
    }

    /// Checks the examples of `subject`: names, declared outcome, failing keyword, and that valid
    /// examples of older versions still validate against the newest once upcast.
    /// - Returns: The findings and the number of example files seen.
    static func examples(of subject: Subject) -> (findings: [CatalogFinding], count: Int) {
        guard subject.definition.kind != .definitions else { return ([], 0) }
        let folder = (subject.latest.file as NSString).deletingLastPathComponent + "/examples"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            !$0.hasPrefix(".")
        }.sorted()
        var findings: [CatalogFinding] = []
        if !names.contains(where: { $0.hasPrefix("valid-") }) || !names.contains(where: { $0.hasPrefix("invalid-") }) {
            findings.append(
                CatalogFinding(
                    location: folder, rule: "examples-missing",
                    message: "a subject needs at least one valid-*.json and one invalid-*.json example"))
        }
        for name in names {
            let file = folder + "/" + name
            guard let declared = ExampleName(name) else {
                findings.append(
                    CatalogFinding(
                        location: file, rule: "example-name",
                        message: "expected valid-[v<N>-]<slug>.json or invalid-[v<N>-]<keyword>-<slug>.json"))
                continue
            }
            guard let schema = subject.version(declared.version ?? subject.versions.count) else {
                findings.append(
                    CatalogFinding(
                        location: file, rule: "example-name",
                        message:
                            "names v\(declared.version ?? 0), but \(subject.name) has v1 to v\(subject.versions.count)")
                )
                continue
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                findings.append(CatalogFinding(location: file, rule: "unreadableFile", message: "cannot read the file"))
                continue
            }
            let document: JSONValue
            do {
                document = try JSONValue(parsing: [UInt8](data))
            } catch {
                findings.append(
                    CatalogFinding(
                        location: "\(file):\(error.line):\(error.column)", rule: "invalidJSON", message: error.message))
                continue
            }
            findings += check(document, declared, schema, subject, file: file)
        }
        return (findings, names.count)
    }

    private static func check(
        _ document: JSONValue, _ declared: ExampleName, _ schema: RegisteredSchema, _ subject: Subject, file: String
    ) -> [CatalogFinding] {
        let violations = schema.validator.validate(document)
        if declared.valid {
            var findings = violations.map {
                CatalogFinding(
                    location: file + "#" + $0.instancePointer, rule: "example-valid",
                    message: "\($0.message) (schema \(schema.id), keyword \($0.keywordLocation))")
            }
            if violations.isEmpty && !schema.isLatest {
                do {
                    let upcast = try subject.upcaster.upcast(document, from: schema.id.version)
                    findings += subject.latest.validator.validate(upcast).map {
                        CatalogFinding(
                            location: file + "#" + $0.instancePointer, rule: "example-upcast",
                            message: "after upcasting to \(subject.latest.id): \($0.message)")
                    }
                } catch {
                    findings.append(CatalogFinding(location: file, rule: "example-upcast", message: error.message))
                }
            }
            return findings
        }
        guard let keyword = declared.keyword else { return [] }
        if violations.isEmpty {
            return [
                CatalogFinding(
                    location: file, rule: "example-invalid",
                    message: "declared invalid (\(keyword)) but validates against \(schema.id)")
            ]
        }
        let matching = violations.contains { violation in
            violation.keywordLocation.split(separator: "/").last.map(String.init) == keyword
        }
        guard matching else {
            let reasons = violations.map { "\($0.keywordLocation): \($0.message)" }.joined(separator: "; ")
            return [
                CatalogFinding(
                    location: file, rule: "example-invalid",
                    message: "declared to fail \"\(keyword)\" but fails: \(reasons)")
            ]
        }
        return []
    }
}
