# SPDX-License-Identifier: Apache-2.0
"""The Python API over libsmmu: Config, Smmu, Response, Event, Stats, Command, FlatMemory."""
from __future__ import annotations

import ctypes as C
import enum
import struct
import threading
from dataclasses import dataclass, fields
from typing import Any, Callable, Optional, Protocol

from . import _lib
from ._lib import lib


class ConfigError(Exception):
    """SMMU_ERR_CONFIG: the core rejected a configuration; str() is the core's message."""


class ClosedError(RuntimeError):
    """A call on an Smmu after close()."""


class ReentrancyError(RuntimeError):
    """A call into an Smmu from one of its own callbacks (or while another thread is inside it)."""


class ExternalAbort(Exception):
    """Raise from a memory object's read/write: the access is an external abort, with its
    architected outcome (F_WALK_EABT, F_STE_FETCH, CERROR_ABT, ...); it is not re-raised."""


class Arch(enum.IntEnum):
    """smmu_arch_t: SMMU_AIDR.ArchMinorRev."""
    V3_0 = 0
    V3_1 = 1
    V3_2 = 2
    V3_3 = 3


class Outcome(enum.IntEnum):
    """smmu_outcome_t."""
    OK = 0
    ABORT = 1
    RAZWI = 2
    STALLED = 3
    BUSY = 4


class Class(enum.IntEnum):
    """smmu_resp_class_t: how a transaction ended."""
    TRANSLATED = 0
    BYPASS = 1
    DISABLED = 2
    ABORT = 3
    FAULT_RECORDED = 4
    FAULT_UNRECORDED = 5
    STALLED = 6
    BUSY = 7


class Cause(enum.IntEnum):
    """smmu_resp_cause_t: why it ended that way (NONE where nothing more is to say)."""
    NONE = 0
    STE_CONFIG = 1
    S1DSS = 2
    GBPA = 3
    GBPA_ABORT = 4
    OAS = 5
    SECURE = 6
    CD_R = 7
    STE_S2R = 8
    RECINVSID = 9
    QUEUE_DISABLED = 10
    QUEUE_ABT_ERR = 11
    QUEUE_FULL = 12
    WRITE_ABORT = 13
    SFM = 14
    REC_CFG_ATS = 15
    ATS_TRANSLATED = 16


class AtsStatus(enum.IntEnum):
    """smmu_ats_status_t: completion status of an ATS Translation Request (3.9.1.2)."""
    NONE = 0
    SUCCESS = 1
    UR = 2
    CA = 3


class AccessKind(enum.IntEnum):
    """smmu_access_kind_t: what a memory access is for."""
    STE = 0
    CD = 1
    TT = 2
    CMDQ = 3
    EVTQ = 4
    PRIQ = 5
    MSI = 6
    SYNC = 7
    TT_UPDATE = 8


class Irq(enum.IntEnum):
    """smmu_irq_t: wired interrupt lines."""
    EVENTQ = 0
    PRIQ = 1
    CMD_SYNC = 2
    GERROR = 3


class AtsKind(enum.IntEnum):
    """smmu_ats_kind_t: the PCIe ATS kind of a transaction (Smmu.translate(ats=...))."""
    UNTRANSLATED = 0
    TRANSLATED = 1
    TRANSLATION_REQ = 2


class MsiSource(enum.IntEnum):
    """smmu_msi_source_t: which interrupt source an MSI comes from (3.18.2)."""
    EVENTQ = 0
    PRIQ = 1
    GERROR = 2
    CMD_SYNC = 3


class AtcInvResult(enum.IntEnum):
    """smmu_atc_inv_result_t: an endpoint's answer to an ATS Invalidate Request."""
    OK = 0
    UR = 1
    NO_RESPONSE = 2


class PrgCode(enum.IntEnum):
    """PRG Response codes (8.3)."""
    SUCCESS = 0x0
    INVALID_REQUEST = 0x1
    RESPONSE_FAILURE = 0xF


