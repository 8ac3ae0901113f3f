import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct RepairUnitsTests {
    private let source = """
        class Inventory:
            def __init__(self):
                self.items = {}

            # Adds one.
            def add(self, name):
                self.items[name] = 1


        def helper(x):
            def inner(y):
                return y + 1
            return inner(x)

        print(helper(2))
        """.splitLines

    @Test func theInnermostFunctionsWithTheirCommentsInFileOrder() {
        #expect(RepairUnits.units(in: source, focus: 0..<source.count) == [1..<3, 4..<7, 10..<12])
    }

    @Test func onlyFunctionsInsideTheFocus() {
        #expect(RepairUnits.units(in: source, focus: 4..<7) == [4..<7])
        // Part of a body: the selection itself.
        #expect(RepairUnits.units(in: source, focus: 2..<3) == [2..<3])
    }

    @Test func codeWithoutFunctionsIsOneUnitWhenShort() {
        let script = ["x = 1", "print(x)"]
        #expect(RepairUnits.units(in: script, focus: 0..<2) == [0..<2])
        let long = (0..<100).map { "x\($0) = \($0)" }
        #expect(RepairUnits.units(in: long, focus: 0..<100).isEmpty)
    }

    @Test func longFunctionsAreLeftOut() {
        let body = (0..<RepairUnits.maximumLines).map { "    x\($0) = \($0)" }
        let lines = ["def long():"] + body + ["", "def short():", "    return 1"]
        #expect(RepairUnits.units(in: lines, focus: 0..<lines.count) == [(body.count + 2)..<(body.count + 4)])
    }
}
