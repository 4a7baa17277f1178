// SPDX-License-Identifier: Apache-2.0
// ABI of the memory callback table (smmu.h): smmu_mem_ops_t.size and the
// smmu_mem_result_t values. A table shorter than this release's leaves the
// later callbacks NULL; a reserved result value is an external abort, with
// the same architected outcome as SMMU_MEM_ABORT (7.1 CERROR_ABT, 7.2.2
// EVENTQ_ABT_ERR, 7.3.4 F_STE_FETCH, 7.3.12 F_WALK_EABT).
#include <cstddef>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "smmu/smmu_cmd.h"
#include "smmu/smmu_timing.h"

#include "support/fixture.h"
#include "support/record.h"
#include "support/xlate_fixture.h"

namespace smmutest {
namespace {

int g_invalidations = 0;
void count_inval(void *, const smmu_inval_notice_t *) { g_invalidations++; }

class Abi : public Xlate {
  protected:
    // Re-create the instance from a copy of SimMem's table with `size` and
    // on_invalidate set; returns false (and the message) if rejected.
    bool recreate_with_size(uint32_t size, std::string *why = nullptr)
    {
        smmu_mem_ops_t ops = *mem.ops();
        ops.on_invalidate = count_inval;
        ops.size = size;
        char msg[256] = "";
        smmu_t *s = smmu_create(&cfg, &ops, mem.ctx(), msg, sizeof msg);
        if (why)
            *why = msg;
        if (!s)
            return false;
        smmu_destroy(smmu);
        smmu = s;
        g_invalidations = 0;
        mem.irqs.clear();
        mem.observed_events.clear();
        mem.observed_recorded.clear();
        return true;
    }
    // An undefined opcode: CERROR_ILL, GERROR.CMDQ_ERR, GERROR IRQ.
    void raise_cmdq_error()
    {
        submit({cmd_raw(0x7F)});
        ASSERT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL);
    }
};

// size 0: this release's layout; every callback is used.
TEST_F(Abi, MemOpsSizeZero_WholeTableUsed_API)
{
    ASSERT_TRUE(recreate_with_size(0));
    boot();
    EXPECT_EQ(g_invalidations, 5)
        << "STRTAB_BASE, STRTAB_BASE_CFG, CFGI_ALL, TLBI_NSNH_ALL and SMMUEN of boot()";
    raise_cmdq_error();
    EXPECT_EQ(rd(SMMU_GERROR), uint32_t(SMMU_GERROR_CMDQ_ERR));
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_GERROR);
}

// size == sizeof: the same as 0.
TEST_F(Abi, MemOpsSizeSizeof_WholeTableUsed_API)
{
    ASSERT_TRUE(recreate_with_size(sizeof(smmu_mem_ops_t)));
    boot();
    EXPECT_EQ(g_invalidations, 5);
    raise_cmdq_error();
    ASSERT_EQ(mem.irqs.size(), 1u);
}

// A table from a later release (larger size): the first sizeof bytes count.
TEST_F(Abi, MemOpsSizeLarger_CutToThisRelease_API)
{
    ASSERT_TRUE(recreate_with_size(sizeof(smmu_mem_ops_t) + 64));
    boot();
    EXPECT_EQ(g_invalidations, 5);
}

// size = offsetof(on_invalidate): the last callback is NULL although the
// caller's table sets it; the earlier ones still work.
TEST_F(Abi, MemOpsSizeShort_OnInvalidateNull_API)
{
    ASSERT_TRUE(recreate_with_size(offsetof(smmu_mem_ops_t, on_invalidate)));
    boot();
    EXPECT_EQ(g_invalidations, 0);
    raise_cmdq_error();
    ASSERT_EQ(mem.irqs.size(), 1u) << "raise_irq is inside the table";
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_GERROR);
}

// size = offsetof(raise_irq): raise_irq, on_event and on_invalidate are NULL.
// The architected state is unchanged: GERROR.CMDQ_ERR and the event record
// are there, only the callbacks are not made.
TEST_F(Abi, MemOpsSizeShort_LaterCallbacksNull_API)
{
    ASSERT_TRUE(recreate_with_size(offsetof(smmu_mem_ops_t, raise_irq)));
    boot();
    EXPECT_EQ(g_invalidations, 0);
    raise_cmdq_error();
    EXPECT_EQ(rd(SMMU_GERROR), uint32_t(SMMU_GERROR_CMDQ_ERR));
    EXPECT_EQ(mem.irqs.size(), 0u);
    // STE 1 is zero (V == 0): C_BAD_STE recorded, on_event not called.
    auto r = xlate(1, 0x1000);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(r.recorded, 1u);
    EXPECT_EQ(mem.observed_events.size(), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u);
}

