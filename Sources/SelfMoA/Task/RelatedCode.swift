/// Code from another file that the request's code uses, shown to the model before the file:
/// in C and C++, the definitions of the types the function at the cursor names, from the
/// headers its file includes (what the model cannot see in the file itself and otherwise
/// guesses at: a member's name, a pointer where there is a reference).
public struct RelatedCode: Sendable, Hashable {
    /// Where it comes from, as shown to the model (`llama-graph.h`).
    public var fileName: String
    /// The code, in the request's language.
    public var text: String

    public init(fileName: String, text: String) {
        self.fileName = fileName
        self.text = text
    }
}
