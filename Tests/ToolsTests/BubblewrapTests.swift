import Foundation
import Testing
@testable import Tools

/// The isolation boundary alone, with no audit hook: plain `python3` inside `bwrap`.
@Suite(.enabled(if: ToolProcess.find("python3") != nil && ToolProcess.find("bwrap") != nil)) struct BubblewrapTests {
    /// Runs `code` with the real interpreter inside the boundary, `scratch` its writable directory.
    private func run(_ code: String, scratch: String, timeout: Duration = .seconds(20)) async throws -> ToolProcess.Outcome {
        let support = await SandboxSupport.probe()
        let boundary = try #require(support.bubblewrap, "bwrap does not work here: \(support.isolationFailure ?? "")")
        let python = try #require(support.python)
        return await ToolProcess(
            executable: boundary.executable,
            arguments: boundary.arguments(scratch: scratch, command: [python, "-I", "-c", code]),
            environment: ["PATH": "/usr/bin:/bin"], timeout: timeout
        ).run()
    }

    @Test func isAvailableHere() async {
        #expect(await SandboxSupport.isolationAvailable())
    }

    @Test func onlyTheScratchDirectoryIsWritable() async throws {
        let scratch = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let name = "selfmoa-boundary-escape-\(UUID().uuidString)"
        let outside = ["/tmp/" + name, NSHomeDirectory() + "/" + name]
        defer { for path in outside { try? FileManager.default.removeItem(atPath: path) } }
        let code = """
        open('inside.txt', 'w').write('ok')
        for path in [\(outside.map { "'\($0)'" }.joined(separator: ", "))]:
            try:
                open(path, 'w').write('escaped')
                print('wrote', path)
            except OSError as error:
                print('refused', path, error.strerror)
        """
        let outcome = try await run(code, scratch: scratch)
        #expect(outcome.succeeded, "\(outcome)")
        #expect(FileManager.default.fileExists(atPath: scratch + "/inside.txt"))
        for path in outside { #expect(!FileManager.default.fileExists(atPath: path), "\(path) reached the host") }
        // The home directory is read-only; /tmp is the sandbox's own, empty and thrown away.
        #expect(outcome.stdout.contains("refused \(NSHomeDirectory())/\(name) Read-only file system"))
    }

    @Test func thereIsNoNetwork() async throws {
        let scratch = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let code = """
        import socket
        try:
            socket.create_connection(('1.1.1.1', 80), timeout=5)
            print('connected')
        except OSError as error:
            print('no network:', error)
        """
        let outcome = try await run(code, scratch: scratch)
        #expect(outcome.stdout.hasPrefix("no network:"), "\(outcome)")
    }

    @Test func hostProcessesAreInvisible() async throws {
        let scratch = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outcome = try await run("import os; print(len([p for p in os.listdir('/proc') if p.isdigit()]))", scratch: scratch)
        let count = try #require(Int(outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)), "\(outcome)")
        #expect(count <= 3)
    }

    @Test func theTimeLimitKillsEverythingInside() async throws {
        let scratch = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        // A child that keeps the output pipe open, and a parent that waits for it. Were either
        // left alive, the call would return only when they end, after 120 s; killed, it returns
        // at the 1 s limit. The bound is far from both, so a loaded machine cannot fail it.
        let code = "import subprocess; subprocess.Popen(['sleep', '120']); subprocess.run(['sleep', '120'])"
        let start = ContinuousClock.now
        let outcome = try await run(code, scratch: scratch, timeout: .seconds(1))
        #expect(outcome.timedOut)
        #expect(ContinuousClock.now - start < .seconds(60))
    }
}
