#!/usr/bin/env python3
"""Writes the seed corpus of every fuzz target into fuzz/corpus/<target>/.

Seeds are the messages of the protocol transcripts (protocol/examples/*.jsonl) plus hand-made
edge cases. Re-run after changing the transcripts; the output is deterministic, so `git diff`
shows what changed. ReliabilityTests replays every seed through the same checks as the fuzzers.
"""
import hashlib
import json
import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
URI = "file:///fuzz/a.py"  # the document ServerChecks' preamble opens


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def transcripts():
    """(name, [bytes of each message the client sends]) per transcript."""
    for path in sorted((ROOT / "protocol" / "examples").glob("*.jsonl")):
        sends = []
        for line in path.read_text().splitlines():
            if not line.strip():
                continue
            step = json.loads(line)
            if "send" in step:
                sends.append(dumps(step["send"]))
            elif "sendRaw" in step:
                sends.append(step["sendRaw"].encode())
        yield path.stem, sends


def request(id, method, params=None):
    message = {"jsonrpc": "2.0", "id": id, "method": method}
    if params is not None:
        message["params"] = params
    return message


def notification(method, params=None):
    message = {"jsonrpc": "2.0", "method": method}
    if params is not None:
        message["params"] = params
    return message


def rng(sl, sc, el, ec):
    return {"start": {"line": sl, "character": sc}, "end": {"line": el, "character": ec}}


ARGUMENT = {"textDocument": {"uri": URI, "version": 1}, "range": rng(2, 0, 4, 16)}

# Messages a session after the preamble typically sends.
SESSION = [
    request(10, "textDocument/codeAction", {"textDocument": {"uri": URI}, "range": rng(2, 0, 4, 8), "context": {"diagnostics": []}}),
    request(11, "textDocument/codeAction", {"textDocument": {"uri": URI}, "range": rng(-1, -4, 99, 99), "context": {"diagnostics": [], "only": ["source.selfmoa.review"]}}),
    request(12, "codeAction/resolve", {"title": "Self-MoA: explain this code", "kind": "source.selfmoa.explain", "data": {"command": "selfmoa.explain", "arguments": [ARGUMENT]}}),
    notification("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"range": rng(4, 16, 4, 16), "text": " + 0"}]}),
    request(13, "workspace/executeCommand", {"command": "selfmoa.explain", "arguments": [ARGUMENT]}),
    request(14, "workspace/executeCommand", {"command": "selfmoa.review", "arguments": [{"textDocument": {"uri": URI, "version": None}}]}),
    request(15, "workspace/executeCommand", {"command": "selfmoa.complete", "arguments": [{"textDocument": {"uri": URI, "version": 2}, "range": rng(4, 0, 4, 0)}], "workDoneToken": "t1"}),
    notification("$/cancelRequest", {"id": 14}),
    notification("window/workDoneProgress/cancel", {"token": "t1"}),
    request(16, "textDocument/completion", {"textDocument": {"uri": URI}, "position": {"line": 4, "character": 4}}),
    request(17, "textDocument/inlineCompletion", {"textDocument": {"uri": URI}, "position": {"line": 4, "character": 4}, "context": {"triggerKind": 1}}),
    notification("workspace/didChangeConfiguration", {"settings": {"selfmoa": {"samples": 2, "mode": "seq", "explain": {"maxTokens": 64}, "backend": {"firstTokenTimeout": 1}}}}),
    notification("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": "x = 1\r\ny = 2\n"}]}),
    notification("textDocument/didSave", {"textDocument": {"uri": URI}}),
    notification("textDocument/didClose", {"textDocument": {"uri": URI}}),
    request(18, "shutdown"),
    notification("exit"),
]

# selfmoa.ask and selfmoa.reviewChanges, good and bad arguments. The preamble announces
# `experimental.selfmoa.ask` and `results`, so the code actions include ask and results stream as
# `selfmoa/result` notifications. Roots are `file:///fuzz/…` (no such repository: an error reply).
def ask(id, question, **extra):
    argument = dict(ARGUMENT, **extra)
    if question is not ABSENT:
        argument["question"] = question
    return request(id, "workspace/executeCommand", {"command": "selfmoa.ask", "arguments": [argument]})


