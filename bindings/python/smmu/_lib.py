# SPDX-License-Identifier: Apache-2.0
"""Loading libsmmu.so and the ctypes mirror of the public structs (smmu.h).

The layout of every ctypes struct is compared at load time with the table
the library itself reports (smmu_abi_fields); a difference refuses the load
with AbiMismatch instead of corrupting memory later.
"""
from __future__ import annotations

import ctypes as C
import os
from pathlib import Path

#: ABI major this package is written for (smmu.h SMMU_ABI_VERSION_MAJOR).
ABI_MAJOR = 1


class LibraryNotFound(ImportError):
    """libsmmu.so was not found; the message lists the paths tried."""


class AbiMismatch(ImportError):
    """The library's ABI (major version or a struct layout) differs from this package's."""


u8, u16, u32, u64 = C.c_uint8, C.c_uint16, C.c_uint32, C.c_uint64


def _fields(names: str, t: type) -> list[tuple[str, type]]:
    return [(n, t) for n in names.split()]


class Config(C.Structure):
    """smmu_config_t."""
    _fields_ = (_fields("arch_minor s1p s2p cohacc btm httu dormhint hyp ats ns1ats asid16 msi sev "
                        "atos pri vmw vmid16 cd2l vatos ttendian atsrecerr stall_model term_model "
                        "st_level attr_types_ovr attr_perms_ovr rel cmdqs eventqs priqs ssidsize "
                        "sidsize", u8)
                + [("ba_vatos", u16)]
                + _fields("had pbha xnx pps mpam fwb stt ril bbml e0pd ptwnnc oas gran4k gran16k "
                          "gran64k vax", u8)
                + [("stall_max", u16), ("iidr_implementer", u16), ("iidr_revision", u8),
                   ("iidr_variant", u8), ("iidr_productid", u16), ("secure_req_abort", u8)]
                + _fields("cfg_cache_entries tlb_sets tlb_ways tlb_repl walk_cache_sets "
                          "walk_cache_ways utlb_entries", u32))


class InvalNotice(C.Structure):
    """smmu_inval_notice_t."""
    _fields_ = [("kind", u8), ("reserved", u8 * 7), ("lo", u64), ("hi", u64)]


class Request(C.Structure):
    """smmu_request_t."""
    _fields_ = ([("sid", u32), ("ssid", u32)]
                + _fields("ssv write instr priv secure ats pcie tbu", u8)
                + [("size", u32), ("addr", u64), ("cycle", u64)])


class ResponseC(C.Structure):
    """smmu_response_t."""
    _fields_ = (_fields("outcome event recorded perms memattr sh ns ats_status", u8)
                + [("stag", u32)] + _fields("cls cause ats_flags reserved1", u8)
                + _fields("pa page_base page_size done_cycle", u64))


class EventC(C.Structure):
    """smmu_event_t."""
    _fields_ = (_fields("type ssv s2 cls rnw ind pnu nsipa ttrnw stall", u8)
                + [("stag", u16)] + _fields("sid ssid reason", u32)
                + _fields("input_addr ipa fetch_addr", u64))


_STATS_NAMES = ("translations translated_ok aborted razwi bypassed walks_s1 walks_s2 tt_reads "
                "ste_fetches cd_fetches cfg_cache_hits cfg_cache_misses utlb_hits tlb_hits "
                "tlb_misses tlb_inserts tlb_invalidated walk_cache_hits events_raised "
                "events_recorded events_dropped_disabled events_dropped_full commands")


class StatsC(C.Structure):
    """smmu_stats_t."""
    _fields_ = (_fields(_STATS_NAMES, u64) + [("cmd_by_opcode", u64 * 256)]
                + _fields("cerrors mem_reads mem_writes httu_updates", u64))


class CmdC(C.Structure):
    """smmu_cmd_t."""
    _fields_ = (_fields("opcode ssec ssv leaf global range num scale ttl tg size stride ns cs "
                        "msh msiattr resp ab", u8)
                + [("asid", u16), ("vmid", u16), ("stag", u16), ("prgindex", u16)]
                + _fields("sid ssid msidata", u32) + _fields("addr msiaddr", u64))


class AtcInv(C.Structure):
    """smmu_atc_inv_t: an ATS Invalidate Request to an endpoint (CMD_ATC_INV)."""
    _fields_ = ([("sid", u32), ("ssid", u32)] + _fields("ssv global log2_span", u8)
                + [("reserved", u8 * 5), ("addr", u64)])


class Completion(C.Structure):
    """smmu_completion_t: the final response of a stalled transaction."""
    _fields_ = [("sid", u32), ("stag", u16), ("reserved", u16), ("resp", ResponseC)]


class Ppr(C.Structure):
    """smmu_ppr_t: a PRI Page Request or Stop Marker."""
    _fields_ = ([("sid", u32), ("ssid", u32), ("addr", u64), ("prgi", u16)]
                + _fields("ssv secure last r w x priv", u8) + [("reserved", u8 * 3)])


