import Timekeeping

/// A window's interval in UTC epoch milliseconds, `[start, end)`.
package struct WindowBounds: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// First instant in the window.
    package var start: Int64
    /// First instant after the window.
    package var end: Int64

    /// Creates bounds.
    @inlinable
    package init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// Ordered by start, then end.
    @inlinable
    package static func < (lhs: WindowBounds, rhs: WindowBounds) -> Bool {
        lhs.start != rhs.start ? lhs.start < rhs.start : lhs.end < rhs.end
    }

    /// `true` if `instant` lies inside.
    @inlinable
    package func contains(_ instant: Int64) -> Bool { instant >= start && instant < end }

    package var description: String { "[\(RFC3339.string(start)), \(RFC3339.string(end)))" }
}
