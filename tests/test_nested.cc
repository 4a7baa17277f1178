// SPDX-License-Identifier: Apache-2.0
// Nested stage 1 + stage 2, programmed the way the Linux nested-stage
// (iommufd / vSMMU) flow programs it: the HOST owns the STE and the stage-2
// tables; the GUEST owns its context-descriptor table ("PASID table") and its
// stage-1 tables, which live in guest memory and are addressed by IPA.
//
// Every scenario programs the SMMU through MMIO, writes STE/CD/page tables
// into memory and issues commands through the command queue, then checks
// exact PAs, exact event-record words and exactly which TLB entries survive.
//
// Sections: IHI 0070 G.b 3.3 (translation procedure, nesting), 3.13 (HTTU),
// 3.17 (TLB tagging), 3.21.3.1 (structure update procedure), 4.3/4.4
// (CFGI/TLBI), 5.2 (STE), 5.4 (CD), 7.3.10-7.3.16 (records); Arm ARM D8.5
// (hardware updates of AF and dirty state).
//
// Issue 5 items: tests are grouped by item (NestedFlow*, NestedMode*,
// NestedInval*, NestedMsi*, NestedHttu*).
#include <memory>

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/record.h"

extern "C" {
#include "smmu/smmu_cmd.h"
}

namespace smmutest {
namespace {

// ---- Guest-physical layout, identical in every guest (overlapping IPAs,
// ---- ASIDs and IOVAs between guests) ----------------------------------------
constexpr uint64_t kGuestRam = 0x4000'0000;     // IPA of guest RAM
constexpr uint64_t kGuestRamSize = 0x0400'0000; // 64 MB: 32 stage-2 2MB blocks
constexpr uint64_t kCdTab = 0x4000'0000;        // guest CD table ("PASID table")
constexpr uint64_t kCdL2 = 0x4000'2000;         // level-2 CD table (S1Fmt = 0b01)
constexpr uint64_t kGuestPt = 0x4020'0000;      // guest stage-1 tables (own 2MB block)
constexpr uint64_t kGuestPt2 = 0x4030'0000;     // a second stage-1 table set
constexpr uint64_t kBuf = 0x4100'0000;          // DMA buffer (own 2MB block)
constexpr uint64_t kIova = 0x1000'0000;         // guest IOVA of the buffer
// MSI: guest IOVA of its doorbell (Linux MSI_IOVA_BASE), the guest ITS
// doorbell page (IPA) and the host ITS doorbell page (PA).
constexpr uint64_t kMsiIova = 0x0800'0000;
constexpr uint64_t kGuestDoorbell = 0x0809'0000;
constexpr uint64_t kHostDoorbell = 0x2F03'0000;
constexpr uint64_t kDoorbellOff = 0x40; // GITS_TRANSLATER within the page

// Host-physical layout: stage-2 tables per guest, guest RAM windows.
constexpr uint64_t kS2TablesA = 0x0400'0000, kS2TablesB = 0x0500'0000;
constexpr uint64_t kRamA = 0x8000'0000, kRamB = 0xA000'0000;

// Descriptor bits (Arm ARM D8.3): AF [10], AP[2] [7] (stage 1), S2AP[1]
// [7] (stage 2), DBM [51].
constexpr uint64_t kAF = 1ull << 10, kAP2 = 1ull << 7, kS2AP1 = 1ull << 7, kDBM = 1ull << 51;


// Guest stage-1 attributes as Linux io-pgtable writes them for a DMA
// mapping: EL0 read/write, nG = 1 (ASID-tagged), AF = 1.
S1Attrs dma_rw()
{
    S1Attrs a;
    a.ap = 1;
    a.ng = 1;
    return a;
}

Cmd enc(smmu_cmd_t c)
{
    uint64_t o[2] = {0, 0};
    EXPECT_EQ(smmu_cmd_encode(&c, o), 0) << "opcode " << unsigned(c.opcode);
    return {o[0], o[1]};
}
Cmd tlbi_nh_asid(uint16_t vmid, uint16_t asid)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_NH_ASID;
    c.vmid = vmid;
    c.asid = asid;
    return enc(c);
}
Cmd tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va, bool leaf = true, unsigned num = 0,
               unsigned scale = 0, unsigned tg = 0, unsigned ttl = 0)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_NH_VA;
    c.vmid = vmid;
    c.asid = asid;
    c.addr = va;
    c.leaf = leaf;
    c.num = uint8_t(num);
    c.scale = uint8_t(scale);
    c.tg = uint8_t(tg);
    c.ttl = uint8_t(ttl);
    return enc(c);
}
Cmd tlbi_nh_vaa(uint16_t vmid, uint64_t va, bool leaf = true)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_NH_VAA;
    c.vmid = vmid;
    c.addr = va;
    c.leaf = leaf;
    return enc(c);
}
Cmd tlbi_s2_ipa(uint16_t vmid, uint64_t ipa, bool leaf = true)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_S2_IPA;
    c.vmid = vmid;
    c.addr = ipa;
    c.leaf = leaf;
    return enc(c);
}
Cmd tlbi_s12_vmall(uint16_t vmid)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_S12_VMALL;
    c.vmid = vmid;
    return enc(c);
}
Cmd cfgi_cd(uint32_t sid, uint32_t ssid, bool leaf = true)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_CFGI_CD;
    c.sid = sid;
    c.ssid = ssid;
    c.leaf = leaf;
    return enc(c);
}
Cmd cfgi_cd_all(uint32_t sid)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_CFGI_CD_ALL;
    c.sid = sid;
    return enc(c);
}

// One guest: its IPA-addressed view of its own memory (where it builds its
// CD table and stage-1 tables), and the host-owned stage-2 tables that map
// guest RAM [kGuestRam, +64MB) to [ram_pa, +64MB) with 2MB blocks.
struct Guest {
    Guest(SimMem &host, uint32_t sid_, uint16_t vmid_, uint64_t ram_pa_, uint64_t s2base)
        : sid(sid_), vmid(vmid_), ram_pa(ram_pa_), s2(host, 2, 12, 48, 48, s2base, 0)
    {
    }
    uint32_t sid;
    uint16_t vmid;
    uint64_t ram_pa;
    SimMem view;                                  // guest-physical (IPA) view
    PtBuilder s1{view, 1, 12, 48, 48, kGuestPt};  // guest stage 1 (IPA-addressed)
    PtBuilder s1b{view, 1, 12, 48, 48, kGuestPt2};
    PtBuilder s2;                                 // host stage 2 (PA-addressed)
    // Guest-chosen STE stage-1 fields (forwarded by the VMM).
    unsigned s1fmt = 0, cdmax = 0, s1dss = 0;
    uint64_t cd_ptr = kCdTab;

    uint64_t pa(uint64_t ipa) const { return ram_pa + (ipa - kGuestRam); }

    Cd cd(uint16_t asid = 1, const PtBuilder *pt = nullptr) const
    {
        return Cd().t0sz(16).tg0_4k().ttb0((pt ? pt : &s1)->ttb()).ips(5).asid(asid).mair(0xFF);
    }
    void put_cd(uint64_t ipa, const Cd &c)
    {
        Words8 w = c.build();
        for (int i = 0; i < 8; i++)
            view.write64(ipa + 8 * i, w[i]);
    }
    // Stage-1 page descriptor for IPA `ipa` with attributes a.
    uint64_t s1_page(uint64_t ipa, const S1Attrs &a = dma_rw()) const
    {
        return s1.encode_addr(ipa) | a.bits() | 3;
    }
    // Stage-2 block descriptor (level 2) for PA `pa`.
    uint64_t s2_block(uint64_t pa_, const S2Attrs &a = S2Attrs()) const
    {
        return s2.encode_addr(pa_) | a.bits() | 1;
    }
    // Host: map all of guest RAM with 2MB blocks.
    void map_ram(const S2Attrs &a = S2Attrs())
    {
        for (uint64_t ipa = kGuestRam; ipa < kGuestRam + kGuestRamSize; ipa += 0x20'0000) {
            ASSERT_TRUE(s2.map_s2(ipa, pa(ipa), 2, a)) << s2.error();
        }
    }
    // The guest's writes to its memory become visible in host memory at the
    // PAs stage 2 maps them to (CD area and both stage-1 table sets).
    void publish(SimMem &host) const
    {
        std::vector<uint8_t> b;
        auto copy = [&](uint64_t lo, uint64_t hi) {
            b.resize(hi - lo);
            view.read(lo, b.data(), b.size());
            host.write(pa(lo), b.data(), b.size());
        };
        copy(kCdTab, kCdTab + 0x4000);
        copy(kGuestPt, s1.alloc_next());
        copy(kGuestPt2, s1b.alloc_next());
    }
};

