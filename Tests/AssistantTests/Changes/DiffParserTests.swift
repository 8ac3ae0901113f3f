import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// git's unified diff read into files and the new side's changed lines.
@Suite struct DiffParserTests {
    @Test func readsModifiedAddedDeletedRenamedAndBinaryFiles() {
        let diff = """
            diff --git a/app/main.py b/app/main.py
            index 83db48f..bf269f4 100644
            --- a/app/main.py
            +++ b/app/main.py
            @@ -3 +3 @@ def total(xs):
            -    t = x
            +    t += x
            @@ -10,0 +11,2 @@ def other():
            +    a = 1
            +    b = 2
            @@ -20,2 +22,0 @@ def gone():
            -    x = 1
            -    y = 2
            diff --git a/new.py b/new.py
            new file mode 100644
            index 0000000..e69de29
            --- /dev/null
            +++ b/new.py
            @@ -0,0 +1,3 @@
            +def f():
            +    return 1
            +
            diff --git a/old.py b/old.py
            deleted file mode 100644
            index e69de29..0000000
            --- a/old.py
            +++ /dev/null
            @@ -1 +0,0 @@
            -x = 1
            diff --git a/src/a.py b/src/b.py
            similarity index 90%
            rename from src/a.py
            rename to src/b.py
            index 1..2 100644
            --- a/src/a.py
            +++ b/src/b.py
            @@ -5 +5 @@
            -old
            +new
            diff --git a/logo.png b/logo.png
            index 1..2 100644
            Binary files a/logo.png and b/logo.png differ
            """
        let files = DiffParser.parse(diff)
        #expect(files.map(\.path) == ["app/main.py", "new.py", "old.py", "src/b.py", "logo.png"])
        #expect(files.map(\.status) == [.modified, .added, .deleted, .renamed, .binary])
        // Line 3 replaced, 11-12 added, a deletion after line 22 marks lines 22 and 23 (1-based).
        #expect(files[0].changedLines == [2, 10, 11, 21, 22])
        #expect(files[1].changedLines == [0, 1, 2])
        #expect(files[3].oldPath == "src/a.py")
        #expect(files[3].changedLines == [4])
        #expect(files[4].changedLines.isEmpty)
    }

    @Test func readsQuotedAndSpacedPaths() {
        let diff = """
            diff --git "a/dir/caf\\303\\251 \\"x\\".py" "b/dir/caf\\303\\251 \\"x\\".py"
            --- "a/dir/caf\\303\\251 \\"x\\".py"
            +++ "b/dir/caf\\303\\251 \\"x\\".py"
            @@ -1 +1 @@
            -a
            +b
            diff --git a/with space.py b/with space.py
            --- a/with space.py
            +++ b/with space.py
            @@ -2,0 +3 @@
            +c
            """
        let files = DiffParser.parse(diff)
        #expect(files.map(\.path) == ["dir/café \"x\".py", "with space.py"])
        #expect(files[1].changedLines == [2])
    }

    @Test func anEmptyDiffHasNoFiles() {
        #expect(DiffParser.parse("").isEmpty)
        #expect(DiffParser.parse("warning: something\n").isEmpty)
    }
}

/// Which pieces of changed files a review of changes reviews.
@Suite struct ChangePlanTests {
    static let module = """
        import math


        def area(r):
            return math.pi * r * r


        def total(xs):
            t = 0
            for x in xs:
                t = x
            return t


        class Shape:
            def scale(self, k):
                self.k = k
                return self
        """ + String(repeating: "\n# padding", count: 90)

    @Test func eachChangedFunctionOnceInFileOrder() {
        let file = DiffFile(path: "geo.py", status: .modified, changedLines: [10, 9, 16])
        let plan = ChangePlan.make([(file, Self.module)], limit: 20)
        // `total` (lines 8-12) once for its two changed lines, then the method, not its class.
        #expect(plan.units.map(\.lines) == [7..<12, 15..<18])
        #expect(plan.units.map(\.changedLines) == [[9, 10], [16]])
        #expect(plan.units.allSatisfy { $0.language == "python" && $0.path == "geo.py" })
        #expect(plan.skippedUnits == 0)
    }

    @Test func theLimitCountsWhatIsLeftOut() {
        let file = DiffFile(path: "geo.py", status: .modified, changedLines: [4, 10, 16])
        let plan = ChangePlan.make([(file, Self.module)], limit: 2)
        #expect(plan.units.count == 2)
        #expect(plan.skippedUnits == 1)
    }

    @Test func aSmallFileWithoutFunctionsIsOneUnit() {
        let script = "import sys\n\nname = sys.argv[1]\nprint('hello', name)\n"
        let plan = ChangePlan.make([(DiffFile(path: "run.py", status: .modified, changedLines: [3]), script)], limit: 20)
        #expect(plan.units.map(\.lines) == [0..<5])
        #expect(plan.units.first?.changedLines == [3])
    }

    @Test func anAddedFileIsChangedThroughout() {
        let plan = ChangePlan.make([(DiffFile(path: "new.js", status: .added), "function f(a) {\n  return a + 1;\n}\n")], limit: 20)
        // The function, and the whole small file (the final empty line) around it: reviewed once.
        #expect(plan.units.map(\.lines) == [0..<3])
        #expect(plan.units.first?.language == "javascript")
    }

    @Test func binaryDeletedAndNonTextFilesAreNotedNotReviewed() {
        let plan = ChangePlan.make([
            (DiffFile(path: "logo.png", status: .binary), nil),
            (DiffFile(path: "old.py", status: .deleted, changedLines: [0]), nil),
            (DiffFile(path: "data.bin", status: .modified, changedLines: [0]), nil),
            (DiffFile(path: "blank.py", status: .modified, changedLines: [0]), "\n\n"),
        ], limit: 20)
        #expect(plan.units.isEmpty)
        #expect(plan.notes == ["logo.png: binary, not reviewed", "old.py: deleted, nothing to review", "data.bin: not UTF-8 text, not reviewed"])
    }
}
