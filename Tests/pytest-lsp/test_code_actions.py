"""didOpen / didChange (incremental), the three code actions, codeAction/resolve."""

from __future__ import annotations

from typing import Any

import pytest
from lsprotocol import types
from pygls.capabilities import get_capability

from support import SelfmoaClient, check_action_capabilities, dumps, range_of

URI = "file:///tmp/selfmoa-test/actions.py"
# Non-ASCII before the edits, so a wrong position encoding lands them in the wrong place.
TEXT = "def greet(name):\n    return 'héllo 🙂 ' + name\n"
ACTIONS = [
    ("Self-MoA: explain this code", "source.selfmoa.explain", "selfmoa.explain"),
    ("Self-MoA: review this code", "source.selfmoa.review", "selfmoa.review"),
    ("Self-MoA: complete / implement here", "source.selfmoa.complete", "selfmoa.complete"),
]


def resolves_command(client: SelfmoaClient) -> bool:
    properties = get_capability(client.capabilities, "text_document.code_action.resolve_support.properties", [])
    return "command" in properties


async def code_actions(client: SelfmoaClient, rng: types.Range, only: list[str] | None = None) -> list[dict[str, Any]]:
    result, reply = await client.request(
        "textDocument/codeAction",
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=rng,
            context=types.CodeActionContext(diagnostics=[], only=only),
        ),
    )
    assert result is not None
    assert isinstance(reply["result"], list)
    for action in reply["result"]:
        assert "title" in action, "the client announced codeActionLiteralSupport: literals, not bare Commands"
        check_action_capabilities(client, action)
    return reply["result"]


def edited(client: SelfmoaClient):
    """Opens TEXT and edits it incrementally: two changes in one notification, after the emoji."""
    client.open(URI, TEXT)
    text = TEXT
    after_emoji = text.index("🙂") + 1
    client.change(URI, [(after_emoji, after_emoji, "!"), (0, 0, "# greeting\n")])
    return client.documents[URI]


async def test_code_actions_list_the_three_actions(client: SelfmoaClient):
    document = edited(client)
    assert document.version == 2
    assert document.text == "# greeting\ndef greet(name):\n    return 'héllo 🙂! ' + name\n"
    rng = range_of(document.text, 0, len(document.text), client.encoding)
    actions = await code_actions(client, rng)
    assert [(a["title"], a["kind"]) for a in actions] == [(t, k) for t, k, _ in ACTIONS], dumps(actions)
    for action, (_, _, command) in zip(actions, ACTIONS):
        if resolves_command(client):
            # Resolvable: the command comes later, from codeAction/resolve.
            assert "command" not in action, dumps(action)
            assert action["data"]["command"] == command
            arguments = action["data"]["arguments"]
        else:
            assert action["command"]["command"] == command, dumps(action)
            assert action["command"]["title"] == action["title"]
            arguments = action["command"]["arguments"]
        assert arguments == [
            {
                "textDocument": {"uri": URI, "version": 2},
                "range": {
                    "start": {"line": rng.start.line, "character": rng.start.character},
                    "end": {"line": rng.end.line, "character": rng.end.character},
                },
            }
        ], dumps(arguments)


async def test_code_action_range_is_clamped_in_the_negotiated_encoding(client: SelfmoaClient):
    document = edited(client)
    # A range past the end of line 2 clamps to the end of that line, counted in our encoding.
    rng = types.Range(start=types.Position(line=2, character=0), end=types.Position(line=2, character=500))
    actions = await code_actions(client, rng, only=["source.selfmoa.explain"])
    arguments = (actions[0].get("command") or actions[0].get("data"))["arguments"][0]
    line = document.text.split("\n")[2]
    expected_end = range_of(document.text, 0, document.text.index(line) + len(line), client.encoding).end
    assert arguments["range"]["end"] == {"line": 2, "character": expected_end.character}


@pytest.mark.parametrize(
    "only, kinds",
    [
        (["source.selfmoa.review"], ["source.selfmoa.review"]),
        (["source"], ["source.selfmoa.explain", "source.selfmoa.review", "source.selfmoa.complete"]),
        (["source.selfmoa"], ["source.selfmoa.explain", "source.selfmoa.review", "source.selfmoa.complete"]),
        (["quickfix"], []),
        (["refactor"], []),
    ],
    ids=lambda v: ",".join(v) if isinstance(v, list) else v,
)
async def test_code_action_only_filters_by_kind(client: SelfmoaClient, only, kinds):
    document = edited(client)
    actions = await code_actions(client, range_of(document.text, 0, 5, client.encoding), only=only)
    assert [a["kind"] for a in actions] == kinds


async def test_code_action_resolve(client: SelfmoaClient):
    document = edited(client)
    actions = await code_actions(client, range_of(document.text, 0, len(document.text), client.encoding))
    for action, (title, kind, command) in zip(actions, ACTIONS):
        result, reply = await client.request("codeAction/resolve", client.protocol._converter.structure(action, types.CodeAction))
        resolved = reply["result"]
        assert isinstance(result, types.CodeAction)
        assert resolved["title"] == title and resolved["kind"] == kind
        assert resolved["command"]["command"] == command, dumps(resolved)
        expected_arguments = (action.get("data") or action.get("command"))["arguments"]
        assert resolved["command"]["arguments"] == expected_arguments
        if "command" in action:
            # Already complete: resolving changes nothing.
            assert resolved["command"] == action["command"]


async def test_full_document_change_replaces_the_text(client: SelfmoaClient):
    client.open(URI, TEXT)
    client.replace_all(URI, "x = 1\n")
    # Line 1 of the old text no longer exists: its range clamps to the new document.
    rng = types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=10))
    actions = await code_actions(client, rng, only=["source.selfmoa.review"])
    arguments = (actions[0].get("command") or actions[0].get("data"))["arguments"][0]
    assert arguments["textDocument"]["version"] == 2
    assert arguments["range"]["start"]["line"] == 1 and arguments["range"]["start"]["character"] == 0
