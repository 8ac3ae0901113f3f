"""The test client: pytest-lsp's client plus what an editor does for selfmoa-lsp.

``SelfmoaClient`` is pytest-lsp's ``LanguageClient`` (which checks the server's messages against
the client's capabilities and the LSP types) with:

- a record of every raw JSON message the server sent (``raw``), to check the exact wire form;
- a mirror of the open documents (``documents``) that follows our ``didOpen``/``didChange`` and
  applies the server's ``workspace/applyEdit`` in the negotiated position encoding, then tells
  the server with ``didChange`` as an editor would;
- handlers for ``workspace/applyEdit`` and our ``selfmoa/result`` notification;
- every error pygls reports about the server (``server_errors``), so the fixture can fail a test
  whose problem happened outside the test body.

Checks of spec rules pytest-lsp does not cover raise ``LspSpecificationWarning`` the same way
its own checks do, so ``filterwarnings = error`` turns them into failures too.
"""

from __future__ import annotations

import asyncio
import copy
import json
import uuid
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, LanguageClientProtocol, LspSpecificationWarning
from pytest_lsp.client import register_lsp_features

# ---------------------------------------------------------------------------------------------
# Positions in the three encodings LSP knows.


def _units(char: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(char.encode("utf-8"))
    if encoding == "utf-16":
        return len(char.encode("utf-16-le")) // 2
    return 1  # utf-32: code points


def offset_of(text: str, position: types.Position, encoding: str) -> int:
    """The string index of an LSP position (clamped like the server clamps)."""
    lines = text.split("\n")
    line = min(position.line, len(lines) - 1)
    start = sum(len(lines[i]) + 1 for i in range(line))
    if position.line >= len(lines):
        return len(text)
    units = 0
    for index, char in enumerate(lines[line]):
        if units >= position.character:
            return start + index
        units += _units(char, encoding)
    return start + len(lines[line])


def position_at(text: str, index: int, encoding: str) -> types.Position:
    """The LSP position of a string index."""
    before = text[:index]
    line = before.count("\n")
    column_text = before[before.rfind("\n") + 1 :]
    return types.Position(line=line, character=sum(_units(c, encoding) for c in column_text))


def range_of(text: str, start: int, end: int, encoding: str) -> types.Range:
    return types.Range(start=position_at(text, start, encoding), end=position_at(text, end, encoding))


def apply_text_edits(text: str, edits: list[types.TextEdit], encoding: str) -> str:
    """Applies edits whose ranges refer to `text` (the spec's rule), last first."""
    spans = [
        (offset_of(text, e.range.start, encoding), offset_of(text, e.range.end, encoding), e.new_text)
        for e in edits
    ]
    for start, end, new_text in sorted(spans, key=lambda s: (s[0], s[1]), reverse=True):
        text = text[:start] + new_text + text[end:]
    return text


@dataclass
class MirroredDocument:
    uri: str
    version: int
    text: str
    language_id: str = "python"


@dataclass
class AppliedEdit:
    """One `workspace/applyEdit` the server sent, and what the client answered."""

    params: types.ApplyWorkspaceEditParams
    raw: dict[str, Any]
    applied: bool
    failure_reason: str | None = None


def spec_warning(message: str) -> None:
    warnings.warn(message, LspSpecificationWarning, stacklevel=2)


# ---------------------------------------------------------------------------------------------
# The client.


class RecordingProtocol(LanguageClientProtocol):
    """pytest-lsp's protocol, keeping the raw JSON of every message from the server and the
    ids of every request the client sent."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sent_ids: set[str] = set()

    def send_request(self, method, params=None, callback=None, msg_id=None):
        msg_id = msg_id if msg_id is not None else str(uuid.uuid4())
        self.sent_ids.add(repr(msg_id))
        return super().send_request(method, params, callback, msg_id)

    def structure_message(self, data: dict[str, Any]):
        # pygls parses with this as json's object_hook: it sees every nested object too, and
        # its hooks replace the params of messages it has no type for. Keep whole messages, as
        # they were on the wire.
        if "jsonrpc" in data:
            client: SelfmoaClient = self._server  # type: ignore[assignment]
            client.raw.append(copy.deepcopy(data))
        return super().structure_message(data)


class SelfmoaClient(LanguageClient):
    """pytest-lsp's client with a document mirror and selfmoa-lsp's client-side handlers."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("protocol_cls", RecordingProtocol)
        super().__init__(*args, **kwargs)
        self.raw: list[dict[str, Any]] = []
        self.documents: dict[str, MirroredDocument] = {}
        self.applied_edits: list[AppliedEdit] = []
        self.results: list[Any] = []  # selfmoa/result params, raw JSON
        self.server_errors: list[str] = []
        self.profile: str = ""
        self.initialize_result: types.InitializeResult | None = None
        self.encoding: str = "utf-16"
        self.apply_edits = True  # answer applyEdit with applied: true
        self._notify_waiters: list[tuple[Callable[[], bool], asyncio.Future[None]]] = []

    def report_server_error(self, error: Exception, source: Any) -> None:
        self.server_errors.append(f"{getattr(source, '__name__', source)}: {error!r}")
        super().report_server_error(error, source)

    # -- raw messages --------------------------------------------------------------------------

    def raw_notifications(self, method: str) -> list[Any]:
        return [m.get("params") for m in self.raw if m.get("method") == method and "id" not in m]

    def raw_requests(self, method: str) -> list[dict[str, Any]]:
        return [m for m in self.raw if m.get("method") == method and "id" in m]

    def raw_response(self, msg_id: Any) -> dict[str, Any] | None:
        for m in self.raw:
            if "method" not in m and m.get("id") == msg_id and type(m.get("id")) is type(msg_id):
                return m
        return None

    async def request(self, method: str, params: Any, msg_id: Any = None) -> tuple[Any, dict[str, Any]]:
        """Sends a request; returns the typed result (checked by pytest-lsp) and the raw reply."""
        msg_id = msg_id if msg_id is not None else f"t-{uuid.uuid4().hex[:8]}"
        result = await self.protocol.send_request_async(method, params, msg_id=msg_id)
        reply = self.raw_response(msg_id)
        assert reply is not None, f"no raw reply recorded for {method} {msg_id!r}"
        return result, reply

    async def request_error(self, method: str, params: Any, msg_id: Any = None) -> dict[str, Any]:
        """Sends a request that must fail; returns the raw error object of the reply."""
        msg_id = msg_id if msg_id is not None else f"t-{uuid.uuid4().hex[:8]}"
        try:
            result = await self.protocol.send_request_async(method, params, msg_id=msg_id)
        except Exception:  # pygls raises JsonRpcException subclasses for error replies
            reply = self.raw_response(msg_id)
            assert reply is not None, f"no raw reply recorded for {method} {msg_id!r}"
            assert "error" in reply and "result" not in reply, reply
            return reply["error"]
        raise AssertionError(f"{method} succeeded with {result!r}; an error was expected")

    async def send_raw(self, message: dict[str, Any], timeout: float = 20.0) -> dict[str, Any]:
        """Writes `message` to the server as it is, bypassing pygls' typing (for malformed
        params); returns the raw reply to its id."""
        assert self._server is not None and self._server.stdin is not None
        self.protocol.sent_ids.add(repr(message.get("id")))
        body = json.dumps(message).encode("utf-8")
        self._server.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode("ascii") + body)
        await self._server.stdin.drain()
        msg_id = message.get("id")
        await self.wait_until(lambda: self.raw_response(msg_id) is not None, timeout, f"the reply to {msg_id!r}")
        reply = self.raw_response(msg_id)
        assert reply is not None
        return reply

    # -- documents -----------------------------------------------------------------------------

    def open(self, uri: str, text: str, version: int = 1, language_id: str = "python") -> MirroredDocument:
        document = MirroredDocument(uri=uri, version=version, text=text, language_id=language_id)
        self.documents[uri] = document
        self.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(uri=uri, language_id=language_id, version=version, text=text)
            )
        )
        return document

    def change(self, uri: str, edits: list[tuple[int, int, str]]) -> MirroredDocument:
        """Sends one incremental `didChange` with `edits` as (start, end, new text) string
        indices into the text as it is before each edit; applies them in order, like the spec."""
        document = self.documents[uri]
        changes = []
        for start, end, new_text in edits:
            changes.append(
                types.TextDocumentContentChangePartial(
                    range=range_of(document.text, start, end, self.encoding), text=new_text
                )
            )
            document.text = document.text[:start] + new_text + document.text[end:]
        document.version += 1
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=document.version),
                content_changes=changes,
            )
        )
        return document

    def replace_all(self, uri: str, text: str) -> MirroredDocument:
        document = self.documents[uri]
        document.text = text
        document.version += 1
        self.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=document.version),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )
        return document

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)
        self.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )

    # -- the server's requests -----------------------------------------------------------------

    def handle_apply_edit(self, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        raw = next(
            (m["params"] for m in reversed(self.raw) if m.get("method") == "workspace/applyEdit"), {}
        )
        caps = self.capabilities or types.ClientCapabilities()
        if not get_capability(caps, "workspace.apply_edit", False):
            spec_warning("workspace/applyEdit sent to a client without workspace.applyEdit")
        edit = params.edit
        per_document: list[tuple[str, int | None, list[types.TextEdit]]] = []
        if edit.document_changes is not None:
            if not get_capability(caps, "workspace.workspace_edit.document_changes", False):
                spec_warning(
                    "WorkspaceEdit.documentChanges sent to a client without "
                    "workspace.workspaceEdit.documentChanges"
                )
            for change in edit.document_changes:
                if not isinstance(change, types.TextDocumentEdit):
                    spec_warning(f"resource operation {type(change).__name__} in an edit; none was expected")
                    continue
                per_document.append((change.text_document.uri, change.text_document.version, list(change.edits)))
        for uri, edits in (edit.changes or {}).items():
            per_document.append((uri, None, list(edits)))

        reason = None
        if not self.apply_edits:
            reason = "the test declined the edit"
        for uri, version, _ in per_document:
            document = self.documents.get(uri)
            if document is None:
                reason = reason or f"{uri} is not open"
            elif version is not None and version != document.version:
                reason = reason or f"{uri} is at version {document.version}, the edit is for {version}"
        if reason is None:
            for uri, _, edits in per_document:
                document = self.documents[uri]
                document.text = apply_text_edits(document.text, edits, self.encoding)
                document.version += 1
                # An editor reports its own change back to the server.
                self.text_document_did_change(
                    types.DidChangeTextDocumentParams(
                        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=document.version),
                        content_changes=[types.TextDocumentContentChangeWholeDocument(text=document.text)],
                    )
                )
        self.applied_edits.append(AppliedEdit(params=params, raw=raw, applied=reason is None, failure_reason=reason))
        self._wake()
        return types.ApplyWorkspaceEditResult(applied=reason is None, failure_reason=reason)

    def handle_result(self, params: Any) -> None:
        raw = next((m["params"] for m in reversed(self.raw) if m.get("method") == "selfmoa/result"), None)
        self.results.append(raw)
        self._wake()

    # -- waiting -------------------------------------------------------------------------------

    def _wake(self) -> None:
        for condition, future in list(self._notify_waiters):
            if not future.done() and condition():
                future.set_result(None)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 20.0, what: str = "") -> None:
        """Polls `condition` until it holds; fails after `timeout` seconds."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
            if self.error is not None:
                raise AssertionError(f"the client failed while waiting for {what}: {self.error}")
            await asyncio.sleep(0.02)


def make_client() -> SelfmoaClient:
    """The client factory for `ClientServerConfig`."""
    client = SelfmoaClient(converter_factory=default_converter)
    register_lsp_features(client)

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(ls: SelfmoaClient, params: types.ApplyWorkspaceEditParams):
        return ls.handle_apply_edit(params)

    @client.feature("selfmoa/result")
    def selfmoa_result(ls: SelfmoaClient, params: Any):
        ls.handle_result(params)

    return client


# ---------------------------------------------------------------------------------------------
# Checks shared by the tests.


def check_progress(reports: list[Any], *, title: str | None = None) -> None:
    """The spec's shape of one work-done progress: one begin first, reports, one end last;
    percentages within 0–100 and never decreasing."""
    assert reports, "no $/progress on the token"
    kinds = [type(r).__name__ for r in reports]
    assert isinstance(reports[0], types.WorkDoneProgressBegin), f"first is not begin: {kinds}"
    assert isinstance(reports[-1], types.WorkDoneProgressEnd), f"last is not end: {kinds}"
    assert sum(isinstance(r, types.WorkDoneProgressBegin) for r in reports) == 1, kinds
    assert sum(isinstance(r, types.WorkDoneProgressEnd) for r in reports) == 1, kinds
    if title is not None:
        assert reports[0].title == title
    last = -1
    for report in reports[:-1]:
        percentage = getattr(report, "percentage", None)
        if percentage is not None:
            assert 0 <= percentage <= 100, f"percentage {percentage} out of range"
            if percentage < last:
                spec_warning(f"$/progress percentage went down from {last} to {percentage}")
            last = percentage


def check_action_capabilities(client: SelfmoaClient, action: dict[str, Any]) -> None:
    """Spec rules on a code action literal that pytest-lsp does not check itself."""
    caps = client.capabilities
    if "data" in action and not get_capability(caps, "text_document.code_action.data_support", False):
        spec_warning("CodeAction.data sent to a client without codeAction.dataSupport")
    if "command" not in action and "edit" not in action:
        # Something has to be resolved: the client must be able to resolve it.
        properties = get_capability(caps, "text_document.code_action.resolve_support.properties", [])
        if "command" not in properties and "edit" not in properties:
            spec_warning(f"code action {action['title']!r} has neither command nor edit, and the client cannot resolve them")
    if "disabled" in action and not get_capability(caps, "text_document.code_action.disabled_support", False):
        spec_warning("CodeAction.disabled sent to a client without disabledSupport")
    if "isPreferred" in action and not get_capability(caps, "text_document.code_action.is_preferred_support", False):
        spec_warning("CodeAction.isPreferred sent to a client without isPreferredSupport")
    edit = action.get("edit") or {}
    if "documentChanges" in edit and not get_capability(caps, "workspace.workspace_edit.document_changes", False):
        spec_warning("a code action's edit uses documentChanges, which the client did not announce")


def check_diagnostics_capabilities(caps: types.ClientCapabilities, diagnostics: list[dict[str, Any]]) -> None:
    """Properties of published diagnostics the client did not announce it understands."""
    tag_set = get_capability(caps, "text_document.publish_diagnostics.tag_support.value_set", None)
    for d in diagnostics:
        if "data" in d and not get_capability(caps, "text_document.publish_diagnostics.data_support", False):
            spec_warning("Diagnostic.data sent to a client without publishDiagnostics.dataSupport")
        if "codeDescription" in d and not get_capability(
            caps, "text_document.publish_diagnostics.code_description_support", False
        ):
            spec_warning("Diagnostic.codeDescription sent to a client without codeDescriptionSupport")
        if d.get("relatedInformation") and not get_capability(
            caps, "text_document.publish_diagnostics.related_information", False
        ):
            spec_warning("Diagnostic.relatedInformation sent to a client without relatedInformation support")
        for tag in d.get("tags") or []:
            if tag_set is None or tag not in [t.value if hasattr(t, "value") else t for t in tag_set]:
                spec_warning(f"Diagnostic tag {tag} not in the client's tagSupport.valueSet")


def dumps(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True, default=str)


@dataclass
class Profile:
    """A client profile pytest-lsp ships, and the raw JSON of its capabilities."""

    spec: str
    capabilities: types.ClientCapabilities
    raw: dict[str, Any] = field(default_factory=dict)
