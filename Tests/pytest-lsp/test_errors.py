"""Malformed and unknown input, answered with the error codes the spec names."""

from __future__ import annotations

import pytest
from lsprotocol import types

from support import SelfmoaClient


@pytest.mark.parametrize("method", ["selfmoa/noSuchMethod", "textDocument/noSuchRequest", "$/noSuchRequest"])
async def test_unknown_request_is_method_not_found(client: SelfmoaClient, method):
    # The spec: "$/" requests a server does not implement also get MethodNotFound.
    error = await client.request_error(method, {})
    assert error["code"] == types.ErrorCodes.MethodNotFound  # -32601
    assert isinstance(error["message"], str) and error["message"]


async def test_unknown_notifications_are_ignored(client: SelfmoaClient):
    before = len(client.raw)
    client.protocol.notify("$/noSuchNotification", {"ignored": True})
    client.protocol.notify("selfmoa/noSuchNotification", {"ignored": True})
    reply = await client.send_raw({"jsonrpc": "2.0", "id": 9001, "method": "selfmoa/probe"})
    assert reply["error"]["code"] == types.ErrorCodes.MethodNotFound
    # Nothing answered the notifications.
    answered = [m for m in client.raw[before:] if "id" in m and "method" not in m]
    assert [m["id"] for m in answered] == [9001]


async def test_integer_and_string_ids_are_echoed(client: SelfmoaClient):
    reply = await client.send_raw({"jsonrpc": "2.0", "id": 77, "method": "selfmoa/probe"})
    assert reply["id"] == 77 and type(reply["id"]) is int
    reply = await client.send_raw({"jsonrpc": "2.0", "id": "77", "method": "selfmoa/probe"})
    assert reply["id"] == "77"


async def test_params_of_the_wrong_shape_are_invalid_params(client: SelfmoaClient):
    reply = await client.send_raw(
        {"jsonrpc": "2.0", "id": 9002, "method": "textDocument/codeAction", "params": {"textDocument": {"uri": 42}}}
    )
    assert reply["error"]["code"] == types.ErrorCodes.InvalidParams  # -32602
    assert "textDocument" in reply["error"]["message"]


async def test_command_on_a_document_that_is_not_open_is_invalid_params(client: SelfmoaClient):
    error = await client.request_error(
        "workspace/executeCommand",
        types.ExecuteCommandParams(
            command="selfmoa.explain",
            arguments=[{"textDocument": {"uri": "file:///tmp/selfmoa-test/not-open.py", "version": 1}}],
        ),
    )
    assert error["code"] == types.ErrorCodes.InvalidParams


async def test_unknown_command_is_invalid_params(client: SelfmoaClient):
    client.open("file:///tmp/selfmoa-test/a.py", "x = 1\n")
    error = await client.request_error(
        "workspace/executeCommand",
        types.ExecuteCommandParams(
            command="selfmoa.nothing", arguments=[{"textDocument": {"uri": "file:///tmp/selfmoa-test/a.py", "version": 1}}]
        ),
    )
    assert error["code"] == types.ErrorCodes.InvalidParams
