/// The coding keys the encoder and decoder make up themselves: positions in arrays
/// (`"Index 3"`, as Foundation names them) and `super`.
struct JSONCodingKey: CodingKey, Sendable {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }

    init(index: Int) {
        self.init(intValue: index)
    }

    static let `super` = JSONCodingKey(stringValue: "super")
}

extension Array where Element == any CodingKey {
    /// The path as a reader would write it: `params.textDocument.uri`, `items[3].name`,
    /// `headers["Content-Type"]`. Empty for the top level.
    public var jsonPathDescription: String {
        var text = ""
        for key in self {
            if let index = key.intValue, key.stringValue == "Index \(index)" {
                text += "[\(index)]"
            } else if Self.isIdentifier(key.stringValue) {
                text += text.isEmpty ? key.stringValue : "." + key.stringValue
            } else {
                text += "[" + JSONValue.string(key.stringValue).serialized() + "]"
            }
        }
        return text
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"):
                return true
            default:
                return false
            }
        }
    }
}
