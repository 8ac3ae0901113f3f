"""A minimal LSP client over the real binary's pipes, for benchmarks.

Synchronous on purpose: `request()` writes one frame and blocks reading frames until the matching
response arrives, in the same thread, so a measured round trip has no thread hand-off in it.
`pipeline()` keeps a window of requests in flight (a writer thread, reads in the caller's thread)
to measure throughput.
"""

import json
import os
import subprocess
import threading


def _frame(obj):
    body = json.dumps(obj, separators=(",", ":")).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class LSPClient:
    def __init__(self, binary, args=(), env=None, stderr_path=os.devnull):
        self._stderr = open(stderr_path, "wb")
        self.proc = subprocess.Popen(
            [binary, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
            bufsize=0,
        )
        self._out = self.proc.stdin
        self._in = self.proc.stdout
        self._buf = bytearray()
        self._next_id = 1
        self.notifications = []

    # -- framing -----------------------------------------------------------------------------
    def send(self, obj):
        self._out.write(_frame(obj))

    def send_raw(self, data):
        self._out.write(data)

    def _read_frame(self):
        while True:
            end = self._buf.find(b"\r\n\r\n")
            if end >= 0:
                header = bytes(self._buf[:end]).decode("ascii")
                length = None
                for line in header.split("\r\n"):
                    name, _, value = line.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:
                    raise RuntimeError("frame without Content-Length: %r" % header)
                total = end + 4 + length
                while len(self._buf) < total:
                    chunk = self._in.read(max(65536, total - len(self._buf)))
                    if not chunk:
                        raise EOFError("server closed stdout")
                    self._buf += chunk
                body = bytes(self._buf[end + 4 : total])
                del self._buf[:total]
                return body
            chunk = self._in.read(65536)
            if not chunk:
                raise EOFError("server closed stdout")
            self._buf += chunk

    def read_message(self):
        return json.loads(self._read_frame())

    # -- requests ----------------------------------------------------------------------------
    def new_id(self):
        i = self._next_id
        self._next_id += 1
        return i

    def request(self, method, params):
        rid = self.new_id()
        self.send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        return self.wait_for(rid)

    def wait_for(self, rid):
        while True:
            msg = self.read_message()
            if msg.get("id") == rid and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError("request %s failed: %s" % (rid, msg["error"]))
                return msg["result"]
            if "method" in msg and "id" in msg:
                # A server->client request (progress token creation, applyEdit): accept it.
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
            else:
                self.notifications.append(msg)

    def notify(self, method, params):
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def pipeline(self, frames, window):
        """Sends pre-encoded request frames (ids 1..len) with at most `window` unanswered;
        returns when every response has arrived. Ids must be the frames' positions + base."""
        sem = threading.Semaphore(window)
        errors = []

        def writer():
            try:
                for f in frames:
                    sem.acquire()
                    self._out.write(f)
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        t = threading.Thread(target=writer)
        t.start()
        received = 0
        while received < len(frames):
            msg = self.read_message()
            if "id" in msg and "method" not in msg:
                if "error" in msg:
                    raise RuntimeError("pipelined request failed: %s" % msg["error"])
                received += 1
                sem.release()
        t.join()
        if errors:
            raise errors[0]

    def initialize(self, capabilities=None, options=None):
        caps = capabilities or {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {
                "codeAction": {
                    "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["source", "quickfix"]}},
                    "resolveSupport": {"properties": ["command"]},
                }
            },
        }
        params = {"processId": os.getpid(), "rootUri": None, "capabilities": caps}
        if options is not None:
            params["initializationOptions"] = options
        result = self.request("initialize", params)
        self.notify("initialized", {})
        return result

    def close(self):
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self._out.close()
        except (BrokenPipeError, EOFError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._stderr.close()

    def server_cpu_seconds(self):
        """User + system CPU seconds the server process has used so far (Linux /proc)."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks
