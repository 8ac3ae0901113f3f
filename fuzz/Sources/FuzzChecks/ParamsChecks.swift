import JSON
import LanguageServer

/// Properties of what the server does with params before any model is involved.
///
/// Inputs starting with an even byte are JSON: decoded as every params type the server reads and
/// as settings. Decoding never crashes, an error always has a readable description, and what
/// decodes re-encodes to JSON that decodes and re-encodes to the same JSON. Merging settings twice
/// is the same as merging them once.
///
/// Inputs starting with an odd byte are a document and a list of edits: applied with
/// `TextDocument.apply` they give the same bytes as a reference that converts positions through
/// Swift's own Unicode views (clamping as the contract says), the incrementally updated line
/// index equals one rebuilt from scratch, and positions and offsets convert back and forth.
public enum ParamsChecks {
    public static func check(_ data: [UInt8]) -> [String] {
        guard let first = data.first else { return [] }
        if first % 2 == 0 {
            guard let value = try? JSONValue.parse(data.dropFirst()) else { return [] }
            return checkParams(value)
        }
        return checkEdits(Array(data.dropFirst()))
    }

    // MARK: Params

    static func checkParams(_ value: JSONValue) -> [String] {
        var violations: [String] = []
        roundTrip(InitializeParams.self, value, &violations)
        roundTrip(CodeActionParams.self, value, &violations)
        roundTrip(CodeAction.self, value, &violations)
        roundTrip(ExecuteCommandParams.self, value, &violations)
        roundTrip(ActionArguments.self, value, &violations)
        roundTrip(TextDocumentPositionParams.self, value, &violations)
        roundTrip(DidOpenTextDocumentParams.self, value, &violations)
        roundTrip(DidChangeTextDocumentParams.self, value, &violations)
        roundTrip(DidCloseTextDocumentParams.self, value, &violations)
        roundTrip(DidSaveTextDocumentParams.self, value, &violations)
        roundTrip(DidChangeConfigurationParams.self, value, &violations)
        roundTrip(WorkDoneProgressCancelParams.self, value, &violations)
        let capabilities = ClientCapabilities(value)
        _ = (capabilities.positionEncodings, capabilities.selfmoaResults, capabilities.selfmoaAsk)

        var once = ServerSettings()
        if (try? once.merge(value)) != nil {
            var twice = once
            if (try? twice.merge(value)) == nil || twice != once {
                violations.append("settings: merging the same settings twice differs from once: \(value.serialized().prefix(200))")
            }
        }
        return violations
    }

    private static func roundTrip<T: Codable>(_ type: T.Type, _ value: JSONValue, _ violations: inout [String]) {
        let decoded: T
        do {
            decoded = try JSONValueDecoder().decode(T.self, from: value)
        } catch let error as DecodingError {
            if error.humanDescription.isEmpty { violations.append("\(T.self): a decoding error without a description") }
            return
        } catch {
            violations.append("\(T.self): decoding threw a non-DecodingError \(error)")
            return
        }
        do {
            let encoded = try JSONValueEncoder().encode(decoded)
            let again = try JSONValueEncoder().encode(try JSONValueDecoder().decode(T.self, from: encoded))
            if again != encoded {
                violations.append("\(T.self): re-encoding is not stable: \(encoded.serialized().prefix(200)) vs \(again.serialized().prefix(200))")
            }
        } catch {
            violations.append("\(T.self): what decoded does not re-encode and decode: \(error)")
        }
    }

    // MARK: Edits

    static func checkEdits(_ data: [UInt8]) -> [String] {
        let segments = data.split(separator: 0xFE, omittingEmptySubsequences: false)
        var document = TextDocument(uri: "file:///fuzz.txt", languageId: "plaintext", version: 0, text: String(decoding: segments[0], as: UTF8.self))
        var reference = document.bytes
        var violations: [String] = []
        for segment in segments.dropFirst().prefix(64) {
            let edit = Array(segment)
            guard edit.count >= 5 else { continue }
            let encoding: PositionEncoding = [.utf8, .utf16, .utf32][Int(edit[4] % 3)]
            let range = LSPRange(
                start: Position(line: coordinate(edit[0]), character: coordinate(edit[1])),
                end: Position(line: coordinate(edit[2]), character: coordinate(edit[3])))
            let text = String(decoding: edit[5...], as: UTF8.self)
            let a = referenceOffset(reference, range.start, encoding)
            let b = referenceOffset(reference, range.end, encoding)
            let expectedRange = min(a, b)..<max(a, b)
            let actualRange = document.byteRange(of: range, encoding: encoding)
            if actualRange != expectedRange {
                violations.append("edits: \(range) in \(encoding) maps to \(actualRange), the reference says \(expectedRange)")
                return violations
            }
            reference.replaceSubrange(expectedRange, with: Array(text.utf8))
            document.apply(range: range, text: text, encoding: encoding)
            if document.bytes != reference {
                violations.append("edits: the text differs from the reference after \(range)")
                return violations
            }
            if document.lines != LineIndex(document.bytes) {
                violations.append("edits: the line index differs from a rebuilt one after \(range) in \(encoding)")
                return violations
            }
            violations += checkConversions(document, encoding)
            if !violations.isEmpty { return violations }
        }
        return violations
    }

    /// A coordinate from one byte: mostly small, sometimes negative or huge.
    private static func coordinate(_ byte: UInt8) -> Int {
        switch byte {
        case 0xFF: return Int.max
        case 0xFD: return -1
        case 0xFC: return Int(Int32.max)
        default: return Int(byte % 24)
        }
    }

    /// Every scalar boundary inside a line's content survives offset → position → offset.
    private static func checkConversions(_ document: TextDocument, _ encoding: PositionEncoding) -> [String] {
        let bytes = document.bytes
        for line in 0..<min(document.lines.lineCount, 40) {
            let content = document.contentRange(ofLine: line)
            var offset = content.lowerBound
            while true {
                let position = document.position(of: offset, encoding: encoding)
                if position.line != line || document.offset(of: position, encoding: encoding) != offset {
                    return ["edits: offset \(offset) → \(position) → \(document.offset(of: position, encoding: encoding)) in \(encoding)"]
                }
                if offset >= content.upperBound { break }
                offset += scalarLength(bytes, offset)
            }
        }
        return []
    }

    private static func scalarLength(_ bytes: [UInt8], _ offset: Int) -> Int {
        var length = 1
        while offset + length < bytes.count && bytes[offset + length] & 0xC0 == 0x80 { length += 1 }
        return length
    }

    /// The contract's clamping, written against Swift's Unicode views rather than byte arithmetic.
    static func referenceOffset(_ bytes: [UInt8], _ position: Position, _ encoding: PositionEncoding) -> Int {
        if position.line < 0 { return 0 }
        var lineStarts = [0]
        for (index, byte) in bytes.enumerated() where byte == 0x0A { lineStarts.append(index + 1) }
        if position.line >= lineStarts.count { return bytes.count }
        let start = lineStarts[position.line]
        var end = position.line + 1 < lineStarts.count ? lineStarts[position.line + 1] - 1 : bytes.count
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        let content = String(decoding: bytes[start..<end], as: UTF8.self)
        var remaining = max(0, position.character)
        var offset = start
        for scalar in content.unicodeScalars {
            let units: Int
            switch encoding {
            case .utf8: units = scalar.utf8.count
            case .utf16: units = scalar.utf16.count
            case .utf32: units = 1
            }
            if units > remaining { break }
            remaining -= units
            offset += scalar.utf8.count
        }
        return offset
    }
}
