import JSON

/// Generates arbitrary JSON values from a seed: every kind, extreme numbers, strings with
/// control characters, quotes, surrogate-range neighbours and astral characters.
struct JSONValueGenerator {
    private var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    mutating func value(maximumDepth: Int = 4) -> JSONValue {
        let kinds = maximumDepth == 0 ? 5 : 7
        switch Int.random(in: 0..<kinds, using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(integer())
        case 3: return .double(double())
        case 4: return .string(string(allowingNUL: true))
        case 5:
            let count = Int.random(in: 0...5, using: &random)
            return .array((0..<count).map { _ in value(maximumDepth: maximumDepth - 1) })
        default:
            let count = Int.random(in: 0...5, using: &random)
            var members: [String: JSONValue] = [:]
            for _ in 0..<count { members[string(allowingNUL: false)] = value(maximumDepth: maximumDepth - 1) }
            return .object(members)
        }
    }

    mutating func integer() -> Int64 {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: return Int64.random(in: -100...100, using: &random)
        case 1: return Int64(bitPattern: random.next())
        default:
            let edges: [Int64] = [.min, .max, .min + 1, .max - 1, 0, 1 << 53, -(1 << 53), (1 << 53) + 1, -(1 << 53) - 1]
            return edges.randomElement(using: &random)!
        }
    }

    mutating func double() -> Double {
        switch Int.random(in: 0..<3, using: &random) {
        case 0:
            while true {
                let value = Double(bitPattern: random.next())
                if value.isFinite { return value }
            }
        case 1:
            return Double.random(in: -1e6...1e6, using: &random).rounded() / [1, 10, 100, 1000].randomElement(using: &random)!
        default:
            let edges: [Double] = [
                0.1, 0.2, 0.3, -0.0, 0.0, 3.0, 1e16, 1e21, 1e-7, .greatestFiniteMagnitude,
                -.greatestFiniteMagnitude, .leastNormalMagnitude, .leastNonzeroMagnitude, 9007199254740994, 1.0 / 3.0,
            ]
            return edges.randomElement(using: &random)!
        }
    }

    mutating func string(allowingNUL: Bool) -> String {
        let length = Int.random(in: 0...12, using: &random)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let value: UInt32
            switch Int.random(in: 0..<7, using: &random) {
            case 0, 1: value = UInt32.random(in: 0x20...0x7E, using: &random)
            case 2: value = UInt32.random(in: allowingNUL ? 0...0x1F : 1...0x1F, using: &random)
            case 3: value = [0x22, 0x5C, 0x2F, 0x7F, 0x2028, 0x2029, 0xFEFF, 0xFFFD].randomElement(using: &random)!
            case 4: value = UInt32.random(in: 0xA0...0xD7FF, using: &random)
            case 5: value = UInt32.random(in: 0xE000...0xFFFF, using: &random)
            default: value = UInt32.random(in: 0x10000...0x10FFFF, using: &random)
            }
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }
}
