import ArgumentParser

/// The `selfmoa-lsp` executable: a language server on stdio by default, plus one-shot
/// subcommands that drive the same engine from a shell.
@main
struct SelfMoALSP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfmoa-lsp",
        abstract: "A language server that answers code actions with Self-MoA over a local or remote model.",
        subcommands: [
            ServeCommand.self, ExplainCommand.self, AskCommand.self, ReviewCommand.self, CompleteCommand.self, DemoCommand.self,
            DoctorCommand.self, SetupCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )
}
