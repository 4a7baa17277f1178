/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * SMMUv3 register offsets, command opcodes and field helpers (IHI 0070 G.b,
 * 6.2-6.3 and 4.1). Facts of the architecture, shared by the core, tools and
 * tests so that nobody writes a magic number twice.
 */
#ifndef SMMU_SMMU_REGS_H
#define SMMU_SMMU_REGS_H

#include <stdint.h>

/* ---- Page 0 (6.2) ---- */
#define SMMU_IDR0 0x0000u /**< Offset of SMMU_IDR0 from the SMMU base (6.3.1) */
#define SMMU_IDR1 0x0004u /**< Offset of SMMU_IDR1 from the SMMU base (6.3.2) */
#define SMMU_IDR2 0x0008u /**< Offset of SMMU_IDR2 from the SMMU base (6.3.3) */
#define SMMU_IDR3 0x000Cu /**< Offset of SMMU_IDR3 from the SMMU base (6.3.4) */
#define SMMU_IDR4 0x0010u /**< Offset of SMMU_IDR4 from the SMMU base (6.3.5) */
#define SMMU_IDR5 0x0014u /**< Offset of SMMU_IDR5 from the SMMU base (6.3.6) */
#define SMMU_IIDR 0x0018u /**< Offset of SMMU_IIDR from the SMMU base (6.3.7) */
#define SMMU_AIDR 0x001Cu /**< Offset of SMMU_AIDR from the SMMU base (6.3.8) */
#define SMMU_CR0 0x0020u /**< Offset of SMMU_CR0 from the SMMU base (6.3.9) */
#define SMMU_CR0ACK 0x0024u /**< Offset of SMMU_CR0ACK from the SMMU base (6.3.10) */
#define SMMU_CR1 0x0028u /**< Offset of SMMU_CR1 from the SMMU base (6.3.11) */
#define SMMU_CR2 0x002Cu /**< Offset of SMMU_CR2 from the SMMU base (6.3.12) */
#define SMMU_STATUSR 0x0040u /**< Offset of SMMU_STATUSR from the SMMU base (6.3.13) */
#define SMMU_GBPA 0x0044u /**< Offset of SMMU_GBPA from the SMMU base (6.3.14) */
#define SMMU_AGBPA 0x0048u /**< Offset of SMMU_AGBPA from the SMMU base (6.3.15) */
#define SMMU_IRQ_CTRL 0x0050u /**< Offset of SMMU_IRQ_CTRL from the SMMU base (6.3.16) */
#define SMMU_IRQ_CTRLACK 0x0054u /**< Offset of SMMU_IRQ_CTRLACK from the SMMU base (6.3.18) */
#define SMMU_GERROR 0x0060u /**< Offset of SMMU_GERROR from the SMMU base (6.3.19) */
#define SMMU_GERRORN 0x0064u /**< Offset of SMMU_GERRORN from the SMMU base (6.3.20) */
#define SMMU_GERROR_IRQ_CFG0 0x0068u /**< Offset of SMMU_GERROR_IRQ_CFG0 from the SMMU base (6.3.21) */
#define SMMU_GERROR_IRQ_CFG1 0x0070u /**< Offset of SMMU_GERROR_IRQ_CFG1 from the SMMU base (6.3.22) */
#define SMMU_GERROR_IRQ_CFG2 0x0074u /**< Offset of SMMU_GERROR_IRQ_CFG2 from the SMMU base (6.3.23) */
#define SMMU_STRTAB_BASE 0x0080u /**< Offset of SMMU_STRTAB_BASE from the SMMU base (6.3.24) */
#define SMMU_STRTAB_BASE_CFG 0x0088u /**< Offset of SMMU_STRTAB_BASE_CFG from the SMMU base (6.3.25) */
#define SMMU_CMDQ_BASE 0x0090u /**< Offset of SMMU_CMDQ_BASE from the SMMU base (6.3.26) */
#define SMMU_CMDQ_PROD 0x0098u /**< Offset of SMMU_CMDQ_PROD from the SMMU base (6.3.27) */
#define SMMU_CMDQ_CONS 0x009Cu /**< Offset of SMMU_CMDQ_CONS from the SMMU base (6.3.28) */
#define SMMU_EVENTQ_BASE 0x00A0u /**< Offset of SMMU_EVENTQ_BASE from the SMMU base (6.3.29) */
#define SMMU_EVENTQ_PROD_P0 0x00A8u /**< Offset of the page-0 position of SMMU_EVENTQ_PROD (6.3.95), an alias of the page-1 register; see docs/registers.md */
#define SMMU_EVENTQ_CONS_P0 0x00ACu /**< Offset of the page-0 position of SMMU_EVENTQ_CONS (6.3.96), an alias of the page-1 register; see docs/registers.md */
#define SMMU_EVENTQ_IRQ_CFG0 0x00B0u /**< Offset of SMMU_EVENTQ_IRQ_CFG0 from the SMMU base (6.3.30) */
#define SMMU_EVENTQ_IRQ_CFG1 0x00B8u /**< Offset of SMMU_EVENTQ_IRQ_CFG1 from the SMMU base (6.3.31) */
#define SMMU_EVENTQ_IRQ_CFG2 0x00BCu /**< Offset of SMMU_EVENTQ_IRQ_CFG2 from the SMMU base (6.3.32) */
#define SMMU_PRIQ_BASE 0x00C0u /**< Offset of SMMU_PRIQ_BASE from the SMMU base (6.3.33) */
#define SMMU_PRIQ_PROD_P0 0x00C8u /**< Offset of the page-0 position of SMMU_PRIQ_PROD (6.3.97), an alias of the page-1 register; see docs/registers.md */
#define SMMU_PRIQ_CONS_P0 0x00CCu /**< Offset of the page-0 position of SMMU_PRIQ_CONS (6.3.98), an alias of the page-1 register; see docs/registers.md */
#define SMMU_PRIQ_IRQ_CFG0 0x00D0u /**< Offset of SMMU_PRIQ_IRQ_CFG0 from the SMMU base (6.3.34) */
#define SMMU_PRIQ_IRQ_CFG1 0x00D8u /**< Offset of SMMU_PRIQ_IRQ_CFG1 from the SMMU base (6.3.35) */
#define SMMU_PRIQ_IRQ_CFG2 0x00DCu /**< Offset of SMMU_PRIQ_IRQ_CFG2 from the SMMU base (6.3.36) */

/* ---- Page 1 ---- */
#define SMMU_PAGE1 0x10000u /**< Offset of register page 1 from the SMMU base (64KB; 6.1) */
#define SMMU_EVENTQ_PROD 0x100A8u /**< Offset of SMMU_EVENTQ_PROD, in page 1 (6.3.95) */
#define SMMU_EVENTQ_CONS 0x100ACu /**< Offset of SMMU_EVENTQ_CONS, in page 1 (6.3.96) */
#define SMMU_PRIQ_PROD 0x100C8u /**< Offset of SMMU_PRIQ_PROD, in page 1 (6.3.97) */
#define SMMU_PRIQ_CONS 0x100CCu /**< Offset of SMMU_PRIQ_CONS, in page 1 (6.3.98) */

/* ---- Field helpers ---- */
#define SMMU_BIT(n) (1ull << (n)) /**< A 64-bit value with bit n set */
#define SMMU_MASK(hi, lo) ((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1)) /**< A 64-bit mask of bits [hi:lo] */
#define SMMU_GET(v, hi, lo) (((uint64_t)(v) >> (lo)) & (~0ull >> (63 - ((hi) - (lo))))) /**< Field [hi:lo] of v, shifted down to bit 0 */
#define SMMU_PUT(v, hi, lo) (((uint64_t)(v) << (lo)) & SMMU_MASK(hi, lo)) /**< v shifted up into field [hi:lo], truncated to the field */

/* CR0 (6.3.9) */
#define SMMU_CR0_SMMUEN SMMU_BIT(0) /**< CR0.SMMUEN, bit 0: translation enabled (6.3.9) */
#define SMMU_CR0_PRIQEN SMMU_BIT(1) /**< CR0.PRIQEN, bit 1: PRI queue enabled (6.3.9) */
#define SMMU_CR0_EVENTQEN SMMU_BIT(2) /**< CR0.EVENTQEN, bit 2: event queue enabled (6.3.9) */
#define SMMU_CR0_CMDQEN SMMU_BIT(3) /**< CR0.CMDQEN, bit 3: command queue processing enabled (6.3.9) */
#define SMMU_CR0_ATSCHK SMMU_BIT(4) /**< CR0.ATSCHK, bit 4: ATS translated transactions checked against the STE (6.3.9) */
#define SMMU_CR0_VMW_SHIFT 6 /**< CR0.VMW, bits [8:6]: VMID wildcard, shift of the field (6.3.9) */

/* CR2 (6.3.12) */
#define SMMU_CR2_E2H SMMU_BIT(0) /**< CR2.E2H, bit 0: EL2-E2H translation regime for StreamWorld EL2 (6.3.12) */
#define SMMU_CR2_RECINVSID SMMU_BIT(1) /**< CR2.RECINVSID, bit 1: record C_BAD_STREAMID events (6.3.12) */
#define SMMU_CR2_PTM SMMU_BIT(2) /**< CR2.PTM, bit 2: private TLB maintenance, broadcast TLBI ignored (6.3.12) */
#define SMMU_CR2_REC_CFG_ATS SMMU_BIT(3) /**< CR2.REC_CFG_ATS, bit 3: record configuration errors of ATS traffic (6.3.12; needs IDR0.ATSRECERR) */

