"""textDocument/completion (and LSP 3.18's inlineCompletion) against the stand-in model."""

from __future__ import annotations

import asyncio

from lsprotocol import types

from standin import CODE_ANSWER, SLOW_MARKER, StandIn
from support import SelfmoaClient, dumps, position_at

URI = "file:///tmp/selfmoa-test/complete.py"
TEXT = "def add(a, b):\n    \n"
CURSOR = TEXT.index("    \n") + 4


def completion_params(client: SelfmoaClient, index: int) -> types.CompletionParams:
    return types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=URI),
        position=position_at(client.documents[URI].text, index, client.encoding),
    )


async def test_completion_returns_one_item_with_a_text_edit(client: SelfmoaClient):
    client.open(URI, TEXT)
    params = completion_params(client, CURSOR)
    # pytest-lsp checks the items against the profile's completion capabilities.
    result, reply = await client.request("textDocument/completion", params)
    assert isinstance(result, types.CompletionList)
    raw = reply["result"]
    assert raw["isIncomplete"] is True
    assert len(raw["items"]) == 1, dumps(raw)
    item = raw["items"][0]
    assert item["detail"] == "Self-MoA"
    assert "standin_value" in item["textEdit"]["newText"]
    assert item["label"] == item["textEdit"]["newText"].strip().split("\n")[0].strip()
    # The spec: a TextEdit's range is on one line and contains the completion position.
    rng = item["textEdit"]["range"]
    assert rng["start"]["line"] == rng["end"]["line"] == params.position.line, dumps(rng)
    assert rng["start"]["character"] <= params.position.character <= rng["end"]["character"]
    if item.get("insertTextFormat") == 2:
        assert client.capabilities.text_document.completion.completion_item.snippet_support


async def test_completion_brings_the_standard_imports_its_code_needs(client: SelfmoaClient, standin: StandIn):
    text = "import os\n\n\ndef add(a, b):\n    \n"
    client.open(URI, text)
    standin.answers["code"] = "return math.hypot(a, b)"
    try:
        result, reply = await client.request("textDocument/completion", completion_params(client, text.index("    \n") + 4))
    finally:
        standin.answers["code"] = CODE_ANSWER
    assert isinstance(result, types.CompletionList)
    item = reply["result"]["items"][0]
    assert "math.hypot(a, b)" in item["textEdit"]["newText"], dumps(item)
    # `import math` after the file's last import, as one more edit of the item.
    assert item["additionalTextEdits"] == [
        {"range": {"start": {"line": 1, "character": 0}, "end": {"line": 1, "character": 0}}, "newText": "import math\n"}
    ], dumps(item)


async def test_newer_completion_cancels_the_older(client: SelfmoaClient, standin: StandIn):
    text = f"# {SLOW_MARKER}\n" + TEXT
    client.open(URI, text)
    standin.events.clear()
    standin.slow_seconds = 1.0
    try:
        older = asyncio.create_task(client.request_error("textDocument/completion", completion_params(client, len(text) - 1)))
        await client.wait_until(lambda: "slow request started" in standin.events, what="the first model call")
        newer = asyncio.create_task(client.request("textDocument/completion", completion_params(client, len(text) - 1)))
        error = await asyncio.wait_for(older, 10)
        assert error["code"] == types.LSPErrorCodes.RequestCancelled  # -32800
        result, _ = await asyncio.wait_for(newer, 30)
        assert isinstance(result, types.CompletionList) and len(result.items) == 1
    finally:
        standin.slow_seconds = 30.0
        standin.events.clear()


async def test_a_change_cancels_running_completion(client: SelfmoaClient, standin: StandIn):
    text = f"# {SLOW_MARKER}\n" + TEXT
    client.open(URI, text)
    standin.events.clear()
    try:
        running = asyncio.create_task(client.request_error("textDocument/completion", completion_params(client, len(text) - 1)))
        await client.wait_until(lambda: "slow request started" in standin.events, what="the model call")
        client.change(URI, [(len(text) - 1, len(text) - 1, "x")])
        error = await asyncio.wait_for(running, 10)
        assert error["code"] == types.LSPErrorCodes.RequestCancelled
    finally:
        standin.events.clear()


async def test_inline_completion(client: SelfmoaClient):
    client.open(URI, TEXT)
    position = position_at(TEXT, CURSOR, client.encoding)
    result, reply = await client.request(
        "textDocument/inlineCompletion",
        types.InlineCompletionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            position=position,
            context=types.InlineCompletionContext(trigger_kind=types.InlineCompletionTriggerKind.Invoked),
        ),
    )
    assert isinstance(result, types.InlineCompletionList), result
    items = reply["result"]["items"]
    assert len(items) == 1 and "standin_value" in items[0]["insertText"], dumps(reply)
    rng = items[0]["range"]
    assert rng["start"] == {"line": position.line, "character": position.character}