def review_changes(id, *arguments):
    params = {"command": "selfmoa.reviewChanges"}
    if arguments:
        params["arguments"] = list(arguments)
    return request(id, "workspace/executeCommand", params)


ABSENT = object()
ASK_AND_CHANGES = [
    notification("initialized", {}),
    request(30, "textDocument/codeAction", {"textDocument": {"uri": URI}, "range": rng(2, 0, 4, 8), "context": {"diagnostics": [], "only": ["source.selfmoa.ask"]}}),
    request(31, "codeAction/resolve", {"title": "Self-MoA: ask about this code", "kind": "source.selfmoa.ask", "data": {"command": "selfmoa.ask", "arguments": [ARGUMENT]}}),
    ask(32, "What does add return for strings?"),
    ask(33, "  why é😀?\n", workDoneToken="t2"),
    ask(34, ABSENT),
    ask(35, ""),
    ask(36, " \t\r\n "),
    ask(37, 42),
    ask(38, None),
    ask(39, ["why?"]),
    ask(40, "q" * 4001),
    ask(41, "é" * 4000),
    ask(42, "x", textDocument={"uri": URI, "version": 99}),
    notification("$/cancelRequest", {"id": 32}),
    review_changes(50),
    review_changes(51, None),
    review_changes(52, {}),
    review_changes(53, {"root": "file:///fuzz/no-repository"}),
    review_changes(54, {"root": "file:///fuzz/no-repository", "revision": "main...HEAD", "maxFunctions": 3}),
    review_changes(55, {"root": "https://example.com/repo"}),
    review_changes(56, {"root": "not a uri"}),
    review_changes(57, {"root": "file:///fuzz/no-repository", "revision": "--output=/tmp/selfmoa-fuzz"}),
    review_changes(58, {"root": "file:///fuzz/no-repository", "revision": ""}),
    review_changes(59, {"root": "file:///fuzz/no-repository", "maxFunctions": 0}),
    review_changes(60, {"root": "file:///fuzz/no-repository", "maxFunctions": -7}),
    review_changes(61, {"root": "file:///fuzz/no-repository", "maxFunctions": "5"}),
    review_changes(62, {"root": 7, "revision": ["HEAD"]}),
    review_changes(63, "HEAD"),
    notification("$/cancelRequest", {"id": 53}),
]
INITIALIZE_ASK = request("init-ask", "initialize", {"processId": None, "rootUri": "file:///fuzz", "capabilities": {
    "experimental": {"selfmoa": {"ask": True, "results": True}}, "window": {"workDoneProgress": True}}})

# Hostile messages (as raw bodies).
HOSTILE = [
    b'{"jsonrpc":"2.0","id":1,"method":',
    b'{"jsonrpc":"2.0","id":true,"method":"shutdown"}',
    b'{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}',
    b'{"jsonrpc":"2.0","id":[1],"method":"shutdown"}',
    b'{"jsonrpc":"2.0","id":null,"method":"shutdown"}',
    b'{"id":"x","method":"shutdown"}',
    b'{"jsonrpc":"1.0","id":"y","method":"shutdown"}',
    b'{"jsonrpc":"2.0","id":"z","method":7}',
    b'{"jsonrpc":"2.0","id":"p","method":"textDocument/codeAction","params":null}',
    b'{"jsonrpc":"2.0","id":"q","method":"textDocument/codeAction","params":5}',
    b"[]",
    b'[1,"a",null,[]]',
    b'[{"jsonrpc":"2.0","id":"b1","method":"shutdown"},{"jsonrpc":"2.0","method":"exit"}]',
    b'{"jsonrpc":"2.0","id":"u","method":"x","params":{"s":"\xff\xfe"}}',
    b'{"jsonrpc":"2.0","id":"v","method":"x","params":{"s":"\xed\xa0\x80"}}',
    b'{"jsonrpc":"2.0","id":"w","method":"x","params":{"s":"\\ud800\\u0000"}}',
    b'{"jsonrpc":"2.0","id":9223372036854775807,"method":"x"}',
    b'{"jsonrpc":"2.0","id":9223372036854775808,"method":"x"}',
    b'{"jsonrpc":"2.0","id":-1,"result":null}',
    b'{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}}',
    b"[" * 300 + b"]" * 300,
    b'{"a":' * 300 + b"1" + b"}" * 300,
    b"",
    b"   ",
    b"NaN",
    b'"\x00"',
    b"1e400",
    b"-0.0",
    b'{"\\u0000":1}',
]


