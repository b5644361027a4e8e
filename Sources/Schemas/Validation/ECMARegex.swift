/// A regular expression with ECMA-262 syntax for `pattern` and `patternProperties`, matched with
/// search semantics (unanchored unless the pattern uses `^`/`$`).
///
/// Compiled once. Simple anchored ASCII patterns (`^[A-Za-z0-9._:/-]+$`, `^-?\d{1,15}(\.\d{1,6})?$`)
/// become a deterministic byte matcher; everything else runs on a Pike VM over Unicode scalars,
/// whose time is linear in the input (no catastrophic backtracking) and which needs no heap
/// allocation per match for small programs. Supported: literals, `.`, classes with ranges,
/// `\d \w \s \D \W \S \b \B`, `\p{…}`/`\P{…}` general categories, escapes (`\t \n \uXXXX \u{…} \xHH \cX`),
/// groups (capturing, `(?:…)`, `(?<name>…)`), alternation, greedy/lazy quantifiers `* + ? {n} {n,} {n,m}`,
/// anchors. Not supported (compile error): lookaround and backreferences.
final class ECMARegex: Sendable {
    let source: String
    let fast: ByteSequenceMatcher?
    private let program: RegexProgram

    /// Compiles `source`.
    /// - Throws: A message describing the syntax error or unsupported construct.
    init(_ source: String) throws(RegexSyntaxError) {
        self.source = source
        var parser = RegexParser(Array(source.unicodeScalars))
        let tree = try parser.parse()
        fast = ByteSequenceMatcher(tree)
        program = try RegexProgram(tree)
    }

    /// `true` if the pattern matches somewhere in `utf8` (valid UTF-8).
    func matches(_ utf8: UnsafeRawBufferPointer) -> Bool {
        if let fast { return fast.matches(utf8) }
        return program.search(utf8)
    }

    /// `true` if the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// `true` if the fast byte matcher is used (for tests and benchmarks).
    var usesByteMatcher: Bool { fast != nil }
}

/// A regular expression syntax error or unsupported feature.
struct RegexSyntaxError: Error {
    let message: String
}

// MARK: - Syntax tree

/// A set of Unicode scalars: ASCII bitmap, ranges and general-category predicates.
struct ScalarSet: Sendable {
    var ascii: (UInt64, UInt64) = (0, 0)
    var ranges: [ClosedRange<UInt32>] = []
    var categories: [CategoryTest] = []
    var negated = false

    struct CategoryTest: Sendable {
        let categories: [Unicode.GeneralCategory]
        let negated: Bool
    }

    mutating func insert(_ scalar: UInt32) { insert(scalar...scalar) }

    mutating func insert(_ range: ClosedRange<UInt32>) {
        var low = range.lowerBound
        while low <= range.upperBound && low < 128 {
            if low < 64 { ascii.0 |= 1 << UInt64(low) } else { ascii.1 |= 1 << UInt64(low - 64) }
            low += 1
        }
        if range.upperBound >= 128 { ranges.append(max(128, range.lowerBound)...range.upperBound) }
    }

    mutating func formUnion(_ other: ScalarSet) {
        if other.negated {
            // Produced for \D, \W, \S inside a class: kept as a nested negated set.
            nested.append(other)
            return
        }
        ascii.0 |= other.ascii.0
        ascii.1 |= other.ascii.1
        ranges.append(contentsOf: other.ranges)
        categories.append(contentsOf: other.categories)
        nested.append(contentsOf: other.nested)
    }

    /// Negated sub-sets unioned into this one (e.g. `[\D]`).
    var nested: [ScalarSet] = []

    @inline(__always)
    func containsASCII(_ byte: UInt8) -> Bool {
        byte < 64 ? ascii.0 & (1 << UInt64(byte)) != 0 : ascii.1 & (1 << UInt64(byte - 64)) != 0
    }

    func contains(_ scalar: UInt32) -> Bool {
        var found: Bool
        if scalar < 128 {
            found = containsASCII(UInt8(scalar))
        } else {
            found = ranges.contains { $0.contains(scalar) }
        }
        if !found && !categories.isEmpty, let value = Unicode.Scalar(scalar) {
            let category = value.properties.generalCategory
            found = categories.contains { $0.categories.contains(category) != $0.negated }
        }
        if !found { found = nested.contains { $0.contains(scalar) } }
        return found != negated
    }

