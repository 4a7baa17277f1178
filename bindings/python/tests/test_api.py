# SPDX-License-Identifier: Apache-2.0
"""The Python API over libsmmu (docs/bindings.md); spec sections as cited."""
import os
import ctypes
import gc
import re
import subprocess
from pathlib import Path

import pytest

import smmu
from smmu import _lib, regs, tables
from helpers import Wrapped, s1_setup

ROOT = Path(__file__).resolve().parents[3]


# ---- callback rules ----

def test_callback_raises_becomes_abort(flat):
    """A Python exception in read() is an external abort on the walk: F_WALK_EABT (7.3.12),
    re-raised once translate returns; the next translate works."""
    w = Wrapped(flat)
    with smmu.Smmu(memory=w) as s:
        drv, _ = s1_setup(s, flat)
        s.take_events()
        w.fail_kind, w.exc = smmu.AccessKind.TT, KeyError("boom")
        with pytest.raises(KeyError):
            s.translate(1, 0x40000010)
        (ev, words), = drv.read_events()
        assert ev.type == smmu.EventType.F_WALK_EABT
        assert words[0] & 0xFF == 0x0B and words[1] == 1 and words[4] == 0x40000010
        assert ev.fetch_addr != 0
        w.fail_kind = None
        r = s.translate(1, 0x40000010)
        assert r.outcome == smmu.Outcome.OK and r.pa == 0x800010


def test_void_callback_raise_reraised(flat):
    """An exception in on_invalidate (called per CFGI/TLBI, smmu.h) is re-raised by the MMIO
    write that consumed the command; the command still completed."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        s.on_invalidate = lambda k, lo, hi: (_ for _ in ()).throw(RuntimeError("inval"))
        with pytest.raises(RuntimeError, match="inval"):
            drv.submit(*smmu.Command("CMD_CFGI_STE", sid=1).encode())
        assert s.mmio_read(regs.CMDQ_CONS) & 0xFF == s.mmio_read(regs.CMDQ_PROD) & 0xFF


def test_second_callback_exception_is_a_note(flat):
    """Two raising callbacks in one call: the first is raised, the second added as a note."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        n = iter(range(10))
        s.on_invalidate = lambda k, lo, hi: (_ for _ in ()).throw(ValueError(f"n{next(n)}"))
        prod = s.mmio_read(regs.CMDQ_PROD)
        for i, c in enumerate([smmu.Command("CMD_CFGI_ALL"), smmu.Command("CMD_TLBI_NSNH_ALL")]):
            w0, w1 = c.encode()
            flat.w64(0x20000 + ((prod + i) & 0xFF) * 16, w0)
            flat.w64(0x20000 + ((prod + i) & 0xFF) * 16 + 8, w1)
        with pytest.raises(ValueError, match="n0") as ei:
            s.mmio_write(regs.CMDQ_PROD, (prod + 2) & 0x1FF)
        assert any("n1" in note for note in ei.value.__notes__)


def test_external_abort_not_reraised(flat):
    """smmu.ExternalAbort from read() is the architected abort (F_WALK_EABT), not re-raised."""
    w = Wrapped(flat)
    with smmu.Smmu(memory=w) as s:
        s1_setup(s, flat)
        w.fail_kind, w.exc = smmu.AccessKind.TT, smmu.ExternalAbort()
        r = s.translate(1, 0x40000010)
        assert r.outcome == smmu.Outcome.ABORT and r.event == smmu.EventType.F_WALK_EABT


def test_ste_fetch_abort(flat):
    """An aborted STE fetch is F_STE_FETCH (7.3.4)."""
    w = Wrapped(flat)
    with smmu.Smmu(memory=w) as s:
        s1_setup(s, flat)
        w.fail_kind, w.exc = smmu.AccessKind.STE, smmu.ExternalAbort()
        s.mmio_write(regs.CMDQ_PROD, s.mmio_read(regs.CMDQ_PROD))  # no-op
        r = s.translate(2, 0x1000)
        assert r.event == smmu.EventType.F_STE_FETCH


def test_cfunctype_kept_alive(flat):
    """The CFUNCTYPE objects live as long as the instance: gc between calls changes nothing."""
    w = Wrapped(flat)
    with smmu.Smmu(memory=w) as s:
        s1_setup(s, flat)
        for _ in range(3):
            gc.collect()
            assert s.translate(1, 0x40000010).pa == 0x800010


