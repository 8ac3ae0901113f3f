import JSON
import JSONRPC

extension LanguageServer {
    /// The server's name and version as announced in `initialize`.
    public static let serverInfo: JSONValue = ["name": "selfmoa-lsp", "version": "0.1.0"]

    func initialize(_ params: InitializeParams) throws(ResponseError) -> JSONValue {
        client = ClientCapabilities(params.capabilities)
        // The first encoding the client lists that we support; UTF-16 when it lists none.
        encoding = client.positionEncodings.first ?? .utf16
        lifecycle.initialized()
        if let options = params.initializationOptions { applyConfiguration(options) }
        logger.info("initialized by \(params.clientInfo?.name ?? "an unnamed client"), positions in \(encoding.rawValue)")
        return [
            "capabilities": ServerCapabilities.make(encoding: encoding),
            "serverInfo": Self.serverInfo,
        ]
    }

    func didChangeConfiguration(_ params: DidChangeConfigurationParams) {
        guard let settings = params.settings else { return }
        // Clients send either our section or the whole settings tree.
        applyConfiguration(settings["selfmoa"] ?? settings)
    }

    func applyConfiguration(_ settings: JSONValue) {
        logger.debug("configuration received")
    }
}