/* GBPA (6.3.14) */
#define SMMU_GBPA_UPDATE SMMU_BIT(31) /**< GBPA.Update, bit 31: write 1 to apply a new value; reads 1 until done (6.3.14) */
#define SMMU_GBPA_ABORT SMMU_BIT(20) /**< GBPA.ABORT, bit 20: with SMMUEN == 0, abort every transaction (6.3.14) */

/* IRQ_CTRL (6.3.16) */
#define SMMU_IRQ_CTRL_GERROR_IRQEN SMMU_BIT(0) /**< IRQ_CTRL.GERROR_IRQEN, bit 0 (6.3.16) */
#define SMMU_IRQ_CTRL_PRIQ_IRQEN SMMU_BIT(1) /**< IRQ_CTRL.PRIQ_IRQEN, bit 1 (6.3.16) */
#define SMMU_IRQ_CTRL_EVENTQ_IRQEN SMMU_BIT(2) /**< IRQ_CTRL.EVENTQ_IRQEN, bit 2 (6.3.16) */

/* GERROR (6.3.19) */
#define SMMU_GERROR_CMDQ_ERR SMMU_BIT(0) /**< GERROR.CMDQ_ERR, bit 0: a command error, code in CMDQ_CONS.ERR (6.3.19, 7.1) */
#define SMMU_GERROR_EVENTQ_ABT_ERR SMMU_BIT(2) /**< GERROR.EVENTQ_ABT_ERR, bit 2: an event queue write aborted (6.3.19, 7.2.2) */
#define SMMU_GERROR_PRIQ_ABT_ERR SMMU_BIT(3) /**< GERROR.PRIQ_ABT_ERR, bit 3: a PRI queue write aborted (6.3.19) */
#define SMMU_GERROR_MSI_CMDQ_ABT_ERR SMMU_BIT(4) /**< GERROR.MSI_CMDQ_ABT_ERR, bit 4: a CMD_SYNC MSI write aborted (6.3.19) */
#define SMMU_GERROR_MSI_EVENTQ_ABT_ERR SMMU_BIT(5) /**< GERROR.MSI_EVENTQ_ABT_ERR, bit 5: an event queue MSI write aborted (6.3.19) */
#define SMMU_GERROR_MSI_PRIQ_ABT_ERR SMMU_BIT(6) /**< GERROR.MSI_PRIQ_ABT_ERR, bit 6: a PRI queue MSI write aborted (6.3.19) */
#define SMMU_GERROR_MSI_GERROR_ABT_ERR SMMU_BIT(7) /**< GERROR.MSI_GERROR_ABT_ERR, bit 7: a GERROR MSI write aborted (6.3.19) */
#define SMMU_GERROR_SFM_ERR SMMU_BIT(8) /**< GERROR.SFM_ERR, bit 8: the SMMU entered Service Failure Mode (6.3.19) */
#define SMMU_GERROR_CMDQP_ERR SMMU_BIT(9) /**< GERROR.CMDQP_ERR, bit 9: an ECMDQ error (6.3.19) */

/* Queue pointer registers: WR/RD index in [log2size-1:0], wrap bit at
 * [log2size]; CMDQ_CONS.ERR [30:24]; EVENTQ_PROD.OVFLG / CONS.OVACKFLG [31]. */
#define SMMU_Q_OVF SMMU_BIT(31) /**< Bit 31 of a queue pointer: EVENTQ_PROD.OVFLG / EVENTQ_CONS.OVACKFLG (6.3.95, 6.3.96, 7.4) */
#define SMMU_CMDQ_CONS_ERR_SHIFT 24 /**< Shift of CMDQ_CONS.ERR, bits [30:24]: the CERROR code (6.3.28, 7.1) */

/* CERROR codes in CMDQ_CONS.ERR (7.1) */
#define SMMU_CERROR_NONE 0x00u /**< CERROR_NONE: no command error (7.1) */
#define SMMU_CERROR_ILL 0x01u /**< CERROR_ILL: illegal command (7.1) */
#define SMMU_CERROR_ABT 0x02u /**< CERROR_ABT: abort reading the command (7.1) */
#define SMMU_CERROR_ATC_INV_SYNC 0x03u /**< CERROR_ATC_INV_SYNC: ATC invalidation timed out before CMD_SYNC (7.1) */

