import BackendStandIn
import Foundation
import JSON
import LSPTestSupport
import Testing

/// Backend faults seen through the real binary: each ends in a clear error reply (−32803 naming
/// the backend and what to do) within the configured timeouts, or in a degraded but correct
/// answer; the server keeps answering, and repeating the faults leaks neither descriptors,
/// threads nor connections. The HTTP client's mapping of each fault is tested in
/// `ModelBackendTests/OpenAI/FaultMappingTests`; these tests check what reaches the editor.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BackendFaultTests {
    /// A fault, the message the editor may get for it (one of these pieces), and whether the
    /// message names the backend's URL (a context overflow is about the prompt, not the server).
    static let faults: [(fault: StandInFault, says: [String], namesURL: Bool)] = [
        (.down, ["nothing answers at"], true),
        // Whether the close comes before or after the request went out.
        (.hangUp, ["nothing answers at", "closed the connection without answering"], true),
        (.unauthorized, ["HTTP 401"], true),
        (.modelNotFound, ["HTTP 404"], true),
        (.serverError, ["HTTP 500"], true),
        (.contextOverflow, ["does not fit the model's context"], false),
        (.dropMidStream, ["closed the connection"], true),
    ]

    /// The stand-in's answer to one of the proposals (seeds 100–102), not an aggregation (whose
    /// request carries no seed).
    static func isAProposal(_ markdown: JSONValue?) -> Bool {
        guard let text = markdown?.stringValue else { return false }
        return text.wholeMatch(of: /Stand-in answer [0-2] \(seed 10[0-2]\)\./) != nil
    }

    @Test func everyFaultEndsInAClearErrorAndNothingLeaks() async throws {
        let session = try await StandInSession()
        let healthy = try await session.explain()
        #expect(healthy["result"]?["stats"]?["samples"] == 3, "\(healthy.serialized())")
        var descriptors: [Int] = []
        var threads: [Int] = []
        var connections: [Int] = []
        for _ in 0..<2 {
            for (fault, says, namesURL) in Self.faults {
                try await session.standIn.setFaults([fault])
                let reply = try await session.explain()
                let message = reply["error"]?["message"]?.stringValue ?? ""
                #expect(reply["error"]?["code"] == -32803, "\(fault): \(reply.serialized())")
                #expect(says.contains { message.contains($0) }, "\(fault): \(message)")
                if namesURL { #expect(message.contains(session.standIn.url), "\(fault): \(message)") }
                try await session.standIn.setFaults([])
                let recovered = try await session.explain()
                #expect(recovered["result"]?["stats"]?["samples"] == 3, "after \(fault): \(recovered.serialized())")
            }
            // Garbage in the plain replies: the streamed draft still answers, the rest failed.
            try await session.standIn.setFaults([.garbageJSON])
            let degraded = try await session.explain()
            #expect(degraded["result"]?["stats"]?["failedSamples"] == 2, "\(degraded.serialized())")
            #expect(degraded["result"]?["stats"]?["aggregated"] == false)
            try await session.standIn.setFaults([])
            try await Task.sleep(for: .milliseconds(300))
            descriptors.append(session.openDescriptors)
            threads.append(session.server.threads ?? -1)
            connections.append(session.standIn.openConnections)
        }
        // The second round through every fault leaves things as the first did.
        #expect(descriptors[1] <= descriptors[0] + 2, "descriptors \(descriptors)")
        #expect(threads[1] <= threads[0] + 2, "threads \(threads)")
        #expect(connections[1] <= connections[0] + 1, "connections \(connections)")
        // Each failure was logged, and shown to the user.
        try await session.server.waitForLog("answered with error -32803")
        let shown = session.server.frames.filter { $0["method"] == "window/showMessage" && $0["params"]?["type"] == 1 }
        #expect(shown.count == 2 * Self.faults.count)
        try await session.finish()
    }

    @Test func aSlowFirstTokenDegradesOrTimesOut() async throws {
        let session = try await StandInSession(settings: ["backend": ["firstTokenTimeout": 1, "totalTimeout": 4]])
        _ = try await session.explain()
        // Slower than the first-token limit but within the total: the plain proposal requests
        // finish, the streamed aggregation does not start in time, and the answer is a proposal.
        try await session.standIn.setFaults([.slowFirstToken(.milliseconds(2_500))])
        let degraded = try await session.explain()
        let stats = degraded["result"]?["stats"]
        #expect(stats?["samples"] == 3, "\(degraded.serialized())")
        #expect(stats?["aggregated"] == false)
        #expect(Self.isAProposal(degraded["result"]?["markdown"]), "\(degraded.serialized())")
        // Slower than the total limit: every proposal times out, and the error says so.
        try await session.standIn.setFaults([.slowFirstToken(.seconds(6))])
        let failed = try await session.explain()
        #expect(failed["error"]?["code"] == -32803, "\(failed.serialized())")
        #expect(failed["error"]?["message"]?.stringValue?.contains("within 4 s") == true, "\(failed.serialized())")
        try await session.standIn.setFaults([])
        #expect(try await session.explain()["result"]?["stats"]?["aggregated"] == true)
        try await session.finish()
    }

    @Test func aBusyServerQueuesTheActionSaysSoAndWaits() async throws {
        // Every slot busy with other clients' work for 6 s: three times the first-token limit,
        // well within the total. The one-token capability probes wait like any request: they
        // count as unknown after the limit, the action takes the safe path and waits.
        let session = try await StandInSession(
            faults: [.busyFor(.seconds(6))], settings: ["backend": ["firstTokenTimeout": 2, "totalTimeout": 40]])
        let queued = try await session.explain()
        let stats = queued["result"]?["stats"]
        #expect(stats?["samples"] == 3, "\(queued.serialized())")
        #expect(stats?["aggregated"] == true, "\(queued.serialized())")
        try await session.server.waitForLog("waiting for the model server")
        try await session.server.waitForLog("capability probe for n got no answer")
        // Not busy, only silent: the first-token limit still applies to the streamed requests.
        try await session.standIn.setFaults([.slowFirstToken(.seconds(5))])
        let started = ContinuousClock.now
        let degraded = try await session.explain()
        #expect(degraded["result"]?["stats"]?["aggregated"] == false, "\(degraded.serialized())")
        #expect(ContinuousClock.now - started < .seconds(30))
        try await session.finish()
    }

    @Test func garbageEventsInTheStreamedAggregationFallBackToAProposal() async throws {
        // Proposals are plain replies; only the aggregation streams, so only it gets garbage.
        let session = try await StandInSession(faults: [.garbageSSE])
        let reply = try await session.explain()
        let stats = reply["result"]?["stats"]
        #expect(stats?["samples"] == 3, "\(reply.serialized())")
        #expect(stats?["aggregated"] == false)
        #expect(Self.isAProposal(reply["result"]?["markdown"]), "\(reply.serialized())")
        try await session.finish()
    }

    @Test func someProposalsFailingDegradeTheAnswer() async throws {
        // Without `n` every proposal is a request of its own, with its own seed: 100, 101, 102.
        let session = try await StandInSession(faults: [.ignoresN, .failSeeds([101])])
        let reply = try await session.explain()
        let stats = reply["result"]?["stats"]
        #expect(stats?["samples"] == 2, "\(reply.serialized())")
        #expect(stats?["failedSamples"] == 1)
        #expect(stats?["aggregated"] == true)
        // Two proposals and a synthesis, and a round trip for each of the three.
        #expect(stats?["forwardPasses"] == 6)
        // Two of three failing leave one proposal, which is the answer as it is.
        try await session.standIn.setFaults([.ignoresN, .failSeeds([100, 102])])
        let lone = try await session.explain()
        #expect(lone["result"]?["stats"]?["samples"] == 1, "\(lone.serialized())")
        #expect(lone["result"]?["stats"]?["failedSamples"] == 2)
        #expect(lone["result"]?["stats"]?["aggregated"] == false)
        #expect(lone["result"]?["markdown"]?.stringValue?.contains("seed 101") == true, "\(lone.serialized())")
        // All failing is an error that says so.
        try await session.standIn.setFaults([.ignoresN, .failSeeds([100, 101, 102])])
        let none = try await session.explain()
        #expect(none["error"]?["code"] == -32803, "\(none.serialized())")
        #expect(none["error"]?["message"]?.stringValue?.contains("HTTP 500") == true, "\(none.serialized())")
        try await session.finish()
    }

    @Test func aServerThatStopsHonouringNGetsSingleRequests() async throws {
        let session = try await StandInSession()
        _ = try await session.explain()
        // The greedy draft streams alone; the other two proposals go in one request with n = 2.
        #expect(session.generations.contains { $0.body?["n"] == 2 })
        try await session.standIn.setFaults([.ignoresN])
        session.standIn.clearRequests()
        let reply = try await session.explain()
        #expect(reply["result"]?["stats"]?["samples"] == 3, "\(reply.serialized())")
        #expect(reply["result"]?["stats"]?["failedSamples"] == 0)
        // The one `n` request gave one choice; the missing one was asked for on its own. (The
        // round trips that rank the candidates are requests of their own too.)
        let proposals = session.generations.filter { $0.isStreaming == false && !$0.isRoundTrip }
        #expect(proposals.count == 2, "\(proposals.map { $0.body?.serialized() ?? "" })")
        try await session.finish()
    }

    @Test func cancellingAWaitingCommandClosesItsBackendRequest() async throws {
        let session = try await StandInSession(settings: ["backend": ["firstTokenTimeout": 30, "totalTimeout": 60]])
        _ = try await session.explain()
        session.standIn.clearRequests()
        try await session.standIn.setFaults([.slowFirstToken(.seconds(4))])
        let id = session.sendExplain()
        // Wait until the proposals' request is at the backend, then cancel the command.
        let deadline = ContinuousClock.now + .seconds(30)
        while session.generations.isEmpty {
            if ContinuousClock.now > deadline { throw TimedOut(what: "the proposals' request at the stand-in") }
            try await Task.sleep(for: .milliseconds(10))
        }
        session.server.notify("$/cancelRequest", ["id": id])
        let reply = try await session.server.reply(to: id)
        #expect(reply["error"]?["code"] == -32800, "\(reply.serialized())")
        // The HTTP request was given up: the stand-in finds the client gone when it answers.
        let number = try #require(session.generations.first?.number)
        let gone = ContinuousClock.now + .seconds(20)
        while session.standIn.requests.first(where: { $0.number == number })?.abandoned != true {
            if ContinuousClock.now > gone { throw TimedOut(what: "the stand-in to see the request abandoned") }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(session.standIn.requests.first { $0.number == number }?.completed == false)
        #expect(session.server.replies[id]?.count == 1)
        try await session.standIn.setFaults([])
        #expect(try await session.explain()["result"] != nil)
        try await session.finish()
    }
}
