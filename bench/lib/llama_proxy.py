"""A recording HTTP proxy in front of llama-server, for benchmarks.

Forwards every request to the upstream server and streams the response back unchanged (SSE
chunks are passed on as they arrive). For each request it records, in memory:
path, `n`, `stream`, temperature, max tokens, the time it arrived, the time of the first
generated text (SSE streams), the time it ended, llama.cpp's `timings` (prompt_n = tokens
prefilled, cache_n = tokens taken from the prompt cache, predicted_n, draft acceptance) and the
generated texts.

`strip_n=True` rewrites `n`/`n_cmpl` to 1 on the way up, so a client that probes `n` (asks for
two choices, gets one) falls back to separate concurrent requests: how Self-MoA runs against a
backend without `n`.
"""

import http.client
import http.server
import json
import threading
import time

HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "content-length"}


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.records = []

    def add(self, rec):
        with self.lock:
            self.records.append(rec)

    def take(self):
        with self.lock:
            out, self.records = self.records, []
        return out


def _summarise_body(body):
    try:
        obj = json.loads(body)
    except Exception:
        return {}
    if not isinstance(obj, dict):
        return {}
    out = {}
    for key in ("n", "n_cmpl", "stream", "temperature", "max_tokens", "n_predict", "seed", "cache_prompt", "id_slot"):
        if key in obj:
            out[key] = obj[key]
    if "messages" in obj:
        out["messages"] = len(obj["messages"])
        out["promptChars"] = sum(len(m.get("content") or "") if isinstance(m.get("content"), str) else 0 for m in obj["messages"])
    return out


def _collect_timings(obj, rec):
    if not isinstance(obj, dict):
        return
    t = obj.get("timings")
    if isinstance(t, dict):
        rec.setdefault("timings", []).append(t)
    u = obj.get("usage")
    if isinstance(u, dict):
        rec["usage"] = u
    for ch in obj.get("choices") or []:
        if not isinstance(ch, dict):
            continue
        msg = ch.get("message") or {}
        if isinstance(msg.get("content"), str):
            rec.setdefault("texts", {})[str(ch.get("index", 0))] = msg["content"]
        if isinstance(ch.get("text"), str):
            rec.setdefault("texts", {})[str(ch.get("index", 0))] = ch["text"]


def make_handler(upstream_host, upstream_port, recorder, strip_n):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _proxy(self):
            t_start = time.time()
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            rec = {"method": self.command, "path": self.path, "tStart": t_start}
            if body:
                rec.update(_summarise_body(body))
                if strip_n:
                    try:
                        obj = json.loads(body)
                        if isinstance(obj, dict) and (obj.get("n", 1) != 1 or "n_cmpl" in obj):
                            obj.pop("n_cmpl", None)
                            obj["n"] = 1
                            rec["nStripped"] = True
                            body = json.dumps(obj).encode()
                    except Exception:
                        pass
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP and k.lower() != "host"}
            headers["Content-Length"] = str(len(body))
            conn = http.client.HTTPConnection(upstream_host, upstream_port, timeout=900)
            try:
                conn.request(self.command, self.path, body=body if body else None, headers=headers)
                resp = conn.getresponse()
            except Exception as e:
                self.send_error(502, "upstream: %s" % e)
                return
            rec["status"] = resp.status
            ctype = resp.getheader("Content-Type", "")
            streaming = "text/event-stream" in ctype
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in HOP:
                    self.send_header(k, v)
            if streaming:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                texts = {}
                pending = b""
                try:
                    while True:
                        chunk = resp.read1(65536)
                        if not chunk:
                            break
                        now = time.time()
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                        pending += chunk
                        while b"\n" in pending:
                            line, pending = pending.split(b"\n", 1)
                            line = line.strip()
                            if not line.startswith(b"data:"):
                                continue
                            data = line[5:].strip()
                            if data == b"[DONE]":
                                continue
                            try:
                                obj = json.loads(data)
                            except Exception:
                                continue
                            for ch in obj.get("choices") or []:
                                delta = (ch.get("delta") or {}).get("content") or ch.get("text") or ""
                                if delta:
                                    rec.setdefault("tFirstText", now)
                                    i = str(ch.get("index", 0))
                                    texts[i] = texts.get(i, "") + delta
                            _collect_timings(obj, rec)
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    rec["clientClosed"] = True
                rec["texts"] = texts
            else:
                data = resp.read()
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    rec["clientClosed"] = True
                try:
                    _collect_timings(json.loads(data), rec)
                except Exception:
                    pass
            conn.close()
            rec["tEnd"] = time.time()
            recorder.add(rec)

        do_GET = _proxy
        do_POST = _proxy

    return Handler


class Proxy:
    """`Proxy(upstream_port).start()` listens on a free port of 127.0.0.1 (`.url`)."""

    def __init__(self, upstream_port, upstream_host="127.0.0.1", strip_n=False):
        self.recorder = Recorder()
        handler = make_handler(upstream_host, upstream_port, self.recorder, strip_n)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
