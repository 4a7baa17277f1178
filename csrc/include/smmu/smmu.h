/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * smmuv3-sim public C API.
 *
 * A model of the Arm SMMUv3 (IHI 0070 G.b), Non-secure programming interface.
 * One smmu_t is one SMMU instance; there is no global state, so a platform can
 * hold several. The model touches memory only through the smmu_mem_ops_t table
 * given at creation, with the embedder's context pointer.
 *
 * Threading: an instance is not thread-safe; serialise calls per instance.
 * Distinct instances are independent.
 *
 * ABI: plain C, opaque handle, fixed-width fields, so that ctypes and DPI-C
 * bindings can use it directly.
 */
#ifndef SMMU_SMMU_H
#define SMMU_SMMU_H

#include <stddef.h>
#include <stdint.h>

#include "smmu_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes: model-level errors. Architected outcomes (faults, events,  */
/* CERROR, GERROR) are never reported through these.                        */
/* ------------------------------------------------------------------------ */
/** Result of an API call: a model-level error, never an architected outcome. */
typedef enum smmu_status {
    SMMU_OK = 0,          /**< success */
    SMMU_ERR_INVAL = -1,  /**< bad argument (NULL pointer, bad access size) */
    SMMU_ERR_CONFIG = -2, /**< configuration rejected; see the message buffer */
    SMMU_ERR_NOMEM = -3,  /**< host memory allocation failed, or (builder) no room left */
    SMMU_ERR_REENTERED = -4, /**< smmu_translate, smmu_page_request or
                                smmu_take_completions called from a callback
                                (the re-entrancy rule above smmu_translate) */
} smmu_status_t;

/** Architecture revision, SMMU_AIDR.ArchMinorRev (6.3.8). */
typedef enum smmu_arch {
    SMMU_ARCH_V3_0 = 0, /**< SMMUv3.0 */
    SMMU_ARCH_V3_1 = 1, /**< SMMUv3.1 */
    SMMU_ARCH_V3_2 = 2, /**< SMMUv3.2 */
    SMMU_ARCH_V3_3 = 3, /**< SMMUv3.3 */
} smmu_arch_t;

/* ------------------------------------------------------------------------ */
/* Configuration: every ID-register field an implementation may choose      */
/* (6.3.1-6.3.8), plus model options. Use smmu_config_default() and then    */
/* change fields; smmu_config_check() (also run by smmu_create) rejects a   */
/* configuration that the chosen architecture revision does not allow.      */
/* Field names follow the registers; values are the register encodings.     */
/* ------------------------------------------------------------------------ */
/** Configuration of an instance: the ID register fields (SMMU_IDR0-5,
 * SMMU_IIDR, SMMU_AIDR; 6.3.1-6.3.8) an implementation chooses, then the
 * model's own options. Every ID field holds the register field's encoding
 * and is read back unchanged through smmu_mmio_read of its register (a flag
 * is 0 = not implemented, 1 = implemented). Start from smmu_config_default()
 * or smmu_config_from_idr(); smmu_config_check() says what is rejected. */
typedef struct smmu_config {
    /* SMMU_AIDR */
    uint8_t arch_minor; /**< AIDR.ArchMinorRev, an smmu_arch_t (0-3; 6.3.8). Decides which
                             fields may be non-zero (smmu_config_check). */

    /* SMMU_IDR0 (6.3.1). TTF is fixed to AArch64-only (0b10). */
    /** @var s1p
     * IDR0.S1P, 0/1: stage 1 translation implemented (6.3.1).
     * @var s2p
     * IDR0.S2P, 0/1: stage 2 translation implemented (6.3.1). */
    uint8_t s1p, s2p;
    /** @var cohacc
     * IDR0.COHACC, 0/1: coherent access to tables and queues (6.3.1, 3.15).
     * @var btm
     * IDR0.BTM, 0/1: broadcast TLB maintenance (6.3.1, 3.17). */
    uint8_t cohacc, btm;
    uint8_t httu;         /**< IDR0.HTTU, 0: none, 1: Access flag, 2: Access flag and dirty state
                               (3, HAFT, is v3.4: rejected) (6.3.1, 3.13). */
    /** @var dormhint
     * IDR0.DORMHINT, 0/1: dormant hint in SMMU_STATUSR (6.3.1, 6.3.13).
     * @var hyp
     * IDR0.Hyp, 0/1: EL2 translation regime, StreamWorld EL2 and EL2-E2H (6.3.1).
     * @var ats
     * IDR0.ATS, 0/1: PCIe ATS (6.3.1, 3.9): Translation Requests, Translated
     * transactions, CR0.ATSCHK, STE.EATS, CMD_ATC_INV (docs/ats.md).
     * @var ns1ats
     * IDR0.NS1ATS, 0/1: 1 = stage-1-only ATS is not supported (6.3.1).
     * @var asid16
     * IDR0.ASID16, 0/1: 16-bit ASIDs, else 8-bit (6.3.1).
     * @var msi
     * IDR0.MSI, 0/1: message-signalled interrupts (6.3.1, 3.18).
     * @var sev
     * IDR0.SEV, 0/1: the SMMU can generate WFE wake-up events (6.3.1).
     * @var atos
     * IDR0.ATOS, 0/1: the ATOS address translation registers (6.3.1).
     * @var pri
     * IDR0.PRI, 0/1: the PRI queue and page requests (6.3.1, chapter 8).
     * @var vmw
     * IDR0.VMW, 0/1: VMID wildcard matching (6.3.1, 6.3.9).
     * @var vmid16
     * IDR0.VMID16, 0/1: 16-bit VMIDs, else 8-bit (6.3.1).
     * @var cd2l
     * IDR0.CD2L, 0/1: 2-level CD tables (6.3.1, 5.3).
     * @var vatos
     * IDR0.VATOS, 0/1: the VATOS registers (6.3.1). */
    uint8_t dormhint, hyp, ats, ns1ats, asid16, msi, sev, atos, pri, vmw, vmid16, cd2l,
        vatos;
    uint8_t ttendian;     /**< IDR0.TTENDIAN, 0: mixed, 2: little only, 3: big only
                               (1 reserved) (6.3.1). */
    uint8_t atsrecerr;    /**< IDR0.ATSRECERR, 0/1: CR2.REC_CFG_ATS exists: configuration
                               errors of ATS requests and Translated transactions may be
                               recorded (6.3.1, 3.9.1.2); needs ats = 1. */
    uint8_t stall_model;  /**< IDR0.STALL_MODEL, 0: stall and terminate, 1: terminate only,
                               2: stall forced (6.3.1, 3.12.2); 0 and 2 need stall_max >= 1. */
    uint8_t term_model;   /**< IDR0.TERM_MODEL, 0/1: 1 = terminated transactions always abort
                               (CD.A has no effect; 6.3.1). */
    uint8_t st_level;     /**< IDR0.ST_LEVEL, 0: linear stream table only, 1: 2-level
                               supported (6.3.1, 5.1). */

    /* SMMU_IDR1 (6.3.2) */
    /** @var attr_types_ovr
     * IDR1.ATTR_TYPES_OVR, 0/1: incoming memory type and shareability can be
     * overridden in the STE (6.3.2, 13.1).
     * @var attr_perms_ovr
     * IDR1.ATTR_PERMS_OVR, 0/1: incoming permission attributes can be
     * overridden in the STE (6.3.2, 13.1).
     * @var rel
     * IDR1.REL, 0/1: table and queue base addresses are relative to the
     * SMMU base (6.3.2; embedded implementations, 3.16). */
    uint8_t attr_types_ovr, attr_perms_ovr, rel;
    /** @var cmdqs
     * IDR1.CMDQS: log2 of the maximum number of command queue entries, 0-19
     * (6.3.2).
     * @var eventqs
     * IDR1.EVENTQS: log2 of the maximum number of event queue entries, 0-19
     * (6.3.2).
     * @var priqs
     * IDR1.PRIQS: log2 of the maximum number of PRI queue entries, 0-19
     * (6.3.2). */
    uint8_t cmdqs, eventqs, priqs;
    uint8_t ssidsize;              /**< IDR1.SSIDSIZE: SubstreamID bits, 0-20 (6.3.2, 3.2). */
    uint8_t sidsize;               /**< IDR1.SIDSIZE: StreamID bits, 0-32 (6.3.2, 3.2). */

    /* SMMU_IDR2 (6.3.3) */
    uint16_t ba_vatos; /**< IDR2.BA_VATOS: VATOS page offset from the SMMU base in 64KB
                            units, 10 bits; meaningful only with vatos (6.3.3). */

    /* SMMU_IDR3 (6.3.4) */
    /** @var had
     * IDR3.HAD, 0/1: hierarchical attribute disables (CD.HAD0/HAD1; 6.3.4).
     * @var pbha
     * IDR3.PBHA, 0/1: page-based hardware attributes (6.3.4).
     * @var xnx
     * IDR3.XNX, 0/1: stage 2 XN[1] (EL0/EL1 execute-never; 6.3.4).
     * @var pps
     * IDR3.PPS, 0/1: a PRI response's PASID follows the page request's
     * (6.3.4, chapter 8).
     * @var mpam
     * IDR3.MPAM, 0/1: Memory Partitioning and Monitoring (6.3.4).
     * @var fwb
     * IDR3.FWB, 0/1: stage 2 forced write-back (STE.S2FWB; 6.3.4).
     * @var stt
     * IDR3.STT, 0/1: small translation tables (larger T0SZ/S2T0SZ; 6.3.4).
     * @var ril
     * IDR3.RIL, 0/1: range-based TLB invalidation (6.3.4, 4.4.1.1).
     * @var bbml
     * IDR3.BBML, 0-2: break-before-make level (6.3.4).
     * @var e0pd
     * IDR3.E0PD, 0/1: CD.E0PD0/E0PD1 (6.3.4).
     * @var ptwnnc
     * IDR3.PTWNNC, 0/1: table walks to Device memory are non-cacheable
     * (6.3.4). */
    uint8_t had, pbha, xnx, pps, mpam, fwb, stt, ril, bbml, e0pd, ptwnnc;

    /* SMMU_IDR5 (6.3.6) */
    uint8_t oas;  /**< IDR5.OAS, output address size: 0: 32, 1: 36, 2: 40, 3: 42, 4: 44,
                       5: 48, 6: 52 bits (6.3.6, 3.4). */
    /** @var gran4k
     * IDR5.GRAN4K, 0/1: 4KB translation granule (6.3.6).
     * @var gran16k
     * IDR5.GRAN16K, 0/1: 16KB translation granule (6.3.6).
     * @var gran64k
     * IDR5.GRAN64K, 0/1: 64KB translation granule (6.3.6). */
    uint8_t gran4k, gran16k, gran64k;
    uint8_t vax;  /**< IDR5.VAX, 0: 48-bit VA, 1: 52-bit VA (v3.1+) (6.3.6). */
    uint16_t stall_max;   /**< IDR5.STALL_MAX: stalls outstanding at once (6.3.6); STAGs are
                               0 .. stall_max - 1. Default 64; RES0 in IDR5 while
                               stall_model == 1. */

    /* SMMU_IIDR (6.3.7) */
    uint16_t iidr_implementer; /**< IIDR.Implementer: JEP106 code, bits [11:0] (6.3.7). */
    /** @var iidr_revision
     * IIDR.Revision, 0-15: minor revision of the product (6.3.7).
     * @var iidr_variant
     * IIDR.Variant, 0-15: major revision of the product (6.3.7). */
    uint8_t iidr_revision, iidr_variant;
    uint16_t iidr_productid; /**< IIDR.ProductID, 12 bits (6.3.7). */

    /* Model options */
    /** Secure requests on this Non-secure-only model: 0 = treat as Non-secure,
     * 1 = terminate with abort (no event). See docs/registers.md. */
    uint8_t secure_req_abort;
    /** Configuration cache entries (decoded STEs by StreamID and CDs by
     * StreamID/SubstreamID; power of two). 0 disables caching. Not
     * architected; what it caches is invalidated by CMD_CFGI_* (4.3). */
    uint32_t cfg_cache_entries;
    /** @var tlb_sets
     * TLB sets (power of two); the TLB holds tlb_sets x tlb_ways entries and
     * either 0 switches it off (every translation walks). Not architected;
     * invalidated by CMD_TLBI_* (4.4).
     * @var tlb_ways
     * TLB ways per set; 0 switches the TLB off.
     * @var tlb_repl
     * TLB and walk cache replacement: 0 round robin, 1 pseudo-random
     * (16-bit LFSR). */
    uint32_t tlb_sets, tlb_ways, tlb_repl;
    /** @var walk_cache_sets
     * Walk cache sets (power of two): table descriptors per stage and
     * level; either walk-cache count 0 switches it off. Not architected.
     * @var walk_cache_ways
     * Walk cache ways per set; 0 switches it off. */
    uint32_t walk_cache_sets, walk_cache_ways;
    /** Micro-TLB entries (power of two; 0 = off): complete translations per
     * StreamID/SubstreamID/4KB page in front of the TLB. */
    uint32_t utlb_entries;
} smmu_config_t;

