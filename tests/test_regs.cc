// Register file (IHI 0070 G.b 6.2, 6.3), global errors (7.5).
#include "support/fixture.h"

extern "C" {
#include "irq.h"
#include "queue.h"
#include "regs.h"
#include "smmu_internal.h"
}

using namespace smmutest;

namespace {

class Regs : public SmmuTest {};

// ---- 6.3.1-6.3.8: ID registers from the configuration ----

TEST_F(Regs, Idr0_DefaultV32_Fields_6_3_1)
{
    // S2P S1P TTF=0b10 COHACC Hyp ASID16 MSI SEV VMID16 CD2L ST_LEVEL=1 STALL_MODEL=1
    uint32_t exp = 1u << 0 | 1u << 1 | 2u << 2 | 1u << 4 | 1u << 9 | 1u << 12 | 1u << 13 |
                   1u << 14 | 1u << 18 | 1u << 19 | 1u << 24 | 1u << 27;
    EXPECT_EQ(rd(SMMU_IDR0), exp);
}

TEST_F(Regs, Idr0_EveryFieldFromConfig_6_3_1)
{
    // A stage-1-only v3.2 SMMU (Hyp and VMW are RES0 without stage 2, 6.3.1;
    // a linear-only stream table needs SIDSIZE < 7, 6.3.2).
    cfg.s2p = 0;
    cfg.s1p = 1;
    cfg.xnx = 1;
    cfg.hyp = 0;
    cfg.vmid16 = 0;
    cfg.btm = 1;
    cfg.httu = 2;
    cfg.dormhint = 1;
    cfg.ttendian = 2;
    cfg.term_model = 1;
    cfg.st_level = 0;
    cfg.sidsize = 6;
    cfg.cohacc = 0;
    cfg.msi = 0;
    cfg.sev = 0;
    recreate();
    uint32_t exp = 1u << 1 | 2u << 2 | 1u << 5 | 2u << 6 | 1u << 8 | 1u << 12 | 1u << 19 |
                   2u << 21 | 1u << 24 | 1u << 26;
    EXPECT_EQ(rd(SMMU_IDR0), exp);
}

TEST_F(Regs, Idr1_Fields_6_3_2)
{
    cfg.sidsize = 12;
    cfg.ssidsize = 7;
    cfg.cmdqs = 10;
    cfg.eventqs = 9;
    cfg.priqs = 8;
    cfg.attr_types_ovr = 1;
    cfg.attr_perms_ovr = 1;
    recreate();
    uint32_t exp = 12u | 7u << 6 | 8u << 11 | 9u << 16 | 10u << 21 | 1u << 26 | 1u << 27;
    EXPECT_EQ(rd(SMMU_IDR1), exp);
}

TEST_F(Regs, Idr2_BaVatosRes0WithoutVatos_6_3_3)
{
    cfg.ba_vatos = 0x155;
    recreate();
    EXPECT_EQ(rd(SMMU_IDR2), 0u);
}

TEST_F(Regs, Idr3_Fields_6_3_4)
{
    cfg.e0pd = 1;
    cfg.ptwnnc = 1;
    cfg.bbml = 2;
    recreate();
    // HAD XNX FWB RIL BBML=2 E0PD PTWNNC (PPS is RES0 without PRI)
    uint32_t exp = 1u << 2 | 1u << 4 | 1u << 8 | 1u << 10 | 2u << 11 | 1u << 13 | 1u << 14;
    EXPECT_EQ(rd(SMMU_IDR3), exp);
}

TEST_F(Regs, Idr4IsZero_6_3_5) { EXPECT_EQ(rd(SMMU_IDR4), 0u); }

TEST_F(Regs, Idr5_Fields_6_3_6)
{
    cfg.oas = 6;
    cfg.vax = 1;
    cfg.gran16k = 0;
    cfg.stall_max = 0x40; // RES0 with STALL_MODEL == 0b01
    recreate();
    EXPECT_EQ(rd(SMMU_IDR5), 6u | 1u << 4 | 1u << 6 | 1u << 10);
}

TEST_F(Regs, Iidr_Fields_6_3_7)
{
    cfg.iidr_implementer = 0x43B;
    cfg.iidr_revision = 3;
    cfg.iidr_variant = 2;
    cfg.iidr_productid = 0x5A;
    recreate();
    EXPECT_EQ(rd(SMMU_IIDR), 0x5Au << 20 | 2u << 16 | 3u << 12 | 0x43Bu);
}

TEST_F(Regs, Aidr_ArchMinorRev_6_3_8)
{
    EXPECT_EQ(rd(SMMU_AIDR), 0x02u);
    smmu_config_default(&cfg, SMMU_ARCH_V3_1);
    recreate();
    EXPECT_EQ(rd(SMMU_AIDR), 0x01u);
}

TEST_F(Regs, IdRegistersAreReadOnly_6_2)
{
    uint32_t idr0 = uint32_t(rd(SMMU_IDR0));
    wr(SMMU_IDR0, 0);
    wr(SMMU_AIDR, 0xFF);
    EXPECT_EQ(rd(SMMU_IDR0), idr0);
    EXPECT_EQ(rd(SMMU_AIDR), 2u);
}

// ---- Reset values ----

TEST_F(Regs, ResetValues_6_3)
{
    EXPECT_EQ(rd(SMMU_CR0), 0u);
    EXPECT_EQ(rd(SMMU_CR0ACK), 0u);
    EXPECT_EQ(rd(SMMU_CR1), 0u);
    EXPECT_EQ(rd(SMMU_CR2), 0u);
    EXPECT_EQ(rd(SMMU_STATUSR), 0u);
    EXPECT_EQ(rd(SMMU_GBPA), uint64_t(SMMU_GBPA_ABORT)); // default deny, Update = 0
    EXPECT_EQ(rd(SMMU_AGBPA), 0u);
    EXPECT_EQ(rd(SMMU_IRQ_CTRL), 0u);
    EXPECT_EQ(rd(SMMU_IRQ_CTRLACK), 0u);
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
    EXPECT_EQ(rd(SMMU_GERRORN), 0u);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG0, 8), 0u);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG1), 0u);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG2), 0u);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), 0u);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE_CFG), 0u);
    EXPECT_EQ(rd(SMMU_CMDQ_BASE, 8), 0u);
    EXPECT_EQ(rd(SMMU_CMDQ_PROD), 0u);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_BASE, 8), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_IRQ_CFG0, 8), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_IRQ_CFG1), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_IRQ_CFG2), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_BASE, 8), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_CONS), 0u);
}