class InvalKind(enum.IntEnum):
    """smmu_inval_kind_t."""
    TLB_VA = 0
    TLB_IPA = 1
    CFG = 2


EventType = enum.IntEnum("EventType", {  # type: ignore[misc]
    lib.smmu_event_name(t).decode(): t
    for t in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0x0A, 0x0B, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x24,
              0x25)})
EventType.__doc__ = "smmu_event_type_t, named as smmu_event_name() names them."

_STATUS = {0: "SMMU_OK", -1: "SMMU_ERR_INVAL", -2: "SMMU_ERR_CONFIG", -3: "SMMU_ERR_NOMEM", -4: "SMMU_ERR_REENTERED"}


def _check(status: int, what: str) -> None:
    if status == 0:
        return
    if status == -1:
        raise ValueError(f"{what}: SMMU_ERR_INVAL")
    if status == -3:
        raise MemoryError(f"{what}: SMMU_ERR_NOMEM")
    if status == -2:
        raise ConfigError(f"{what}: SMMU_ERR_CONFIG")
    raise RuntimeError(f"{what}: status {status}")


class Config:
    """smmu_config_t; attributes are its field names (an unknown name is an AttributeError)."""

    __slots__ = ("_c",)

    def __init__(self) -> None:
        object.__setattr__(self, "_c", _lib.Config())

    @classmethod
    def default(cls, arch: Arch = Arch.V3_2) -> "Config":
        """smmu_config_default(arch)."""
        c = cls()
        lib.smmu_config_default(C.byref(c._c), int(arch))
        return c

    @classmethod
    def from_idr(cls, idr: list[int], aidr: int, iidr: int = 0) -> "Config":
        """smmu_config_from_idr: IDR0..IDR5, AIDR, IIDR; ConfigError with the core's message."""
        c = cls()
        msg = C.create_string_buffer(256)
        arr = (C.c_uint32 * 6)(*idr)
        if lib.smmu_config_from_idr(C.byref(arr), aidr, iidr, C.byref(c._c), msg, 256) != 0:
            raise ConfigError(msg.value.decode())
        return c

    @classmethod
    def from_preset(cls, name: str) -> "Config":
        """The configuration of built-in preset name (smmu_preset_get: "default-v3.0" to
        "default-v3.3", "functional", "mmu600", "gem5"); ValueError for an unknown name."""
        c = cls()
        if lib.smmu_preset_get(name.encode(), C.byref(c._c), None) != 0:
            raise ValueError(f"unknown preset {name!r}; presets: {', '.join(presets())}")
        return c

    def check(self) -> None:
        """smmu_config_check: raise ConfigError with the core's message if rejected."""
        msg = C.create_string_buffer(256)
        if lib.smmu_config_check(C.byref(self._c), msg, 256) != 0:
            raise ConfigError(msg.value.decode())

    def __getattr__(self, name: str) -> int:
        if name.startswith("_") or not hasattr(_lib.Config, name):
            raise AttributeError(f"smmu_config_t has no field {name!r}")
        return getattr(self._c, name)

    def __setattr__(self, name: str, value: int) -> None:
        if not hasattr(_lib.Config, name) or name.startswith("_"):
            raise AttributeError(f"smmu_config_t has no field {name!r}")
        setattr(self._c, name, value)

    def __repr__(self) -> str:
        return "Config(" + ", ".join(f"{n}={getattr(self._c, n)}" for n, _ in _lib.Config._fields_) + ")"


def presets() -> list[str]:
    """Names of the presets built into the library (smmu_preset_name)."""
    return [lib.smmu_preset_name(i).decode() for i in range(lib.smmu_preset_count())]


