# SPDX-License-Identifier: Apache-2.0
"""Python mirrors of [timing] and [recoverable]: presets, timing and req.tbu, the Stall model
(STALLED, BUSY, completions), PRI, MSIs with attributes and ATC invalidations, each callback
under the same rules as the memory callbacks (docs/bindings.md)."""
import pytest

import smmu
from smmu import regs, tables
from helpers import s1_setup

BIT = lambda n: 1 << n  # noqa: E731


def stall_setup(s, mem, stall_max=4):
    """Boot; StreamID 1 at stage 1 with CD.S = 1 (5.4: faults stall), 0x40000000 mapped."""
    drv = tables.Driver(s, mem)
    drv.boot()
    pt = tables.PageTable(drv.alloc, 12, 48)
    pt.map(0x40000000, 0x800000)
    cd = tables.cd(pt.root, asid=7)
    cd[0] |= BIT(44)  # CD.S, CD[44]
    drv.write_cd(0x40000, cd)
    drv.attach(1, tables.ste_s1(0x40000))
    return drv, pt


def stall_config(stall_max=4):
    c = smmu.Config.default()
    c.stall_model = 0
    c.stall_max = stall_max
    return c


# ---- presets and timing ----

def test_config_from_preset_equals_default():
    """Config.from_preset("default-v3.2") is smmu_config_default(v3.2), field by field."""
    a, b = smmu.Config.from_preset("default-v3.2"), smmu.Config.default(smmu.Arch.V3_2)
    for name, _ in smmu._lib.Config._fields_:
        assert getattr(a, name) == getattr(b, name), name


def test_preset_unknown_name_valueerror():
    with pytest.raises(ValueError, match="unknown preset 'nope'"):
        smmu.Config.from_preset("nope")
    with pytest.raises(ValueError):
        smmu.Timing.from_preset("nope")
    assert "mmu600" in smmu.presets()


def test_timing_from_preset():
    """mmu600 has 14 TBUs (docs/timing.md); default-v3.2 has no timing (None)."""
    t = smmu.Timing.from_preset("mmu600")
    assert t is not None and t.num_tbus == 14 and len(t.mem_latency) == 9
    assert smmu.Timing.from_preset("default-v3.2") is None


def test_timing_tbu_and_done_cycle(flat):
    """docs/timing.md rule 4: a micro-TLB hit on TBU 1 completes utlb_latency cycles after its
    issue; a tbu at or above num_tbus is SMMU_ERR_INVAL (ValueError)."""
    t = smmu.Timing(num_tbus=2, utlb_latency=3, tlb_latency=5, link_latency=10,
                    mem_latency=[100] * 9)
    t.check()
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        s.set_timing(t)
        r1 = s.translate(1, 0x40000010, cycle=10, tbu=1)
        assert r1.outcome == smmu.Outcome.OK and r1.pa == 0x800010
        r2 = s.translate(1, 0x40000020, cycle=r1.done_cycle, tbu=1)
        assert r2.done_cycle == r1.done_cycle + 3
        assert s.current_cycle() == r1.done_cycle
        with pytest.raises(ValueError):
            s.translate(1, 0x40000020, cycle=r1.done_cycle, tbu=2)
        s.set_timing(None)
        assert s.translate(1, 0x40000020, tbu=0).done_cycle == 0