TEST_F(Regs, SmmuResetRestoresResetValues_6_3)
{
    wr(SMMU_CR2, SMMU_CR2_RECINVSID);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    smmu_reset(smmu);
    EXPECT_EQ(rd(SMMU_CR0), 0u);
    EXPECT_EQ(rd(SMMU_CR0ACK), 0u);
    EXPECT_EQ(rd(SMMU_CR2), 0u);
}

TEST_F(Regs, GbpaResetShcfgUseIncomingWithAttrTypesOvr_6_3_14)
{
    cfg.attr_types_ovr = 1;
    recreate();
    EXPECT_EQ(rd(SMMU_GBPA), uint64_t(SMMU_GBPA_ABORT) | 1u << 12);
}

TEST_F(Regs, Cr2PtmResetsToOneWithBtm_6_3_12)
{
    cfg.btm = 1;
    recreate();
    EXPECT_EQ(rd(SMMU_CR2), uint64_t(SMMU_CR2_PTM));
}

// ---- 6.3.9/6.3.10 CR0/CR0ACK ----

TEST_F(Regs, Cr0AckFollowsCr0_6_3_9)
{
    wr(SMMU_CR0, SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    EXPECT_EQ(rd(SMMU_CR0), 0xDu);
    EXPECT_EQ(rd(SMMU_CR0ACK), 0xDu);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    EXPECT_EQ(rd(SMMU_CR0ACK), 0x4u);
}

TEST_F(Regs, Cr0Res0FieldsForAbsentFeatures_6_3_9)
{
    // PRIQEN (no PRI), ATSCHK (no ATS), VMW (IDR0.VMW = 0), bit 5, 9, 31:11 are RES0.
    wr(SMMU_CR0, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CR0), 0xDu);
    EXPECT_EQ(rd(SMMU_CR0ACK), 0xDu);
}

