import CJSONC

extension JSONValue {
    /// The deepest nesting of arrays and objects `parse` accepts. json-c's tokenizer is iterative,
    /// but converting its tree to Swift values recurses, so hostile input is cut off here.
    public static let maximumDepth: Int32 = 256

    /// Parses one JSON text (RFC 8259) with json-c in strict mode.
    ///
    /// Leading and trailing white space is allowed; anything else after the value is an error, as
    /// are an empty input, invalid UTF-8, `NaN`/`Infinity`, raw control characters in strings,
    /// numbers too large for a double and nesting deeper than `maximumDepth`. Integers that fit in
    /// `Int64` become `.int`, all other numbers `.double`. A lone UTF-16 surrogate escape
    /// (`"\ud800"`) becomes U+FFFD. Object keys containing `\u0000` are rejected, because json-c
    /// keeps keys as C strings. When a key repeats, the last value wins.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let result =
            bytes.withContiguousStorageIfAvailable { parse(buffer: $0) }
            ?? Array(bytes).withUnsafeBufferPointer { parse(buffer: $0) }
        return try result.get()
    }

    /// Parses a JSON text given as a Swift string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        return try text.withUTF8 { parse(buffer: $0) }.get()
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JSONValue, JSONParseError> {
        guard buffer.count < Int(Int32.max) else {
            return .failure(JSONParseError(reason: "input larger than 2 GiB", offset: 0))
        }
        guard let base = buffer.baseAddress, buffer.contains(where: { !isJSONSpace($0) }) else {
            return .failure(JSONParseError(reason: "empty input", offset: buffer.count))
        }
        guard let tok = json_tokener_new_ex(maximumDepth) else {
            return .failure(JSONParseError(reason: "out of memory", offset: 0))
        }
        defer { json_tokener_free(tok) }
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)

        var object = base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
            json_tokener_parse_ex(tok, $0, Int32(buffer.count))
        }
        defer { if let object { json_object_put(object) } }
        var error = json_tokener_get_error(tok)
        var syntaxError: JSONParseError?
        if error == json_tokener_continue {
            // A top-level number or literal only ends when json-c sees what follows it, and a
            // truncated text never ends: feed the terminator json-c expects to tell them apart.
            object = json_tokener_parse_ex(tok, "", 1)
            error = json_tokener_get_error(tok)
            if error != json_tokener_success {
                syntaxError = JSONParseError(reason: "unexpected end of input", offset: buffer.count)
            }
        } else if error != json_tokener_success {
            let offset = Int(json_tokener_get_parse_end(tok))
            var reason = String(cString: json_tokener_error_desc(error))
            if error == json_tokener_error_parse_unexpected && offset < buffer.count {
                reason += " " + JSONStrictScanner.describe(buffer[offset])
            }
            syntaxError = JSONParseError(reason: reason, offset: offset)
        } else {
            let end = Int(json_tokener_get_parse_end(tok))
            if let extra = buffer[end...].firstIndex(where: { !isJSONSpace($0) }) {
                syntaxError = JSONParseError(reason: "unexpected data after the value", offset: extra)
            }
        }

        // json-c's strict mode is not strict enough: check the tokens too and report whichever
        // error comes first.
        let scan = JSONStrictScanner.scan(buffer)
        if let tokenError = scan.error {
            if let syntaxError,
                syntaxError.offset < tokenError.offset || (syntaxError.offset == tokenError.offset && !scan.errorIsNUL)
            {
                return .failure(syntaxError)
            }
            return .failure(tokenError)
        }
        if let syntaxError { return .failure(syntaxError) }

        if !scan.wideIntegers.isEmpty {
            // json-c clamps them; rewritten as `123….0` they are read as doubles instead.
            var widened: [UInt8] = []
            widened.reserveCapacity(buffer.count + 2 * scan.wideIntegers.count)
            var copied = 0
            for range in scan.wideIntegers {
                widened.append(contentsOf: buffer[copied..<range.upperBound])
                widened.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
                copied = range.upperBound
            }
            widened.append(contentsOf: buffer[copied...])
            return widened.withUnsafeBufferPointer { parse(buffer: $0) }
        }
        return .success(convert(object))
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Copies a json-c tree into Swift values. The tokenizer's depth limit bounds the recursion,
    /// and the scanner has already validated every string.
    private static func convert(_ object: OpaquePointer?) -> JSONValue {
        guard let object else { return .null }
        switch json_object_get_type(object) {
        case json_type_null:
            return .null
        case json_type_boolean:
            return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            // json-c keeps positive values above Int64.max as unsigned; the parser rewrites those
            // as doubles before json-c sees them, so this is only a safety net.
            let signed = json_object_get_int64(object)
            if signed == Int64.max {
                let unsigned = json_object_get_uint64(object)
                if unsigned > UInt64(Int64.max) { return .double(Double(unsigned)) }
            }
            return .int(signed)
        case json_type_double:
            return .double(json_object_get_double(object))
        case json_type_string:
            let length = Int(json_object_get_string_len(object))
            guard let pointer = json_object_get_string(object) else { return .string("") }
            let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
            return .string(String(decoding: buffer, as: UTF8.self))
        case json_type_array:
            let count = json_object_array_length(object)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count {
                elements.append(convert(json_object_array_get_idx(object, index)))
            }
            return .array(elements)
        case json_type_object:
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(Int(json_object_object_length(object)))
            var iterator = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iterator, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&iterator))
                members[key] = convert(json_object_iter_peek_value(&iterator))
                json_object_iter_next(&iterator)
            }
            return .object(members)
        default:
            return .null
        }
    }

    /// Serialises compactly with json-c: no white space, `/` unescaped, object keys sorted by
    /// code point so the output is deterministic, doubles in their shortest form that reads back
    /// exactly (`0.1`, `1e+100`). Non-finite doubles, which JSON cannot express, become `null`.
    /// json-c keeps keys as C strings, so a U+0000 inside a key is written as U+FFFD.
    public func serialized() -> String {
        String(decoding: serializedBytes(), as: UTF8.self)
    }

    /// The compact serialisation as UTF-8 bytes.
    public func serializedBytes() -> [UInt8] {
        let object = makeJSONC()
        defer { if let object { json_object_put(object) } }
        guard let object else { return Array("null".utf8) }
        var length = 0
        let flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE
        guard let text = json_object_to_json_string_length(object, flags, &length) else {
            return Array("null".utf8)
        }
        return Array(UnsafeRawBufferPointer(start: text, count: length))
    }

    /// Builds a json-c object tree; the caller owns the returned reference.
    private func makeJSONC() -> OpaquePointer? {
        switch self {
        case .null:
            return nil
        case .bool(let value):
            return json_object_new_boolean(value ? 1 : 0)
        case .int(let value):
            return json_object_new_int64(value)
        case .double(let value):
            guard value.isFinite else { return nil }
            // Swift's description is the shortest text that reads back as the same double, and
            // always valid JSON for finite values ("0.1", "5.0", "1e-07", "-0.0").
            return "\(value)".withCString { json_object_new_double_s(value, $0) }
        case .string(let value):
            var copy = value
            return copy.withUTF8 { buf in
                guard let base = buf.baseAddress else { return json_object_new_string("") }
                return base.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    json_object_new_string_len($0, Int32(clamping: buf.count))
                }
            }
        case .array(let elements):
            let array = json_object_new_array_ext(Int32(clamping: elements.count))
            for element in elements {
                json_object_array_add(array, element.makeJSONC())
            }
            return array
        case .object(let members):
            let object = json_object_new_object()
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for key in keys {
                let value = members[key].unsafelyUnwrapped.makeJSONC()
                if key.utf8.contains(0) {
                    var scalars = String.UnicodeScalarView()
                    scalars.append(contentsOf: key.unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : $0 })
                    json_object_object_add(object, String(scalars), value)
                } else {
                    json_object_object_add(object, key, value)
                }
            }
            return object
        }
    }
}
