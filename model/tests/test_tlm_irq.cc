// SPDX-License-Identifier: Apache-2.0
// TlmIrq: wired interrupts. Interrupts are edges (3.18.2): each raise is a
// high pulse of irq_pulse (default one clock); the non-architectural level
// mode keeps a line high while its condition holds.
#include "tlm_harness.h"

using namespace tlmtest;

namespace {
// Width of the next pulse on sig, measured from its rising edge.
sc_time pulse_width(sc_core::sc_signal<bool> &sig, sc_time *rise = nullptr)
{
    if (!sig.read())
        wait(sig.posedge_event());
    const sc_time r = sc_core::sc_time_stamp();
    if (rise)
        *rise = r;
    wait(sig.negedge_event());
    return sc_core::sc_time_stamp() - r;
}
void fault(Platform &p)
{
    uint32_t v;
    EXPECT_EQ(p.dev0.read(kIova + 0x40000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
}
// An illegal command (opcode 0x7F, 4.1: CERROR_ILL) published at PROD.
void bad_command(Platform &p)
{
    const uint32_t prod = uint32_t(p.rd(SMMU_CMDQ_PROD));
    const uint64_t w[2] = {0x7F, 0};
    std::memcpy(&p.mem.bytes[p.cmdq + 16u * (prod & 0xFF)], w, 16);
    p.wr(SMMU_CMDQ_PROD, prod + 1);
}
} // namespace

// A recorded F_TRANSLATION raises the EVENTQ interrupt (7.2, 3.18.2): one
// pulse, exactly one clock (10 ns) wide, starting at the access's time.
TEST(TlmIrq, EventqPulseIsOneClockWide)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        const sc_time t0 = sc_core::sc_time_stamp();
        fault(p);
        sc_time rise;
        EXPECT_EQ(pulse_width(p.irq_eventq, &rise), kClock);
        EXPECT_EQ(rise, t0);
        wait(sc_time(100, SC_NS));
        EXPECT_FALSE(p.irq_eventq.read());
    });
}

// set_irq_pulse changes the width.
TEST(TlmIrq, PulseWidthIsConfigurable)
{
    Platform p;
    standard_tables(p);
    p.smmu.set_irq_pulse(sc_time(25, SC_NS));
    run([&] {
        p.boot();
        fault(p);
        EXPECT_EQ(pulse_width(p.irq_eventq), sc_time(25, SC_NS));
    });
}

// 6.3.16: with IRQ_CTRL.EVENTQ_IRQEN = 0 a recorded event raises no pulse.
TEST(TlmIrq, NoPulseWhenIrqDisabled)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot(SMMU_IRQ_CTRL_GERROR_IRQEN);
        fault(p);
        EXPECT_EQ(p.evtq_prod(), 1u) << "recorded";
        bool seen = false;
        sc_core::sc_event_or_list l = p.irq_eventq.posedge_event() | p.irq_gerror.posedge_event();
        wait(sc_time(100, SC_NS), l);
        seen = p.irq_eventq.read() || p.irq_gerror.read();
        EXPECT_FALSE(seen);
    });
}

// 7.1 / 6.3.19: an illegal command sets CMDQ_CONS.ERR = CERROR_ILL and
// GERROR.CMDQ_ERR, raising the GERROR interrupt (one pulse).
TEST(TlmIrq, GerrorPulseOnCommandError)
{
    Platform p;
    run([&] {
        p.boot();
        bad_command(p);
        EXPECT_EQ(pulse_width(p.irq_gerror), kClock);
        EXPECT_EQ(p.rd(SMMU_GERROR), SMMU_GERROR_CMDQ_ERR);
        EXPECT_EQ((p.rd(SMMU_CMDQ_CONS) >> SMMU_CMDQ_CONS_ERR_SHIFT) & 0x7F, SMMU_CERROR_ILL);
    });
}

// 4.7.3: CMD_SYNC with CS = SIG_IRQ pulses irq_cmd_sync.
TEST(TlmIrq, CmdSyncWithCsIrqPulses)
{
    Platform p;
    run([&] {
        p.boot();
        smmu_cmd_t s = {};
        s.opcode = SMMU_CMD_SYNC;
        s.cs = SMMU_SYNC_CS_IRQ;
        p.submit({s});
        EXPECT_EQ(pulse_width(p.irq_cmd_sync), kClock);
    });
}

// Level mode (non-architectural): irq_eventq stays high while EVENTQ is
// non-empty and goes low when software consumes the record (CONS = PROD).
TEST(TlmIrq, LevelModeEventqHighUntilConsumed)
{
    Platform p;
    standard_tables(p);
    p.smmu.set_level_mode(true);
    run([&] {
        p.boot();
        fault(p);
        wait(sc_time(100, SC_NS));
        EXPECT_TRUE(p.irq_eventq.read());
        p.wr(SMMU_EVENTQ_CONS, p.evtq_prod());
        wait(SC_ZERO_TIME);
        wait(SC_ZERO_TIME);
        EXPECT_FALSE(p.irq_eventq.read());
    });
}

// Level mode: irq_gerror high while GERROR != GERRORN; low once GERRORN
// acknowledges (after the failing command is replaced by CMD_SYNC).
TEST(TlmIrq, LevelModeGerrorHighUntilAcknowledged)
{
    Platform p;
    p.smmu.set_level_mode(true);
    run([&] {
        p.boot();
        bad_command(p);
        wait(sc_time(100, SC_NS));
        EXPECT_TRUE(p.irq_gerror.read());
        const uint32_t cons = uint32_t(p.rd(SMMU_CMDQ_CONS)) & 0x1FF;
        const uint64_t sync[2] = {SMMU_CMD_SYNC, 0};
        std::memcpy(&p.mem.bytes[p.cmdq + 16u * (cons & 0xFF)], sync, 16);
        p.wr(SMMU_GERRORN, p.rd(SMMU_GERROR));
        wait(SC_ZERO_TIME);
        wait(SC_ZERO_TIME);
        EXPECT_FALSE(p.irq_gerror.read());
        EXPECT_EQ(p.rd(SMMU_CMDQ_CONS) & 0xFFFFF, p.rd(SMMU_CMDQ_PROD))
            << "queue drained after the fix (CONS.ERR keeps the last error, 6.3.28)";
    });
}
