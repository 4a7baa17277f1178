// SPDX-License-Identifier: Apache-2.0
// Re-entrancy (smmu.h "Re-entrancy"): what happens when a callback calls
// back into the same instance. Commands run inside the smmu_mmio_write of
// CMDQ_PROD (and of CR0.CMDQEN 0 -> 1 and of GERRORN acknowledging
// CMDQ_ERR); events, interrupts, MSIs and on_invalidate are delivered
// inside smmu_mmio_write or smmu_translate. These tests pin the model's
// behaviour with exact register values: 3.5.1 (queue pointers), 7.1
// (CMDQ_ERR and its acknowledgement), 7.2/7.4 (event queue), 3.18.2
// (interrupt on empty -> non-empty), 7.5 (GERROR/GERRORN).
#include <functional>
#include <vector>

#include "support/fixture.h"
#include "support/record.h"
#include "support/xlate_fixture.h"

namespace smmutest {
namespace {

class Reentrancy : public Xlate {
  protected:
    std::function<void(const smmu_event_t &, int)> event_hook;
    std::function<void(const smmu_inval_notice_t &)> inval_hook;
    std::function<void(smmu_irq_t)> irq_hook;
    std::vector<smmu_inval_notice_t> notices;
    std::vector<uint32_t> event_sids; // on_event order (on entry)

    void SetUp() override
    {
        Xlate::SetUp();
        smmu_mem_ops_t ops{};
        ops.read = [](void *c, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t k,
                      uint32_t *lat) {
            auto *t = static_cast<Reentrancy *>(c);
            return t->mem.ops()->read(t->mem.ctx(), pa, buf, len, k, lat);
        };
        ops.write = [](void *c, uint64_t pa, const void *buf, uint32_t len, smmu_access_kind_t k,
                       uint32_t *lat) {
            auto *t = static_cast<Reentrancy *>(c);
            return t->mem.ops()->write(t->mem.ctx(), pa, buf, len, k, lat);
        };
        ops.raise_irq = [](void *c, smmu_irq_t irq) {
            auto *t = static_cast<Reentrancy *>(c);
            t->mem.irqs.push_back(irq);
            if (t->irq_hook)
                t->irq_hook(irq);
        };
        ops.on_event = [](void *c, const smmu_event_t *ev, int recorded) {
            auto *t = static_cast<Reentrancy *>(c);
            t->event_sids.push_back(ev->sid);
            if (t->event_hook)
                t->event_hook(*ev, recorded);
        };
        ops.on_invalidate = [](void *c, const smmu_inval_notice_t *n) {
            auto *t = static_cast<Reentrancy *>(c);
            t->notices.push_back(*n);
            if (t->inval_hook)
                t->inval_hook(*n);
        };
        char msg[256] = "";
        smmu_t *s = smmu_create(&cfg, &ops, this, msg, sizeof msg);
        ASSERT_NE(s, nullptr) << msg;
        smmu_destroy(smmu);
        smmu = s;
        boot();
        notices.clear();
        mem.irqs.clear();
    }

