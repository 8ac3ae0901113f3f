import Foundation
import JSONRPC
@testable import FuzzChecks
import LSPTestSupport
import LanguageServer
import Testing

/// Every seed in `fuzz/corpus/<target>/` and every input that once failed (`fuzz/regressions/
/// <target>/`) goes through the same checks as the fuzzers, so the properties hold in every test
/// run, not only while fuzzing.
@Suite struct FuzzCorpusReplayTests {
    static func inputs(_ target: FuzzTarget) -> [URL] {
        let root = BinaryServer.repositoryRoot.appendingPathComponent("fuzz")
        return ["corpus", "regressions"].flatMap { folder -> [URL] in
            let directory = root.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
        }
    }

    @Test func theSeedCorpusIsThere() {
        for target in FuzzTarget.allCases {
            #expect(Self.inputs(target).count >= 5, "fuzz/corpus/\(target.rawValue) holds too few seeds")
        }
    }

    @Test func framerSeeds() throws {
        for url in Self.inputs(.framer) {
            let violations = FramerChecks.check(Array(try Data(contentsOf: url)))
            #expect(violations.isEmpty, "\(url.lastPathComponent): \(violations.joined(separator: "; "))")
        }
    }

    @Test func jsonSeeds() throws {
        for url in Self.inputs(.json) {
            let violations = JSONChecks.check(Array(try Data(contentsOf: url)))
            #expect(violations.isEmpty, "\(url.lastPathComponent): \(violations.joined(separator: "; "))")
        }
    }

    @Test func paramsSeeds() throws {
        for url in Self.inputs(.params) {
            let violations = ParamsChecks.check(Array(try Data(contentsOf: url)))
            #expect(violations.isEmpty, "\(url.lastPathComponent): \(violations.joined(separator: "; "))")
        }
    }

    @Test func serverSeeds() async throws {
        for url in Self.inputs(.server) {
            #expect(await ServerChecks.check(Array(try Data(contentsOf: url))) == [], "\(url.lastPathComponent)")
        }
    }

    /// The checks can fail: a stream whose events depend on the chunking, a reply count that is
    /// off, and edits whose reference disagrees are all reported.
    @Test func theChecksDetectViolations() {
        let partial = ServerChecks.Replies.read(Array("Content-Length: 5\r\n\r\n{}".utf8))
        #expect((try? partial.get()) == nil)
        let asked = ServerChecks.expectedReplies(MessageFramer.frame(Array(#"{"jsonrpc":"2.0","id":7,"method":"m"}"#.utf8)))
        #expect(asked.byID == [.number(7): 1])
        #expect(asked != (try? ServerChecks.Replies.read([]).get()))
        #expect(ParamsChecks.referenceOffset(Array("aé\nb".utf8), .init(line: 0, character: 2), .utf16) == 3)
        #expect(ParamsChecks.referenceOffset(Array("a😀b".utf8), .init(line: 0, character: 2), .utf16) == 1)
    }
}