TEST_F(Regs, Cr0VmwWithIdr0Vmw_6_3_9)
{
    cfg.vmw = 1;
    recreate();
    wr(SMMU_CR0, 4u << 6);
    EXPECT_EQ(rd(SMMU_CR0), 4u << 6);
    EXPECT_EQ(rd(SMMU_CR0ACK), 4u << 6);
}

TEST_F(Regs, Cr0AckIsReadOnly_6_3_10)
{
    wr(SMMU_CR0ACK, 0xD);
    EXPECT_EQ(rd(SMMU_CR0ACK), 0u);
}

// ---- CR1/CR2 ----

TEST_F(Regs, Cr1Fields_6_3_11)
{
    wr(SMMU_CR1, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CR1), 0xFFFu);
}

TEST_F(Regs, Cr1TableFieldsReadOnlyWhileSmmuEn_6_3_11)
{
    wr(SMMU_CR1, 0x000);
    wr(SMMU_CR0, SMMU_CR0_SMMUEN);
    wr(SMMU_CR1, 0xFFF);
    EXPECT_EQ(rd(SMMU_CR1), 0x03Fu); // QUEUE_* still writable
}

TEST_F(Regs, Cr1QueueFieldsReadOnlyWhileAQueueIsEnabled_6_3_11)
{
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    wr(SMMU_CR1, 0xFFF);
    EXPECT_EQ(rd(SMMU_CR1), 0xFC0u);
}

TEST_F(Regs, Cr2MaskE2hOnlyWithHyp_6_3_12)
{
    wr(SMMU_CR2, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CR2), uint64_t(SMMU_CR2_E2H | SMMU_CR2_RECINVSID)); // no BTM: PTM RES0
    cfg.hyp = 0;
    cfg.s2p = 0; // v3.2 requires Hyp with both stages
    cfg.fwb = 0;
    cfg.vmid16 = 0;
    recreate();
    wr(SMMU_CR2, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CR2), uint64_t(SMMU_CR2_RECINVSID));
}

TEST_F(Regs, Cr2PtmWithBtm_6_3_12)
{
    cfg.btm = 1;
    recreate();
    wr(SMMU_CR2, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CR2), 7u);
}

TEST_F(Regs, Cr2ReadOnlyWhileSmmuEn_6_3_12)
{
    wr(SMMU_CR0, SMMU_CR0_SMMUEN);
    wr(SMMU_CR2, SMMU_CR2_RECINVSID);
    EXPECT_EQ(rd(SMMU_CR2), 0u);
    wr(SMMU_CR0, 0);
    wr(SMMU_CR2, SMMU_CR2_RECINVSID);
    EXPECT_EQ(rd(SMMU_CR2), uint64_t(SMMU_CR2_RECINVSID));
}

TEST_F(Regs, StatusrReadOnly_6_3_13)
{
    wr(SMMU_STATUSR, 1);
    EXPECT_EQ(rd(SMMU_STATUSR), 0u);
}

// ---- 6.3.14 GBPA ----

TEST_F(Regs, GbpaUpdateHandshake_6_3_14_1)
{
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | 0); // clear ABORT
    EXPECT_EQ(rd(SMMU_GBPA), 0u);       // Update reads back 0: complete
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    EXPECT_EQ(rd(SMMU_GBPA), uint64_t(SMMU_GBPA_ABORT));
}

TEST_F(Regs, GbpaWriteWithoutUpdateIgnored_6_3_14_1)
{
    wr(SMMU_GBPA, 0);
    EXPECT_EQ(rd(SMMU_GBPA), uint64_t(SMMU_GBPA_ABORT));
}

