/// One problem a review found, on whole lines of the document.
public struct Finding: Sendable, Hashable, Codable {
    /// How serious a finding is (the LSP diagnostic severities).
    public enum Severity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
        case error, warning, info, hint

        /// Ordered by how serious: `hint < info < warning < error`.
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

        private var rank: Int {
            switch self {
            case .error: return 3
            case .warning: return 2
            case .info: return 1
            case .hint: return 0
            }
        }
    }

    /// First line, 0-based.
    public var startLine: Int
    /// Last line, 0-based, inclusive.
    public var endLine: Int
    public var severity: Severity
    public var message: String
    /// Replaces the whole lines `startLine...endLine` (their text without the final newline).
    public var replacement: String?

    public init(startLine: Int, endLine: Int, severity: Severity, message: String, replacement: String? = nil) {
        self.startLine = startLine
        self.endLine = endLine
        self.severity = severity
        self.message = message
        self.replacement = replacement
    }

    /// The lines, 0-based.
    public var lines: ClosedRange<Int> { startLine...endLine }
}