def write(target, name, data: bytes):
    directory = CORPUS / target
    directory.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    (directory / f"{name}-{digest}").write_bytes(data)


def main():
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    all_bodies = []
    for name, sends in transcripts():
        all_bodies += [(name, body) for body in sends]
        write("framer", name, b"".join(frame(body) for body in sends))
        # The server's preamble already initialised: drop the transcript's own handshake
        # unless it is the lifecycle transcript, which is about exactly that.
        kept = [b for b in sends if name == "lifecycle" or b'"initialize' not in b]
        write("server", name, b"".join(frame(body) for body in kept))
    session = [dumps(m) for m in SESSION]
    all_bodies += [("session", body) for body in session]
    all_bodies += [("hostile", body) for body in HOSTILE]
    write("server", "session", b"".join(frame(b) for b in session))
    write("server", "hostile", b"".join(frame(b) for b in HOSTILE))
    ask_and_changes = [dumps(m) for m in ASK_AND_CHANGES]
    all_bodies += [("ask-and-changes", body) for body in ask_and_changes + [dumps(INITIALIZE_ASK)]]
    write("server", "ask-and-changes", b"".join(frame(b) for b in ask_and_changes))
    write("server", "cancel-storm", b"".join(frame(dumps(m)) for i in range(20) for m in (
        request(100 + i, "workspace/executeCommand", {"command": "selfmoa.explain", "arguments": [ARGUMENT]}),
        notification("$/cancelRequest", {"id": 100 + i}),
        notification("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2 + i}, "contentChanges": [{"range": rng(0, 0, 0, 0), "text": "#"}]}),
    )))
    for index, (name, body) in enumerate(all_bodies):
        write("json", f"{name}-{index}", body)
        try:
            params = dumps(json.loads(body)["params"])
        except Exception:
            continue
        write("params", f"{name}-{index}", b"\x00" + params)
    write("framer", "session", b"".join(frame(b) for b in session))
    write("framer", "hostile", b"".join(frame(b) for b in HOSTILE))
    write("framer", "ask-and-changes", b"".join(frame(b) for b in ask_and_changes))
    write("framer", "headers", b"content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
          b"Content-Type: text/plain\r\n\r\n{}Content-Length: -5\r\n\r\nContent-Length: x\r\n\r\n"
          b"\r\n\r\nContent-Length: 2\n\n{}Content-Length: 99999999999999999999\r\n\r\n{}"
          b"Content-Length: 10\r\n\r\n" + dumps(SESSION[0]) + frame(dumps(SESSION[1])))
    for name, settings in [
        ("settings", {"selfmoa": {"backend": {"url": "http://127.0.0.1:9", "apiKeyEnv": "K", "contextTokens": 4096, "totalTimeout": 3}, "samples": 3, "seq": {"window": 6, "reserved": 3}, "complete": {"proposerModels": ["a", "b"], "prefixReuse": True}}}),
        ("bad-settings", {"mode": "fast", "samples": -1, "explain": {"samples": "x"}}),
    ]:
        write("params", name, b"\x00" + dumps(settings))
    # Document edits: 0x01, text, then per edit 0xFE, start line/char, end line/char, encoding, text.
    text = "import os\n\ndef add(a, b):\r\n    return a + b  # é😀\n".encode()
    edits = [bytes([4, 17, 4, 19, 1]) + "→".encode(), bytes([0, 0, 0, 0, 0]) + b"x\ny",
             bytes([0xFF, 0, 0xFD, 0xFD, 2]) + b"", bytes([2, 0xFC, 1, 3, 1]) + "😀\r\n".encode()]
    write("params", "edits", b"\x01" + text + b"".join(b"\xfe" + e for e in edits))


if __name__ == "__main__":
    main()
