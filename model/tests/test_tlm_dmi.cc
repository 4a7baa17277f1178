// SPDX-License-Identifier: Apache-2.0
// TlmDmi: direct memory interface (IEEE 1666-2011 11.2). A grant is a
// cached translation: it is withdrawn (invalidate_direct_mem_ptr) for
// exactly the grants an SMMU invalidation hits, before the CMD_SYNC that
// follows completes (3.21, 4.3, 4.7.3).
#include "tlm_harness.h"

using namespace tlmtest;

namespace {
smmu_config_t cfg_httu(unsigned httu)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.httu = uint8_t(httu);
    return c;
}
smmu_cmd_t cmd(unsigned op)
{
    smmu_cmd_t c = {};
    c.opcode = uint8_t(op);
    return c;
}
} // namespace

// The grant is the translated 4KB page in IOVA space, pointing at the
// memory's bytes for the page's PA, read/write, with the target's latencies.
TEST(TlmDmi, GrantCoversTranslatedPage)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x1234, d));
        EXPECT_EQ(d.get_start_address(), kIova + 0x1000);
        EXPECT_EQ(d.get_end_address(), kIova + 0x1FFF);
        EXPECT_EQ(d.get_dmi_ptr(), &p.mem.bytes[0x801000]);
        EXPECT_EQ(d.get_granted_access(), tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
        EXPECT_EQ(d.get_read_latency(), sc_time(3, SC_NS));
        EXPECT_EQ(d.get_write_latency(), sc_time(4, SC_NS));
        EXPECT_EQ(p.smmu.dmi_grants(), 1u);
    });
}

// D8.4 AP[2] = 1: a read-only page is granted for reads only.
TEST(TlmDmi, ReadOnlyPageGrantsReadOnly)
{
    Platform p;
    standard_tables(p);
    p.map(3, kIova + 0x10000, 0x810000, 0x1000, SMMU_BUILD_R | SMMU_BUILD_USER);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x10000, d));
        EXPECT_EQ(d.get_granted_access(), tlm::tlm_dmi::DMI_ACCESS_READ);
        EXPECT_EQ(d.get_dmi_ptr(), &p.mem.bytes[0x810000]);
    });
}

// The grant is the intersection of the page with the downstream grant:
// memory grants PA [0x801400, 0x8017FF] only.
TEST(TlmDmi, GrantIntersectsDownstreamGrant)
{
    Platform p;
    standard_tables(p);
    p.mem.dmi_lo = 0x801400;
    p.mem.dmi_hi = 0x8017FF;
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x1500, d));
        EXPECT_EQ(d.get_start_address(), kIova + 0x1400);
        EXPECT_EQ(d.get_end_address(), kIova + 0x17FF);
        EXPECT_EQ(d.get_dmi_ptr(), &p.mem.bytes[0x801400]);
    });
}

// 3.13.2 / D8.4.6: with HTTU dirty state, a writable-clean page (AP RO +
// DBM) is granted read-only (a DMI write would bypass the dirty update);
// after one write through b_transport sets it dirty, read/write.
TEST(TlmDmi, NoWriteGrantOnCleanDbmPage)
{
    smmu_config_t c = cfg_httu(2);
    Platform p(&c);
    p.add_stream(3, [](smmu_build_cd_t &cd) {
        cd.ha = 1;
        cd.hd = 1;
    });
    smmu_build_attr_t a = {};
    a.ng = 1;
    a.dbm = 1;
    p.map(3, kIova, kPa, 0x1000, SMMU_BUILD_R | SMMU_BUILD_USER, &a);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova, d, tlm::TLM_WRITE_COMMAND));
        EXPECT_EQ(d.get_granted_access(), tlm::tlm_dmi::DMI_ACCESS_READ);
        uint32_t v = 1;
        EXPECT_EQ(p.dev0.write(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(p.stats().httu_updates, 1u);
        tlm::tlm_dmi d2;
        ASSERT_TRUE(p.dev0.dmi(kIova, d2, tlm::TLM_WRITE_COMMAND));
        EXPECT_EQ(d2.get_granted_access(), tlm::tlm_dmi::DMI_ACCESS_READ_WRITE);
    });
}