def test_reentrant_call_raises(flat):
    """A call into the instance from its own callback raises ReentrancyError without entering
    the core; it surfaces from the outer call."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        s.on_invalidate = lambda k, lo, hi: s.mmio_read(regs.CR0)
        with pytest.raises(smmu.ReentrancyError):
            drv.submit(*smmu.Command("CMD_CFGI_STE", sid=1).encode())
        s.on_invalidate = None
        assert s.mmio_read(regs.CR0ACK) & regs.CR0_SMMUEN


def test_inject_sfm_aborts_until_reset(flat):
    """12.3: in Service Failure Mode a translation that worked aborts with Cause.SFM and no
    event; GERROR.SFM_ERR (bit 8) is set; reset() is the only exit."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        assert s.translate(1, 0x40000010).outcome == smmu.Outcome.OK
        s.inject_sfm()
        assert s.mmio_read(regs.GERROR) == regs.GERROR_SFM_ERR
        r = s.translate(1, 0x40000010)
        assert (r.outcome, r.cause, r.event) == (smmu.Outcome.ABORT, smmu.Cause.SFM, 0)
        s.reset()
        assert s.mmio_read(regs.GERROR) == 0


def test_flat_memory_reads_skip_callbacks(flat):
    """FlatMemory: tables come through smmu_set_direct_memory (no read()), the event queue
    write goes through write()."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        flat.reads = flat.writes = 0
        assert s.translate(1, 0x40000010).outcome == smmu.Outcome.OK
        assert s.translate(1, 0x40005000).outcome == smmu.Outcome.ABORT
        assert flat.reads == 0 and flat.writes == 1


def test_on_invalidate_called(flat):
    """on_invalidate gets the kind and range of CFGI_STE (StreamID 5 only)."""
    seen = []
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        s.on_invalidate = lambda k, lo, hi: seen.append((k, lo, hi))
        drv.command("CMD_CFGI_STE", sid=5)
        assert seen == [(smmu.InvalKind.CFG, 5, 5)]


# ---- errors ----

def test_config_error_message():
    """SMMU_ERR_CONFIG carries the core's message (6.3.2 SIDSIZE)."""
    c = smmu.Config.default(smmu.Arch.V3_2)
    c.sidsize = 33
    with pytest.raises(smmu.ConfigError, match=r"IDR1.SIDSIZE.*6.3.2"):
        smmu.Smmu(c)
    with pytest.raises(smmu.ConfigError, match="SIDSIZE"):
        c.check()


def test_closed_instance_raises(flat):
    """After close() every call raises ClosedError; closing twice is harmless."""
    s = smmu.Smmu(memory=flat)
    s.close()
    s.close()
    for call in (lambda: s.mmio_read(0), lambda: s.translate(0, 0), s.stats):
        with pytest.raises(smmu.ClosedError):
            call()


def test_with_block_closes(flat):
    with smmu.Smmu(memory=flat) as s:
        pass
    with pytest.raises(smmu.ClosedError):
        s.mmio_read(regs.IDR0)


def test_mmio_bad_size_is_value_error(flat):
    """SMMU_ERR_INVAL -> ValueError: misaligned offset, bad size."""
    with smmu.Smmu(memory=flat) as s:
        with pytest.raises(ValueError):
            s.mmio_read(0x3, 4)
        with pytest.raises(ValueError):
            s.mmio_write(regs.CR0, 0, 2)


def test_config_unknown_attribute():
    c = smmu.Config.default()
    with pytest.raises(AttributeError):
        c.no_such_field
    with pytest.raises(AttributeError):
        c.no_such_field = 1


def test_config_fields_and_idr(flat):
    """Config attributes are smmu_config_t's; from_idr of the IDRs read back gives them."""
    c = smmu.Config.default(smmu.Arch.V3_1)
    c.sidsize = 12
    with smmu.Smmu(c, flat) as s:
        idr = [s.mmio_read(regs.IDR0 + 4 * i) for i in range(6)]
        d = smmu.Config.from_idr(idr, s.mmio_read(regs.AIDR), s.mmio_read(regs.IIDR))
    assert d.sidsize == 12 and d.arch_minor == 1
    assert (idr[1] & 0x3F) == 12  # IDR1.SIDSIZE [5:0] (6.3.2)


def test_from_idr_error(flat):
    """IDR0.TTENDIAN = 1 is Reserved (6.3.1): ConfigError with the core's message."""
    with smmu.Smmu(memory=flat) as s:
        idr = [s.mmio_read(regs.IDR0 + 4 * i) for i in range(6)]
    idr[0] = (idr[0] & ~(3 << 21)) | 1 << 21
    with pytest.raises(smmu.ConfigError, match=r"IDR0.TTENDIAN = 1 is Reserved \(6.3.1\)"):
        smmu.Config.from_idr(idr, 2)


# ---- load checks ----

def test_layout_mismatch_refuses_load():
    """A ctypes field at another offset than smmu_abi_fields() says: AbiMismatch naming it."""
    class Bad(ctypes.Structure):
        _fields_ = [("sid", ctypes.c_uint32), ("ssv", ctypes.c_uint8), ("ssid", ctypes.c_uint32)]
    table = _lib.library_fields(_lib.lib)
    with pytest.raises(smmu.AbiMismatch, match=r"smmu_request_t.ssv: offset 4 size 1 here, offset 8 size 1"):
        _lib.check_layout(table, {"smmu_request_t": Bad})
    _lib.check_layout(table)  # the real ones match


