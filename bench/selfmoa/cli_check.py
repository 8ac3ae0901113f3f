#!/usr/bin/env python3
"""Cross-checks the benchmark driver against the shipped CLI, and measures the cold start.

1. `selfmoa-lsp explain FILE --json --mode selfmoa --samples 4 --seed 1234` against a fresh
   llama-server (the same set-up as config b of bench_latency.py): its cost report should match
   the driver's (same prompts, same prefill counts).
2. `selfmoa-lsp explain FILE --json --mode single` with no backend URL: the managed embedded
   server is started by the command itself, so this is what a first request costs from cold.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import meta as M  # noqa: E402
from llama import LlamaServer  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp"))
    ap.add_argument("--snippet", default=os.path.join(M.BENCH, "snippets", "3_line_index.swift"))
    args = ap.parse_args()
    meta = M.metadata()
    body = {}

    server = LlamaServer()
    cmd = [args.binary, "explain", args.snippet, "--json", "--quiet", "--mode", "selfmoa", "--samples", "4", "--seed", "1234", "--backend-url", server.url]
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t0
    server.stop()
    if out.returncode != 0:
        body["cliSelfMoA"] = {"command": " ".join(cmd), "error": out.stderr[-1500:]}
    else:
        body["cliSelfMoA"] = {"command": " ".join(cmd[:-2]) + " --backend-url <fresh llama-server>", "processSeconds": round(wall, 2),
                              "cost": json.loads(out.stdout)["cost"]}

    env = dict(os.environ)
    env.pop("SELFMOA_BACKEND_URL", None)
    cmd = [args.binary, "explain", args.snippet, "--json", "--quiet", "--mode", "single"]
    t0 = time.time()
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    wall = time.time() - t0
    if out.returncode != 0:
        body["coldSingle"] = {"command": " ".join(cmd), "error": out.stderr[-1500:]}
    else:
        cost = json.loads(out.stdout)["cost"]
        body["coldSingle"] = {"command": " ".join(cmd), "processSeconds": round(wall, 2), "cost": cost,
                              "startupSeconds": round(wall - cost["totalSeconds"], 2)}
    print(json.dumps(body, indent=1))
    print("wrote", M.write_result("selfmoa-cli-check", meta, body))


if __name__ == "__main__":
    main()
