import Timekeeping

/// A window's interval in UTC epoch milliseconds, `[start, end)`.
public struct WindowBounds: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// First instant in the window.
    public var start: Int64
    /// First instant after the window.
    public var end: Int64

    /// Creates bounds.
    @inlinable
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Ordered by start, then end.
    @inlinable
    public static func < (lhs: WindowBounds, rhs: WindowBounds) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }

    /// `true` if `instant` lies inside.
    @inlinable
    public func contains(_ instant: Int64) -> Bool { instant >= start && instant < end }

    public var description: String { "[\(RFC3339.string(start)), \(RFC3339.string(end)))" }
}
