/// The properties the fuzz targets check, as plain functions from an input to the list of
/// violations it provokes (empty when all hold).
///
/// The `FuzzChecks` module is shared by the libFuzzer executables in `fuzz/Sources/fuzz-*`, which
/// abort on a violation so libFuzzer keeps the input, and by `ReliabilityTests`, which replays the
/// seed corpus and every input that ever failed (`fuzz/regressions/`) in the ordinary test run. A
/// crash inside the code under test needs no check at all: the sanitizers and the test runner
/// report it. See FUZZING.md.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case framer, json, params, server
}

/// A small deterministic generator (SplitMix64) for choices derived from an input, so every
/// run of one input makes the same choices.
struct InputRandom {
    private var state: UInt64

    init(seed bytes: some Collection<UInt8>) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A value in `0..<bound` (`bound` > 0).
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension Array where Element == UInt8 {
    /// A short printable rendering of bytes for violation messages.
    var preview: String {
        let text = String(decoding: prefix(120), as: UTF8.self)
        return "\(count) bytes: \"\(text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined())\"\(count > 120 ? "…" : "")"
    }
}
