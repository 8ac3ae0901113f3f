/// The open documents by URI. A value type owned by the server actor, so every change is applied
/// in arrival order.
public struct DocumentStore: Sendable {
    private var documents: [String: TextDocument] = [:]

    public init() {}

    public subscript(uri: String) -> TextDocument? { documents[uri] }

    public var uris: [String] { Array(documents.keys) }

    public mutating func open(_ document: TextDocument) {
        documents[document.uri] = document
    }

    /// Applies changes in order; returns `false` (and changes nothing) for an unknown document.
    @discardableResult
    public mutating func change(
        uri: String, version: Int, changes: [(range: LSPRange?, text: String)], encoding: PositionEncoding
    ) -> Bool {
        guard var document = documents[uri] else { return false }
        documents[uri] = nil  // keep the buffer uniquely referenced while editing
        for change in changes {
            document.apply(range: change.range, text: change.text, encoding: encoding)
        }
        document.version = version
        documents[uri] = document
        return true
    }

    @discardableResult
    public mutating func close(uri: String) -> TextDocument? {
        documents.removeValue(forKey: uri)
    }
}