class Timing:
    """smmu_timing_t (docs/timing.md); attributes are its field names, mem_latency a list of 9
    (one per AccessKind). Give it to Smmu.set_timing."""

    __slots__ = ("_c",)

    def __init__(self, **fields: Any) -> None:
        object.__setattr__(self, "_c", _lib.Timing())
        for k, v in fields.items():
            setattr(self, k, v)

    @classmethod
    def from_preset(cls, name: str) -> "Optional[Timing]":
        """The timing of preset name, or None for a preset without timing (default-v3.x);
        ValueError for an unknown name."""
        t = cls()
        if lib.smmu_preset_get(name.encode(), None, C.byref(t._c)) != 0:
            raise ValueError(f"unknown preset {name!r}; presets: {', '.join(presets())}")
        return t if t._c.num_tbus else None

    def check(self) -> None:
        """smmu_timing_check: raise ConfigError with the core's message if rejected."""
        msg = C.create_string_buffer(256)
        if lib.smmu_timing_check(C.byref(self._c), msg, 256) != 0:
            raise ConfigError(msg.value.decode())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or not hasattr(_lib.Timing, name):
            raise AttributeError(f"smmu_timing_t has no field {name!r}")
        v = getattr(self._c, name)
        return list(v) if name == "mem_latency" else v

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_") or not hasattr(_lib.Timing, name):
            raise AttributeError(f"smmu_timing_t has no field {name!r}")
        if name == "mem_latency":
            if len(value) != 9:
                raise ValueError("mem_latency has 9 entries (one per AccessKind)")
            value = (C.c_uint32 * 9)(*value)
        setattr(self._c, name, value)

    def __repr__(self) -> str:
        return "Timing(" + ", ".join(f"{n}={getattr(self, n)}" for n, _ in _lib.Timing._fields_) + ")"


@dataclass(frozen=True, slots=True)
class Response:
    """smmu_response_t of one translation."""
    outcome: Outcome
    event: int
    recorded: int
    perms: int
    memattr: int
    sh: int
    ns: int
    stag: int
    pa: int
    page_base: int
    page_size: int
    done_cycle: int
    cls: Class = Class.TRANSLATED
    cause: Cause = Cause.NONE
    ats_status: AtsStatus = AtsStatus.NONE  # set for an ATS Translation Request
    ats_flags: int = 0  # SMMU_ATS_FLAG_* (U 1, N 2, Priv 4, Global 8)


# The hot path packs smmu_request_t and unpacks smmu_response_t with one struct call each
# (the layouts are checked against ctypes, itself checked against the library).
_REQ = struct.Struct("<II8BI4xQQ")
_RESP = struct.Struct("<8BI4B4Q")
assert _REQ.size == C.sizeof(_lib.Request) and _lib.Request.addr.offset == 24
assert _RESP.size == C.sizeof(_lib.ResponseC) and _lib.ResponseC.pa.offset == 16
_OUTCOME = Outcome._value2member_map_
_CLASS = Class._value2member_map_
_CAUSE = Cause._value2member_map_
_ATS = AtsStatus._value2member_map_


def _response(p: Any) -> Response:
    (outcome, event, recorded, perms, memattr, sh, ns, ats_status, stag, cls, cause, ats_flags,
     _, pa, page_base, page_size, done_cycle) = _RESP.unpack_from(p)
    return Response(_OUTCOME[outcome], event, recorded, perms, memattr, sh, ns, stag, pa,
                    page_base, page_size, done_cycle, _CLASS[cls], _CAUSE[cause],
                    _ATS[ats_status], ats_flags)


@dataclass(frozen=True, slots=True)
class Completion:
    """smmu_completion_t: the final response of the transaction that stalled with (sid, stag);
    response.outcome STALLED means it stalled again, with response.stag."""
    sid: int
    stag: int
    response: Response


@dataclass(frozen=True, slots=True)
class MsiAttr:
    """smmu_msi_attr_t: source, effective Shareability and MemAttr of one MSI (3.18)."""
    source: MsiSource
    sh: int
    memattr: int


@dataclass(frozen=True, slots=True)
class AtcInv:
    """smmu_atc_inv_t: an ATS Invalidate Request to the endpoint of sid, covering
    [addr, addr + 2**log2_span - 1] (CMD_ATC_INV, 4.5.1); ssid is None without a PASID."""
    sid: int
    ssid: Optional[int]
    global_: bool
    log2_span: int
    addr: int