// A table too short to hold read and write is rejected like NULL callbacks.
TEST_F(Abi, MemOpsSizeWithoutReadWrite_Rejected_API)
{
    std::string why;
    EXPECT_FALSE(recreate_with_size(offsetof(smmu_mem_ops_t, write), &why));
    EXPECT_EQ(why, "memory callbacks read and write are required");
    EXPECT_FALSE(recreate_with_size(4, &why));
    EXPECT_EQ(why, "memory callbacks read and write are required");
}

// ---- smmu_mem_result_t: reserved values are aborts ------------------------

constexpr int kReserved = 7;

// 7.3.12: a descriptor read returning 7 is an external abort: F_WALK_EABT,
// CLASS = TT, FetchAddr = the descriptor's PA.
TEST_F(Abi, MemResultReserved_WalkRead_FWalkEabt_7_3_12)
{
    S1Attrs a;
    a.ap = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    attach_s1(4, cd_for(s1pt));
    uint64_t l3 = s1pt.table_addr(3, 0x4000'0000);
    mem.abort_result = kReserved;
    mem.add_abort(l3, 8);
    auto r = tx(4, 0x4000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_WALK_EABT);
    Rec w;
    w.type = SMMU_EVT_F_WALK_EABT;
    w.sid = 4;
    w.cls = SMMU_CLASS_TT;
    w.input = 0x4000'0000;
    w.fetch = l3;
    expect_one_record(w);
}

// 7.3.4: an STE read returning 7: F_STE_FETCH with FetchAddr = the STE's PA
// (StreamID in word 1, FetchAddr[55:3] in words 6-7, nothing else).
TEST_F(Abi, MemResultReserved_SteRead_FSteFetch_7_3_4)
{
    uint64_t ste_pa = kStrtab + 9 * 64;
    mem.abort_result = kReserved;
    mem.add_abort(ste_pa, 64);
    auto r = tx(9, 0x1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_STE_FETCH);
    Record want{};
    want[0] = SMMU_EVT_F_STE_FETCH;
    want[1] = 9;
    want[6] = uint32_t(ste_pa);
    want[7] = uint32_t(ste_pa >> 32);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(hex(ev[0]), hex(want));
}

// 7.2.2: an event-queue write returning 7: GERROR.EVENTQ_ABT_ERR, PROD not
// moved, and the queue is not writable until acknowledged.
TEST_F(Abi, MemResultReserved_EventqWrite_EventqAbtErr_7_2_2)
{
    mem.abort_result = kReserved;
    mem.add_abort(kEvtq, 32);
    auto r = tx(1, 0x1000); // STE 1 is zero: C_BAD_STE
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(r.recorded, 0u);
    EXPECT_EQ(rd(SMMU_GERROR), uint32_t(SMMU_GERROR_EVENTQ_ABT_ERR));
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
}

// 7.1: a command read returning 7: CERROR_ABT, CONS stays on the command.
TEST_F(Abi, MemResultReserved_CmdqRead_CerrorAbt_7_1)
{
    uint32_t cons = uint32_t(rd(SMMU_CMDQ_CONS));
    mem.abort_result = kReserved;
    mem.add_abort(kCmdq + (cons & ((1u << kCmdqLog2) - 1)) * 16ull, 16);
    submit({cmd_sync()});
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), cons | uint32_t(SMMU_PUT(SMMU_CERROR_ABT, 30, 24)));
    EXPECT_EQ(rd(SMMU_GERROR), uint32_t(SMMU_GERROR_CMDQ_ERR));
}

