"""Starts the embedded default's llama-server (the binary and model `make setup` put in the
per-user cache) with the same flags the managed server uses, for benchmarks that need to see or
vary the server."""

import json
import os
import socket
import subprocess
import time
import urllib.request

ENGINE_VERSION = "11434.0.0"
MODEL_FILE = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"


def cache_dir():
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = xdg if xdg and xdg.startswith("/") else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "selfmoa-lsp")


def bin_dir():
    return os.path.join(cache_dir(), "llama", ENGINE_VERSION, "bin")


def model_path():
    return os.path.join(cache_dir(), "models", MODEL_FILE)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def managed_arguments(port, slots=6, per_slot=4096):
    """What ManagedLlamaServer passes (ModelBackend/Managed/ManagedLlamaServer.swift)."""
    return [
        "-m", model_path(), "--host", "127.0.0.1", "--port", str(port), "-np", str(slots),
        "--kv-unified", "--kv-unified-per-slot", str(per_slot), "-c", str(slots * per_slot), "--no-webui",
    ]


class LlamaServer:
    def __init__(self, extra=(), slots=6, per_slot=4096, log_path=os.devnull):
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.args = [os.path.join(bin_dir(), "llama-server")] + managed_arguments(self.port, slots, per_slot) + list(extra)
        env = dict(os.environ)
        env["LD_LIBRARY_PATH"] = bin_dir() + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
        if os.path.dirname(log_path):
            os.makedirs(os.path.dirname(log_path), exist_ok=True)
        self._log = open(log_path, "ab")
        self.proc = subprocess.Popen(self.args, stdout=self._log, stderr=subprocess.STDOUT, env=env)
        self.started = time.time()
        self._wait_healthy()
        self.ready_seconds = time.time() - self.started

    def _wait_healthy(self, timeout=180):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("llama-server exited with %s: %s" % (self.proc.returncode, " ".join(self.args)))
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except Exception:
                pass
            time.sleep(0.25)
        raise RuntimeError("llama-server did not become healthy in %ds" % timeout)

    def post(self, path, obj, timeout=600):
        req = urllib.request.Request(self.url + path, data=json.dumps(obj).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.loads(r.read())

    def tokens(self, text):
        return len(self.post("/tokenize", {"content": text})["tokens"])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
