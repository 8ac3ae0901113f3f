import ArgumentParser

/// Runs the language server over stdio (the default subcommand).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the language server on stdin/stdout (what editors start)."
    )

    func run() async throws {
        fatalError("the stdio server arrives with the JSONRPC and LanguageServer modules")
    }
}