TEST_F(Regs, GbpaOverrideFieldsRes0WithoutAttrOvr_6_3_14)
{
    wr(SMMU_GBPA, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_GBPA), uint64_t(SMMU_GBPA_ABORT));
}

TEST_F(Regs, GbpaOverrideFieldsWithAttrOvr_6_3_14)
{
    cfg.attr_types_ovr = 1;
    cfg.attr_perms_ovr = 1;
    recreate();
    wr(SMMU_GBPA, 0xFFFFFFFFu);
    // ABORT, INSTCFG, PRIVCFG, SHCFG, ALLOCCFG, MTCFG, MemAttr
    EXPECT_EQ(rd(SMMU_GBPA), 0x001F3F1Fu);
}

TEST_F(Regs, AgbpaRes0_6_3_15)
{
    wr(SMMU_AGBPA, 0x1234);
    EXPECT_EQ(rd(SMMU_AGBPA), 0u);
}

// ---- 6.3.16/6.3.18 IRQ_CTRL ----

TEST_F(Regs, IrqCtrlAckFollows_6_3_16)
{
    wr(SMMU_IRQ_CTRL, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_IRQ_CTRL), 0x5u); // PRIQ_IRQEN RES0 without PRI
    EXPECT_EQ(rd(SMMU_IRQ_CTRLACK), 0x5u);
}

// ---- 6.3.19/6.3.20 GERROR/GERRORN, 7.5 ----

TEST_F(Regs, GerrorRaiseTogglesAndGerrornAcknowledges_7_5)
{
    smmu_gerror_raise(smmu, SMMU_GERROR_EVENTQ_ABT_ERR);
    EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_EVENTQ_ABT_ERR));
    EXPECT_TRUE(smmu_gerror_active(smmu, SMMU_GERROR_EVENTQ_ABT_ERR));
    wr(SMMU_GERRORN, SMMU_GERROR_EVENTQ_ABT_ERR);
    EXPECT_FALSE(smmu_gerror_active(smmu, SMMU_GERROR_EVENTQ_ABT_ERR));
    // A second occurrence toggles GERROR back to 0: active again.
    smmu_gerror_raise(smmu, SMMU_GERROR_EVENTQ_ABT_ERR);
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
    EXPECT_TRUE(smmu_gerror_active(smmu, SMMU_GERROR_EVENTQ_ABT_ERR));
}

TEST_F(Regs, GerrorNotToggledWhileActive_7_5)
{
    smmu_gerror_raise(smmu, SMMU_GERROR_CMDQ_ERR);
    smmu_gerror_raise(smmu, SMMU_GERROR_CMDQ_ERR);
    EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_CMDQ_ERR));
}

TEST_F(Regs, GerrorReadOnly_6_3_19)
{
    wr(SMMU_GERROR, 0x1FF);
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
}

TEST_F(Regs, GerrornRes0Bits_6_3_20)
{
    wr(SMMU_GERRORN, 0xFFFFFFFFu);
    // CMDQ_ERR, EVENTQ_ABT_ERR, MSI_CMDQ/EVENTQ/GERROR_ABT_ERR, SFM_ERR (no PRI)
    EXPECT_EQ(rd(SMMU_GERRORN), 0x1B5u);
}

TEST_F(Regs, GerrorIrqWhenEnabled_7_5_1)
{
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    smmu_gerror_raise(smmu, SMMU_GERROR_CMDQ_ERR);
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_GERROR);
}

TEST_F(Regs, GerrorNoIrqWhenDisabled_7_5_1)
{
    smmu_gerror_raise(smmu, SMMU_GERROR_CMDQ_ERR);
    EXPECT_TRUE(mem.irqs.empty());
}

