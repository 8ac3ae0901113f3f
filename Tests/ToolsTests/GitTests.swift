import Foundation
import Testing
@testable import Tools

/// `git` in a fresh repository.
@Suite(.enabled(if: ToolProcess.find("git") != nil)) struct GitTests {
    @Test func runsInTheDirectoryGiven() async throws {
        let directory = try Scratch.directory(prefix: "selfmoa-git-")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let git = try #require(Git())
        #expect(await git.run(["init", "-q"], in: directory).succeeded)
        let top = await git.run(["rev-parse", "--show-toplevel"], in: directory)
        #expect(top.succeeded)
        #expect(URL(fileURLWithPath: top.stdout.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath()
            == URL(fileURLWithPath: directory).resolvingSymlinksInPath())
        #expect(Git(path: "/nonexistent") == nil)
    }
}
