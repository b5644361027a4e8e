import Foundation

/// Process facts the runtime reads off the hot path (environment, host name, pid).
public enum RuntimeEnvironment {
    /// The process environment.
    public static func current() -> [String: String] { ProcessInfo.processInfo.environment }

    /// The host name (for the default instance id).
    public static func hostName() -> String {
        let name = ProcessInfo.processInfo.hostName
        return name.isEmpty ? "localhost" : name
    }

    /// The process id.
    public static func processID() -> Int32 { ProcessInfo.processInfo.processIdentifier }
}
