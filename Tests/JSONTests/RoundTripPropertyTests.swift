import Testing
import JSON

@Suite struct RoundTripPropertyTests {
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func parsingTheSerialisationGivesTheValueBack(seed: UInt64) throws {
        var generator = JSONValueGenerator(seed: seed)
        for index in 0..<500 {
            let value = generator.value()
            let bytes = value.serializedBytes()
            let parsed: JSONValue
            do {
                parsed = try JSONValue.parse(bytes)
            } catch {
                Issue.record("seed \(seed) case \(index): \(error) in \(String(decoding: bytes, as: UTF8.self))")
                continue
            }
            #expect(parsed == value, "seed \(seed) case \(index)")
            // The text is canonical: serialising again gives the same bytes.
            #expect(parsed.serializedBytes() == bytes, "seed \(seed) case \(index)")
        }
    }

    @Test func codableValuesSurviveBytes() throws {
        var generator = JSONValueGenerator(seed: 99)
        var random = SplitMix64(seed: 7)
        for index in 0..<300 {
            func position() -> Position {
                Position(line: Int(generator.integer() & 0xFFFF), character: Int.random(in: 0...200, using: &random))
            }
            let data = generator.value(maximumDepth: 2)
            let diagnostic = Diagnostic(
                range: Range(start: position(), end: position()),
                severity: [nil, .error, .warning, .information, .hint].randomElement(using: &random)!,
                code: Bool.random(using: &random) ? generator.string(allowingNUL: true) : nil,
                message: generator.string(allowingNUL: true),
                tags: Bool.random(using: &random) ? (0..<Int.random(in: 0...3, using: &random)).map { _ in Int(generator.integer()) } : nil,
                // `null` and a missing member both read back as nil.
                data: data.isNull ? JSONValue?.none : data
            )
            let bytes = try JSONValueEncoder().encodeToBytes(diagnostic)
            let decoded = try JSONValueDecoder().decode(Diagnostic.self, fromJSON: bytes)
            #expect(decoded == diagnostic, "case \(index): \(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
