/// How proposals are aggregated: the mode that runs and its window.
public struct AggregationShape: Sendable, Hashable {
    /// `selfMoA`, `seq` or `single`; never `auto`.
    public var mode: SelfMoAMode
    /// Candidates per aggregation step: N for one-shot Self-MoA, the Seq window, 0 for single.
    public var window: Int
    /// Slots holding the current synthesis in Seq steps after the first; 0 otherwise.
    public var reserved: Int

    public init(mode: SelfMoAMode, window: Int, reserved: Int) {
        self.mode = mode
        self.window = window
        self.reserved = reserved
    }

    public static let single = AggregationShape(mode: .single, window: 0, reserved: 0)

    public static func selfMoA(proposals: Int) -> AggregationShape {
        AggregationShape(mode: .selfMoA, window: proposals, reserved: 0)
    }

    public static func seq(window: Int, reserved: Int) -> AggregationShape {
        AggregationShape(mode: .seq, window: window, reserved: reserved)
    }

    /// The proposal indices sampled per round: the first window, then `window - reserved` at a
    /// time, so each round feeds one aggregation step. Empty for `single`.
    public func rounds(proposals: Int) -> [Range<Int>] {
        switch mode {
        case .single, .auto:
            return []
        case .selfMoA:
            return [0..<proposals]
        case .seq:
            var rounds = [0..<min(window, proposals)]
            let stride = max(window - reserved, 1)
            var next = rounds[0].upperBound
            while next < proposals {
                rounds.append(next..<min(next + stride, proposals))
                next += stride
            }
            return rounds
        }
    }
}