/** Fill *cfg with a sensible implementation of revision `arch`: both stages,
 * 4K/16K/64K granules, 48-bit OAS, 16-bit SIDs, 2-level tables, MSI, ... */
SMMU_API void smmu_config_default(smmu_config_t *cfg, smmu_arch_t arch);

/** Check a configuration. Returns SMMU_OK or SMMU_ERR_CONFIG with a
 * human-readable reason in msg (NUL-terminated, truncated to msg_len). */
SMMU_API smmu_status_t smmu_config_check(const smmu_config_t *cfg, char *msg, size_t msg_len);

/** Build a configuration from raw ID register values, as read from a real
 * implementation (SMMU_IDR0..IDR5 in idr[0..5], SMMU_AIDR, SMMU_IIDR).
 *
 * Every ID field of *cfg comes from the registers; the model options (cache
 * geometry, secure_req_abort) are those of smmu_config_default() for the
 * revision in AIDR.ArchMinorRev. IDR4 (IMPLEMENTATION DEFINED, 6.3.5) is
 * ignored. The result then goes through smmu_config_check().
 *
 * Returns SMMU_OK and fills *cfg, or SMMU_ERR_CONFIG and leaves *cfg
 * untouched, with a message naming register, field and value and saying why:
 * "IDR0.TTENDIAN = 1 is Reserved (6.3.1)", "IDR0.ATS = 1 is not modelled
 * (6.3.1)", "IDR3[6] = 1 is RES0 (6.3.4)". SMMU_ERR_CONFIG also for a NULL idr
 * or cfg. msg may be NULL; it is NUL-terminated and truncated to msg_len.
 *
 * For every cfg that smmu_config_check() accepts, smmu_config_to_idr() then
 * smmu_config_from_idr() gives back cfg, except that fields the registers
 * do not show (ba_vatos without vatos, stall_max with stall_model == 1)
 * become 0 and the model options become the revision's defaults. */
SMMU_API smmu_status_t smmu_config_from_idr(const uint32_t idr[6], uint32_t aidr, uint32_t iidr,
                                   smmu_config_t *cfg, char *msg, size_t msg_len);

/** The ID register values of a configuration: exactly what smmu_mmio_read of
 * SMMU_IDR0..IDR5 (into idr[0..5]), SMMU_AIDR and SMMU_IIDR returns on an
 * instance created with cfg. IDR0.TTF = 0b10, IDR1.ECMDQ/TABLES_PRESET/
 * QUEUES_PRESET = 0, IDR4 = 0. Any of idr, aidr, iidr may be NULL. cfg is
 * not checked: field values wider than their register field are truncated. */
SMMU_API void smmu_config_to_idr(const smmu_config_t *cfg, uint32_t idr[6], uint32_t *aidr,
                        uint32_t *iidr);

/* ------------------------------------------------------------------------ */
/* Memory and interrupt callbacks.                                          */
/* ------------------------------------------------------------------------ */

/** What a memory access made by the SMMU is for. */
typedef enum smmu_access_kind {
    SMMU_ACC_STE = 0,    /**< STE or L1STD fetch */
    SMMU_ACC_CD,         /**< CD or L1CD fetch */
    SMMU_ACC_TT,         /**< translation table walk */
    SMMU_ACC_CMDQ,       /**< command queue read */
    SMMU_ACC_EVTQ,       /**< event queue write */
    SMMU_ACC_PRIQ,       /**< PRI queue write */
    SMMU_ACC_MSI,        /**< MSI write (4 bytes) */
    SMMU_ACC_SYNC,       /**< CMD_SYNC completion MSI */
    SMMU_ACC_TT_UPDATE,  /**< HTTU descriptor update */
} smmu_access_kind_t;

