import JSON

/// The governance checks behind `plantstream schemas check`.
///
/// Loads a schemas folder collecting every problem, then checks each subject's versions against
/// its compatibility mode and its examples against their declared outcome.
public enum CatalogCheck {
    /// The pointer of the version discriminator, which upcasting rewrites and compatibility ignores.
    public static let ignoredPointers: Set<String> = ["#/properties/schemaVersion"]

    /// What a run checked and found.
    public struct Report: Sendable {
        /// The problems, in folder order; empty when the catalogue is sound.
        public var findings: [CatalogFinding]
        /// Subjects that loaded.
        public var subjectCount: Int
        /// Schema versions that loaded.
        public var versionCount: Int
        /// Example files checked.
        public var exampleCount: Int
    }

    /// Runs every check on `directory`.
    /// - Parameters:
    ///   - directory: The `schemas/` folder.
    ///   - options: Validation options (format assertion on by default).
    /// - Returns: The findings, in folder order; empty when the catalogue is sound.
    public static func run(
        directory: String, options: SchemaValidationOptions = SchemaValidationOptions()
    ) -> [CatalogFinding] {
        report(directory: directory, options: options).findings
    }

    /// Runs every check on `directory` and counts what was checked.
    public static func report(
        directory: String, options: SchemaValidationOptions = SchemaValidationOptions()
    ) -> Report {
        var loader = CatalogLoader(directory: directory, options: options)
        let registry = loader.load()
        var findings = loader.errors.map(CatalogFinding.init)
        let checker = CompatibilityChecker(documents: loader.documents)
        var exampleCount = 0
        for subject in registry.subjects {
            findings += compatibility(of: subject, checker)
            let (exampleFindings, count) = examples(of: subject)
            findings += exampleFindings
            exampleCount += count
        }
        return Report(
            findings: findings, subjectCount: registry.subjects.count,
            versionCount: registry.subjects.reduce(0) { $0 + $1.versions.count }, exampleCount: exampleCount)
    }

    /// The incompatibilities of each version of `subject` with the earlier ones, per its mode.
    static func compatibility(of subject: Subject, _ checker: CompatibilityChecker) -> [CatalogFinding] {
        let mode = subject.definition.compatibility
        guard mode != .none, subject.versions.count > 1 else { return [] }
        let scope: CompatibilityChecker.Scope = subject.definition.kind == .definitions ? .definitions : .document
        var findings: [CatalogFinding] = []
        for index in 1..<subject.versions.count {
            let version = subject.versions[index]
            let earlier = subject.versions[..<index].map(\.uri)
            for issue in checker.check(
                mode, version: version.uri, earlier: earlier, scope: scope, ignoring: ignoredPointers)
            {
                let other = SchemaID(issue.against).map { "v\($0.version)" } ?? issue.against
                let reader = issue.direction == .backward ? "v\(version.id.version)" : other
                let writer = issue.direction == .backward ? other : "v\(version.id.version)"
                findings.append(
                    CatalogFinding(
                        location: version.file + issue.difference.pointer,
                        rule: "\(issue.direction.rawValue)/\(issue.difference.kind.rawValue)",
                        message:
                            "\(reader) cannot read data written with \(writer) (\(mode.rawValue) compatibility)"))
            }
        }
        return findings
    }
}