TEST_F(Regs, GerrorMsiWriteExactAddressAndData_3_18)
{
    wr(SMMU_GERROR_IRQ_CFG0, 0x4000'1234, 8);
    wr(SMMU_GERROR_IRQ_CFG1, 0xCAFEF00D);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG0, 8), 0x4000'1234u);
    smmu_gerror_raise(smmu, SMMU_GERROR_EVENTQ_ABT_ERR);
    EXPECT_EQ(mem.read32(0x4000'1234), 0xCAFEF00Du);
}

TEST_F(Regs, GerrorMsiAbortSetsMsiGerrorAbtErrWithoutNewIrq_7_5_1)
{
    wr(SMMU_GERROR_IRQ_CFG0, 0x4000'0000, 8);
    wr(SMMU_GERROR_IRQ_CFG1, 1);
    mem.add_abort(0x4000'0000, 4);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    smmu_gerror_raise(smmu, SMMU_GERROR_CMDQ_ERR);
    EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_MSI_GERROR_ABT_ERR));
    EXPECT_EQ(mem.irqs.size(), 1u);
}

TEST_F(Regs, IrqCfgReadOnlyWhileIrqEnabled_6_3_21)
{
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    wr(SMMU_GERROR_IRQ_CFG0, 0x1000, 8);
    wr(SMMU_GERROR_IRQ_CFG1, 5);
    wr(SMMU_GERROR_IRQ_CFG2, 0x3F);
    wr(SMMU_EVENTQ_IRQ_CFG0, 0x1000, 8);
    wr(SMMU_EVENTQ_IRQ_CFG1, 5);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG0, 8), 0u);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG1), 0u);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG2), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_IRQ_CFG0, 8), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_IRQ_CFG1), 0u);
}

TEST_F(Regs, IrqCfgRes0Masking_6_3_21_23)
{
    wr(SMMU_GERROR_IRQ_CFG0, ~0ull, 8);
    wr(SMMU_GERROR_IRQ_CFG2, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG0, 8), SMMU_MASK(47, 2)); // OAS 48
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG2), 0x3Fu);
}

TEST_F(Regs, IrqCfgRes0WithoutMsi_6_3_21)
{
    cfg.msi = 0;
    recreate();
    wr(SMMU_GERROR_IRQ_CFG0, 0x1000, 8);
    wr(SMMU_EVENTQ_IRQ_CFG1, 7);
    EXPECT_EQ(rd(SMMU_GERROR_IRQ_CFG0, 8), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_IRQ_CFG1), 0u);
}

// ---- 6.3.24/6.3.25 STRTAB_BASE(_CFG) ----

TEST_F(Regs, StrtabBaseMasking_6_3_24)
{
    wr(SMMU_STRTAB_BASE, ~0ull, 8);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), SMMU_BIT(62) | SMMU_MASK(47, 6));
}

TEST_F(Regs, StrtabBaseCfgMasking_6_3_25)
{
    wr(SMMU_STRTAB_BASE_CFG, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE_CFG), uint64_t(SMMU_MASK(17, 16) | SMMU_MASK(10, 0)));
}

TEST_F(Regs, StrtabBaseCfgFmtSplitRes0WithoutTwoLevel_6_3_25)
{
    cfg.st_level = 0;
    cfg.sidsize = 6; // linear-only needs SIDSIZE < 7 (6.3.2)
    recreate();
    wr(SMMU_STRTAB_BASE_CFG, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE_CFG), 0x3Fu);
}

