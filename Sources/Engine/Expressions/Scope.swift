import Synchronization
import Topology

/// What names mean at one position of a pipeline, used to resolve paths at compile time.
struct Scope {
    /// What the current record is.
    enum Record {
        /// The canonical event (envelope + data).
        case event
        /// A window result with these `groupBy` and aggregate names.
        case window(groupNames: [String], aggregateNames: [String])
        /// A table row (conditions of `hold`).
        case row
    }

    var record: Record
    /// Alias name → slot (enrichment rows, exploded elements).
    var aliases: [String: Int] = [:]
    /// After `map`: full dotted field name → index in the map output.
    var mapFields: [String: Int]?
    /// For a source of foreign records: whether it names where the plant is (`nil` for canonical events).
    var foreignPlant: Bool?

    /// `true` after a window step.
    var isWindowed: Bool {
        if case .window = record { return true }
        return false
    }

    /// The names a path may start with (for error messages).
    var knownRoots: [String] {
        var names: [String] = Array(aliases.keys).sorted()
        switch record {
        case .event: names.insert("<event field>", at: 0)
        case .row: names.insert("<row column>", at: 0)
        case .window(let groupNames, let aggregateNames):
            names = groupNames + aggregateNames + ["window"] + names
        }
        if let mapFields { names = mapFields.keys.sorted() + names }
        return names
    }
}

/// A compiled path step: a member name (interned bytes) or an array index. Trivially copyable, so
/// walking a path retains nothing.
struct PathStep {
    /// The member name, or `nil` for an index step.
    let key: UnsafeRawBufferPointer?
    let index: Int

    static func member(_ name: String) -> PathStep { PathStep(key: InternedNames.shared.bytes(of: name), index: 0) }
    static func index(_ index: Int) -> PathStep { PathStep(key: nil, index: index) }

    /// The member name as a string (compile-time use).
    var name: String? { key.map { String(decoding: $0, as: UTF8.self) } }

    static func steps(_ segments: ArraySlice<FieldPath.Segment>) -> [PathStep] {
        segments.map { segment in
            switch segment {
            case .member(let name): .member(name)
            case .index(let index): .index(index)
            }
        }
    }
}

/// Member names used by compiled paths, copied once into memory that is never freed (the set of names
/// a topology uses is small and fixed), so paths can hold plain pointers.
final class InternedNames: Sendable {
    static let shared = InternedNames()

    private let names = Mutex<[String: UnsafeRawBufferPointer]>([:])

    func bytes(of name: String) -> UnsafeRawBufferPointer {
        names.withLock { table in
            if let bytes = table[name] { return bytes }
            let utf8 = Array(name.utf8)
            let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(utf8.count, 1), alignment: 1)
            utf8.withUnsafeBytes { storage.copyMemory(from: $0) }
            let bytes = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<utf8.count])
            table[name] = bytes
            return bytes
        }
    }
}