    // Put a command at queue position ptr without publishing it.
    void put_cmd(uint32_t ptr, const Cmd &c)
    {
        uint64_t at = kCmdq + (ptr & ((1u << kCmdqLog2) - 1)) * 16ull;
        mem.write64(at, c[0]);
        mem.write64(at + 8, c[1]);
    }
    static uint32_t next(uint32_t ptr, unsigned n = 1)
    {
        return (ptr + n) & ((1u << (kCmdqLog2 + 1)) - 1);
    }
    static Record bad_ste(uint32_t sid)
    {
        Record r{};
        r[0] = SMMU_EVT_C_BAD_STE;
        r[1] = sid;
        return r;
    }
};

// Re-entrancy rule (smmu.h, issue [recoverable]): smmu_translate called
// from a callback returns SMMU_ERR_REENTERED and changes nothing. STEs 1
// and 2 are invalid (C_BAD_STE, 7.3.5): only the outer record is written.
TEST_F(Reentrancy, OnEventCallsTranslate_Reentered_NothingChanges_7_2)
{
    int depth = 0;
    smmu_status_t inner_st = SMMU_OK;
    smmu_stats_t before{}, after{};
    event_hook = [&](const smmu_event_t &ev, int recorded) {
        if (ev.sid != 1 || depth++)
            return;
        EXPECT_EQ(recorded, 1);
        EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u) << "outer record already published";
        smmu_get_stats(smmu, &before);
        smmu_request_t rq{};
        rq.sid = 2;
        rq.addr = 0x2000;
        smmu_response_t inner{};
        inner_st = smmu_translate(smmu, &rq, &inner);
        smmu_get_stats(smmu, &after);
    };
    auto r = xlate(1, 0x1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(r.recorded, 1u);
    EXPECT_EQ(inner_st, SMMU_ERR_REENTERED);
    EXPECT_EQ(after.translations, before.translations);
    EXPECT_EQ(event_sids, (std::vector<uint32_t>{1}));
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(hex(ev[0]), hex(bad_ste(1)));
    EXPECT_EQ(mem.irqs, (std::vector<smmu_irq_t>{SMMU_IRQ_EVENTQ}));
}

// After the callback returns, the same translation from the embedder's own
// context works: a mapped address translates (3.3), even one the micro-TLB
// would hit.
TEST_F(Reentrancy, OnEventTranslateRefused_SameRequestAfterwardsOk_3_3)
{
    S1Attrs a;
    a.ap = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    attach_s1(4, cd_for(s1pt));
    auto warm = xlate(4, 0x4000'0123); // fills the TLB and micro-TLB
    ASSERT_EQ(warm.outcome, SMMU_XLATE_OK);
    smmu_status_t inner_st = SMMU_OK;
    event_hook = [&](const smmu_event_t &, int) {
        smmu_request_t rq{};
        rq.sid = 4;
        rq.addr = 0x4000'0123;
        smmu_response_t inner{};
        inner_st = smmu_translate(smmu, &rq, &inner);
    };
    auto r = xlate(4, 0x5000'0000); // unmapped: F_TRANSLATION
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(inner_st, SMMU_ERR_REENTERED);
    event_hook = nullptr;
    auto after = xlate(4, 0x4000'0123);
    EXPECT_EQ(after.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(after.pa, 0x8000'0123u);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u);
}

// An on_event callback that consumes the event queue (writes EVENTQ_CONS)
// empties it, so the next record signals EVENTQ again (3.18.2).
TEST_F(Reentrancy, OnEventWritesEventqCons_NextRecordSignalsAgain_3_18_2)
{
    event_hook = [&](const smmu_event_t &, int) { wr(SMMU_EVENTQ_CONS, rd(SMMU_EVENTQ_PROD)); };
    xlate(1, 0x1000);
    xlate(2, 0x1000);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 2u);
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS), 2u);
    EXPECT_EQ(mem.irqs, (std::vector<smmu_irq_t>{SMMU_IRQ_EVENTQ, SMMU_IRQ_EVENTQ}));
}

// An on_invalidate callback that writes CMDQ_PROD: the nested write stores
// PROD and returns without consuming (the cmdq_busy guard); the outer
// consumer, still running, picks the new commands up before the outer
// CMDQ_PROD write returns (3.5.1).
TEST_F(Reentrancy, OnInvalidateWritesCmdqProd_OuterLoopConsumes_3_5_1)
{
    uint32_t p = uint32_t(rd(SMMU_CMDQ_PROD));
    bool once = false;
    inval_hook = [&](const smmu_inval_notice_t &) {
        if (once)
            return;
        once = true;
        put_cmd(next(p, 1), cmd_cfgi_ste(2));
        put_cmd(next(p, 2), cmd_sync());
        EXPECT_EQ(rd(SMMU_CMDQ_CONS), p) << "CONS moves after the command completes";
        wr(SMMU_CMDQ_PROD, next(p, 3));
        EXPECT_EQ(rd(SMMU_CMDQ_PROD), next(p, 3));
        EXPECT_EQ(rd(SMMU_CMDQ_CONS), p) << "nested write does not consume";
    };
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    put_cmd(p, cmd_cfgi_ste(1));
    wr(SMMU_CMDQ_PROD, next(p));
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), next(p, 3));
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
    ASSERT_EQ(notices.size(), 2u);
    EXPECT_EQ(notices[0].lo, 1u);
    EXPECT_EQ(notices[1].lo, 2u);
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(after.commands - before.commands, 3u);
}

// An on_invalidate callback that clears CR0.CMDQEN: the command being
// executed completes (CONS moves past it) and consumption stops; setting
// CMDQEN again resumes it (6.3.9, 7.1).
TEST_F(Reentrancy, OnInvalidateClearsCmdqen_StopsAfterCurrentCommand_6_3_9)
{
    uint32_t p = uint32_t(rd(SMMU_CMDQ_PROD));
    uint32_t cr0 = uint32_t(rd(SMMU_CR0));
    inval_hook = [&](const smmu_inval_notice_t &n) {
        if (n.lo == 1)
            wr(SMMU_CR0, cr0 & ~uint32_t(SMMU_CR0_CMDQEN));
    };
    submit({cmd_cfgi_ste(1), cmd_cfgi_ste(2), cmd_sync()});
    EXPECT_EQ(rd(SMMU_CR0ACK), cr0 & ~uint32_t(SMMU_CR0_CMDQEN));
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), next(p, 1));
    EXPECT_EQ(rd(SMMU_CMDQ_PROD), next(p, 3));
    ASSERT_EQ(notices.size(), 1u);
    wr(SMMU_CR0, cr0);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), next(p, 3));
    ASSERT_EQ(notices.size(), 2u);
    EXPECT_EQ(notices[1].lo, 2u);
}