TEST_F(Regs, StrtabBaseIgnoredWhileSmmuEnV32_6_3_24)
{
    wr(SMMU_STRTAB_BASE, 0x10'0000, 8);
    wr(SMMU_STRTAB_BASE_CFG, 8);
    wr(SMMU_CR0, SMMU_CR0_SMMUEN);
    wr(SMMU_STRTAB_BASE, 0x20'0000, 8);
    wr(SMMU_STRTAB_BASE + 4, 0x1);
    wr(SMMU_STRTAB_BASE_CFG, 10);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), 0x10'0000u);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE_CFG), 8u);
}

// v3.0/v3.1: a write while SMMUEN == 1 is CONSTRAINED UNPREDICTABLE; the model
// takes the permitted "write is ignored" behaviour (docs/registers.md).
TEST_F(Regs, StrtabBaseIgnoredWhileSmmuEnV30V31_6_3_24)
{
    for (smmu_arch_t a : {SMMU_ARCH_V3_0, SMMU_ARCH_V3_1}) {
        smmu_config_default(&cfg, a);
        recreate();
        wr(SMMU_STRTAB_BASE, 0x10'0000, 8);
        wr(SMMU_CR0, SMMU_CR0_SMMUEN);
        wr(SMMU_STRTAB_BASE, 0x20'0000, 8);
        wr(SMMU_STRTAB_BASE_CFG, 10);
        EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), 0x10'0000u) << "arch " << a;
        EXPECT_EQ(rd(SMMU_STRTAB_BASE_CFG), 0u) << "arch " << a;
    }
}

TEST_F(Regs, StrtabBaseWritableAgainAfterDisable_6_3_24)
{
    wr(SMMU_CR0, SMMU_CR0_SMMUEN);
    wr(SMMU_CR0, 0);
    wr(SMMU_STRTAB_BASE, 0x20'0000, 8);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), 0x20'0000u);
}

// ---- Queue registers ----

TEST_F(Regs, CmdqBaseMaskingAndLog2sizeReadback_6_3_26)
{
    wr(SMMU_CMDQ_BASE, ~0ull, 8);
    EXPECT_EQ(rd(SMMU_CMDQ_BASE, 8), SMMU_BIT(62) | SMMU_MASK(47, 5) | 0x1F);
    // LOG2SIZE reads back as written but is used capped at IDR1.CMDQS.
    EXPECT_EQ(smmu_cmdq_log2size(smmu), 19u);
}

TEST_F(Regs, QueueLog2sizeCappedAtIdr1_6_3_26_29)
{
    cfg.cmdqs = 4;
    cfg.eventqs = 3;
    recreate();
    wr(SMMU_CMDQ_BASE, 0x10000 | 9, 8);
    wr(SMMU_EVENTQ_BASE, 0x20000 | 9, 8);
    EXPECT_EQ(rd(SMMU_CMDQ_BASE, 8), 0x10009u);
    EXPECT_EQ(smmu_cmdq_log2size(smmu), 4u);
    EXPECT_EQ(smmu_eventq_log2size(smmu), 3u);
    // Index + wrap bits beyond the effective size are not stored.
    wr(SMMU_CMDQ_PROD, 0xFFFFF);
    EXPECT_EQ(rd(SMMU_CMDQ_PROD), 0x1Fu);
}

TEST_F(Regs, CmdqBaseIgnoredWhileCmdqEn_6_3_26)
{
    wr(SMMU_CMDQ_BASE, 0x10000 | 4, 8);
    wr(SMMU_CR0, SMMU_CR0_CMDQEN);
    wr(SMMU_CMDQ_BASE, 0x20000 | 5, 8);
    wr(SMMU_CMDQ_BASE, 0x30000 | 5);
    wr(SMMU_CMDQ_CONS, 3);
    EXPECT_EQ(rd(SMMU_CMDQ_BASE, 8), 0x10004u);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), 0u);
}

TEST_F(Regs, CmdqPointersRes0Bits_6_3_27_28)
{
    wr(SMMU_CMDQ_BASE, 0x10000 | 4, 8);
    wr(SMMU_CMDQ_CONS, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), 0x7F00001Fu); // ERR [30:24] + RD/RD_WRAP [4:0]
    wr(SMMU_CMDQ_PROD, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_CMDQ_PROD), 0x1Fu);
}

TEST_F(Regs, EventqBaseIgnoredWhileEventqEn_6_3_29)
{
    wr(SMMU_EVENTQ_BASE, 0x10000 | 4, 8);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    wr(SMMU_EVENTQ_BASE, 0x20000 | 5, 8);
    wr(SMMU_EVENTQ_PROD, 3);
    EXPECT_EQ(rd(SMMU_EVENTQ_BASE, 8), 0x10004u);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
    wr(SMMU_EVENTQ_CONS, 3); // CONS stays writable
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS), 3u);
}