def test_abi_version_mismatch_refuses_load():
    v = _lib.lib.smmu_abi_version()
    assert v >> 16 == smmu.ABI_MAJOR
    with pytest.raises(smmu.AbiMismatch, match="major 1"):
        _lib.check_version((2 << 16) | 0)
    assert issubclass(smmu.AbiMismatch, ImportError)


def test_library_not_found(monkeypatch, tmp_path):
    monkeypatch.setattr(_lib, "candidates", lambda: [tmp_path / "nope.so"])
    with pytest.raises(smmu.LibraryNotFound, match="nope.so"):
        _lib.load()
    assert issubclass(smmu.LibraryNotFound, ImportError)


# ---- values ----

def test_regs_match_header():
    """Every integer #define of smmu_regs.h is in smmu.regs with the same value."""
    hdr = (ROOT / "csrc/include/smmu/smmu_regs.h").read_text()
    n = 0
    for name, val in re.findall(r"#define SMMU_(\w+) (0x[0-9A-Fa-f]+|\d+)u?\b", hdr):
        assert getattr(regs, name) == int(val, 0), name
        n += 1
    for name, bit in re.findall(r"#define SMMU_(\w+) \(?SMMU_BIT\((\d+)\)\)?", hdr):
        assert getattr(regs, name) == 1 << int(bit), name
    assert n > 50


def test_enums():
    assert smmu.Outcome.STALLED == 3 and smmu.Arch.V3_3 == 3
    assert smmu.EventType.F_TRANSLATION == 0x10 and smmu.EventType.F_WALK_EABT == 0x0B
    assert smmu.Irq.GERROR == 3 and smmu.AccessKind.TT_UPDATE == 8


def test_event_encode_decode():
    """7.3.12 F_TRANSLATION record: type, SID, InputAddr words."""
    ev = smmu.Event(type=0x10, sid=1, input_addr=0x40002000, rnw=1, cls=2)
    w = ev.encode()
    assert w == [0x10, 1, 0, 0x208, 0x40002000, 0, 0, 0]
    assert smmu.Event.decode(w) == ev
    assert ev.name == "F_TRANSLATION"


def test_command_encode():
    """CMD_CFGI_STE (4.3.1): opcode 0x03, StreamID in w0[63:32]."""
    assert smmu.Command("CMD_CFGI_STE", sid=3).encode() == (0x3 | 3 << 32, 0)
    assert smmu.Command("CMD_SYNC").encode()[0] & 0xFF == 0x46
    with pytest.raises(ValueError):
        smmu.Command("CMD_NOPE")
    with pytest.raises(ValueError):
        smmu.Command("CMD_CFGI_STE", nope=1)


# ---- translations ----

@pytest.mark.parametrize("granule", [12, 14, 16])
def test_s1_granules(flat, granule):
    """Stage 1 with a 4KB/16KB/64KB granule (CD.TG0, 5.4): exact PA."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat, granule)
        r = s.translate(1, 0x40000010 + 0x100)
        assert r.outcome == smmu.Outcome.OK and r.pa == 0x800110
        assert r.page_size == 1 << granule


def test_translation_fault_event(flat):
    """Unmapped page: F_TRANSLATION recorded (7.3.12), seen by on_event with recorded."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        s.take_events()
        r = s.translate(1, 0x40002000)
        assert r.outcome == smmu.Outcome.ABORT and r.recorded == 1
        (ev,) = s.take_events()
        assert ev.type == smmu.EventType.F_TRANSLATION and ev.recorded and ev.sid == 1
        assert s.take_events() == []


def test_stage2(flat):
    """STE Config = S2 only (5.2): IPA -> PA through the stage-2 tables."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        pt = tables.PageTable(drv.alloc, 12, 40, stage=2)
        pt.map(0x1000000, 0x900000)
        drv.attach(2, tables.ste_s2(pt))
        r = s.translate(2, 0x1000020, write=True)
        assert r.outcome == smmu.Outcome.OK and r.pa == 0x900020


def test_nested(flat):
    """Nested (5.2 Config = 0b111): CD and stage-1 tables at IPAs mapped by stage 2."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        s2 = tables.PageTable(drv.alloc, 12, 40, stage=2)
        for pa in range(0, 0x400000, 0x1000):  # identity for the table area and output
            s2.map(pa, pa)
        s2.map(0x10000000, 0xA00000)
        s1 = tables.PageTable(drv.alloc, 12, 48)
        s1.map(0x40000000, 0x10000000)
        drv.write_cd(0x40000, tables.cd(s1.root, asid=3))
        drv.attach(4, tables.ste_nested(0x40000, s2))
        r = s.translate(4, 0x40000008)
        assert r.outcome == smmu.Outcome.OK and r.pa == 0xA00008


