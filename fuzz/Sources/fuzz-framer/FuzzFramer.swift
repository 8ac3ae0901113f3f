import FuzzChecks
import FuzzDriver

/// libFuzzer target: `MessageFramer` on arbitrary byte streams and chunkings.
@main enum FuzzFramer {
    static func main() {
        FuzzDriver.run { FramerChecks.check(Array($0)) }
    }
}
