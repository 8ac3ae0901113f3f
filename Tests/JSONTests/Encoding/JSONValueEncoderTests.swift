import Foundation
import Testing
import JSON

/// Writes through every container kind by hand: nested keyed and unkeyed containers, super
/// encoders in both kinds of containers, explicit nulls.
private final class Shape: Codable, Equatable {
    var name: String
    var points: [[Int]]
    var extra: [String: Int]

    init(name: String, points: [[Int]], extra: [String: Int]) {
        self.name = name
        self.points = points
        self.extra = extra
    }

    enum Keys: String, CodingKey { case name, geometry, points, extra, nothing }
    enum ExtraKeys: CodingKey {
        case dynamic(String)
        var stringValue: String { if case .dynamic(let s) = self { return s } else { return "" } }
        init?(stringValue: String) { self = .dynamic(stringValue) }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(name, forKey: .name)
        try container.encodeNil(forKey: .nothing)
        var geometry = container.nestedContainer(keyedBy: Keys.self, forKey: .geometry)
        var points = geometry.nestedUnkeyedContainer(forKey: .points)
        for point in self.points {
            var pair = points.nestedUnkeyedContainer()
            for coordinate in point { try pair.encode(coordinate) }
        }
        var extras = container.nestedContainer(keyedBy: ExtraKeys.self, forKey: .extra)
        for (key, value) in extra { try extras.encode(value, forKey: .dynamic(key)) }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        name = try container.decode(String.self, forKey: .name)
        #expect(try container.decodeNil(forKey: .nothing))
        let geometry = try container.nestedContainer(keyedBy: Keys.self, forKey: .geometry)
        var points = try geometry.nestedUnkeyedContainer(forKey: .points)
        var all: [[Int]] = []
        while !points.isAtEnd {
            var pair = try points.nestedUnkeyedContainer()
            var point: [Int] = []
            while !pair.isAtEnd { point.append(try pair.decode(Int.self)) }
            all.append(point)
        }
        self.points = all
        let extras = try container.nestedContainer(keyedBy: ExtraKeys.self, forKey: .extra)
        var extra: [String: Int] = [:]
        for key in extras.allKeys { extra[key.stringValue] = try extras.decode(Int.self, forKey: key) }
        self.extra = extra
    }

    static func == (a: Shape, b: Shape) -> Bool { a.name == b.name && a.points == b.points && a.extra == b.extra }
}

/// A subclass that keeps its superclass's encoding under `super`, and its own list in an
/// unkeyed container whose last element is a super encoder.
private final class Labelled: Codable, Equatable {
    var base: Shape
    var labels: [String]

    init(base: Shape, labels: [String]) {
        self.base = base
        self.labels = labels
    }

    enum Keys: CodingKey { case labels, custom }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try base.encode(to: container.superEncoder())
        try base.encode(to: container.superEncoder(forKey: .custom))
        var list = container.nestedUnkeyedContainer(forKey: .labels)
        for label in labels { try list.encode(label) }
        try list.encodeNil()
        try base.name.encode(to: list.superEncoder())
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        base = try Shape(from: container.superDecoder())
        #expect(try Shape(from: container.superDecoder(forKey: .custom)) == base)
        var list = try container.nestedUnkeyedContainer(forKey: .labels)
        var labels: [String] = []
        while try !list.decodeNil() { labels.append(try list.decode(String.self)) }
        #expect(try String(from: list.superDecoder()) == base.name)
        #expect(list.isAtEnd)
        self.labels = labels
    }

    static func == (a: Labelled, b: Labelled) -> Bool { a.base == b.base && a.labels == b.labels }
}

private struct Optionals: Codable, Equatable {
    var present: Int?
    var absent: String?
    var raw: JSONValue?
    var explicitNull: JSONValue?
}

private struct Numbers: Encodable {
    var values: [Double]
}

private struct Big: Encodable {
    var id: UInt64
}

private struct Nothing: Encodable {
    func encode(to encoder: any Encoder) throws {}
}

private struct EmptyInside: Encodable {
    var inner = Nothing()
}

private struct Link: Codable, Equatable {
    var target: URL
}

private struct UsesUserInfo: Encodable {
    static let key = CodingUserInfoKey(rawValue: "prefix")!
    var name: String
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode((encoder.userInfo[Self.key] as? String ?? "") + name)
    }
}

@Suite struct JSONValueEncoderTests {
    @Test func encodesAnLSPStructure() throws {
        let value = try JSONValueEncoder().encode(CodeActionParams.sample)
        #expect(value["textDocument"] == ["uri": "file:///home/me/a b/main.swift"])
        #expect(value["range"]?["end"] == ["line": 3, "character": 4])
        #expect(value["only"] == ["quickfix", "refactor"])
        #expect(value["ratio"] == .double(0.1))
        #expect(value["smallRatio"] == .double(0.25))
        #expect(value["raw"] == ["id": 7, "list": [true, false, nil], "deep": ["x": ["y": "z"]]])
        #expect(value["nested"] == [[nil, ["line": 1, "character": 1]], []])
        #expect(value["counts"] == ["x": [], "y": [.int(.max), .int(.min), 0]])
        let diagnostics = try #require(value["diagnostics"]?.arrayValue)
        #expect(diagnostics[0]["severity"] == 2)
        #expect(diagnostics[0]["data"] == ["fix": ["a", 1, nil, 2.5]])
        // nil optionals are left out, not written as null.
        #expect(diagnostics[0].objectValue?.keys.sorted() == ["data", "message", "range", "severity", "tags"])
        #expect(diagnostics[1].objectValue?.keys.sorted() == ["code", "message", "range"])
    }

