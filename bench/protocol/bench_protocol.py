#!/usr/bin/env python3
"""Protocol overhead of the real `selfmoa-lsp` binary over pipes, no model involved.

1. Round trip of `textDocument/codeAction` (lists three actions, never calls the model):
   N sequential requests -> latency percentiles; N pipelined requests -> throughput.
2. `didChange` incremental edits on a large (default 10 MB) document, each followed by a
   `codeAction` on the edited line so the clock stops only once the edit has been applied.

The client is Python: what it costs per round trip is measured separately (encode a request and
decode a response in-process, no I/O) and reported next to the results, as are the CPU seconds
of the client and the server during each run.
"""

import argparse
import json
import os
import random
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from lspclient import LSPClient, _frame  # noqa: E402
import meta as M  # noqa: E402

SMALL_URI = "file:///bench/small.py"
BIG_URI = "file:///bench/big.py"


def client_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def code_action_params(uri, line, end_line=None):
    return {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": line, "character": 0}, "end": {"line": end_line if end_line is not None else line, "character": 10}},
        "context": {"diagnostics": []},
    }


def small_text():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "snippets", "1_inventory.py")) as f:
        return f.read()


def big_text(size):
    """A Python-looking document of about `size` bytes, ASCII with some non-ASCII identifiers in
    comments so UTF-16 conversion is exercised."""
    block = (
        "def handler_{i}(request, retries=3):\n"
        "    # naïve retry loop — keeps the last error\n"
        "    last = None\n"
        "    for attempt in range(retries):\n"
        "        try:\n"
        "            return request.send(timeout=attempt + 1)\n"
        "        except OSError as error:\n"
        "            last = error\n"
        "    raise RuntimeError(f\"gave up after {{retries}}: {{last}}\")\n\n"
    )
    parts = []
    total = 0
    i = 0
    while total < size:
        b = block.format(i=i)
        parts.append(b)
        total += len(b.encode())
        i += 1
    return "".join(parts)


def client_cost(n, response_body):
    """Seconds the client spends per round trip outside the pipe: frame one request, decode one
    response (the same JSON the server sent)."""
    params = code_action_params(SMALL_URI, 3)
    t0 = time.perf_counter()
    for i in range(n):
        _frame({"jsonrpc": "2.0", "id": i, "method": "textDocument/codeAction", "params": params})
        json.loads(response_body)
    return (time.perf_counter() - t0) / n


def stats_ms(samples_ns):
    s = sorted(samples_ns)
    ms = lambda v: round(v / 1e6, 4)
    return {
        "count": len(s),
        "mean_ms": ms(sum(s) / len(s)),
        "p50_ms": ms(M.percentile(s, 50)),
        "p90_ms": ms(M.percentile(s, 90)),
        "p99_ms": ms(M.percentile(s, 99)),
        "max_ms": ms(s[-1]),
        "min_ms": ms(s[0]),
    }


def bench_round_trip(binary, n, window):
    c = LSPClient(binary)
    c.initialize()
    text = small_text()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": SMALL_URI, "languageId": "python", "version": 1, "text": text}})
    params = code_action_params(SMALL_URI, 3, 12)
    for _ in range(500):  # warm-up
        result = c.request("textDocument/codeAction", params)
    assert len(result) == 3, result
    response_body = json.dumps({"jsonrpc": "2.0", "id": 1, "result": result}, separators=(",", ":"))

    # Sequential: one request in flight.
    lat = []
    cpu_c0, cpu_s0 = client_cpu(), c.server_cpu_seconds()
    t_start = time.perf_counter()
    for _ in range(n):
        t0 = time.perf_counter_ns()
        c.request("textDocument/codeAction", params)
        lat.append(time.perf_counter_ns() - t0)
    wall = time.perf_counter() - t_start
    seq = stats_ms(lat)
    seq.update(
        wall_s=round(wall, 3),
        requests_per_s=round(n / wall, 1),
        client_cpu_s=round(client_cpu() - cpu_c0, 3),
        server_cpu_s=round(c.server_cpu_seconds() - cpu_s0, 3),
    )
    seq["server_cpu_per_request_us"] = round(seq["server_cpu_s"] / n * 1e6, 1)

    # Pipelined: `window` requests in flight.
    first = c._next_id
    frames = [
        _frame({"jsonrpc": "2.0", "id": first + k, "method": "textDocument/codeAction", "params": params}) for k in range(n)
    ]
    c._next_id += n
    cpu_c0, cpu_s0 = client_cpu(), c.server_cpu_seconds()
    t0 = time.perf_counter()
    c.pipeline(frames, window)
    wall = time.perf_counter() - t0
    pipe = {
        "count": n,
        "window": window,
        "wall_s": round(wall, 3),
        "requests_per_s": round(n / wall, 1),
        "client_cpu_s": round(client_cpu() - cpu_c0, 3),
        "server_cpu_s": round(c.server_cpu_seconds() - cpu_s0, 3),
    }
    pipe["server_cpu_per_request_us"] = round(pipe["server_cpu_s"] / n * 1e6, 1)
    c.close()
    cost = client_cost(n, response_body)
    return {
        "document_bytes": len(text.encode()),
        "response_bytes": len(response_body),
        "sequential": seq,
        "pipelined": pipe,
        "client_cost_per_round_trip_us": round(cost * 1e6, 1),
    }


