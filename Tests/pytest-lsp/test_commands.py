"""selfmoa.explain / review / complete against the stand-in model: results, progress,
delivery, diagnostics, edits and cancellation."""

from __future__ import annotations

import asyncio
from typing import Any

from lsprotocol import types
from pygls.capabilities import get_capability

from conftest import SAMPLES
from standin import SLOW_MARKER, StandIn
from support import SelfmoaClient, check_action_capabilities, check_diagnostics_capabilities, check_progress, dumps, range_of

URI = "file:///tmp/selfmoa-test/calc.py"
TEXT = (
    "def divide(a, b):\n"
    "    return a / b\n"
    "\n"
    "\n"
    "def add(a, b):\n"
    "    # TODO\n"
    "    pass\n"
)
STATS_FIELDS = {
    "mode": str,
    "samples": int,
    "failedSamples": int,
    "aggregated": bool,
    "aggregationSteps": int,
    "forwardPasses": int,
    "promptTokens": int,
    "prefilledTokens": int,
    "completionTokens": int,
    "proposalSeconds": (int, float),
    "aggregationSeconds": (int, float),
    "totalSeconds": (int, float),
}


def argument(client: SelfmoaClient, uri: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    document = client.documents[uri]
    value: dict[str, Any] = {"textDocument": {"uri": uri, "version": document.version}}
    if start is not None:
        rng = range_of(document.text, start, end if end is not None else start, client.encoding)
        value["range"] = {
            "start": {"line": rng.start.line, "character": rng.start.character},
            "end": {"line": rng.end.line, "character": rng.end.character},
        }
    return value


async def execute(client: SelfmoaClient, command: str, arg: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    _, reply = await client.request(
        "workspace/executeCommand", types.ExecuteCommandParams(command=command, arguments=[arg], **kwargs)
    )
    assert "result" in reply, dumps(reply)
    return reply["result"]


def check_stats(stats: dict[str, Any]) -> None:
    assert set(STATS_FIELDS) <= set(stats), dumps(stats)
    for name, kind in STATS_FIELDS.items():
        assert isinstance(stats[name], kind) and not (kind is int and isinstance(stats[name], bool)), (name, stats)
    assert stats["mode"] in ("single", "selfmoa", "seq")
    assert stats["samples"] == SAMPLES
    assert stats["failedSamples"] == 0


def created_tokens(client: SelfmoaClient) -> list[Any]:
    return [m["params"]["token"] for m in client.raw_requests("window/workDoneProgress/create")]


def only_progress(client: SelfmoaClient, title: str) -> list[Any]:
    """The one progress the command reported, on a token the server created."""
    tokens = created_tokens(client)
    assert len(tokens) == 1, f"expected one window/workDoneProgress/create, got {tokens}"
    reports = client.progress_reports.get(tokens[0], [])
    check_progress(reports, title=title)
    assert reports[0].cancellable is True
    return reports


# ---------------------------------------------------------------------------------------------
# explain


async def test_explain(client: SelfmoaClient, standin: StandIn):
    client.open(URI, TEXT)
    before = len(standin.chat_requests("explain"))
    result = await execute(client, "selfmoa.explain", argument(client, URI, 0, TEXT.index("\n\n")))
    assert "STANDIN explanation" in result["markdown"], dumps(result)
    check_stats(result["stats"])
    reports = only_progress(client, "Self-MoA: explain")
    assert reports[-1].message == "done"
    assert any(isinstance(r, types.WorkDoneProgressReport) for r in reports), [type(r).__name__ for r in reports]
    # The model saw proposals and an aggregation.
    assert len(standin.chat_requests("explain")) > before
    # No experimental capability: the markdown arrives as an info message, never as our notification.
    await client.wait_until(lambda: any(m.type == types.MessageType.Info for m in client.messages), what="showMessage")
    assert any("STANDIN explanation" in m.message for m in client.messages if m.type == types.MessageType.Info)
    assert client.raw_notifications("selfmoa/result") == []


async def test_explain_sees_incremental_changes(client: SelfmoaClient, standin: StandIn):
    client.open(URI, TEXT)
    # Two incremental edits in one didChange, after non-ASCII text on the same line.
    document = client.change(URI, [(0, 0, "# café ☕ notes\n")])
    at = document.text.index("☕") + 1
    document = client.change(URI, [(at, at, " and 🙂"), (document.text.index("a / b"), document.text.index("a / b") + 5, "a // b")])
    assert "# café ☕ and 🙂 notes\n" in document.text and "a // b" in document.text
    before = len(standin.chat_requests())
    await execute(client, "selfmoa.explain", argument(client, URI, 0, len(document.text)))
    prompts = ["\n".join(m.get("content", "") for m in b["messages"]) for b in standin.chat_requests()[before:]]
    assert prompts
    assert any("# café ☕ and 🙂 notes" in p and "a // b" in p for p in prompts), prompts[0]


async def test_explain_with_results_capability_sends_selfmoa_result(results_client: SelfmoaClient):
    client = results_client
    client.open(URI, TEXT)
    arg = argument(client, URI, 0, TEXT.index("\n\n"))
    result = await execute(client, "selfmoa.explain", arg)
    await client.wait_until(lambda: any("partial" not in r for r in client.results), what="the final selfmoa/result")
    # The draft and the answer as they are written (partial), then one final result.
    finals = [r for r in client.results if "partial" not in r]
    assert len(finals) == 1 and client.results[-1] is finals[0]
    partials = client.results[:-1]
    assert all(p["partial"] is True and p["phase"] in ("draft", "answer") and "stats" not in p for p in partials)
    phases = [p["phase"] for p in partials]
    assert phases == sorted(phases, key=lambda phase: phase == "answer"), "a draft came after the answer"
    assert all(p["kind"] == "explain" and p["uri"] == URI and isinstance(p["markdown"], str) for p in partials)
    notification = finals[0]
    assert notification["label"].startswith("Self-MoA")
    assert notification["kind"] == "explain"
    assert notification["uri"] == URI
    assert notification["range"] == arg["range"]
    assert notification["markdown"] == result["markdown"]
    check_stats(notification["stats"])
    assert not any("STANDIN explanation" in m.message for m in client.messages)


async def test_progress_uses_the_client_token(client: SelfmoaClient):
    client.open(URI, TEXT)
    token = "selfmoa-test-token"
    client.progress_reports.setdefault(token, [])  # the client made this token itself
    await execute(client, "selfmoa.explain", argument(client, URI, 0, 5), work_done_token=token)
    assert created_tokens(client) == [], "the server created a token although the client gave one"
    check_progress(client.progress_reports[token], title="Self-MoA: explain")


async def test_command_on_an_older_version_is_content_modified(client: SelfmoaClient):
    client.open(URI, TEXT)
    stale = argument(client, URI, 0, 5)
    client.change(URI, [(0, 0, "# changed\n")])
    error = await client.request_error(
        "workspace/executeCommand", types.ExecuteCommandParams(command="selfmoa.explain", arguments=[stale])
    )
    assert error["code"] == types.LSPErrorCodes.ContentModified  # -32801


# ---------------------------------------------------------------------------------------------
# review


async def test_review_publishes_diagnostics(client: SelfmoaClient):
    client.open(URI, TEXT)
    result = await execute(client, "selfmoa.review", argument(client, URI))
    assert result["findings"], f"the model reported a finding; the result has none: {dumps(result)}"
    check_stats(result["stats"])
    only_progress(client, "Self-MoA: review")
    await client.wait_until(lambda: client.diagnostics.get(URI), what="publishDiagnostics")
    published = client.raw_notifications("textDocument/publishDiagnostics")
    assert len(published) == 1, dumps(published)
    params = published[0]
    assert params["uri"] == URI
    if not get_capability(client.capabilities, "text_document.publish_diagnostics.version_support", False):
        assert "version" not in params, "version sent to a client that does not interpret it"
    diagnostics = params["diagnostics"]
    assert diagnostics and all(d["source"] == "selfmoa" for d in diagnostics), dumps(diagnostics)
    assert all(d.get("code") == "selfmoa.review" for d in diagnostics)
    lines = TEXT.split("\n")
    for d in diagnostics:
        # Whole lines of the document.
        assert d["range"]["start"]["character"] == 0
        assert 0 <= d["range"]["start"]["line"] <= d["range"]["end"]["line"] < len(lines)
    check_diagnostics_capabilities(client.capabilities, diagnostics)
    assert len(result["findings"]) == len(diagnostics)
    # Review text goes to the user too.
    await client.wait_until(lambda: client.messages, what="showMessage")


async def test_review_with_results_capability_and_close_clears(results_client: SelfmoaClient):
    client = results_client
    client.open(URI, TEXT)
    await execute(client, "selfmoa.review", argument(client, URI))
    await client.wait_until(lambda: client.results, what="selfmoa/result")
    assert client.results[0]["kind"] == "review"
    await client.wait_until(lambda: client.diagnostics.get(URI), what="publishDiagnostics")
    client.close(URI)
    await client.wait_until(
        lambda: len(client.raw_notifications("textDocument/publishDiagnostics")) == 2, what="diagnostics cleared"
    )
    assert client.raw_notifications("textDocument/publishDiagnostics")[-1]["diagnostics"] == []


async def test_review_quick_fix(client: SelfmoaClient):
    client.open(URI, TEXT)
    result = await execute(client, "selfmoa.review", argument(client, URI))
    with_fix = [f for f in result["findings"] if f.get("replacement")]
    assert with_fix, f"the stand-in's finding carries a fix; none came back: {dumps(result)}"
    finding = with_fix[0]
    _, reply = await client.request(
        "textDocument/codeAction",
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=URI),
            range=types.Range(
                start=types.Position(**finding["range"]["start"]), end=types.Position(**finding["range"]["end"])
            ),
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.QuickFix]),
        ),
    )
    fixes = reply["result"]
    for fix in fixes:
        check_action_capabilities(client, fix)
    assert len(fixes) >= 1 and fixes[0]["kind"] == "quickfix", dumps(fixes)
    edit = fixes[0]["edit"]
    if get_capability(client.capabilities, "workspace.workspace_edit.document_changes", False):
        change = edit["documentChanges"][0]
        assert change["textDocument"] == {"uri": URI, "version": 1}
        edits = change["edits"]
    else:
        assert "documentChanges" not in edit, "documentChanges sent to a client that did not announce them"
        edits = edit["changes"][URI]
    assert edits[0]["newText"] == finding["replacement"]


