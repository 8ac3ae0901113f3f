import BackendStandIn
import Foundation
import JSON
import Testing

/// `selfmoa-lsp review --changes` as a user (or a CI job) runs it: a real git repository, the
/// real binary, the stand-in backend.
@Suite(.serialized, .timeLimit(.minutes(2)), .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/git")))
struct ReviewChangesCommandTests {
    static let original = "import math\n\ndef area(r):\n    return math.pi * r * r\n\ndef total(xs):\n    t = 0\n    for x in xs:\n        t += x\n    return t\n"
    /// Line 9 changed: the bug the stand-in's review reports.
    static let changed = original.replacingOccurrences(of: "        t += x", with: "        t = x")

    static let script = StandInScript(rules: [
        StandInRule(contains: "careful code reviewer", in: .system, answer: "L9 error: t is overwritten instead of summed\n```\n        t += x\n```"),
    ])

    private func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-c", "user.name=Test", "-c", "user.email=test@example.com"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments.joined(separator: " "))")
    }

    /// A repository with `geo.py` committed, then changed on line 9 in the working tree.
    private func repository() throws -> String {
        let root = try TestSupport.temporaryDirectory()
        try git(["init", "-q", "-b", "main"], in: root)
        try Self.original.write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        try git(["add", "."], in: root)
        try git(["commit", "-q", "-m", "geo"], in: root)
        try Self.changed.write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        return root
    }

    private func run(_ arguments: [String], _ standIn: StandInBackend) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await SetupCommandTests.run(["review", "--changes"] + arguments + ["--backend-url", standIn.url, "--samples", "2"], environment: [:])
    }

    @Test func findsTheBugOnTheChangedLineInEveryFormat() async throws {
        let standIn = StandInBackend(script: Self.script)
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let root = try repository()

        let text = try await run(["--repository", root], standIn)
        #expect(text.status == 1, "an error finding fails by default: \(text.stderr)")
        #expect(text.stdout.hasPrefix("geo.py:9: error: t is overwritten instead of summed"))
        #expect(text.stderr.contains("reviewed 1 changed functions"))

        let json = try await run(["--repository", root, "--format", "json", "--fail-on", "never"], standIn)
        #expect(json.status == 0, "\(json.stderr)")
        let report = try JSONValue.parse(Array(json.stdout.utf8))
        #expect(report["findings"]?.arrayValue?.count == 1)
        #expect(report["findings"]?.arrayValue?.first?["path"] == "geo.py")
        #expect(report["findings"]?.arrayValue?.first?["startLine"] == 9)
        #expect(report["findings"]?.arrayValue?.first?["replacement"] == "        t += x")
        // Only `total` changed: `area` is not reviewed.
        #expect(report["reviewed"]?.arrayValue?.map { $0["startLine"] } == [6])
        #expect((report["forwardPasses"]?.intValue ?? 0) > 0)

        let sarif = try await run(["--repository", root, "--format", "sarif", "--fail-on", "warning"], standIn)
        #expect(sarif.status == 1)
        let log = try JSONValue.parse(Array(sarif.stdout.utf8))
        #expect(log["version"] == "2.1.0")
        let result = log["runs"]?.arrayValue?.first?["results"]?.arrayValue?.first
        #expect(result?["ruleId"] == "selfmoa.review")
        #expect(result?["level"] == "error")
        #expect(result?["locations"]?.arrayValue?.first?["physicalLocation"]?["artifactLocation"]?["uri"] == "geo.py")
        #expect(result?["locations"]?.arrayValue?.first?["physicalLocation"]?["region"]?["startLine"] == 9)
        #expect(log["runs"]?.arrayValue?.first?["tool"]?["driver"]?["rules"]?.arrayValue?.first?["id"] == "selfmoa.review")

        // Nothing was written to the user's files.
        #expect(try String(contentsOfFile: root + "/geo.py", encoding: .utf8) == Self.changed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).sorted() == [".git", "geo.py"])
    }

    @Test func aCommittedRangeIsReviewedFromGitAlone() async throws {
        let standIn = StandInBackend(script: Self.script)
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let root = try repository()
        try git(["commit", "-q", "-am", "overwrite"], in: root)
        // The working tree is clean: the range's right side is read from git.
        try "something else entirely\n".write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        let result = try await run(["HEAD~1..HEAD", "--repository", root, "--format", "json", "--fail-on", "never"], standIn)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONValue.parse(Array(result.stdout.utf8))
        #expect(report["revision"] == "HEAD~1..HEAD")
        #expect(report["findings"]?.arrayValue?.first?["startLine"] == 9)
    }

    @Test func binaryDeletedRenamedAndTheLimitAreSaidNotFailed() async throws {
        let standIn = StandInBackend(script: Self.script)
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let root = try repository()
        let kept = (1...12).map { "def keep\($0)(a):\n    return a + \($0)\n" }.joined(separator: "\n")
        try Self.original.write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        try Data([0, 1, 2, 0, 255]).write(to: URL(fileURLWithPath: root + "/blob.bin"))
        try "def gone():\n    return 1\n".write(toFile: root + "/gone.py", atomically: true, encoding: .utf8)
        try kept.write(toFile: root + "/old_name.py", atomically: true, encoding: .utf8)
        try git(["add", "."], in: root)
        try git(["commit", "-q", "-m", "more"], in: root)
        try Self.changed.write(toFile: root + "/geo.py", atomically: true, encoding: .utf8)
        try Data([0, 9, 9, 0]).write(to: URL(fileURLWithPath: root + "/blob.bin"))
        try FileManager.default.removeItem(atPath: root + "/gone.py")
        try git(["mv", "old_name.py", "new_name.py"], in: root)
        try kept.replacingOccurrences(of: "return a + 12", with: "return a - 12").write(toFile: root + "/new_name.py", atomically: true, encoding: .utf8)
        try "def fresh(b):\n    return b * 2\n".write(toFile: root + "/untracked.py", atomically: true, encoding: .utf8)

        let result = try await run(["--repository", root, "--format", "json", "--fail-on", "never", "--max-functions", "2"], standIn)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONValue.parse(Array(result.stdout.utf8))
        let notes = report["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains("blob.bin: binary, not reviewed"))
        #expect(notes.contains("gone.py: deleted, nothing to review"))
        // geo.py's `total`, the renamed file's `keep12` and the untracked `fresh`: two reviewed, one skipped.
        #expect(report["reviewed"]?.arrayValue?.count == 2)
        #expect(report["skippedFunctions"] == 1)
        #expect(result.stderr.contains("1 more changed functions beyond --max-functions 2"))
        let paths = report["reviewed"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(paths.contains("geo.py"))
        #expect(paths.contains("new_name.py") || paths.contains("untracked.py"))
    }

    @Test func notARepositoryAndAnUnknownRevisionAreClearErrors() async throws {
        let standIn = StandInBackend(script: Self.script)
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let plain = try TestSupport.temporaryDirectory()
        let outside = try await run(["--repository", plain], standIn)
        #expect(outside.status == 2)
        #expect(outside.stdout.isEmpty)
        #expect(outside.stderr.contains("is not in a git repository"))

        let root = try repository()
        let unknown = try await run(["no-such-branch", "--repository", root], standIn)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown revision no-such-branch"))
        let option = try await run(["--repository", root, "--format", "xml"], standIn)
        #expect(option.status != 0 && option.status != 1)
        #expect(option.stderr.contains("--format must be text, json or sarif"))
        #expect(standIn.generationRequests.isEmpty)
    }
}