// A raise_irq callback that reads registers sees the error state complete:
// CMDQ_CONS.ERR is written before GERROR.CMDQ_ERR is activated and the
// interrupt signalled (7.1).
TEST_F(Reentrancy, RaiseIrqReadsRegisters_GerrorStateComplete_7_1)
{
    uint32_t p = uint32_t(rd(SMMU_CMDQ_PROD));
    uint32_t gerror = 0, cons = 0;
    irq_hook = [&](smmu_irq_t irq) {
        if (irq != SMMU_IRQ_GERROR)
            return;
        gerror = uint32_t(rd(SMMU_GERROR));
        cons = uint32_t(rd(SMMU_CMDQ_CONS));
    };
    submit({cmd_raw(0x7F)});
    EXPECT_EQ(gerror, uint32_t(SMMU_GERROR_CMDQ_ERR));
    EXPECT_EQ(cons, p | uint32_t(SMMU_PUT(SMMU_CERROR_ILL, 30, 24)));
    EXPECT_EQ(mem.irqs, (std::vector<smmu_irq_t>{SMMU_IRQ_GERROR}));
}

// The EVENTQ interrupt is signalled after the record is written and PROD
// advanced, so the handler finds the record (3.5.2, 3.18.2).
TEST_F(Reentrancy, RaiseIrqReadsEventq_RecordAlreadyPublished_3_5_2)
{
    uint32_t prod = 0;
    std::vector<Record> seen;
    irq_hook = [&](smmu_irq_t irq) {
        if (irq != SMMU_IRQ_EVENTQ)
            return;
        prod = uint32_t(rd(SMMU_EVENTQ_PROD));
        seen = events();
    };
    xlate(1, 0x1000);
    EXPECT_EQ(prod, 1u);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(hex(seen[0]), hex(bad_ste(1)));
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS), 1u);
}

// A GERROR handler that fixes the failing command in place (as Linux does,
// replacing it with CMD_SYNC) and acknowledges CMDQ_ERR from inside
// raise_irq: the nested GERRORN write does not consume (guard), the outer
// consumer re-reads the fixed command at CONS and carries on (7.1).
// CMDQ_CONS.ERR keeps the last error code.
TEST_F(Reentrancy, RaiseIrqFixesAndAcksCmdqErr_OuterLoopResumes_7_1)
{
    uint32_t p = uint32_t(rd(SMMU_CMDQ_PROD));
    irq_hook = [&](smmu_irq_t irq) {
        if (irq != SMMU_IRQ_GERROR)
            return;
        put_cmd(uint32_t(rd(SMMU_CMDQ_CONS)), cmd_sync());
        wr(SMMU_GERRORN, rd(SMMU_GERROR));
    };
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    submit({cmd_raw(0x7F), cmd_cfgi_ste(3)});
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), next(p, 2) | uint32_t(SMMU_PUT(SMMU_CERROR_ILL, 30, 24)));
    EXPECT_EQ(rd(SMMU_GERROR), uint32_t(SMMU_GERROR_CMDQ_ERR));
    EXPECT_EQ(rd(SMMU_GERRORN), uint32_t(SMMU_GERROR_CMDQ_ERR));
    ASSERT_EQ(notices.size(), 1u);
    EXPECT_EQ(notices[0].lo, 3u);
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(after.cerrors - before.cerrors, 1u);
    EXPECT_EQ(after.commands - before.commands, 2u);
}

// A handler that acknowledges CMDQ_ERR without fixing the command makes the
// consumer execute it again at once: one more CERROR per acknowledgement.
// (An unconditional acknowledgement would never return: smmu.h.) Here the
// handler acknowledges twice, so the command fails three times.
TEST_F(Reentrancy, RaiseIrqAcksWithoutFix_CommandRetried_7_1)
{
    uint32_t p = uint32_t(rd(SMMU_CMDQ_PROD));
    int acks = 0;
    irq_hook = [&](smmu_irq_t irq) {
        if (irq == SMMU_IRQ_GERROR && acks < 2) {
            acks++;
            wr(SMMU_GERRORN, rd(SMMU_GERROR));
        }
    };
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    submit({cmd_raw(0x7F)});
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(after.cerrors - before.cerrors, 3u);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), p | uint32_t(SMMU_PUT(SMMU_CERROR_ILL, 30, 24)));
    // GERROR toggled three times, GERRORN twice: CMDQ_ERR active.
    EXPECT_EQ(rd(SMMU_GERROR), uint32_t(SMMU_GERROR_CMDQ_ERR));
    EXPECT_EQ(rd(SMMU_GERRORN), 0u);
    EXPECT_EQ(mem.irqs.size(), 3u);
}

} // namespace
} // namespace smmutest
