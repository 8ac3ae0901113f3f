#!/usr/bin/env python3
"""Self-MoA latency of `explain` on the embedded backend (llama-server + Qwen2.5-Coder-0.5B).

For every snippet in bench/snippets and every configuration:
  a      one greedy sample (mode single)
  b      Self-MoA N=4, proposals in one request with `n` (prompt prefilled once), prefix reuse on
  c      Self-MoA N=4 with N separate concurrent requests (a proxy strips `n`, so the backend's
         probe finds no `n` support and it falls back to concurrent calls)
  d      b with prefix reuse off (the aggregator prompt does not start with the proposers')
  e      Self-MoA-Seq N=12, window 6
  default  the shipped default of explain: Self-MoA N=4, the first proposal greedy and streamed as
         the draft, the others requested once its first token arrives (no settings given)
  spec-* b on a llama-server started with a speculative decoding type (prompt lookup: ngram-*)

Each run gets a fresh llama-server (the managed server's flags, cold prompt cache, model file
in the page cache) behind a recording proxy, and runs `selfmoa-bench run explain FILE` — the
product's `Assistant.explain`, as `selfmoa-lsp explain` runs it. Recorded: wall time, time to the
first token of the answer, the first visible text (`firstTextSeconds`: the draft's first text,
or the answer's when there is no draft), the cost report with its phases, and llama-server's own timings per
request (tokens prefilled vs taken from the cache, decode speed, draft acceptance).
"""

import argparse
import glob
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import meta as M  # noqa: E402
from llama import LlamaServer  # noqa: E402
from llama_proxy import Proxy  # noqa: E402

SEED = 1234
CONFIGS = {
    "default": {"label": "the shipped default (Self-MoA N=4, greedy draft streamed)", "settings": {}},
    "a": {"label": "single greedy sample", "settings": {"mode": "single"}},
    "b": {"label": "Self-MoA N=4, n (prefill once), prefix reuse", "settings": {"mode": "selfmoa", "samples": 4, "prefixReuse": True}},
    "c": {"label": "Self-MoA N=4, 4 concurrent requests", "settings": {"mode": "selfmoa", "samples": 4, "prefixReuse": True}, "strip_n": True},
    "d": {"label": "Self-MoA N=4, n, prefix reuse off", "settings": {"mode": "selfmoa", "samples": 4, "prefixReuse": False}},
    "e": {"label": "Self-MoA-Seq N=12, window 6", "settings": {"mode": "seq", "samples": 12, "window": 6, "reserved": 3}},
    "spec-ngram-simple": {
        "label": "b + --spec-type ngram-simple",
        "settings": {"mode": "selfmoa", "samples": 4, "prefixReuse": True},
        "server": ["--spec-type", "ngram-simple"],
    },
    "spec-ngram-simple-short": {
        "label": "b + --spec-type ngram-simple, n=4 m=16",
        "settings": {"mode": "selfmoa", "samples": 4, "prefixReuse": True},
        "server": ["--spec-type", "ngram-simple", "--spec-ngram-simple-size-n", "4", "--spec-ngram-simple-size-m", "16"],
    },
    "spec-ngram-mod": {
        "label": "b + --spec-type ngram-mod",
        "settings": {"mode": "selfmoa", "samples": 4, "prefixReuse": True},
        "server": ["--spec-type", "ngram-mod"],
    },
}
PROBE_PATHS = {"/health", "/props", "/tokenize", "/v1/models"}


def snippets():
    return sorted(f for f in glob.glob(os.path.join(M.BENCH, "snippets", "*.*")) if not f.endswith(".md"))


def role(rec, single):
    if rec["path"] in PROBE_PATHS or rec.get("max_tokens") == 1 or rec.get("n_predict") == 1:
        return "probe"
    if rec["path"] == "/infill" and rec.get("max_tokens") is None and rec.get("n_predict") is None:
        return "probe"
    if single:
        return "answer"
    return "proposal" if (rec.get("temperature") or 0) > 0 else "aggregation"


