import JSON
import JSONRPC

extension LanguageServer {
    /// The server's name and version as announced in `initialize`.
    public static let serverInfo: JSONValue = ["name": "selfmoa-lsp", "version": "0.1.0"]

    func initialize(_ params: InitializeParams) async throws(ResponseError) -> InitializeResult {
        client = ClientCapabilities(params.capabilities)
        workspaceRoot = (params.rootUri ?? params.workspaceFolders?.first?.uri).flatMap(Self.path(ofFileURI:))
        // The first encoding the client lists that we support; UTF-16 when it lists none.
        encoding = client.positionEncodings.first ?? .utf16
        lifecycle.initialized()
        if let options = params.initializationOptions, !options.isNull {
            applyConfiguration(options)
            await models.update(settings.backend)
        }
        logger.info("initialized by \(params.clientInfo?.name ?? "an unnamed client"), positions in \(encoding.rawValue)")
        return InitializeResult(capabilities: ServerCapabilities.make(encoding: encoding), serverInfo: Self.serverInfo)
    }

    func didChangeConfiguration(_ params: DidChangeConfigurationParams) async {
        guard let settings = params.settings, !settings.isNull else { return }
        // Clients send either our section or the whole settings tree; a tree without our
        // section and without our keys is some other server's.
        if let ours = settings["selfmoa"] {
            applyConfiguration(ours)
        } else if let keys = settings.objectValue?.keys, keys.contains(where: ServerSettings.topLevelKeys.contains) {
            applyConfiguration(settings)
        } else {
            logger.debug("workspace/didChangeConfiguration without a selfmoa section ignored")
            return
        }
        await models.update(self.settings.backend)
    }

    /// Merges client settings. A wrong one is reported to the user and changes nothing; keys
    /// left out (unknown, not for their action) are reported by name and the rest applies.
    func applyConfiguration(_ json: JSONValue) {
        var merged = settings
        do {
            let warnings = try merged.merge(json)
            settings = merged
            logger.info("configuration applied (backend \(settings.backend.url ?? "embedded default"))")
            if !warnings.isEmpty {
                for warning in warnings { logger.warning("selfmoa settings: \(warning)") }
                showMessage(2, "selfmoa settings: " + warnings.joined(separator: "; "))
            }
        } catch {
            logger.warning("\(error)")
            showMessage(2, error.description)
        }
    }

    func cancelProgress(_ params: WorkDoneProgressCancelParams) {
        guard let id = progressRequests[params.token] else { return }
        connection.cancelIncoming(id: id)
    }
}