class PrgResponse(C.Structure):
    """smmu_prg_response_t: a PRG Response Message to an endpoint."""
    _fields_ = ([("sid", u32), ("ssid", u32), ("prgi", u16)]
                + _fields("ssv code automatic", u8) + [("reserved", u8 * 3)])


class Timing(C.Structure):
    """smmu_timing_t (smmu_timing.h)."""
    _fields_ = (_fields("num_tbus utlb_latency tlb_latency link_latency cfg_cache_latency "
                        "walk_cache_latency tbu_slots tcu_slots ptw_slots max_reads cmd_cost "
                        "dm_latency", u32) + [("mem_latency", u32 * 9)])


class LatencyStats(C.Structure):
    """smmu_latency_stats_t."""
    _fields_ = _fields("count sum max mean p50 p90 p99 p999", u64) + [("log2", u64 * 65)]


class TimingStats(C.Structure):
    """smmu_timing_stats_t."""
    _fields_ = (_fields("translations utlb_hits tlb_hits misses merged port_wait_cycles "
                        "slot_wait_cycles", u64) + [("latency", LatencyStats)]
                + _fields("walks_s1 walks_s2 walk_cache_hits tt_reads cfg_misses "
                          "walker_busy_cycles peak_walkers commands command_cycles", u64))


class AbiField(C.Structure):
    """smmu_abi_field_t."""
    _fields_ = [("strct", C.c_char_p), ("field", C.c_char_p), ("offset", u32), ("size", u32)]


READ_FN = C.CFUNCTYPE(C.c_int, C.c_void_p, u64, C.c_void_p, u32, C.c_int, C.POINTER(u32))
WRITE_FN = C.CFUNCTYPE(C.c_int, C.c_void_p, u64, C.c_void_p, u32, C.c_int, C.POINTER(u32))
CAS_FN = C.CFUNCTYPE(C.c_int, C.c_void_p, u64, u64, u64, C.POINTER(u64))
IRQ_FN = C.CFUNCTYPE(None, C.c_void_p, C.c_int)
EVENT_FN = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(EventC), C.c_int)
INVAL_FN = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(InvalNotice))


class MsiAttr(C.Structure):
    """smmu_msi_attr_t: the effective attributes of one MSI (3.18)."""
    _fields_ = [("source", u8), ("sh", u8), ("memattr", u8), ("reserved", u8 * 5)]


# Stall model, PRI, MSI and ATS callbacks (wired by core.Smmu, docs/bindings.md).
COMPLETION_FN = C.CFUNCTYPE(None, C.c_void_p)
PRG_FN = C.CFUNCTYPE(None, C.c_void_p, C.POINTER(PrgResponse))
MSI_FN = C.CFUNCTYPE(C.c_int, C.c_void_p, u64, u32, C.POINTER(MsiAttr))
ATC_INV_FN = C.CFUNCTYPE(C.c_int, C.c_void_p, C.POINTER(AtcInv))


class MemOps(C.Structure):
    """smmu_mem_ops_t."""
    _fields_ = [("size", u32), ("read", READ_FN), ("write", WRITE_FN), ("cas64", CAS_FN),
                ("raise_irq", IRQ_FN), ("on_event", EVENT_FN), ("on_invalidate", INVAL_FN),
                ("on_completion_ready", COMPLETION_FN), ("on_prg_response", PRG_FN),
                ("msi_write", MSI_FN), ("on_atc_inv", ATC_INV_FN)]


#: ctypes struct per C struct name, as smmu_abi_fields() names them.
STRUCTS: dict[str, type] = {
    "smmu_config_t": Config, "smmu_inval_notice_t": InvalNotice, "smmu_mem_ops_t": MemOps,
    "smmu_msi_attr_t": MsiAttr,
    "smmu_request_t": Request, "smmu_response_t": ResponseC, "smmu_event_t": EventC,
    "smmu_stats_t": StatsC, "smmu_cmd_t": CmdC, "smmu_atc_inv_t": AtcInv,
    "smmu_completion_t": Completion, "smmu_ppr_t": Ppr, "smmu_prg_response_t": PrgResponse,
    "smmu_timing_t": Timing, "smmu_latency_stats_t": LatencyStats,
    "smmu_timing_stats_t": TimingStats,
}


def candidates() -> list[Path]:
    """Paths tried, in order: $SMMU_LIB, the copy installed in the package, build/libsmmu.so."""
    out = []
    if os.environ.get("SMMU_LIB"):
        out.append(Path(os.environ["SMMU_LIB"]))
    here = Path(__file__).resolve().parent
    out.append(here / "libsmmu.so")
    out.append(here.parent.parent.parent / "build" / "libsmmu.so")
    return out


def check_version(version: int, major: int = ABI_MAJOR) -> None:
    """Raise AbiMismatch unless version's major (bits [31:16]) equals major."""
    if version >> 16 != major:
        raise AbiMismatch(f"libsmmu ABI version {version >> 16}.{version & 0xFFFF}, "
                          f"this package needs major {major}")


