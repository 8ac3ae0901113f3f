"""Metadata every result file carries: machine, date, commit, exact command, load average."""

import datetime
import json
import os
import platform
import subprocess
import sys

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "results")


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_gb():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None


def commit():
    try:
        sha = subprocess.check_output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], text=True).strip()
        dirty = subprocess.call(["git", "-C", ROOT, "diff", "--quiet", "HEAD", "--", "Sources", "Package.swift"]) != 0
        return sha + ("-dirty" if dirty else "")
    except Exception:
        return "unknown"


def loadavg():
    return list(os.getloadavg())


def metadata(command=None):
    return {
        "machine": {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "memGB": _mem_gb(),
            "os": platform.platform(),
            "python": platform.python_version(),
        },
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": commit(),
        "command": command or " ".join(["python3"] + sys.argv),
        "loadavgBefore": loadavg(),
    }


def write_result(name, meta, body):
    os.makedirs(RESULTS, exist_ok=True)
    meta = dict(meta)
    meta["loadavgAfter"] = loadavg()
    path = os.path.join(RESULTS, name + ".json")
    with open(path, "w") as f:
        json.dump({"meta": meta, **body}, f, indent=2, sort_keys=False)
        f.write("\n")
    return path


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)
