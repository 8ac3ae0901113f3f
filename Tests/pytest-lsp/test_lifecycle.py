"""initialize / initialized / shutdown / exit, capabilities and position encodings."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types
from pytest_lsp import client_capabilities

from conftest import initialize
from support import SelfmoaClient, dumps

COMMANDS = ["selfmoa.explain", "selfmoa.ask", "selfmoa.review", "selfmoa.complete", "selfmoa.reviewChanges"]

# protocol/README.md, "Lifecycle and capabilities", less the negotiated positionEncoding.
DOCUMENTED_CAPABILITIES = {
    "textDocumentSync": {"openClose": True, "change": 2, "save": {"includeText": False}},
    "codeActionProvider": {
        "codeActionKinds": ["quickfix", "source.selfmoa.explain", "source.selfmoa.ask", "source.selfmoa.review", "source.selfmoa.complete"],
        "resolveProvider": True,
    },
    "executeCommandProvider": {"commands": COMMANDS},
    "completionProvider": {"resolveProvider": False},
    "inlineCompletionProvider": {},
    "experimental": {"selfmoa": {"results": True, "version": 1}},
}
SUPPORTED_ENCODINGS = ["utf-8", "utf-16", "utf-32"]


def expected_encoding(offered: list[str] | None) -> str:
    """The first offered encoding we support, else utf-16 (the spec's default)."""
    return next((e for e in offered or [] if e in SUPPORTED_ENCODINGS), "utf-16")


def initialize_reply(client: SelfmoaClient) -> dict:
    replies = [m for m in client.raw if "result" in m and isinstance(m["result"], dict) and "capabilities" in m["result"]]
    assert len(replies) == 1, dumps(client.raw)
    return replies[0]["result"]


async def test_initialize_result_is_as_documented(client: SelfmoaClient):
    result = initialize_reply(client)
    offered = [str(e) for e in (client_capabilities(client.profile).general.position_encodings or [])] \
        if client_capabilities(client.profile).general else []
    assert result["serverInfo"]["name"] == "selfmoa-lsp"
    assert isinstance(result["serverInfo"].get("version"), str)
    assert result["capabilities"] == {**DOCUMENTED_CAPABILITIES, "positionEncoding": expected_encoding(offered)}
    # The spec: the server picks one of the client's encodings, or utf-16 when none is offered.
    assert result["capabilities"]["positionEncoding"] in (offered or ["utf-16"]) + ["utf-16"]
    # pygls read the result as an InitializeResult.
    assert client.initialize_result is not None
    assert list(client.initialize_result.capabilities.execute_command_provider.commands) == COMMANDS


@pytest.mark.parametrize(
    "offered",
    [None, [], ["utf-8"], ["utf-32", "utf-8", "utf-16"], ["utf-16", "utf-8"], ["latin-1"], ["latin-1", "utf-32"]],
    ids=lambda o: "absent" if o is None else ",".join(o) or "empty",
)
async def test_position_encoding_negotiation(bare_server: SelfmoaClient, offered):
    general = None if offered is None else types.GeneralClientCapabilities(position_encodings=offered)
    result = await initialize(bare_server, types.ClientCapabilities(general=general), None)
    assert initialize_reply(bare_server)["capabilities"]["positionEncoding"] == expected_encoding(offered)
    assert result.capabilities.position_encoding == expected_encoding(offered)


async def test_shutdown_then_exit_exits_with_0(client: SelfmoaClient):
    result, reply = await client.request("shutdown", None)
    assert result is None
    assert "result" in reply and reply["result"] is None  # the spec: result null
    client.exit(None)
    assert await asyncio.wait_for(client._server.wait(), 15) == 0


async def test_exit_without_shutdown_exits_with_1(client: SelfmoaClient):
    client.exit(None)
    assert await asyncio.wait_for(client._server.wait(), 15) == 1


async def test_closing_stdin_after_shutdown_exits_with_0(client: SelfmoaClient):
    await client.request("shutdown", None)
    client._server.stdin.close()
    assert await asyncio.wait_for(client._server.wait(), 15) == 0


async def test_requests_after_shutdown_are_invalid(client: SelfmoaClient):
    client.open("file:///tmp/selfmoa-test/a.py", "x = 1\n")
    await client.request("shutdown", None)
    error = await client.request_error(
        "textDocument/codeAction",
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri="file:///tmp/selfmoa-test/a.py"),
            range=types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)),
            context=types.CodeActionContext(diagnostics=[]),
        ),
    )
    assert error["code"] == types.ErrorCodes.InvalidRequest
    client.exit(None)
    assert await asyncio.wait_for(client._server.wait(), 15) == 0


async def test_second_initialize_is_invalid(client: SelfmoaClient):
    error = await client.request_error("initialize", types.InitializeParams(capabilities=types.ClientCapabilities()))
    assert error["code"] == types.ErrorCodes.InvalidRequest


async def test_requests_before_initialize_fail_and_notifications_are_dropped(server: SelfmoaClient):
    uri = "file:///tmp/selfmoa-test/early.py"
    # pytest-lsp checks messages against the client's capabilities: give it the profile's.
    server.capabilities = client_capabilities(server.profile)
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=5))
    params = types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri), range=whole, context=types.CodeActionContext(diagnostics=[])
    )
    error = await server.request_error("textDocument/codeAction", params)
    assert error["code"] == types.ErrorCodes.ServerNotInitialized  # -32002
    error = await server.request_error("shutdown", None)
    assert error["code"] == types.ErrorCodes.ServerNotInitialized
    # A notification before initialize is dropped: this document never opens.
    server.open(uri, "early = True\n")
    await initialize(server, client_capabilities(server.profile), None)
    error = await server.request_error("textDocument/codeAction", params)
    assert error["code"] == types.ErrorCodes.InvalidParams, error
    assert uri in error["message"]


async def test_exit_before_initialize_exits_with_1(server: SelfmoaClient):
    server.exit(None)
    assert await asyncio.wait_for(server._server.wait(), 15) == 1
