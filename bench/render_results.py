#!/usr/bin/env python3
"""Rewrites the generated tables of bench/RESULTS.md from bench/results/*.json.

Everything between `<!-- BEGIN:name -->` and `<!-- END:name -->` is generated; everything else
in RESULTS.md is written by hand and kept.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import meta as M  # noqa: E402

RESULTS_MD = os.path.join(M.BENCH, "RESULTS.md")


def load(name):
    path = os.path.join(M.RESULTS, name + ".json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def header(meta):
    m = meta["machine"]
    lines = [
        "- machine: %s, %s cores, %s GB RAM, %s" % (m["cpu"], m["cores"], m["memGB"], m["os"]),
        "- date: %s; commit: `%s`" % (meta["date"], meta["commit"]),
        "- command: `%s`" % meta["command"],
        "- load average (1/5/15 min) before: %s; after: %s" % (
            "/".join("%.2f" % x for x in meta["loadavgBefore"]), "/".join("%.2f" % x for x in meta.get("loadavgAfter", []))),
    ]
    if meta.get("partial"):
        lines.append("- **campaign cut short**: only the runs below finished")
    for key in ("binary", "build", "client", "driver", "server", "foundation", "problems"):
        if key in meta:
            lines.append("- %s: %s" % (key, meta[key]))
    return "\n".join(lines)


def protocol_block():
    data = load("protocol")
    if not data:
        return "_not run yet_"
    out = [header(data["meta"]), ""]
    rt = data.get("roundTrip")
    if rt:
        s, p = rt["sequential"], rt["pipelined"]
        out += [
            "Round trip of `textDocument/codeAction` (three actions listed, no model), document of %d bytes, response %d bytes:" % (rt["document_bytes"], rt["response_bytes"]),
            "",
            "| measure | requests | p50 | p90 | p99 | max | throughput | server CPU / request | client CPU |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            "| sequential (1 in flight) | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.0f req/s | %.1f µs | %.2f s |" % (
                s["count"], s["p50_ms"], s["p90_ms"], s["p99_ms"], s["max_ms"], s["requests_per_s"], s["server_cpu_per_request_us"], s["client_cpu_s"]),
            "| pipelined (%d in flight) | %d | | | | | %.0f req/s | %.1f µs | %.2f s |" % (
                p["window"], p["count"], p["requests_per_s"], p["server_cpu_per_request_us"], p["client_cpu_s"]),
            "",
            "What the Python client itself costs per round trip (frame a request + decode a response, no I/O): **%.1f µs**, i.e. %.0f%% of the sequential p50." % (
                rt["client_cost_per_round_trip_us"], 100 * rt["client_cost_per_round_trip_us"] / 1000 / s["p50_ms"]),
            "",
        ]
    ed = data.get("edits")
    if ed:
        out += [
            "`didChange` on a %.1f MB document (%d lines), each edit followed by a `codeAction` on the edited line (the clock stops when that answer arrives, and the answer carries the new version):" % (
                ed["document_bytes"] / 1048576, ed["document_lines"]),
            "",
            "| measure | count | p50 | p90 | p99 | max | p50 minus codeAction alone | server CPU / edit |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        ca = ed["codeAction_only"]
        out.append("| codeAction alone (baseline) | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | | |" % (ca["count"], ca["p50_ms"], ca["p90_ms"], ca["p99_ms"], ca["max_ms"]))
        for k, label in (("edit_insert_char", "type one character"), ("edit_insert_newline", "insert a line break"), ("edit_paste_20_lines", "paste 20 lines over 3")):
            e = ed[k]
            out.append("| %s | %d | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.3f ms | %.2f ms |" % (
                label, e["count"], e["p50_ms"], e["p90_ms"], e["p99_ms"], e["max_ms"], e["p50_minus_codeAction_p50_ms"], e["server_cpu_per_edit_ms"]))
        out += ["", "`didOpen` of the whole document (until a request on its last line answers): %.0f ms." % ed["didOpen_ms"]]
    return "\n".join(out)


def codec_block():
    data = load("codec")
    if not data:
        return "_not run yet_"
    out = [header(data["meta"]), "", "Median of %d interleaved rounds per cell; speed-up = Foundation time / our time (> 1: ours is faster)." % data["rounds"], ""]
    out += ["| message | bytes | operation | ours | Foundation | ours MB/s | Foundation MB/s | speed-up |", "|---|---:|---|---:|---:|---:|---:|---:|"]
    for c in data["cases"]:
        for i, op in enumerate(c["operations"]):
            out.append("| %s | %s | %s | %s | %s | %.1f | %.1f | **%.2f×** |" % (
                c["message"] if i == 0 else "", "{:,}".format(c["bytes"]) if i == 0 else "", op["operation"],
                fmt_us(op["ours_us"]), fmt_us(op["foundation_us"]), op["ours_MBps"], op["foundation_MBps"], op["speedup_ours_vs_foundation"]))
    same = all(c["identicalEncoding"] for c in data["cases"])
    out += ["", "Both encoders write byte-identical output for every message: %s." % ("yes" if same else "no (see codec.json)")]
    return "\n".join(out)


def fmt_us(us):
    if us >= 1000:
        return "%.2f ms" % (us / 1000)
    return "%.1f µs" % us


def latency_block(name="selfmoa-latency"):
    data = load(name)
    if not data:
        return "_not run yet_"
    meta = data["meta"]
    out = [header(meta), ""]
    toks = meta.get("snippetTokens", {})
    cfgs = data["configs"]
    runs = [r for r in data["runs"] if "error" not in r]
    errors = [r for r in data["runs"] if "error" in r]
    names = [n for n in cfgs if any(r["config"] == n for r in runs)]
    out += ["| config | what |", "|---|---|"] + ["| %s | %s |" % (n, cfgs[n]["label"]) for n in names] + [""]
    out += ["Wall time / time to the first answer token (seconds), prompt tokens prefilled / sent (cost report), and llama-server's CPU seconds where measured:", ""]
    out += ["| snippet | tokens | " + " | ".join(names) + " |", "|---|---:|" + "---|" * len(names)]
    by = {}
    for r in runs:
        by.setdefault(r["snippet"], {})[r["config"]] = r
    for snip in sorted(by):
        cells = []
        for n in names:
            r = by[snip].get(n)
            if not r:
                cells.append("")
                continue
            ttft = r["firstAnswerSeconds"]
            cell = "%.1f / %s<br>%d / %d" % (r["wallSeconds"], "%.1f" % ttft if ttft else "–", r["cost"]["prefilledTokens"], r["cost"]["promptTokens"])
            if r.get("serverCpuSeconds") is not None:
                cell += "<br>CPU %.1f" % r["serverCpuSeconds"]
            cells.append(cell)
        out.append("| %s | %s | %s |" % (snip, toks.get(snip, ""), " | ".join(cells)))
    out += ["", "Per phase, from llama-server's own timings (tokens prefilled + taken from the prompt cache, summed over the phase's requests):", ""]
    out += ["| snippet | config | proposal requests | proposals prefilled + cached | proposals s | aggregation requests | aggregation prefilled + cached | aggregation s | aggregation decode tok/s | load1 before / after |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    missing = False
    for snip in sorted(by):
        for n in names:
            r = by[snip].get(n)
            if not r:
                continue
            sp = r["serverPhases"]
            prop = sp.get("proposal") or sp.get("answer") or {}
            agg = sp.get("aggregation") or {}
            dec = [q["predicted_per_second"] for q in r["requests"] if q["role"] == "aggregation" and q.get("predicted_per_second")]
            ph = r.get("phases", {})
            pagg = ph.get("aggregation", {})
            missing = missing or (bool(pagg.get("promptTokens")) and not agg)
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                snip, n, prop.get("requests", ""),
                "%d + %d" % (prop["prefilled"], prop["cached"]) if prop else "",
                "%.1f" % ph["proposals"]["seconds"] if "proposals" in ph else "",
                agg.get("requests", "") if agg else ("1*" if pagg.get("promptTokens") else ""),
                "%d + %d" % (agg["prefilled"], agg["cached"]) if agg else (
                    "%d + %d*" % (pagg["prefilledTokens"], pagg["promptTokens"] - pagg["prefilledTokens"]) if pagg.get("promptTokens") else ""),
                "%.1f" % pagg["seconds"] if pagg.get("promptTokens") else "",
                "%.1f" % (sum(dec) / len(dec)) if dec else "", "%.2f / %s" % (r["loadavg1Before"], r.get("loadavg1After", "–"))))
    if missing:
        out += ["", "\\* llama-server's timings of this request were not recorded (the client had its answer "
                "before the proxy read the stream's last chunk); the numbers are the product's own cost report."]
    ratios = data["summary"]["ratios"]
    out += ["", "Ratios (geometric mean over snippets; per snippet in brackets):", ""]
    for k, v in ratios.items():
        if v["geomean"] is not None:
            out.append("- **%s = %.2f** (%s)" % (k, v["geomean"], ", ".join("%.2f" % x for x in v["perSnippet"])))
    if errors:
        out += ["", "Runs that failed: " + ", ".join("%s/%s" % (r["snippet"], r["config"]) for r in errors)]
    return "\n".join(out)


def spec_block():
    data = load("selfmoa-speculative")
    if not data:
        return "_not run yet_"
    out = [header(data["meta"]), ""]
    cfgs = data["configs"]
    runs = [r for r in data["runs"] if "error" not in r]
    errors = [r for r in data["runs"] if "error" in r]
    names = [n for n in cfgs if any(r["config"] == n for r in runs)]
    out += ["| config | what |", "|---|---|"] + ["| %s | %s |" % (n, cfgs[n]["label"]) for n in names] + [""]
    base = {r["snippet"]: r for r in runs if r["config"] == "b"}

    def rel(x, y):
        return "%.2f" % (x / y) if x and y else ""

    def pct(a, d):
        return "%d / %d (%.0f%%)" % (a, d, 100.0 * a / d) if d else "0 / 0"

    out += ["Per run: wall time and aggregation time (and their ratio to config b on the same snippet, same campaign), "
            "decode speed, and drafted / accepted tokens per phase from llama-server's timings:", "",
            "| snippet | config | wall s | wall / b | server CPU s | CPU / b | aggregation s | aggregation / b | aggregation decode tok/s | aggregation drafted / accepted | proposal decode tok/s | proposals drafted / accepted | answer same as b | load1 before / after |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    order = {n: i for i, n in enumerate(names)}
    for r in sorted(runs, key=lambda r: (r["snippet"], order.get(r["config"], 99))):
        agg = [q for q in r["requests"] if q["role"] == "aggregation"]
        prop = [q for q in r["requests"] if q["role"] == "proposal"]
        sp = r["serverPhases"]
        b = base.get(r["snippet"])
        a_s = r["phases"]["aggregation"]["seconds"]
        cpu = r.get("serverCpuSeconds")
        out.append("| %s | %s | %.1f | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s | %s / %s |" % (
            r["snippet"], r["config"], r["wallSeconds"], rel(r["wallSeconds"], b and b["wallSeconds"]),
            "%.1f" % cpu if cpu is not None else "", rel(cpu, b and b.get("serverCpuSeconds")),
            a_s, rel(a_s, b and b["phases"]["aggregation"]["seconds"]),
            "%.1f" % (sum(q["predicted_per_second"] for q in agg) / len(agg)) if agg else "",
            pct(sp.get("aggregation", {}).get("draft_n_accepted", 0), sp.get("aggregation", {}).get("draft_n", 0)),
            "%.1f" % (sum(q["predicted_per_second"] for q in prop) / len(prop)) if prop else "",
            pct(sp.get("proposal", {}).get("draft_n_accepted", 0), sp.get("proposal", {}).get("draft_n", 0)),
            "" if r["config"] == "b" or not b else ("yes" if r.get("answer") == b.get("answer") else "no"),
            r.get("loadavg1Before", ""), r.get("loadavg1After", "")))
    ratios = data["summary"]["ratios"]
    lines = [(k, v) for k, v in ratios.items() if k.startswith("spec") and v["geomean"] is not None]
    if lines:
        out += ["", "Ratios to b (geometric mean over snippets; per snippet in brackets):", ""]
        out += ["- **%s = %.2f** (%s)" % (k, v["geomean"], ", ".join("%.2f" % x for x in v["perSnippet"])) for k, v in lines]
    if errors:
        out += ["", "Runs that failed: " + ", ".join("%s/%s" % (r["snippet"], r["config"]) for r in errors)]
    return "\n".join(out)


def humaneval_block(name="humaneval"):
    data = load(name)
    if not data:
        return "_not run yet_"
    out = [header(data["meta"]), ""]
    if data["partial"]:
        out += ["**Partial: %d of 164 problems** (the first by task number). Not a HumanEval score; a small sample with wide error bars (one problem = %.0f points)." % (
            len(data["taskIds"]), 100 / len(data["taskIds"])), ""]
    out += ["| config | problems | pass@1 | won / lost vs greedy | oracle: any proposal passes | mean pass rate of one proposal | mean wall s | mean time to first answer token s | wall with sampling s (× greedy) ² | synthesis lost a passing proposal | synthesis fixed all-failing |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, s in data["summary"].items():
        out.append("| `%s` %s | %d | **%.1f%%** (%d) | %s | %s | %s | %.1f%s | %.1f | %s | %s | %s |" % (
            n, s["label"], s["problems"], 100 * s["passed"] / s["problems"], s["passed"],
            "+%d / −%d" % (s["winsOverGreedy"], s["lossesToGreedy"]) if "winsOverGreedy" in s else "",
            "%.0f%%" % (100 * s["oracleAnyProposal"]) if "oracleAnyProposal" in s else "",
            "%.0f%%" % (100 * s["meanProposalPassRate"]) if "meanProposalPassRate" in s else "",
            s["meanWallSeconds"], " ¹" if s.get("proposalsReplayed") else "",
            s["meanFirstAnswerSeconds"], sampled_wall(s),
            s.get("aggregationLostAPass", ""), s.get("aggregationFixedAllFailing", "")))
    with_tokens = [(n, s) for n, s in data["summary"].items() if "meanPromptTokens" in s]
    if with_tokens:
        out += ["", "Tokens per problem (means, from each answer's cost report; prompt tokens sent, of them prefilled "
                "by llama-server, the rest taken from its prompt cache):", "",
                "| config | problems | forward passes | prompt tokens | prefilled | completion tokens |",
                "|---|---:|---:|---:|---:|---:|"]
        for n, s in with_tokens:
            out.append("| `%s` | %d | %.1f | %.0f | %.0f | %.0f |" % (
                n, s["costProblems"], s["meanForwardPasses"], s["meanPromptTokens"], s["meanPrefilledTokens"],
                s["meanCompletionTokens"]))
    escalating = [(n, s) for n, s in data["summary"].items() if "greedyProposalPassed" in s]
    if escalating:
        out += ["", "Escalation (`escalate`): the greedy whole function is proposal 0, the very request one greedy "
                "sample sends, so its pass count is the single-sample baseline measured in the same run; the others "
                "are sampled only when it fails its docstring's examples (or does not parse):", "",
                "| config | problems | one greedy sample (proposal 0) | the answer | greedy answered alone | escalated | "
                "escalation won / lost | mean wall s, alone / escalated |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for n, s in escalating:
            out.append("| `%s` | %d | %d | **%d** | %d | %d | +%d / −%d | %s / %s |" % (
                n, s["problems"], s["greedyProposalPassed"], s["passed"], s["passedAlone"], s["escalated"],
                s["escalationWon"], s["escalationLost"], s.get("meanWallPassedAlone", "–"), s.get("meanWallEscalated", "–")))
    estimate = next(((n, s) for n, s in data["summary"].items() if "sampledProposalPassRate" in s), None)
    if estimate:
        n, s = estimate
        out += ["", "One sample at T=0.7, estimated from the sampled proposals of `%s` (%.0f per problem over %d problems, "
                "the proposals' own token cap; the mean pass rate of a sample is an unbiased estimate of its pass@1): "
                "**%.1f%%** (%.1f problems)." % (
                    n, s["sampledProposalsPerProblem"], s["sampledProposalProblems"],
                    100 * s["sampledProposalPassRate"], s["sampledProposalPassRate"] * s["sampledProposalProblems"])]
    if data.get("parts"):
        names = list(data["summary"])
        out += ["", "Per part of the problems (by task number; how each part was used is in the last column):", "",
                "| problems | " + " | ".join("`%s`" % n for n in names) + " | used |",
                "|---|" + "---:|" * len(names) + "---|"]
        for part in data["parts"]:
            out.append("| %d–%d (%d) | %s | %s |" % (
                part["first"], part["last"], part["problems"],
                " | ".join(str(part["passed"].get(n, "")) for n in names), part["role"]))
    if any(s.get("proposalsReplayed") for s in data["summary"].values()):
        out += ["", "¹ Configurations that differ only in what they do with the proposals share one set "
                "(`selfmoa-bench --proposal-cache`): where a configuration or an earlier run already recorded a "
                "problem's proposals, the others replay them, and their wall time there covers the checks, the "
                "choice and the aggregation only. The text below the table says which run sampled them."]
    if any("meanSampledWallSeconds" in s for s in data["summary"].values()):
        out += ["", "² The latency a user sees: the wall time with the proposals' sampling included, over the problems "
                "where this run sampled them (for a configuration that replayed them, its own time with the sampling time "
                "of the configuration that sampled them put back), and its ratio to greedy's time on the same problems."]
    out += ["", "![pass@1 and latency per configuration](results/%s.png)" % name]
    return "\n".join(out)


def prompt_study_block():
    data = load("prompt-study")
    if not data:
        return "_not run yet_"
    labels = {
        "raw": "raw `/completion`, continuing the prompt (no chat template)",
        "chat": "chat, the model's default system prompt, \"Complete the following Python function:\" + code",
        "chat2": "`chat` + \"Reply with the whole function in one code block, and nothing after it.\"",
        "chatA": "chat, \"You are a helpful assistant.\", \"Complete the function `NAME` in the following Python file:\" + code (what `wholeFunction` sends)",
        "chatB": "`chatA` with the product's system prompt (\"You are an expert programmer. ...\")",
    }
    out = [header(data["meta"]), ""]
    if data["meta"].get("note"):
        out += ["- note: " + data["meta"]["note"], ""]
    out += ["| how one greedy sample is asked for | problems | passed | mean completion tokens (cap %d) |" % data["maxTokens"],
            "|---|---:|---:|---:|"]
    for form, f in data["forms"].items():
        tokens = "%.0f" % f["meanCompletionTokens"] if f.get("meanCompletionTokens") is not None else "not recorded"
        out.append("| `%s` %s | %d%s | **%d** | %s |" % (
            form, labels.get(form, ""), f["problems"], " (%s)" % f["note"] if f.get("note") else "", f["passed"], tokens))
    return "\n".join(out)


def review_block(name="review-bugs"):
    data = load(name)
    if not data:
        return "_not run yet_"
    out = [header(data["meta"]), ""]
    out += ["| config | problems | planted bug found (a finding on its line) | within one line | clean solutions flagged | findings off the bug (buggy files) | findings on clean files | mean wall s per file |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for key, s in data["summary"].items():
        out.append("| `%s` %s | %d | **%d (%.0f%%)** | %d | %d (%.0f%%) | %d | %d | %.1f |" % (
            key, s["label"], s["problems"], s["bugFound"], 100 * s["bugFoundRate"], s["bugFoundWithinOneLine"],
            s["cleanFlagged"], 100 * s["cleanFlaggedRate"], s["findingsOffTheBug"], s["findingsOnClean"], s["meanWallSeconds"]))
    return "\n".join(out)


def sampled_wall(s):
    if "meanSampledWallSeconds" not in s:
        return ""
    ratio = " (%.1f×)" % s["wallRatioToGreedy"] if "wallRatioToGreedy" in s else ""
    problems = "" if s["sampledWallProblems"] == s["problems"] else ", %d problems" % s["sampledWallProblems"]
    return "%.1f%s%s" % (s["meanSampledWallSeconds"], ratio, problems)


BLOCKS = {
    "explain": lambda: explain_block(),
    "explain-5f6fec7": lambda: explain_block("explain-5f6fec7"),
    "languages": lambda: languages_block(),
    "protocol": protocol_block,
    "codec": codec_block,
    "latency": latency_block,
    "latency-cpu": lambda: latency_block("selfmoa-latency-cpu"),
    "speculative": spec_block,
    "humaneval": humaneval_block,
    "humaneval-latency": lambda: humaneval_block("humaneval-latency"),
    "humaneval-synthesis": lambda: humaneval_block("humaneval-synthesis"),
    "humaneval-own": lambda: humaneval_block("humaneval-own"),
    "humaneval-imports": lambda: humaneval_block("humaneval-imports"),
    "prompt-study": prompt_study_block,
    "humaneval-function": lambda: humaneval_block("humaneval-function"),
    "humaneval-function-40": lambda: humaneval_block("humaneval-function-40"),
    "humaneval-check": lambda: humaneval_block("humaneval-check"),
    "humaneval-seq": lambda: humaneval_block("humaneval-seq"),
    "humaneval-tokens": lambda: humaneval_block("humaneval-tokens"),
    "review-bugs": review_block,
    "review-bugs-30-59": lambda: review_block("review-bugs-30-59"),
    "review-bugs-examples": lambda: review_block("review-bugs-examples"),
    "review-bugs-examples-30-59": lambda: review_block("review-bugs-examples-30-59"),
    "review-bugs-examples-60": lambda: review_block("review-bugs-examples-60"),
    "review-bugs-default": lambda: review_block("review-bugs-default"),
}


# Where each action's shipped default and its single-sample baseline were measured: the result
# files of the campaigns and the configuration names in them.
HEADLINE_SOURCES = {
    "explain": {"files": ["explain"], "single": "single", "default": "default"},
    # review's default runs the docstring's examples (inside bubblewrap) since they measured
    # better on the same 60 functions as the repair check alone (review-bugs*.json, "repair");
    # since 2026-12-04 a failing example is shown to the repairs, and the lines are searched
    # one by one where no repair fixes it (review-bugs-default).
    "review": {"files": ["review-bugs-default"], "default": "examples"},
    # complete's default at an empty Python function body: the greedy whole function, checked
    # by the docstring's examples, more samples only when it fails (`checkf`). The single sample
    # in the same form is its proposal 0, the same request, measured in the same run.
    "complete": {"files": ["humaneval-check"], "single": "checkf:greedyProposal", "default": "checkf"},
}


def headline():
    """bench/results/headline.json: the three actions' headline counts, from the result files."""
    out = {}
    src = HEADLINE_SOURCES["explain"]
    data = load(src["files"][0])
    if data:
        s = data["summary"]
        out["explain"] = {
            "problems": s["problemsExplained"], "single": s["configs"][src["single"]]["passed"],
            "default": s["configs"][src["default"]]["passed"], "degenerate": s["configs"][src["default"]]["degenerate"],
            "singleDegenerate": s["configs"][src["single"]]["degenerate"], "problemsInSet": s["problemsInSet"],
        }
    src = HEADLINE_SOURCES["review"]
    parts = [load(name) for name in src["files"]]
    if all(parts):
        rows = [p["summary"][src["default"]] for p in parts]
        out["review"] = {
            "bugs": sum(r["problems"] for r in rows), "found": sum(r["bugFound"] for r in rows),
            "cleanFlagged": sum(r["cleanFlagged"] for r in rows),
        }
    src = HEADLINE_SOURCES["complete"]
    data = load(src["files"][0])
    if data:
        s = data["summary"]
        config, _, field = src["single"].partition(":")
        single = s[config]["greedyProposalPassed"] if field == "greedyProposal" else s[config]["passed"]
        out["complete"] = {
            "problems": s[src["default"]]["problems"], "single": single, "default": s[src["default"]]["passed"],
        }
    out["sources"] = {k: v["files"] for k, v in HEADLINE_SOURCES.items()}
    with open(os.path.join(M.RESULTS, "headline.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    return out


def explain_block(name="explain"):
    data = load(name)
    if not data:
        return "_not run yet_"
    s = data["summary"]
    out = [header(data.get("meta") or data), ""]
    out.append("Problems explained by both configurations: %d of %d." % (s["problemsExplained"], s["problemsInSet"]))
    out += ["", "| config | rewrites that pass | degenerate (repeated / cut at the cap) | mean wall s | wall vs one sample |",
            "|---|---:|---:|---:|---:|"]
    for key, c in s["configs"].items():
        out.append("| `%s` %s | **%d** | %d (%d / %d) | %.1f | %.2f× |" % (
            key, " ".join(c.get("args", [])) or "(shipped default)", c["passed"], c["degenerate"], c["repeated"], c["cut"],
            c["meanWallSeconds"] or 0, c.get("wallRatioToSingle", 0)))
    return "\n".join(out)


def languages_block():
    data = load("languages")
    if not data:
        return "_not run yet_"
    out = [header(data["meta"]), ""]
    out += ["| language | functions | single: parse | default: parse | compile (single / default; C, C++) | refused (single / default) | corrections asked / inserted (default) | cut back (single / default) | identical (single / default) | mean wall s (single / default) | commit |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]

    def rate(part, whole):
        return "%d (%.0f%%)" % (part, 100.0 * part / whole) if whole else "%d" % part

    for language, row in sorted(data["summary"].items()):
        s1, d = row.get("single", {}), row.get("default", {})
        n = row["functions"]
        if not n:
            continue  # only one configuration ran it: the table below
        compiled = "%d / %d" % (s1["compiles"], d["compiles"]) if "compiles" in s1 and "compiles" in d else "—"
        out.append("| %s | %d | %s | %s | %s | %d / %d | %d / %d | %d / %d | %d / %d | %s / %s | %s |" % (
            language, n, rate(s1.get("parses", 0), n), rate(d.get("parses", 0), n), compiled,
            s1.get("refused", 0), d.get("refused", 0), d.get("correctionsAsked", 0), d.get("corrected", 0), s1.get("cutBack", 0), d.get("cutBack", 0),
            s1.get("identical", 0), d.get("identical", 0), s1.get("meanWallSeconds"), d.get("meanWallSeconds"),
            ", ".join("`%s`" % c for c in row.get("commits", []))))
    alone = [(language, row["alone"]) for language, row in sorted(data["summary"].items()) if "alone" in row
             and any(v["functions"] != row["functions"] for v in row["alone"].values())]
    if alone:
        out += ["", "Each configuration over all the functions it ran (where one ran more than the other):", "",
                "| language | configuration | functions | parse | refused | commits |", "|---|---|---:|---:|---:|---|"]
        for language, configs in alone:
            for name, v in sorted(configs.items()):
                out.append("| %s | %s | %d | %s | %d | %s |" % (
                    language, name, v["functions"], rate(v["parses"], v["functions"]), v["refused"],
                    ", ".join("`%s`" % c for c in v["commits"])))
    for note in data.get("notes", []):
        out.append("")
        out.append("- " + note)
    return "\n".join(out)


def main():
    headline()
    with open(RESULTS_MD) as f:
        text = f.read()
    for name, fn in BLOCKS.items():
        pattern = re.compile(r"(<!-- BEGIN:%s -->\n).*?(<!-- END:%s -->)" % (name, name), re.S)
        if not pattern.search(text):
            print("RESULTS.md has no block %s" % name, file=sys.stderr)
            continue
        body = fn()
        text = pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)
    with open(RESULTS_MD, "w") as f:
        f.write(text)
    print("rewrote", RESULTS_MD)


if __name__ == "__main__":
    main()