class NestedFlow : public SmmuTest {
  protected:
    std::unique_ptr<Guest> a, b;

    void SetUp() override
    {
        SmmuTest::SetUp();
        boot();
        a = std::make_unique<Guest>(mem, 0x10, 1, kRamA, kS2TablesA);
        b = std::make_unique<Guest>(mem, 0x20, 2, kRamB, kS2TablesB);
    }

    // Host-owned STE for a guest's device: stage-2 fields and VMID from the
    // host, S1ContextPtr (an IPA), S1Fmt, S1CDMax, S1DSS from the guest.
    Ste host_ste(const Guest &g, unsigned config = 7) const
    {
        return Ste()
            .config(config)
            .vmid(g.vmid)
            .s2t0sz(16)
            .s2sl0(2)
            .s2tg4k()
            .s2ps(5)
            .s2ttb(g.s2.ttb())
            .s2r()
            .ctx(g.cd_ptr)
            .s1fmt(g.s1fmt)
            .cdmax(g.cdmax)
            .s1dss(g.s1dss);
    }
    void sync_ok(std::vector<Cmd> cmds)
    {
        cmds.push_back(cmd_sync());
        submit(cmds);
        EXPECT_EQ(cmdq_cons_err(), 0u) << "CERROR";
        EXPECT_EQ(rd(SMMU_GERROR) & SMMU_GERROR_CMDQ_ERR, 0u);
        EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFFFF, rd(SMMU_CMDQ_PROD) & 0xFFFFF)
            << "commands not all consumed";
    }
    // First attach: STE written (V = 1, the stream had no STE before) and
    // made visible with CFGI_STE + CMD_SYNC.
    void install(uint32_t sid, const Ste &ste)
    {
        write_ste(sid, ste.build());
        sync_ok({cmd_cfgi_ste(sid)});
    }
    void attach(Guest &g, unsigned config = 7) { install(g.sid, host_ste(g, config)); }
    // A guest with RAM mapped at stage 2, one CD (ASID asid) and
    // kIova -> kBuf mapped at stage 1; published and attached.
    void standard_guest(Guest &g, uint16_t asid = 1)
    {
        g.map_ram();
        ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw())) << g.s1.error();
        g.put_cd(kCdTab, g.cd(asid));
        g.publish(mem);
        attach(g);
    }
    // Re-program a valid STE (3.21.3.1): make it invalid (V = 0, CFGI_STE,
    // CMD_SYNC), fill in every field with V = 0, then set V = 1 and issue
    // CFGI_STE plus `extra` (TLB maintenance) and CMD_SYNC.
    void reprogram(uint32_t sid, const Ste &ste, std::vector<Cmd> extra)
    {
        Words8 w = ste.build();
        uint64_t at = kStrtab + sid * 64ull;
        mem.write64(at, mem.read64(at) & ~1ull);
        sync_ok({cmd_cfgi_ste(sid)});
        w[0] &= ~1ull;
        write_ste(sid, w);
        sync_ok({cmd_cfgi_ste(sid)});
        mem.write64(at, w[0] | 1);
        extra.insert(extra.begin(), cmd_cfgi_ste(sid));
        sync_ok(extra);
    }
    smmu_response_t tx(const Guest &g, uint64_t addr, bool write = false, int ssid = -1)
    {
        return xlate(g.sid, addr, write, false, false, ssid);
    }
    smmu_response_t tx(uint32_t sid, uint64_t addr, bool write = false, int ssid = -1)
    {
        return xlate(sid, addr, write, false, false, ssid);
    }
    void expect_one_record(const Rec &want)
    {
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(hex(ev[0]), hex(want.words()));
    }
    void expect_no_record() { EXPECT_EQ(events().size(), 0u); }
    Rec rec(const Guest &g, uint8_t type, uint64_t input, bool write)
    {
        Rec r;
        r.type = type;
        r.sid = g.sid;
        r.input = input;
        r.rnw = !write;
        r.cls = SMMU_CLASS_IN;
        return r;
    }
    std::vector<MemAccess> logged(smmu_access_kind_t kind) const
    {
        std::vector<MemAccess> out;
        for (const auto &m : mem.log)
            if (m.kind == kind)
                out.push_back(m);
        return out;
    }
};

// =========================================================================
// Items 1-2: CD / L1CD fetch and the stage-1 walk through stage 2; records.
// =========================================================================

// 3.3, 5.2 (S1ContextPtr is an IPA when stage 2 is enabled): the guest's CD
// is read at the PA its IPA maps to, every stage-1 descriptor at the PA of
// its IPA, and the output IPA goes through stage 2.
TEST_F(NestedFlow, Item1_CdAndStage1WalkThroughStage2_ExactPa_3_3)
{
    standard_guest(*a);
    mem.log_enabled = true;
    auto r = tx(*a, kIova + 0x123, true);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, kRamA + (kBuf - kGuestRam) + 0x123); // 0x8100'0123
    expect_no_record();
    // The CD was read at the PA of its IPA, never at the IPA.
    auto cds = logged(SMMU_ACC_CD);
    ASSERT_FALSE(cds.empty());
    for (const auto &m : cds)
        EXPECT_EQ(m.pa & ~63ull, a->pa(kCdTab)) << std::hex << m.pa;
    // Stage-1 descriptors (4 levels) were read from guest RAM's PA window;
    // stage-2 descriptors from the host's stage-2 tables; no read of an IPA.
    unsigned s1_reads = 0, s2_reads = 0;
    for (const auto &m : logged(SMMU_ACC_TT)) {
        if (m.pa >= a->pa(kGuestPt) && m.pa < a->pa(kGuestPt) + 0x20'0000)
            s1_reads++;
        else if (m.pa >= kS2TablesA && m.pa < kS2TablesA + 0x10'0000)
            s2_reads++;
        else
            ADD_FAILURE() << "table read at 0x" << std::hex << m.pa;
    }
    EXPECT_EQ(s1_reads, 4u);
    EXPECT_GT(s2_reads, 0u);
}

// Same IOVA, second access: served from the TLB (combined entry), no walk.
TEST_F(NestedFlow, Item1_SecondAccessHitsCombinedEntry_NoTableRead_3_17)
{
    standard_guest(*a);
    ASSERT_EQ(tx(*a, kIova).outcome, SMMU_XLATE_OK);
    smmu_stats_t s0, s1;
    smmu_get_stats(smmu, &s0);
    auto r = tx(*a, kIova + 0x8);
    EXPECT_EQ(r.pa, a->pa(kBuf) + 0x8);
    smmu_get_stats(smmu, &s1);
    EXPECT_EQ(s1.tt_reads, s0.tt_reads);
}

// 5.2 S1Fmt = 0b01 (2-level CD table, 64 CDs per 4KB leaf), 5.3: the L1CD
// is fetched at the PA of S1ContextPtr (an IPA) and its L2Ptr is an IPA too.
TEST_F(NestedFlow, Item1_TwoLevelCdTable_L1CdAndCdThroughStage2_5_3)
{
    Guest &g = *a;
    g.s1fmt = 1;
    g.cdmax = 8;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw()));
    g.view.write64(kCdTab + 8 * 1, l1cd(kCdL2)); // SSIDs 64..127
    g.put_cd(kCdL2 + 64 * 1, g.cd(5));           // SSID 65
    g.publish(mem);
    attach(g);
    mem.log_enabled = true;
    auto r = tx(g, kIova + 0x10, false, 65);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, g.pa(kBuf) + 0x10);
    bool l1 = false, l2 = false;
    for (const auto &m : logged(SMMU_ACC_CD)) {
        l1 |= m.pa == g.pa(kCdTab) + 8;
        l2 |= m.pa >= g.pa(kCdL2) + 64 && m.pa < g.pa(kCdL2) + 128;
        EXPECT_TRUE(m.pa >= kRamA && m.pa < kRamA + kGuestRamSize) << std::hex << m.pa;
    }
    EXPECT_TRUE(l1) << "L1CD read at PA of S1ContextPtr + 8";
    EXPECT_TRUE(l2) << "CD read at PA of L2Ptr + 64";
    expect_no_record();
}

