import ArgumentParser
import JSONRPC
import LanguageServer
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Runs the language server over stdio (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server on stdin/stdout (what editors start)."
    )

    @OptionGroup var logging: LoggingOptions
    @OptionGroup var backend: BackendOptions

    private func options() -> LanguageServer.Options {
        var settings = ServerSettings()
        settings.backend = backend.configuration()
        return LanguageServer.Options(settings: settings)
    }

    func run() async throws {
        // Stdout is the protocol channel: keep a private copy of it for the connection and point
        // file descriptor 1 at stderr, so a stray print can never corrupt the stream.
        let protocolOut = dup(STDOUT_FILENO)
        guard protocolOut >= 0 else { throw ValidationError("cannot duplicate stdout") }
        dup2(STDERR_FILENO, STDOUT_FILENO)
        signal(SIGPIPE, SIG_IGN)

        let logger = try logging.makeLogger(label: "selfmoa-lsp")
        let connection = Connection(output: StandardStreams.output(fileDescriptor: protocolOut), logger: logger)
        let server = LanguageServer(connection: connection, logger: logger, options: options(), onExit: { code in
            Glibc.exit(code)
        })
        logger.info("selfmoa-lsp serving on stdio")
        await connection.run(input: StandardStreams.input(fileDescriptor: STDIN_FILENO), handler: server)
        // The client closed stdin without `exit`: LSP treats that like exit without shutdown.
        logger.info("input closed; exiting")
        await server.shutdownBackend()
        Glibc.exit(await server.exitCodeOnEndOfInput)
    }
}
