# SPDX-License-Identifier: Apache-2.0
import smmu
from smmu import tables


class Wrapped:
    """Memory through Python callbacks only (no direct window): FlatMemory behind read/write,
    with a hook to fail reads of one access kind."""

    def __init__(self, mem: smmu.FlatMemory) -> None:
        self.mem, self.fail_kind, self.exc = mem, None, None

    def read(self, pa, n, kind):
        if kind == self.fail_kind:
            raise self.exc
        return self.mem.read(pa, n, kind)

    def write(self, pa, data, kind):
        self.mem.write(pa, data, kind)


def s1_setup(s, mem, granule=12):
    """Boot and attach StreamID 1 to stage 1 with 0x40000000 -> 0x800000 (one page)."""
    drv = tables.Driver(s, mem)
    drv.boot()
    pt = tables.PageTable(drv.alloc, granule, 48)
    pt.map(0x40000000, 0x800000)
    drv.write_cd(0x40000, tables.cd(pt.root, asid=7, granule=granule))
    drv.attach(1, tables.ste_s1(0x40000))
    return drv, pt
