"""The resumable record files of the quality campaigns: one JSON object per line, appended as
each result arrives, read back by key so a rerun skips what is done."""

import argparse
import json
import os


def load(path, key="task_id"):
    """{record[key]: record} of a record file; empty when it does not exist yet."""
    done = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if line.strip():
                    rec = json.loads(line)
                    done[rec[key]] = rec
    return done


def append(path, record):
    with open(path, "a") as f:
        f.write(json.dumps(record) + "\n")


def campaign_arguments(description, binary, configs="single,default"):
    """The options every campaign takes: the binary, the configurations, the server's extra
    arguments."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=binary)
    parser.add_argument("--configs", default=configs)
    parser.add_argument("--server-args", default="")
    return parser
