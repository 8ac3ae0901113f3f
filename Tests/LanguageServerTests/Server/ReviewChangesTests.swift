import Foundation
import JSON
import JSONRPC
import LanguageServer
import LSPTestSupport
import ModelBackend
import Testing

/// `selfmoa.reviewChanges` in process: a real git repository, a scripted model.
@Suite(.serialized, .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git")))
struct ReviewChangesTests {
    static let original = "import math\n\ndef area(r):\n    return math.pi * r * r\n\ndef total(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n"
    static let changed = original.replacingOccurrences(of: "        t += x", with: "        t = x")

    static let script: ScriptedModel.Script = { messages, _ in
        ChatMessage.joined(messages).contains("NO ISSUES")
            ? "L9 error: t is overwritten instead of summed\n```\n        t += x\n```" : "no change"
    }

    private func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
    }

    private func repository() throws -> String {
        let root = NSTemporaryDirectory() + "selfmoa-changes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: root)
        try Self.original.write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        try git(["add", "."], in: root)
        try git(["commit", "-q", "-m", "geo"], in: root)
        try Self.changed.write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        return URL(fileURLWithPath: root).resolvingSymlinksInPath().path
    }

    private func harness(root: String?) async throws -> (ServerHarness, ScriptedModel) {
        let model = ScriptedModel(script: Self.script)
        let harness = ServerHarness { options in
            options.makeModel = { _, _ in ModelHandle(model: model) }
        }
        var params: [String: JSONValue] = ["capabilities": ClientProfiles.full, "initializationOptions": ["samples": 2]]
        if let root { params["rootUri"] = .string(URL(fileURLWithPath: root).absoluteString) }
        _ = try await harness.client.request("initialize", .object(params))
        harness.client.notify("initialized", [:])
        return (harness, model)
    }

    @Test func publishesFindingsOnChangedLinesOfFilesThatAreNotOpen() async throws {
        let root = try repository()
        let (harness, _) = try await harness(root: root)
        defer { harness.close() }
        let result = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.reviewChanges", "arguments": [[:]]])
        let uri = URL(fileURLWithPath: root + "/geo.py").absoluteString
        #expect(result["reviewed"] == 1)
        #expect(result["skipped"] == 0)
        #expect(result["revision"] == .null)
        // The one cost type: the review's report, repair check included.
        #expect(result["stats"]?["forwardPasses"]?.intValue ?? 0 > 0)
        #expect(result["stats"]?["repairChecks"] == 1)
        #expect(result["findings"]?.arrayValue?.first?["uri"] == .string(uri))
        #expect(result["findings"]?.arrayValue?.first?["range"]?["start"]?["line"] == 8)
        #expect(result["findings"]?.arrayValue?.first?["severity"] == "error")
        let published = try await harness.client.waitForNotification("textDocument/publishDiagnostics") { $0?["uri"] == .string(uri) }
        #expect(published?["diagnostics"]?.arrayValue?.first?["range"]?["start"]?["line"] == 8)
        #expect(published?["version"] == nil)
        let progress = harness.client.notifications.filter { $0.method == "$/progress" }.compactMap { $0.params?["value"] }
        #expect(progress.first?["title"] == "Self-MoA: review changes")
        #expect(progress.contains { $0["message"]?.stringValue?.hasPrefix("function 1/1: geo.py:6") == true })
        #expect(progress.last?["kind"] == "end")
        // Nothing written to the repository.
        #expect(try String(contentsOfFile: root + "/geo.py", encoding: .utf8) == Self.changed)
    }

    @Test func anOpenBufferWithUnsavedEditsIsToldNotMisplaced() async throws {
        let root = try repository()
        let (harness, _) = try await harness(root: root)
        defer { harness.close() }
        let uri = URL(fileURLWithPath: root + "/geo.py").absoluteString
        harness.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "python", "version": 3, "text": .string("# unsaved\n" + Self.changed)]])
        let result = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.reviewChanges", "arguments": [[:]]])
        #expect(result["findings"]?.arrayValue?.isEmpty == true)
        let shown = try await harness.client.waitForNotification("window/showMessage") { $0?["message"]?.stringValue?.contains("unsaved") == true }
        #expect(shown?["message"]?.stringValue?.contains("geo.py has unsaved edits") == true)
        #expect(!harness.client.notifications.contains { $0.method == "textDocument/publishDiagnostics" && $0.params?["uri"] == .string(uri) })
    }

    @Test func withoutAWorkspaceOrARepositoryTheErrorSaysSo() async throws {
        let (noWorkspace, model) = try await harness(root: nil)
        defer { noWorkspace.close() }
        await #expect {
            _ = try await noWorkspace.client.request("workspace/executeCommand", ["command": "selfmoa.reviewChanges"])
        } throws: { error in
            (error as? ResponseError)?.code == ResponseError.invalidParamsCode && (error as? ResponseError)?.message.contains("rootUri") == true
        }
        let plain = NSTemporaryDirectory() + "selfmoa-plain-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        await #expect {
            _ = try await noWorkspace.client.request("workspace/executeCommand", [
                "command": "selfmoa.reviewChanges", "arguments": [["root": .string(URL(fileURLWithPath: plain).absoluteString)]]])
        } throws: { error in
            (error as? ResponseError)?.message.contains("not in a git repository") == true
        }
        let root = try repository()
        await #expect {
            _ = try await noWorkspace.client.request("workspace/executeCommand", [
                "command": "selfmoa.reviewChanges",
                "arguments": [["root": .string(URL(fileURLWithPath: root).absoluteString), "revision": "nope"]]])
        } throws: { error in
            (error as? ResponseError)?.message.contains("unknown revision nope") == true
        }
        #expect(model.calls.isEmpty)
    }
}