/** Interrupt lines (wired). Edge-style: one call per assertion (3.18). */
typedef enum smmu_irq {
    SMMU_IRQ_EVENTQ = 0,   /**< event queue became non-empty (IRQ_CTRL.EVENTQ_IRQEN; 7.2) */
    SMMU_IRQ_PRIQ = 1,     /**< PRI queue became non-empty (IRQ_CTRL.PRIQ_IRQEN; 8) */
    SMMU_IRQ_CMD_SYNC = 2, /**< CMD_SYNC with CS = SIG_IRQ completed (4.7.3) */
    SMMU_IRQ_GERROR = 3,   /**< a GERROR bit was activated (IRQ_CTRL.GERROR_IRQEN; 6.3.19) */
} smmu_irq_t;

struct smmu_event;
struct smmu_prg_response;
struct smmu_atc_inv;

/** An ATS Invalidate Request (CMD_ATC_INV, 4.5.1) as the endpoint sees
 * it, given to smmu_mem_ops_t.on_atc_inv. The range is
 * [addr, addr + 2^log2_span - 1]. */
typedef struct smmu_atc_inv {
    uint32_t sid;       /**< StreamID of the endpoint (RequesterID) */
    uint32_t ssid;      /**< SubstreamID (PASID) when ssv == 1, else 0 */
    uint8_t ssv;        /**< 1: the request carries a PASID TLP prefix */
    uint8_t global;     /**< Global Invalidate flag (only with ssv == 1; 4.5.1) */
    uint8_t log2_span;  /**< log2 of the span in bytes: 12 + Size, 12-64 (64: everything) */
    uint8_t reserved[5]; /**< zero; keeps addr 8-byte aligned */
    uint64_t addr;      /**< first address: Address[63:12 + Size], lower bits zero */
} smmu_atc_inv_t;

/** What an endpoint answered to an ATS Invalidate Request
 * (smmu_mem_ops_t.on_atc_inv). */
typedef enum smmu_atc_inv_result {
    SMMU_ATC_INV_OK = 0,          /**< invalidation completed */
    SMMU_ATC_INV_UR = 1,          /**< Unsupported Request: completes without error (3.9.1.5) */
    SMMU_ATC_INV_NO_RESPONSE = 2, /**< never answered: CERROR_ATC_INV_SYNC at the next
                                       CMD_SYNC (3.9.1.4) */
} smmu_atc_inv_result_t;

/** Which interrupt source an MSI comes from (3.18.2). */
typedef enum smmu_msi_source {
    SMMU_MSI_EVENTQ = 0,   /**< event queue: EVENTQ_IRQ_CFG0/1/2 (6.3.30-6.3.32) */
    SMMU_MSI_PRIQ = 1,     /**< PRI queue: PRIQ_IRQ_CFG0/1/2 (6.3.34-6.3.36) */
    SMMU_MSI_GERROR = 2,   /**< global error: GERROR_IRQ_CFG0/1/2 (6.3.21-6.3.23) */
    SMMU_MSI_CMD_SYNC = 3, /**< CMD_SYNC completion, CS = SIG_IRQ: MSIAddress, MSIData,
                                MSH, MSIAttr of the command (4.7.3) */
} smmu_msi_source_t;

/** The attributes of one MSI write (3.18), given to smmu_mem_ops_t.msi_write.
 * The SMMU never outputs inconsistent attributes (3.18, 13.1): sh and
 * memattr are the effective values, not the raw register fields. */
typedef struct smmu_msi_attr {
    uint8_t source;  /**< smmu_msi_source_t */
    /** Effective Shareability: 0b00 Non-shareable, 0b10 Outer, 0b11 Inner
     * Shareable. From *_IRQ_CFG2.SH (CMD_SYNC: MSH); 0b01 (Reserved) is
     * 0b00; any Device type and Normal iNC-oNC are 0b10 whatever SH says
     * (6.3.23, 4.7.3). */
    uint8_t sh;
    /** Effective memory type, STE.MemAttr encoding (5.2; Arm ARM stage 2
     * MemAttr[3:0]): from *_IRQ_CFG2.MemAttr (CMD_SYNC: MSIAttr); the
     * Reserved encodings 0b0100, 0b1000 and 0b1100 are 0b0000
     * (Device-nGnRnE). */
    uint8_t memattr;
    uint8_t reserved[5]; /**< zero */
} smmu_msi_attr_t;

/** What an invalidation command removed, for embedders that hand out direct
 * memory pointers (SystemC DMI): drop every grant that overlaps. */
typedef enum smmu_inval_kind {
    SMMU_INVAL_TLB_VA = 0,  /**< translations of input addresses [lo, hi] (VA) */
    SMMU_INVAL_TLB_IPA = 1, /**< stage-2 translations of IPAs [lo, hi] */
    SMMU_INVAL_CFG = 2,     /**< configuration of StreamIDs [lo, hi] */
} smmu_inval_kind_t;

/** The range one invalidation command removed, given to
 * smmu_mem_ops_t.on_invalidate. */
typedef struct smmu_inval_notice {
    uint8_t kind;     /**< what was invalidated, an smmu_inval_kind_t */
    uint8_t reserved[7]; /**< zero; keeps lo and hi 8-byte aligned */
    /** @var lo
     * First address (VA or IPA, bytes) or StreamID of the range, inclusive.
     * @var hi
     * Last address or StreamID of the range, inclusive; [0, UINT64_MAX]
     * means everything. */
    uint64_t lo, hi;
} smmu_inval_notice_t;

/** Result of a memory callback (read, write, cas64). SMMU_MEM_OK: the
 * access completed. SMMU_MEM_ABORT: an external abort (F_STE_FETCH,
 * F_CD_FETCH, F_WALK_EABT, CERROR_ABT, GERROR.EVENTQ_ABT_ERR or an
 * MSI_*_ABT_ERR, as the access kind decides). Every other value is reserved
 * for later results and is treated as an abort by this release. It is an
 * int, so callbacks written to return int (0 / non-zero) keep compiling in
 * C and C++. */
typedef int smmu_mem_result_t;
enum {
    SMMU_MEM_OK = 0,    /**< the access completed */
    SMMU_MEM_ABORT = 1, /**< the access ended in an external abort */
};

/** The embedder's memory, interrupt and observer callbacks: the only way
 * the model reaches memory (table fetches, queues, MSIs). Each gets the ctx
 * pointer given to smmu_create(); the re-entrancy rules below say when they
 * run and what they may call. */