@dataclass(frozen=True, slots=True)
class PrgResponse:
    """smmu_prg_response_t: a PRG Response Message to the endpoint of sid (8.3); ssid is None
    without a PASID prefix; automatic: generated by the SMMU (8.1, 8.2), else CMD_PRI_RESP."""
    sid: int
    ssid: Optional[int]
    prgi: int
    code: int
    automatic: bool


_EVENT_FIELDS = [n for n, _ in _lib.EventC._fields_]


@dataclass(frozen=True)
class Event:
    """smmu_event_t, plus whether it reached the event queue (recorded)."""
    type: int = 0
    ssv: int = 0
    s2: int = 0
    cls: int = 0
    rnw: int = 0
    ind: int = 0
    pnu: int = 0
    nsipa: int = 0
    ttrnw: int = 0
    stall: int = 0
    stag: int = 0
    sid: int = 0
    ssid: int = 0
    reason: int = 0
    input_addr: int = 0
    ipa: int = 0
    fetch_addr: int = 0
    recorded: bool = False

    @property
    def name(self) -> str:
        """smmu_event_name(type)."""
        return lib.smmu_event_name(self.type).decode()

    def _c(self) -> _lib.EventC:
        return _lib.EventC(**{n: getattr(self, n) for n in _EVENT_FIELDS})

    @classmethod
    def _from_c(cls, ev: _lib.EventC, recorded: bool = False) -> "Event":
        return cls(**{n: getattr(ev, n) for n in _EVENT_FIELDS}, recorded=recorded)

    def encode(self) -> list[int]:
        """The 8 32-bit words of the record (7.3), smmu_event_encode."""
        rec = (C.c_uint32 * 8)()
        lib.smmu_event_encode(C.byref(self._c()), C.byref(rec))
        return list(rec)

    @classmethod
    def decode(cls, words: list[int]) -> "Event":
        """smmu_event_decode of 8 record words."""
        if len(words) != 8:
            raise ValueError("an event record is 8 words")
        rec = (C.c_uint32 * 8)(*words)
        ev = _lib.EventC()
        lib.smmu_event_decode(C.byref(rec), C.byref(ev))
        return cls._from_c(ev)


class Stats:
    """smmu_stats_t: attributes named as its fields; cmd_by_opcode is a list of 256."""

    def __init__(self, c: _lib.StatsC) -> None:
        for n, _ in _lib.StatsC._fields_:
            v = getattr(c, n)
            setattr(self, n, list(v) if n == "cmd_by_opcode" else v)

    def __repr__(self) -> str:
        return "Stats(" + ", ".join(f"{n}={getattr(self, n)}" for n, _ in _lib.StatsC._fields_
                                    if n != "cmd_by_opcode") + ")"


class Command:
    """A command by name and fields: Command("CMD_CFGI_STE", sid=3).encode() -> (w0, w1)."""

    def __init__(self, name: str, **fields: int) -> None:
        self._c = _lib.CmdC()
        if lib.smmu_cmd_init_by_name(C.byref(self._c), name.encode()) != 0:
            raise ValueError(f"unknown command {name!r}")
        for k, v in fields.items():
            r = lib.smmu_cmd_set_field(C.byref(self._c), k.encode(), v)
            if r == -1:
                raise ValueError(f"unknown command field {k!r}")
            if r == -2:
                raise ValueError(f"{k} = {v:#x} is wider than the field")

    def encode(self) -> tuple[int, int]:
        """The two 64-bit words of the CMDQ entry (smmu_cmd_encode)."""
        out = (C.c_uint64 * 2)()
        if lib.smmu_cmd_encode(C.byref(self._c), C.byref(out)) != 0:
            raise ValueError("opcode not encodable")
        return out[0], out[1]


class Memory(Protocol):
    """What Smmu needs of memory. Raise ExternalAbort for an external abort."""

    def read(self, pa: int, length: int, kind: AccessKind) -> bytes: ...

    def write(self, pa: int, data: bytes, kind: AccessKind) -> None: ...