// 3.13.2: with HA, a page whose AF is 0 gets no grant (the first real
// access must set AF); after one b_transport it is granted.
TEST(TlmDmi, NoGrantWhileAccessFlagWouldBeSet)
{
    smmu_config_t c = cfg_httu(1);
    Platform p(&c);
    p.add_stream(3, [](smmu_build_cd_t &cd) { cd.ha = 1; });
    smmu_build_attr_t a = {};
    a.ng = 1;
    a.no_af = 1;
    p.map(3, kIova, kPa, 0x1000, SMMU_BUILD_R | SMMU_BUILD_W | SMMU_BUILD_USER, &a);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        EXPECT_FALSE(p.dev0.dmi(kIova, d));
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_TRUE(p.dev0.dmi(kIova, d));
    });
}

// No grant when the configuration cache is off (cfg_cache_entries == 0):
// nothing would hold the translation the grant stands for.
TEST(TlmDmi, NoGrantWithConfigCacheOff)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.cfg_cache_entries = 0;
    Platform p(&c);
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        EXPECT_FALSE(p.dev0.dmi(kIova, d));
        EXPECT_EQ(p.smmu.dmi_grants(), 0u);
    });
}

// Nor when both the TLB and the micro-TLB are off.
TEST(TlmDmi, NoGrantWithTlbsOff)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.tlb_sets = 0;
    c.utlb_entries = 0;
    Platform p(&c);
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        EXPECT_FALSE(p.dev0.dmi(kIova, d));
    });
}

// Permissions that differ with the socket's privilege: a privileged-only
// page (AP[1] = 0) translates for privileged traffic but a grant would
// also serve unprivileged accesses: no grant.
TEST(TlmDmi, NoGrantWhenPrivilegeChangesPermissions)
{
    Platform p;
    p.add_stream(3);
    p.map(3, kIova, kPa, 0x1000, SMMU_BUILD_R | SMMU_BUILD_W);
    smmu::sideband sb;
    sb.sid = 3;
    sb.priv = true;
    p.smmu.set_default_sideband(0, sb);
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        tlm::tlm_dmi d;
        EXPECT_FALSE(p.dev0.dmi(kIova, d));
    });
}

// 4.4.2 CMD_TLBI_NH_VA: unmapping page 0x40001000 and issuing TLBI_NH_VA
// + CMD_SYNC withdraws exactly that grant, while CMDQ_CONS has not passed
// the CMD_SYNC; the grant of another page stays.
TEST(TlmDmi, InvalidatedByTlbiNhVaBeforeSync)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x1000, d));
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x2000, d));
        const uint32_t prod0 = uint32_t(p.rd(SMMU_CMDQ_PROD));
        uint64_t cons_at = ~0ull;
        p.dev0.on_invalidate = [&](uint64_t, uint64_t) {
            smmu_mmio_read(p.smmu.core(), SMMU_CMDQ_CONS, 4, &cons_at);
        };
        p.unmap(3, kIova + 0x1000, 0x1000); // TLBI_NH_VA at prod0, CMD_SYNC at prod0 + 1
        ASSERT_EQ(p.dev0.invalidations.size(), 1u);
        EXPECT_EQ(p.dev0.invalidations[0].first, kIova + 0x1000);
        EXPECT_EQ(p.dev0.invalidations[0].second, kIova + 0x1FFF);
        EXPECT_LE(cons_at, prod0) << "withdrawn before CMD_SYNC was consumed";
        EXPECT_EQ(p.smmu.dmi_grants(), 1u);
    });
}

// A TLBI of an address with no grant withdraws nothing.
TEST(TlmDmi, TlbiOfOtherAddressKeepsGrant)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x1000, d));
        p.unmap(3, kIova + 0x3000, 0x1000);
        EXPECT_TRUE(p.dev0.invalidations.empty());
        EXPECT_EQ(p.smmu.dmi_grants(), 1u);
    });
}