typedef struct smmu_mem_ops {
    /** sizeof(smmu_mem_ops_t) of the release the embedder was built against,
     * or 0 for this release's layout. smmu_create copies MIN(size,
     * sizeof(smmu_mem_ops_t)) bytes and leaves every later member NULL, so
     * that an embedder built against an older, shorter table keeps working
     * when members are added at the end. Designated or {0} initialisers
     * that leave it out give 0. */
    uint32_t size;
    /** Read len bytes at physical address pa into buf, in memory byte order.
     * Return SMMU_MEM_OK or SMMU_MEM_ABORT (any non-zero value is an
     * external abort). If latency is non-NULL the embedder may store the
     * access latency in cycles. */
    smmu_mem_result_t (*read)(void *ctx, uint64_t pa, void *buf, uint32_t len,
                              smmu_access_kind_t kind, uint32_t *latency);
    /** Write len bytes; same conventions. */
    smmu_mem_result_t (*write)(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                               smmu_access_kind_t kind, uint32_t *latency);
    /** Optional: atomic 64-bit compare-and-swap for HTTU descriptor updates
     * (memory byte order). Stores the value found in *old. SMMU_MEM_OK on
     * success (whether or not the value matched), else an abort. */
    smmu_mem_result_t (*cas64)(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
                               uint64_t *old);
    /** Optional: a wired interrupt pulse. */
    void (*raise_irq)(void *ctx, smmu_irq_t irq);
    /** Optional observer: called for every event the SMMU produces, whether or
     * not it reaches the event queue (dropped records included). */
    void (*on_event)(void *ctx, const struct smmu_event *ev, int recorded);
    /** Optional: called once per CFGI_* / TLBI_* command with the range it
     * invalidated (a superset: VMID/ASID scoping is not expressed). */
    void (*on_invalidate)(void *ctx, const smmu_inval_notice_t *n);
    /** Optional (added with the stall model): work for smmu_take_completions
     * is waiting: a stalled transaction was resumed, terminated or is to be
     * retried (CMD_RESUME, CMD_STALL_TERM, SMMUEN 1 -> 0, the event queue
     * becoming writable again). Called from inside smmu_mmio_write; the
     * embedder calls smmu_take_completions later from its own context. */
    void (*on_completion_ready)(void *ctx);
    /** Optional (added with the PRI queue): a PRG Response Message to an
     * endpoint (8.3), whether commanded (CMD_PRI_RESP, inside
     * smmu_mmio_write) or automatic (8.1, 8.2: inside smmu_page_request).
     * struct smmu_prg_response is declared below. */
    void (*on_prg_response)(void *ctx, const struct smmu_prg_response *r);
    /** Optional (added with MSI attributes): one MSI (3.18), from any of the
     * four sources (attr->source). addr is the PA, already truncated to the
     * OAS (3.4.3) and 4-byte aligned, never 0; data is the 32-bit payload
     * (*_IRQ_CFG1.DATA or the CMD_SYNC MSIData) as a value, not in memory
     * byte order. Return SMMU_MEM_OK, or SMMU_MEM_ABORT for an aborted
     * write: GERROR.MSI_{EVENTQ,PRIQ,GERROR,CMDQ}_ABT_ERR follows (7.5).
     * Called where the MSI is sent (see the re-entrancy rules below) and
     * under the same rules as write. When NULL (or outside ops.size), MSIs
     * go through write as a 4-byte little-endian write of kind
     * SMMU_ACC_MSI (SMMU_ACC_SYNC for CMD_SYNC), without attributes. */
    smmu_mem_result_t (*msi_write)(void *ctx, uint64_t addr, uint32_t data,
                                   const smmu_msi_attr_t *attr);
    /** Optional (added with ATS): an ATS Invalidate Request to an endpoint
     * (CMD_ATC_INV, 4.5.1), called inside smmu_mmio_write while the command
     * is consumed. struct smmu_atc_inv is declared below. Returns
     * SMMU_ATC_INV_OK (the endpoint completed it), SMMU_ATC_INV_UR (an
     * Unsupported Request response: the command completes without error,
     * 3.9.1.5) or SMMU_ATC_INV_NO_RESPONSE (the endpoint never answers: the
     * next CMD_SYNC raises CERROR_ATC_INV_SYNC, 3.9.1.4). NULL: every
     * invalidation completes at once (OK). */
    int (*on_atc_inv)(void *ctx, const struct smmu_atc_inv *inv);
} smmu_mem_ops_t;

/**
 * @page reentrancy Re-entrancy: when the callbacks run, and what they may call
 *
 * (smmu_mem_ops_t; this text is in smmu.h after the callback table.)
 *
 *
 * Where callbacks run. Nothing happens in the background: every callback
 * runs inside a call the embedder made on the same instance.
 *  - Commands are consumed inside smmu_mmio_write of SMMU_CMDQ_PROD, of
 *    SMMU_CR0 setting CMDQEN, and of SMMU_GERRORN acknowledging CMDQ_ERR:
 *    the whole queue is consumed before that write returns. on_invalidate,
 *    the CMD_SYNC MSI (msi_write, else write with SMMU_ACC_SYNC) and
 *    SMMU_IRQ_CMD_SYNC fire there, and read (SMMU_ACC_CMDQ) fetches the
 *    commands. on_atc_inv (CMD_ATC_INV) fires there too; like read, write
 *    and cas64 it must not call into the instance.
 *  - Events (on_event, the event-queue write), interrupts (raise_irq) and
 *    MSIs (msi_write, else write with SMMU_ACC_MSI) fire inside
 *    smmu_translate (faults), smmu_page_request (PRI queue),
 *    smmu_inject_sfm (GERROR) or inside smmu_mmio_write (GERROR from a
 *    command error, CMD_SYNC).
 *  - read/write/cas64 for tables fire inside smmu_translate.
 *  - The Stall model never translates inside an MMIO write: CMD_RESUME,
 *    CMD_STALL_TERM, SMMUEN 1 -> 0 and the event queue becoming writable
 *    only mark stalls (on_completion_ready fires there); retries run inside
 *    smmu_take_completions, so a retried transaction's callbacks fire
 *    there. smmu_take_completions called from one of those callbacks
 *    returns SMMU_ERR_REENTERED.
 * Order: a record is in the event queue and EVENTQ_PROD has moved before
 * on_event and the EVENTQ interrupt are called; CMDQ_CONS.ERR is set
 * before GERROR.CMDQ_ERR is activated and its interrupt signalled.
 *
 * What a callback may call on the same instance:
 *  - on_event, raise_irq and on_invalidate may call smmu_mmio_read,
 *    smmu_mmio_write, smmu_get_stats and the event helpers. The core never
 *    translates inside an MMIO write or a callback: smmu_translate,
 *    smmu_page_request and smmu_take_completions called from any callback
 *    return SMMU_ERR_REENTERED and change nothing; translate from the
 *    embedder's own context once the callback has returned. A nested
 *    write that would consume commands (CMDQ_PROD, CR0.CMDQEN, GERRORN)
 *    updates the register and returns without consuming; the consumer
 *    already running picks the new state up when the callback returns
 *    (clearing CMDQEN stops it after the current command; new commands
 *    published through CMDQ_PROD are consumed before the outer write
 *    returns). A GERROR handler that acknowledges CMDQ_ERR from raise_irq
 *    must first fix the failing command (for example replace it with
 *    CMD_SYNC): the consumer re-reads the command at CMDQ_CONS at once, so
 *    acknowledging an unfixed command on every interrupt never returns.
 *  - read, write, cas64 and msi_write must not call into the instance (a
 *    table walk, a queue access or an MSI is in progress).
 *  - No callback may call smmu_reset or smmu_destroy on the instance that
 *    called it, or smmu_set_direct_memory.
 * Callbacks must not block: the SMMU is in the middle of an operation and
 * nothing else can progress on the instance until they return.
 * tests/test_reentrancy.cc pins this behaviour.
 */

/* ------------------------------------------------------------------------ */
/* Instance                                                                 */
/* ------------------------------------------------------------------------ */
/** Opaque handle of one SMMU instance (smmu_create, smmu_destroy). The tag is
 * not "smmu": that is the C++ namespace of model/. */
typedef struct smmu_instance smmu_t;

/** Create an instance in its reset state. The instance keeps a copy of the
 * first MIN(ops->size, sizeof(smmu_mem_ops_t)) bytes of *ops (all of it
 * when ops->size is 0); later members are NULL. ops->read and ops->write
 * are required (and must lie within ops->size). Returns NULL on a rejected
 * configuration or callback table (reason in msg) or on allocation
 * failure. */
SMMU_API smmu_t *smmu_create(const smmu_config_t *cfg, const smmu_mem_ops_t *ops, void *ctx,
                    char *msg, size_t msg_len);
/** Free an instance and everything it owns. NULL is accepted and ignored.
 * No callback runs. */
SMMU_API void smmu_destroy(smmu_t *smmu);
/** Return to the reset state (registers, queues, caches, statistics). This
 * is also the only way out of Service Failure Mode (smmu_inject_sfm). */
SMMU_API void smmu_reset(smmu_t *smmu);
/** Enter Service Failure Mode (12.3), as if the SMMU had detected a loss of
 * internal consistency: GERROR.SFM_ERR is activated (if not already
 * active) with its GERROR interrupt and MSI; every stalled transaction is
 * terminated (abort, through smmu_take_completions); from then on every
 * transaction ends SMMU_XLATE_ABORT with class SMMU_CLS_ABORT and cause
 * SMMU_CAUSE_SFM, with no event, whatever SMMUEN and GBPA say; no command
 * is consumed, no event or PRI queue entry is written, page requests get
 * the automatic Response Failure of 8.2. Registers stay readable and
 * writable. Acknowledging SFM_ERR through GERRORN does not leave the mode
 * (6.3.19); the model's IMPLEMENTATION DEFINED exit is smmu_reset() only
 * (docs/interrupts.md). Entering it again changes nothing. Returns
 * SMMU_ERR_INVAL for NULL. From a callback (raise_irq, on_event, ...) the
 * operation in progress finishes its current step (a command being
 * executed completes; the command queue then stops). */
