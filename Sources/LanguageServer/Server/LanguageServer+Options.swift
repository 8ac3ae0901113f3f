import Logging
import ModelBackend

extension LanguageServer {
    /// How the server is put together: what the executable (or a test) decides before any client
    /// speaks.
    public struct Options: Sendable {
        /// Settings before the client's: from the command line and environment.
        public var settings: ServerSettings
        /// Makes the model for a backend configuration.
        public var makeModel: @Sendable (BackendConfiguration, Logger) -> ModelHandle

        public init(settings: ServerSettings = ServerSettings(), makeModel: @escaping @Sendable (BackendConfiguration, Logger) -> ModelHandle = ModelHandle.production) {
            self.settings = settings
            self.makeModel = makeModel
        }
    }
}