class FlatMemory:
    """A bytearray of size bytes at PA base. Smmu reads tables and the command queue straight
    from it (smmu_set_direct_memory, no Python callback); writes (event queue, MSIs) go through
    write() so Python sees each one. Outside [base, base + size) accesses abort."""

    def __init__(self, size: int, base: int = 0) -> None:
        self.base, self.size = base, size
        self.data = bytearray(size)
        self.reads = 0   # read() calls (accesses outside the direct window)
        self.writes = 0  # write() calls

    def _off(self, pa: int, n: int) -> int:
        off = pa - self.base
        if off < 0 or off + n > self.size:
            raise ExternalAbort(f"PA {pa:#x}+{n} outside memory")
        return off

    def read(self, pa: int, length: int, kind: AccessKind = AccessKind.TT) -> bytes:
        """length bytes at pa."""
        self.reads += 1
        o = self._off(pa, length)
        return bytes(self.data[o:o + length])

    def write(self, pa: int, data: bytes, kind: AccessKind = AccessKind.TT) -> None:
        """Store data at pa."""
        self.writes += 1
        o = self._off(pa, len(data))
        self.data[o:o + len(data)] = data

    def w64(self, pa: int, v: int) -> None:
        """Store a little-endian 64-bit word (no callback counted)."""
        o = self._off(pa, 8)
        self.data[o:o + 8] = v.to_bytes(8, "little")

    def r64(self, pa: int) -> int:
        """Little-endian 64-bit word at pa."""
        o = self._off(pa, 8)
        return int.from_bytes(self.data[o:o + 8], "little")

    def r32(self, pa: int) -> int:
        """Little-endian 32-bit word at pa."""
        o = self._off(pa, 4)
        return int.from_bytes(self.data[o:o + 4], "little")