    var isPureASCII: Bool { !negated && ranges.isEmpty && categories.isEmpty && nested.isEmpty }

    static let digits: ScalarSet = {
        var set = ScalarSet()
        set.insert(48...57)
        return set
    }()
    static let word: ScalarSet = {
        var set = ScalarSet()
        set.insert(48...57)
        set.insert(65...90)
        set.insert(97...122)
        set.insert(95)
        return set
    }()
    static let space: ScalarSet = {
        var set = ScalarSet()
        for scalar: UInt32 in [9, 10, 11, 12, 13, 32, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF] {
            set.insert(scalar)
        }
        set.insert(0x2000...0x200A)
        return set
    }()
    static let dot: ScalarSet = {
        var set = ScalarSet()
        for scalar: UInt32 in [10, 13, 0x2028, 0x2029] { set.insert(scalar) }
        set.negated = true
        return set
    }()
}

indirect enum RegexNode {
    case empty
    case set(ScalarSet)
    case lineStart
    case lineEnd
    case wordBoundary(negated: Bool)
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?)
}

struct RegexParser {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    var atEnd: Bool { index >= scalars.count }
    var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let node = try parseAlternation()
        guard atEnd else { throw RegexSyntaxError(message: "unmatched ')' at \(index)") }
        return node
    }

    mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseConcat()]
        while peek == "|" {
            index += 1
            branches.append(try parseConcat())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    mutating func parseConcat() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            var atom = try parseAtom()
            atom = try parseQuantifiers(atom)
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .concat(items))
    }

    mutating func parseQuantifiers(_ atom: RegexNode) throws(RegexSyntaxError) -> RegexNode {
        var atom = atom
        while let scalar = peek {
            var bounds: (Int, Int?)
            switch scalar {
            case "*": bounds = (0, nil)
            case "+": bounds = (1, nil)
            case "?": bounds = (0, 1)
            case "{":
                guard let parsed = parseBraces() else { return atom }
                bounds = parsed
                index -= 1  // parseBraces consumed through '}'; the common advance below re-consumes it
            default: return atom
            }
            index += 1
            if peek == "?" { index += 1 }  // lazy: irrelevant for match/no-match
            switch atom {
            case .lineStart, .lineEnd, .wordBoundary:
                throw RegexSyntaxError(message: "nothing to repeat")
            default: break
            }
            if let max = bounds.1, max < bounds.0 {
                throw RegexSyntaxError(message: "numbers out of order in {} quantifier")
            }
            atom = .repetition(atom, min: bounds.0, max: bounds.1)
        }
        return atom
    }

    /// Parses `{n}`, `{n,}`, `{n,m}` at `index`; on success leaves `index` after `}`.
    mutating func parseBraces() -> (Int, Int?)? {
        var cursor = index + 1
        func number() -> Int? {
            var value: Int?
            while cursor < scalars.count, let digit = Int(String(scalars[cursor])), scalars[cursor].isASCII {
                value = min((value ?? 0) * 10 + digit, 100_000)
                cursor += 1
            }
            return value
        }
        guard let low = number() else { return nil }
        var high: Int? = low
        if cursor < scalars.count && scalars[cursor] == "," {
            cursor += 1
            high = number()
        }
        guard cursor < scalars.count && scalars[cursor] == "}" else { return nil }
        index = cursor + 1
        return (low, high)
    }

    mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "^": return .lineStart
        case "$": return .lineEnd
        case ".": return .set(.dot)
        case "(":
            if peek == "?" {
                guard index + 1 < scalars.count else { throw RegexSyntaxError(message: "bad group") }
                let kind = scalars[index + 1]
                if kind == ":" {
                    index += 2
                } else if kind == "<" && index + 2 < scalars.count && scalars[index + 2] != "="
                    && scalars[index + 2] != "!"
                {
                    index += 2
                    while let next = peek, next != ">" { index += 1 }
                    guard peek == ">" else { throw RegexSyntaxError(message: "unterminated group name") }
                    index += 1
                } else {
                    throw RegexSyntaxError(message: "lookaround assertions are not supported")
                }
            }
            let inner = try parseAlternation()
            guard peek == ")" else { throw RegexSyntaxError(message: "missing ')'") }
            index += 1
            return inner
        case ")": throw RegexSyntaxError(message: "unmatched ')'")
        case "[": return .set(try parseClass())
        case "*", "+", "?": throw RegexSyntaxError(message: "nothing to repeat")
        case "\\": return try parseEscape(inClass: false)
        default:
            var set = ScalarSet()
            set.insert(scalar.value)
            return .set(set)
        }
    }

    mutating func parseClass() throws(RegexSyntaxError) -> ScalarSet {
        var set = ScalarSet()
        if peek == "^" {
            set.negated = true
            index += 1
        }
        while true {
            guard let scalar = peek else { throw RegexSyntaxError(message: "unterminated character class") }
            if scalar == "]" {
                index += 1
                break
            }
            let low = try classAtom()
            if peek == "-", index + 1 < scalars.count, scalars[index + 1] != "]" {
                index += 1
                let high = try classAtom()
                guard case .single(let lower) = low, case .single(let upper) = high else {
                    // A class escape in a range (e.g. [\d-z]) makes '-' literal.
                    for item in [low, high] { add(item, to: &set) }
                    set.insert(UInt32(UInt8(ascii: "-")))
                    continue
                }
                guard lower <= upper else { throw RegexSyntaxError(message: "range out of order in character class") }
                set.insert(lower...upper)
            } else {
                add(low, to: &set)
            }
        }
        return set
    }

    enum ClassItem {
        case single(UInt32)
        case set(ScalarSet)
    }

    func add(_ item: ClassItem, to set: inout ScalarSet) {
        switch item {
        case .single(let scalar): set.insert(scalar)
        case .set(let other): set.formUnion(other)
        }
    }

    mutating func classAtom() throws(RegexSyntaxError) -> ClassItem {
        let scalar = scalars[index]
        index += 1
        guard scalar == "\\" else { return .single(scalar.value) }
        guard let next = peek else { throw RegexSyntaxError(message: "trailing backslash") }
        if next == "b" {
            index += 1
            return .single(8)
        }
        if next == "-" {
            index += 1
            return .single(UInt32(UInt8(ascii: "-")))
        }
        switch try parseEscape(inClass: true) {
        case .set(let set):
            if set.isPureASCII, set.ascii.0.nonzeroBitCount + set.ascii.1.nonzeroBitCount == 1 {
                let bit = set.ascii.0 != 0 ? set.ascii.0.trailingZeroBitCount : 64 + set.ascii.1.trailingZeroBitCount
                return .single(UInt32(bit))
            }
            if !set.negated && set.categories.isEmpty && set.nested.isEmpty && set.ascii == (0, 0)
                && set.ranges.count == 1 && set.ranges[0].count == 1
            {
                return .single(set.ranges[0].lowerBound)
            }
            return .set(set)
        default: throw RegexSyntaxError(message: "invalid escape in character class")
        }
    }

    mutating func hexDigits(_ count: Int) -> UInt32? {
        guard index + count <= scalars.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<count {
            let scalar = scalars[index + offset]
            guard scalar.isASCII, let digit = UInt32(String(scalar), radix: 16) else { return nil }
            value = value << 4 | digit
        }
        index += count
        return value
    }

    func single(_ value: UInt32) -> RegexNode {
        var set = ScalarSet()
        set.insert(value)
        return .set(set)
    }

    mutating func parseEscape(inClass: Bool) throws(RegexSyntaxError) -> RegexNode {
        guard let scalar = peek else { throw RegexSyntaxError(message: "trailing backslash") }
        index += 1
        switch scalar {
        case "d": return .set(.digits)
        case "D": return .set(negated(.digits))
        case "w": return .set(.word)
        case "W": return .set(negated(.word))
        case "s": return .set(.space)
        case "S": return .set(negated(.space))
        case "b": return .wordBoundary(negated: false)
        case "B": return .wordBoundary(negated: true)
        case "t": return single(9)
        case "n": return single(10)
        case "v": return single(11)
        case "f": return single(12)
        case "r": return single(13)
        case "0":
            if let next = peek, next.properties.numericType != nil, next.isASCII {
                throw RegexSyntaxError(message: "octal escapes are not supported")
            }
            return single(0)
        case "c":
            guard let letter = peek, letter.isASCII, letter.properties.isAlphabetic else {
                throw RegexSyntaxError(message: "invalid control escape")
            }
            index += 1
            return single(letter.value % 32)
        case "x":
            guard let value = hexDigits(2) else { throw RegexSyntaxError(message: "invalid \\x escape") }
            return single(value)
        case "u":
            if peek == "{" {
                index += 1
                var value: UInt32 = 0
                var digits = 0
                while let next = peek, next != "}" {
                    guard let digit = UInt32(String(next), radix: 16), next.isASCII else {
                        throw RegexSyntaxError(message: "invalid \\u{…} escape")
                    }
                    value = value &* 16 &+ digit
                    digits += 1
                    index += 1
                }
                guard peek == "}", digits > 0, value <= 0x10FFFF else {
                    throw RegexSyntaxError(message: "invalid \\u{…} escape")
                }
                index += 1
                return single(value)
            }
            guard var value = hexDigits(4) else { throw RegexSyntaxError(message: "invalid \\u escape") }
            // A surrogate pair written as two \u escapes is one scalar.
            if value >= 0xD800 && value <= 0xDBFF, index + 1 < scalars.count, scalars[index] == "\\",
                scalars[index + 1] == "u"
            {
                let saved = index
                index += 2
                if let low = hexDigits(4), low >= 0xDC00 && low <= 0xDFFF {
                    value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    index = saved
                }
            }
            return single(value)
        case "p", "P":
            guard peek == "{" else { throw RegexSyntaxError(message: "invalid property escape") }
            index += 1
            var name = ""
            while let next = peek, next != "}" {
                name.unicodeScalars.append(next)
                index += 1
            }
            guard peek == "}" else { throw RegexSyntaxError(message: "unterminated property escape") }
            index += 1
            guard let categories = Self.generalCategories(name) else {
                throw RegexSyntaxError(message: "unsupported Unicode property '\(name)'")
            }
            var set = ScalarSet()
            set.categories = [ScalarSet.CategoryTest(categories: categories, negated: scalar == "P")]
            return .set(set)
        case "1"..."9":
            throw RegexSyntaxError(message: "backreferences are not supported")
        default:
            if scalar.properties.isAlphabetic && scalar.isASCII {
                throw RegexSyntaxError(message: "invalid escape '\\\(scalar)'")
            }
            return single(scalar.value)
        }
    }

    func negated(_ set: ScalarSet) -> ScalarSet {
        var copy = set
        copy.negated.toggle()
        return copy
    }

    static func generalCategories(_ name: String) -> [Unicode.GeneralCategory]? {
        let name = name.hasPrefix("General_Category=") ? String(name.dropFirst(17)) : name
        let name2 = name.hasPrefix("gc=") ? String(name.dropFirst(3)) : name
        switch name2 {
        case "L", "Letter":
            return [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        case "Lu", "Uppercase_Letter": return [.uppercaseLetter]
        case "Ll", "Lowercase_Letter": return [.lowercaseLetter]
        case "Lt", "Titlecase_Letter": return [.titlecaseLetter]
        case "Lm", "Modifier_Letter": return [.modifierLetter]
        case "Lo", "Other_Letter": return [.otherLetter]
        case "M", "Mark": return [.nonspacingMark, .spacingMark, .enclosingMark]
        case "N", "Number": return [.decimalNumber, .letterNumber, .otherNumber]
        case "Nd", "Decimal_Number", "digit": return [.decimalNumber]
        case "Nl", "Letter_Number": return [.letterNumber]
        case "No", "Other_Number": return [.otherNumber]
        case "P", "Punctuation", "punct":
            return [
                .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                .finalPunctuation, .otherPunctuation,
            ]
        case "S", "Symbol": return [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        case "Z", "Separator": return [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        case "Zs", "Space_Separator": return [.spaceSeparator]
        case "C", "Other": return [.control, .format, .surrogate, .privateUse, .unassigned]
        case "Cc", "Control", "cntrl": return [.control]
        default: return nil
        }
    }
}
