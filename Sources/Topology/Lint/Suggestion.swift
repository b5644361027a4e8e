/// "did you mean ...?" hints for misspelt names.
enum Suggestion {
    /// The candidate closest to `word` within an edit distance of 2 (or 1/3 of its length), if any.
    static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let lowered = Array(word.lowercased().unicodeScalars)
        guard !lowered.isEmpty else { return nil }
        var best: (candidate: String, score: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            // Scores are doubled edit distances; sharing a prefix or being a subsequence breaks ties.
            var score = 2 * editDistance(lowered, other)
            let limit = 2 * max(2, lowered.count / 3)
            let prefixMatch =
                min(lowered.count, other.count) >= 3
                && (other.starts(with: lowered) || lowered.starts(with: other))
            let subsequence = isSubsequence(lowered, of: other) || isSubsequence(other, of: lowered)
            if prefixMatch || (subsequence && min(lowered.count, other.count) >= 4) {
                score = min(score, limit)
            } else if score > limit {
                continue
            }
            if subsequence { score -= 1 }
            if best == nil || score < best!.score { best = (candidate, score) }
        }
        return best?.candidate
    }

    private static func isSubsequence(_ short: [Unicode.Scalar], of long: [Unicode.Scalar]) -> Bool {
        var index = long.startIndex
        for scalar in short {
            guard let found = long[index...].firstIndex(of: scalar) else { return false }
            index = found + 1
        }
        return true
    }

    /// ` (did you mean 'x'?)` or the empty string.
    static func hint(for word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    private static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