TEST_F(Regs, EventqPointersKeepOverflowFlags_6_3_95_96)
{
    wr(SMMU_EVENTQ_BASE, 0x10000 | 4, 8);
    wr(SMMU_EVENTQ_PROD, 0xFFFFFFFFu);
    wr(SMMU_EVENTQ_CONS, 0xFFFFFFFFu);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0x8000001Fu);
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS), 0x8000001Fu);
}

TEST_F(Regs, PriqRegistersRes0WithoutPri_6_3_33)
{
    wr(SMMU_PRIQ_BASE, 0x10004, 8);
    wr(SMMU_PRIQ_PROD, 1);
    wr(SMMU_PRIQ_CONS, 1);
    wr(SMMU_PRIQ_IRQ_CFG0, 0x1000, 8);
    EXPECT_EQ(rd(SMMU_PRIQ_BASE, 8), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_CONS), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_IRQ_CFG0, 8), 0u);
}

TEST_F(Regs, AddressBitsAboveOasNotStored_6_3_24)
{
    cfg.oas = 0; // 32 bits
    recreate();
    wr(SMMU_STRTAB_BASE, 0x1'2345'6780ull, 8);
    wr(SMMU_EVENTQ_BASE, 0xFF'0000'0020ull, 8);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), 0x2345'6780u);
    EXPECT_EQ(rd(SMMU_EVENTQ_BASE, 8), 0x20u);
}

// ---- smmu_queue_layout: where the model puts each queue (3.5.1, 6.3.26-6.3.33) ----

