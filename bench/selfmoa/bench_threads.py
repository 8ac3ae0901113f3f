#!/usr/bin/env python3
"""llama-server thread settings on a shared 2-core machine: prefill and decode speed of one
explain-sized request (snippet 3, 96 tokens out, greedy) per setting, settings interleaved over
several rounds so they see the same background load. The managed server passes no `-t`
(llama.cpp's default: all cores, polling level 50)."""

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import meta as M  # noqa: E402
from llama import LlamaServer  # noqa: E402

SETTINGS = {
    "default (managed flags)": [],
    "-t 1": ["-t", "1"],
    "--poll 0": ["--poll", "0"],
    "-t 1 -tb 2": ["-t", "1", "-tb", "2"],
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--max-tokens", type=int, default=96)
    args = ap.parse_args()
    prompt = open(os.path.join(M.BENCH, "snippets", "3_line_index.swift")).read()
    meta = M.metadata()
    runs = []
    for rnd in range(args.rounds):
        for name, extra in SETTINGS.items():
            s = LlamaServer(extra=extra)
            load = os.getloadavg()[0]
            t = time.time()
            r = s.post("/v1/chat/completions", {"messages": [{"role": "user", "content": "Explain this code:\n" + prompt}],
                                                "max_tokens": args.max_tokens, "temperature": 0})
            wall = time.time() - t
            s.stop()
            tm = r["timings"]
            runs.append({"round": rnd, "setting": name, "load1": round(load, 2), "wall": round(wall, 2),
                         "prefill_n": tm["prompt_n"], "prefill_tps": round(tm["prompt_per_second"], 1),
                         "decode_n": tm["predicted_n"], "decode_tps": round(tm["predicted_per_second"], 2)})
            print(json.dumps(runs[-1]), flush=True)
    summary = {}
    for name in SETTINGS:
        rs = [r for r in runs if r["setting"] == name]
        summary[name] = {k: round(sorted(r[k] for r in rs)[len(rs) // 2], 2) for k in ("prefill_tps", "decode_tps", "wall", "load1")}
    print(json.dumps(summary, indent=1))
    print("wrote", M.write_result("llama-threads", meta, {"settings": SETTINGS, "runs": runs, "medians": summary}))


if __name__ == "__main__":
    main()
