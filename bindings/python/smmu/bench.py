# SPDX-License-Identifier: Apache-2.0
"""python3 -m smmu.bench [--n N] [--json]: Smmu.translate throughput on TLB hits.

128 warm pages of one stage-1 stream (FlatMemory, tables built with smmu.tables), then N
translations with keywords, round-robin over the pages. Prints
"translate, TLB hit: X translations/s" or, with --json, {"tlb_hit_tps": X}. Exit 2 on bad
arguments (docs/bindings.md, README)."""
from __future__ import annotations

import argparse
import json
import sys
import time

from . import tables
from .core import FlatMemory, Outcome, Smmu

PAGES = 128
IOVA, PA = 0x40000000, 0x800000


def run(n: int) -> float:
    """Translations per second over n TLB-hit translations."""
    mem = FlatMemory(16 << 20)
    with Smmu(memory=mem) as s:
        drv = tables.Driver(s, mem)
        drv.boot()
        pt = tables.PageTable(drv.alloc, 12, 48)
        for p in range(PAGES):
            pt.map(IOVA + p * 4096, PA + p * 4096)
        drv.write_cd(0x40000, tables.cd(pt.root, asid=1))
        drv.attach(1, tables.ste_s1(0x40000))
        addrs = [IOVA + p * 4096 + 0x40 for p in range(PAGES)]
        for a in addrs:  # warm
            if s.translate(1, a, 64).outcome != Outcome.OK:
                raise RuntimeError(f"warm-up translation of {a:#x} failed")
        tr = s.translate
        t0 = time.perf_counter()
        for i in range(n):
            tr(1, addrs[i & (PAGES - 1)], 64, write=False)
        dt = time.perf_counter() - t0
    return n / dt


def _positive(v: str) -> int:
    try:
        x = int(v)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {v!r}") from None
    if x <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {v}")
    return x


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; argparse exits 2 on bad arguments."""
    ap = argparse.ArgumentParser(prog="python3 -m smmu.bench",
                                 description="Smmu.translate throughput on TLB hits")
    ap.add_argument("--n", type=_positive, default=200000, help="translations (default 200000)")
    ap.add_argument("--json", action="store_true", help='print {"tlb_hit_tps": X}')
    a = ap.parse_args(argv)
    tps = run(a.n)
    if a.json:
        print(json.dumps({"tlb_hit_tps": round(tps)}))
    else:
        print(f"translate, TLB hit: {tps:,.0f} translations/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
