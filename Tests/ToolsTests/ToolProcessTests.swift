import Foundation
import Testing
@testable import Tools

/// Real processes: `sh`, `cat`, `env`.
@Suite struct ToolProcessTests {
    private func shell(_ script: String, timeout: Duration = .seconds(20), outputLimit: Int = 64 * 1024) -> ToolProcess {
        ToolProcess(executable: "/bin/sh", arguments: ["-c", script], timeout: timeout, outputLimit: outputLimit)
    }

    @Test func stdinPassesThrough() async {
        let text = "hello\nwörld\n" + String(repeating: "x", count: 200_000)
        let outcome = await ToolProcess(executable: "/bin/cat", arguments: [], input: text, outputLimit: 1 << 20).run()
        #expect(outcome.succeeded)
        #expect(outcome.stdout == text)
    }

    @Test func statusAndBothStreams() async {
        let outcome = await shell("echo out; echo err >&2; exit 3").run()
        #expect(outcome.status == 3)
        #expect(outcome.stdout == "out\n")
        #expect(outcome.stderr == "err\n")
        #expect(!outcome.succeeded)
        #expect(outcome.lastLine() == "out")
    }

    @Test func theEnvironmentAndWorkingDirectoryAreTheCallers() async throws {
        let directory = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = await ToolProcess(
            executable: "/usr/bin/env", arguments: [], environment: ["ONLY": "this"], workingDirectory: directory
        ).run()
        #expect(outcome.stdout == "ONLY=this\n")
        let pwd = await ToolProcess(executable: "/bin/sh", arguments: ["-c", "pwd -P"], workingDirectory: directory).run()
        #expect(pwd.stdout.trimmingCharacters(in: .newlines) == URL(fileURLWithPath: directory).resolvingSymlinksInPath().path)
    }

    @Test func outputIsKeptUpToTheLimitAndTheRestDrained() async {
        // 1 MB of output, far past the pipe's buffer: the process must still finish.
        let outcome = await shell("head -c 1000000 /dev/zero | tr '\\0' a; echo done >&2", outputLimit: 1000).run()
        #expect(outcome.succeeded)
        #expect(outcome.stdout == String(repeating: "a", count: 1000))
        #expect(outcome.stderr == "done\n")
    }

    @Test func theTimeLimitKillsTheProcessAndItsChildren() async {
        let start = ContinuousClock.now
        // The background child keeps stdout open: only killing the group ends the run.
        let outcome = await shell("sleep 60 & sleep 60", timeout: .seconds(1)).run()
        #expect(outcome.timedOut)
        #expect(outcome.status == 128 + SIGKILL)
        #expect(!outcome.succeeded)
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test func aChildLeftRunningDoesNotHoldTheResult() async {
        let start = ContinuousClock.now
        let outcome = await shell("(sleep 30 &) ; echo started", timeout: .seconds(20)).run()
        #expect(outcome.stdout == "started\n")
        #expect(!outcome.timedOut)
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    @Test func aMissingToolIsALaunchFailure() async {
        let outcome = await ToolProcess(executable: "/nonexistent/tool", arguments: ["x"]).run()
        #expect(outcome.launchFailure != nil)
        #expect(!outcome.succeeded)
        #expect(!outcome.timedOut)
    }

    @Test func findLooksOnThePath() {
        #expect(ToolProcess.find("sh", path: "/nonexistent:/bin:/usr/bin") != nil)
        #expect(ToolProcess.find("sh", path: "/nonexistent") == nil)
        #expect(ToolProcess.find("/bin/sh") == "/bin/sh")
    }
}