    @Test func nilOptionalsAreOmittedAndRawValuesEmbedded() throws {
        let value = try JSONValueEncoder().encode(Optionals(present: 1, absent: nil, raw: ["a": [1]], explicitNull: .null))
        #expect(value == ["present": 1, "raw": ["a": [1]], "explicitNull": nil])
    }

    @Test func encodeToBytesIsCompactAndSorted() throws {
        let bytes = try JSONValueEncoder().encodeToBytes(
            Diagnostic(
                range: Range(start: Position(line: 1, character: 2), end: Position(line: 1, character: 3)),
                severity: .error, code: nil, message: "a/b", tags: nil, data: nil
            )
        )
        #expect(String(decoding: bytes, as: UTF8.self)
            == #"{"message":"a/b","range":{"end":{"character":3,"line":1},"start":{"character":2,"line":1}},"severity":1}"#)
    }

    @Test func everyContainerKindAndSuperEncoders() throws {
        let shape = Shape(name: "tri", points: [[0, 0], [1, 0], []], extra: ["a.b": 1, "c": 2])
        let labelled = Labelled(base: shape, labels: ["x", "y"])
        let value = try JSONValueEncoder().encode(labelled)
        let shapeValue: JSONValue = [
            "name": "tri", "nothing": nil, "geometry": ["points": [[0, 0], [1, 0], []]], "extra": ["a.b": 1, "c": 2],
        ]
        #expect(value == ["super": shapeValue, "custom": shapeValue, "labels": ["x", "y", nil, "tri"]])
        #expect(try JSONValueDecoder().decode(Labelled.self, from: value) == labelled)
    }

    @Test func topLevelScalarsAndCollections() throws {
        let encoder = JSONValueEncoder()
        #expect(try encoder.encode("s") == "s")
        #expect(try encoder.encode(3) == 3)
        #expect(try encoder.encode(UInt8(200)) == 200)
        #expect(try encoder.encode(Int8(-5)) == -5)
        #expect(try encoder.encode(true) == true)
        #expect(try encoder.encode(Optional<Int>.none) == nil)
        #expect(try encoder.encode([1, 2]) == [1, 2])
        #expect(try encoder.encode(["b": 1]) == ["b": 1])
        #expect(try encoder.encode([3: "x"]) == ["3": "x"])
        #expect(try encoder.encode(JSONValue.array([nil])) == [nil])
        #expect(try encoder.encode(Float(0.1)) == .double(0.1))
        #expect(try encoder.encode([Float(1.5)]) == [.double(1.5)])
    }

    @Test func enumsWithPayloadsUseNestedContainers() throws {
        let value = try JSONValueEncoder().encode([Edit.insert(at: Position(line: 1, character: 2), text: "t"), .nothing])
        #expect(value == [["insert": ["at": ["line": 1, "character": 2], "text": "t"]], ["nothing": [:]]])
    }

    @Test func urlsAreWrittenAsStrings() throws {
        let link = Link(target: URL(string: "file:///tmp/a%20b.swift")!)
        let value = try JSONValueEncoder().encode(link)
        #expect(value == ["target": "file:///tmp/a%20b.swift"])
        #expect(try JSONValueDecoder().decode(Link.self, from: value) == link)
    }

    @Test func nonFiniteDoublesAreErrorsWithTheirPath() {
        do {
            _ = try JSONValueEncoder().encode(Numbers(values: [1, 2, .nan]))
            Issue.record("encoded NaN")
        } catch let error as EncodingError {
            #expect(error.humanDescription == "values[2]: nan cannot be written in JSON")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Float.infinity) }
    }

    @Test func integersBeyondInt64AreErrors() throws {
        do {
            _ = try JSONValueEncoder().encode(Big(id: .max))
            Issue.record("encoded UInt64.max")
        } catch let error as EncodingError {
            #expect(error.humanDescription == "id: UInt64 value 18446744073709551615 does not fit in a 64-bit signed integer")
        } catch {
            Issue.record("unexpected \(error)")
        }
        #expect(try JSONValueEncoder().encode(Big(id: UInt64(Int64.max))) == ["id": .int(.max)])
    }

    @Test func aTopLevelValueThatWritesNothingIsAnError() throws {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(Nothing()) }
        #expect(try JSONValueEncoder().encode(EmptyInside()) == ["inner": [:]])
    }

    @Test func userInfoReachesEncodableTypes() throws {
        var encoder = JSONValueEncoder()
        encoder.userInfo[UsesUserInfo.key] = "p-"
        #expect(try encoder.encode([UsesUserInfo(name: "a")]) == ["p-a"])
    }
}
