import Foundation
import Testing
@testable import Tools

/// The project headers a C or C++ file includes, found as the compiler finds them.
@Suite struct IncludedHeadersTests {
    /// `src/main.cpp` includes `local.h` (next to it), `api.h` (in `include/`, through `-I`) and
    /// `<vector>`; `api.h` includes `detail/impl.h` relative to itself.
    private func project() throws -> String {
        let root = try Scratch.directory()
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        try manager.createDirectory(atPath: root + "/include/detail", withIntermediateDirectories: true)
        try "struct local_t { int n; };\n".write(toFile: root + "/src/local.h", atomically: true, encoding: .utf8)
        try "#pragma once\n  #  include \"detail/impl.h\"\nstruct api_t { int m; };\n"
            .write(toFile: root + "/include/api.h", atomically: true, encoding: .utf8)
        try "struct impl_t { int k; };\n".write(toFile: root + "/include/detail/impl.h", atomically: true, encoding: .utf8)
        return root
    }

    private let source = "#include \"local.h\"\n#include \"api.h\"\n#include <vector>\n#include \"missing.h\"\nint f() {}\n"

    @Test func quotedIncludesAreFollowedThroughTheIncludeDirectories() throws {
        let root = try project()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flags = CompilationFlags(arguments: ["-I", root + "/src", "-I", root + "/include"], database: nil)
        let headers = IncludedHeaders.of(source, at: root + "/src/main.cpp", flags: flags)
        #expect(headers.map(\.path) == [root + "/src/local.h", root + "/include/api.h", root + "/include/detail/impl.h"])
        #expect(headers[2].text == "struct impl_t { int k; };\n")
    }

    @Test func withoutTheIncludeDirectoryOnlyTheNeighbourIsFound() throws {
        let root = try project()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let headers = IncludedHeaders.of(source, at: root + "/src/main.cpp", flags: CompilationFlags(arguments: [], database: nil))
        #expect(headers.map(\.path) == [root + "/src/local.h"])
    }

    @Test func depthBoundsHowFarIncludesAreFollowed() throws {
        let root = try project()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let flags = CompilationFlags(arguments: ["-I" + root + "/include"], database: nil)
        let headers = IncludedHeaders.of(source, at: root + "/src/main.cpp", flags: flags, depth: 1)
        #expect(headers.map(\.path) == [root + "/src/local.h", root + "/include/api.h"])
    }

    @Test func includeDirectoriesAreSearchedQuoteFirstThenPlainThenAfter() {
        let arguments = ["-idirafter", "/late", "-I/plain", "-DX=1", "-iquote", "/quote", "-I", "/plain2", "-std=c++17"]
        #expect(IncludedHeaders.includeDirectories(arguments) == ["/quote", "/plain", "/plain2", "/late"])
    }
}