SMMU_API smmu_status_t smmu_inject_sfm(smmu_t *smmu);
/** The configuration the instance was created with (a copy it owns; valid
 * until smmu_destroy). */
SMMU_API const smmu_config_t *smmu_get_config(const smmu_t *smmu);

/** Where the model reads or writes a queue, from its current register values:
 * the effective base PA (SMMU_*Q_BASE.ADDR with the bits at and above the OAS
 * dropped, aligned to the larger of the queue size in bytes and 32) and the
 * effective log2 of the entry count, MIN(LOG2SIZE, IDR1.*QS) (3.5.1, 6.3.26,
 * 6.3.29, 6.3.33). Entry i is at base + i * entry_bytes. An embedder that
 * fills the command queue or reads the event queue uses this instead of
 * decoding the base register itself. */
/** A queue of the SMMU (3.5). */
typedef enum smmu_queue_id {
    SMMU_QUEUE_CMDQ,   /**< 16-byte commands */
    SMMU_QUEUE_EVENTQ, /**< 32-byte event records */
    SMMU_QUEUE_PRIQ    /**< 16-byte PRI requests */
} smmu_queue_id_t;
/** Where a queue lives, as smmu_queue_layout() computes it. */
typedef struct smmu_queue_layout {
    uint64_t base;        /**< effective base PA of entry 0 (3.5.1, 6.3.26/29/33) */
    unsigned log2size;    /**< log2 of the entry count: MIN(LOG2SIZE, IDR1.*QS), 0-19 */
    unsigned entry_bytes; /**< bytes per entry: 16 (CMDQ, PRIQ) or 32 (EVENTQ) */
} smmu_queue_layout_t;
/** Returns SMMU_ERR_INVAL for an unknown queue or NULL arguments. */
SMMU_API smmu_status_t smmu_queue_layout(const smmu_t *smmu, smmu_queue_id_t q, smmu_queue_layout_t *out);

/** Optional fast path for embedders whose memory is a host array: reads the
 * SMMU makes of [pa, pa + size) (stream table, CDs, translation tables,
 * command queue) come straight from host, bypassing ops.read; writes (event
 * queue, MSIs, HTTU updates) still go through ops. The embedder keeps host
 * valid while the window is set; size 0 removes it. Reads in the window
 * never abort. Returns SMMU_ERR_INVAL for a NULL host with size != 0. */
SMMU_API smmu_status_t smmu_set_direct_memory(smmu_t *smmu, uint64_t pa, const void *host, uint64_t size);

/* ------------------------------------------------------------------------ */
/* MMIO: offset from the SMMU base (page 0 at 0, page 1 at 0x10000); size  */
/* in bytes, 4 or 8. Returns SMMU_ERR_INVAL for other sizes or misaligned  */
/* offsets (a bus error for the embedder). Architected behaviour of odd    */
/* accesses (RES0, undefined offsets, ...) is in docs/registers.md.        */
/* A write to SMMU_CMDQ_PROD consumes commands before returning.            */
/* ------------------------------------------------------------------------ */
/** Read the register at offset (SMMU_* in smmu_regs.h; 6.2) into *val,
 * size 4 or 8 bytes. SMMU_ERR_INVAL for another size, a misaligned offset
 * or a NULL argument. */
SMMU_API smmu_status_t smmu_mmio_read(smmu_t *smmu, uint64_t offset, unsigned size, uint64_t *val);
/** Write val to the register at offset, size 4 or 8 bytes, with the
 * register's architected side effects (6.3): a write to SMMU_CMDQ_PROD
 * consumes commands, CR0 is acknowledged in CR0ACK. SMMU_ERR_INVAL as for
 * smmu_mmio_read. */
SMMU_API smmu_status_t smmu_mmio_write(smmu_t *smmu, uint64_t offset, uint64_t val, unsigned size);

/* ------------------------------------------------------------------------ */
/* Transactions                                                             */
/* ------------------------------------------------------------------------ */
/** PCIe ATS kind of a transaction (3.9.1, 13.6). */
typedef enum smmu_ats_kind {
    SMMU_ATS_UNTRANSLATED = 0, /**< ordinary transaction */
    SMMU_ATS_TRANSLATED = 1,   /**< PCIe ATS translated transaction */
    SMMU_ATS_TRANSLATION_REQ = 2, /**< PCIe ATS translation request */
} smmu_ats_kind_t;

/** One incoming transaction (3.3): who issues it, where and how. */
typedef struct smmu_request {
    uint32_t sid;      /**< StreamID, below 2^IDR1.SIDSIZE (3.2) */
    uint32_t ssid;     /**< SubstreamID, below 2^IDR1.SSIDSIZE, valid only when ssv != 0 (3.2) */
    uint8_t ssv;       /**< SubstreamID present (absent differs from SSID 0) (3.2) */
    uint8_t write;     /**< 1 = write, 0 = read (RnW; 13.1) */
    uint8_t instr;     /**< 1 = instruction fetch (InD; ignored for writes) (13.1) */
    uint8_t priv;      /**< 1 = privileged (PnU; 13.1) */
    uint8_t secure;    /**< 1 = Secure stream (see smmu_config_t.secure_req_abort) (3.10) */
    uint8_t ats;       /**< smmu_ats_kind_t (3.9.1). For a Translation Request write is
                            !NW, instr is Exe requested and priv Priv requested (the
                            last two only with a PASID, ssv = 1; 13.7.1) */
    uint8_t pcie;      /**< 1 = PCIe (13.7: no PASID => Unprivileged Data) */
    uint8_t tbu;       /**< TBU (port) the request enters: below smmu_timing_t.num_tbus
                            (1 when timing is off), else SMMU_ERR_INVAL */
    uint32_t size;     /**< access size in bytes, >= 1 */
    uint64_t addr;     /**< input address (VA or IPA; 3.4) in bytes */
    uint64_t cycle;    /**< issue time, cycles (model timing, not architected) */
} smmu_request_t;

/** How a transaction completed, for the issuing device (3.12). */
typedef enum smmu_outcome {
    SMMU_XLATE_OK = 0,     /**< translated (or bypassed): pa is valid */
    SMMU_XLATE_ABORT = 1,  /**< terminated with an abort */
    SMMU_XLATE_RAZWI = 2,  /**< terminated: reads as zero, writes ignored */
    SMMU_XLATE_STALLED = 3,/**< stalled (3.12.2): resp.stag is the STAG; the transaction
                              completes later through smmu_take_completions */
    SMMU_XLATE_BUSY = 4,   /**< would stall but IDR5.STALL_MAX stalls are outstanding:
                              not accepted, no event, nothing changed; resend */
} smmu_outcome_t;

/** Permissions granted for the page, for DMI: bit 0 read, 1 write, 2 exec. */
#define SMMU_PERM_R 1u
#define SMMU_PERM_W 2u /**< write permitted (smmu_response_t.perms bit 1) */
#define SMMU_PERM_X 4u /**< instruction fetch permitted (smmu_response_t.perms bit 2) */
/** smmu_translate_debug only: a real access would first make HTTU update a
 * descriptor of the translation (AF == 0 with HA, 3.13.2). */
#define SMMU_PERM_HTTU 8u

/** Completion status of an ATS Translation Request (smmu_response_t.ats_status;
 * 3.9.1.2). A Success carries pa (the translated address, an IPA with
 * STE.EATS == 0b10), perms (R, W, X granted; 0 = access denied, page_size
 * is then the STU), ats_flags and page_base/page_size (the span of the
 * translation). UR and CA come with outcome SMMU_XLATE_ABORT. */
typedef enum smmu_ats_status {
    SMMU_ATS_NONE = 0,    /**< not a Translation Request */
    SMMU_ATS_SUCCESS = 1, /**< Success (outcome SMMU_XLATE_OK) */
    SMMU_ATS_UR = 2,      /**< Unsupported Request */
    SMMU_ATS_CA = 3,      /**< Completer Abort */
} smmu_ats_status_t;

/** Translation Completion flag U: untranslated access only (never set by this model). */
#define SMMU_ATS_FLAG_U 1u
/** Translation Completion flag N: No-snoop (always 0, 13.6.2.1). */
#define SMMU_ATS_FLAG_N 2u
/** Translation Completion flag Priv: the Priv of the request (13.7.1). */
#define SMMU_ATS_FLAG_PRIV 4u
/** Translation Completion flag Global (0 with a PASID, 3.9.1; the model never sets it). */
#define SMMU_ATS_FLAG_GLOBAL 8u