# ---------------------------------------------------------------------------------------------
# complete


async def test_complete_applies_a_versioned_edit(client: SelfmoaClient):
    client.open(URI, TEXT)
    stub = TEXT.index("    # TODO\n    pass\n")
    version = client.documents[URI].version
    result = await execute(client, "selfmoa.complete", argument(client, URI, stub, len(TEXT)))
    assert result["applied"] is True, dumps(result)
    assert "standin_value" in result["code"]
    check_stats(result["stats"])
    only_progress(client, "Self-MoA: complete")
    assert len(client.applied_edits) == 1
    sent = client.applied_edits[0]
    edit = sent.raw["edit"]
    if get_capability(client.capabilities, "workspace.workspace_edit.document_changes", False):
        assert "changes" not in edit
        (change,) = edit["documentChanges"]
        assert change["textDocument"] == {"uri": URI, "version": version}  # versioned TextDocumentEdit
        edits = change["edits"]
    else:
        assert "documentChanges" not in edit
        edits = edit["changes"][URI]
    assert [e["newText"] for e in edits] == [result["code"]]
    assert edits[0]["range"] == result["range"]
    assert sent.applied, sent.failure_reason
    text = client.documents[URI].text
    assert "standin_value" in text and "# TODO" not in text, text
    assert text.startswith("def divide(a, b):\n    return a / b\n")