// 7.3.13: stage-2 fault fetching the L1CD: S2 = 1, CLASS = CD, IPA of the
// L1CD; SSV/SubstreamID of the transaction; RnW of the transaction.
TEST_F(NestedFlow, Item2_L1CdIpaUnmapped_S2Translation_ClassCD_7_3_13)
{
    Guest &g = *a;
    g.s1fmt = 1;
    g.cdmax = 8;
    g.cd_ptr = 0x5000'0000; // outside guest RAM: not mapped at stage 2
    g.map_ram();
    g.publish(mem);
    attach(g);
    auto r = tx(g, kIova, true, 65);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, kIova, true);
    w.ssv = true;
    w.ssid = 65;
    w.s2 = true;
    w.cls = SMMU_CLASS_CD;
    w.ipa = 0x5000'0000;
    expect_one_record(w);
}

// 7.3.13: the L1CD translates but its L2Ptr (an IPA) does not: CLASS = CD,
// IPA = the CD's IPA.
TEST_F(NestedFlow, Item2_L2CdIpaUnmapped_S2Translation_ClassCD_IpaOfCd_7_3_13)
{
    Guest &g = *a;
    g.s1fmt = 1;
    g.cdmax = 8;
    g.map_ram();
    g.view.write64(kCdTab + 8 * 1, l1cd(0x5000'1000));
    g.publish(mem);
    attach(g);
    auto r = tx(g, kIova, false, 65);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, kIova, false);
    w.ssv = true;
    w.ssid = 65;
    w.s2 = true;
    w.cls = SMMU_CLASS_CD;
    w.ipa = 0x5000'1000;
    expect_one_record(w);
}

// 7.3.13: CD IPA not mapped by the host: S2 = 1, CLASS = CD, IPA[55:12] of
// the CD, RnW = 0 for a write transaction.
TEST_F(NestedFlow, Item2_CdIpaUnmapped_S2Translation_ClassCD_RnWOfInput_7_3_13)
{
    Guest &g = *a;
    g.cd_ptr = 0x5000'0040;
    g.map_ram();
    attach(g);
    auto r = tx(g, kIova + 4, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, kIova + 4, true);
    w.s2 = true;
    w.cls = SMMU_CLASS_CD;
    w.ipa = 0x5000'0000;
    expect_one_record(w);
}

// 7.3.13 / pitfalls: a guest table descriptor pointing at an IPA the host
// never mapped: S2 = 1, CLASS = TT, IPA = the stage-1 descriptor's IPA.
TEST_F(NestedFlow, Item2_Stage1TableIpaUnmapped_S2Translation_ClassTT_7_3_13)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw()));
    // Level-2 entry -> a level-3 table at IPA 0x5000'0000 (not in guest RAM).
    ASSERT_TRUE(g.s1.set_desc(2, kIova, g.s1.table_desc(0x5000'0000)));
    g.put_cd(kCdTab, g.cd());
    g.publish(mem);
    attach(g);
    auto r = tx(g, kIova + 0x5000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, kIova + 0x5000, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.ipa = 0x5000'0000; // descriptor IPA 0x5000'0028, bits [11:0] zero
    expect_one_record(w);
}

// 7.3.13: stage 1 succeeds, its output IPA is not mapped: CLASS = IN.
TEST_F(NestedFlow, Item2_OutputIpaUnmapped_S2Translation_ClassIN_7_3_13)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, 0x7000'3000, 3, dma_rw()));
    g.put_cd(kCdTab, g.cd());
    g.publish(mem);
    attach(g);
    auto r = tx(g, kIova + 0x44);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, kIova + 0x44, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.ipa = 0x7000'3000;
    expect_one_record(w);
}

// smmu.h on_event: the observer gets the same event the record encodes; a
// stage-2 F_TRANSLATION has no FetchAddr (only F_WALK_EABT / F_CD_FETCH do,
// 7.3.10, 7.3.12), so the decoded event's fetch_addr must be 0, not a value
// left over from the walk.
TEST_F(NestedFlow, Item2_ObservedStage2FaultEvent_NoStaleFetchAddr_7_3_13)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, 0x7000'3000, 3, dma_rw()));
    g.put_cd(kCdTab, g.cd());
    g.publish(mem);
    attach(g);
    mem.observed_events.clear();
    tx(g, kIova, true);
    ASSERT_EQ(mem.observed_events.size(), 1u);
    const smmu_event_t &e = mem.observed_events[0];
    EXPECT_EQ(e.type, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(e.s2, 1);
    EXPECT_EQ(e.cls, SMMU_CLASS_IN);
    EXPECT_EQ(e.ipa, 0x7000'3000u);
    EXPECT_EQ(e.fetch_addr, 0u);
}

// 7.3.15: stage-2 AF = 0 on the output IPA (S2AFFD = 0, no HTTU): F_ACCESS,
// S2 = 1, CLASS = IN.
TEST_F(NestedFlow, Item2_OutputIpaS2AfZero_FAccess_ClassIN_7_3_15)
{
    Guest &g = *a;
    g.map_ram();
    S2Attrs noaf;
    noaf.af = 0;
    ASSERT_TRUE(g.s2.set_desc(2, kBuf, g.s2_block(g.pa(kBuf), noaf)));
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf + 0x2000, 3, dma_rw()));
    g.put_cd(kCdTab, g.cd());
    g.publish(mem);
    attach(g);
    tx(g, kIova);
    Rec w = rec(g, SMMU_EVT_F_ACCESS, kIova, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.ipa = kBuf + 0x2000;
    expect_one_record(w);
}

// 7.3.13: a guest (stage-1) fault in a nested configuration is S2 = 0,
// CLASS = IN: the host can tell it from a stage-2 fault and forward it.
TEST_F(NestedFlow, Item2_GuestStage1Fault_S2Zero_ClassIN_7_3_13)
{
    standard_guest(*a);
    auto r = tx(*a, kIova + 0x1000, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(*a, SMMU_EVT_F_TRANSLATION, kIova + 0x1000, true);
    expect_one_record(w);
}

// 7.3.10: F_CD_FETCH is an external abort at the CD's PA (stage 2 fine):
// FetchAddr = the PA the IPA translated to.
TEST_F(NestedFlow, Item2_CdPaAborts_FCdFetch_FetchAddrIsPa_7_3_10)
{
    standard_guest(*a);
    mem.add_abort(a->pa(kCdTab), 64);
    submit({cmd_cfgi_all(), cmd_sync()});
    auto r = tx(*a, kIova);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_CD_FETCH);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_F_CD_FETCH));
    EXPECT_EQ(ev[0][1], a->sid);
    EXPECT_EQ(ev[0][4], 0u);
    EXPECT_EQ(ev[0][5], 0u);
    EXPECT_EQ(uint64_t(ev[0][7]) << 32 | ev[0][6], a->pa(kCdTab)); // 0x8000'0000
}

// 7.3.12: external abort on the STAGE-2 descriptor while translating the
// CD's IPA: F_WALK_EABT (not F_CD_FETCH), S2 = 1, CLASS = CD, FetchAddr =
// the stage-2 descriptor's PA.
TEST_F(NestedFlow, Item2_S2DescAbortForCd_FWalkEabt_S2_ClassCD_7_3_12)
{
    standard_guest(*a);
    uint64_t d = a->s2.table_addr(2, kCdTab);
    mem.add_abort(d, 8);
    auto r = tx(*a, kIova, true);
    EXPECT_EQ(r.event, SMMU_EVT_F_WALK_EABT);
    Rec w = rec(*a, SMMU_EVT_F_WALK_EABT, kIova, true);
    w.s2 = true;
    w.cls = SMMU_CLASS_CD;
    w.fetch = d;
    expect_one_record(w);
}