/** How a transaction ended (smmu_response_t.cls), filled on every path,
 * micro-TLB and TLB hits included. The causes (smmu_response_t.cause) say
 * why, where the class has more than one reason; SMMU_CAUSE_NONE otherwise.
 *   TRANSLATED        outcome OK, at least one stage translated.
 *   BYPASS            outcome OK, both stages bypassed by the STE: cause
 *                     STE_CONFIG (STE.Config 0b100, 5.2) or S1DSS
 *                     (STE.S1DSS 0b01 for a transaction without a
 *                     SubstreamID, stage 2 off; 5.2); or an ATS
 *                     Translated transaction passed: ATS_TRANSLATED.
 *   DISABLED          outcome OK, SMMUEN == 0 and GBPA.ABORT == 0: cause
 *                     GBPA (6.3.14).
 *   ABORT             terminated without an event: cause STE_CONFIG
 *                     (STE.Config 0b000, 5.2), GBPA_ABORT (SMMUEN == 0,
 *                     GBPA.ABORT == 1; 6.3.14), OAS (SMMUEN == 0, address
 *                     above the OAS, 3.4.1/6.3.14, or a Translated
 *                     transaction above the OAS, 3.9.1.1) or SECURE
 *                     (smmu_config_t.secure_req_abort) or SFM
 *                     (Service Failure Mode, 12.3; smmu_inject_sfm).
 *   FAULT_RECORDED    an event was raised and its record written to the
 *                     event queue (7.2); outcome ABORT or RAZWI.
 *   FAULT_UNRECORDED  an event was raised but no record written: cause
 *                     CD_R (CD.R == 0, 5.4), STE_S2R (STE.S2R == 0, 5.2),
 *                     RECINVSID (CR2.RECINVSID == 0, 7.3.3), QUEUE_DISABLED
 *                     (EVENTQEN == 0, 7.2.1), QUEUE_ABT_ERR
 *                     (GERROR.EVENTQ_ABT_ERR active, 7.2.2), QUEUE_FULL
 *                     (7.4), WRITE_ABORT (the write of this record
 *                     aborted, 7.2.2), REC_CFG_ATS (3.9.1.2) or SECURE
 *                     (an ATS event of a Secure stream: no Secure event
 *                     queue is modelled). */
typedef enum smmu_resp_class {
    SMMU_CLS_TRANSLATED = 0,       /**< at least one stage translated */
    SMMU_CLS_BYPASS = 1,           /**< both stages bypassed by the STE */
    SMMU_CLS_DISABLED = 2,         /**< SMMUEN == 0, GBPA bypass */
    SMMU_CLS_ABORT = 3,            /**< terminated without an event */
    SMMU_CLS_FAULT_RECORDED = 4,   /**< event raised and recorded */
    SMMU_CLS_FAULT_UNRECORDED = 5, /**< event raised, no record written */
    SMMU_CLS_STALLED = 6,          /**< outcome STALLED: event raised, transaction held
                                        (3.12.2); cause NONE when its record was written,
                                        else the queue's reason (the record follows when
                                        the queue is writable, 7.2.1) */
    SMMU_CLS_BUSY = 7,             /**< outcome BUSY */
} smmu_resp_class_t;

/** Why a transaction ended in its class (smmu_response_t.cause); see
 * smmu_resp_class_t for which causes go with which class. */
typedef enum smmu_resp_cause {
    SMMU_CAUSE_NONE = 0,            /**< the class has a single reason */
    SMMU_CAUSE_STE_CONFIG = 1,      /**< STE.Config bypass (0b100) or abort (0b000) (5.2) */
    SMMU_CAUSE_S1DSS = 2,           /**< STE.S1DSS = 0b01 bypass, no SubstreamID (5.2) */
    SMMU_CAUSE_GBPA = 3,            /**< SMMUEN == 0, GBPA.ABORT == 0 (6.3.14) */
    SMMU_CAUSE_GBPA_ABORT = 4,      /**< SMMUEN == 0, GBPA.ABORT == 1 (6.3.14) */
    SMMU_CAUSE_OAS = 5,             /**< SMMUEN == 0, address above the OAS (3.4.1) */
    SMMU_CAUSE_SECURE = 6,          /**< Secure request refused (secure_req_abort) */
    SMMU_CAUSE_CD_R = 7,            /**< CD.R == 0: event not recorded (5.4) */
    SMMU_CAUSE_STE_S2R = 8,         /**< STE.S2R == 0: stage 2 event not recorded (5.2) */
    SMMU_CAUSE_RECINVSID = 9,       /**< CR2.RECINVSID == 0 (7.3.3) */
    SMMU_CAUSE_QUEUE_DISABLED = 10, /**< CR0.EVENTQEN == 0 (7.2.1) */
    SMMU_CAUSE_QUEUE_ABT_ERR = 11,  /**< GERROR.EVENTQ_ABT_ERR active (7.2.2) */
    SMMU_CAUSE_QUEUE_FULL = 12,     /**< event queue full (7.4) */
    SMMU_CAUSE_WRITE_ABORT = 13,    /**< the write of this record aborted (7.2.2) */
    SMMU_CAUSE_SFM = 14,            /**< Service Failure Mode: every transaction aborts (12.3) */
    SMMU_CAUSE_REC_CFG_ATS = 15,    /**< CR2.REC_CFG_ATS == 0: a configuration error of an
                                         ATS request or Translated transaction is not
                                         recorded (3.9.1.2, 3.9.1.3) */
    SMMU_CAUSE_ATS_TRANSLATED = 16, /**< an ATS Translated transaction passed without
                                         translation (CR0.ATSCHK == 0, or STE.EATS 0bx1;
                                         3.9.1.3) */
} smmu_resp_cause_t;

/** The result of smmu_translate(): outcome, output address and attributes,
 * and the event raised, if any. */
typedef struct smmu_response {
    uint8_t outcome;    /**< smmu_outcome_t */
    uint8_t event;      /**< event type raised (0 = none) even if not recorded */
    uint8_t recorded;   /**< 1 if the event reached the event queue */
    uint8_t perms;      /**< SMMU_PERM_* granted over [page_base, page_base+page_size) */
    uint8_t memattr;    /**< resulting MAIR-style attribute byte (13.1, Arm ARM MAIR_EL1) */
    uint8_t sh;         /**< shareability, 0 non, 2 outer, 3 inner (13.1) */
    uint8_t ns;         /**< 1 = Non-secure output (3.10) */
    uint8_t ats_status; /**< smmu_ats_status_t: the completion status of an ATS
                             Translation Request (3.9.1.2); SMMU_ATS_NONE otherwise */
    uint32_t stag;      /**< stall tag (STAG, 16 bits) when outcome == STALLED (3.12.2) */
    uint8_t cls;        /**< smmu_resp_class_t: how the transaction ended */
    uint8_t cause;      /**< smmu_resp_cause_t: why (SMMU_CAUSE_NONE where none) */
    uint8_t ats_flags;  /**< SMMU_ATS_FLAG_* of a Translation Completion (Success only) */
    uint8_t reserved1;  /**< zero */
    uint64_t pa;        /**< output address (bytes, below 2^OAS) when outcome == OK */
    uint64_t page_base; /**< input address of the first byte of the range with the same
                             translation and permissions (for DMI) */
    uint64_t page_size; /**< bytes in that range (the leaf's size, at least 4KB when
                             translated) */
    uint64_t done_cycle; /**< completion time, cycles (model timing, not architected) */
} smmu_response_t;

/** cls and cause live in the padding that followed stag: the size and every
 * other offset are those of the first release. */
#ifdef __cplusplus
static_assert(sizeof(smmu_response_t) == 48 && offsetof(smmu_response_t, cls) == 12 &&
                  offsetof(smmu_response_t, cause) == 13 && offsetof(smmu_response_t, pa) == 16,
              "smmu_response_t layout");
#else
_Static_assert(sizeof(smmu_response_t) == 48 && offsetof(smmu_response_t, cls) == 12 &&
                   offsetof(smmu_response_t, cause) == 13 && offsetof(smmu_response_t, pa) == 16,
               "smmu_response_t layout");
#endif

