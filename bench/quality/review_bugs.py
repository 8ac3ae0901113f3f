#!/usr/bin/env python3
"""Does `review` find a planted bug? Recall and false alarms of the product's review action.

Each HumanEval problem's reference solution (prompt + canonical solution: a function with its
docstring) gets one planted bug: a one-token mutation of its body — a comparison flipped
(`<` ↔ `<=`, `>` ↔ `>=`, `==` ↔ `!=`), `+` ↔ `-`, `and` ↔ `or`, `True` ↔ `False`, `min` ↔ `max`,
or an integer off by one — chosen by a seeded shuffle among the mutations on the body's lines,
and kept only if the problem's own tests then fail (so it is a real bug, on a known line). The
mutant and the untouched solution are each written to a file named after the function and
reviewed through the product's CLI, `selfmoa-lsp review FILE --json`, under each configuration:

  single     one sample (mode single), review only (--no-repair-check)
  selfmoa    Self-MoA, 4 proposals synthesised into one review, review only (--no-repair-check):
             the default before the repair check
  repair     selfmoa plus the repair check (5 repairs of each function, one greedy; the lines
             most of them change are findings), --no-run-examples
  examples   the shipped default: repair, where a repair votes only if it passes more of the
             docstring's examples than the function does (run inside bubblewrap)

A mutant is found when some finding's lines cover the bug's line (or, in the looser count, one
line either side); a clean solution is flagged when the review reports any finding on it. The
first measures what review is for, the second what it costs the user in false alarms.

Per-file results are cached under bench/cache/review-bugs/ (a run resumes); `--limit K` takes
the first K problems that yield a mutant, `--skip J` leaves out the first J of them.
"""

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tokenize

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
sys.path.insert(0, HERE)

import meta as M  # noqa: E402
from humaneval import execute, problems  # noqa: E402
from llama import LlamaServer  # noqa: E402

SEED = 2417
CACHE = os.path.join(M.BENCH, "cache", "review-bugs")
CONFIGS = {
    "single": {"label": "one sample, review only", "args": ["--mode", "single", "--no-repair-check"]},
    "selfmoa": {"label": "Self-MoA N=4, review only", "args": ["--no-repair-check"]},
    "repair": {"label": "Self-MoA N=4 + repair check, no examples (the default until examples ran in bubblewrap)",
               "args": ["--no-run-examples"]},
    "examples": {"label": "repair, a repair votes only if it passes more docstring examples (the default)",
                 "args": []},
}
SWAPS = {
    "<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "==", "+": "-", "-": "+",
    "and": "or", "or": "and", "True": "False", "False": "True", "min": "max", "max": "min",
}


def mutations(source, first_body_line):
    """Every one-token mutation on lines from `first_body_line` (0-based): (line, new source)."""
    lines = source.split("\n")
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        row, col = tok.start
        line = row - 1
        if line < first_body_line or tok.start[0] != tok.end[0]:
            continue
        new = None
        if tok.type in (tokenize.OP, tokenize.NAME) and tok.string in SWAPS:
            new = SWAPS[tok.string]
        elif tok.type == tokenize.NUMBER and tok.string.isdigit():
            new = str(int(tok.string) + 1)
        if new is None:
            continue
        text = lines[line]
        mutated = text[:col] + new + text[tok.end[1]:]
        out.append((line, "\n".join(lines[:line] + [mutated] + lines[line + 1:])))
    return out


def planted(task_id, problem):
    """The first mutation (seeded order) that makes the tests fail, or None."""
    solution = problem["prompt"] + problem["canonical_solution"]
    first_body = problem["prompt"].rstrip("\n").count("\n") + 1
    candidates = mutations(solution, first_body)
    random.Random("%s:%s" % (SEED, task_id)).shuffle(candidates)
    tests = "\n\n" + problem["test"] + "\n\ncheck(%s)\n" % problem["entry_point"]
    for line, mutant in candidates[:12]:
        if execute(mutant + tests, 5.0).startswith("failed"):
            return {"line": line + 1, "source": mutant}
    return None


def dataset(limit):
    path = os.path.join(CACHE, "dataset.json")
    data = {}
    if os.path.exists(path):
        with open(path) as f:
            data = json.load(f)
    items = []
    for task_id, problem in problems().items():
        if limit and len(items) >= limit:
            break
        if task_id not in data:
            bug = planted(task_id, problem)
            data[task_id] = bug and {
                "name": problem["entry_point"], "bugLine": bug["line"], "buggy": bug["source"],
                "clean": problem["prompt"] + problem["canonical_solution"],
            }
            os.makedirs(CACHE, exist_ok=True)
            with open(path, "w") as f:
                json.dump(data, f, indent=1)
        if data[task_id]:
            items.append((task_id, data[task_id]))
    return items


