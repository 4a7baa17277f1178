#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""tool.json_schema: run `smmu-replay --json` on every bundled scenario and
validate every line against docs/replay-json.schema.json (draft 2020-12),
plus the rules a schema cannot state: the first line is `start`, the last
`summary` with the exit status, one object per step in order matching the
start map, and event/fail/violation lines carry the index of the step they follow.

usage: json_schema_check.py SCHEMA SMMU_REPLAY SMMU_TRACE DIR...

The directories are copied to a temporary directory first; a trace.csv in
one is converted to trace.bin there, so that replay scenarios run too.
Scenarios that exit 2 (bad input on purpose) are listed and skipped; at
least one scenario of each directory must validate.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

import jsonschema

STEP_TYPES = {"note", "write", "read", "commands", "mem_write", "mem_read", "xlate",
              "events", "replay", "completions", "irqs", "sfm", "atc_invalidations", "atc",
              "endpoint", "mmio"}


def check_run(validator, lines, status):
    """Problems with one run's output (a list of strings)."""
    errs = []
    objs = []
    for n, text in enumerate(lines, 1):
        try:
            o = json.loads(text)
        except ValueError as e:
            errs.append("line %d: not JSON: %s" % (n, e))
            continue
        for e in sorted(validator.iter_errors(o), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in e.path) or "(object)"
            errs.append("line %d (%s): %s: %s" % (n, o.get("type"), where, e.message))
        objs.append(o)
    if errs or not objs:
        return errs or ["no output"]
    if objs[0].get("type") != "start":
        errs.append("the first line is not a start line")
    if objs[-1].get("type") != "summary":
        errs.append("the last line is not a summary line")
    elif objs[-1]["status"] != status:
        errs.append("summary status %s, exit status %d" % (objs[-1]["status"], status))
    steps = objs[0].get("steps", [])
    seen = -1
    for o in objs[1:-1]:
        t = o.get("type")
        if t in STEP_TYPES:
            seen += 1
            if o["step_index"] != seen:
                errs.append("step object %s has step_index %d, expected %d"
                            % (t, o["step_index"], seen))
                continue
            m = steps[seen] if seen < len(steps) else None
            if not m or (m["kind"], m["line"], m["column"], m["id"]) != \
                    (t, o["line"], o["column"], o["id"]):
                errs.append("step %d does not match the start map (%s)" % (seen, m))
        elif t == "agreement":
            if seen < 0 or steps[seen]["kind"] != "mmio":
                errs.append("agreement line after step %d, not after an mmio step" % seen)
        elif t == "agreement_summary":
            if o is not objs[-2]:
                errs.append("agreement_summary is not the line before the summary")
        elif t in ("event", "fail", "violation"):
            if o["step_index"] != seen:
                errs.append("%s line with step_index %d after step %d" % (t, o["step_index"], seen))
        else:
            errs.append("unexpected %s line in the middle" % t)
    if status in (0, 1) and seen + 1 != len(steps):
        errs.append("%d step objects for %d steps" % (seen + 1, len(steps)))
    return errs


def main(argv):
    if len(argv) < 5:
        print(__doc__)
        return 2
    schema_path, dirs = argv[1], argv[4:]
    replay, trace = os.path.abspath(argv[2]), os.path.abspath(argv[3])
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    with tempfile.TemporaryDirectory(prefix="smmu-json-schema.") as tmp:
        for d in dirs:
            copy = os.path.join(tmp, os.path.basename(os.path.normpath(d)))
            shutil.copytree(d, copy)
            if os.path.exists(os.path.join(copy, "trace.csv")):
                subprocess.run([trace, "convert", "trace.csv", "trace.bin"], cwd=copy, check=True,
                               stdout=subprocess.DEVNULL)
            validated = 0
            for name in sorted(os.listdir(copy)):
                if not name.endswith(".yaml"):
                    continue
                r = subprocess.run([replay, "--json", "--no-progress", name], cwd=copy,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                label = "%s/%s" % (os.path.basename(copy), name)
                if r.returncode == 2:
                    print("skip %s: exit 2 (%s)" % (label, r.stderr.strip().splitlines()[0]
                                                    if r.stderr.strip() else "no message"))
                    continue
                errs = check_run(validator, r.stdout.splitlines(), r.returncode)
                if errs:
                    failures += 1
                    print("FAIL %s (exit %d):" % (label, r.returncode))
                    for e in errs[:20]:
                        print("  " + e)
                else:
                    validated += 1
                    print("ok   %s: %d lines, exit %d" % (label, len(r.stdout.splitlines()),
                                                           r.returncode))
            if not validated:
                failures += 1
                print("FAIL %s: no scenario validated" % d)
    print("%s" % ("json_schema: PASS" if not failures else "json_schema: %d FAILED" % failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