/** Translate one transaction. Always fills *resp; returns SMMU_ERR_INVAL only
 * for bad arguments. Faults are recorded in the event queue as the
 * architecture says and reported in resp->event. A transaction that stalls
 * (CD.S, STE.S2S; 3.12.2) returns outcome SMMU_XLATE_STALLED with its STAG
 * in resp->stag; its final response comes from smmu_take_completions. */
SMMU_API smmu_status_t smmu_translate(smmu_t *smmu, const smmu_request_t *req, smmu_response_t *resp);

/** Translate one transaction as smmu_translate would, with no side effect:
 * no event, no cache fill (the configuration cache and the TLB are not
 * consulted except that cached STEs/CDs are used as the translation would
 * use them), no HTTU write, no statistic, no register change; memory is
 * only read (ops.read). For debuggers (a SystemC transport_dbg) and DMI.
 * resp: outcome SMMU_XLATE_OK with pa, perms (for the request's privilege,
 * both stages, as the descriptors are: a writable-clean DBM page has no W;
 * plus SMMU_PERM_HTTU when the access would set an AF), memattr, sh,
 * page_base/page_size (the leaf's page or block, contiguous hint not
 * applied); or SMMU_XLATE_ABORT with event = the event type a real
 * translation would raise (0: terminated without an event). Every fault
 * reports ABORT: CD.A/STE.S2R (RAZ/WI) and stalls are not distinguished.
 * ATS traffic (req->ats != 0) is not modelled here: ABORT with event
 * F_UUT without IDR0.ATS, with no event (0) with it (docs/ats.md).
 * Returns SMMU_ERR_INVAL only for NULL arguments. */
SMMU_API smmu_status_t smmu_translate_debug(smmu_t *smmu, const smmu_request_t *req, smmu_response_t *resp);

/* ------------------------------------------------------------------------ */
/* Stall model (3.12.2, 4.7.1, 4.7.2): completions of stalled transactions. */
/* ------------------------------------------------------------------------ */
/** The final response of a transaction that returned SMMU_XLATE_STALLED,
 * keyed by the StreamID and the STAG of that response. resp is what a
 * retry produced (OK, ABORT, RAZWI, or STALLED again with a new STAG:
 * wait for that one next) or the termination (ABORT, RAZWI). */
typedef struct smmu_completion {
    uint32_t sid;         /**< StreamID of the stalled transaction */
    uint16_t stag;        /**< its STAG (smmu_response_t.stag when it stalled) */
    uint16_t reserved;    /**< zero */
    smmu_response_t resp; /**< its final response (or STALLED again, with a new STAG) */
} smmu_completion_t;

/** Run the work that commands and register writes only marked (the core
 * never translates inside an MMIO write): retries of stalls resumed by
 * CMD_RESUME(Retry) and of stalls whose record waited for the event queue
 * (7.2.1), in STAG order, then hand out up to max completions, oldest
 * first, into out[0 .. *n - 1]. Completions beyond max stay queued for the
 * next call. Terminations (CMD_RESUME(Terminate), CMD_STALL_TERM,
 * SMMUEN 1 -> 0) are queued when the command or the write happens.
 * Returns SMMU_ERR_INVAL for a NULL smmu or n, or NULL out with max > 0;
 * SMMU_ERR_REENTERED (nothing done) when called from a callback of a retry
 * that this function is running. */
SMMU_API smmu_status_t smmu_take_completions(smmu_t *smmu, smmu_completion_t *out, unsigned max,
                                    unsigned *n);

/* ------------------------------------------------------------------------ */
/* PRI (chapter 8): page requests in, PRG responses out.                    */
/* ------------------------------------------------------------------------ */
/** A PCIe PRI Page Request (PPR) or Stop Marker as it arrives (8: the PRI
 * queue entry holds these fields). A Stop Marker has ssv = 1, last = 1,
 * w = r = 0 (no response); the same without a PASID is a PPR. */
typedef struct smmu_ppr {
    uint32_t sid;    /**< StreamID */
    uint32_t ssid;   /**< PASID, 20 bits; valid only with ssv */
    uint64_t addr;   /**< page address: bits [63:12], bits [11:0] must be 0 */
    uint16_t prgi;   /**< PRGIndex, 9 bits */
    uint8_t ssv;     /**< PASID prefix present (needs IDR1.SSIDSIZE != 0) */
    uint8_t secure;  /**< from a Secure stream: never queued (8.2) */
    uint8_t last;    /**< Last request of the page request group */
    uint8_t r;       /**< read access requested */
    uint8_t w;       /**< write access requested */
    uint8_t x;       /**< execute requested (needs ssv, 8) */
    uint8_t priv;    /**< privileged (needs ssv, 8) */
    uint8_t reserved[3]; /**< zero */
} smmu_ppr_t;

/** PCIe PRG Response codes (8.3). */
enum {
    SMMU_PRG_SUCCESS = 0x0,          /**< Success */
    SMMU_PRG_INVALID_REQUEST = 0x1,  /**< Invalid Request */
    SMMU_PRG_RESPONSE_FAILURE = 0xF, /**< Response Failure */
};

/** A PRG Response Message to the endpoint of sid (8.3). */
typedef struct smmu_prg_response {
    uint32_t sid;      /**< StreamID of the endpoint */
    uint32_t ssid;     /**< the PASID prefix, valid with ssv */
    uint16_t prgi;     /**< PRGIndex */
    uint8_t ssv;       /**< a PASID prefix is present */
    uint8_t code;      /**< SMMU_PRG_* */
    uint8_t automatic; /**< 1: generated by the SMMU (8.1, 8.2), 0: CMD_PRI_RESP */
    uint8_t reserved[3]; /**< zero */
} smmu_prg_response_t;

/** A page request from an endpoint (IDR0.PRI == 1). Written to the PRI
 * queue when it is enabled, not in overflow and without PRIQ_ABT_ERR;
 * otherwise discarded with the automatic responses of 8.1/8.2 through
 * ops.on_prg_response. Returns SMMU_ERR_INVAL, changing nothing, for a
 * NULL argument, an SMMU without PRI, or a bad field (ssid above 20 bits,
 * prgi above 9 bits, addr bits [11:0] set, a flag above 1, ssv without
 * SubstreamID support, x or priv without ssv). */
SMMU_API smmu_status_t smmu_page_request(smmu_t *smmu, const smmu_ppr_t *ppr);

/* ------------------------------------------------------------------------ */
/* Events (7.3)                                                             */
/* ------------------------------------------------------------------------ */
/** Event record type, the record's bits [7:0] (7.3). */
typedef enum smmu_event_type {
    SMMU_EVT_F_UUT = 0x01,              /**< unsupported upstream transaction (7.3.2) */
    SMMU_EVT_C_BAD_STREAMID = 0x02,     /**< StreamID out of range (7.3.3) */
    SMMU_EVT_F_STE_FETCH = 0x03,        /**< external abort fetching an STE (7.3.4) */
    SMMU_EVT_C_BAD_STE = 0x04,          /**< STE invalid or ILLEGAL (7.3.5) */
    SMMU_EVT_F_BAD_ATS_TREQ = 0x05,     /**< bad ATS translation request (7.3.6) */
    SMMU_EVT_F_STREAM_DISABLED = 0x06,  /**< non-substream transaction, S1DSS = 0b00 (7.3.7) */
    SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07, /**< translated ATS transaction forbidden (7.3.8) */
    SMMU_EVT_C_BAD_SUBSTREAMID = 0x08,  /**< SubstreamID out of range (7.3.9) */
    SMMU_EVT_F_CD_FETCH = 0x09,         /**< external abort fetching a CD (7.3.10) */
    SMMU_EVT_C_BAD_CD = 0x0A,           /**< CD invalid or ILLEGAL (7.3.11) */
    SMMU_EVT_F_WALK_EABT = 0x0B,        /**< external abort during a table walk (7.3.12) */
    SMMU_EVT_F_TRANSLATION = 0x10,      /**< translation fault (7.3.13) */
    SMMU_EVT_F_ADDR_SIZE = 0x11,        /**< address size fault (7.3.14) */
    SMMU_EVT_F_ACCESS = 0x12,           /**< Access flag fault (7.3.15) */
    SMMU_EVT_F_PERMISSION = 0x13,       /**< permission fault (7.3.16) */
    SMMU_EVT_F_TLB_CONFLICT = 0x20,     /**< TLB conflict (7.3.17) */
    SMMU_EVT_F_CFG_CONFLICT = 0x21,     /**< configuration cache conflict (7.3.18) */
    SMMU_EVT_E_PAGE_REQUEST = 0x24,     /**< speculative page request hint (7.3.19) */
    SMMU_EVT_F_VMS_FETCH = 0x25,        /**< external abort fetching a VMS (7.3.20) */
} smmu_event_type_t;