// 7.3.12: same for the stage-2 translation of a stage-1 table IPA: CLASS = TT.
TEST_F(NestedFlow, Item2_S2DescAbortForStage1Table_FWalkEabt_S2_ClassTT_7_3_12)
{
    standard_guest(*a);
    uint64_t d = a->s2.table_addr(2, kGuestPt);
    mem.add_abort(d, 8);
    tx(*a, kIova);
    Rec w = rec(*a, SMMU_EVT_F_WALK_EABT, kIova, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.fetch = d;
    expect_one_record(w);
}

// 7.3.12: same for the output IPA: CLASS = IN.
TEST_F(NestedFlow, Item2_S2DescAbortForOutputIpa_FWalkEabt_S2_ClassIN_7_3_12)
{
    standard_guest(*a);
    uint64_t d = a->s2.table_addr(2, kBuf);
    mem.add_abort(d, 8);
    tx(*a, kIova);
    Rec w = rec(*a, SMMU_EVT_F_WALK_EABT, kIova, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.fetch = d;
    expect_one_record(w);
}

// 7.3.12: external abort on a STAGE-1 descriptor's PA in a nested walk (its
// IPA translated fine): S2 = 0, CLASS = TT, FetchAddr = the PA, not the IPA.
TEST_F(NestedFlow, Item2_S1DescPaAborts_FWalkEabt_S2Zero_ClassTT_FetchAddrPa_7_3_12)
{
    standard_guest(*a);
    uint64_t d_ipa = a->s1.table_addr(3, kIova);
    uint64_t d_pa = a->pa(d_ipa);
    mem.add_abort(d_pa, 8);
    tx(*a, kIova, true);
    Rec w = rec(*a, SMMU_EVT_F_WALK_EABT, kIova, true);
    w.cls = SMMU_CLASS_TT;
    w.fetch = d_pa;
    expect_one_record(w);
}

// 5.2 S2R, 5.5: STE.S2R = 0 suppresses the record of a stage-2 fault for
// every CLASS; the transaction still aborts and the event is raised.
TEST_F(NestedFlow, Item2_S2RZero_SuppressesStage2Records_ClassCdTtIn_5_5)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw()));
    ASSERT_TRUE(g.s1.map_s1(kIova + 0x1000, 0x7000'0000, 3, dma_rw())); // IN
    ASSERT_TRUE(g.s1.set_desc(2, kIova + 0x20'0000, g.s1.table_desc(0x5000'0000))); // TT
    g.put_cd(kCdTab, g.cd());
    g.publish(mem);
    attach(g);
    install(0x11, host_ste(g).s2r(false));                  // same guest, S2R = 0
    install(0x12, host_ste(g).ctx(0x5000'0000).s2r(false)); // CD IPA unmapped
    struct {
        uint32_t sid;
        uint64_t va;
    } cases[] = {{0x12, kIova}, {0x11, kIova + 0x20'0000}, {0x11, kIova + 0x1000}};
    for (auto &c : cases) {
        auto r = tx(c.sid, c.va);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT) << std::hex << c.va;
        EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION) << std::hex << c.va;
        EXPECT_EQ(r.recorded, 0) << std::hex << c.va;
    }
    expect_no_record();
    // The same faults with S2R = 1 (sid 0x10) are recorded.
    tx(g, kIova + 0x1000);
    EXPECT_EQ(events().size(), 1u);
}

// 5.2 S2PTW = 1: a CD fetch landing on stage-2 Device memory is terminated
// as a stage-2 F_PERMISSION, CLASS = CD (a read, 7.3.16).
TEST_F(NestedFlow, Item1_S2ptw_CdOnStage2Device_S2Permission_ClassCD_5_2)
{
    Guest &g = *a;
    standard_guest(g);
    S2Attrs dev;
    dev.memattr = 0x1; // Device-nGnRE
    ASSERT_TRUE(g.s2.set_desc(2, kCdTab, g.s2_block(g.pa(kCdTab), dev)));
    install(g.sid, host_ste(g).s2ptw());
    tx(g, kIova);
    Rec w = rec(g, SMMU_EVT_F_PERMISSION, kIova, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_CD;
    w.ipa = kCdTab;
    expect_one_record(w);
}

// 5.2 S2PTW = 1: a stage-1 table read from stage-2 Device memory: stage-2
// F_PERMISSION, CLASS = TT, TTRnW = 1 (a read). With S2PTW = 0 (and
// IDR3.PTWNNC = 0) the walk is allowed.
TEST_F(NestedFlow, Item1_S2ptw_Stage1TableOnStage2Device_S2Permission_ClassTT_5_2)
{
    Guest &g = *a;
    standard_guest(g);
    S2Attrs dev;
    dev.memattr = 0x1;
    ASSERT_TRUE(g.s2.set_desc(2, kGuestPt, g.s2_block(g.pa(kGuestPt), dev)));
    ASSERT_TRUE(g.s1.map_s1(kIova + 0x1000, kBuf + 0x1000, 3, dma_rw()));
    g.publish(mem);
    EXPECT_EQ(tx(g, kIova).pa, g.pa(kBuf)) << "S2PTW = 0: allowed";
    install(g.sid, host_ste(g).s2ptw());
    // The host changed stage-2 attributes: its invalidation (3.21) also
    // empties the walk cache, so the next walk starts at level 0.
    sync_ok({tlbi_s12_vmall(g.vmid)});
    tx(g, kIova + 0x1000); // not in the TLB: walks
    Rec w = rec(g, SMMU_EVT_F_PERMISSION, kIova + 0x1000, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.ttrnw = true;
    w.ipa = kGuestPt; // the level-0 table
    expect_one_record(w);
}

// 3.3 / pitfall: only the TTB the input address selects is translated.
// TTB1 is an IPA the host never mapped; TTB0 accesses must not fault.
TEST_F(NestedFlow, Item1_OnlySelectedTtbTranslated_Ttb1UnmappedDoesNotFaultTtb0_3_3)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw()));
    g.put_cd(kCdTab, g.cd().epd1(false).t1sz(16).tg1_4k().ttb1(0x6000'0000));
    g.publish(mem);
    attach(g);
    auto r = tx(g, kIova + 0x20);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, g.pa(kBuf) + 0x20);
    expect_no_record();
    // A TTB1 address walks TTB1: its level-0 descriptor IPA faults at stage 2.
    uint64_t va1 = 0xFFFF'8000'0000'0000ull;
    tx(g, va1);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, va1, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.ipa = 0x6000'0000;
    expect_one_record(w);
}

// =========================================================================
// Item 3: guest stage-1 mode -> STE.Config; switching modes.
// =========================================================================

// Guest translate -> Config 0b111 (see Item1_* above); guest bypass ->
// Config 0b110: the device address is an IPA, stage 2 stays (5.2).
TEST_F(NestedFlow, Item3_GuestBypass_Config110_Stage2Only_5_2)
{
    Guest &g = *a;
    g.map_ram();
    attach(g, 6);
    auto r = tx(g, kBuf + 0x123);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, g.pa(kBuf) + 0x123);
    // An IOVA is now an IPA outside guest RAM: stage-2 fault, CLASS = IN.
    tx(g, kIova + 0x8);
    Rec w = rec(g, SMMU_EVT_F_TRANSLATION, kIova + 0x8, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.ipa = kIova;
    expect_one_record(w);
    // 3.3.2/7.3.9: no stage 1, so a PASID is C_BAD_SUBSTREAMID.
    EXPECT_EQ(tx(g, kBuf, false, 3).event, SMMU_EVT_C_BAD_SUBSTREAMID);
}

// Guest abort -> Config 0b000: all traffic aborted, no event (5.2).
TEST_F(NestedFlow, Item3_GuestAbort_Config000_AbortNoEvent_5_2)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw()));
    g.put_cd(kCdTab, g.cd());
    g.publish(mem);
    attach(g, 0);
    for (uint64_t addr : {kIova, kBuf}) {
        auto r = tx(g, addr, true);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
        EXPECT_EQ(r.event, 0);
    }
    expect_no_record();
}

