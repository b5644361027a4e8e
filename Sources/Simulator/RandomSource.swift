#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A deterministic pseudo-random generator: xoshiro256** seeded through SplitMix64.
///
/// The same seed always yields the same sequence (the system generator is never used). Draws that
/// need real functions (`log`, `cos`, `exp`) use the C math library.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator; distinct `stream` values give independent sequences for one seed.
    ///
    /// - Parameters:
    ///   - seed: The user's seed.
    ///   - stream: A stream number mixed into the seed (one stream for the plant, one for faults, …).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        s0 = Self.splitMix(&state)
        s1 = Self.splitMix(&state)
        s2 = Self.splitMix(&state)
        s3 = Self.splitMix(&state)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// Creates a generator from its raw state (tests against the reference implementation).
    init(state: (UInt64, UInt64, UInt64, UInt64)) {
        (s0, s1, s2, s3) = state
    }

    @inline(__always)
    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        let product = s1 &* 5
        let result = (product << 7 | product >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in `[0, 1)`.
    @inline(__always)
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// `true` with probability `p`.
    @inline(__always)
    public mutating func chance(_ p: Double) -> Bool {
        p > 0 && unit() < p
    }

    /// A uniform integer in `range` (Lemire's multiply-shift method, unbiased).
    @inline(__always)
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        Int(int64(in: Int64(range.lowerBound)...Int64(range.upperBound)))
    }

    /// A uniform integer in `range`.
    @inline(__always)
    public mutating func int64(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if span == 0 { return Int64(bitPattern: next()) }
        var product = next().multipliedFullWidth(by: span)
        if product.low < span {
            let threshold = (0 &- span) % span
            while product.low < threshold { product = next().multipliedFullWidth(by: span) }
        }
        return range.lowerBound &+ Int64(bitPattern: product.high)
    }

    /// A uniform double in `[lower, upper)`.
    @inline(__always)
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    /// An exponentially distributed value with the given mean.
    public mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())
    }

    /// A normally distributed value (Box–Muller).
    public mutating func normal(mean: Double, deviation: Double) -> Double {
        let u1 = 1 - unit()
        let u2 = unit()
        return mean + deviation * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A log-normally distributed value with the given median and shape `sigma`.
    public mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(normal(mean: 0, deviation: sigma))
    }

    /// An index chosen with probability proportional to `weights` (not all zero).
    public mutating func weighted(_ weights: [Double]) -> Int {
        var total = 0.0
        for weight in weights { total += weight }
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// A uniformly chosen index of a non-empty collection of `count` elements.
    @inline(__always)
    public mutating func index(_ count: Int) -> Int {
        int(in: 0...(count - 1))
    }
}
