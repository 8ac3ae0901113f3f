import CJSONC

extension JSONValue {
    /// The deepest nesting of arrays and objects `parse` accepts. json-c's tokenizer is iterative,
    /// but converting its tree to Swift values recurses, so hostile input is cut off here.
    public static let maximumDepth: Int32 = 256

    /// Parses one JSON text (RFC 8259) with json-c in strict mode, validating UTF-8.
    ///
    /// Leading and trailing white space is allowed; anything else after the value is an error.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        let array = Array(bytes)
        guard let tok = json_tokener_new_ex(maximumDepth) else {
            throw JSONParseError(reason: "out of memory", offset: 0)
        }
        defer { json_tokener_free(tok) }
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8)
        // json-c reads a length-bounded buffer; an empty one means "no value".
        guard !array.isEmpty, array.contains(where: { !isJSONSpace($0) }) else {
            throw JSONParseError(reason: "empty input", offset: 0)
        }
        let object: OpaquePointer? = array.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                json_tokener_parse_ex(tok, $0, Int32(clamping: buf.count))
            }
        }
        let error = json_tokener_get_error(tok)
        let end = Int(json_tokener_get_parse_end(tok))
        if error != json_tokener_success {
            if let object { json_object_put(object) }
            let reason: String
            if error == json_tokener_continue {
                reason = "unexpected end of input"
            } else {
                reason = String(cString: json_tokener_error_desc(error))
            }
            throw JSONParseError(reason: reason, offset: error == json_tokener_continue ? array.count : end)
        }
        defer { if let object { json_object_put(object) } }
        if let extra = array[end...].firstIndex(where: { !isJSONSpace($0) }) {
            throw JSONParseError(reason: "unexpected data after the value", offset: extra)
        }
        return try convert(object, depth: 0)
    }

    /// Parses a JSON text given as a Swift string.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private static func isJSONSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func convert(_ object: OpaquePointer?, depth: Int) throws(JSONParseError) -> JSONValue {
        guard let object else { return .null }
        if depth > maximumDepth {
            throw JSONParseError(reason: "nesting deeper than \(maximumDepth)", offset: 0)
        }
        switch json_object_get_type(object) {
        case json_type_null:
            return .null
        case json_type_boolean:
            return .bool(json_object_get_boolean(object) != 0)
        case json_type_int:
            // json-c keeps positive values above Int64.max as unsigned.
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
                elements.append(try convert(json_object_array_get_idx(object, index), depth: depth + 1))
            }
            return .array(elements)
        case json_type_object:
            var members: [String: JSONValue] = [:]
            var iterator = json_object_iter_begin(object)
            var end = json_object_iter_end(object)
            while json_object_iter_equal(&iterator, &end) == 0 {
                let key = String(cString: json_object_iter_peek_name(&iterator))
                members[key] = try convert(json_object_iter_peek_value(&iterator), depth: depth + 1)
                json_object_iter_next(&iterator)
            }
            return .object(members)
        default:
            return .null
        }
    }

    /// Serialises compactly with json-c: no white space, `/` unescaped, object keys sorted so the
    /// output is deterministic. Non-finite doubles, which JSON cannot express, become `null`.
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
            // Swift's description is the shortest text that reads back as the same double.
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
            for key in members.keys.sorted() {
                json_object_object_add(object, key, members[key]!.makeJSONC())
            }
            return object
        }
    }
}
