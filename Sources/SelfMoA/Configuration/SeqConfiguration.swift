/// The sliding window of Self-MoA-Seq.
///
/// `nil` means "choose": in `auto` mode the window is the largest that fits the aggregator's
/// context and `reserved` is half of it (the paper's 3 of 6); in `seq` mode the paper's 6 and 3.
/// A value set here overrides the choice.
public struct SeqConfiguration: Sendable, Hashable, Codable {
    /// The paper's window: 6 slots.
    public static let paperWindow = 6
    /// The paper's share of the window holding the current synthesis: 3 copies.
    public static let paperReserved = 3

    /// Slots per aggregation step (at least 3).
    public var window: Int?
    /// Slots holding copies of the current synthesis (at least 1, at most `window - 2`).
    public var reserved: Int?

    public init(window: Int? = nil, reserved: Int? = nil) {
        self.window = window
        self.reserved = reserved
    }

    /// The synthesis copies for a window of `window` slots: the configured value or half the
    /// window, clamped so at least one copy and two new proposals fit.
    public func reserved(forWindow window: Int) -> Int {
        let wanted = reserved ?? window / 2
        return min(max(wanted, 1), max(window - 2, 1))
    }
}
