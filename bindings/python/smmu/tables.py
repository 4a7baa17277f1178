# SPDX-License-Identifier: Apache-2.0
"""Building SMMU structures in a FlatMemory, and a small driver (boot as 3.11, commands).

Everything here writes memory the way software does (no callbacks counted) and follows
IHI 0070 G.b: STE (5.2), CD (5.4), VMSAv8-64 translation tables (Arm ARM D8), the boot
sequence of 3.11, queues of 3.5 and the event records of 7.3.
"""
from __future__ import annotations

from .core import Command, Event, FlatMemory, Smmu
from .regs import BIT, MASK, PUT
from . import regs

#: TG encodings of CD.TG0 and STE.S2TG by granule shift (0: 4KB, 1: 64KB, 2: 16KB).
TG = {12: 0, 16: 1, 14: 2}
#: Stage-1 page, AF, inner shareable, AP = 0b01 (read/write at EL0 and EL1).
S1_PAGE_EL0 = BIT(10) | PUT(3, 9, 8) | BIT(6)
#: Stage-1 page, AF, inner shareable, AP = 0b00 (privileged read/write).
S1_PAGE = BIT(10) | PUT(3, 9, 8)
#: Stage-1 read-only bit, AP[2] (bit 7).
S1_RO = BIT(7)
#: Stage-2 page: AF, S2AP = read/write, MemAttr Normal write-back.
S2_PAGE = BIT(10) | PUT(3, 7, 6) | PUT(0xF, 5, 2)


class Allocator:
    """A bump allocator of aligned blocks in [start, end) of a FlatMemory."""

    def __init__(self, mem: FlatMemory, start: int, end: int | None = None) -> None:
        self.mem, self.next = mem, start
        self.end = end if end is not None else mem.base + mem.size

    def alloc(self, size: int, align: int = 4096) -> int:
        """A zeroed block of size bytes, aligned to align."""
        at = (self.next + align - 1) & ~(align - 1)
        if at + size > self.end:
            raise MemoryError("table area exhausted")
        self.next = at + size
        o = at - self.mem.base
        self.mem.data[o:o + size] = bytes(size)
        return at


