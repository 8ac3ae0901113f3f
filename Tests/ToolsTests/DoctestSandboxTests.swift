import Foundation
import Testing
@testable import Tools

/// The sandbox runs examples and contains what a candidate must not do (needs `python3` and a
/// working `bwrap`: `scripts/setup.sh apt` installs bubblewrap).
@Suite(.enabled(if: ToolProcess.find("python3") != nil && ToolProcess.find("bwrap") != nil)) struct DoctestSandboxTests {
    private let examples = ">>> add(1, 2)\n3\n>>> add(2, 2)\n4\n"

    @Test func countsPassingExamples() async {
        let sandbox = DoctestSandbox()
        #expect(await sandbox.run(program: "def add(a, b):\n    return a + b\n", examples: examples) == .ran(passed: 2, total: 2))
        #expect(await sandbox.run(program: "def add(a, b):\n    return 3\n", examples: examples) == .ran(passed: 1, total: 2))
    }

    @Test func theReportNamesTheFirstFailingExample() async {
        let sandbox = DoctestSandbox()
        let wrong = await sandbox.report(program: "def add(a, b):\n    return a - b\n", examples: examples)
        #expect(wrong.outcome == .ran(passed: 0, total: 2))
        #expect(wrong.firstFailure == DoctestSandbox.ExampleFailure(source: "add(1, 2)", expected: "3", got: "-1"))
        let raising = await sandbox.report(program: "def add(a, b):\n    return a + b[0]\n", examples: examples)
        #expect(raising.firstFailure?.got.hasPrefix("raises TypeError") == true)
        let right = await sandbox.report(program: "def add(a, b):\n    return a + b\n", examples: examples)
        #expect(right == DoctestSandbox.Report(outcome: .ran(passed: 2, total: 2), firstFailure: nil))
    }

    @Test func aProgramCannotForgeTheFailureLine() async {
        let program = "print('FIRST-FAILURE [\"x\", \"y\", \"z\"]')\ndef add(a, b):\n    return a + b\n"
        #expect(await DoctestSandbox().report(program: program, examples: examples).firstFailure == nil)
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

    @Test func theNetworkIsCutOff() async {
        // Besides the audit hook's refusal of sockets, the namespace has no interface but loopback.
        let program = """
        lines = open('/proc/self/net/dev').read().splitlines()[2:]
        names = sorted(line.split(':')[0].strip() for line in lines)
        def add(a, b):
            return a + b if names == ['lo'] else -1
        """
        #expect(await DoctestSandbox().run(program: program, examples: examples) == .ran(passed: 2, total: 2))
    }

    @Test func hostProcessesAreInvisible() async {
        // Its own PID namespace: bubblewrap's init and the interpreter, nothing of the host.
        let program = """
        import os
        pids = [p for p in os.listdir('/proc') if p.isdigit()]
        def add(a, b):
            return a + b if len(pids) <= 3 else -len(pids)
        """
        #expect(await DoctestSandbox().run(program: program, examples: examples) == .ran(passed: 2, total: 2))
    }

    @Test func writesToTheHostsTmpAndHomeDoNotReachTheHost() async {
        // Refused by the audit hook, and outside the boundary's writable directory anyway.
        let name = "selfmoa-sandbox-escape-\(UUID().uuidString)"
        let targets = ["/tmp/" + name, NSHomeDirectory() + "/" + name]
        defer { for target in targets { try? FileManager.default.removeItem(atPath: target) } }
        for target in targets {
            let program = "open(\(pythonString(target)), 'w').write('escaped')\ndef add(a, b):\n    return a + b\n"
            guard case .crashed = await DoctestSandbox().run(program: program, examples: examples) else {
                Issue.record("a write to \(target) did not fail")
                continue
            }
            #expect(!FileManager.default.fileExists(atPath: target))
        }
    }

    private func pythonString(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}