// 3.18, 7.5: an MSI write returning 7: GERROR.MSI_GERROR_ABT_ERR (which
// itself signals nothing, 7.5.1).
TEST_F(Abi, MemResultReserved_MsiWrite_MsiGerrorAbtErr_7_5)
{
    wr(SMMU_IRQ_CTRL, 0);
    wr(SMMU_GERROR_IRQ_CFG0, 0x0900'0000, 8);
    wr(SMMU_GERROR_IRQ_CFG1, 0xABCD);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    mem.abort_result = kReserved;
    mem.add_abort(0x0900'0000, 4);
    submit({cmd_raw(0x7F)});
    EXPECT_EQ(rd(SMMU_GERROR),
              uint32_t(SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_MSI_GERROR_ABT_ERR));
}


// ---- smmu_abi_version() and smmu_abi_fields() (smmu.h): the layout table
// that bindings (bindings/python) compare their own struct declarations
// with, checked against the compiler's offsetof/sizeof member by member. ----
struct Expected {
    const char *strct, *field;
    size_t offset, size;
};

#define E(type, member) {#type, #member, offsetof(type, member), sizeof(((type *)0)->member)}
const Expected kFields[] = {
    E(smmu_config_t, arch_minor),
    E(smmu_config_t, s1p),
    E(smmu_config_t, s2p),
    E(smmu_config_t, cohacc),
    E(smmu_config_t, btm),
    E(smmu_config_t, httu),
    E(smmu_config_t, dormhint),
    E(smmu_config_t, hyp),
    E(smmu_config_t, ats),
    E(smmu_config_t, ns1ats),
    E(smmu_config_t, asid16),
    E(smmu_config_t, msi),
    E(smmu_config_t, sev),
    E(smmu_config_t, atos),
    E(smmu_config_t, pri),
    E(smmu_config_t, vmw),
    E(smmu_config_t, vmid16),
    E(smmu_config_t, cd2l),
    E(smmu_config_t, vatos),
    E(smmu_config_t, ttendian),
    E(smmu_config_t, atsrecerr),
    E(smmu_config_t, stall_model),
    E(smmu_config_t, term_model),
    E(smmu_config_t, st_level),
    E(smmu_config_t, attr_types_ovr),
    E(smmu_config_t, attr_perms_ovr),
    E(smmu_config_t, rel),
    E(smmu_config_t, cmdqs),
    E(smmu_config_t, eventqs),
    E(smmu_config_t, priqs),
    E(smmu_config_t, ssidsize),
    E(smmu_config_t, sidsize),
    E(smmu_config_t, ba_vatos),
    E(smmu_config_t, had),
    E(smmu_config_t, pbha),
    E(smmu_config_t, xnx),
    E(smmu_config_t, pps),
    E(smmu_config_t, mpam),
    E(smmu_config_t, fwb),
    E(smmu_config_t, stt),
    E(smmu_config_t, ril),
    E(smmu_config_t, bbml),
    E(smmu_config_t, e0pd),
    E(smmu_config_t, ptwnnc),
    E(smmu_config_t, oas),
    E(smmu_config_t, gran4k),
    E(smmu_config_t, gran16k),
    E(smmu_config_t, gran64k),
    E(smmu_config_t, vax),
    E(smmu_config_t, stall_max),
    E(smmu_config_t, iidr_implementer),
    E(smmu_config_t, iidr_revision),
    E(smmu_config_t, iidr_variant),
    E(smmu_config_t, iidr_productid),
    E(smmu_config_t, secure_req_abort),
    E(smmu_config_t, cfg_cache_entries),
    E(smmu_config_t, tlb_sets),
    E(smmu_config_t, tlb_ways),
    E(smmu_config_t, tlb_repl),
    E(smmu_config_t, walk_cache_sets),
    E(smmu_config_t, walk_cache_ways),
    E(smmu_config_t, utlb_entries),
    E(smmu_inval_notice_t, kind),
    E(smmu_inval_notice_t, reserved),
    E(smmu_inval_notice_t, lo),
    E(smmu_inval_notice_t, hi),
    E(smmu_mem_ops_t, size),
    E(smmu_mem_ops_t, read),
    E(smmu_mem_ops_t, write),
    E(smmu_mem_ops_t, cas64),
    E(smmu_mem_ops_t, raise_irq),
    E(smmu_mem_ops_t, on_event),
    E(smmu_mem_ops_t, on_invalidate),
    E(smmu_mem_ops_t, on_completion_ready),
    E(smmu_mem_ops_t, on_prg_response),
    E(smmu_mem_ops_t, msi_write),
    E(smmu_msi_attr_t, source),
    E(smmu_msi_attr_t, sh),
    E(smmu_msi_attr_t, memattr),
    E(smmu_msi_attr_t, reserved),
    E(smmu_mem_ops_t, on_atc_inv),
    E(smmu_request_t, sid),
    E(smmu_request_t, ssid),
    E(smmu_request_t, ssv),
    E(smmu_request_t, write),
    E(smmu_request_t, instr),
    E(smmu_request_t, priv),
    E(smmu_request_t, secure),
    E(smmu_request_t, ats),
    E(smmu_request_t, pcie),
    E(smmu_request_t, tbu),
    E(smmu_request_t, size),
    E(smmu_request_t, addr),
    E(smmu_request_t, cycle),
    E(smmu_response_t, outcome),
    E(smmu_response_t, event),
    E(smmu_response_t, recorded),
    E(smmu_response_t, perms),
    E(smmu_response_t, memattr),
    E(smmu_response_t, sh),
    E(smmu_response_t, ns),
    E(smmu_response_t, ats_status),
    E(smmu_response_t, stag),
    E(smmu_response_t, cls),
    E(smmu_response_t, cause),
    E(smmu_response_t, ats_flags),
    E(smmu_response_t, reserved1),
    E(smmu_response_t, pa),
    E(smmu_response_t, page_base),
    E(smmu_response_t, page_size),
    E(smmu_response_t, done_cycle),
    E(smmu_queue_layout_t, base),
    E(smmu_queue_layout_t, log2size),
    E(smmu_queue_layout_t, entry_bytes),
    E(smmu_atc_inv_t, sid),
    E(smmu_atc_inv_t, ssid),
    E(smmu_atc_inv_t, ssv),
    E(smmu_atc_inv_t, global),
    E(smmu_atc_inv_t, log2_span),
    E(smmu_atc_inv_t, reserved),
    E(smmu_atc_inv_t, addr),
    E(smmu_completion_t, sid),
    E(smmu_completion_t, stag),
    E(smmu_completion_t, reserved),
    E(smmu_completion_t, resp),
    E(smmu_ppr_t, sid),
    E(smmu_ppr_t, ssid),
    E(smmu_ppr_t, addr),
    E(smmu_ppr_t, prgi),
    E(smmu_ppr_t, ssv),
    E(smmu_ppr_t, secure),
    E(smmu_ppr_t, last),
    E(smmu_ppr_t, r),
    E(smmu_ppr_t, w),
    E(smmu_ppr_t, x),
    E(smmu_ppr_t, priv),
    E(smmu_ppr_t, reserved),
    E(smmu_prg_response_t, sid),
    E(smmu_prg_response_t, ssid),
    E(smmu_prg_response_t, prgi),
    E(smmu_prg_response_t, ssv),
    E(smmu_prg_response_t, code),
    E(smmu_prg_response_t, automatic),
    E(smmu_prg_response_t, reserved),
    E(smmu_timing_t, num_tbus),
    E(smmu_timing_t, utlb_latency),
    E(smmu_timing_t, tlb_latency),
    E(smmu_timing_t, link_latency),
    E(smmu_timing_t, cfg_cache_latency),
    E(smmu_timing_t, walk_cache_latency),
    E(smmu_timing_t, tbu_slots),
    E(smmu_timing_t, tcu_slots),
    E(smmu_timing_t, ptw_slots),
    E(smmu_timing_t, max_reads),
    E(smmu_timing_t, cmd_cost),
    E(smmu_timing_t, dm_latency),
    E(smmu_timing_t, mem_latency),
    E(smmu_latency_stats_t, count),
    E(smmu_latency_stats_t, sum),
    E(smmu_latency_stats_t, max),
    E(smmu_latency_stats_t, mean),
    E(smmu_latency_stats_t, p50),
    E(smmu_latency_stats_t, p90),
    E(smmu_latency_stats_t, p99),
    E(smmu_latency_stats_t, p999),
    E(smmu_latency_stats_t, log2),
    E(smmu_timing_stats_t, translations),
    E(smmu_timing_stats_t, utlb_hits),
    E(smmu_timing_stats_t, tlb_hits),
    E(smmu_timing_stats_t, misses),
    E(smmu_timing_stats_t, merged),
    E(smmu_timing_stats_t, port_wait_cycles),
    E(smmu_timing_stats_t, slot_wait_cycles),
    E(smmu_timing_stats_t, latency),
    E(smmu_timing_stats_t, walks_s1),
    E(smmu_timing_stats_t, walks_s2),
    E(smmu_timing_stats_t, walk_cache_hits),
    E(smmu_timing_stats_t, tt_reads),
    E(smmu_timing_stats_t, cfg_misses),
    E(smmu_timing_stats_t, walker_busy_cycles),
    E(smmu_timing_stats_t, peak_walkers),
    E(smmu_timing_stats_t, commands),
    E(smmu_timing_stats_t, command_cycles),
    E(smmu_event_t, type),
    E(smmu_event_t, ssv),
    E(smmu_event_t, s2),
    E(smmu_event_t, cls),
    E(smmu_event_t, rnw),
    E(smmu_event_t, ind),
    E(smmu_event_t, pnu),
    E(smmu_event_t, nsipa),
    E(smmu_event_t, ttrnw),
    E(smmu_event_t, stall),
    E(smmu_event_t, stag),
    E(smmu_event_t, sid),
    E(smmu_event_t, ssid),
    E(smmu_event_t, reason),
    E(smmu_event_t, input_addr),
    E(smmu_event_t, ipa),
    E(smmu_event_t, fetch_addr),
    E(smmu_stats_t, translations),
    E(smmu_stats_t, translated_ok),
    E(smmu_stats_t, aborted),
    E(smmu_stats_t, razwi),
    E(smmu_stats_t, bypassed),
    E(smmu_stats_t, walks_s1),
    E(smmu_stats_t, walks_s2),
    E(smmu_stats_t, tt_reads),
    E(smmu_stats_t, ste_fetches),
    E(smmu_stats_t, cd_fetches),
    E(smmu_stats_t, cfg_cache_hits),
    E(smmu_stats_t, cfg_cache_misses),
    E(smmu_stats_t, utlb_hits),
    E(smmu_stats_t, tlb_hits),
    E(smmu_stats_t, tlb_misses),
    E(smmu_stats_t, tlb_inserts),
    E(smmu_stats_t, tlb_invalidated),
    E(smmu_stats_t, walk_cache_hits),
    E(smmu_stats_t, events_raised),
    E(smmu_stats_t, events_recorded),
    E(smmu_stats_t, events_dropped_disabled),
    E(smmu_stats_t, events_dropped_full),
    E(smmu_stats_t, commands),
    E(smmu_stats_t, cmd_by_opcode),
    E(smmu_stats_t, cerrors),
    E(smmu_stats_t, mem_reads),
    E(smmu_stats_t, mem_writes),
    E(smmu_stats_t, httu_updates),
    E(smmu_cmd_t, opcode),
    E(smmu_cmd_t, ssec),
    E(smmu_cmd_t, ssv),
    E(smmu_cmd_t, leaf),
    E(smmu_cmd_t, global),
    E(smmu_cmd_t, range),
    E(smmu_cmd_t, num),
    E(smmu_cmd_t, scale),
    E(smmu_cmd_t, ttl),
    E(smmu_cmd_t, tg),
    E(smmu_cmd_t, size),
    E(smmu_cmd_t, stride),
    E(smmu_cmd_t, ns),
    E(smmu_cmd_t, cs),
    E(smmu_cmd_t, msh),
    E(smmu_cmd_t, msiattr),
    E(smmu_cmd_t, resp),
    E(smmu_cmd_t, ab),
    E(smmu_cmd_t, asid),
    E(smmu_cmd_t, vmid),
    E(smmu_cmd_t, stag),
    E(smmu_cmd_t, prgindex),
    E(smmu_cmd_t, sid),
    E(smmu_cmd_t, ssid),
    E(smmu_cmd_t, msidata),
    E(smmu_cmd_t, addr),
    E(smmu_cmd_t, msiaddr),
};
#undef E

const std::pair<const char *, size_t> kSizes[] = {
    {"smmu_config_t", sizeof(smmu_config_t)},
    {"smmu_inval_notice_t", sizeof(smmu_inval_notice_t)},
    {"smmu_mem_ops_t", sizeof(smmu_mem_ops_t)},
    {"smmu_msi_attr_t", sizeof(smmu_msi_attr_t)},
    {"smmu_request_t", sizeof(smmu_request_t)},
    {"smmu_response_t", sizeof(smmu_response_t)},
    {"smmu_queue_layout_t", sizeof(smmu_queue_layout_t)},
    {"smmu_atc_inv_t", sizeof(smmu_atc_inv_t)},
    {"smmu_completion_t", sizeof(smmu_completion_t)},
    {"smmu_ppr_t", sizeof(smmu_ppr_t)},
    {"smmu_prg_response_t", sizeof(smmu_prg_response_t)},
    {"smmu_timing_t", sizeof(smmu_timing_t)},
    {"smmu_latency_stats_t", sizeof(smmu_latency_stats_t)},
    {"smmu_timing_stats_t", sizeof(smmu_timing_stats_t)},
    {"smmu_event_t", sizeof(smmu_event_t)},
    {"smmu_stats_t", sizeof(smmu_stats_t)},
    {"smmu_cmd_t", sizeof(smmu_cmd_t)},
};

std::map<std::pair<std::string, std::string>, smmu_abi_field_t> abi_table()
{
    size_t n = 0;
    const smmu_abi_field_t *f = smmu_abi_fields(&n);
    std::map<std::pair<std::string, std::string>, smmu_abi_field_t> m;
    for (size_t i = 0; i < n; i++)
        m[{f[i].strct, f[i].field}] = f[i];
    return m;
}


// Major in bits [31:16], minor in [15:0], equal to the header's macros.
TEST_F(Abi, VersionMatchesHeader)
{
    EXPECT_EQ(smmu_abi_version(), (SMMU_ABI_VERSION_MAJOR << 16) | SMMU_ABI_VERSION_MINOR);
    EXPECT_EQ(smmu_abi_version() >> 16, 1u);
}

// Every member of every public struct: offset and size as the compiler has them.
TEST_F(Abi, FieldsMatchOffsetofSizeof)
{
    auto m = abi_table();
    for (const Expected &e : kFields) {
        auto it = m.find({e.strct, e.field});
        ASSERT_NE(it, m.end()) << e.strct << "." << e.field << " missing";
        EXPECT_EQ(it->second.offset, e.offset) << e.strct << "." << e.field;
        EXPECT_EQ(it->second.size, e.size) << e.strct << "." << e.field;
    }
}

// One "" row per struct with sizeof; the rows are exactly the members above.
TEST_F(Abi, StructSizesAndRowCount)
{
    auto m = abi_table();
    for (const auto &s : kSizes) {
        auto it = m.find({s.first, ""});
        ASSERT_NE(it, m.end()) << s.first;
        EXPECT_EQ(it->second.size, s.second) << s.first;
        EXPECT_EQ(it->second.offset, 0u);
    }
    size_t n = 0;
    smmu_abi_fields(&n);
    EXPECT_EQ(n, sizeof kFields / sizeof kFields[0] + sizeof kSizes / sizeof kSizes[0]);
    EXPECT_EQ(smmu_abi_fields(nullptr), smmu_abi_fields(&n)) << "n may be NULL";
}

// The member rows of a struct tile it: in offset order, no overlap, and a gap
// only where alignment forces padding (smaller than the next member's natural
// alignment, up to 8), so a member added to a struct but not to the table
// shows up as an unexplained hole (except in existing padding).
TEST_F(Abi, FieldsCoverEachStruct)
{
    size_t n = 0;
    const smmu_abi_field_t *f = smmu_abi_fields(&n);
    std::map<std::string, std::vector<smmu_abi_field_t>> by;
    std::map<std::string, uint32_t> size;
    for (size_t i = 0; i < n; i++) {
        if (f[i].field[0] == 0)
            size[f[i].strct] = f[i].size;
        else
            by[f[i].strct].push_back(f[i]);
    }
    ASSERT_EQ(by.size(), size.size());
    for (auto &[name, rows] : by) {
        uint32_t end = 0;
        for (const smmu_abi_field_t &r : rows) {
            ASSERT_GE(r.offset, end) << name << "." << r.field << " overlaps or out of order";
            uint32_t align = r.size >= 8 ? 8 : r.size;
            if (std::strcmp(name.c_str(), "smmu_stats_t") == 0 || r.size > 8)
                align = 8; // arrays of uint64_t / pointers
            EXPECT_LT(r.offset - end, align) << name << ": hole before " << r.field;
            end = r.offset + r.size;
        }
        EXPECT_LE(end, size[name]);
        EXPECT_LT(size[name] - end, 8u) << name << ": hole at the end";
    }
}

} // namespace
} // namespace smmutest
