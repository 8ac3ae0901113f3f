import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct FindingMergerTests {
    @Test func sameLinesBecomeOneWithTheWorstSeverityAndTheFirstFix() {
        let merged = FindingMerger.merge([
            Finding(startLine: 4, endLine: 4, severity: .info, message: "Slow loop"),
            Finding(startLine: 4, endLine: 4, severity: .error, message: "slow loop!", replacement: "fast()"),
            Finding(startLine: 4, endLine: 4, severity: .hint, message: "Slow", replacement: "other()"),
        ])
        #expect(merged == [Finding(startLine: 4, endLine: 4, severity: .error, message: "Slow loop", replacement: "fast()")])
    }

    @Test func theSameMessageOnOverlappingLinesIsUnited() {
        let merged = FindingMerger.merge([
            Finding(startLine: 2, endLine: 4, severity: .warning, message: "file is never closed", replacement: "a"),
            Finding(startLine: 3, endLine: 6, severity: .error, message: "The file is never closed.", replacement: "b"),
        ])
        #expect(merged.count == 1)
        #expect(merged[0].lines == 2...6)
        #expect(merged[0].severity == .error)
        #expect(merged[0].message == "The file is never closed.")
        // Neither fix was written for lines 2...6.
        #expect(merged[0].replacement == nil)
    }

    @Test func differentProblemsStaySeparateAndSorted() {
        let merged = FindingMerger.merge([
            Finding(startLine: 9, endLine: 9, severity: .hint, message: "b"),
            Finding(startLine: 2, endLine: 5, severity: .warning, message: "unused import"),
            Finding(startLine: 3, endLine: 3, severity: .error, message: "division by zero"),
            Finding(startLine: 2, endLine: 5, severity: .error, message: "unused import of os"),
        ])
        #expect(merged.map(\.lines) == [2...5, 3...3, 9...9])
        #expect(merged[0].message == "unused import of os")
        #expect(merged[0].severity == .error)
    }
}
