/// Which lines of a `CodeContext` a prompt shows: a contiguous window around the focus, plus
/// the header when it lies outside the window.
struct ContextView: Sendable, Hashable {
    var window: Range<Int>
    var header: Range<Int>

    static func whole(_ context: CodeContext) -> ContextView {
        ContextView(window: 0..<context.lines.count, header: 0..<0)
    }

    /// The window after adding the `count` lines nearest the focus, alternating above and
    /// below (above first), spilling to the other side when one runs out.
    static func around(_ context: CodeContext, nearest count: Int, keepHeader: Bool) -> ContextView {
        let focus = context.focus
        let above = focus.lowerBound
        let below = context.lines.count - focus.upperBound
        var up = min((count + 1) / 2, above)
        let down = min(count - up, below)
        up = min(count - down, above)
        let window = (focus.lowerBound - up)..<(focus.upperBound + down)
        return ContextView(window: window, header: keepHeader ? context.header : 0..<0)
    }

    /// Sorted, merged line ranges shown.
    var shown: [Range<Int>] {
        let ranges = [header, window].filter { !$0.isEmpty }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [Range<Int>] = []
        for range in ranges {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    /// Header lines shown apart from the window (they precede it in an infill prompt).
    var detachedHeader: Range<Int> {
        if header.isEmpty || header.upperBound > window.lowerBound { return 0..<0 }
        return header
    }

    func isWhole(_ context: CodeContext) -> Bool {
        shown == (context.lines.isEmpty ? [] : [0..<context.lines.count])
    }
}
