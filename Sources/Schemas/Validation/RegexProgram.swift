/// A Pike VM program: linear-time matching of a regular expression over Unicode scalars.
struct RegexProgram: Sendable {
    enum Instruction: Sendable {
        case set(Int)
        case split(Int, Int)
        case jump(Int)
        case assertStart
        case assertEnd
        case wordBoundary(Bool)
        case match
    }

    private(set) var instructions: [Instruction] = []
    private(set) var sets: [ScalarSet] = []

    /// Programs larger than this are rejected (e.g. `(a{1000}){1000}`).
    static let maxInstructions = 50_000

    init(_ tree: RegexNode) throws(RegexSyntaxError) {
        try emit(tree)
        instructions.append(.match)
    }

    private mutating func append(_ instruction: Instruction) throws(RegexSyntaxError) -> Int {
        guard instructions.count < Self.maxInstructions else {
            throw RegexSyntaxError(message: "pattern too large after expanding counted repetitions")
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode) throws(RegexSyntaxError) {
        switch node {
        case .empty: break
        case .set(let set):
            sets.append(set)
            _ = try append(.set(sets.count - 1))
        case .lineStart: _ = try append(.assertStart)
        case .lineEnd: _ = try append(.assertEnd)
        case .wordBoundary(let negated): _ = try append(.wordBoundary(negated))
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (offset, branch) in branches.enumerated() {
                if offset < branches.count - 1 {
                    let split = try append(.split(0, 0))
                    try emit(branch)
                    jumps.append(try append(.jump(0)))
                    instructions[split] = .split(split + 1, instructions.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .repetition(let inner, let min, let max):
            for _ in 0..<min { try emit(inner) }
            if let max {
                var splits: [Int] = []
                for _ in min..<max {
                    splits.append(try append(.split(0, 0)))
                    try emit(inner)
                }
                for split in splits { instructions[split] = .split(split + 1, instructions.count) }
            } else {
                let split = try append(.split(0, 0))
                try emit(inner)
                _ = try append(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            }
        }
    }

    static func isWord(_ scalar: UInt32?) -> Bool {
        guard let scalar, scalar < 128 else { return false }
        return ScalarSet.word.containsASCII(UInt8(scalar))
    }

    /// Decodes the scalar at `offset` of valid UTF-8; returns it and its length.
    @inline(__always)
    static func decode(_ utf8: UnsafeRawBufferPointer, at offset: Int) -> (UInt32, Int) {
        let lead = UInt32(utf8[offset])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(utf8[offset + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(utf8[offset + 1] & 0x3F) << 6 | UInt32(utf8[offset + 2] & 0x3F), 3)
        }
        return (
            (lead & 0x07) << 18 | UInt32(utf8[offset + 1] & 0x3F) << 12 | UInt32(utf8[offset + 2] & 0x3F) << 6
                | UInt32(utf8[offset + 3] & 0x3F), 4
        )
    }

    /// `true` if the program matches a substring of `utf8`.
    func search(_ utf8: UnsafeRawBufferPointer) -> Bool {
        let size = instructions.count
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: size * 3) { storage in
            var current = storage.baseAddress!
            var next = current + size
            let marks = next + size
            marks.initialize(repeating: -1, count: size)
            var currentCount = 0
            var nextCount = 0
            var generation = 0
            var offset = 0
            var previous: UInt32? = nil
            let count = utf8.count
            while true {
                let scalar: UInt32?
                let length: Int
                if offset < count {
                    (scalar, length) = Self.decode(utf8, at: offset).self
                } else {
                    (scalar, length) = (nil, 0)
                }
                // Start a new attempt at every position (unanchored search).
                if addThread(
                    0, list: current, count: &currentCount, marks: marks, generation: generation,
                    offset: offset, total: count, previous: previous, current: scalar)
                {
                    return true
                }
                guard let scalar else { return false }
                generation += 1
                nextCount = 0
                for index in 0..<currentCount {
                    let pc = current[index]
                    guard case .set(let setIndex) = instructions[pc], sets[setIndex].contains(scalar) else { continue }
                    let nextOffset = offset + length
                    let nextScalar: UInt32? = nextOffset < count ? Self.decode(utf8, at: nextOffset).0 : nil
                    if addThread(
                        pc + 1, list: next, count: &nextCount, marks: marks, generation: generation,
                        offset: nextOffset, total: count, previous: scalar, current: nextScalar)
                    {
                        return true
                    }
                }
                swap(&current, &next)
                currentCount = nextCount
                previous = scalar
                offset += length
            }
        }
    }

    /// Follows epsilon transitions from `pc`; returns `true` when `.match` is reached.
    private func addThread(
        _ start: Int, list: UnsafeMutablePointer<Int>, count: inout Int, marks: UnsafeMutablePointer<Int>,
        generation: Int, offset: Int, total: Int, previous: UInt32?, current: UInt32?
    ) -> Bool {
        var pc = start
        while true {
            if marks[pc] == generation { return false }
            marks[pc] = generation
            switch instructions[pc] {
            case .match: return true
            case .set:
                list[count] = pc
                count += 1
                return false
            case .jump(let target): pc = target
            case .split(let first, let second):
                if addThread(
                    first, list: list, count: &count, marks: marks, generation: generation, offset: offset,
                    total: total, previous: previous, current: current)
                {
                    return true
                }
                pc = second
            case .assertStart:
                guard offset == 0 else { return false }
                pc += 1
            case .assertEnd:
                guard offset == total else { return false }
                pc += 1
            case .wordBoundary(let negated):
                guard (Self.isWord(previous) != Self.isWord(current)) != negated else { return false }
                pc += 1
            }
        }
    }
}

/// A deterministic matcher for anchored sequences of ASCII class runs, e.g.
/// `^[A-Za-z0-9._:/-]+$` or `^-?\d{1,15}(\.\d{1,6})?$`: greedy without backtracking, which is
/// exact because each variable-length run is disjoint from everything that may follow it.
struct ByteSequenceMatcher: Sendable {
    struct Run: Sendable {
        var low: UInt64
        var high: UInt64
        var min: Int
        var max: Int
        /// Index of the run ending the optional group this run starts (-1 if not a group start).
        var groupEnd: Int
        var inGroup: Bool

        @inline(__always)
        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : (byte < 128 && high & (1 << UInt64(byte - 64)) != 0)
        }
    }

    let runs: [Run]
    /// Membership table (256 entries) when the pattern is a single unbounded run, e.g. `^[A-Za-z0-9._:/-]+$`.
    private let singleRunTable: [Bool]?
    private let singleRunMin: Int

    init?(_ tree: RegexNode) {
        guard case .concat(let items) = tree, items.count >= 3, case .lineStart = items.first,
            case .lineEnd = items.last
        else { return nil }
        var runs: [Run] = []
        func run(_ node: RegexNode, inGroup: Bool) -> Run? {
            var node = node
            var bounds = (1, 1)
            if case .repetition(let inner, let min, let max) = node {
                guard let max else {
                    bounds = (min, Int.max)
                    node = inner
                    guard case .set(let set) = node, set.isPureASCII else { return nil }
                    return Run(
                        low: set.ascii.0, high: set.ascii.1, min: min, max: Int.max, groupEnd: -1, inGroup: inGroup)
                }
                bounds = (min, max)
                node = inner
            }
            guard case .set(let set) = node, set.isPureASCII else { return nil }
            return Run(
                low: set.ascii.0, high: set.ascii.1, min: bounds.0, max: bounds.1, groupEnd: -1, inGroup: inGroup)
        }
        for item in items.dropFirst().dropLast() {
            if case .repetition(let inner, 0, 1) = item, case .concat(let groupItems) = inner {
                let start = runs.count
                for groupItem in groupItems {
                    guard let member = run(groupItem, inGroup: true) else { return nil }
                    runs.append(member)
                }
                guard runs[start].min >= 1 else { return nil }
                runs[start].groupEnd = runs.count
            } else {
                guard let single = run(item, inGroup: false) else { return nil }
                runs.append(single)
            }
        }
        guard !runs.isEmpty else { return nil }
        // Check determinism: each variable run and each optional group start is disjoint from what may follow.
        func follow(from start: Int) -> (UInt64, UInt64) {
            var (low, high) = (UInt64(0), UInt64(0))
            var cursor = start
            while cursor < runs.count {
                let follower = runs[cursor]
                low |= follower.low
                high |= follower.high
                if follower.groupEnd >= 0 {
                    cursor = follower.groupEnd  // the group may be skipped
                    continue
                }
                if follower.min >= 1 { break }
                cursor += 1
            }
            return (low, high)
        }
        for index in runs.indices {
            let current = runs[index]
            if current.max != current.min {
                let (low, high) = follow(from: index + 1)
                if current.low & low != 0 || current.high & high != 0 { return nil }
            }
            if current.groupEnd >= 0 {
                let (low, high) = follow(from: current.groupEnd)
                if current.low & low != 0 || current.high & high != 0 { return nil }
            }
        }
        self.runs = runs
        if runs.count == 1 && runs[0].max == Int.max && runs[0].groupEnd < 0 {
            let run = runs[0]
            singleRunTable = (0..<256).map { run.contains(UInt8($0)) }
            singleRunMin = run.min
        } else {
            singleRunTable = nil
            singleRunMin = 0
        }
    }

    func matches(_ utf8: UnsafeRawBufferPointer) -> Bool {
        if let singleRunTable {
            guard utf8.count >= singleRunMin else { return false }
            return singleRunTable.withUnsafeBufferPointer { table in
                var member = true
                for byte in utf8 { member = member && table[Int(byte)] }
                return member
            }
        }
        return runs.withUnsafeBufferPointer { Self.matches(runs: $0, utf8) }
    }

    /// Whether `utf8` is exactly the sequence `runs` describe (shared with the compiled fast path, which keeps
    /// the runs in raw storage).
    static func matches(runs: UnsafeBufferPointer<Run>, _ utf8: UnsafeRawBufferPointer) -> Bool {
        var position = 0
        let count = utf8.count
        var index = 0
        while index < runs.count {
            let run = runs[index]
            if run.groupEnd >= 0 && (position >= count || !run.contains(utf8[position])) {
                index = run.groupEnd  // skip the optional group
                continue
            }
            var taken = 0
            while taken < run.max && position < count && run.contains(utf8[position]) {
                position += 1
                taken += 1
            }
            if taken < run.min { return false }
            index += 1
        }
        return position == count
    }
}