class Smmu:
    """One SMMU instance (smmu_create). Use as a context manager or call close().

    Not thread-safe by design of the core: calls are serialised by a per-instance lock, and a
    call from one of the instance's own callbacks raises ReentrancyError without entering the
    core. Exceptions raised by callbacks are caught (a memory access then aborts) and the first
    is re-raised when the outer call returns (later ones attached as notes)."""

    def __init__(self, config: Optional[Config] = None, memory: Any = None) -> None:
        self._h: Optional[int] = None
        self.config = config if config is not None else Config.default()
        self.memory = memory if memory is not None else FlatMemory(16 << 20)
        self.on_irq: Optional[Callable[[Irq], None]] = None
        self.on_invalidate: Optional[Callable[[InvalKind, int, int], None]] = None
        #: Called (no arguments) when smmu_take_completions has work: call take_completions()
        #: afterwards, from outside the callback.
        self.on_completion_ready: Optional[Callable[[], None]] = None
        #: Called with each PrgResponse to an endpoint (CMD_PRI_RESP or automatic).
        self.on_prg_response: Optional[Callable[[PrgResponse], None]] = None
        #: Called with (addr, data, MsiAttr) for each MSI; None: the MSI is a 4-byte
        #: little-endian memory.write of kind MSI (SYNC for CMD_SYNC). Raise ExternalAbort
        #: for an aborted MSI write (GERROR.MSI_*_ABT_ERR).
        self.on_msi: Optional[Callable[[int, int, MsiAttr], None]] = None
        #: Called with each AtcInv (CMD_ATC_INV); returns an AtcInvResult (None: OK).
        #: None: every invalidation completes at once.
        self.on_atc_inv: Optional[Callable[[AtcInv], Optional[int]]] = None
        self._events: list[Event] = []
        self._pending: list[BaseException] = []
        self._lock = threading.Lock()
        self._owner: Optional[int] = None
        m = self.memory
        self._cbs = (_lib.READ_FN(self._cb_read), _lib.WRITE_FN(self._cb_write),
                     _lib.IRQ_FN(self._cb_irq), _lib.EVENT_FN(self._cb_event),
                     _lib.INVAL_FN(self._cb_inval), _lib.COMPLETION_FN(self._cb_completion),
                     _lib.PRG_FN(self._cb_prg), _lib.MSI_FN(self._cb_msi),
                     _lib.ATC_INV_FN(self._cb_atc_inv))
        self._ops = _lib.MemOps(size=C.sizeof(_lib.MemOps), read=self._cbs[0], write=self._cbs[1],
                                raise_irq=self._cbs[2], on_event=self._cbs[3],
                                on_invalidate=self._cbs[4], on_completion_ready=self._cbs[5],
                                on_prg_response=self._cbs[6], msi_write=self._cbs[7],
                                on_atc_inv=self._cbs[8])
        msg = C.create_string_buffer(256)
        h = lib.smmu_create(C.byref(self.config._c), C.byref(self._ops), None, msg, 256)
        if not h:
            raise ConfigError(msg.value.decode() or "smmu_create failed")
        self._h = h
        self._window = None
        if isinstance(m, FlatMemory):
            self._window = (C.c_char * m.size).from_buffer(m.data)
            _check(lib.smmu_set_direct_memory(h, m.base, C.addressof(self._window), m.size),
                   "smmu_set_direct_memory")
        self._req = _lib.Request()
        self._resp = _lib.ResponseC()
        self._preq, self._presp = C.byref(self._req), C.byref(self._resp)
        self._rcache: dict[bytes, Response] = {}

    # ---- callbacks (run inside a core call; never let an exception escape to ctypes) ----
    def _fail(self, e: BaseException) -> None:
        self._pending.append(e)

    def _cb_read(self, ctx: Any, pa: int, buf: int, n: int, kind: int, lat: Any) -> int:
        try:
            data = self.memory.read(pa, n, AccessKind(kind))
            if len(data) != n:
                raise ValueError(f"read({pa:#x}, {n}) returned {len(data)} bytes")
            C.memmove(buf, bytes(data), n)
            return 0
        except ExternalAbort:
            return 1
        except BaseException as e:  # noqa: BLE001 - re-raised after the call
            self._fail(e)
            return 1

    def _cb_write(self, ctx: Any, pa: int, buf: int, n: int, kind: int, lat: Any) -> int:
        try:
            self.memory.write(pa, C.string_at(buf, n), AccessKind(kind))
            return 0
        except ExternalAbort:
            return 1
        except BaseException as e:  # noqa: BLE001
            self._fail(e)
            return 1

    def _cb_irq(self, ctx: Any, irq: int) -> None:
        try:
            if self.on_irq is not None:
                self.on_irq(Irq(irq))
        except BaseException as e:  # noqa: BLE001
            self._fail(e)

    def _cb_event(self, ctx: Any, ev: Any, recorded: int) -> None:
        try:
            self._events.append(Event._from_c(ev.contents, bool(recorded)))
        except BaseException as e:  # noqa: BLE001
            self._fail(e)

    def _cb_inval(self, ctx: Any, n: Any) -> None:
        try:
            if self.on_invalidate is not None:
                c = n.contents
                self.on_invalidate(InvalKind(c.kind), c.lo, c.hi)
        except BaseException as e:  # noqa: BLE001
            self._fail(e)

    def _cb_completion(self, ctx: Any) -> None:
        try:
            if self.on_completion_ready is not None:
                self.on_completion_ready()
        except BaseException as e:  # noqa: BLE001
            self._fail(e)

    def _cb_prg(self, ctx: Any, r: Any) -> None:
        try:
            if self.on_prg_response is not None:
                c = r.contents
                self.on_prg_response(PrgResponse(c.sid, c.ssid if c.ssv else None, c.prgi,
                                                 c.code, bool(c.automatic)))
        except BaseException as e:  # noqa: BLE001
            self._fail(e)

    def _cb_msi(self, ctx: Any, addr: int, data: int, attr: Any) -> int:
        try:
            a = attr.contents
            if self.on_msi is not None:
                self.on_msi(addr, data, MsiAttr(MsiSource(a.source), a.sh, a.memattr))
            else:
                kind = AccessKind.SYNC if a.source == MsiSource.CMD_SYNC else AccessKind.MSI
                self.memory.write(addr, data.to_bytes(4, "little"), kind)
            return 0
        except ExternalAbort:
            return 1
        except BaseException as e:  # noqa: BLE001
            self._fail(e)
            return 1

    def _cb_atc_inv(self, ctx: Any, inv: Any) -> int:
        try:
            if self.on_atc_inv is None:
                return int(AtcInvResult.OK)
            c = inv.contents
            r = self.on_atc_inv(AtcInv(c.sid, c.ssid if c.ssv else None,
                                       bool(getattr(c, "global")), c.log2_span, c.addr))
            return int(AtcInvResult.OK if r is None else AtcInvResult(r))
        except BaseException as e:  # noqa: BLE001 - an endpoint that failed never answers
            self._fail(e)
            return int(AtcInvResult.NO_RESPONSE)

    # ---- entering the core ----
    def _enter(self) -> int:
        if self._h is None:
            raise ClosedError("Smmu is closed")
        if self._owner == threading.get_ident():
            raise ReentrancyError("call into the Smmu from one of its own callbacks")
        self._lock.acquire()
        self._owner = threading.get_ident()
        return self._h

    def _leave(self) -> None:
        self._owner = None
        self._lock.release()
        if self._pending:
            first, rest = self._pending[0], self._pending[1:]
            self._pending = []
            for e in rest:
                first.add_note(f"also raised in a callback: {e!r}")
            raise first

    def mmio_read(self, off: int, size: int = 4) -> int:
        """Read a register (smmu_mmio_read); ValueError for a bad size or misaligned offset."""
        h = self._enter()
        v = C.c_uint64()
        try:
            st = lib.smmu_mmio_read(h, off, size, C.byref(v))
        finally:
            self._leave()
        _check(st, f"mmio_read({off:#x}, {size})")
        return v.value

    def mmio_write(self, off: int, value: int, size: int = 4) -> None:
        """Write a register (smmu_mmio_write); commands are consumed before it returns."""
        h = self._enter()
        try:
            st = lib.smmu_mmio_write(h, off, value, size)
        finally:
            self._leave()
        _check(st, f"mmio_write({off:#x}, {size})")

    def translate(self, sid: int, addr: int, size: int = 4, *, write: bool = False,
                  ssid: Optional[int] = None, priv: bool = False, instr: bool = False,
                  secure: bool = False, pcie: bool = False, ats: int = 0,
                  cycle: int = 0, tbu: int = 0) -> Response:
        """Translate one transaction (smmu_translate); ssid=None means no SubstreamID (SSV=0);
        tbu is the port the request enters (below the timing's num_tbus)."""
        try:
            _REQ.pack_into(self._req, 0, sid, 0 if ssid is None else ssid, ssid is not None,
                           write, instr, priv, secure, ats, pcie, tbu, size, addr, cycle)
        except struct.error as e:
            raise ValueError(f"translate: field out of range: {e}") from None
        h = self._enter()
        try:
            st = lib.smmu_translate(h, self._preq, self._presp)
        finally:
            self._leave()
        if st:
            _check(st, "translate")
        # Responses are frozen values: equal bytes give the same Response (a bounded cache;
        # building the dataclass costs more than the translation itself).
        raw = bytes(self._resp)
        r = self._rcache.get(raw)
        if r is None:
            if len(self._rcache) >= 4096:
                self._rcache.clear()
            r = self._rcache[raw] = _response(self._resp)
        return r

    def take_completions(self, max: int = 64) -> list[Completion]:
        """smmu_take_completions: run the retries that CMD_RESUME (Retry) and a writable event
        queue marked, then return up to max completions of stalled transactions, oldest
        first (more stay queued for the next call)."""
        h = self._enter()
        buf = (_lib.Completion * max)() if max > 0 else None
        n = C.c_uint()
        try:
            st = lib.smmu_take_completions(h, buf, max, C.byref(n))
        finally:
            self._leave()
        _check(st, "take_completions")
        return [Completion(buf[i].sid, buf[i].stag, _response(buf[i].resp))  # type: ignore[index]
                for i in range(n.value)]

    def page_request(self, sid: int, addr: int, prgi: int, *, ssid: Optional[int] = None,
                     last: bool = True, r: bool = True, w: bool = False, x: bool = False,
                     priv: bool = False, secure: bool = False) -> None:
        """smmu_page_request: a PRI Page Request (chapter 8; a Stop Marker is ssid set, last,
        r = w = False). ValueError (SMMU_ERR_INVAL) for a bad field or an SMMU without PRI."""
        p = _lib.Ppr(sid=sid, ssid=ssid or 0, addr=addr, prgi=prgi, ssv=ssid is not None,
                     secure=secure, last=last, r=r, w=w, x=x, priv=priv)
        h = self._enter()
        try:
            st = lib.smmu_page_request(h, C.byref(p))
        finally:
            self._leave()
        _check(st, "page_request")

    def set_timing(self, timing: Optional[Timing]) -> None:
        """smmu_set_timing: turn the timing model on with timing (a copy), or off with None;
        resets the timing state. ValueError for a timing smmu_timing_check refuses. With
        timing on, translate's cycle must not decrease and tbu be below num_tbus."""
        h = self._enter()
        try:
            st = lib.smmu_set_timing(h, C.byref(timing._c) if timing is not None else None)
        finally:
            self._leave()
        _check(st, "set_timing")

    def timing_stats(self, tbu: int = -1) -> dict[str, Any]:
        """smmu_get_timing_stats of TBU tbu, or of all TBUs with -1, as a dict named as the C
        fields ("latency" a dict of smmu_latency_stats_t, its "log2" a list of 65). ValueError
        when timing is off or tbu is out of range."""
        h = self._enter()
        out = _lib.TimingStats()
        try:
            st = lib.smmu_get_timing_stats(h, tbu, C.byref(out))
        finally:
            self._leave()
        _check(st, "timing_stats")

        def conv(c: Any) -> dict[str, Any]:
            d: dict[str, Any] = {}
            for n, _ in c._fields_:
                v = getattr(c, n)
                d[n] = conv(v) if isinstance(v, C.Structure) else (
                    list(v) if isinstance(v, C.Array) else v)
            return d
        return conv(out)

    def current_cycle(self) -> int:
        """smmu_current_cycle: the latest cycle a call carried (0 with timing off)."""
        h = self._enter()
        try:
            return int(lib.smmu_current_cycle(h))
        finally:
            self._leave()

    def take_events(self) -> list[Event]:
        """Events observed through on_event since the last call (recorded or dropped)."""
        ev, self._events = self._events, []
        return ev

    def stats(self) -> Stats:
        """smmu_get_stats."""
        h = self._enter()
        s = _lib.StatsC()
        try:
            lib.smmu_get_stats(h, C.byref(s))
        finally:
            self._leave()
        return Stats(s)

    def clear_stats(self) -> None:
        """smmu_clear_stats."""
        h = self._enter()
        try:
            lib.smmu_clear_stats(h)
        finally:
            self._leave()

    def inject_sfm(self) -> None:
        """smmu_inject_sfm: enter Service Failure Mode (12.3): GERROR.SFM_ERR, every later
        transaction aborts with Cause.SFM; only reset() leaves it."""
        h = self._enter()
        try:
            lib.smmu_inject_sfm(h)
        finally:
            self._leave()

    def reset(self) -> None:
        """smmu_reset: registers, queues, caches and statistics to reset state."""
        h = self._enter()
        try:
            lib.smmu_reset(h)
        finally:
            self._leave()

    def close(self) -> None:
        """smmu_destroy; later calls raise ClosedError. Closing twice is harmless."""
        if self._h is None:
            return
        h = self._enter()
        try:
            lib.smmu_destroy(h)
            self._h = None
        finally:
            self._leave()
        self._window = None
        self._cbs = ()  # type: ignore[assignment]

    def __enter__(self) -> "Smmu":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_h", None) is not None and self._owner is None:
            lib.smmu_destroy(self._h)
            self._h = None