class PageTable:
    """A VMSAv8-64 translation table for one stage: granule 4K/16K/64K (shift 12/14/16) and
    input size ias bits; the start level follows from both (Arm ARM D8.2)."""

    def __init__(self, alloc: Allocator, granule: int = 12, ias: int = 48, stage: int = 1) -> None:
        if granule not in TG:
            raise ValueError("granule shift must be 12, 14 or 16")
        self.alloc, self.mem, self.g, self.ias, self.stage = alloc, alloc.mem, granule, ias, stage
        self.bits = granule - 3
        levels = -(-(ias - granule) // self.bits)
        self.start = 4 - levels
        top = ias - (granule + self.bits * (3 - self.start))  # index bits at the start level
        self.root = alloc.alloc(max(8 << top, 64) if top < self.bits else 1 << granule,
                                max(8 << top, 64) if top < self.bits else 1 << granule)

    def map(self, ia: int, oa: int, attrs: int | None = None) -> None:
        """Map the granule-sized page at ia to oa with leaf attributes attrs."""
        if attrs is None:
            attrs = S1_PAGE_EL0 if self.stage == 1 else S2_PAGE
        amask = MASK(47, self.g)
        table = self.root
        for level in range(self.start, 3):
            shift = self.g + self.bits * (3 - level)
            d = table + ((ia >> shift) & ((1 << self.bits) - 1)) * 8
            desc = self.mem.r64(d)
            if not desc & 1:
                desc = self.alloc.alloc(1 << self.g, 1 << self.g) | 3
                self.mem.w64(d, desc)
            table = desc & amask
        self.mem.w64(table + ((ia >> self.g) & ((1 << self.bits) - 1)) * 8,
                     (oa & amask) | attrs | 3)


def cd(ttb0: int, asid: int = 0, granule: int = 12, t0sz: int = 16, ips: int = 5,
       mair: int = 0xFF) -> list[int]:
        """The 8 words of a stage-1 CD (5.4): V, AA64, R, A, TTB0 with T0SZ/TG0, EPD1,
        IPS, ASID and MAIR0."""
        w0 = (PUT(t0sz, 5, 0) | PUT(TG[granule], 7, 6) | BIT(30) | PUT(2, 23, 22) | BIT(31)
              | PUT(ips, 34, 32) | BIT(41) | BIT(45) | BIT(46) | PUT(asid, 63, 48))
        return [w0, ttb0 & MASK(51, 4), 0, mair, 0, 0, 0, 0]


def ste_abort() -> list[int]:
    """A valid STE with Config = abort (5.2)."""
    return [1, 0, 0, 0, 0, 0, 0, 0]


def ste_bypass() -> list[int]:
    """A valid STE with Config = bypass."""
    return [1 | PUT(4, 3, 1), 0, 0, 0, 0, 0, 0, 0]


def _s2_words(pt: PageTable, vmid: int) -> tuple[int, int]:
    sl0 = (2 - pt.start) if pt.g == 12 else (3 - pt.start)
    w2 = (PUT(vmid, 15, 0) | PUT(64 - pt.ias, 37, 32) | PUT(sl0, 39, 38) | PUT(1, 41, 40)
          | PUT(1, 43, 42) | PUT(3, 45, 44) | PUT(TG[pt.g], 47, 46) | PUT(5, 50, 48) | BIT(51)
          | BIT(58))
    return w2, pt.root & MASK(51, 4)


def ste_s1(cd_addr: int) -> list[int]:
    """Stage 1 only, one CD at cd_addr (S1CDMax = 0)."""
    return [1 | PUT(5, 3, 1) | (cd_addr & MASK(51, 6)), 0, 0, 0, 0, 0, 0, 0]


def ste_s2(pt: PageTable, vmid: int = 1) -> list[int]:
    """Stage 2 only over pt (S2AA64, S2R, 48-bit S2PS, WB inner shareable walks)."""
    w2, w3 = _s2_words(pt, vmid)
    return [1 | PUT(6, 3, 1), 0, w2, w3, 0, 0, 0, 0]


def ste_nested(cd_addr: int, pt: PageTable, vmid: int = 1) -> list[int]:
    """Stage 1 then stage 2: the CD address and stage-1 tables are IPAs translated by pt."""
    w2, w3 = _s2_words(pt, vmid)
    return [1 | PUT(7, 3, 1) | (cd_addr & MASK(51, 6)), 0, w2, w3, 0, 0, 0, 0]


class StreamTable:
    """A linear (log2size StreamIDs) or 2-level (split 8) stream table (3.3.2, 6.3.24)."""

    def __init__(self, alloc: Allocator, log2size: int = 8, two_level: bool = False,
                 split: int = 8) -> None:
        self.alloc, self.mem, self.log2size, self.two_level, self.split = (
            alloc, alloc.mem, log2size, two_level, split)
        n = 1 << (log2size - split if two_level else log2size)
        self.base = alloc.alloc(n * (8 if two_level else 64), 64)

    @property
    def base_cfg(self) -> int:
        """SMMU_STRTAB_BASE_CFG value: FMT, SPLIT, LOG2SIZE."""
        return (PUT(1, 17, 16) | PUT(self.split, 10, 6) if self.two_level else 0) | self.log2size

    def ste_addr(self, sid: int) -> int:
        """Address of the STE of sid (allocating its level-2 table if needed)."""
        if not self.two_level:
            return self.base + sid * 64
        l1 = self.base + (sid >> self.split) * 8
        d = self.mem.r64(l1)
        if not d & 0x1F:
            l2 = self.alloc.alloc(64 << self.split, 64 << self.split)
            d = l2 | (self.split + 1)
            self.mem.w64(l1, d)
        return (d & MASK(51, 6)) + (sid & ((1 << self.split) - 1)) * 64

    def set(self, sid: int, words: list[int]) -> None:
        """Write the 8 STE words of sid."""
        a = self.ste_addr(sid)
        for i, w in enumerate(words):
            self.mem.w64(a + 8 * i, w)


class Driver:
    """A minimal SMMU driver: boots as 3.11, writes STEs/CDs, issues commands with CMD_SYNC and
    reads the event queue from memory."""

    def __init__(self, s: Smmu, mem: FlatMemory, strtab: int = 0x10000, cmdq: int = 0x20000,
                 evtq: int = 0x30000, tables: int = 0x100000, log2sids: int = 8,
                 two_level: bool = False) -> None:
        self.s, self.mem = s, mem
        self.cmdq, self.evtq = cmdq, evtq
        self.cmdq_log2, self.evtq_log2 = 8, 7
        self.alloc = Allocator(mem, tables)
        if two_level:
            self.st = StreamTable(self.alloc, log2sids, True)
        else:
            self.st = StreamTable.__new__(StreamTable)
            self.st.alloc, self.st.mem, self.st.log2size = self.alloc, mem, log2sids
            self.st.two_level, self.st.split, self.st.base = False, 8, strtab

    def boot(self) -> None:
        """Stream table, CR1, queues, CMDQEN|EVENTQEN, CFGI_ALL + TLBI_NSNH_ALL + SYNC, SMMUEN."""
        w = self.s.mmio_write
        w(regs.STRTAB_BASE, self.st.base | BIT(62), 8)
        w(regs.STRTAB_BASE_CFG, self.st.base_cfg)
        w(regs.CR1, 0)
        w(regs.CMDQ_BASE, self.cmdq | BIT(62) | self.cmdq_log2, 8)
        w(regs.EVENTQ_BASE, self.evtq | BIT(62) | self.evtq_log2, 8)
        w(regs.CR0, regs.CR0_CMDQEN | regs.CR0_EVENTQEN)
        self.submit(regs.CMD_CFGI_STE_RANGE, 31)
        self.submit(regs.CMD_TLBI_NSNH_ALL, 0)
        self.submit(regs.CMD_SYNC, 0)
        w(regs.CR0, regs.CR0_CMDQEN | regs.CR0_EVENTQEN | regs.CR0_SMMUEN)

    def submit(self, w0: int, w1: int = 0) -> None:
        """Put one command in the queue and publish it (consumed before this returns)."""
        n = 1 << self.cmdq_log2
        prod = self.s.mmio_read(regs.CMDQ_PROD)
        at = self.cmdq + (prod & (n - 1)) * 16
        self.mem.w64(at, w0)
        self.mem.w64(at + 8, w1)
        self.s.mmio_write(regs.CMDQ_PROD, (prod + 1) & (2 * n - 1))

    def command(self, name: str, **fields: int) -> None:
        """Submit a command by name (smmu.Command) followed by CMD_SYNC."""
        self.submit(*Command(name, **fields).encode())
        self.submit(regs.CMD_SYNC, 0)

    def attach(self, sid: int, ste: list[int]) -> None:
        """Write the STE of sid, then CMD_CFGI_STE + CMD_SYNC."""
        self.st.set(sid, ste)
        self.command("CMD_CFGI_STE", sid=sid)

    def write_cd(self, at: int, words: list[int]) -> None:
        """Write the 8 words of a CD at at."""
        for i, w in enumerate(words):
            self.mem.w64(at + 8 * i, w)

    def read_events(self) -> list[tuple[Event, list[int]]]:
        """Every record between EVENTQ_CONS and EVENTQ_PROD (decoded, words); moves CONS."""
        n = 1 << self.evtq_log2
        prod, cons = self.s.mmio_read(regs.EVENTQ_PROD), self.s.mmio_read(regs.EVENTQ_CONS)
        wrap = 2 * n - 1
        out = []
        while (cons & wrap) != (prod & wrap):
            base = self.evtq + (cons & (n - 1)) * 32
            words = [self.mem.r32(base + 4 * i) for i in range(8)]
            out.append((Event.decode(words), words))
            cons = (cons + 1) & wrap
        self.s.mmio_write(regs.EVENTQ_CONS, cons)
        return out
