import FuzzChecks
import FuzzDriver

/// libFuzzer target: decoding LSP params and settings, and document edits with position clamping.
@main enum FuzzParams {
    static func main() {
        FuzzDriver.run { ParamsChecks.check(Array($0)) }
    }
}
