/// The wording of a complete request (chat proposals and the aggregation; infill proposals need
/// no wording, they are the text between the prefix and the suffix).
///
/// The cursor is shown in the file as a marker, and the one thing a small model gets wrong most
/// is repeating code around the cursor or wrapping the code in prose; so the instruction says
/// "only the code" and "do not repeat" twice over — once for the proposers, once in the answer
/// format for the aggregator. Whatever still comes back is cleaned by `CodeCleanup`.
/// `completion` (typing-time completion) asks for less: finish the statement or the next few
/// lines, because the answer is shown as ghost text and must arrive quickly.
enum CompletePrompt {
    /// The role: code that fits the file.
    static let system =
        "You are an expert programmer. You write correct, idiomatic code that fits the surrounding file."

    /// Code at the cursor, for the `complete` command.
    static func insert(marker: String) -> String {
        """
        Write the code that belongs at \(marker) in the file above. Match the file's style and \
        indentation. Reply with only the code to insert at \(marker): no explanation, and do not \
        repeat code that is already before or after \(marker).
        """
    }

    /// The role for a whole function: the plain assistant instruct models are tuned as.
    static let assistant = "You are a helpful assistant."

    /// The function whose empty body the cursor starts, asked for whole, before the file (no
    /// cursor marker): the request instruct models are trained on, which the 0.5B model answered
    /// far better than "the code to insert at <CURSOR>" (bench/RESULTS.md §5.6). The clean-up
    /// keeps the body.
    static func wholeFunction(_ name: Substring, language: String) -> String {
        "Complete the function `\(name)` in the following \(language.prefix(1).uppercased() + language.dropFirst()) file:"
    }

    /// The aggregation's answer format for a whole function.
    static func wholeFunctionAnswerFormat(_ name: Substring) -> String {
        "Reply with the whole function `\(name)`, from its `def` line, in one code block."
    }

    /// Code at the cursor, while typing: short.
    static func continuation(marker: String) -> String {
        """
        Continue the code at \(marker): finish the current statement, or write the next few lines. \
        Reply with only the code to insert at \(marker), nothing else.
        """
    }

    /// Rewriting selected lines: a stub, a TODO comment, or code to fix.
    static func replace(lines label: String) -> String {
        """
        Rewrite the selected code (\(label)) so that it does what it is meant to do: implement it if \
        it is a stub, a TODO or a comment, fix it if it is wrong. Reply with only the code that \
        replaces \(label), with the file's indentation: no explanation, no other lines.
        """
    }

    /// The aggregation's answer format for an insertion.
    static func insertAnswerFormat(marker: String) -> String {
        "Reply with only the code to insert at \(marker): no explanation, no code around \(marker)."
    }

    /// The aggregation's answer format for a rewrite.
    static func replaceAnswerFormat(lines label: String) -> String {
        "Reply with only the code that replaces \(label): no explanation, no other lines."
    }
}

/// "line 4" or "lines 4–9", 1-based like the numbers shown to the model.
func linesLabel(_ lines: Range<Int>) -> String {
    lines.count <= 1 ? "line \(lines.lowerBound + 1)" : "lines \(lines.lowerBound + 1)–\(lines.upperBound)"
}

extension CompletePrompt {
    /// The code no candidate got to parse, shown back with the checker's message: one more ask,
    /// the way a programmer reads a compiler error and fixes the code.
    static func correct(_ code: String, problem: String, marker: String, language: String) -> String {
        """
        This code was written for \(marker) in the file above:
        ```\(language)
        \(code)
        ```
        With it the file does not compile: \(problem)
        Write the corrected code for \(marker). Use only names the file declares or the code itself \
        defines. Reply with only the code to insert at \(marker), in one code block: no explanation, \
        and do not repeat code that is already before or after \(marker).
        """
    }
}