def test_bypass_and_abort_ste(flat):
    """STE Config bypass: PA = input; Config abort: abort without event (5.2)."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat)
        drv.boot()
        drv.attach(3, tables.ste_bypass())
        drv.attach(5, tables.ste_abort())
        r = s.translate(3, 0x123456)
        assert r.pa == 0x123456
        assert (r.cls, r.cause) == (smmu.Class.BYPASS, smmu.Cause.STE_CONFIG)
        r = s.translate(5, 0x1000)
        assert r.outcome == smmu.Outcome.ABORT and r.event == 0
        assert (r.cls, r.cause) == (smmu.Class.ABORT, smmu.Cause.STE_CONFIG)


def test_response_class_and_cause(flat):
    """How a transaction ended (smmu_response_t cls/cause): translated, then a recorded
    F_TRANSLATION (7.3.12), then, with SMMUEN=0, GBPA.ABORT (1 at reset, 6.3.14) aborting."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        r = s.translate(1, 0x40000010)
        assert (r.cls, r.cause) == (smmu.Class.TRANSLATED, smmu.Cause.NONE)
        r = s.translate(1, 0x40002000)
        assert (r.cls, r.cause) == (smmu.Class.FAULT_RECORDED, smmu.Cause.NONE)
        s.mmio_write(regs.CR0, 0)
        r = s.translate(1, 0x40002000)
        assert r.outcome == smmu.Outcome.ABORT and r.event == 0
        assert (r.cls, r.cause) == (smmu.Class.ABORT, smmu.Cause.GBPA_ABORT)


def test_ats_translation_request_status(flat):
    """ATS (docs/ats.md, 3.9.1.2): a Translation Request (ats=2) to a stream with
    STE.EATS = 0b00 is UR with F_BAD_ATS_TREQ (0x05); so is one with SMMUEN=0; an
    ordinary transaction has ats_status NONE."""
    cfg = smmu.Config.default()
    cfg.ats = 1
    with smmu.Smmu(config=cfg, memory=flat) as s:
        s1_setup(s, flat)
        r = s.translate(1, 0x40000010, ats=2)
        assert (r.outcome, r.ats_status, r.event) == (smmu.Outcome.ABORT, smmu.AtsStatus.UR, 0x05)
        r = s.translate(1, 0x40000010)
        assert (r.outcome, r.pa, r.ats_status) == (smmu.Outcome.OK, 0x800010, smmu.AtsStatus.NONE)
        s.mmio_write(regs.CR0, 0)
        r = s.translate(1, 0x40000010, ats=2)
        assert (r.outcome, r.ats_status, r.event) == (smmu.Outcome.ABORT, smmu.AtsStatus.UR, 0x05)
        assert r.ats_flags == 0


def test_two_level_stream_table(flat):
    """2-level stream table (STRTAB_BASE_CFG.FMT = 1, 3.3.2): a high StreamID translates."""
    with smmu.Smmu(memory=flat) as s:
        drv = tables.Driver(s, flat, log2sids=16, two_level=True)
        drv.boot()
        drv.attach(0x1234, tables.ste_bypass())
        assert s.translate(0x1234, 0x5000).pa == 0x5000


def test_ssid_none_is_no_substream(flat):
    """ssid=None: SSV = 0; an SSID on a stream with S1CDMax = 0 is C_BAD_SUBSTREAMID (7.3.9)."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        assert s.translate(1, 0x40000000, ssid=None).outcome == smmu.Outcome.OK
        r = s.translate(1, 0x40000000, ssid=1)
        assert r.event == smmu.EventType.C_BAD_SUBSTREAMID


def test_stats(flat):
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        s.clear_stats()
        s.translate(1, 0x40000000)
        s.translate(1, 0x40009000)
        st = s.stats()
        assert (st.translations, st.translated_ok, st.aborted) == (2, 1, 1)
        assert len(st.cmd_by_opcode) == 256


def test_example_matches_c():
    """examples/boot.py prints exactly what smmu-example (beside $SMMU_LIB) prints."""
    exe = Path(_lib.lib._smmu_path).parent / "smmu-example"
    if not exe.exists():
        pytest.fail(f"{exe} not built")
    c = subprocess.run([str(exe)], capture_output=True, text=True, check=True).stdout
    import sys
    py = subprocess.run([sys.executable, str(ROOT / "bindings/python/examples/boot.py")],
                        capture_output=True, text=True, check=True,
                        env={**os.environ,  # keeps LD_PRELOAD of a sanitizer build
                             "PYTHONPATH": str(ROOT / "bindings/python"),
                             "SMMU_LIB": _lib.lib._smmu_path}).stdout
    assert py == c
