import Foundation

/// Where a file-backed table's `file:` resolves: reference files must stay inside the reference directory, so a
/// topology cannot make PlantStream read (and echo in findings or dead letters) arbitrary files of the host.
public enum ReferencePath {
    /// The outcome of resolving a table's `file:`.
    public struct Resolved: Sendable, Hashable {
        /// The path to read (the reference directory joined with `file`).
        public var path: String
        /// `false` when `file` is absolute, climbs out with `..`, or is (or passes through) a symbolic link
        /// that leads outside the reference directory.
        public var isInside: Bool
    }

    /// Resolves `file` against `directory`, following symbolic links of existing path components.
    public static func resolve(_ file: String, in directory: String) -> Resolved {
        let path = (directory as NSString).appendingPathComponent(file)
        let root = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let inside =
            !file.hasPrefix("/") && (target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/"))
        return Resolved(path: path, isInside: inside)
    }

    /// The message of a lint error or load failure for a file outside the reference directory.
    public static func outsideMessage(table: String, file: String, directory: String) -> String {
        "table '\(table)': file '\(file)' resolves outside the reference directory \(directory); reference files "
            + "must be inside it (no absolute paths, '..' or symbolic links leading out)"
    }
}
