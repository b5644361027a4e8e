#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a secret configuration value (a SASL password, a TLS key password, …) comes from.
///
/// The value itself is read only when a client is created, is handed straight to librdkafka and
/// never appears in descriptions, logs or errors; those name the source (variable or path) only.
public enum KafkaSecret: Sendable, Hashable, CustomStringConvertible {
    /// The value of an environment variable.
    case environment(String)
    /// The contents of a file; one trailing line break is removed.
    case file(String)

    /// Parses a reference of the form `env:NAME` or `file:PATH`.
    ///
    /// - Parameter reference: The textual reference.
    /// - Returns: `nil` when the reference has neither prefix or an empty name.
    public init?(reference: String) {
        if reference.hasPrefix("env:"), reference.count > 4 {
            self = .environment(String(reference.dropFirst(4)))
        } else if reference.hasPrefix("file:"), reference.count > 5 {
            self = .file(String(reference.dropFirst(5)))
        } else {
            return nil
        }
    }

    /// The reference text (`env:NAME` or `file:PATH`); never the secret value.
    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }

    /// Reads the secret value.
    ///
    /// - Parameter property: The configuration property the secret is for (used in errors only).
    /// - Returns: The secret value.
    /// - Throws: ``KafkaError/Code/secretUnavailable`` when the variable is unset or the file
    ///   cannot be read; the error names the source, never a value.
    func resolve(for property: String) throws(KafkaError) -> String {
        switch self {
        case .environment(let name):
            guard let raw = getenv(name) else {
                throw KafkaError(
                    .secretUnavailable,
                    "secret for '\(property)': environment variable \(name) is not set"
                )
            }
            return String(cString: raw)
        case .file(let path):
            let bytes = try Self.readFile(path, property: property)
            var end = bytes.count
            if end > 0, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
            if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return String(decoding: bytes[0..<end], as: UTF8.self)
        }
    }

    private static func readFile(_ path: String, property: String) throws(KafkaError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw KafkaError(
                .secretUnavailable,
                "secret for '\(property)': file \(path) cannot be opened (\(String(cString: strerror(errno))))"
            )
        }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw KafkaError(
                    .secretUnavailable,
                    "secret for '\(property)': file \(path) cannot be read (\(String(cString: strerror(errno))))"
                )
            }
            if count == 0 { break }
            result.append(contentsOf: chunk[0..<count])
        }
        return result
    }
}
