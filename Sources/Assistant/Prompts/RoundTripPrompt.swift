/// The wording of explain's round trip (`RoundTripChecker`): the model, given only an
/// explanation and the code's first line, writes the code back.
enum RoundTripPrompt {
    static let system = "You are an expert programmer. You write code from a description of it."

    /// The user message: the description, then the line the code starts with.
    static func message(description: String, firstLine: String, language: String) -> String {
        let fence = language.isEmpty ? "```" : "```\(language)"
        return """
            Write the code this description describes. Follow the description exactly, including \
            any behaviour it points out. Reply with the code only, in one \(fence) block, starting \
            with the line given below.

            Description:
            \(description)

            The code starts with:
            \(fence)
            \(firstLine)
            ```
            """
    }
}
