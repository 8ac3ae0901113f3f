import ModelBackend

extension CodeContext {
    /// The file part of the user message: a heading, the shown lines in a code fence (omitted
    /// stretches marked `⋮`), and the selection repeated when it is only part of the file.
    func render(_ view: ContextView) -> String {
        var out = renderRelated() + "File: \(fileName)" + (language.isEmpty ? "" : " (\(language))")
        let shown = view.shown
        if !view.isWhole(self) {
            let count = shown.reduce(0) { $0 + $1.count }
            out += "\nOnly \(count) of its \(lines.count) lines are shown; ⋮ marks lines left out."
        }
        out += "\n\n" + fenced(codeLines(shown))
        if cursor == nil, !selection.isEmpty, selection != 0..<lines.count {
            let label = selection.count == 1
                ? "line \(selection.lowerBound + 1)" : "lines \(selection.lowerBound + 1)–\(selection.upperBound)"
            out += "\n\nSelected code (\(label)):\n\n" + fenced(codeLines([selection], markingOmissions: false))
        }
        return out
    }

    /// The shown lines in a code fence, without the file heading (omitted stretches marked `⋮`,
    /// with a line saying so when the file is not shown whole), for a prompt whose instruction
    /// introduces the code.
    func renderCode(_ view: ContextView) -> String {
        var out = renderRelated()
        if !view.isWhole(self) {
            let count = view.shown.reduce(0) { $0 + $1.count }
            out += "Only \(count) of its \(lines.count) lines are shown; ⋮ marks lines left out.\n"
        }
        return out + fenced(codeLines(view.shown))
    }

    /// Prefix, suffix and extra context of an infill request at the cursor: the related code,
    /// each piece under its file's name, then the file's header when the window leaves it out,
    /// under the file's own name.
    func infillParts(_ view: ContextView) -> (prefix: String, suffix: String, extra: [InfillFile]) {
        guard let cursor else { return ("", "", []) }
        let line = lines[cursor.line]
        let split = line.utf8.index(line.utf8.startIndex, offsetBy: cursor.utf8Column)
        let head = String(line[..<split])
        let tail = String(line[split...])
        let prefix = lines[view.window.lowerBound..<cursor.line].map { $0 + "\n" }.joined() + head
        let suffix = tail + lines[(cursor.line + 1)..<view.window.upperBound].map { "\n" + $0 }.joined()
        let header = view.detachedHeader
        let related = related.map { InfillFile(name: $0.fileName, text: $0.text) }
        let extra = related + (header.isEmpty ? [] : [InfillFile(name: fileName, text: lines[header].map { $0 + "\n" }.joined())])
        return (prefix, suffix, extra)
    }

    /// The related code, each piece under the name of its file, before the file's heading.
    private func renderRelated() -> String {
        related.map { "From \($0.fileName), \($0.relation.rawValue):\n\n" + fenced($0.text) + "\n\n" }.joined()
    }

    private func fenced(_ code: String) -> String {
        "```\(language)\n\(code)\n```"
    }

    private func codeLines(_ ranges: [Range<Int>], markingOmissions: Bool = true) -> String {
        let width = String(lines.count).count
        var out: [String] = []
        var next = 0
        for range in ranges {
            if markingOmissions, range.lowerBound > next { out.append(omission(next, range.lowerBound)) }
            for index in range { out.append(numbered(index, text(ofLine: index))) }
            next = range.upperBound
        }
        if markingOmissions, next < lines.count, !ranges.isEmpty { out.append(omission(next, lines.count)) }
        return out.joined(separator: "\n")

        func numbered(_ index: Int, _ text: String) -> String {
            guard lineNumbers else { return text }
            let number = String(index + 1)
            return String(repeating: " ", count: width - number.count) + number + " | " + text
        }
    }

    /// What starts the line standing for lines a trimmed file leaves out.
    public static let omissionMark = "⋮"

    private func omission(_ from: Int, _ to: Int) -> String {
        let mark = Self.omissionMark
        return to - from == 1 ? "\(mark) (line \(from + 1) left out)" : "\(mark) (lines \(from + 1)–\(to) left out)"
    }

    private func text(ofLine index: Int) -> String {
        let line = lines[index]
        guard let cursor, cursor.line == index else { return line }
        let split = line.utf8.index(line.utf8.startIndex, offsetBy: cursor.utf8Column)
        return String(line[..<split]) + cursorMarker + String(line[split...])
    }
}