def test_timing_stats_per_tbu(flat):
    """smmu_get_timing_stats: translations counted per TBU (docs/timing.md); the micro-TLB hit
    on TBU 1 has latency utlb_latency; timing off is a ValueError."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        with pytest.raises(ValueError):
            s.timing_stats()
        s.set_timing(smmu.Timing(num_tbus=2, utlb_latency=3, tlb_latency=5, link_latency=10,
                                 mem_latency=[100] * 9))
        r = s.translate(1, 0x40000010, cycle=0, tbu=0)
        s.translate(1, 0x40000010, cycle=r.done_cycle, tbu=1)
        s.translate(1, 0x40000010, cycle=r.done_cycle + 100, tbu=1)
        t0, t1, all_ = s.timing_stats(0), s.timing_stats(1), s.timing_stats()
        assert (t0["translations"], t1["translations"], all_["translations"]) == (1, 2, 3)
        assert (t0["misses"], t0["latency"]["max"]) == (1, r.done_cycle)
        # rule 4: both TBU-1 translations are micro-TLB hits of 3 cycles
        assert (t1["utlb_hits"], t1["latency"]["sum"], t1["latency"]["max"]) == (2, 6, 3)
        assert all_["latency"]["sum"] == r.done_cycle + 6 and len(all_["latency"]["log2"]) == 65
        with pytest.raises(ValueError):
            s.timing_stats(2)


def test_timing_check_rejects_zero_tbus():
    with pytest.raises(smmu.ConfigError, match="num_tbus"):
        smmu.Timing(num_tbus=0).check()
    with pytest.raises(AttributeError):
        smmu.Timing(nope=1)


# ---- Stall model (3.12.2, 4.7.1) ----

def test_stall_resume_retry_completion(flat):
    """3.12.2: a fault with CD.S = 1 stalls (Outcome.STALLED, STAG 0, Stall = 1 in the record);
    CMD_RESUME (Retry) after the fix fires on_completion_ready and take_completions gives the
    retried transaction's PA (4.7.1)."""
    with smmu.Smmu(stall_config(), flat) as s:
        drv, pt = stall_setup(s, flat)
        ready = []
        s.on_completion_ready = lambda: ready.append(1)
        r = s.translate(1, 0x40005008)
        assert (r.outcome, r.stag, r.cls) == (smmu.Outcome.STALLED, 0, smmu.Class.STALLED)
        (ev, _), = drv.read_events()
        assert (ev.type, ev.stall, ev.stag, ev.input_addr) == (0x10, 1, 0, 0x40005008)
        assert s.take_completions() == []
        pt.map(0x40005000, 0x9AB000)
        drv.command("CMD_RESUME", sid=1, stag=0, resp=1)
        assert ready == [1]
        (c,) = s.take_completions()
        assert (c.sid, c.stag) == (1, 0)
        assert c.response.outcome == smmu.Outcome.OK and c.response.pa == 0x9AB008
        assert s.take_completions() == []


def test_stall_term_terminates(flat):
    """4.7.2: CMD_STALL_TERM terminates the stream's stalls: ABORT completions."""
    with smmu.Smmu(stall_config(), flat) as s:
        drv, _ = stall_setup(s, flat)
        assert s.translate(1, 0x40005000).stag == 0
        assert s.translate(1, 0x40006000).stag == 1
        drv.command("CMD_STALL_TERM", sid=1)
        cs = s.take_completions()
        assert sorted((c.stag, c.response.outcome) for c in cs) == [
            (0, smmu.Outcome.ABORT), (1, smmu.Outcome.ABORT)]


def test_busy_at_stall_max(flat):
    """6.3.6: with IDR5.STALL_MAX = 1 stalls outstanding a second stalling fault is BUSY: no
    event, nothing changed."""
    with smmu.Smmu(stall_config(1), flat) as s:
        drv, _ = stall_setup(s, flat)
        assert s.translate(1, 0x40005000).outcome == smmu.Outcome.STALLED
        s.take_events()
        r = s.translate(1, 0x40006000)
        assert (r.outcome, r.cls, r.event) == (smmu.Outcome.BUSY, smmu.Class.BUSY, 0)
        assert s.take_events() == []
        assert len(drv.read_events()) == 1


