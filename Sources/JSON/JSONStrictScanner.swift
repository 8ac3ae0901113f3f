/// A token-level check of RFC 8259 that runs beside json-c.
///
/// json-c's strict mode still accepts `NaN`, `Infinity`, `1.` and `1.e5`, raw control characters
/// inside strings, overlong and surrogate UTF-8, and it silently clamps integers that do not fit
/// in 64 bits and truncates object keys at `\u0000`. This scanner walks the tokens (not the
/// structure, which json-c checks) and reports the first such problem with its byte offset. It
/// also lists the integer literals outside the `Int64` range so the parser can read them as
/// doubles instead of clamped integers.
struct JSONStrictScanner {
    /// The outcome of one scan.
    struct Result {
        /// The first token-level error, if any.
        var error: JSONParseError?
        /// `true` when `error` is about a NUL byte, which json-c reads as the end of the input and
        /// so reports at the same offset with a less helpful message.
        var errorIsNUL = false
        /// Byte ranges of integer literals that do not fit in `Int64`, in input order.
        var wideIntegers: [Range<Int>] = []
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var result = Result()

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Scans `bytes` up to the first token-level error.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        var scanner = JSONStrictScanner(bytes: bytes)
        scanner.run()
        return scanner.result
    }

    private mutating func fail(_ reason: String, at offset: Int, isNUL: Bool = false) {
        result.error = JSONParseError(reason: reason, offset: offset)
        result.errorIsNUL = isNUL
    }

    private mutating func run() {
        let count = bytes.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                UInt8(ascii: "}"), UInt8(ascii: ","), UInt8(ascii: ":"):
                index += 1
            case UInt8(ascii: "\""):
                guard let next = scanString(from: index) else { return }
                index = next
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let next = scanNumber(from: index) else { return }
                index = next
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard let next = scanLiteral(from: index) else { return }
                index = next
            case 0:
                return fail("NUL byte outside a string", at: index, isNUL: true)
            default:
                return fail("unexpected character \(Self.describe(byte))", at: index)
            }
        }
    }

    /// Returns the offset after the closing quote (or the end of input), or `nil` after an error.
    private mutating func scanString(from start: Int) -> Int? {
        let count = bytes.count
        var index = start + 1
        var escapesNUL = false
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                if escapesNUL && isFollowedByColon(index) {
                    fail("object key contains \\u0000, which is not supported", at: start)
                    return nil
                }
                return index
            } else if byte == UInt8(ascii: "\\") {
                if index + 5 < count, bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] == UInt8(ascii: "0"),
                    bytes[index + 3] == UInt8(ascii: "0"), bytes[index + 4] == UInt8(ascii: "0"),
                    bytes[index + 5] == UInt8(ascii: "0")
                {
                    escapesNUL = true
                }
                // json-c checks the escape itself; skip the escaped character.
                index += 2
            } else if byte < 0x20 {
                let hex = String(byte, radix: 16, uppercase: true)
                let name = "U+" + String(repeating: "0", count: 4 - hex.count) + hex
                fail("unescaped control character \(name) in a string", at: index, isNUL: byte == 0)
                return nil
            } else if byte < 0x80 {
                index += 1
            } else {
                guard let length = Self.validUTF8SequenceLength(bytes, at: index) else {
                    fail("invalid UTF-8", at: index)
                    return nil
                }
                index += length
            }
        }
        return count
    }

    private func isFollowedByColon(_ start: Int) -> Bool {
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            case UInt8(ascii: ":"): return true
            default: return false
            }
        }
        return false
    }

    /// The length of the well-formed UTF-8 sequence starting at `index` (RFC 3629: no overlong
    /// forms, no surrogates, nothing above U+10FFFF), or `nil`.
    static func validUTF8SequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; secondRange = 0x80...0x9F
        case 0xF0: length = 4; secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; secondRange = 0x80...0x8F
        default: return nil
        }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return nil }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            return nil
        }
        return length
    }

    /// Checks the RFC 8259 number grammar; returns the offset after the number or `nil`.
    private mutating func scanNumber(from start: Int) -> Int? {
        let count = bytes.count
        func isDigit(_ index: Int) -> Bool {
            index < count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        var index = start
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        guard isDigit(index) else {
            failNumber("invalid number: expected a digit after '-'", at: start, stoppedAt: index)
            return nil
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) {
                fail("invalid number: leading zeros are not allowed", at: start)
                return nil
            }
        } else {
            while isDigit(index) { index += 1 }
        }
        let digitsEnd = index
        var isInteger = true
        var hasExponent = false
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else {
                failNumber("invalid number: expected a digit after '.'", at: start, stoppedAt: index)
                return nil
            }
            while isDigit(index) { index += 1 }
            isInteger = false
        }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) {
                index += 1
            }
            guard isDigit(index) else {
                failNumber("invalid number: expected a digit in the exponent", at: start, stoppedAt: index)
                return nil
            }
            while isDigit(index) { index += 1 }
            isInteger = false
            hasExponent = true
        }
        if isInteger {
            if !fitsInInt64(digits: digitsStart..<digitsEnd, negative: negative) {
                result.wideIntegers.append(start..<index)
            }
        }
        // Only long mantissas or explicit exponents can leave the range of a double.
        if hasExponent || index - start > 300 {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            if let value = Double(text), value.isInfinite {
                fail("number \(text.count > 40 ? text.prefix(40) + "…" : Substring(text)) is too large for a double", at: start)
                return nil
            }
        }
        return index
    }

    /// A number cut short by the end of the input is reported like any other truncated text
    /// (json-c would take `1.` as complete).
    private mutating func failNumber(_ reason: String, at start: Int, stoppedAt index: Int) {
        if index < bytes.count {
            fail(reason, at: start)
        } else {
            fail("unexpected end of input", at: bytes.count)
        }
    }

    private func fitsInInt64(digits: Range<Int>, negative: Bool) -> Bool {
        if digits.count < 19 { return true }
        if digits.count > 19 { return false }
        let limit = negative ? "9223372036854775808" : "9223372036854775807"
        for (byte, limitByte) in zip(bytes[digits], limit.utf8) where byte != limitByte {
            return byte < limitByte
        }
        return true
    }

    private mutating func scanLiteral(from start: Int) -> Int? {
        let literal: StaticString
        switch bytes[start] {
        case UInt8(ascii: "t"): literal = "true"
        case UInt8(ascii: "f"): literal = "false"
        default: literal = "null"
        }
        let length = literal.utf8CodeUnitCount
        // A literal cut short by the end of the input is json-c's "unexpected end" to report.
        let available = min(length, bytes.count - start)
        for offset in 0..<available where bytes[start + offset] != literal.utf8Start[offset] {
            fail("invalid literal; expected \(literal)", at: start)
            return nil
        }
        return start + available
    }

    /// `'x'` for a printable byte, `byte 0x1F` otherwise.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16, uppercase: true)
    }
}
