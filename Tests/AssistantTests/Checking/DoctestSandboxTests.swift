import ModelBackend
import SelfMoA
import Foundation
import Testing
@testable import Assistant

/// The sandbox runs examples and contains what a candidate must not do.
@Suite(.enabled(if: ToolProcess.find("python3") != nil)) struct DoctestSandboxTests {
    private let examples = ">>> add(1, 2)\n3\n>>> add(2, 2)\n4\n"

    @Test func countsPassingExamples() async {
        let sandbox = DoctestSandbox()
        #expect(await sandbox.run(program: "def add(a, b):\n    return a + b\n", examples: examples) == .ran(passed: 2, total: 2))
        #expect(await sandbox.run(program: "def add(a, b):\n    return 3\n", examples: examples) == .ran(passed: 1, total: 2))
    }

    @Test func aMainBlockDoesNotRun() async {
        let program = "def add(a, b):\n    return a + b\nif __name__ == '__main__':\n    raise SystemExit(3)\n"
        #expect(await DoctestSandbox().run(program: program, examples: examples) == .ran(passed: 2, total: 2))
    }

    @Test func aProgramThatFailsToLoadCrashes() async {
        guard case .crashed(let message) = await DoctestSandbox().run(program: "def add(a, b)\n", examples: examples) else {
            Issue.record("a broken program ran")
            return
        }
        #expect(message.contains("SyntaxError"))
    }

    @Test func writesOutsideTheTemporaryDirectoryAreRefused() async throws {
        let target = FileManager.default.temporaryDirectory.path + "/selfmoa-sandbox-escape-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: target) }
        let program = """
        open(\(pythonString(target)), "w").write("escaped")
        def add(a, b):
            return a + b
        """
        let outcome = await DoctestSandbox().run(program: program, examples: examples)
        #expect(!FileManager.default.fileExists(atPath: target))
        guard case .crashed(let message) = outcome else {
            Issue.record("the program ran: \(outcome)")
            return
        }
        #expect(message.contains("blocked by the sandbox"))

        // Inside its own directory a program may write; removing the user's files is refused.
        let keep = FileManager.default.temporaryDirectory.path + "/selfmoa-sandbox-keep-\(UUID().uuidString)"
        #expect(FileManager.default.createFile(atPath: keep, contents: Data("mine".utf8)))
        defer { try? FileManager.default.removeItem(atPath: keep) }
        let local = """
        open("scratch.txt", "w").write("fine")
        import os
        try:
            os.remove(\(pythonString(keep)))
        except PermissionError:
            pass
        def add(a, b):
            return a + b
        """
        #expect(await DoctestSandbox().run(program: local, examples: examples) == .ran(passed: 2, total: 2))
        #expect(FileManager.default.fileExists(atPath: keep))
    }

    @Test func subprocessesAndSocketsAreRefused() async {
        for attempt in ["import subprocess; subprocess.run(['true'])", "import os; os.system('true')",
                        "import socket; socket.socket()"] {
            guard case .crashed(let message) = await DoctestSandbox().run(program: attempt, examples: examples) else {
                Issue.record("\(attempt) ran")
                continue
            }
            #expect(message.contains("blocked by the sandbox"))
        }
    }

    @Test func anEndlessLoopIsKilled() async {
        let start = ContinuousClock.now
        let outcome = await DoctestSandbox(timeout: .seconds(2)).run(program: "while True:\n    pass\n", examples: examples)
        #expect(outcome == .timedOut)
        #expect(ContinuousClock.now - start < .seconds(15))
    }

    @Test func aHugeAllocationFails() async {
        let program = "def add(a, b):\n    return len(bytearray(8 << 30))\n"
        #expect(await DoctestSandbox(memoryBytes: 256 << 20).run(program: program, examples: examples) == .ran(passed: 0, total: 2))
    }

    @Test func theNetworkIsCutOffWhereNamespacesWork() async {
        guard await SandboxSupport.probe().isolatedNetwork else { return }
        // Besides the audit hook's refusal, the namespace has no interface but loopback.
        let program = """
        lines = open('/proc/self/net/dev').read().splitlines()[2:]
        names = sorted(line.split(':')[0].strip() for line in lines)
        def add(a, b):
            return a + b if names == ['lo'] else -1
        """
        #expect(await DoctestSandbox().run(program: program, examples: examples) == .ran(passed: 2, total: 2))
    }

    private func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