def test_completion_ready_raise_reraised(flat):
    """An exception in on_completion_ready is re-raised when the MMIO write returns; the
    completion is still there (the core's state is what it left)."""
    with smmu.Smmu(stall_config(), flat) as s:
        drv, _ = stall_setup(s, flat)
        s.translate(1, 0x40005000)

        def boom():
            raise RuntimeError("ready")
        s.on_completion_ready = boom
        with pytest.raises(RuntimeError, match="ready"):
            drv.command("CMD_RESUME", sid=1, stag=0, resp=0, ab=1)
        s.on_completion_ready = None
        (c,) = s.take_completions()
        assert c.response.outcome == smmu.Outcome.ABORT


def test_take_completions_from_callback_reentrancy_error(flat):
    """on_completion_ready may not call into the instance: ReentrancyError, re-raised."""
    with smmu.Smmu(stall_config(), flat) as s:
        drv, _ = stall_setup(s, flat)
        s.translate(1, 0x40005000)
        s.on_completion_ready = lambda: s.take_completions()
        with pytest.raises(smmu.ReentrancyError):
            drv.command("CMD_RESUME", sid=1, stag=0, resp=0, ab=1)


# ---- MSIs (3.18) ----

def _eventq_msi(s):
    s.mmio_write(regs.IRQ_CTRL, 0)
    s.mmio_write(regs.EVENTQ_IRQ_CFG0, 0x7F0040, 8)
    s.mmio_write(regs.EVENTQ_IRQ_CFG1, 0xCAFE0001)
    s.mmio_write(regs.EVENTQ_IRQ_CFG2, 0x3F)  # SH = ISH, MemAttr = 0b1111 (6.3.32)
    s.mmio_write(regs.IRQ_CTRL, regs.IRQ_CTRL_EVENTQ_IRQEN)


def test_on_msi_gets_attributes(flat):
    """3.18, 6.3.30-6.3.32: the event-queue MSI: address, data and the effective SH/MemAttr."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        _eventq_msi(s)
        got = []
        s.on_msi = lambda a, d, attr: got.append((a, d, attr))
        assert s.translate(1, 0x40010000).outcome == smmu.Outcome.ABORT
        assert got == [(0x7F0040, 0xCAFE0001, smmu.MsiAttr(smmu.MsiSource.EVENTQ, 3, 0xF))]
        assert flat.r32(0x7F0040) == 0


def test_msi_without_callable_is_memory_write(flat):
    """Without on_msi the MSI is a 4-byte little-endian memory write (kind MSI)."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        _eventq_msi(s)
        s.translate(1, 0x40010000)
        assert flat.r32(0x7F0040) == 0xCAFE0001


def test_on_msi_external_abort_sets_gerror(flat):
    """7.5: an aborted event-queue MSI write: GERROR.MSI_EVENTQ_ABT_ERR; not re-raised."""
    with smmu.Smmu(memory=flat) as s:
        s1_setup(s, flat)
        _eventq_msi(s)

        def abort(a, d, attr):
            raise smmu.ExternalAbort("MSI target gone")
        s.on_msi = abort
        s.translate(1, 0x40010000)
        assert s.mmio_read(regs.GERROR) & regs.GERROR_MSI_EVENTQ_ABT_ERR


# ---- ATS (3.9.1) and ATC invalidation (4.5.1) ----

def _ats_smmu(flat, **kw):
    c = smmu.Config.default()
    c.ats, c.pri = 1, 1
    s = smmu.Smmu(c, flat)
    drv, pt = s1_setup(s, flat)
    ste = tables.ste_s1(0x40000)
    ste[1] |= 1 << 28  # STE.EATS = 0b01, STE[93:92]
    drv.attach(1, ste)
    return s, drv


def test_ats_translation_request_success(flat):
    """3.9.1.2: a Translation Request of an EATS = 0b01 stream: Success with the PA."""
    s, _ = _ats_smmu(flat)
    with s:
        r = s.translate(1, 0x40000000, ats=smmu.AtsKind.TRANSLATION_REQ, pcie=True)
        assert (r.outcome, r.ats_status, r.pa) == (smmu.Outcome.OK, smmu.AtsStatus.SUCCESS,
                                                   0x800000)


