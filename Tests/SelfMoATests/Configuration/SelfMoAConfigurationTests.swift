import ModelBackend
import Foundation
import Testing
@testable import SelfMoA

@Suite struct SelfMoAConfigurationTests {
    @Test func defaultsFollowThePaper() {
        let configuration = SelfMoAConfiguration()
        #expect(configuration.proposals == 6)
        #expect(configuration.proposerTemperature == 0.7)
        #expect(configuration.aggregatorTemperature == 0)
        #expect(configuration.mode == .auto)
        #expect(configuration.prefixReuse)
        #expect(configuration.proposerModels.isEmpty)
        #expect(configuration.aggregatorModel == nil)
        #expect(SeqConfiguration.paperWindow == 6 && SeqConfiguration.paperReserved == 3)
    }

    @Test func decodesPartialJSONOverDefaults() throws {
        let json = #"{"proposals": 12, "mode": "seq", "seq": {"window": 5}, "proposerModels": ["a", "b"], "aggregation": "consensus", "extra": 1}"#
        let configuration = try JSONDecoder().decode(SelfMoAConfiguration.self, from: Data(json.utf8))
        #expect(configuration.proposals == 12)
        #expect(configuration.mode == .seq)
        #expect(configuration.seq == SeqConfiguration(window: 5, reserved: nil))
        #expect(configuration.proposerModels == ["a", "b"])
        #expect(configuration.proposerTemperature == 0.7)
        #expect(configuration.prefixReuse)
        #expect(configuration.aggregation == .consensus)
        let empty = try JSONDecoder().decode(SelfMoAConfiguration.self, from: Data("{}".utf8))
        #expect(empty == SelfMoAConfiguration())
    }

    @Test func roundTripsThroughJSON() throws {
        let configuration = SelfMoAConfiguration(
            proposals: 4, seed: 7, mode: .selfMoA, seq: SeqConfiguration(window: 6, reserved: 3), prefixReuse: false,
            aggregatorModel: "judge"
        )
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(SelfMoAConfiguration.self, from: data) == configuration)
        #expect(String(decoding: data, as: UTF8.self).contains(#""mode":"selfmoa""#))
    }

    @Test func rejectsAnUnknownMode() {
        #expect(throws: DecodingError.self) {
            _ = try JSONDecoder().decode(SelfMoAConfiguration.self, from: Data(#"{"mode": "sometimes"}"#.utf8))
        }
    }

    @Test(arguments: [
        SelfMoAConfiguration(proposals: 0),
        SelfMoAConfiguration(proposerTemperature: -1),
        SelfMoAConfiguration(proposalMaxTokens: 0),
        SelfMoAConfiguration(seq: SeqConfiguration(window: 2)),
        SelfMoAConfiguration(seq: SeqConfiguration(window: 5, reserved: 4)),
        SelfMoAConfiguration(seq: SeqConfiguration(reserved: 0)),
        SelfMoAConfiguration(proposerModels: ["a", ""]),
    ])
    func rejectsOutOfRangeValues(_ configuration: SelfMoAConfiguration) {
        #expect(throws: SelfMoAError(.invalidConfiguration, "")) { try configuration.validate() }
    }

    @Test func acceptsTheDefaultsAndThePapersWindow() throws {
        try SelfMoAConfiguration().validate()
        try SelfMoAConfiguration(mode: .seq, seq: SeqConfiguration(window: 6, reserved: 3)).validate()
    }

    @Test func reservedDefaultsToHalfTheWindow() {
        #expect(SeqConfiguration().reserved(forWindow: 6) == 3)
        #expect(SeqConfiguration().reserved(forWindow: 3) == 1)
        #expect(SeqConfiguration().reserved(forWindow: 10) == 5)
        #expect(SeqConfiguration(reserved: 3).reserved(forWindow: 4) == 2)
    }
}
