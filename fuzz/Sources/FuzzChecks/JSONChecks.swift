import JSON
import JSONRPC

/// Properties of the JSON layer on any bytes.
///
/// - `parse` never crashes; what it accepts serialises to text that parses back to the same
///   value, and serialising that again gives the same bytes.
/// - The Codable layer maps a value to itself (`JSONValueDecoder` / `JSONValueEncoder` into and
///   out of `JSONValue`).
/// - `Message.classify` accepts its own wire form: a valid message written out and classified
///   again is the same message.
public enum JSONChecks {
    public static func check(_ data: [UInt8]) -> [String] {
        guard let value = try? JSONValue.parse(data) else { return [] }
        var violations: [String] = []
        let text = value.serializedBytes()
        guard let again = try? JSONValue.parse(text) else {
            return ["json: the serialisation of an accepted value does not parse: \(text.preview) from \(data.preview)"]
        }
        if again != value {
            violations.append("json: round trip changed the value: \(data.preview) → \(text.preview)")
        }
        if again.serializedBytes() != text {
            violations.append("json: serialising twice is not stable: \(text.preview)")
        }
        do {
            let decoded = try JSONValueDecoder().decode(JSONValue.self, from: value)
            if decoded != value { violations.append("json: decoding JSONValue as Decodable changed it: \(data.preview)") }
            let encoded = try JSONValueEncoder().encode(value)
            if encoded != value { violations.append("json: encoding JSONValue as Encodable changed it: \(data.preview)") }
        } catch {
            violations.append("json: the Codable layer rejected a parsed value: \(error) for \(data.preview)")
        }
        if case .success(let message) = Message.classify(value) {
            let wire = message.jsonValue
            switch Message.classify(wire) {
            case .success(let reread) where reread == message:
                break
            default:
                violations.append("json: a valid message does not survive its own wire form: \(wire.serializedBytes().preview)")
            }
        }
        return violations
    }
}
