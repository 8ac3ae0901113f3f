import Foundation
import Testing
@testable import Tools

/// The files beside a file, with its extension.
@Suite struct NearbyFilesTests {
    @Test func theFilesBesideWithTheSameExtensionInNameOrder() throws {
        let root = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let manager = FileManager.default
        try manager.createDirectory(atPath: root + "/nested.cpp", withIntermediateDirectories: true)
        try "b".write(toFile: root + "/b.cpp", atomically: true, encoding: .utf8)
        try "a".write(toFile: root + "/a.cpp", atomically: true, encoding: .utf8)
        try "h".write(toFile: root + "/a.h", atomically: true, encoding: .utf8)
        try "self".write(toFile: root + "/main.cpp", atomically: true, encoding: .utf8)
        try String(repeating: "x", count: NearbyFiles.maximumBytes + 1).write(toFile: root + "/huge.cpp", atomically: true, encoding: .utf8)
        let found = NearbyFiles.of(root + "/main.cpp")
        #expect(found.map(\.name) == ["a.cpp", "b.cpp"])
        #expect(found.map(\.text) == ["a", "b"])
        #expect(found.map(\.path) == [root + "/a.cpp", root + "/b.cpp"])
    }

    @Test func aFileWithoutExtensionOrDirectoryGivesNone() {
        #expect(NearbyFiles.of("/nonexistent-selfmoa-dir/main.cpp").isEmpty)
        #expect(NearbyFiles.of("/tmp/Makefile").isEmpty)
    }
}
