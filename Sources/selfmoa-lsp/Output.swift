import Foundation
import JSON

/// Prints `value` as compact JSON on stdout.
func printJSON(_ value: some Encodable) throws {
    print(try JSONValueEncoder().encode(value).serialized())
}

/// Writes a line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
