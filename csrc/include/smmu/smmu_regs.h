/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMMUv3 register offsets, command opcodes and field helpers (IHI 0070 G.b,
 * 6.2-6.3 and 4.1). Facts of the architecture, shared by the core, tools and
 * tests so that nobody writes a magic number twice.
 */
#ifndef SMMU_SMMU_REGS_H
#define SMMU_SMMU_REGS_H

#include <stdint.h>

/* ---- Page 0 (6.2) ---- */
#define SMMU_IDR0 0x0000u
#define SMMU_IDR1 0x0004u
#define SMMU_IDR2 0x0008u
#define SMMU_IDR3 0x000Cu
#define SMMU_IDR4 0x0010u
#define SMMU_IDR5 0x0014u
#define SMMU_IIDR 0x0018u
#define SMMU_AIDR 0x001Cu
#define SMMU_CR0 0x0020u
#define SMMU_CR0ACK 0x0024u
#define SMMU_CR1 0x0028u
#define SMMU_CR2 0x002Cu
#define SMMU_STATUSR 0x0040u
#define SMMU_GBPA 0x0044u
#define SMMU_AGBPA 0x0048u
#define SMMU_IRQ_CTRL 0x0050u
#define SMMU_IRQ_CTRLACK 0x0054u
#define SMMU_GERROR 0x0060u
#define SMMU_GERRORN 0x0064u
#define SMMU_GERROR_IRQ_CFG0 0x0068u
#define SMMU_GERROR_IRQ_CFG1 0x0070u
#define SMMU_GERROR_IRQ_CFG2 0x0074u
#define SMMU_STRTAB_BASE 0x0080u
#define SMMU_STRTAB_BASE_CFG 0x0088u
#define SMMU_CMDQ_BASE 0x0090u
#define SMMU_CMDQ_PROD 0x0098u
#define SMMU_CMDQ_CONS 0x009Cu
#define SMMU_EVENTQ_BASE 0x00A0u
#define SMMU_EVENTQ_PROD_P0 0x00A8u /* page-0 alias position (see docs) */
#define SMMU_EVENTQ_CONS_P0 0x00ACu
#define SMMU_EVENTQ_IRQ_CFG0 0x00B0u
#define SMMU_EVENTQ_IRQ_CFG1 0x00B8u
#define SMMU_EVENTQ_IRQ_CFG2 0x00BCu
#define SMMU_PRIQ_BASE 0x00C0u
#define SMMU_PRIQ_PROD_P0 0x00C8u
#define SMMU_PRIQ_CONS_P0 0x00CCu
#define SMMU_PRIQ_IRQ_CFG0 0x00D0u
#define SMMU_PRIQ_IRQ_CFG1 0x00D8u
#define SMMU_PRIQ_IRQ_CFG2 0x00DCu

/* ---- Page 1 ---- */
#define SMMU_PAGE1 0x10000u
#define SMMU_EVENTQ_PROD 0x100A8u
#define SMMU_EVENTQ_CONS 0x100ACu
#define SMMU_PRIQ_PROD 0x100C8u
#define SMMU_PRIQ_CONS 0x100CCu

/* ---- Field helpers ---- */
#define SMMU_BIT(n) (1ull << (n))
#define SMMU_MASK(hi, lo) ((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1))
#define SMMU_GET(v, hi, lo) (((uint64_t)(v) >> (lo)) & (~0ull >> (63 - ((hi) - (lo)))))
#define SMMU_PUT(v, hi, lo) (((uint64_t)(v) << (lo)) & SMMU_MASK(hi, lo))

/* CR0 (6.3.9) */
#define SMMU_CR0_SMMUEN SMMU_BIT(0)
#define SMMU_CR0_PRIQEN SMMU_BIT(1)
#define SMMU_CR0_EVENTQEN SMMU_BIT(2)
#define SMMU_CR0_CMDQEN SMMU_BIT(3)
#define SMMU_CR0_ATSCHK SMMU_BIT(4)
#define SMMU_CR0_VMW_SHIFT 6 /* bits [8:6] */

/* CR2 (6.3.12) */
#define SMMU_CR2_E2H SMMU_BIT(0)
#define SMMU_CR2_RECINVSID SMMU_BIT(1)
#define SMMU_CR2_PTM SMMU_BIT(2)

