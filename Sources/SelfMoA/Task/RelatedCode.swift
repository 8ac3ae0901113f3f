/// Code from another file, shown to the model before the file: in C and C++, the definitions of
/// the types the function at the cursor names, from the headers its file includes (what the
/// model cannot see in the file itself and otherwise guesses at: a member's name, a pointer
/// where there is a reference); or code like the code at the cursor from the files beside it
/// (the way the project writes it).
public struct RelatedCode: Sendable, Hashable {
    /// How the code relates to the file, as a chat prompt says it.
    public enum Relation: String, Sendable, Hashable {
        /// Declarations the file uses.
        case used = "which the file uses"
        /// Code like the file's, from a file beside it.
        case similar = "a file beside it, code like the file's"
    }

    /// Where it comes from, as shown to the model (`llama-graph.h`).
    public var fileName: String
    /// The code, in the request's language.
    public var text: String
    /// How it relates to the file.
    public var relation: Relation

    public init(fileName: String, text: String, relation: Relation = .used) {
        self.fileName = fileName
        self.text = text
        self.relation = relation
    }
}