def summarise_requests(records, t0, single):
    out = []
    for rec in sorted(records, key=lambda r: r["tStart"]):
        r = {
            "role": role(rec, single),
            "path": rec["path"],
            "n": rec.get("n"),
            "nStripped": rec.get("nStripped", False),
            "stream": rec.get("stream", False),
            "temperature": rec.get("temperature"),
            "start_s": round(rec["tStart"] - t0, 3),
            "end_s": round(rec["tEnd"] - t0, 3),
        }
        if "tFirstText" in rec:
            r["firstText_s"] = round(rec["tFirstText"] - t0, 3)
        t = (rec.get("timings") or [None])[-1]
        if t:
            r["prompt_n"] = t.get("prompt_n")
            r["cache_n"] = t.get("cache_n")
            r["predicted_n"] = t.get("predicted_n")
            r["prompt_per_second"] = round(t.get("prompt_per_second") or 0, 1)
            r["predicted_per_second"] = round(t.get("predicted_per_second") or 0, 2)
            for k in ("draft_n", "draft_n_accepted"):
                if k in t:
                    r[k] = t[k]
        out.append(r)
    return out


def phase_totals(requests):
    phases = {}
    for r in requests:
        if r["role"] == "probe" or "prompt_n" not in r:
            continue
        p = phases.setdefault(r["role"], {"requests": 0, "prefilled": 0, "cached": 0, "predicted": 0, "draft_n": 0, "draft_n_accepted": 0})
        p["requests"] += 1
        p["prefilled"] += r["prompt_n"] or 0
        p["cached"] += r["cache_n"] or 0
        p["predicted"] += r["predicted_n"] or 0
        p["draft_n"] += r.get("draft_n", 0)
        p["draft_n_accepted"] += r.get("draft_n_accepted", 0)
    return phases


def run_one(binary, snippet, name, cfg, log_dir, server_args=()):
    server = LlamaServer(extra=list(server_args) + list(cfg.get("server", ())), log_path=os.path.join(log_dir, "llama-%s-%s.log" % (name, os.path.basename(snippet))))
    proxy = Proxy(server.port, strip_n=cfg.get("strip_n", False)).start()
    settings = dict(cfg["settings"], seed=SEED)
    cmd = [binary, "run", "explain", snippet, "--backend-url", proxy.url, "--settings", json.dumps(settings)]
    load = os.getloadavg()[0]
    cpu0 = server.cpu_seconds()
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.time() - t0
    cpu1 = server.cpu_seconds()
    load_after = os.getloadavg()[0]
    records = proxy.recorder.take()
    proxy.stop()
    server.stop()
    if proc.returncode != 0:
        return {"config": name, "snippet": os.path.basename(snippet), "error": proc.stderr[-2000:], "command": cmd}
    result = json.loads(proc.stdout)
    requests = summarise_requests(records, t0, settings.get("mode") == "single")
    first_model = min((r["start_s"] for r in requests if r["role"] != "probe"), default=None)
    return {
        "config": name,
        "snippet": os.path.basename(snippet),
        "loadavg1Before": round(load, 2),
        "loadavg1After": round(load_after, 2),
        "serverCpuSeconds": round(cpu1 - cpu0, 2) if cpu0 is not None and cpu1 is not None else None,
        "processSeconds": round(elapsed, 3),
        "wallSeconds": round(result["wallSeconds"], 3),
        "firstAnswerSeconds": result["firstAnswerSeconds"] and round(result["firstAnswerSeconds"], 3),
        "firstTextSeconds": result["cost"].get("firstTextSeconds") and round(result["cost"]["firstTextSeconds"], 3),
        "probeSeconds": first_model,
        "cost": result["cost"],
        "phases": result["phases"],
        "plan": result["plan"],
        "aggregated": result["aggregated"],
        "answerChars": len(result["answer"]),
        "proposals": len(result["proposals"]),
        "serverPhases": phase_totals(requests),
        "requests": requests,
        "answer": result["answer"],
    }