// 4.3.1 CMD_CFGI_STE: the grants of StreamID 3 go; CFGI_STE of StreamID
// 9 leaves them.
TEST(TlmDmi, InvalidatedByCfgiSteOfItsStream)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova, d));
        smmu_cmd_t c = cmd(SMMU_CMD_CFGI_STE);
        c.sid = 9;
        p.submit({c, cmd(SMMU_CMD_SYNC)});
        EXPECT_TRUE(p.dev0.invalidations.empty());
        c.sid = 3;
        p.submit({c, cmd(SMMU_CMD_SYNC)});
        ASSERT_EQ(p.dev0.invalidations.size(), 1u);
        EXPECT_EQ(p.dev0.invalidations[0], std::make_pair(kIova, kIova + 0xFFF));
    });
}

// 4.4 CMD_TLBI_S2_IPA: an IPA cannot be mapped back to an IOVA, so every
// grant goes.
TEST(TlmDmi, TlbiS2IpaDropsEveryGrant)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova, d));
        ASSERT_TRUE(p.dev1.dmi(kIova, d));
        smmu_cmd_t c = cmd(SMMU_CMD_TLBI_S2_IPA);
        c.addr = 0x5000;
        p.submit({c, cmd(SMMU_CMD_SYNC)});
        EXPECT_EQ(p.dev0.invalidations.size(), 1u);
        EXPECT_EQ(p.dev1.invalidations.size(), 1u);
        EXPECT_EQ(p.smmu.dmi_grants(), 0u);
    });
}

// 6.3.9: clearing CR0.SMMUEN changes every translation: grants go.
TEST(TlmDmi, InvalidatedBySmmuenClear)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova, d));
        p.cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
        ASSERT_EQ(p.dev0.invalidations.size(), 1u);
        EXPECT_EQ(p.dev0.invalidations[0], std::make_pair(kIova, kIova + 0xFFF));
    });
}

// 6.3.14 GBPA and 6.3.24 STRTAB_BASE: with SMMUEN = 0 and GBPA.ABORT = 0
// traffic bypasses and is granted DMI at PA = IOVA; a GBPA write (Abort)
// and, for a new grant, a STRTAB_BASE write withdraw it.
TEST(TlmDmi, InvalidatedByGbpaAndStrtabBaseWrites)
{
    Platform p;
    run([&] {
        p.wr(SMMU_GBPA, SMMU_GBPA_UPDATE);
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(0x801000, d));
        EXPECT_EQ(d.get_dmi_ptr(), &p.mem.bytes[0x801000]);
        p.wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
        ASSERT_EQ(p.dev0.invalidations.size(), 1u) << "GBPA";
        p.wr(SMMU_GBPA, SMMU_GBPA_UPDATE);
        ASSERT_TRUE(p.dev0.dmi(0x801000, d));
        p.wr(SMMU_STRTAB_BASE, smmu_build_strtab_base_reg(&p.st), 8);
        ASSERT_EQ(p.dev0.invalidations.size(), 2u)
            << "GBPA (Abort), STRTAB_BASE; the GBPA write back to bypass had no grant to drop";
        EXPECT_EQ(p.smmu.dmi_grants(), 0u);
    });
}

// A downstream target withdrawing PA [0x801000, 0x801FFF] withdraws the
// grants over it, upstream in IOVA space; an unrelated PA range nothing.
TEST(TlmDmi, DownstreamInvalidationForwardedInIova)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x1000, d));
        p.mem.sock->invalidate_direct_mem_ptr(0xC00000, 0xC00FFF);
        EXPECT_TRUE(p.dev0.invalidations.empty());
        p.mem.sock->invalidate_direct_mem_ptr(0x801800, 0x801803);
        ASSERT_EQ(p.dev0.invalidations.size(), 1u);
        EXPECT_EQ(p.dev0.invalidations[0], std::make_pair(kIova + 0x1000, kIova + 0x1FFF));
    });
}

// A grant is usable: bytes written through the DMI pointer are what a
// b_transport read through the SMMU returns.
TEST(TlmDmi, GrantedPointerAliasesTranslatedMemory)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova + 0x2000, d, tlm::TLM_WRITE_COMMAND));
        const uint32_t v = 0xFEEDF00D;
        std::memcpy(d.get_dmi_ptr() + 0x40, &v, 4);
        uint32_t got = 0;
        EXPECT_EQ(p.dev0.read(kIova + 0x2040, &got, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(got, v);
    });
}