TEST_F(Regs, QueueLayout_Log2SizeCappedBaseAligned_3_5_1_6_3_26)
{
    // LOG2SIZE 31 is capped to IDR1.CMDQS = 19 (6.3.26); the base is aligned
    // to the queue size, 16 << 19 = 8 MiB, so 0x200000 becomes 0.
    ASSERT_EQ(cfg.cmdqs, 19);
    wr(SMMU_CMDQ_BASE, 0x20'001Full, 8);
    smmu_queue_layout_t l{};
    ASSERT_EQ(smmu_queue_layout(smmu, SMMU_QUEUE_CMDQ, &l), SMMU_OK);
    EXPECT_EQ(l.log2size, 19u);
    EXPECT_EQ(l.entry_bytes, 16u);
    EXPECT_EQ(l.base, 0u);
    // The model's consumer reads at the same place (queue.h).
    EXPECT_EQ(l.base, smmu_queue_base(smmu, 0x20'001Full, smmu_cmdq_log2size(smmu), 16));
}

TEST_F(Regs, QueueLayout_BitsAboveOasDropped_6_3_29)
{
    // OAS 32 bits: EVENTQ_BASE.ADDR[55:32] are not stored (6.3.29); 8 records
    // of 32 bytes need 256-byte alignment, so 0x1020 becomes 0x1000.
    cfg.oas = 0;
    recreate();
    wr(SMMU_EVENTQ_BASE, 0xFF'0000'1023ull, 8);
    smmu_queue_layout_t l{};
    ASSERT_EQ(smmu_queue_layout(smmu, SMMU_QUEUE_EVENTQ, &l), SMMU_OK);
    EXPECT_EQ(l.log2size, 3u);
    EXPECT_EQ(l.entry_bytes, 32u);
    EXPECT_EQ(l.base, 0x1000u);
    EXPECT_EQ(smmu_queue_layout(smmu, (smmu_queue_id_t)7, &l), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_queue_layout(smmu, SMMU_QUEUE_CMDQ, nullptr), SMMU_ERR_INVAL);
}

// ---- 6.2 access sizes and CONSTRAINED UNPREDICTABLE choices ----

TEST_F(Regs, SixtyFourBitRegisterAsTwoHalves_6_2)
{
    wr(SMMU_STRTAB_BASE, 0x1234'5640);
    wr(SMMU_STRTAB_BASE + 4, 0x4000'00AB);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE, 8), 0x4000'00AB'1234'5640ull);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE), 0x1234'5640u);
    EXPECT_EQ(rd(SMMU_STRTAB_BASE + 4), 0x4000'00ABu);
}

TEST_F(Regs, SixtyFourBitRegisterAsOneAccess_6_2)
{
    wr(SMMU_CMDQ_BASE, 0x4000'0012'3456'7805ull, 8);
    EXPECT_EQ(rd(SMMU_CMDQ_BASE, 8), 0x4000'0012'3456'7805ull);
}

TEST_F(Regs, SixtyFourBitAccessAcrossTwo32BitRegistersIsRazWi_6_2)
{
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    EXPECT_EQ(rd(SMMU_CR0, 8), 0u);
    wr(SMMU_CR1, ~0ull, 8); // CR1 + CR2
    EXPECT_EQ(rd(SMMU_CR1), 0u);
    EXPECT_EQ(rd(SMMU_CR2), 0u);
    wr(SMMU_CMDQ_PROD, 0x1'0000'0001ull, 8); // CMDQ_PROD + CMDQ_CONS
    EXPECT_EQ(rd(SMMU_CMDQ_PROD), 0u);
}

TEST_F(Regs, PageZeroAliasesOfPageOneRegistersAreRazWi_6_2)
{
    wr(SMMU_EVENTQ_BASE, 0x10000 | 4, 8);
    wr(SMMU_EVENTQ_PROD, 5);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD_P0), 0u);
    wr(SMMU_EVENTQ_CONS_P0, 7);
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS), 0u);
    EXPECT_EQ(rd(SMMU_EVENTQ_CONS_P0), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD_P0), 0u);
    EXPECT_EQ(rd(SMMU_PRIQ_CONS_P0), 0u);
}

TEST_F(Regs, UndefinedOffsetsAreRazWi_6_2)
{
    for (uint64_t off : {0x30ull, 0x3Cull, 0x4Cull, 0x58ull, 0x7Cull, 0xE0ull, 0xFFCull,
                         0x8020ull, 0x10000ull, 0x100A0ull, 0x10020ull, 0x20000ull}) {
        wr(off, 0xFFFFFFFFu);
        EXPECT_EQ(rd(off), 0u) << std::hex << off;
    }
    // Nothing defined changed.
    EXPECT_EQ(rd(SMMU_CR0), 0u);
    EXPECT_EQ(rd(SMMU_GBPA), uint64_t(SMMU_GBPA_ABORT));
}

TEST_F(Regs, IllegalSizeAndMisalignedRejected_6_2)
{
    uint64_t v = 0;
    EXPECT_EQ(smmu_mmio_read(smmu, SMMU_CR0, 2, &v), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_mmio_read(smmu, SMMU_CR0 + 2, 4, &v), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_mmio_write(smmu, SMMU_STRTAB_BASE + 4, 0, 8), SMMU_ERR_INVAL);
}

} // namespace

namespace smmutest {
namespace {
// 6.3.28 / 6.3.95: bits [19:QS+1] of CMDQ_CONS and EVENTQ_PROD read as zero
// after the queue size is reduced.
class RegsQs : public SmmuTest {};
TEST_F(RegsQs, CmdqConsUpperBitsRazAfterLog2sizeDecrease_6_3_28)
{
    wr(SMMU_CMDQ_BASE, kCmdq | 8, 8);
    wr(SMMU_CMDQ_CONS, 0x1FF);
    wr(SMMU_CMDQ_BASE, kCmdq | 2, 8);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), 0x7u);
}
TEST_F(RegsQs, EventqProdUpperBitsRazAfterLog2sizeDecrease_6_3_95)
{
    wr(SMMU_EVENTQ_BASE, kEvtq | 7, 8);
    wr(SMMU_EVENTQ_PROD, 0xFF);
    wr(SMMU_EVENTQ_BASE, kEvtq | 1, 8);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0x3u);
}
} // namespace
} // namespace smmutest
