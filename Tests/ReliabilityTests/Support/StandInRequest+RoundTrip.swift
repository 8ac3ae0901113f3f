import BackendStandIn

extension StandInRequest {
    /// A request of explain's round trip (the code rebuilt from a candidate to rank it), told
    /// apart from the proposals by its system message.
    var isRoundTrip: Bool {
        body?["messages"]?.arrayValue?.first?["content"]?.stringValue?.contains("You write code from a description") == true
    }
}
