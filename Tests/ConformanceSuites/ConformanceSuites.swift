import Foundation

/// Where the external conformance suites are: `$PLANTSTREAM_CONFORMANCE_SUITES` (a folder holding
/// `json-test-suite/` and `json-schema-test-suite/`), else `../shared` beside the package. Tests that need them
/// are skipped with ``skipReason(_:_:)`` when absent — unless `PLANTSTREAM_REQUIRE_CONFORMANCE_SUITES=1` (set by
/// `.ci/run`), which makes them run and fail.
package enum ConformanceSuites {
    /// The folder holding the suites, for a package at `packageRoot`.
    package static func folder(packageRoot: String) -> String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["PLANTSTREAM_CONFORMANCE_SUITES"], !folder.isEmpty { return folder }
        return packageRoot + "/../shared"
    }

    /// Whether the tests of `suite` (a folder that must exist) run.
    package static func enabled(_ suite: String) -> Bool {
        FileManager.default.fileExists(atPath: suite) || required
    }

    /// Whether a missing suite is a failure (CI) rather than a skip.
    package static var required: Bool {
        ProcessInfo.processInfo.environment["PLANTSTREAM_REQUIRE_CONFORMANCE_SUITES"] == "1"
    }

    /// Why the tests of `name` are skipped.
    package static func skipReason(_ name: String, _ suite: String) -> String {
        "\(name) not found at \(suite): put it in a folder and set PLANTSTREAM_CONFORMANCE_SUITES to that folder "
            + "(README)"
    }
}
