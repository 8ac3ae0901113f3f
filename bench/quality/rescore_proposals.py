#!/usr/bin/env python3
"""Re-scores recorded HumanEval proposals: which one would answer under a selection rule.

Reads the per-problem records of one Self-MoA configuration from a humaneval.py cache (each
record holds the code of every proposal and whether it passed the hidden tests) and, without
running anything, counts the problems a rule picking one proposal would pass:

- `first`: proposal 0 (the greedy proposal when the configuration had one);
- `central/<features>-<similarity>`: minimum Bayes risk selection — among the proposals that
  compile and are no placeholder (all of them when none is), the one with the largest summed
  similarity to the others (ties to the lowest index). Features are the code's tokens or its
  lines (comments and whitespace aside); similarities are difflib's ratio, the longest common
  subsequence's share (2·LCS / (|a| + |b|), what the product uses) and Jaccard on sets;
- `central+synthesis`: the same over the proposals and the configuration's synthesis;
- `answer`, `oracle`: what the configuration answered, and whether any proposal passed.

Counts are given per part of the problems (by task number), next to the greedy configuration's.
This is how the product's `answer: central` was found; its own numbers come from humaneval.py.

  python3 bench/quality/rescore_proposals.py [--cache bench/cache/humaneval] [--config moa4gc]
"""

import argparse
import difflib
import glob
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
PARTS = [(0, 39), (40, 62), (0, 62), (63, 163), (0, 163)]


def tokens(code):
    return re.findall(r"\w+|[^\w\s]", re.sub(r"#.*", "", code))


def lines(code):
    return [re.sub(r"\s+", "", l) for l in re.sub(r"#.*", "", code).splitlines() if l.strip()]


def ratio(a, b):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def lcs_share(a, b):
    if not a or not b:
        return 0.0
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return 2 * previous[-1] / (len(a) + len(b))


def jaccard(a, b):
    a, b = set(a), set(b)
    return len(a & b) / max(1, len(a | b))


def compiles(code):
    try:
        compile("def _f():\n" + code if code[:1].isspace() else code, "candidate", "exec")
        return True
    except (SyntaxError, ValueError):
        return False


def placeholder(code):
    real = [l.strip() for l in code.splitlines() if l.strip() and not l.strip().startswith("#")]
    return all(l in ("pass", "...") or l.startswith("raise NotImplementedError") for l in real)


def central(candidates, feature, similarity):
    features = [feature(c["code"]) for c in candidates]
    pool = [i for i, c in enumerate(candidates) if compiles(c["code"]) and not placeholder(c["code"])]
    pool = pool or list(range(len(candidates)))
    return max(pool, key=lambda i: (sum(similarity(features[i], features[j]) for j in pool if j != i), -i))


RULES = {
    "first": None,
    "central/tokens-ratio": (tokens, ratio),
    "central/tokens-lcs": (tokens, lcs_share),
    "central/tokens-jaccard": (tokens, jaccard),
    "central/lines-ratio": (lines, ratio),
    "central/lines-jaccard": (lines, jaccard),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", default=os.path.join(HERE, "..", "cache", "humaneval"))
    ap.add_argument("--config", default="moa4gc", help="a configuration with proposals")
    ap.add_argument("--greedy", default=None, help="cache dir of the greedy records (default: CACHE/greedy)")
    args = ap.parse_args()
    records = {}
    for path in glob.glob(os.path.join(args.cache, args.config, "*.json")):
        with open(path) as f:
            r = json.load(f)
        if r.get("proposals"):
            records[int(r["task_id"].split("/")[1])] = r
    greedy = {}
    for path in glob.glob(os.path.join(args.greedy or os.path.join(args.cache, "greedy"), "*.json")):
        with open(path) as f:
            r = json.load(f)
        greedy[int(r["task_id"].split("/")[1])] = r["passed"]
    rows = {"greedy": {t: greedy[t] for t in records if t in greedy}, "answer": {}, "oracle": {}}
    for name in RULES:
        rows[name] = {}
    rows["central+synthesis/tokens-lcs"] = {}
    for t, r in records.items():
        proposals = r["proposals"]
        rows["answer"][t] = r["passed"]
        rows["oracle"][t] = any(p["passed"] for p in proposals)
        rows["first"][t] = proposals[0]["passed"]
        for name, rule in RULES.items():
            if rule:
                rows[name][t] = proposals[central(proposals, *rule)]["passed"]
        with_synthesis = proposals + ([{"code": r["code"], "passed": r["passed"]}] if r.get("aggregated") else [])
        rows["central+synthesis/tokens-lcs"][t] = with_synthesis[central(with_synthesis, tokens, lcs_share)]["passed"]
    print("%d problems of %s in %s" % (len(records), args.config, os.path.abspath(args.cache)))
    print("rule".ljust(30) + "".join(("%d–%d" % part).rjust(9) for part in PARTS))
    for name, passed in rows.items():
        print(name.ljust(30) + "".join(str(sum(v for t, v in passed.items() if a <= t <= b)).rjust(9) for a, b in PARTS))


if __name__ == "__main__":
    main()
