import ModelBackend
import SelfMoA
/// The outcome of a complete request.
public struct CompleteResult: Sendable {
    /// The text to put at `replace`; empty when the model produced no usable code.
    public var code: String
    /// The UTF-8 byte range of the document it replaces: empty to insert at the cursor, the
    /// selected lines (from the first one's start to the end of the last one's content) to
    /// rewrite them.
    public var replace: Range<Int>
    /// How the answer was made and what it cost.
    public var run: SelfMoAResult
    /// Imports `code` needs that the document lacks (`addImports`), to insert along with it;
    /// always before `replace` (imports that would go exactly where the code starts are part of
    /// `code` instead).
    public var imports: ImportInsertion?
    /// Why nothing is to be inserted although the model answered (`code` is then empty): no
    /// candidate's code parses in the file.
    public var refusal: String?
    /// What the user should know about `code` beyond the run's own notes (`cutBackNote`).
    public var notes: [String]
    /// The whole function's run that gave nothing for the body, when the code was then asked for
    /// at the cursor (`Assistant.complete`), and why it was set aside: its cost counts too.
    public var setAside: (cost: CostReport, reason: String)?
    /// The run asked to correct the code from the checker's message (`correctUnparsed`): `code`
    /// is its answer's when that parsed (else the refusal stands); its passes, tokens and time
    /// count either way.
    public var correction: SelfMoAResult?

    /// Said when the token cap cut the answer off inside its code and `code` ends at the last
    /// complete statement before the cut.
    public static let cutBackNote =
        "the answer stopped at its token cap, so the code ends at its last complete statement: check what is missing (a larger maxTokens may help)"

    public init(
        code: String, replace: Range<Int>, run: SelfMoAResult, imports: ImportInsertion? = nil, refusal: String? = nil,
        notes: [String] = [], correction: SelfMoAResult? = nil
    ) {
        self.correction = correction
        self.refusal = refusal
        self.notes = notes
        self.code = code
        self.replace = replace
        self.run = run
        self.imports = imports
    }

    /// A summary of `run`.
    public var cost: CostReport {
        var report = CostReport(run)
        report.notes += notes.filter { !report.notes.contains($0) }
        if let correction { report.add(correction: correction) }
        if let setAside {
            report.add(setAside: setAside.cost)
            report.notes.append(setAside.reason)
        }
        return report
    }
}