/** CLASS field of translation-related records (7.3.12 onwards). */
typedef enum smmu_event_class {
    SMMU_CLASS_CD = 0, /**< fault while fetching a CD (through stage 2) */
    SMMU_CLASS_TT = 1, /**< fault while fetching a translation table descriptor */
    SMMU_CLASS_IN = 2, /**< fault on the input address of the transaction */
} smmu_event_class_t;

/** A decoded event record (7.3): the fields a record can carry; those a
 * record type does not have are zero. smmu_event_encode() produces the
 * exact 32-byte record. */
typedef struct smmu_event {
    uint8_t type;      /**< smmu_event_type_t, record bits [7:0] (7.3) */
    uint8_t ssv;       /**< SSV, 0/1: ssid is valid (7.3) */
    uint8_t s2;        /**< S2, 0/1: the fault is from stage 2 (7.3.12-7.3.16) */
    uint8_t cls;       /**< smmu_event_class_t, CLASS (7.3.12-7.3.16) */
    /** @var rnw
     * RnW, 0/1: 1 = the faulting transaction was a read (7.3).
     * @var ind
     * InD, 0/1: 1 = instruction fetch (7.3).
     * @var pnu
     * PnU, 0/1: 1 = privileged (7.3).
     * @var nsipa
     * NSIPA, 0/1: the IPA is Non-secure (stage 2 faults; 7.3.13).
     * @var ttrnw
     * TTRnW, 0/1: the faulting descriptor access was a read (1) or an HTTU
     * write (0), CLASS TT (7.3.12-7.3.16). */
    uint8_t rnw, ind, pnu, nsipa, ttrnw;
    uint8_t stall;     /**< Stall, 0/1: the transaction is stalled, stag is valid (7.3) */
    uint16_t stag;     /**< STAG, 16 bits: the stall tag for CMD_RESUME (7.3, 4.7.1) */
    uint32_t sid;      /**< StreamID of the transaction (7.3) */
    uint32_t ssid;     /**< SubstreamID, 20 bits, when ssv (7.3) */
    uint32_t reason;   /**< C_BAD_STE/C_BAD_CD: model-specific reason code (docs/config-structures.md); F_UUT: docs/translation.md */
    uint64_t input_addr; /**< InputAddr: the transaction's input address, 64 bits (7.3) */
    uint64_t ipa;      /**< IPA of a stage 2 fault: bits [55:12] meaningful; low 12 bits zero (7.3.13) */
    uint64_t fetch_addr; /**< FetchAddr: PA of the fetch that aborted or faulted
                              (F_STE_FETCH, F_CD_FETCH, F_WALK_EABT; 7.3.4, 7.3.10, 7.3.12) */
} smmu_event_t;

/** Encode ev into the 32-byte little-endian record of 7.3 (8 x 32-bit words,
 * word i at rec[i]). */
SMMU_API void smmu_event_encode(const smmu_event_t *ev, uint32_t rec[8]);
/** Decode a record back (for tools and tests). */
SMMU_API void smmu_event_decode(const uint32_t rec[8], smmu_event_t *ev);
/** Name of an event type ("F_TRANSLATION"), or "UNKNOWN". */
SMMU_API const char *smmu_event_name(unsigned type);

/* ------------------------------------------------------------------------ */
/* Statistics                                                               */
/* ------------------------------------------------------------------------ */
/** Counters of an instance since creation, smmu_reset() or
 * smmu_clear_stats(). Model observations, not architected state: every
 * counter is a plain count (64-bit, wraps at 2^64). */
typedef struct smmu_stats {
    uint64_t translations;      /**< smmu_translate calls */
    uint64_t translated_ok;     /**< transactions translated with outcome SMMU_XLATE_OK */
    uint64_t aborted;           /**< transactions with outcome SMMU_XLATE_ABORT */
    uint64_t razwi;             /**< transactions with outcome SMMU_XLATE_RAZWI */
    uint64_t bypassed;          /**< GBPA or STE bypass */
    /** @var walks_s1
     * Stage 1 translation table walks (D8.2).
     * @var walks_s2
     * Stage 2 translation table walks (D8.2). */
    uint64_t walks_s1, walks_s2;
    uint64_t tt_reads;          /**< translation-table descriptor reads */
    /** @var ste_fetches
     * STEs fetched from memory: configuration cache misses (5.2).
     * @var cd_fetches
     * CDs fetched from memory: configuration cache misses (5.4). */
    uint64_t ste_fetches, cd_fetches;
    /** @var cfg_cache_hits
     * Configuration lookups answered by the configuration cache.
     * @var cfg_cache_misses
     * Configuration lookups that fetched from memory. */
    uint64_t cfg_cache_hits, cfg_cache_misses;
    uint64_t utlb_hits;         /**< translations answered by the micro-TLB */
    /** @var tlb_hits
     * Lookups answered by the TLB.
     * @var tlb_misses
     * TLB lookups that missed (a walk follows).
     * @var tlb_inserts
     * Entries written into the TLB.
     * @var tlb_invalidated
     * TLB entries removed by invalidation commands (4.4). */
    uint64_t tlb_hits, tlb_misses, tlb_inserts, tlb_invalidated;
    uint64_t walk_cache_hits;   /**< table descriptors found in the walk cache */
    uint64_t events_raised;     /**< events raised, recorded or not (7.3) */
    uint64_t events_recorded;   /**< event records written to the event queue (7.2) */
    uint64_t events_dropped_disabled; /**< queue not writable (7.2) */
    uint64_t events_dropped_full;     /**< queue full (7.4) */
    uint64_t commands;          /**< commands consumed from the command queue (4.1) */
    uint64_t cmd_by_opcode[256]; /**< commands consumed, indexed by opcode (SMMU_CMD_*; 4.1.1) */
    uint64_t cerrors;           /**< command errors: CMDQ_CONS.ERR set (CERROR_*; 7.1) */
    /** @var mem_reads
     * Memory reads the SMMU made, through smmu_mem_ops_t.read or the
     * direct-memory window (smmu_set_direct_memory).
     * @var mem_writes
     * Memory writes the SMMU made through smmu_mem_ops_t.write, MSIs sent
     * through smmu_mem_ops_t.msi_write included. */
    uint64_t mem_reads, mem_writes;
    uint64_t httu_updates;      /**< descriptors updated by HTTU (AF, dirty) */
} smmu_stats_t;

/** Copy the instance's counters into *out. */
SMMU_API void smmu_get_stats(const smmu_t *smmu, smmu_stats_t *out);
/** Set every counter to zero; nothing else changes. */
SMMU_API void smmu_clear_stats(smmu_t *smmu);

/* ------------------------------------------------------------------------ */
/* ABI description, for bindings (ctypes, DPI-C) that lay the structs out   */
/* themselves and must refuse to load against a different layout.           */
/* ------------------------------------------------------------------------ */
#define SMMU_ABI_VERSION_MAJOR 1u /**< ABI major: raised by an incompatible layout or signature change */
#define SMMU_ABI_VERSION_MINOR 2u /**< ABI minor: raised by additions only */

/** SMMU_ABI_VERSION_MAJOR << 16 | SMMU_ABI_VERSION_MINOR of the library. */
SMMU_API uint32_t smmu_abi_version(void);

/** One member of a public struct: offset and size in bytes. For each struct
 * one row has field "" and gives sizeof the struct (offset 0). An array
 * member (smmu_stats_t.cmd_by_opcode) is one row with the array's size. */
typedef struct smmu_abi_field {
    const char *strct; /**< "smmu_config_t" */
    const char *field; /**< "tlb_sets", or "" for the struct's own size */
    uint32_t offset; /**< offsetof the member in bytes (0 for the struct row) */
    uint32_t size;   /**< sizeof the member (or the struct) in bytes */
} smmu_abi_field_t;

/** Every member of every public struct (smmu.h, smmu_cmd.h). Stores the
 * number of rows in *n (n may be NULL); the table is static. */
SMMU_API const smmu_abi_field_t *smmu_abi_fields(size_t *n);

#ifdef __cplusplus
}
#endif
#endif /* SMMU_SMMU_H */