/* STRTAB_BASE_CFG (6.3.25) */
#define SMMU_STRTAB_FMT_LINEAR 0u /**< STRTAB_BASE_CFG.FMT 0b00: linear stream table (6.3.25) */
#define SMMU_STRTAB_FMT_2LVL 1u /**< STRTAB_BASE_CFG.FMT 0b01: 2-level stream table (6.3.25) */

/* ---- Command opcodes (4.1) ---- */
#define SMMU_CMD_PREFETCH_CONFIG 0x01u /**< Opcode of CMD_PREFETCH_CONFIG (4.2.1) */
#define SMMU_CMD_PREFETCH_ADDR 0x02u /**< Opcode of CMD_PREFETCH_ADDR (4.2.2) */
#define SMMU_CMD_CFGI_STE 0x03u /**< Opcode of CMD_CFGI_STE (4.3.1) */
#define SMMU_CMD_CFGI_STE_RANGE 0x04u /**< Opcode of CMD_CFGI_STE_RANGE (4.3.2); Range = 31 is CMD_CFGI_ALL (4.3.6) */
#define SMMU_CMD_CFGI_CD 0x05u /**< Opcode of CMD_CFGI_CD (4.3.3) */
#define SMMU_CMD_CFGI_CD_ALL 0x06u /**< Opcode of CMD_CFGI_CD_ALL (4.3.4) */
#define SMMU_CMD_CFGI_VMS_PIDM 0x07u /**< Opcode of CMD_CFGI_VMS_PIDM (4.3.5) */
#define SMMU_CMD_TLBI_NH_ALL 0x10u /**< Opcode of CMD_TLBI_NH_ALL (4.4.2.1) */
#define SMMU_CMD_TLBI_NH_ASID 0x11u /**< Opcode of CMD_TLBI_NH_ASID (4.4.2.2) */
#define SMMU_CMD_TLBI_NH_VA 0x12u /**< Opcode of CMD_TLBI_NH_VA (4.4.2.4) */
#define SMMU_CMD_TLBI_NH_VAA 0x13u /**< Opcode of CMD_TLBI_NH_VAA (4.4.2.3) */
#define SMMU_CMD_TLBI_EL3_ALL 0x18u /**< Opcode of CMD_TLBI_EL3_ALL (4.4.2.5) */
#define SMMU_CMD_TLBI_EL3_VA 0x1Au /**< Opcode of CMD_TLBI_EL3_VA (4.4.2.6) */
#define SMMU_CMD_TLBI_EL2_ALL 0x20u /**< Opcode of CMD_TLBI_EL2_ALL (4.4.2.7) */
#define SMMU_CMD_TLBI_EL2_ASID 0x21u /**< Opcode of CMD_TLBI_EL2_ASID (4.4.2.10) */
#define SMMU_CMD_TLBI_EL2_VA 0x22u /**< Opcode of CMD_TLBI_EL2_VA (4.4.2.8) */
#define SMMU_CMD_TLBI_EL2_VAA 0x23u /**< Opcode of CMD_TLBI_EL2_VAA (4.4.2.9) */
#define SMMU_CMD_TLBI_S12_VMALL 0x28u /**< Opcode of CMD_TLBI_S12_VMALL (4.4.3.2) */
#define SMMU_CMD_TLBI_S2_IPA 0x2Au /**< Opcode of CMD_TLBI_S2_IPA (4.4.3.1) */
#define SMMU_CMD_TLBI_NSNH_ALL 0x30u /**< Opcode of CMD_TLBI_NSNH_ALL (4.4.4.1) */
#define SMMU_CMD_ATC_INV 0x40u /**< Opcode of CMD_ATC_INV (4.5.1) */
#define SMMU_CMD_PRI_RESP 0x41u /**< Opcode of CMD_PRI_RESP (4.5.2) */
#define SMMU_CMD_RESUME 0x44u /**< Opcode of CMD_RESUME (4.7.1) */
#define SMMU_CMD_STALL_TERM 0x45u /**< Opcode of CMD_STALL_TERM (4.7.2) */
#define SMMU_CMD_SYNC 0x46u /**< Opcode of CMD_SYNC (4.7.3) */

/* CMD_SYNC.CS (4.7.3) */
#define SMMU_SYNC_CS_NONE 0u /**< CMD_SYNC.CS SIG_NONE: no completion signal (4.7.3) */
#define SMMU_SYNC_CS_IRQ 1u /**< CMD_SYNC.CS SIG_IRQ: completion interrupt or MSI (4.7.3) */
#define SMMU_SYNC_CS_SEV 2u /**< CMD_SYNC.CS SIG_SEV: completion WFE wake-up event (4.7.3) */

#endif /* SMMU_SMMU_REGS_H */