def bench_edits(binary, size, edits, seed=7):
    rng = random.Random(seed)
    text = big_text(size)
    nbytes = len(text.encode())
    nlines = text.count("\n")
    c = LSPClient(binary)
    c.initialize()
    out = {"document_bytes": nbytes, "document_lines": nlines}

    # didOpen, clocked until a request on its last line answers.
    cpu_s0 = c.server_cpu_seconds()
    t0 = time.perf_counter()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": BIG_URI, "languageId": "python", "version": 1, "text": text}})
    c.request("textDocument/codeAction", code_action_params(BIG_URI, nlines - 2))
    out["didOpen_ms"] = round((time.perf_counter() - t0) * 1e3, 2)
    out["didOpen_server_cpu_s"] = round(c.server_cpu_seconds() - cpu_s0, 3)

    def measure(kind, make_change, count):
        nonlocal version
        lat = []
        cpu_s0 = c.server_cpu_seconds()
        for _ in range(count):
            line = rng.randrange(1, nlines - 2)
            version += 1
            change = make_change(line)
            t0 = time.perf_counter_ns()
            c.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": BIG_URI, "version": version}, "contentChanges": [change]},
            )
            result = c.request("textDocument/codeAction", code_action_params(BIG_URI, line))
            lat.append(time.perf_counter_ns() - t0)
            ver = result[0]["data"]["arguments"][0]["textDocument"]["version"]
            assert ver == version, (ver, version)  # the request saw the edit
        r = stats_ms(lat)
        r["server_cpu_per_edit_ms"] = round((c.server_cpu_seconds() - cpu_s0) / count * 1e3, 3)
        out[kind] = r

    version = 1
    # Baseline: the cheap request alone on the big document.
    lat = []
    for _ in range(edits):
        line = rng.randrange(1, nlines - 2)
        t0 = time.perf_counter_ns()
        c.request("textDocument/codeAction", code_action_params(BIG_URI, line))
        lat.append(time.perf_counter_ns() - t0)
    out["codeAction_only"] = stats_ms(lat)

    # Typing a character in the middle of a line (no line starts move).
    measure(
        "edit_insert_char",
        lambda line: {"range": {"start": {"line": line, "character": 8}, "end": {"line": line, "character": 8}}, "text": "x"},
        edits,
    )
    # Pressing Enter: a new line, every later line start shifts.
    measure(
        "edit_insert_newline",
        lambda line: {"range": {"start": {"line": line, "character": 4}, "end": {"line": line, "character": 4}}, "text": "\n    "},
        edits,
    )
    # Pasting 20 lines over 3 existing ones.
    paste = "".join("    value_%d = compute(%d)  # pasted\n" % (k, k) for k in range(20))
    measure(
        "edit_paste_20_lines",
        lambda line: {"range": {"start": {"line": line, "character": 0}, "end": {"line": line + 3, "character": 0}}, "text": paste},
        edits,
    )
    c.close()
    for kind in ("edit_insert_char", "edit_insert_newline", "edit_paste_20_lines"):
        out[kind]["p50_minus_codeAction_p50_ms"] = round(out[kind]["p50_ms"] - out["codeAction_only"]["p50_ms"], 4)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp"))
    ap.add_argument("--requests", type=int, default=10000)
    ap.add_argument("--window", type=int, default=64)
    ap.add_argument("--doc-mb", type=float, default=10.0)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--only", choices=["roundtrip", "edits"], default=None)
    args = ap.parse_args()
    meta = M.metadata()
    meta["binary"] = os.path.relpath(args.binary, M.ROOT)
    meta["client"] = "Python %s (bench/lib/lspclient.py), synchronous reads in the calling thread" % sys.version.split()[0]
    body = {}
    if args.only in (None, "roundtrip"):
        body["roundTrip"] = bench_round_trip(args.binary, args.requests, args.window)
        print(json.dumps(body["roundTrip"], indent=2))
    if args.only in (None, "edits"):
        body["edits"] = bench_edits(args.binary, int(args.doc_mb * 1024 * 1024), args.edits)
        print(json.dumps(body["edits"], indent=2))
    name = "protocol" if args.only is None else "protocol-" + args.only
    print("wrote", M.write_result(name, meta, body))


if __name__ == "__main__":
    main()
