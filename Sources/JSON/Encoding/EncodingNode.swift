/// A value under construction. Containers hold a reference to the node they write into, so a
/// nested container or a super encoder can keep writing after its parent has moved on.
final class EncodingNode {
    enum Kind { case empty, value, array, object }

    private(set) var kind = Kind.empty
    private(set) var value = JSONValue.null
    var elements: [EncodedChild] = []
    var members: [String: EncodedChild] = [:]

    init() {}

    func set(_ value: JSONValue) {
        kind = .value
        self.value = value
        elements = []
        members = [:]
    }

    /// Turns the node into an object, keeping the members already written if it was one.
    func becomeObject() {
        guard kind != .object else { return }
        kind = .object
        elements = []
    }

    /// Turns the node into an array, keeping the elements already written if it was one.
    func becomeArray() {
        guard kind != .array else { return }
        kind = .array
        members = [:]
    }

    /// The finished value. A node nothing was written to becomes `{}`.
    func materialize() -> JSONValue {
        switch kind {
        case .empty: return .object([:])
        case .value: return value
        case .array: return .array(elements.map { $0.materialize() })
        case .object: return .object(members.mapValues { $0.materialize() })
        }
    }
}

/// A member or element: a finished value, or a node still being written.
enum EncodedChild {
    case value(JSONValue)
    case node(EncodingNode)

    func materialize() -> JSONValue {
        switch self {
        case .value(let value): return value
        case .node(let node): return node.materialize()
        }
    }
}