async def test_complete_at_the_cursor_inserts(client: SelfmoaClient):
    text = "def add(a, b):\n    \n"
    client.open(URI, text)
    cursor = text.index("    \n") + 4
    result = await execute(client, "selfmoa.complete", argument(client, URI, cursor, cursor))
    assert result["applied"] is True, dumps(result)
    assert client.documents[URI].text.startswith("def add(a, b):\n")
    assert "standin_value" in client.documents[URI].text


async def test_complete_is_not_applied_when_the_document_changed_meanwhile(client: SelfmoaClient, standin: StandIn):
    text = f"# {SLOW_MARKER}\ndef add(a, b):\n    \n"
    client.open(URI, text)
    cursor = text.index("    \n") + 4
    standin.slow_seconds = 1.5
    try:
        running = asyncio.create_task(execute(client, "selfmoa.complete", argument(client, URI, cursor, cursor)))
        await client.wait_until(lambda: "slow request started" in standin.events, what="the model call")
        client.change(URI, [(0, 0, "# typed meanwhile\n")])
        result = await asyncio.wait_for(running, 30)
    finally:
        standin.slow_seconds = 30.0
        standin.events.clear()
    assert result["applied"] is False and result.get("reason"), dumps(result)
    assert client.applied_edits == [], "an edit was sent for text that changed"
    await client.wait_until(
        lambda: any(m.type == types.MessageType.Warning for m in client.messages), what="a warning message"
    )


