/// Finds the code a cursor is in: the enclosing function, else the enclosing top-level block,
/// else the surrounding paragraph.
///
/// The heuristic reads indentation, which nearly every language's code follows, plus a few
/// line shapes (`SourceLine`): going up from the cursor, each non-blank, non-comment line less
/// indented than the last one found is a block header (a signature split over lines is followed
/// back to its first line; a line starting with `}` or `)` back to its opener). A header's block
/// runs down over more-indented and blank lines, plus same-indented closers and continuations
/// (`}`, `end`, `else:`, `except:`), and up over its decorators and comments. Of the headers,
/// the innermost that looks like a function wins; otherwise the outermost; blocks longer than
/// `maximumLines` are skipped. Code without headers around the cursor (top-level statements,
/// unindented code) falls back to the paragraph of non-blank lines around it.
enum BlockFinder {
    /// Longest block chosen; longer functions fall back to an inner block or the paragraph.
    static let maximumLines = 150

    /// A block header: from `start` (its first line) to `opening` (the line that opens the block).
    struct Header: Hashable {
        var start: Int
        var opening: Int
        var indent: Int
    }

    /// The lines of the block around `line`; always contains `line`.
    static func enclosingBlock(in lines: [String], around line: Int) -> Range<Int> {
        guard !lines.isEmpty else { return 0..<0 }
        let line = min(max(line, 0), lines.count - 1)
        var headers: [Header] = []
        let text = lines[line]
        if !text.isBlank, !SourceLine.isComment(text), opensBlock(lines, line) || SourceLine.startsWithCloser(text) {
            headers.append(header(at: line, in: lines))
        }
        var current = effectiveIndent(lines, line)
        var index = (headers.first?.start ?? line) - 1
        while index >= 0, current > 0 {
            let candidate = lines[index]
            if !candidate.isBlank, !SourceLine.isComment(candidate), Indentation.width(of: candidate) < current {
                let found = header(at: index, in: lines)
                headers.append(found)
                current = found.indent
                index = found.start
            }
            index -= 1
        }

        let blocks = headers.map { header -> (header: Header, range: Range<Int>) in
            let range = block(of: header, in: lines)
            return (header, min(range.lowerBound, line)..<max(range.upperBound, line + 1))
        }.filter { $0.range.count <= maximumLines }
        if let function = blocks.first(where: { isFunction($0.header, in: lines) }) { return function.range }
        if let outermost = blocks.last { return outermost.range }
        return paragraph(in: lines, around: line)
    }

    /// The non-blank lines around `line` (above it when it is blank), at most `maximumLines`.
    static func paragraph(in lines: [String], around line: Int) -> Range<Int> {
        var anchor = line
        if lines[line].isBlank {
            guard let above = lines[..<line].lastIndex(where: { !$0.isBlank }) else { return line..<(line + 1) }
            anchor = above
        }
        var start = anchor
        while start > 0, !lines[start - 1].isBlank, anchor - start + 1 < maximumLines / 2 { start -= 1 }
        var end = anchor + 1
        while end < lines.count, !lines[end].isBlank, end - anchor < maximumLines / 2 { end += 1 }
        return min(start, line)..<max(end, line + 1)
    }

    /// The indentation that places `line` in a block: its own, or for an empty line the deeper
    /// of its nearest non-blank neighbours.
    static func effectiveIndent(_ lines: [String], _ line: Int) -> Int {
        let text = lines[line]
        if !text.isEmpty { return Indentation.width(of: text) }
        let above = lines[..<line].last { !$0.isBlank }.map { Indentation.width(of: $0) } ?? 0
        let below = lines[(line + 1)...].first { !$0.isBlank }.map { Indentation.width(of: $0) } ?? 0
        return max(above, below)
    }

    /// The next non-blank line is more indented.
    static func opensBlock(_ lines: [String], _ line: Int) -> Bool {
        guard let next = nextNonBlank(lines, after: line) else { return false }
        return Indentation.width(of: lines[next]) > Indentation.width(of: lines[line])
    }

    /// The header whose opening line is `index`; a line starting with a closer (`) -> Int {`,
    /// `} else {`) is traced back to the nearest line above at most as indented that does not,
    /// a lone `{` to the statement above it.
    static func header(at index: Int, in lines: [String]) -> Header {
        let text = lines[index]
        let indent = Indentation.width(of: text)
        var start = index
        if text.trimmed == "{", let previous = lines[..<index].lastIndex(where: { !$0.isBlank }) {
            // Allman style: the header is the statement above, which may span lines of the
            // same indentation (`static int` / `count(FILE *f)`).
            start = previous
            while start > 0 {
                let above = lines[start - 1]
                let ended = above.trailingTrimmed
                guard !above.isBlank, Indentation.width(of: above) == Indentation.width(of: lines[start]),
                    !SourceLine.isComment(above), !SourceLine.isAttribute(above),
                    !ended.hasSuffix(";"), !ended.hasSuffix("}"), !ended.hasSuffix("{")
                else { break }
                start -= 1
            }
        } else if SourceLine.startsWithCloser(text) {
            var probe = index - 1
            while probe >= 0 {
                let candidate = lines[probe]
                if !candidate.isBlank, !SourceLine.isComment(candidate), Indentation.width(of: candidate) <= indent,
                    !SourceLine.startsWithCloser(candidate) {
                    start = probe
                    break
                }
                probe -= 1
            }
        }
        return Header(start: start, opening: index, indent: indent)
    }

    /// The lines of a header's block, with its decorators and leading comments.
    static func block(of header: Header, in lines: [String]) -> Range<Int> {
        var last = header.opening
        var index = header.opening + 1
        while index < lines.count {
            let text = lines[index]
            if !text.isBlank {
                let width = Indentation.width(of: text)
                guard width > header.indent || (width == header.indent && SourceLine.closesOrContinues(text)) else {
                    break
                }
                last = index
            }
            index += 1
        }
        var start = header.start
        while start > 0 {
            let above = lines[start - 1]
            guard !above.isBlank, Indentation.width(of: above) == header.indent,
                SourceLine.isComment(above) || SourceLine.isAttribute(above)
            else { break }
            start -= 1
        }
        return start..<(last + 1)
    }

    static func isFunction(_ header: Header, in lines: [String]) -> Bool {
        SourceLine.looksLikeFunction(
            start: lines[header.start...header.opening].map(\.trimmed).joined(separator: " "),
            opening: lines[header.opening],
            next: nextNonBlank(lines, after: header.opening).map { lines[$0] }
        )
    }

    private static func nextNonBlank(_ lines: [String], after line: Int) -> Int? {
        lines.indices.dropFirst(line + 1).first { !lines[$0].isBlank }
    }
}
