// selfmoa-standin-backend: serves a `StandInBackend` for tests that run real binaries.
//
//   selfmoa-standin-backend [--port N] [--rules FILE] [--fault NAME]... [--api-key KEY]
//                           [--slots N] [--context N] [--token-delay-ms N]
//                           [--crash-on-call N [--crash-marker FILE]]
//
// Prints `PORT <n>` as its first line on stdout, then serves until killed or until its stdin
// closes. It also accepts llama-server's command line (`-m`, `--host`, `-np`, `-c`,
// `--kv-unified`, `--kv-unified-per-slot`, `--no-webui`, `-t`) and its `LLAMA_API_KEY`
// variable, so it can stand in for the managed llama-server; given `-m` it does not watch stdin.
// `--crash-on-call N` makes it exit abruptly on its Nth chat or infill request, like a crashing
// server; with `--crash-marker FILE` only while FILE does not exist (it creates FILE), so once.
import BackendStandIn
import Foundation
import JSON

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Array("selfmoa-standin-backend: \(message)\n".utf8).withUnsafeBufferPointer { Data($0) })
    exit(2)
}

let usage = """
    usage: selfmoa-standin-backend [--port N] [--rules FILE] [--fault NAME]... [--api-key KEY]
                                   [--slots N] [--context N] [--token-delay-ms N]
                                   [--crash-on-call N [--crash-marker FILE]]
    faults: \(StandInFault.argumentNames.joined(separator: ", "))
    """

/// The command line, parsed.
struct Options {
    var port = 0
    var script = StandInScript()
    var faults: [StandInFault] = []
    var apiKey = ProcessInfo.processInfo.environment["LLAMA_API_KEY"]
    var impersonatesLlamaServer = false
    var crashOnCall: Int?
    var crashMarker: String?

    static func parse(_ list: [String]) -> Options {
        var options = Options()
        var arguments = list[...]
        var slots: Int?
        var context: Int?
        var perSlot: Int?
        var tokenDelay: Duration?
        func value(of option: String) -> String {
            guard let value = arguments.popFirst() else { fail("\(option) needs a value\n\(usage)") }
            return value
        }
        func number(of option: String) -> Int {
            let text = value(of: option)
            guard let number = Int(text) else { fail("\(option) needs a number, got '\(text)'") }
            return number
        }
        while let argument = arguments.popFirst() {
            switch argument {
            case "--port": options.port = number(of: argument)
            case "--host":
                let host = value(of: argument)
                if host != "127.0.0.1" { fail("only 127.0.0.1 is supported, got \(host)") }
            case "--rules":
                options.script = loadScript(value(of: argument), over: options.script)
            case "--fault":
                let name = value(of: argument)
                guard let fault = StandInFault(argument: name) else { fail("unknown fault '\(name)'\n\(usage)") }
                options.faults.append(fault)
            case "--api-key": options.apiKey = value(of: argument)
            case "--slots", "-np", "--parallel": slots = number(of: argument)
            case "--context": context = number(of: argument)
            case "--token-delay-ms": tokenDelay = .milliseconds(number(of: argument))
            case "--crash-on-call": options.crashOnCall = number(of: argument)
            case "--crash-marker": options.crashMarker = value(of: argument)
            // llama-server's options, when standing in for it.
            case "-m", "--model":
                _ = value(of: argument)
                options.impersonatesLlamaServer = true
            case "--kv-unified-per-slot": perSlot = number(of: argument)
            case "-c", "--ctx-size", "-t", "--threads", "-tb", "--threads-batch": _ = value(of: argument)
            case "--kv-unified", "-kvu", "--no-webui", "--no-ui": break
            case "-h", "--help":
                print(usage)
                exit(0)
            default:
                fail("unknown argument '\(argument)'\n\(usage)")
            }
        }
        if let slots { options.script.slots = max(1, slots) }
        if let context { options.script.contextTokens = context }
        if let perSlot { options.script.contextTokens = perSlot }
        if let tokenDelay { options.script.tokenDelay = tokenDelay }
        return options
    }

    static func loadScript(_ path: String, over base: StandInScript) -> StandInScript {
        guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
        do {
            let json = try JSONValue.parse(Array(data))
            let loaded = try StandInScript(json: json)
            var script = base
            script.rules = loaded.rules
            script.defaultAnswer = loaded.defaultAnswer
            script.defaultInfill = loaded.defaultInfill
            script.model = loaded.model
            if json["contextTokens"] != nil { script.contextTokens = loaded.contextTokens }
            if json["slots"] != nil { script.slots = loaded.slots }
            if json["tokenDelayMs"] != nil { script.tokenDelay = loaded.tokenDelay }
            return script
        } catch {
            fail("\(path): \(error)")
        }
    }
}

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
let crashCall = options.crashOnCall
let crashMarker = options.crashMarker
let backend = StandInBackend(
    script: options.script,
    faults: options.faults,
    requiredAPIKey: (options.apiKey?.isEmpty ?? true) ? nil : options.apiKey,
    onGenerationCall: { call in
        // Simulates a crashing server: gone at once, connections dropped.
        // With a marker file, only once: the marker records that it happened.
        guard let crashCall, call >= crashCall else { return }
        if let crashMarker {
            if FileManager.default.fileExists(atPath: crashMarker) { return }
            _ = FileManager.default.createFile(atPath: crashMarker, contents: Data())
        }
        _exit(70)
    }
)
let bound: Int
do {
    bound = try await backend.start(port: options.port)
} catch {
    fail("cannot listen on 127.0.0.1:\(options.port): \(error)")
}
print("PORT \(bound)")
fflush(nil)

if !options.impersonatesLlamaServer {
    // Serve until stdin closes (the test that started us ended) or a signal ends us.
    let watcher = Thread {
        var byte: UInt8 = 0
        while read(0, &byte, 1) > 0 {}
        exit(0)
    }
    watcher.start()
}
while true { try? await Task.sleep(for: .seconds(3600)) }