def geomean(xs):
    xs = [x for x in xs if x and x > 0]
    if not xs:
        return None
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def summary(runs):
    by = {}
    for r in runs:
        if "error" in r:
            continue
        by.setdefault(r["snippet"], {})[r["config"]] = r
    table = []
    for snip, cfgs in sorted(by.items()):
        row = {"snippet": snip}
        for name, r in cfgs.items():
            row[name] = {
                "wall": r["wallSeconds"], "ttft": r["firstAnswerSeconds"], "firstText": r.get("firstTextSeconds"),
                "prefilled": r["cost"]["prefilledTokens"], "prompt": r["cost"]["promptTokens"],
                "cpu": r.get("serverCpuSeconds"),
            }
        table.append(row)
    ratios = {}

    def ratio(x, y, key):
        vals = [row[x][key] / row[y][key] for row in table if x in row and y in row and row[x][key] and row[y][key]]
        return {"perSnippet": [round(v, 3) for v in vals], "geomean": round(geomean(vals), 3) if vals else None}

    for x, y in (("b", "a"), ("b", "c"), ("d", "b"), ("e", "b")):
        ratios["%s/%s wall" % (x, y)] = ratio(x, y, "wall")
        ratios["%s/%s ttft" % (x, y)] = ratio(x, y, "ttft")
        ratios["%s/%s server CPU" % (x, y)] = ratio(x, y, "cpu")
    ratios["default/a firstText"] = ratio("default", "a", "firstText")
    ratios["default/a wall"] = ratio("default", "a", "wall")
    for spec in [k for k in CONFIGS if k.startswith("spec")]:
        ratios["%s/b wall" % spec] = ratio(spec, "b", "wall")
        ratios["%s/b server CPU" % spec] = ratio(spec, "b", "cpu")
    return {"table": table, "ratios": ratios}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(M.ROOT, ".build", "release", "selfmoa-bench"))
    ap.add_argument("--configs", default="a,b,c,d,e")
    ap.add_argument("--snippets", default="", help="comma-separated name prefixes (default: all)")
    ap.add_argument("--out", default="selfmoa-latency")
    ap.add_argument("--append", action="store_true", help="keep the runs already in the output file")
    ap.add_argument("--server-args", default="", help="extra llama-server arguments for every run, e.g. '-t 1'")
    args = ap.parse_args()
    server_args = args.server_args.split()
    names = args.configs.split(",")
    chosen = [s for s in snippets() if not args.snippets or any(os.path.basename(s).startswith(p) for p in args.snippets.split(","))]
    meta = M.metadata()
    meta["driver"] = "selfmoa-bench run explain (%s): Assistant.explain over OpenAICompatibleModel" % os.path.relpath(args.binary, M.ROOT)
    meta["server"] = "llama-server 11434.0.0 with the managed flags (-np 6 --kv-unified --kv-unified-per-slot 4096, -t cores-1 -tb cores), fresh per run"
    meta["seed"] = SEED
    if server_args:
        meta["server"] += "; plus " + " ".join(server_args)
    log_dir = os.path.join(M.BENCH, "cache", "logs")
    os.makedirs(log_dir, exist_ok=True)
    runs = []
    path = os.path.join(M.RESULTS, args.out + ".json")
    if args.append and os.path.exists(path):
        with open(path) as f:
            old = json.load(f)
        keep = [os.path.basename(s) for s in chosen]
        runs = [r for r in old["runs"] if not (r["config"] in names and r["snippet"] in keep)]
        meta["earlierRuns"] = old["meta"].get("earlierRuns", []) + [{k: v for k, v in old["meta"].items() if k != "earlierRuns"}]
    server = LlamaServer(extra=server_args)
    tokens = {os.path.basename(s): server.tokens(open(s).read()) for s in chosen}
    server.stop()
    meta["snippetTokens"] = tokens
    for snip in chosen:
        for name in names:
            cfg = CONFIGS[name]
            r = run_one(args.binary, snip, name, cfg, log_dir, server_args)
            r["label"] = cfg["label"]
            runs.append(r)
            print("%-28s %-24s wall %7s s  first text %7s s  ttft %7s s  prefilled %s/%s  load %s" % (
                r["snippet"], name, r.get("wallSeconds"), r.get("firstTextSeconds"), r.get("firstAnswerSeconds"),
                r.get("cost", {}).get("prefilledTokens"), r.get("cost", {}).get("promptTokens"), r.get("loadavg1Before")), flush=True)
            if "error" in r:
                print(r["error"], file=sys.stderr)
            # Saved after every run, so a campaign cut short keeps what it measured.
            M.write_result(args.out, dict(meta, partial=True), {"configs": CONFIGS, "runs": runs, "summary": summary(runs)})
    body = {"configs": CONFIGS, "runs": runs, "summary": summary(runs)}
    print(json.dumps(body["summary"], indent=1))
    print("wrote", M.write_result(args.out, meta, body))


if __name__ == "__main__":
    main()