/* GBPA (6.3.14) */
#define SMMU_GBPA_UPDATE SMMU_BIT(31)
#define SMMU_GBPA_ABORT SMMU_BIT(20)

/* IRQ_CTRL (6.3.16) */
#define SMMU_IRQ_CTRL_GERROR_IRQEN SMMU_BIT(0)
#define SMMU_IRQ_CTRL_PRIQ_IRQEN SMMU_BIT(1)
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN SMMU_BIT(2)

/* GERROR (6.3.19) */
#define SMMU_GERROR_CMDQ_ERR SMMU_BIT(0)
#define SMMU_GERROR_EVENTQ_ABT_ERR SMMU_BIT(2)
#define SMMU_GERROR_PRIQ_ABT_ERR SMMU_BIT(3)
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR SMMU_BIT(4)
#define SMMU_GERROR_MSI_EVENTQ_ABT_ERR SMMU_BIT(5)
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR SMMU_BIT(6)
#define SMMU_GERROR_MSI_GERROR_ABT_ERR SMMU_BIT(7)
#define SMMU_GERROR_SFM_ERR SMMU_BIT(8)
#define SMMU_GERROR_CMDQP_ERR SMMU_BIT(9)

/* Queue pointer registers: WR/RD index in [log2size-1:0], wrap bit at
 * [log2size]; CMDQ_CONS.ERR [30:24]; EVENTQ_PROD.OVFLG / CONS.OVACKFLG [31]. */
#define SMMU_Q_OVF SMMU_BIT(31)
#define SMMU_CMDQ_CONS_ERR_SHIFT 24

/* CERROR codes in CMDQ_CONS.ERR (7.1) */
#define SMMU_CERROR_NONE 0x00u
#define SMMU_CERROR_ILL 0x01u
#define SMMU_CERROR_ABT 0x02u
#define SMMU_CERROR_ATC_INV_SYNC 0x03u

/* STRTAB_BASE_CFG (6.3.25) */
#define SMMU_STRTAB_FMT_LINEAR 0u
#define SMMU_STRTAB_FMT_2LVL 1u

/* ---- Command opcodes (4.1) ---- */
#define SMMU_CMD_PREFETCH_CONFIG 0x01u
#define SMMU_CMD_PREFETCH_ADDR 0x02u
#define SMMU_CMD_CFGI_STE 0x03u
#define SMMU_CMD_CFGI_STE_RANGE 0x04u /* Range = 31: CMD_CFGI_ALL */
#define SMMU_CMD_CFGI_CD 0x05u
#define SMMU_CMD_CFGI_CD_ALL 0x06u
#define SMMU_CMD_CFGI_VMS_PIDM 0x07u
#define SMMU_CMD_TLBI_NH_ALL 0x10u
#define SMMU_CMD_TLBI_NH_ASID 0x11u
#define SMMU_CMD_TLBI_NH_VA 0x12u
#define SMMU_CMD_TLBI_NH_VAA 0x13u
#define SMMU_CMD_TLBI_EL3_ALL 0x18u
#define SMMU_CMD_TLBI_EL3_VA 0x1Au
#define SMMU_CMD_TLBI_EL2_ALL 0x20u
#define SMMU_CMD_TLBI_EL2_ASID 0x21u
#define SMMU_CMD_TLBI_EL2_VA 0x22u
#define SMMU_CMD_TLBI_EL2_VAA 0x23u
#define SMMU_CMD_TLBI_S12_VMALL 0x28u
#define SMMU_CMD_TLBI_S2_IPA 0x2Au
#define SMMU_CMD_TLBI_NSNH_ALL 0x30u
#define SMMU_CMD_ATC_INV 0x40u
#define SMMU_CMD_PRI_RESP 0x41u
#define SMMU_CMD_RESUME 0x44u
#define SMMU_CMD_STALL_TERM 0x45u
#define SMMU_CMD_SYNC 0x46u

/* CMD_SYNC.CS (4.7.3) */
#define SMMU_SYNC_CS_NONE 0u
#define SMMU_SYNC_CS_IRQ 1u
#define SMMU_SYNC_CS_SEV 2u

#endif /* SMMU_SMMU_REGS_H */
