import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct ReviewActionTests {
    let source = SourceText("""
        def total_value(self):
            total = 0
            for name in self.items:
                total = self.items[name]["price"] * self.items[name]["quantity"]
            return total
        """)

    @Test(arguments: [
        "total = 0",
        "2 | total = 0",
        "`total = 0`",
        "  total   =   0 ",
    ])
    func aMessageThatOnlyCopiesItsLineIsAnEcho(message: String) {
        let finding = Finding(startLine: 1, endLine: 1, severity: .warning, message: message)
        #expect(ReviewAction.echoesItsLine(finding, in: source))
    }

    @Test(arguments: [
        "total is overwritten on every iteration instead of summed",
        "`total = 0` is fine but line 4 should use +=",
        "return total",  // the text of another line, not of the finding's own
    ])
    func aMessageThatSaysSomethingIsKept(message: String) {
        let finding = Finding(startLine: 1, endLine: 1, severity: .warning, message: message)
        #expect(!ReviewAction.echoesItsLine(finding, in: source))
    }

    @Test func aRangeEchoesWhenTheMessageIsAnyOfItsLines() {
        let finding = Finding(startLine: 2, endLine: 4, severity: .error, message: "return total")
        #expect(ReviewAction.echoesItsLine(finding, in: source))
    }
}
