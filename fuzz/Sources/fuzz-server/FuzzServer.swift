import Dispatch
import FuzzChecks
import FuzzDriver

/// libFuzzer target: the whole server (connection, lifecycle, dispatch, handlers) on a byte
/// stream after an `initialize` preamble. Each input runs a fresh server to completion.
@main enum FuzzServer {
    static func main() {
        FuzzDriver.run { bytes in
            let input = Array(bytes)
            let done = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var violations: [String] = []
            // Detached: `main` runs on the main actor, which this thread now blocks.
            Task.detached {
                violations = await ServerChecks.check(input)
                done.signal()
            }
            done.wait()
            return violations
        }
    }
}