// 3.21.3.1 + 4.3.1 + 4.4: switching 0b111 -> 0b110 -> 0b111 with the update
// procedure, CFGI_STE, a TLBI and CMD_SYNC leaves no stale entry: a stage-1
// change the guest made while in bypass is seen after translation returns.
TEST_F(NestedFlow, Item3_Switch111To110AndBack_WithTlbi_NoStaleEntry_3_21)
{
    Guest &g = *a;
    standard_guest(g);
    EXPECT_EQ(tx(g, kIova + 0x10).pa, g.pa(kBuf) + 0x10); // fills a combined entry
    // Guest disables translation.
    reprogram(g.sid, host_ste(g, 6), {tlbi_s12_vmall(g.vmid)});
    EXPECT_EQ(tx(g, kBuf + 0x10).pa, g.pa(kBuf) + 0x10);
    EXPECT_EQ(tx(g, kIova + 0x10).event, SMMU_EVT_F_TRANSLATION); // IOVA as IPA
    events();
    // In bypass, the guest rewrites its stage 1 (no TLBI: it thinks
    // translation is off), then re-enables translation.
    ASSERT_TRUE(g.s1.set_desc(3, kIova, g.s1_page(kBuf + 0x10'0000)));
    g.publish(mem);
    reprogram(g.sid, host_ste(g, 7), {cmd_tlbi_nh_all(g.vmid)});
    auto r = tx(g, kIova + 0x10);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, g.pa(kBuf + 0x10'0000) + 0x10);
    expect_no_record();
}

// 4.3.1: CFGI_STE invalidates configuration only; without a TLBI the
// combined entry from before the switch is still used (stale PA).
TEST_F(NestedFlow, Item3_Switch111To110AndBack_CfgiSteAlone_LeavesStaleTlbEntry_4_3_1)
{
    Guest &g = *a;
    standard_guest(g);
    EXPECT_EQ(tx(g, kIova + 0x10).pa, g.pa(kBuf) + 0x10);
    reprogram(g.sid, host_ste(g, 6), {});
    EXPECT_EQ(tx(g, kBuf + 0x10).pa, g.pa(kBuf) + 0x10);
    ASSERT_TRUE(g.s1.set_desc(3, kIova, g.s1_page(kBuf + 0x10'0000)));
    g.publish(mem);
    reprogram(g.sid, host_ste(g, 7), {});
    auto r = tx(g, kIova + 0x10);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, g.pa(kBuf) + 0x10) << "stale combined entry (VMID 1, ASID 1) expected";
    // The guest's own forwarded TLBI_NH_ASID fixes it.
    sync_ok({tlbi_nh_asid(g.vmid, 1)});
    EXPECT_EQ(tx(g, kIova + 0x10).pa, g.pa(kBuf + 0x10'0000) + 0x10);
}

// =========================================================================
// Item 4: two guests (VMIDs 1 and 2) with the same ASID, IOVA, CD IPA and
// table IPAs; guest invalidations forwarded by the VMM.
// =========================================================================

class NestedInval : public NestedFlow {
  protected:
    // Both guests map kIova + i*4K -> kBuf + i*4K for i < pages, ASID 1.
    void two_guests(unsigned pages = 1)
    {
        for (Guest *g : {a.get(), b.get()}) {
            g->map_ram();
            for (unsigned i = 0; i < pages; i++) {
                ASSERT_TRUE(g->s1.map_s1(kIova + i * 0x1000ull, kBuf + i * 0x1000ull, 3, dma_rw()));
            }
            g->put_cd(kCdTab, g->cd(1));
            g->publish(mem);
            attach(*g);
        }
    }
    // Guest remaps page i to kBuf + 1MB + i*4K (in memory only).
    void guest_remap(Guest &g, unsigned i)
    {
        ASSERT_TRUE(g.s1.set_desc(3, kIova + i * 0x1000ull, g.s1_page(kBuf + 0x10'0000 + i * 0x1000ull)));
        g.publish(mem);
    }
    uint64_t old_pa(const Guest &g, unsigned i) const { return g.pa(kBuf) + i * 0x1000ull; }
    uint64_t new_pa(const Guest &g, unsigned i) const { return g.pa(kBuf + 0x10'0000) + i * 0x1000ull; }
    uint64_t pa_of(const Guest &g, unsigned i) { return tx(g, kIova + i * 0x1000ull).pa; }
};

// 3.17: entries are tagged with the VMID; the same ASID and IOVA in two
// VMs never hit each other's entries.
TEST_F(NestedInval, Item4_TwoGuestsSameAsidSameIova_NeverShareEntries_3_17)
{
    two_guests();
    for (int i = 0; i < 3; i++) {
        EXPECT_EQ(tx(*a, kIova + 0x40).pa, kRamA + 0x100'0040);
        EXPECT_EQ(tx(*b, kIova + 0x40).pa, kRamB + 0x100'0040);
    }
    smmu_stats_t s;
    smmu_get_stats(smmu, &s);
    EXPECT_EQ(s.walks_s1, 2u) << "one stage-1 walk per guest, then hits";
    expect_no_record();
}

// 4.4.2.2 TLBI_NH_ASID: removes VMID 1 / ASID 1 only; guest B (VMID 2,
// same ASID) keeps its (now stale) entry.
TEST_F(NestedInval, Item4_NhAsid_ActsWithinVmid_4_4_2)
{
    two_guests();
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0));
    EXPECT_EQ(pa_of(*b, 0), old_pa(*b, 0));
    guest_remap(*a, 0);
    guest_remap(*b, 0);
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0)) << "no TLBI yet";
    sync_ok({tlbi_nh_asid(a->vmid, 1)});
    EXPECT_EQ(pa_of(*a, 0), new_pa(*a, 0));
    EXPECT_EQ(pa_of(*b, 0), old_pa(*b, 0)) << "VMID 2 entry must survive";
    sync_ok({tlbi_nh_asid(b->vmid, 1)});
    EXPECT_EQ(pa_of(*b, 0), new_pa(*b, 0));
}

// 4.4.2.3 TLBI_NH_VA: one VA, one ASID, one VMID.
TEST_F(NestedInval, Item4_NhVa_OnlyThatVaAsidVmid_4_4_2)
{
    two_guests(2);
    for (unsigned i = 0; i < 2; i++) {
        EXPECT_EQ(pa_of(*a, i), old_pa(*a, i));
        EXPECT_EQ(pa_of(*b, i), old_pa(*b, i));
        guest_remap(*a, i);
        guest_remap(*b, i);
    }
    sync_ok({tlbi_nh_va(a->vmid, 1, kIova)});
    EXPECT_EQ(pa_of(*a, 0), new_pa(*a, 0));
    EXPECT_EQ(pa_of(*a, 1), old_pa(*a, 1)) << "other VA survives";
    EXPECT_EQ(pa_of(*b, 0), old_pa(*b, 0)) << "other VMID survives";
    // A different ASID in the right VMID removes nothing.
    sync_ok({tlbi_nh_va(a->vmid, 2, kIova + 0x1000)});
    EXPECT_EQ(pa_of(*a, 1), old_pa(*a, 1));
}

// 4.4.2.4 TLBI_NH_VAA: the VA for every ASID of the VMID only.
TEST_F(NestedInval, Item4_NhVaa_AllAsidsOfThatVmid_4_4_2)
{
    Guest &g = *a;
    g.cdmax = 1;
    g.s1dss = 2; // no-PASID traffic uses CD 0 (as Linux programs S1DSS)
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, dma_rw()));
    g.put_cd(kCdTab, g.cd(1));
    g.put_cd(kCdTab + 64, g.cd(2)); // PASID 1: ASID 2, same tables
    g.publish(mem);
    attach(g);
    b->map_ram();
    ASSERT_TRUE(b->s1.map_s1(kIova, kBuf, 3, dma_rw()));
    b->put_cd(kCdTab, b->cd(1));
    b->publish(mem);
    attach(*b);
    EXPECT_EQ(tx(g, kIova).pa, g.pa(kBuf));
    EXPECT_EQ(tx(g, kIova, false, 1).pa, g.pa(kBuf));
    EXPECT_EQ(tx(*b, kIova).pa, b->pa(kBuf));
    ASSERT_TRUE(g.s1.set_desc(3, kIova, g.s1_page(kBuf + 0x10'0000)));
    g.publish(mem);
    ASSERT_TRUE(b->s1.set_desc(3, kIova, b->s1_page(kBuf + 0x10'0000)));
    b->publish(mem);
    sync_ok({tlbi_nh_vaa(g.vmid, kIova)});
    EXPECT_EQ(tx(g, kIova).pa, g.pa(kBuf + 0x10'0000)) << "ASID 1";
    EXPECT_EQ(tx(g, kIova, false, 1).pa, g.pa(kBuf + 0x10'0000)) << "ASID 2";
    EXPECT_EQ(tx(*b, kIova).pa, b->pa(kBuf)) << "VMID 2 survives";
}

// 4.4.3.x TLBI_S2_IPA: "not required to invalidate ... combined stage 1 and
// stage 2" entries. The host migrates a guest page and issues only
// TLBI_S2_IPA: the stage-2-only stream of the same VM sees the new PA, the
// nested stream keeps its combined entry (stale) until TLBI_NH_ALL.
TEST_F(NestedInval, Item4_S2Ipa_KeepsCombinedEntries_StaleUntilNhAll_4_4_3)
{
    Guest &g = *a;
    standard_guest(g);
    install(0x11, host_ste(g, 6)); // a second device of the VM, guest bypass
    EXPECT_EQ(tx(g, kIova).pa, g.pa(kBuf));
    EXPECT_EQ(tx(0x11, kBuf).pa, g.pa(kBuf));
    constexpr uint64_t kNewPa = 0x9000'0000;
    ASSERT_TRUE(g.s2.set_desc(2, kBuf, g.s2_block(kNewPa)));
    sync_ok({tlbi_s2_ipa(g.vmid, kBuf)});
    EXPECT_EQ(tx(0x11, kBuf).pa, kNewPa) << "stage-2-only entry removed";
    EXPECT_EQ(tx(g, kIova).pa, g.pa(kBuf)) << "combined entry survives TLBI_S2_IPA";
    sync_ok({cmd_tlbi_nh_all(g.vmid)});
    EXPECT_EQ(tx(g, kIova).pa, kNewPa);
}

// 4.4.3.x TLBI_S12_VMALL: every stage-1, stage-2 and combined entry of the
// VMID, none of another VMID.
TEST_F(NestedInval, Item4_S12Vmall_RemovesAllStagesOfVmidOnly_4_4_3)
{
    two_guests();
    install(0x11, host_ste(*a, 6));
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0));
    EXPECT_EQ(pa_of(*b, 0), old_pa(*b, 0));
    EXPECT_EQ(tx(0x11, kBuf).pa, a->pa(kBuf));
    ASSERT_TRUE(a->s2.set_desc(2, kBuf, a->s2_block(0x9000'0000)));
    ASSERT_TRUE(b->s2.set_desc(2, kBuf, b->s2_block(0x9200'0000)));
    sync_ok({tlbi_s12_vmall(a->vmid)});
    EXPECT_EQ(pa_of(*a, 0), 0x9000'0000u);
    EXPECT_EQ(tx(0x11, kBuf).pa, 0x9000'0000u);
    EXPECT_EQ(pa_of(*b, 0), old_pa(*b, 0)) << "VMID 2 survives";
}

// 4.4.1.1 range invalidation (IDR3.RIL): a forwarded guest TLBI_NH_VA with
// NUM = 1, SCALE = 0, TG = 4KB, TTL = 3 covers (NUM+1) * 2^SCALE = 2 pages.
TEST_F(NestedInval, Item4_ForwardedRangeNhVa_TwoPagesExactly_4_4_1_1)
{
    ASSERT_EQ(cfg.ril, 1u);
    two_guests(4);
    for (unsigned i = 0; i < 4; i++) {
        EXPECT_EQ(pa_of(*a, i), old_pa(*a, i));
        EXPECT_EQ(pa_of(*b, i), old_pa(*b, i));
        guest_remap(*a, i);
        guest_remap(*b, i);
    }
    sync_ok({tlbi_nh_va(a->vmid, 1, kIova + 0x1000, true, 1, 0, 1, 3)});
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0)) << "below the range";
    EXPECT_EQ(pa_of(*a, 1), new_pa(*a, 1));
    EXPECT_EQ(pa_of(*a, 2), new_pa(*a, 2));
    EXPECT_EQ(pa_of(*a, 3), old_pa(*a, 3)) << "above the range";
    for (unsigned i = 0; i < 4; i++)
        EXPECT_EQ(pa_of(*b, i), old_pa(*b, i)) << "VMID 2 page " << i;
}

// 4.3.3 CFGI_CD: the guest points its CD at new tables with a new ASID;
// the cached CD is used until the forwarded CFGI_CD + CMD_SYNC.
TEST_F(NestedInval, Item4_ForwardedCfgiCd_NewCdSeenOnlyAfterIt_4_3_3)
{
    two_guests();
    ASSERT_TRUE(a->s1b.map_s1(kIova, kBuf + 0x20'0000, 3, dma_rw()));
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0));
    a->put_cd(kCdTab, a->cd(3, &a->s1b));
    a->publish(mem);
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0)) << "cached CD (and TLB entry) still used";
    sync_ok({cfgi_cd(a->sid, 0)});
    EXPECT_EQ(pa_of(*a, 0), a->pa(kBuf + 0x20'0000));
    EXPECT_EQ(pa_of(*b, 0), old_pa(*b, 0));
}

// 4.3.4 CFGI_CD_ALL: every CD of the StreamID.
TEST_F(NestedInval, Item4_ForwardedCfgiCdAll_4_3_4)
{
    two_guests();
    ASSERT_TRUE(a->s1b.map_s1(kIova, kBuf + 0x20'0000, 3, dma_rw()));
    EXPECT_EQ(pa_of(*a, 0), old_pa(*a, 0));
    a->put_cd(kCdTab, a->cd(4, &a->s1b));
    a->publish(mem);
    sync_ok({cfgi_cd_all(a->sid)});
    EXPECT_EQ(pa_of(*a, 0), a->pa(kBuf + 0x20'0000));
}

// =========================================================================
// Item 5: MSI through a nested domain (an MSI is an ordinary write).
// =========================================================================

class NestedMsi : public NestedFlow {
  protected:
    void setup(bool s1_map, bool s2_map)
    {
        Guest &g = *a;
        g.map_ram();
        if (s1_map) { // guest: MSI IOVA -> guest doorbell (IPA)
            ASSERT_TRUE(g.s1.map_s1(kMsiIova, kGuestDoorbell, 3, dma_rw()));
        }
        if (s2_map) { // host: guest doorbell -> host doorbell (Device memory)
            S2Attrs dev;
            dev.memattr = 0x1; // Device-nGnRE
            dev.xn = 2;
            ASSERT_TRUE(g.s2.map_s2(kGuestDoorbell, kHostDoorbell, 3, dev));
        }
        g.put_cd(kCdTab, g.cd());
        g.publish(mem);
        attach(g);
    }
};

TEST_F(NestedMsi, Item5_MsiWriteTranslatedByBothStages_HostDoorbell_3_3)
{
    setup(true, true);
    auto r = tx(*a, kMsiIova + kDoorbellOff, true);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, kHostDoorbell + kDoorbellOff);
    expect_no_record();
}

TEST_F(NestedMsi, Item5_NoGuestStage1Mapping_FaultsAtStage1_7_3_13)
{
    setup(false, true);
    tx(*a, kMsiIova + kDoorbellOff, true);
    expect_one_record(rec(*a, SMMU_EVT_F_TRANSLATION, kMsiIova + kDoorbellOff, true));
}

TEST_F(NestedMsi, Item5_NoHostStage2Mapping_FaultsAtStage2_ClassIN_7_3_13)
{
    setup(true, false);
    tx(*a, kMsiIova + kDoorbellOff, true);
    Rec w = rec(*a, SMMU_EVT_F_TRANSLATION, kMsiIova + kDoorbellOff, true);
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.ipa = kGuestDoorbell;
    expect_one_record(w);
}

// =========================================================================
// Item 6: HTTU (3.13, 5.2 S2HA/S2HD, 5.4 HA/HD; Arm ARM D8.5).
// =========================================================================

// Memory callbacks that count compare-and-swap calls (HTTU updates must be
// atomic read-modify-writes through cas64: 3.13, D8.5.1.2 R_LFTXR).
struct CasSpy {
    SimMem *m = nullptr;
    unsigned cas = 0;
    std::vector<uint64_t> cas_pa;
    static int rd(void *c, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t k, uint32_t *lat)
    {
        auto *s = static_cast<CasSpy *>(c);
        return s->m->ops()->read(s->m->ctx(), pa, buf, len, k, lat);
    }
    static int wr(void *c, uint64_t pa, const void *buf, uint32_t len, smmu_access_kind_t k,
                  uint32_t *lat)
    {
        auto *s = static_cast<CasSpy *>(c);
        return s->m->ops()->write(s->m->ctx(), pa, buf, len, k, lat);
    }
    static int cas64(void *c, uint64_t pa, uint64_t exp, uint64_t des, uint64_t *old)
    {
        auto *s = static_cast<CasSpy *>(c);
        s->cas++;
        s->cas_pa.push_back(pa);
        return s->m->ops()->cas64(s->m->ctx(), pa, exp, des, old);
    }
    static void irq(void *c, smmu_irq_t i) { auto *s = static_cast<CasSpy *>(c); s->m->ops()->raise_irq(s->m->ctx(), i); }
    static void ev(void *c, const smmu_event_t *e, int r)
    {
        auto *s = static_cast<CasSpy *>(c);
        s->m->ops()->on_event(s->m->ctx(), e, r);
    }
};

class NestedHttu : public NestedFlow {
  protected:
    CasSpy spy;
    smmu_mem_ops_t ops{};
    void configure(smmu_config_t &c) override { c.httu = 2; }
    void SetUp() override
    {
        SmmuTest::SetUp(); // creates an instance with cfg (httu = 2)
        spy.m = &mem;
        ops = smmu_mem_ops_t{0, CasSpy::rd, CasSpy::wr, CasSpy::cas64, CasSpy::irq, CasSpy::ev, nullptr, nullptr, nullptr, nullptr, nullptr};
        smmu_destroy(smmu);
        char msg[256] = "";
        smmu = smmu_create(&cfg, &ops, &spy, msg, sizeof msg);
        ASSERT_NE(smmu, nullptr) << msg;
        boot();
        a = std::make_unique<Guest>(mem, 0x10, 1, kRamA, kS2TablesA);
        b = std::make_unique<Guest>(mem, 0x20, 2, kRamB, kS2TablesB);
    }
    // Guest A: RAM mapped (stage-2 attrs per block as given), kIova -> kBuf
    // page with stage-1 attributes s1a, CD with HA/HD, STE with S2HA/S2HD.
    void setup(const S1Attrs &s1a, bool ha, bool hd, bool s2ha = false, bool s2hd = false)
    {
        Guest &g = *a;
        g.map_ram();
        ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, s1a));
        g.put_cd(kCdTab, g.cd().ha(ha).hd(hd));
        g.publish(mem);
        install(g.sid, host_ste(g).s2ha(s2ha).s2hd(s2hd));
    }
    // The guest's stage-1 leaf for kIova as the SMMU sees it (at its PA).
    uint64_t s1_leaf_pa() { return a->pa(a->s1.table_addr(3, kIova)); }
    uint64_t s1_leaf() { return mem.read64(s1_leaf_pa()); }
    uint64_t s2_block(uint64_t ipa) { return a->s2.get_desc(2, ipa); }
};

S1Attrs af0(S1Attrs a)
{
    a.af = 0;
    return a;
}
// Writable-clean (D8.5.2.1 R_XZFQH): DBM = 1, AP[2] = 1 (EL0 read-only).
S1Attrs clean()
{
    S1Attrs a = dma_rw();
    a.ap = 3;
    a.dbm = 1;
    return a;
}

// 3.13.2: HA = 1, AF = 0: no F_ACCESS; AF set in the descriptor at its PA
// (nested: the PA stage 2 gives for the descriptor's IPA) by an atomic
// update; nothing else in the descriptor changes; the IPA is not written.
TEST_F(NestedHttu, Item6_S1Ha_SetsAfAtomically_NoFAccess_3_13_2)
{
    setup(af0(dma_rw()), true, false);
    uint64_t before = s1_leaf();
    ASSERT_EQ(before & kAF, 0u);
    auto r = tx(*a, kIova + 0x10);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, a->pa(kBuf) + 0x10);
    expect_no_record();
    EXPECT_EQ(s1_leaf(), before | kAF);
    EXPECT_GE(spy.cas, 1u);
    bool at_leaf = false;
    for (uint64_t pa : spy.cas_pa)
        at_leaf |= pa == s1_leaf_pa();
    EXPECT_TRUE(at_leaf) << "cas64 at the descriptor's PA";
    EXPECT_EQ(mem.read64(a->s1.table_addr(3, kIova)), 0u) << "nothing written at the IPA";
}

// 3.13.2: HTTU supported but HA = 0: F_ACCESS, descriptor untouched.
TEST_F(NestedHttu, Item6_S1HaZero_FAccess_DescriptorUnchanged_3_13_2)
{
    setup(af0(dma_rw()), false, false);
    uint64_t before = s1_leaf();
    tx(*a, kIova);
    expect_one_record(rec(*a, SMMU_EVT_F_ACCESS, kIova, false));
    EXPECT_EQ(s1_leaf(), before);
    EXPECT_EQ(spy.cas, 0u);
}

// 3.13.3.1: HD = 1, writable-clean page: a write clears AP[2] (writable-
// dirty) instead of faulting; DBM stays 1.
TEST_F(NestedHttu, Item6_S1Hd_WriteToWritableClean_ClearsAp2_KeepsDbm_3_13_3)
{
    setup(clean(), true, true);
    uint64_t before = s1_leaf();
    auto r = tx(*a, kIova + 0x20, true);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, a->pa(kBuf) + 0x20);
    expect_no_record();
    EXPECT_EQ(s1_leaf(), before & ~kAP2);
    EXPECT_NE(s1_leaf() & kDBM, 0u);
}

// D8.5.2.1 R_RNMLQ: only a write marks dirty; reads leave it clean.
TEST_F(NestedHttu, Item6_S1Hd_ReadDoesNotMarkDirty_D8_5_2)
{
    setup(clean(), true, true);
    uint64_t before = s1_leaf();
    EXPECT_EQ(tx(*a, kIova).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(s1_leaf(), before);
}

// D8.5.2.1 R_SGJBL: a read fills the TLB with the clean descriptor; a later
// write must still mark it dirty and succeed (not fault from the cached copy).
TEST_F(NestedHttu, Item6_S1Hd_WriteAfterReadHit_MarksDirty_D8_5_2)
{
    setup(clean(), true, true);
    uint64_t before = s1_leaf();
    EXPECT_EQ(tx(*a, kIova).outcome, SMMU_XLATE_OK);
    auto r = tx(*a, kIova + 8, true);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(s1_leaf(), before & ~kAP2);
    expect_no_record();
}

// D8.5.2.1 R_PZFQC: DBM = 0 read-only page: the write faults at stage 1;
// the SMMU never makes a descriptor writable unless DBM == 1 (3.13.3.1).
TEST_F(NestedHttu, Item6_S1Hd_DbmZeroReadOnly_FPermission_Unchanged_3_13_3)
{
    S1Attrs ro = dma_rw();
    ro.ap = 3;
    setup(ro, true, true);
    uint64_t before = s1_leaf();
    tx(*a, kIova, true);
    expect_one_record(rec(*a, SMMU_EVT_F_PERMISSION, kIova, true));
    EXPECT_EQ(s1_leaf(), before);
}

// 5.4 {HD, HA} = 0b01: AF only. A write to a writable-clean page faults.
TEST_F(NestedHttu, Item6_S1HaOnly_WriteToWritableClean_FPermission_5_4)
{
    setup(clean(), true, false);
    uint64_t before = s1_leaf();
    tx(*a, kIova, true);
    expect_one_record(rec(*a, SMMU_EVT_F_PERMISSION, kIova, true));
    EXPECT_EQ(s1_leaf(), before);
}

// 5.4 {HD, HA} = 0b10 is reserved and behaves as 0b00: AF = 0 faults.
TEST_F(NestedHttu, Item6_S1HdWithoutHa_BehavesAsDisabled_FAccess_5_4)
{
    S1Attrs c = af0(clean());
    setup(c, false, true);
    uint64_t before = s1_leaf();
    tx(*a, kIova, true);
    expect_one_record(rec(*a, SMMU_EVT_F_ACCESS, kIova, true));
    EXPECT_EQ(s1_leaf(), before);
}

// D8.5.2.1 R_PRHKD / I_DSHLJ: AF = 0 and writable-clean, write: the
// descriptor ends with AF = 1 and AP[2] = 0 (never dirty with AF clear).
TEST_F(NestedHttu, Item6_S1AfZeroAndClean_Write_SetsAfAndDirty_D8_5_2)
{
    setup(af0(clean()), true, true);
    uint64_t before = s1_leaf();
    ASSERT_EQ(tx(*a, kIova, true).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(s1_leaf(), (before | kAF) & ~kAP2);
}

// 3.13.2 / 3.13.3.1: the SMMU never clears AF, never sets AP[2], never
// changes DBM: a writable-dirty page is left exactly as it is.
TEST_F(NestedHttu, Item6_NeverClearsAfNeverSetsAp2NeverChangesDbm_3_13)
{
    S1Attrs dirty = dma_rw();
    dirty.dbm = 1; // AP = 0b01, AF = 1: writable-dirty
    setup(dirty, true, true, true, true);
    uint64_t s1_before = s1_leaf(), s2_before = s2_block(kBuf);
    for (int i = 0; i < 2; i++) {
        EXPECT_EQ(tx(*a, kIova, false).outcome, SMMU_XLATE_OK);
        EXPECT_EQ(tx(*a, kIova, true).outcome, SMMU_XLATE_OK);
    }
    EXPECT_EQ(s1_leaf(), s1_before);
    EXPECT_EQ(s2_block(kBuf), s2_before);
}

// 5.2 S2HA: stage-2 AF = 0 on the output IPA is set by hardware.
TEST_F(NestedHttu, Item6_S2Ha_SetsStage2AfOnOutputIpa_3_13_2)
{
    setup(dma_rw(), false, false, true, false);
    S2Attrs noaf;
    noaf.af = 0;
    ASSERT_TRUE(a->s2.set_desc(2, kBuf, a->s2_block(a->pa(kBuf), noaf)));
    uint64_t before = s2_block(kBuf);
    auto r = tx(*a, kIova);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(s2_block(kBuf), before | kAF);
    expect_no_record();
}

// 3.13.3.1: S2HD, writable-clean stage-2 block (DBM = 1, S2AP = 0b01): a
// write sets S2AP[1]; DBM unchanged.
TEST_F(NestedHttu, Item6_S2Hd_WriteToWritableClean_SetsS2ap1_3_13_3)
{
    setup(dma_rw(), false, false, true, true);
    S2Attrs c;
    c.s2ap = 1;
    c.dbm = 1;
    ASSERT_TRUE(a->s2.set_desc(2, kBuf, a->s2_block(a->pa(kBuf), c)));
    uint64_t before = s2_block(kBuf);
    auto r = tx(*a, kIova + 0x30, true);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, a->pa(kBuf) + 0x30);
    EXPECT_EQ(s2_block(kBuf), before | kS2AP1);
    expect_no_record();
}

// 3.13.2 ("includes stage 2 translation for the fetch of an L1CD or CD")
// and 3.13.3.1 ("never sets S2AP[1] == 1 for the stage 2 translation for
// the fetch of an L1CD or CD"): the CD's block is writable-clean with AF = 0.
TEST_F(NestedHttu, Item6_S2ForCdFetch_SetsAfNeverDirty_3_13_3)
{
    setup(dma_rw(), false, false, true, true);
    S2Attrs c;
    c.s2ap = 1;
    c.dbm = 1;
    c.af = 0;
    ASSERT_TRUE(a->s2.set_desc(2, kCdTab, a->s2_block(a->pa(kCdTab), c)));
    uint64_t before = s2_block(kCdTab);
    auto r = tx(*a, kIova, true);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(s2_block(kCdTab), before | kAF);
}

// 3.13.5 / D8.5.2.1 R_BDJJL: a stage-1 descriptor update is a write through
// stage 2. The guest's table block is read-only at stage 2 (DBM = 0): the
// AF update gets a stage-2 F_PERMISSION, CLASS = TT, TTRnW = 0 (7.3.16),
// IPA = the stage-1 descriptor's IPA, RnW of the input (a read).
TEST_F(NestedHttu, Item6_S1UpdateThroughReadOnlyStage2_S2PermissionTT_TTRnW0_3_13_5)
{
    setup(af0(dma_rw()), true, false);
    S2Attrs ro;
    ro.s2ap = 1;
    ASSERT_TRUE(a->s2.set_desc(2, kGuestPt, a->s2_block(a->pa(kGuestPt), ro)));
    uint64_t before = s1_leaf();
    auto r = tx(*a, kIova);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(*a, SMMU_EVT_F_PERMISSION, kIova, false);
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.ttrnw = false;
    w.ipa = a->s1.table_addr(3, kIova);
    expect_one_record(w);
    EXPECT_EQ(s1_leaf(), before);
}

// D8.5.2.1 R_BDJJL: the stage-2 translation of the stage-1 table is
// writable-clean with S2HD: it becomes writable-dirty and the stage-1 AF
// update happens.
TEST_F(NestedHttu, Item6_S1UpdateThroughWritableCleanStage2_MarksS2Dirty_D8_5_2)
{
    setup(af0(dma_rw()), true, false, true, true);
    S2Attrs c;
    c.s2ap = 1;
    c.dbm = 1;
    ASSERT_TRUE(a->s2.set_desc(2, kGuestPt, a->s2_block(a->pa(kGuestPt), c)));
    uint64_t s1_before = s1_leaf(), s2_before = s2_block(kGuestPt);
    auto r = tx(*a, kIova);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(s1_leaf(), s1_before | kAF);
    EXPECT_EQ(s2_block(kGuestPt), s2_before | kS2AP1);
}

// 5.4 / 5.2 ILLEGAL conditions: HA with IDR0.HTTU = 0b00, HD with
// IDR0.HTTU < 0b10; STE.S2HA / S2HD likewise.
using NestedHttuIllegal = NestedFlow; // IDR0.HTTU = 0b00 (default)

TEST_F(NestedHttuIllegal, Item6_CdHaWithoutHttu_CBadCd_5_4)
{
    ASSERT_EQ(cfg.httu, 0u);
    Guest &g = *a;
    g.map_ram();
    g.put_cd(kCdTab, g.cd().ha());
    g.publish(mem);
    attach(g);
    EXPECT_EQ(tx(g, kIova).event, SMMU_EVT_C_BAD_CD);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_C_BAD_CD));
    EXPECT_EQ(ev[0][1], g.sid);
}

TEST_F(NestedHttuIllegal, Item6_SteS2HaWithoutHttu_CBadSte_5_2)
{
    Guest &g = *a;
    g.map_ram();
    install(g.sid, host_ste(g, 6).s2ha());
    EXPECT_EQ(tx(g, kBuf).event, SMMU_EVT_C_BAD_STE);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_C_BAD_STE));
    EXPECT_EQ(ev[0][1], g.sid);
}

class NestedHttuAfOnly : public NestedFlow {
    void configure(smmu_config_t &c) override { c.httu = 1; }
};

TEST_F(NestedHttuAfOnly, Item6_CdHdWithHttuAfOnly_CBadCd_5_4)
{
    Guest &g = *a;
    g.map_ram();
    g.put_cd(kCdTab, g.cd().ha().hd());
    g.publish(mem);
    attach(g);
    EXPECT_EQ(tx(g, kIova).event, SMMU_EVT_C_BAD_CD);
}

TEST_F(NestedHttuAfOnly, Item6_SteS2HdWithHttuAfOnly_CBadSte_5_2)
{
    Guest &g = *a;
    g.map_ram();
    install(g.sid, host_ste(g, 6).s2ha().s2hd());
    EXPECT_EQ(tx(g, kBuf).event, SMMU_EVT_C_BAD_STE);
}

TEST_F(NestedHttuAfOnly, Item6_CdHaWithHttuAfOnly_SetsAf_3_13_2)
{
    Guest &g = *a;
    g.map_ram();
    ASSERT_TRUE(g.s1.map_s1(kIova, kBuf, 3, af0(dma_rw())));
    g.put_cd(kCdTab, g.cd().ha());
    g.publish(mem);
    attach(g);
    uint64_t pa = g.pa(g.s1.table_addr(3, kIova));
    uint64_t before = mem.read64(pa);
    ASSERT_EQ(tx(g, kIova).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(mem.read64(pa), before | kAF);
}

} // namespace
} // namespace smmutest
