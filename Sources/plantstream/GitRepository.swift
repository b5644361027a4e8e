import Foundation

/// Reads files of a git ref with the `git` command line (for `schemas check --against`).
struct GitRepository {
    /// A failure to run git or to find the repository or ref.
    struct Failure: Error {
        var message: String
    }

    /// The repository root.
    let root: String
    /// The folder's path relative to the root, ending with `/` (empty at the root).
    let prefix: String

    /// Finds the repository that contains `folder`.
    /// - Throws: ``Failure`` if `folder` is not inside a git work tree.
    init(folder: String) throws(Failure) {
        guard let top = try? Self.git(["-C", folder, "rev-parse", "--show-toplevel"]),
            let prefix = try? Self.git(["-C", folder, "rev-parse", "--show-prefix"])
        else { throw Failure(message: "\(folder) is not inside a git repository") }
        root = Self.line(top)
        self.prefix = Self.line(prefix)
    }

    /// The bytes at `ref` of every `<type>/v<N>.json` under the folder, keyed by that relative path.
    /// - Throws: ``Failure`` if `ref` is not a commit.
    func publishedVersionFiles(at ref: String) throws(Failure) -> [String: [UInt8]] {
        guard (try? Self.git(["-C", root, "rev-parse", "--verify", "--quiet", ref + "^{commit}"])) != nil else {
            throw Failure(message: "unknown git ref '\(ref)'")
        }
        let listing: [UInt8]
        do {
            listing = try Self.git([
                "-C", root, "ls-tree", "-r", "-z", "--name-only", ref, "--", prefix.isEmpty ? "." : prefix,
            ])
        } catch {
            throw Failure(message: "git ls-tree \(ref) failed: \(error.message)")
        }
        var paths: [(relative: String, path: String)] = []
        for entry in listing.split(separator: 0) {
            let path = String(decoding: entry, as: UTF8.self)
            guard path.hasPrefix(prefix) else { continue }
            let relative = String(path.dropFirst(prefix.count))
            let parts = relative.split(separator: "/")
            guard parts.count == 2, parts[1].hasPrefix("v"), parts[1].hasSuffix(".json") else { continue }
            paths.append((relative, path))
        }
        // One `git cat-file --batch` for all files: each answer is `<sha> blob <size>\n<bytes>\n`.
        let requests = paths.map { "\(ref):\($0.path)\n" }.joined()
        let output: [UInt8]
        do {
            output = try Self.git(["-C", root, "cat-file", "--batch"], input: Array(requests.utf8))
        } catch {
            throw Failure(message: "git cat-file \(ref) failed: \(error.message)")
        }
        var files: [String: [UInt8]] = [:]
        var position = 0
        for (relative, path) in paths {
            guard let newline = output[position...].firstIndex(of: UInt8(ascii: "\n")) else {
                throw Failure(message: "git cat-file \(ref):\(path): truncated answer")
            }
            let header = String(decoding: output[position..<newline], as: UTF8.self).split(separator: " ")
            guard header.count == 3, header[1] == "blob", let size = Int(header[2]), newline + 1 + size <= output.count
            else { throw Failure(message: "git cat-file \(ref):\(path): \(header.joined(separator: " "))") }
            files[relative] = Array(output[(newline + 1)..<(newline + 1 + size)])
            position = newline + 1 + size + 1
        }
        return files
    }

    private static func line(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }

    /// Runs git and returns its standard output.
    private static func git(_ arguments: [String], input: [UInt8] = []) throws(Failure) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        let errors = Pipe()
        let standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        do {
            try process.run()
        } catch {
            throw Failure(message: "cannot run git: \(error)")
        }
        // Write the input from another thread so a full output pipe cannot deadlock the two.
        let writer = Thread {
            standardInput.fileHandleForWriting.write(Data(input))
            try? standardInput.fileHandleForWriting.close()
        }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                message: String(decoding: errorText, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return [UInt8](data)
    }
}
