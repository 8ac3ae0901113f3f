import Foundation
import Testing
@testable import Assistant

/// The table of keys: what applies where, and what each key accepts.
@Suite struct SettingKeyTests {
    @Test func keysApplyOnlyWhereTheyMeanSomething() {
        guard case .user = SettingKey.standing(of: "repairCheck", in: .review) else { Issue.record("repairCheck"); return }
        guard case .inapplicable(let places) = SettingKey.standing(of: "repairCheck", in: .explain) else {
            Issue.record("repairCheck in explain"); return
        }
        #expect(places == [.review])
        guard case .inapplicable = SettingKey.standing(of: "checkSyntax", in: .explain) else { Issue.record("checkSyntax"); return }
        guard case .inapplicable = SettingKey.standing(of: "wholeFunction", in: .completion) else { Issue.record("wholeFunction"); return }
        guard case .experimental = SettingKey.standing(of: "answer", in: .complete) else { Issue.record("answer"); return }
        guard case .experimental = SettingKey.standing(of: "answerMaxTokens", in: .complete) else { Issue.record("cap"); return }
        guard case .unknown = SettingKey.standing(of: "temperature", in: .explain) else { Issue.record("unknown"); return }
    }

    @Test func valuesAreCheckedWithTheKeysName() throws {
        let samples = try #require(SettingKey.named("samples"))
        #expect(throws: SettingsError("complete.samples", "must be an integer from 1 to 32 (got 0)")) {
            try samples.check(.integer(0), path: "complete.samples")
        }
        #expect(throws: SettingsError.self) { try samples.check(.string("4"), path: "samples") }
        let mode = try #require(SettingKey.named("mode"))
        #expect(throws: SettingsError.self) { try mode.check(.string("fast"), path: "mode") }
        let temperature = try #require(SettingKey.named("proposerTemperature"))
        #expect(try temperature.check(.integer(1), path: "t") == .number(1))
    }

    /// The configuration schema lists exactly the user keys of the table, per action, and no
    /// more than 40 settings in all.
    @Test func theSchemaListsTheUserKeys() throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("protocol/schemas/configuration.schema.json")
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        var leaves = 0
        for kind in ActionKindName.allCases {
            let action = try #require(properties[kind.rawValue] as? [String: Any])
            let keys = Set(try #require(action["properties"] as? [String: Any]).keys)
            #expect(keys == Set(SettingKey.all.filter { $0.actions.contains(kind) }.map(\.name)), "\(kind)")
            leaves += keys.count
        }
        let backend = try #require((properties["backend"] as? [String: Any])?["properties"] as? [String: Any])
        leaves += backend.count + SettingKey.global.count + 1  // + experimental
        #expect(Set(properties.keys) == Set(["backend", "experimental"] + SettingKey.global + ActionKindName.allCases.map(\.rawValue)))
        #expect(leaves <= 40)
    }
}
