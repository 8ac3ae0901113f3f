import ArgumentParser

/// Lines given on the command line: `A-B` or `A`, 1-based and inclusive.
struct LineSpan: ExpressibleByArgument, Encodable, Sendable {
    var first: Int
    var last: Int

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let first = Int(parts[0]), let last = Int(parts[parts.count - 1]),
            first >= 1, last >= first
        else { return nil }
        self.first = first
        self.last = last
    }

    init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    /// 0-based, inclusive.
    var zeroBased: ClosedRange<Int> { (first - 1)...(last - 1) }
}
