import ArgumentParser
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `--log-level` and `--log-file`, shared by every subcommand. Logs never go to stdout.
struct LoggingOptions: ParsableArguments {
    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "Append logs to this file instead of stderr.")
    var logFile: String?

    func makeLogger(label: String) throws -> Logger {
        guard let level = Logger.Level(rawValue: logLevel.lowercased()) else {
            throw ValidationError("unknown log level \(logLevel); use trace, debug, info, notice, warning, error or critical")
        }
        var logger: Logger
        if let logFile {
            let handler = try FileLogHandler(label: label, path: logFile)
            logger = Logger(label: label, factory: { _ in handler })
        } else {
            logger = Logger(label: label, factory: { StreamLogHandler.standardError(label: $0) })
        }
        logger.logLevel = level
        return logger
    }
}
