// ABI of the memory callback table (smmu.h): smmu_mem_ops_t.size and the
// smmu_mem_result_t values. A table shorter than this release's leaves the
// later callbacks NULL; a reserved result value is an external abort, with
// the same architected outcome as SMMU_MEM_ABORT (7.1 CERROR_ABT, 7.2.2
// EVENTQ_ABT_ERR, 7.3.4 F_STE_FETCH, 7.3.12 F_WALK_EABT).
#include <cstddef>
#include <cstring>

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

} // namespace
} // namespace smmutest