async def test_complete_declined_by_the_client_reports_not_applied(client: SelfmoaClient):
    client.open(URI, TEXT)
    client.apply_edits = False
    # Rewrite the stub's lines (as the command's own stub test does): the code fits there, so
    # the server asks the client to apply it, and the client declines.
    stub = TEXT.index("    # TODO")
    result = await execute(client, "selfmoa.complete", argument(client, URI, stub, len(TEXT)))
    assert result["applied"] is False and result.get("reason"), dumps(result)
    assert len(client.applied_edits) == 1


# ---------------------------------------------------------------------------------------------
# cancellation


async def test_cancel_request_answers_request_cancelled(client: SelfmoaClient, standin: StandIn):
    text = f"# {SLOW_MARKER}\n" + TEXT
    client.open(URI, text)
    msg_id = "cancel-me"
    standin.events.clear()
    running = asyncio.create_task(
        client.request_error(
            "workspace/executeCommand",
            types.ExecuteCommandParams(command="selfmoa.explain", arguments=[argument(client, URI, 0, 10)]),
            msg_id=msg_id,
        )
    )
    try:
        await client.wait_until(lambda: "slow request started" in standin.events, what="the model call")
        started = asyncio.get_running_loop().time()
        client.protocol.notify("$/cancelRequest", types.CancelParams(id=msg_id))
        error = await asyncio.wait_for(running, 10)
        assert asyncio.get_running_loop().time() - started < 5, "the cancellation was not answered at once"
        assert error["code"] == types.LSPErrorCodes.RequestCancelled  # -32800
        # Its model call is cancelled, and its progress ends.
        await client.wait_until(lambda: "client hung up" in standin.events, timeout=10, what="the model call to end")
        tokens = created_tokens(client)
        assert len(tokens) == 1
        await client.wait_until(
            lambda: any(isinstance(r, types.WorkDoneProgressEnd) for r in client.progress_reports.get(tokens[0], [])),
            timeout=10,
            what="progress end",
        )
        check_progress(client.progress_reports[tokens[0]])
    finally:
        standin.events.clear()


async def test_work_done_progress_cancel_cancels_the_command(client: SelfmoaClient, standin: StandIn):
    text = f"# {SLOW_MARKER}\n" + TEXT
    client.open(URI, text)
    standin.events.clear()
    running = asyncio.create_task(
        client.request_error(
            "workspace/executeCommand",
            types.ExecuteCommandParams(command="selfmoa.review", arguments=[argument(client, URI)]),
        )
    )
    try:
        await client.wait_until(lambda: "slow request started" in standin.events, what="the model call")
        (token,) = created_tokens(client)
        client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
        error = await asyncio.wait_for(running, 10)
        assert error["code"] == types.LSPErrorCodes.RequestCancelled
        await client.wait_until(
            lambda: any(isinstance(r, types.WorkDoneProgressEnd) for r in client.progress_reports.get(token, [])),
            timeout=10,
            what="progress end",
        )
        check_progress(client.progress_reports[token])
        assert client.raw_notifications("textDocument/publishDiagnostics") == []
    finally:
        standin.events.clear()