def library_fields(lib: C.CDLL) -> dict[tuple[str, str], tuple[int, int]]:
    """smmu_abi_fields() as {(struct, field): (offset, size)}; field "" is the struct size."""
    n = C.c_size_t()
    p = lib.smmu_abi_fields(C.byref(n))
    return {(p[i].strct.decode(), p[i].field.decode()): (p[i].offset, p[i].size)
            for i in range(n.value)}


def check_layout(table: dict[tuple[str, str], tuple[int, int]],
                 structs: dict[str, type] = STRUCTS) -> None:
    """Raise AbiMismatch naming struct.field and both offsets where a ctypes field differs."""
    for sname, cls in structs.items():
        if (sname, "") not in table:
            raise AbiMismatch(f"{sname}: not described by the library")
        for fname, *_ in cls._fields_:
            desc = getattr(cls, fname)
            lib = table.get((sname, fname))
            if lib is None:
                raise AbiMismatch(f"{sname}.{fname}: not in the library's smmu_abi_fields()")
            if (desc.offset, desc.size) != lib:
                raise AbiMismatch(f"{sname}.{fname}: offset {desc.offset} size {desc.size} here, "
                                  f"offset {lib[0]} size {lib[1]} in the library")
        if C.sizeof(cls) != table[(sname, "")][1]:
            raise AbiMismatch(f"{sname}: sizeof {C.sizeof(cls)} here, "
                              f"{table[(sname, '')][1]} in the library")


def _declare(lib: C.CDLL) -> None:
    P, vp = C.POINTER, C.c_void_p
    sig = {
        "smmu_abi_version": (u32, []),
        "smmu_abi_fields": (P(AbiField), [P(C.c_size_t)]),
        "smmu_config_default": (None, [P(Config), C.c_int]),
        "smmu_config_check": (C.c_int, [P(Config), C.c_char_p, C.c_size_t]),
        "smmu_config_from_idr": (C.c_int, [P(u32 * 6), u32, u32, P(Config), C.c_char_p,
                                           C.c_size_t]),
        "smmu_create": (vp, [P(Config), P(MemOps), vp, C.c_char_p, C.c_size_t]),
        "smmu_destroy": (None, [vp]),
        "smmu_reset": (None, [vp]),
        "smmu_inject_sfm": (C.c_int, [vp]),
        "smmu_set_direct_memory": (C.c_int, [vp, u64, vp, u64]),
        "smmu_mmio_read": (C.c_int, [vp, u64, C.c_uint, P(u64)]),
        "smmu_mmio_write": (C.c_int, [vp, u64, u64, C.c_uint]),
        "smmu_translate": (C.c_int, [vp, P(Request), P(ResponseC)]),
        "smmu_event_encode": (None, [P(EventC), P(u32 * 8)]),
        "smmu_event_decode": (None, [P(u32 * 8), P(EventC)]),
        "smmu_event_name": (C.c_char_p, [C.c_uint]),
        "smmu_get_stats": (None, [vp, P(StatsC)]),
        "smmu_clear_stats": (None, [vp]),
        "smmu_cmd_encode": (C.c_int, [P(CmdC), P(u64 * 2)]),
        "smmu_cmd_init_by_name": (C.c_int, [P(CmdC), C.c_char_p]),
        "smmu_cmd_set_field": (C.c_int, [P(CmdC), C.c_char_p, u64]),
        "smmu_take_completions": (C.c_int, [vp, P(Completion), C.c_uint, P(C.c_uint)]),
        "smmu_page_request": (C.c_int, [vp, P(Ppr)]),
        "smmu_preset_count": (C.c_uint, []),
        "smmu_preset_name": (C.c_char_p, [C.c_uint]),
        "smmu_preset_description": (C.c_char_p, [C.c_uint]),
        "smmu_preset_get": (C.c_int, [C.c_char_p, P(Config), P(Timing)]),
        "smmu_timing_check": (C.c_int, [P(Timing), C.c_char_p, C.c_size_t]),
        "smmu_set_timing": (C.c_int, [vp, P(Timing)]),
        "smmu_current_cycle": (u64, [vp]),
        "smmu_get_timing_stats": (C.c_int, [vp, C.c_int, P(TimingStats)]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype, f.argtypes = res, args


def load() -> C.CDLL:
    """Load the first library of candidates(), declare its functions and check its ABI."""
    tried = []
    for path in candidates():
        if not path.is_file():
            tried.append(f"{path} (not found)")
            continue
        try:
            lib = C.CDLL(str(path))
        except OSError as e:
            tried.append(f"{path} ({e})")
            continue
        _declare(lib)
        check_version(lib.smmu_abi_version())
        check_layout(library_fields(lib))
        lib._smmu_path = str(path)  # type: ignore[attr-defined]
        return lib
    raise LibraryNotFound("libsmmu.so not found (build it with scripts/build.sh or set "
                          "SMMU_LIB); tried: " + "; ".join(tried))


lib = load()
