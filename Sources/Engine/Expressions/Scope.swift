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

/// A compiled path step.
enum PathStep {
    case member([UInt8])
    case index(Int)

    static func steps(_ segments: ArraySlice<FieldPath.Segment>) -> [PathStep] {
        segments.map { segment in
            switch segment {
            case .member(let name): .member(Array(name.utf8))
            case .index(let index): .index(index)
            }
        }
    }
}
