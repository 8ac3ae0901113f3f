/// The Self-MoA-Seq window as a value: proposals arrive round by round; each window holds the
/// current synthesis `reserved` times, then the proposals not yet aggregated. The first window
/// (no synthesis yet) needs two proposals; a lone proposal waits for the next round. Every
/// proposal lands in exactly one window. With `reserved` 0 and one round this is one-shot
/// Self-MoA.
struct SeqWindows: Sendable {
    let reserved: Int
    private(set) var synthesis: String?
    private(set) var pending: [Proposal] = []

    init(reserved: Int) {
        self.reserved = reserved
    }

    mutating func add(_ proposals: [Proposal]) {
        pending += proposals
    }

    /// The next window's candidate texts, removing its proposals from `pending`; `nil` when it
    /// must wait for more proposals.
    mutating func takeWindow() -> [String]? {
        if let synthesis {
            guard !pending.isEmpty else { return nil }
            defer { pending = [] }
            return Array(repeating: synthesis, count: max(reserved, 1)) + pending.map(\.text)
        }
        guard pending.count >= 2 else { return nil }
        defer { pending = [] }
        return pending.map(\.text)
    }

    mutating func synthesised(_ text: String) {
        synthesis = text
    }
}