def review(binary, url, name, source, config):
    with tempfile.TemporaryDirectory(prefix="review-") as tmp:
        path = os.path.join(tmp, name + ".py")
        with open(path, "w") as f:
            f.write(source.rstrip("\n") + "\n")
        start = time.monotonic()
        proc = subprocess.run(
            [binary, "review", path, "--json", "--quiet", "--backend-url", url, "--seed", str(SEED)]
            + CONFIGS[config]["args"],
            capture_output=True, text=True, timeout=1800,
        )
        wall = time.monotonic() - start
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-500:], "wallSeconds": wall}
    out = json.loads(proc.stdout)
    cost = out.get("cost") or {}
    return {
        "findings": out["findings"], "markdown": out["markdown"], "wallSeconds": round(wall, 2),
        "completionTokens": (cost.get("usage") or {}).get("completionTokens"),
    }


def covers(finding, line, slack):
    return finding["startLine"] - slack <= line <= finding["endLine"] + slack


def summarise(records, items):
    out = {}
    for name in records:
        rec = records[name]
        done = [(t, it) for t, it in items if (t, "buggy") in rec and (t, "clean") in rec]
        if not done:
            continue
        n = len(done)
        found = sum(1 for t, it in done if any(covers(f, it["bugLine"], 0) for f in rec[(t, "buggy")]["findings"]))
        near = sum(1 for t, it in done if any(covers(f, it["bugLine"], 1) for f in rec[(t, "buggy")]["findings"]))
        flagged = sum(1 for t, _ in done if rec[(t, "clean")]["findings"])
        elsewhere = sum(sum(1 for f in rec[(t, "buggy")]["findings"] if not covers(f, it["bugLine"], 1)) for t, it in done)
        clean_findings = sum(len(rec[(t, "clean")]["findings"]) for t, _ in done)
        walls = [rec[(t, v)]["wallSeconds"] for t, _ in done for v in ("buggy", "clean")]
        out[name] = {
            "label": CONFIGS[name]["label"], "problems": n,
            "bugFound": found, "bugFoundRate": round(found / n, 4),
            "bugFoundWithinOneLine": near, "bugFoundWithinOneLineRate": round(near / n, 4),
            "cleanFlagged": flagged, "cleanFlaggedRate": round(flagged / n, 4),
            "findingsOffTheBug": elsewhere, "findingsOnClean": clean_findings,
            "meanWallSeconds": round(sum(walls) / len(walls), 2),
        }
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    release = os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp")
    ap.add_argument("--binary", default=release if os.path.exists(release) else os.path.join(M.ROOT, ".build", "debug", "selfmoa-lsp"))
    ap.add_argument("--limit", type=int, default=20, help="first K problems with a mutant (0: all)")
    ap.add_argument("--skip", type=int, default=0, help="leave out the first K of them (a later slice)")
    ap.add_argument("--configs", default="single,selfmoa,repair")
    ap.add_argument("--backend-url", default=None, help="use this server instead of starting llama-server")
    ap.add_argument("--server-args", default="", help="extra llama-server arguments, e.g. '-t 1'")
    ap.add_argument("--report-only", action="store_true", help="summarise the cache without running anything")
    ap.add_argument("--result-name", default="review-bugs")
    args = ap.parse_args()
    names = [n for n in args.configs.split(",") if n]
    items = dataset(args.limit)[args.skip:]
    print("%d problems with a planted bug" % len(items), file=sys.stderr)

    server = None
    url = args.backend_url
    if not args.report_only and not url:
        server = LlamaServer(extra=args.server_args.split(), log_path=os.path.join(CACHE, "llama.log"))
        url = server.url
    records = {n: {} for n in names}
    try:
        for task_id, item in items:
            for name in names:
                for version in ("buggy", "clean"):
                    path = os.path.join(CACHE, name, "%s-%s.json" % (task_id.replace("/", "_"), version))
                    if os.path.exists(path):
                        with open(path) as f:
                            records[name][(task_id, version)] = json.load(f)
                        continue
                    if args.report_only:
                        continue
                    rec = review(args.binary, url, item["name"], item[version], name)
                    print("%s %s %-6s %s %.1f s" % (task_id, name, version,
                          "error" if "error" in rec else "%d finding(s)" % len(rec["findings"]), rec["wallSeconds"]),
                          file=sys.stderr, flush=True)
                    if "error" in rec:
                        print(rec["error"], file=sys.stderr)
                        continue
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "w") as f:
                        json.dump(rec, f, indent=1)
                    records[name][(task_id, version)] = rec
    finally:
        if server:
            server.stop()
    summary = summarise(records, items)
    print(json.dumps(summary, indent=1))
    meta = M.metadata(" ".join(["python3"] + [os.path.relpath(sys.argv[0], M.ROOT)] + sys.argv[1:]))
    body = {"configs": {n: CONFIGS[n] for n in names}, "summary": summary,
            "perProblem": {t: {"bugLine": it["bugLine"], **{n: {v: records[n][(t, v)]["findings"]
                               for v in ("buggy", "clean") if (t, v) in records[n]} for n in names}}
                           for t, it in items}}
    print("wrote", M.write_result(args.result_name, meta, body))


if __name__ == "__main__":
    main()
