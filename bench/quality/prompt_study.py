#!/usr/bin/env python3
"""How the way a single greedy sample is asked for changes HumanEval pass@1 (raw backend).

The product's `complete` asks for the code at the cursor (fill-in-the-middle, or by chat "the
code to insert at <CURSOR>"); an instruct model is trained on "complete this function" and
answers with the whole function. This study sends each HumanEval problem's prompt to the
embedded llama-server directly (no product code), one greedy sample per problem, in each of
these forms, and runs the answer against the problem's tests:

  raw      /completion continuing the prompt text (no chat template), stops at a new
           top-level statement
  chat     chat, the model's own default system prompt ("You are Qwen, ..."), "Complete the
           following Python function:" and the prompt in a code block (the issue's "plain prompt")
  chat2    chat, as `chat` plus "Reply with the whole function in one code block, and nothing
           after it."
  chatA    chat, "You are a helpful assistant.", "Complete the function `NAME` in the following
           Python file:" and the prompt in a code block: what `wholeFunction` sends
  chatB    chatA with the product's own system prompt ("You are an expert programmer. ...")

A chat answer's code is its first fenced block (or the whole answer), with the prompt's import
lines put above it. Results: bench/results/prompt-study.json (per form: passes, the answers'
completion tokens, per-problem pass/fail).

    ~/.cache/selfmoa-lsp/bench-venv/bin/python bench/quality/prompt_study.py --limit 40 --forms raw,chat,chatA,chatB
"""

import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
import humaneval as H  # noqa: E402
import meta as M  # noqa: E402
from llama import LlamaServer  # noqa: E402

QWEN_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
PRODUCT_SYSTEM = "You are an expert programmer. You write correct, idiomatic code that fits the surrounding file."
RAW_STOPS = ["\ndef ", "\nclass ", "\nif __name__", "\nprint(", "\n#", "\n```", "\nassert"]


def messages(form, problem):
    code = "```python\n%s\n```" % problem["prompt"].strip()
    if form == "chat":
        return [("system", QWEN_SYSTEM), ("user", "Complete the following Python function:\n" + code)]
    if form == "chat2":
        return [("system", QWEN_SYSTEM), ("user", "Complete the following Python function. Reply with the whole function "
                                                  "in one ```python code block, and nothing after it.\n" + code)]
    instruction = "Complete the function `%s` in the following Python file:\n" % problem["entry_point"]
    return [("system", "You are a helpful assistant." if form == "chatA" else PRODUCT_SYSTEM), ("user", instruction + code)]


def answer(post, form, problem, max_tokens):
    """The program's code and the answer's completion tokens."""
    if form == "raw":
        r = post("/completion", {"prompt": problem["prompt"], "temperature": 0, "n_predict": max_tokens,
                                 "stop": RAW_STOPS, "cache_prompt": True})
        return problem["prompt"] + r["content"], r.get("tokens_predicted", 0)
    body = {"messages": [{"role": role, "content": text} for role, text in messages(form, problem)],
            "temperature": 0, "max_tokens": max_tokens}
    r = post("/v1/chat/completions", body)
    text = r["choices"][0]["message"]["content"]
    blocks = re.findall(r"```(?:python)?\n(.*?)```", text, re.S)
    imports = [line for line in problem["prompt"].splitlines() if line.startswith(("import ", "from "))]
    return "\n".join(imports) + "\n" + (blocks[0] if blocks else text), r["usage"]["completion_tokens"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=40, help="first K problems (0: all 164)")
    ap.add_argument("--forms", default="raw,chat,chat2,chatA,chatB")
    ap.add_argument("--max-tokens", type=int, default=512)
    ap.add_argument("--backend-url", default=None, help="use this llama-server instead of starting one")
    ap.add_argument("--server-args", default="-t 2 -tb 2", help="extra llama-server arguments")
    args = ap.parse_args()
    problems = H.problems()
    ids = sorted(problems, key=lambda t: int(t.split("/")[1]))
    ids = ids[: args.limit] if args.limit else ids
    meta = M.metadata()
    server = None
    if args.backend_url:
        import urllib.request

        def post(path, obj):
            req = urllib.request.Request(args.backend_url + path, data=json.dumps(obj).encode(),
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=600) as r:
                return json.loads(r.read())
    else:
        server = LlamaServer(extra=args.server_args.split())
        post = server.post
    forms = {}
    try:
        for form in args.forms.split(","):
            per = {}
            for task_id in ids:
                problem = problems[task_id]
                code, tokens = answer(post, form, problem, args.max_tokens)
                program = code + "\n\n" + problem["test"] + "\ncheck(%s)\n" % problem["entry_point"]
                result = H.execute(program, 10.0)
                per[task_id] = {"passed": result == "passed", "result": result, "tokens": tokens}
                print("%-14s %-6s %s" % (task_id, form, result[:60]), flush=True)
            forms[form] = {
                "problems": len(per), "passed": sum(r["passed"] for r in per.values()),
                "meanCompletionTokens": round(sum(r["tokens"] for r in per.values()) / len(per), 1),
                "perProblem": {t: r["passed"] for t, r in per.items()},
            }
            print(form, "passed", forms[form]["passed"], "of", len(per), flush=True)
    finally:
        if server:
            server.stop()
    print("wrote", M.write_result("prompt-study", meta, {"maxTokens": args.max_tokens, "forms": forms}))


if __name__ == "__main__":
    main()
