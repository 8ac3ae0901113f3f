import FuzzChecks
import FuzzDriver

/// libFuzzer target: `JSONValue.parse`, `serialized` and the Codable layer round trip.
@main enum FuzzJSON {
    static func main() {
        FuzzDriver.run { JSONChecks.check(Array($0)) }
    }
}
