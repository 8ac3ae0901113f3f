import JSON
import JSONRPC
import LanguageServer
import LSPTestSupport
import Testing

@Suite struct LifecycleTests {
    @Test func stateMachine() {
        var lifecycle = Lifecycle()
        #expect(lifecycle.admit(request: "textDocument/codeAction") == .rejectNotInitialized)
        #expect(lifecycle.admit(request: "initialize") == .accept)
        #expect(!lifecycle.admit(notification: "textDocument/didOpen"))
        #expect(lifecycle.admit(notification: "exit"))
        #expect(lifecycle.exitCode == 1)
        lifecycle.initialized()
        #expect(lifecycle.admit(request: "initialize") == .rejectAlreadyInitialized)
        #expect(lifecycle.admit(request: "shutdown") == .accept)
        lifecycle.shutdown()
        #expect(lifecycle.admit(request: "textDocument/codeAction") == .rejectShutDown)
        #expect(lifecycle.exitCode == 0)
    }

    @Test func requestBeforeInitializeIsRejectedWithServerNotInitialized() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        await #expect(throws: ResponseError.serverNotInitialized) {
            _ = try await harness.client.request("textDocument/codeAction", [:])
        }
        let result = try await harness.initialize()
        #expect(result["serverInfo"]?["name"] == "selfmoa-lsp")
    }

    @Test func initializeNegotiatesThePositionEncoding() async throws {
        let utf16 = ServerHarness()
        defer { utf16.close() }
        let defaultResult = try await utf16.initialize(capabilities: [:])
        #expect(defaultResult["capabilities"]?["positionEncoding"] == "utf-16")

        let utf8 = ServerHarness()
        defer { utf8.close() }
        let result = try await utf8.initialize(capabilities: ["general": ["positionEncodings": ["utf-8", "utf-16"]]])
        #expect(result["capabilities"]?["positionEncoding"] == "utf-8")
    }

    @Test func capabilitiesAnnounceIncrementalSyncCommandsAndTheExtension() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        let capabilities = try await harness.initialize()["capabilities"]
        #expect(capabilities?["textDocumentSync"]?["change"] == 2)
        #expect(capabilities?["executeCommandProvider"]?["commands"] == ["selfmoa.explain", "selfmoa.ask", "selfmoa.review", "selfmoa.complete", "selfmoa.reviewChanges"])
        #expect(capabilities?["experimental"]?["selfmoa"]?["results"] == true)
        #expect(capabilities?["codeActionProvider"]?["resolveProvider"] == true)
    }

    @Test func secondInitializeIsAnInvalidRequest() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        await #expect { _ = try await harness.client.request("initialize", ["capabilities": [:]]) } throws: {
            ($0 as? ResponseError)?.code == ResponseError.invalidRequestCode
        }
    }

    @Test func shutdownThenEveryRequestIsInvalidAndExitIsZero() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        #expect(try await harness.client.request("shutdown") == .null)
        await #expect { _ = try await harness.client.request("textDocument/codeAction", [:]) } throws: {
            ($0 as? ResponseError)?.code == ResponseError.invalidRequestCode
        }
        harness.client.notify("exit")
        try await waitUntil { harness.requestedExitCode != nil }
        #expect(harness.requestedExitCode == 0)
    }

    @Test func exitWithoutShutdownIsOne() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.client.notify("exit")
        try await waitUntil { harness.requestedExitCode != nil }
        #expect(harness.requestedExitCode == 1)
    }

    @Test func unknownRequestIsMethodNotFoundAndUnknownNotificationsAreIgnored() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.client.notify("$/somethingNew", ["x": 1])
        harness.client.notify("custom/unknown")
        await #expect { _ = try await harness.client.request("custom/nothing") } throws: {
            ($0 as? ResponseError)?.code == ResponseError.methodNotFoundCode
        }
        // Still serving.
        #expect(try await harness.client.request("shutdown") == .null)
    }

    @Test func invalidParamsNameTheField() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        await #expect { _ = try await harness.client.request("textDocument/codeAction", ["textDocument": ["uri": 5]]) } throws: {
            guard let error = $0 as? ResponseError else { return false }
            return error.code == ResponseError.invalidParamsCode && error.message.contains("textDocument")
        }
    }
}

/// Polls `condition` until it holds, failing after `timeout` seconds.
func waitUntil(timeout: Double = 10, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(timeout)
    while !(await condition()) {
        if ContinuousClock.now > deadline { throw TimedOut(what: "condition") }
        try await Task.sleep(for: .milliseconds(10))
    }
}
