import Tools

/// The wording of a repair request, the second half of a review (`RepairVote`).
///
/// Small coding models write code far better than they critique it: asked to review, the
/// embedded 0.5B model answers `NO ISSUES` for nearly every function, planted bugs included
/// (bench/RESULTS.md §5.8). Asked to return the function corrected, several of its samples
/// change the same wrong line. The request names what a bug is (the code does not do what its
/// name, comments and docstring say, or it crashes), asks for the smallest change, and asks for
/// one `Bug:` line after the code, which becomes the finding's message when the model writes it.
enum RepairPrompt {
    static let system = "You are an expert programmer. You find and fix bugs."

    /// The line after the code that says what was wrong (`Bug: none` when nothing was).
    static let reasonPrefix = "Bug:"

    /// What the request calls a bug. Models sometimes copy it as their reason; such a reason
    /// says nothing about the function (`RepairVote.read` drops it).
    static let bugDefinition = "code that does not do what its name, comments and docstring say, or that crashes"

    static func instruction(language: String) -> String {
        let fence = language.isEmpty ? "```" : "```\(language)"
        return """
            This function may have a bug: \(bugDefinition). Reply with the corrected function in one \(fence) block, changing only the lines \
            that are wrong and keeping every other line exactly as it is. After the block, write one line \
            `\(reasonPrefix) <what was wrong>`, or `\(reasonPrefix) none` if the function was already correct.
            """
    }

    /// The user message: the instruction, then the function's code, fenced, then — when one of
    /// its docstring's examples was run and failed — that example, what the docstring expects and
    /// what the function gave.
    static func message(code: [String], language: String, failing example: DoctestSandbox.ExampleFailure? = nil) -> String {
        var message = instruction(language: language) + "\n\n```\(language)\n" + code.joined(separator: "\n") + "\n```"
        if let example {
            message += """


                Running its docstring's example gives a different result from the one the docstring states:
                ```
                >>> \(example.source.splitLines.joined(separator: "\n... "))
                ```
                The docstring expects:
                ```
                \(example.expected)
                ```
                The function gives:
                ```
                \(example.got)
                ```
                """
        }
        return message
    }
}
