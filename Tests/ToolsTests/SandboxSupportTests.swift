import Foundation
import Testing
@testable import Tools

/// Without a working `bwrap` nothing runs, and the outcome says what to install.
@Suite struct SandboxSupportTests {
    @Test func withoutBubblewrapExamplesDoNotRun() async {
        let marker = FileManager.default.temporaryDirectory.path + "/selfmoa-sandbox-ran-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: marker) }
        let program = "open('\(marker)', 'w').write('ran')\ndef add(a, b):\n    return a + b\n"
        let outcome = await DoctestSandbox(bwrap: "/nonexistent/bwrap").run(program: program, examples: ">>> add(1, 2)\n3\n")
        guard case .unavailable(let message) = outcome else {
            Issue.record("ran without bubblewrap: \(outcome)")
            return
        }
        #expect(message.contains("bubblewrap (bwrap) is not installed or user namespaces are disabled: install bubblewrap"))
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(await SandboxSupport.isolationAvailable(bwrap: "/nonexistent/bwrap") == false)
    }
}
