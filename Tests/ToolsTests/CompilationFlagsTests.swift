import Foundation
import JSON
import Testing
@testable import Tools

/// Where a C or C++ file's headers are: the project's `compile_commands.json`, else the file's
/// own directory; and the toolchain check run with them.
@Suite struct CompilationFlagsTests {
    /// A project: `src/main.c` includes `util.h` (next to it) and `api.h` (in `include/`, known
    /// only to the build); the database is in `build/`.
    private func project(database: Bool) throws -> String {
        let root = try Scratch.directory()
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/include", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/build", withIntermediateDirectories: true)
        try "typedef struct { int n; } counter_t;\n".write(toFile: root + "/src/util.h", atomically: true, encoding: .utf8)
        try "#ifndef API_LEVEL\n#error API_LEVEL undefined\n#endif\ntypedef int api_t;\n"
            .write(toFile: root + "/include/api.h", atomically: true, encoding: .utf8)
        if database {
            let command = "cc -std=c11 -I../include -DAPI_LEVEL=2 -Wall -o main.o -c \\\"../src/main.c\\\""
            try """
                [{"directory": "\(root)/build", "command": "\(command)", "file": "../src/main.c"}]
                """.write(toFile: root + "/build/compile_commands.json", atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test func theDatabaseGivesIncludeDirectoriesMacrosAndTheStandard() throws {
        let root = try project(database: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flags = CompilationFlags.of(file: root + "/src/main.c")
        #expect(flags.database == root + "/build/compile_commands.json")
        #expect(flags.arguments == ["-I", root + "/src", "-std=c11", "-I", root + "/include", "-DAPI_LEVEL=2"])
    }

    @Test func withoutADatabaseTheFilesDirectoryIsTheIncludePath() throws {
        let root = try project(database: false)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flags = CompilationFlags.of(file: root + "/src/main.c")
        #expect(flags.database == nil)
        #expect(flags.arguments == ["-I", root + "/src"])
    }

    @Test func commandsSplitLikeAShell() {
        let entry: [String: String] = ["command": #"cc -I "a b" -D'X=1' c\ d.c"#]
        #expect(CompilationFlags.words(of: .object(entry.mapValues { .string($0) })) == ["cc", "-I", "a b", "-DX=1", "c d.c"])
        #expect(CompilationFlags.relevant(["cc", "-isystem", "sys", "-iquote/q", "-include", "pre.h", "-O2", "-U", "NDEBUG"], in: "/p")
            == ["-isystem", "/p/sys", "-iquote", "/q", "-include", "/p/pre.h", "-UNDEBUG"])
    }

    /// Checked as the file on disk, a candidate is parsed with the project's headers: a good one
    /// is valid and a broken one invalid, where without the file's location the check could only
    /// say the headers are missing.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func theCheckFindsTheProjectsHeaders() async throws {
        let root = try project(database: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = root + "/src/main.c"
        let good = "#include \"util.h\"\n#include <api.h>\napi_t f(counter_t c) { return c.n; }\n"
        let broken = "#include \"util.h\"\n#include <api.h>\napi_t f(counter_t c) { return c.n }\n"
        let checker = ToolchainSyntaxChecker()
        #expect(await checker.check(good, language: "c", file: file) == .valid)
        guard case .invalid = await checker.check(broken, language: "c", file: file) else {
            Issue.record("a broken candidate was not invalid")
            return
        }
        guard case .unavailable(let reason) = await checker.check(good, language: "c") else {
            Issue.record("without the file's location the headers were found")
            return
        }
        #expect(reason.contains("compile_commands.json"))
    }

    /// Without a database, headers next to the file are still found.
    @Test(.enabled(if: ToolProcess.find("c++") != nil)) func headersNextToTheFileAreFoundWithoutADatabase() async throws {
        let root = try project(database: false)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = "#include \"util.h\"\nint f(counter_t c) { return c.n; }\n"
        #expect(await ToolchainSyntaxChecker().check(source, language: "cpp", file: root + "/src/main.cpp") == .valid)
    }
}
