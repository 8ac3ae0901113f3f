#!/usr/bin/env python3
"""Runs `selfmoa-bench codec` (release build) and stores its output with the run's metadata in
bench/results/codec.json."""

import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
import meta as M  # noqa: E402


def main():
    binary = os.path.join(M.ROOT, ".build", "release", "selfmoa-bench")
    extra = sys.argv[1:]
    command = [binary, "codec", *extra]
    meta = M.metadata(" ".join([os.path.relpath(binary, M.ROOT), "codec", *extra]))
    meta["build"] = "swift build -c release --product selfmoa-bench"
    meta["foundation"] = "swift-corelibs-foundation of the toolchain; JSONEncoder with [.sortedKeys, .withoutEscapingSlashes] so both sides write the same bytes"
    out = subprocess.check_output(command, cwd=M.ROOT, text=True)
    body = json.loads(out)
    print(json.dumps(body, indent=2))
    print("wrote", M.write_result("codec", meta, body))


if __name__ == "__main__":
    main()
