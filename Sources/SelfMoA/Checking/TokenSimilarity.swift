/// How alike two candidates are, from their tokens: the longest common subsequence's share of
/// both (`2·LCS / (|a| + |b|)`, ROUGE-L's F-measure), between 0 and 1.
///
/// The engine picks the candidate closest to all the others with it (minimum Bayes risk
/// selection): near-identical answers support each other even when they differ in a name or a
/// line, which exact agreement misses.
public enum TokenSimilarity {
    /// Tokens beyond this many are not compared (the cost grows with the product of lengths).
    public static let tokenLimit = 1500

    /// `2·LCS(a, b) / (|a| + |b|)`; 1 for two empty sequences.
    public static func similarity(_ a: [String], _ b: [String]) -> Double {
        let a = a.prefix(tokenLimit), b = Array(b.prefix(tokenLimit))
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        guard !a.isEmpty, !b.isEmpty else { return 0 }
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return 2 * Double(previous[b.count]) / Double(a.count + b.count)
    }

    /// Tokens of plain text: runs of letters, digits and `_`, and every other non-space
    /// character on its own.
    public static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        var word = ""
        for char in text {
            if char.isLetter || char.isNumber || char == "_" {
                word.append(char)
                continue
            }
            if !word.isEmpty { tokens.append(word) }
            word = ""
            if !char.isWhitespace { tokens.append(String(char)) }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }
}
