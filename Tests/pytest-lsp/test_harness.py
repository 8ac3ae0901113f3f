"""The suite's own machinery: the spec checks fail tests, the stand-in answers as documented."""

from __future__ import annotations

import json
import urllib.request
import warnings

import pytest
from lsprotocol import types
from pytest_lsp import LspSpecificationWarning, client_capabilities
from pytest_lsp.checks import check_result_against_client_capabilities

from conftest import PROFILES
from standin import CODE_ANSWER, EXPLAIN_ANSWER, REVIEW_ANSWER, StandIn
from support import apply_text_edits, offset_of, position_at


def test_spec_warnings_are_errors():
    """A completion item with markdown documentation is outside Emacs 29.1's capabilities:
    pytest-lsp's check warns, and this suite's configuration makes that an error."""
    result = types.CompletionList(
        is_incomplete=False,
        items=[types.CompletionItem(label="x", documentation=types.MarkupContent(kind=types.MarkupKind.Markdown, value="x"))],
    )
    with pytest.raises(LspSpecificationWarning, match="documentation format"):
        check_result_against_client_capabilities(client_capabilities("emacs@v29.1"), "textDocument/completion", result)
    assert warnings.filters[0][0] == "error"


def test_profiles_cover_neovim_and_emacs():
    assert any(p.startswith("neovim@") for p in PROFILES), PROFILES
    assert any(p.startswith("emacs@") for p in PROFILES), PROFILES


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_positions_round_trip_in_every_encoding(encoding):
    text = "a = 'é🙂'\nb = 2\n"
    for index in range(len(text) + 1):
        assert offset_of(text, position_at(text, index, encoding), encoding) == index
    after_emoji = text.index("'", 5)
    expected = {"utf-8": 11, "utf-16": 8, "utf-32": 7}[encoding]
    assert position_at(text, after_emoji, encoding).character == expected
    edit = types.TextEdit(
        range=types.Range(start=position_at(text, after_emoji, encoding), end=position_at(text, after_emoji, encoding)),
        new_text="!",
    )
    assert apply_text_edits(text, [edit], encoding) == "a = 'é🙂!'\nb = 2\n"


def _post(url: str, body: dict) -> bytes:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return reply.read()


def test_standin_answers_by_role():
    standin = StandIn().start()
    try:
        with urllib.request.urlopen(standin.url + "/health", timeout=10) as reply:
            assert json.load(reply) == {"status": "ok"}
        props = json.loads(urllib.request.urlopen(standin.url + "/props", timeout=10).read())
        assert props["default_generation_settings"]["n_ctx"] > 0
        assert json.loads(_post(standin.url + "/tokenize", {"content": "abcdefgh"}))["tokens"] == [
            int.from_bytes(b"abcd", "little"),
            int.from_bytes(b"efgh", "little"),
        ]
        for role, answer in [
            ("You are a careful code reviewer.", REVIEW_ANSWER),
            ("You are an expert programmer. You explain code accurately.", EXPLAIN_ANSWER),
            ("You are an expert programmer. You write correct code.", CODE_ANSWER),
        ]:
            reply = json.loads(
                _post(
                    standin.url + "/v1/chat/completions",
                    {"messages": [{"role": "system", "content": role}, {"role": "user", "content": "x"}], "n": 2},
                )
            )
            assert [c["message"]["content"] for c in reply["choices"]] == [answer, answer]
            assert [c["index"] for c in reply["choices"]] == [0, 1]
    finally:
        standin.stop()


def test_standin_streams_server_sent_events():
    standin = StandIn().start()
    try:
        raw = _post(
            standin.url + "/v1/chat/completions",
            {"messages": [{"role": "system", "content": "You explain code."}], "stream": True},
        ).decode()
        events = [line[len("data: ") :] for line in raw.split("\n\n") if line.startswith("data: ")]
        assert events[-1] == "[DONE]"
        chunks = [json.loads(e) for e in events[:-1]]
        text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
        assert text == EXPLAIN_ANSWER
        assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0
    finally:
        standin.stop()
