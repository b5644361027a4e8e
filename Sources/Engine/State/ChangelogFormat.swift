/// How state changelog records are written, and how a restore decides which of them to apply.
///
/// Every changelog record a ``PartitionTask/flush()`` writes carries
/// - a value that starts with ``formatVersion`` (a tombstone has no value), and
/// - the header ``checkpointHeader``: the task's *checkpoint*, a number that grows with every flush that
///   wrote something, as decimal ASCII.
///
/// The runtime commits each input offset together with the checkpoint whose state matches it (in the offset
/// commit's metadata, see ``CommittedCheckpoint``). A restore applies only records stamped with a checkpoint
/// at or below the committed one, so the restored state is exactly the state at the committed offset — never
/// ahead of it (records of a flush whose outputs were not all acknowledged before a crash), never behind.
package enum ChangelogFormat {
    /// The first byte of every changelog value this build writes.
    package static let formatVersion: UInt8 = 1
    /// The header carrying a record's checkpoint.
    package static let checkpointHeader = "ps_checkpoint"

    /// Appends `checkpoint` as decimal ASCII (the header value).
    package static func appendCheckpoint(_ checkpoint: UInt64, to buffer: inout [UInt8]) {
        var digits: [UInt8] = []
        var rest = checkpoint
        repeat {
            digits.append(UInt8(48 + rest % 10))
            rest /= 10
        } while rest != 0
        buffer.append(contentsOf: digits.reversed())
    }

    /// Parses a checkpoint header value; `nil` when it is not a decimal number.
    package static func checkpoint(parsing bytes: UnsafeRawBufferPointer) -> UInt64? {
        guard !bytes.isEmpty, bytes.count <= 20 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            guard byte >= 48, byte <= 57 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times.addingReportingOverflow(UInt64(byte - 48))
            guard !overflow, !carry else { return nil }
            value = sum
        }
        return value
    }
}

/// The checkpoint committed with a partition's input offset, as the offset commit's metadata
/// (`plantstream:checkpoint=<n>`): which changelog records a restore of that partition applies.
package enum CommittedCheckpoint: Hashable, Sendable {
    /// Nothing is committed for the partition: its state starts empty (every changelog record is later than
    /// the committed position).
    case none
    /// The committed offset carries this checkpoint: apply records stamped at or below it.
    case upTo(UInt64)
    /// An offset is committed without a PlantStream checkpoint (moved by another tool): apply every record.
    case unknown

    private static let prefix = "plantstream:checkpoint="

    /// The offset-commit metadata for a checkpoint.
    package static func metadata(_ checkpoint: UInt64) -> String { prefix + String(checkpoint) }

    /// Reads a committed offset's metadata.
    ///
    /// - Parameters:
    ///   - offset: The committed offset (negative: nothing committed).
    ///   - metadata: The commit's metadata, if any.
    package init(offset: Int64, metadata: String?) {
        guard offset >= 0 else {
            self = .none
            return
        }
        guard let metadata, metadata.hasPrefix(Self.prefix),
            let checkpoint = UInt64(metadata.dropFirst(Self.prefix.count))
        else {
            self = .unknown
            return
        }
        self = .upTo(checkpoint)
    }

    /// Whether a record stamped with `checkpoint` belongs to the committed state.
    @inline(__always)
    func includes(_ checkpoint: UInt64) -> Bool {
        switch self {
        case .none: false
        case .upTo(let limit): checkpoint <= limit
        case .unknown: true
        }
    }

    /// The committed checkpoint number (0 when none or unknown).
    package var checkpoint: UInt64 {
        switch self {
        case .none, .unknown: 0
        case .upTo(let limit): limit
        }
    }
}
