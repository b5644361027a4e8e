import Foundation

extension CatalogCheck {
    /// Published versions are immutable: compares each version file present at a git ref with the
    /// file now.
    /// - Parameters:
    ///   - published: `<type>/v<N>.json` (relative to the schemas folder) → bytes at the ref; other
    ///     paths are ignored.
    ///   - directory: The schemas folder now.
    /// - Returns: One finding per deleted or changed file, located at the first differing line.
    public static func publishedChanges(published: [String: [UInt8]], directory: String) -> [CatalogFinding] {
        var findings: [CatalogFinding] = []
        for (path, old) in published.sorted(by: { $0.key < $1.key }) {
            let parts = path.split(separator: "/")
            guard parts.count == 2, SchemaID.isTypeName(parts[0].utf8),
                CatalogLoader.versionNumber(String(parts[1])) != nil
            else { continue }
            let file = directory + "/" + path
            guard let data = FileManager.default.contents(atPath: file) else {
                findings.append(
                    CatalogFinding(
                        location: file, rule: "published-version-deleted",
                        message: "was published and must stay; publish a new version instead"))
                continue
            }
            let now = [UInt8](data)
            guard now != old else { continue }
            findings.append(
                CatalogFinding(
                    location: "\(file):\(firstDifferentLine(old, now))", rule: "published-version-changed",
                    message: "differs from the published file; published versions are immutable, add v<N+1>.json"))
        }
        return findings
    }

    /// The 1-based line of the first byte where `old` and `new` differ.
    static func firstDifferentLine(_ old: [UInt8], _ new: [UInt8]) -> Int {
        var line = 1
        for index in 0..<min(old.count, new.count) {
            if old[index] != new[index] { return line }
            if old[index] == UInt8(ascii: "\n") { line += 1 }
        }
        return line
    }
}
