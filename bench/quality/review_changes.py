#!/usr/bin/env python3
"""Reviewing changes: does `selfmoa-lsp review --changes` flag a commit that introduces a bug,
and leave alone the commit that fixes it? And what does it cost per changed function?

History as it happens: each HumanEval problem's reference solution (the function and its
docstring) is committed to a fresh git repository, then the planted bug of the review benchmark
(bench/quality/review_bugs.py: a one-token mutation that makes the problem's tests fail, on a
known line) is made in the working tree — the change that introduces the bug. It is reviewed
with `review --changes --format json` (the shipped review default: Self-MoA N=4 plus the repair
check, findings kept on changed lines). Then the bug is committed and the reference solution
written back — the change that fixes it — and reviewed the same way.

  found     the introducing change got a finding on the bug's line
  flagged   the fixing change got any finding (a false alarm on a correct change)

Per change: wall seconds and forward passes of the changed functions' reviews (the command's
own report). Resumable: every change is appended to bench/cache/review-changes/records.jsonl;
the summary goes to bench/results/review-changes.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
sys.path.insert(0, HERE)

import meta as M  # noqa: E402
from llama import LlamaServer  # noqa: E402
from review_bugs import SEED, dataset  # noqa: E402

CACHE = os.path.join(M.BENCH, "cache", "review-changes")
GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "init.defaultBranch=main"]


def git(root, *arguments):
    subprocess.run(GIT + list(arguments), cwd=root, check=True, capture_output=True)


def review_changes(binary, url, root):
    start = time.monotonic()
    proc = subprocess.run(
        [binary, "review", "--changes", "--repository", root, "--format", "json", "--fail-on", "never", "--quiet",
         "--backend-url", url, "--seed", str(SEED)],
        capture_output=True, text=True, timeout=1800,
    )
    wall = time.monotonic() - start
    if proc.returncode != 0:
        return {"error": proc.stderr.strip()[-500:], "wallSeconds": round(wall, 2)}
    out = json.loads(proc.stdout)
    return {
        "findings": out["findings"], "reviewed": out["reviewed"], "skipped": out["skippedFunctions"],
        "seconds": out["seconds"], "forwardPasses": out["forwardPasses"], "wallSeconds": round(wall, 2),
        "loadavg1": round(os.getloadavg()[0], 2),
    }


def one(binary, url, task_id, item):
    name = item["name"] + ".py"
    with tempfile.TemporaryDirectory(prefix="changes-") as root:
        git(root, "init", "-q")
        with open(os.path.join(root, name), "w") as f:
            f.write(item["clean"].rstrip("\n") + "\n")
        git(root, "add", name)
        git(root, "commit", "-q", "-m", "reference solution")
        with open(os.path.join(root, name), "w") as f:
            f.write(item["buggy"].rstrip("\n") + "\n")
        introduce = review_changes(binary, url, root)
        git(root, "commit", "-q", "-am", "the bug")
        with open(os.path.join(root, name), "w") as f:
            f.write(item["clean"].rstrip("\n") + "\n")
        fix = review_changes(binary, url, root)
    line = item["bugLine"]
    found = any(f["startLine"] <= line <= f["endLine"] for f in introduce.get("findings", []))
    return {"task_id": task_id, "bugLine": line, "introduce": introduce, "fix": fix,
            "found": found, "flagged": bool(fix.get("findings"))}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp"))
    parser.add_argument("--limit", type=int, default=30, help="the first K problems with a planted bug (0: all)")
    parser.add_argument("--server-args", default="")
    args = parser.parse_args()
    os.makedirs(CACHE, exist_ok=True)
    path = os.path.join(CACHE, "records.jsonl")
    done = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    done[record["task_id"]] = record
    items = dataset(args.limit)
    server = LlamaServer(extra=args.server_args.split(), log_path=os.path.join(CACHE, "llama.log"))
    try:
        for task_id, item in items:
            if task_id in done:
                continue
            record = one(args.binary, server.url, task_id, item)
            done[task_id] = record
            with open(path, "a") as f:
                f.write(json.dumps(record) + "\n")
            print("%s found=%s flagged=%s %.1fs+%.1fs" % (task_id, record["found"], record["flagged"],
                  record["introduce"].get("wallSeconds", 0), record["fix"].get("wallSeconds", 0)), flush=True)
            write_summary(done, items)
    finally:
        server.stop()
    write_summary(done, items)


def write_summary(done, items):
    records = [done[t] for t, _ in items if t in done]
    changes = [r[k] for r in records for k in ("introduce", "fix") if "error" not in r[k]]
    functions = sum(len(c["reviewed"]) for c in changes)
    summary = {
        "problems": len(records),
        "introducedFound": sum(1 for r in records if r["found"]),
        "fixesFlagged": sum(1 for r in records if r["flagged"]),
        "errors": sum(1 for r in records for k in ("introduce", "fix") if "error" in r[k]),
        "changedFunctionsReviewed": functions,
        "secondsPerChangedFunction": round(sum(c["seconds"] for c in changes) / functions, 2) if functions else None,
        "wallSecondsPerChange": round(sum(c["wallSeconds"] for c in changes) / len(changes), 2) if changes else None,
        "forwardPassesPerChangedFunction": round(sum(c["forwardPasses"] for c in changes) / functions, 2) if functions else None,
        "meanLoadavg1": round(sum(c["loadavg1"] for c in changes) / len(changes), 2) if changes else None,
    }
    body = dict(M.metadata(), benchmark="review --changes on planted-bug history", seed=SEED, summary=summary,
                perProblem={r["task_id"]: {"found": r["found"], "flagged": r["flagged"]} for r in records})
    with open(os.path.join(M.RESULTS, "review-changes.json"), "w") as f:
        json.dump(body, f, indent=1)


if __name__ == "__main__":
    main()