def test_on_atc_inv_gets_request(flat):
    """4.5.1: CMD_ATC_INV reaches on_atc_inv with StreamID, span and address."""
    s, drv = _ats_smmu(flat)
    with s:
        got = []
        s.on_atc_inv = lambda inv: got.append(inv)
        drv.command("CMD_ATC_INV", sid=1, size=1, addr=0x40000000)
        assert got == [smmu.AtcInv(1, None, False, 13, 0x40000000)]
        assert s.mmio_read(regs.GERROR) == 0


def test_atc_inv_no_response_cerror(flat):
    """3.9.1.4: NO_RESPONSE: the next CMD_SYNC fails with CERROR_ATC_INV_SYNC (0x3)."""
    s, drv = _ats_smmu(flat)
    with s:
        s.on_atc_inv = lambda inv: smmu.AtcInvResult.NO_RESPONSE
        drv.command("CMD_ATC_INV", sid=1, addr=0x40000000)
        assert (s.mmio_read(regs.CMDQ_CONS) >> 24) & 0x7F == 0x3


def test_atc_inv_raise_is_no_response_and_reraised(flat):
    """An exception in on_atc_inv: the endpoint never answered (CERROR_ATC_INV_SYNC at the
    CMD_SYNC), re-raised once the MMIO write returns."""
    s, drv = _ats_smmu(flat)
    with s:
        def boom(inv):
            raise KeyError("endpoint")
        s.on_atc_inv = boom
        with pytest.raises(KeyError):
            drv.submit(*smmu.Command("CMD_ATC_INV", sid=1, addr=0x40000000).encode())
        s.on_atc_inv = None
        drv.submit(regs.CMD_SYNC, 0)
        assert (s.mmio_read(regs.CMDQ_CONS) >> 24) & 0x7F == 0x3


# ---- PRI (chapter 8) ----

def test_page_request_priq_off_automatic_failure(flat):
    """8.2: PRIQEN == 0: a Page Request is discarded with an automatic Response Failure."""
    s, _ = _ats_smmu(flat)
    with s:
        got = []
        s.on_prg_response = got.append
        s.page_request(1, 0x40000000, 7)
        assert got == [smmu.PrgResponse(1, None, 7, smmu.PrgCode.RESPONSE_FAILURE, True)]


def test_pri_resp_command_reaches_callable(flat):
    """4.5.2: CMD_PRI_RESP (Resp = 0b10, Success) is a PRG response, not automatic. Raw
    words: StreamID w0[63:32], PRGIndex w1[8:0], Resp w1[13:12] (smmu_cmd_encode puts Resp
    in w0[13:12], a core defect reported separately)."""
    s, drv = _ats_smmu(flat)
    with s:
        got = []
        s.on_prg_response = got.append
        drv.submit(regs.CMD_PRI_RESP | 1 << 32, 2 << 12 | 5)
        drv.submit(regs.CMD_SYNC, 0)
        assert got == [smmu.PrgResponse(1, None, 5, smmu.PrgCode.SUCCESS, False)]


def test_page_request_bad_field_valueerror(flat):
    """smmu_page_request: PRGIndex above 9 bits is SMMU_ERR_INVAL, nothing changed."""
    s, _ = _ats_smmu(flat)
    with s:
        with pytest.raises(ValueError):
            s.page_request(1, 0x40000000, 0x200)
        with pytest.raises(ValueError):
            s.page_request(1, 0x40000001, 1)


# ---- python3 -m smmu.bench ----

def test_bench_json_line(capsys):
    """--json prints one line {"tlb_hit_tps": X} with X > 0."""
    import json
    from smmu import bench
    assert bench.main(["--n", "500", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["tlb_hit_tps"] and out["tlb_hit_tps"] > 0


def test_bench_bad_argument_exit_2():
    from smmu import bench
    with pytest.raises(SystemExit) as e:
        bench.main(["--n", "0"])
    assert e.value.code == 2
