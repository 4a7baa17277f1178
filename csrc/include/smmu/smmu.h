/*
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

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Status codes: model-level errors. Architected outcomes (faults, events,  */
/* CERROR, GERROR) are never reported through these.                        */
/* ------------------------------------------------------------------------ */
typedef enum smmu_status {
    SMMU_OK = 0,
    SMMU_ERR_INVAL = -1,  /* bad argument (NULL pointer, bad access size) */
    SMMU_ERR_CONFIG = -2, /* configuration rejected; see the message buffer */
    SMMU_ERR_NOMEM = -3,
    SMMU_ERR_REENTERED = -4, /* smmu_take_completions called from inside itself
                                (from a callback of a retried transaction) */
} smmu_status_t;

/* Architecture revision, SMMU_AIDR.ArchMinorRev (6.3.8). */
typedef enum smmu_arch {
    SMMU_ARCH_V3_0 = 0,
    SMMU_ARCH_V3_1 = 1,
    SMMU_ARCH_V3_2 = 2,
    SMMU_ARCH_V3_3 = 3,
} smmu_arch_t;

/* ------------------------------------------------------------------------ */
/* Configuration: every ID-register field an implementation may choose      */
/* (6.3.1-6.3.8), plus model options. Use smmu_config_default() and then    */
/* change fields; smmu_config_check() (also run by smmu_create) rejects a   */
/* configuration that the chosen architecture revision does not allow.      */
/* Field names follow the registers; values are the register encodings.     */
/* ------------------------------------------------------------------------ */
typedef struct smmu_config {
    /* SMMU_AIDR */
    uint8_t arch_minor; /* smmu_arch_t */

    /* SMMU_IDR0 (6.3.1). TTF is fixed to AArch64-only (0b10). */
    uint8_t s1p, s2p;
    uint8_t cohacc, btm;
    uint8_t httu;         /* 0: none, 1: AF, 2: AF+dirty (3, HAFT, is v3.4: rejected) */
    uint8_t dormhint, hyp, ats, ns1ats, asid16, msi, sev, atos, pri, vmw, vmid16, cd2l,
        vatos;
    uint8_t ttendian;     /* 0: mixed, 2: little only, 3: big only (1 reserved) */
    uint8_t atsrecerr;
    uint8_t stall_model;  /* 0: stall+terminate, 1: terminate only, 2: stall forced
                             (6.3.1); 0 and 2 need stall_max >= 1 */
    uint8_t term_model;
    uint8_t st_level;     /* 0: linear only, 1: 2-level supported */

    /* SMMU_IDR1 (6.3.2) */
    uint8_t attr_types_ovr, attr_perms_ovr, rel;
    uint8_t cmdqs, eventqs, priqs; /* log2 of the maximum queue entries */
    uint8_t ssidsize;              /* 0..20 */
    uint8_t sidsize;               /* 0..32 */

    /* SMMU_IDR2 (6.3.3) */
    uint16_t ba_vatos;

    /* SMMU_IDR3 (6.3.4) */
    uint8_t had, pbha, xnx, pps, mpam, fwb, stt, ril, bbml, e0pd, ptwnnc;

    /* SMMU_IDR5 (6.3.6) */
    uint8_t oas;  /* 0:32 1:36 2:40 3:42 4:44 5:48 6:52 bits */
    uint8_t gran4k, gran16k, gran64k;
    uint8_t vax;  /* 0: 48-bit VA, 1: 52-bit VA (v3.1+) */
    uint16_t stall_max;   /* stalls outstanding at once (6.3.6); STAGs are
                             0 .. stall_max - 1. Default 64; RES0 in IDR5
                             while stall_model == 1 */

    /* SMMU_IIDR (6.3.7) */
    uint16_t iidr_implementer; /* JEP106 code, [11:0] */
    uint8_t iidr_revision, iidr_variant;
    uint16_t iidr_productid;

    /* Model options */
    /* Secure requests on this Non-secure-only model: 0 = treat as Non-secure,
     * 1 = terminate with abort (no event). See docs/registers.md. */
    uint8_t secure_req_abort;
    /* Configuration cache entries (decoded STEs by StreamID and CDs by
     * StreamID/SubstreamID; power of two). 0 disables caching. */
    uint32_t cfg_cache_entries;
    /* TLB geometry: tlb_sets (power of two) x tlb_ways entries; either 0
     * switches the TLB off (every translation walks). tlb_repl: 0 round
     * robin, 1 pseudo-random (16-bit LFSR). */
    uint32_t tlb_sets, tlb_ways, tlb_repl;
    /* Walk cache (table descriptors per stage and level): sets (power of
     * two) x ways; either 0 switches it off. Same replacement as the TLB. */
    uint32_t walk_cache_sets, walk_cache_ways;
    /* Micro-TLB entries (power of two; 0 = off): complete translations per
     * StreamID/SubstreamID/4KB page in front of the TLB. */
    uint32_t utlb_entries;
} smmu_config_t;

/* Fill *cfg with a sensible implementation of revision `arch`: both stages,
 * 4K/16K/64K granules, 48-bit OAS, 16-bit SIDs, 2-level tables, MSI, ... */
void smmu_config_default(smmu_config_t *cfg, smmu_arch_t arch);

/* Check a configuration. Returns SMMU_OK or SMMU_ERR_CONFIG with a
 * human-readable reason in msg (NUL-terminated, truncated to msg_len). */
smmu_status_t smmu_config_check(const smmu_config_t *cfg, char *msg, size_t msg_len);

/* Build a configuration from raw ID register values, as read from a real
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
smmu_status_t smmu_config_from_idr(const uint32_t idr[6], uint32_t aidr, uint32_t iidr,
                                   smmu_config_t *cfg, char *msg, size_t msg_len);

/* The ID register values of a configuration: exactly what smmu_mmio_read of
 * SMMU_IDR0..IDR5 (into idr[0..5]), SMMU_AIDR and SMMU_IIDR returns on an
 * instance created with cfg. IDR0.TTF = 0b10, IDR1.ECMDQ/TABLES_PRESET/
 * QUEUES_PRESET = 0, IDR4 = 0. Any of idr, aidr, iidr may be NULL. cfg is
 * not checked: field values wider than their register field are truncated. */
void smmu_config_to_idr(const smmu_config_t *cfg, uint32_t idr[6], uint32_t *aidr,
                        uint32_t *iidr);

/* ------------------------------------------------------------------------ */
/* Memory and interrupt callbacks.                                          */
/* ------------------------------------------------------------------------ */

/* What a memory access made by the SMMU is for. */
typedef enum smmu_access_kind {
    SMMU_ACC_STE = 0,    /* STE or L1STD fetch */
    SMMU_ACC_CD,         /* CD or L1CD fetch */
    SMMU_ACC_TT,         /* translation table walk */
    SMMU_ACC_CMDQ,       /* command queue read */
    SMMU_ACC_EVTQ,       /* event queue write */
    SMMU_ACC_PRIQ,       /* PRI queue write */
    SMMU_ACC_MSI,        /* MSI write (4 bytes) */
    SMMU_ACC_SYNC,       /* CMD_SYNC completion MSI */
    SMMU_ACC_TT_UPDATE,  /* HTTU descriptor update */
} smmu_access_kind_t;

/* Interrupt lines (wired). Edge-style: one call per assertion. */
typedef enum smmu_irq {
    SMMU_IRQ_EVENTQ = 0,
    SMMU_IRQ_PRIQ = 1,
    SMMU_IRQ_CMD_SYNC = 2,
    SMMU_IRQ_GERROR = 3,
} smmu_irq_t;

struct smmu_event;
struct smmu_prg_response;

/* What an invalidation command removed, for embedders that hand out direct
 * memory pointers (SystemC DMI): drop every grant that overlaps. */
typedef enum smmu_inval_kind {
    SMMU_INVAL_TLB_VA = 0,  /* translations of input addresses [lo, hi] (VA) */
    SMMU_INVAL_TLB_IPA = 1, /* stage-2 translations of IPAs [lo, hi] */
    SMMU_INVAL_CFG = 2,     /* configuration of StreamIDs [lo, hi] */
} smmu_inval_kind_t;

typedef struct smmu_inval_notice {
    uint8_t kind;     /* smmu_inval_kind_t */
    uint8_t reserved[7];
    uint64_t lo, hi;  /* inclusive; [0, UINT64_MAX] means everything */
} smmu_inval_notice_t;

/* Result of a memory callback (read, write, cas64). SMMU_MEM_OK: the
 * access completed. SMMU_MEM_ABORT: an external abort (F_STE_FETCH,
 * F_CD_FETCH, F_WALK_EABT, CERROR_ABT, GERROR.EVENTQ_ABT_ERR or an
 * MSI_*_ABT_ERR, as the access kind decides). Every other value is reserved
 * for later results and is treated as an abort by this release. It is an
 * int, so callbacks written to return int (0 / non-zero) keep compiling in
 * C and C++. */
typedef int smmu_mem_result_t;
enum {
    SMMU_MEM_OK = 0,
    SMMU_MEM_ABORT = 1,
};

typedef struct smmu_mem_ops {
    /* sizeof(smmu_mem_ops_t) of the release the embedder was built against,
     * or 0 for this release's layout. smmu_create copies MIN(size,
     * sizeof(smmu_mem_ops_t)) bytes and leaves every later member NULL, so
     * that an embedder built against an older, shorter table keeps working
     * when members are added at the end. Designated or {0} initialisers
     * that leave it out give 0. */
    uint32_t size;
    /* Read len bytes at physical address pa into buf, in memory byte order.
     * Return SMMU_MEM_OK or SMMU_MEM_ABORT (any non-zero value is an
     * external abort). If latency is non-NULL the embedder may store the
     * access latency in cycles. */
    smmu_mem_result_t (*read)(void *ctx, uint64_t pa, void *buf, uint32_t len,
                              smmu_access_kind_t kind, uint32_t *latency);
    /* Write len bytes; same conventions. */
    smmu_mem_result_t (*write)(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                               smmu_access_kind_t kind, uint32_t *latency);
    /* Optional: atomic 64-bit compare-and-swap for HTTU descriptor updates
     * (memory byte order). Stores the value found in *old. SMMU_MEM_OK on
     * success (whether or not the value matched), else an abort. */
    smmu_mem_result_t (*cas64)(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired,
                               uint64_t *old);
    /* Optional: a wired interrupt pulse. */
    void (*raise_irq)(void *ctx, smmu_irq_t irq);
    /* Optional observer: called for every event the SMMU produces, whether or
     * not it reaches the event queue (dropped records included). */
    void (*on_event)(void *ctx, const struct smmu_event *ev, int recorded);
    /* Optional: called once per CFGI_* / TLBI_* command with the range it
     * invalidated (a superset: VMID/ASID scoping is not expressed). */
    void (*on_invalidate)(void *ctx, const smmu_inval_notice_t *n);
    /* Optional (added with the stall model): work for smmu_take_completions
     * is waiting: a stalled transaction was resumed, terminated or is to be
     * retried (CMD_RESUME, CMD_STALL_TERM, SMMUEN 1 -> 0, the event queue
     * becoming writable again). Called from inside smmu_mmio_write; the
     * embedder calls smmu_take_completions later from its own context. */
    void (*on_completion_ready)(void *ctx);
    /* Optional (added with the PRI queue): a PRG Response Message to an
     * endpoint (8.3), whether commanded (CMD_PRI_RESP, inside
     * smmu_mmio_write) or automatic (8.1, 8.2: inside smmu_page_request).
     * struct smmu_prg_response is declared below. */
    void (*on_prg_response)(void *ctx, const struct smmu_prg_response *r);
} smmu_mem_ops_t;

/*
 * Re-entrancy: when the callbacks run, and what they may call.
 *
 * Where callbacks run. Nothing happens in the background: every callback
 * runs inside a call the embedder made on the same instance.
 *  - Commands are consumed inside smmu_mmio_write of SMMU_CMDQ_PROD, of
 *    SMMU_CR0 setting CMDQEN, and of SMMU_GERRORN acknowledging CMDQ_ERR:
 *    the whole queue is consumed before that write returns. on_invalidate,
 *    the CMD_SYNC MSI (write, SMMU_ACC_SYNC) and SMMU_IRQ_CMD_SYNC fire
 *    there, and read (SMMU_ACC_CMDQ) fetches the commands.
 *  - Events (on_event, the event-queue write), interrupts (raise_irq) and
 *    MSIs (write, SMMU_ACC_MSI) fire inside smmu_translate (faults) or
 *    inside smmu_mmio_write (GERROR from a command error, CMD_SYNC).
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
 *    smmu_mmio_write, smmu_translate, smmu_get_stats and the event
 *    helpers. A nested smmu_translate is a complete, independent
 *    transaction (its record follows the outer one in the queue). A nested
 *    write that would consume commands (CMDQ_PROD, CR0.CMDQEN, GERRORN)
 *    updates the register and returns without consuming; the consumer
 *    already running picks the new state up when the callback returns
 *    (clearing CMDQEN stops it after the current command; new commands
 *    published through CMDQ_PROD are consumed before the outer write
 *    returns). A GERROR handler that acknowledges CMDQ_ERR from raise_irq
 *    must first fix the failing command (for example replace it with
 *    CMD_SYNC): the consumer re-reads the command at CMDQ_CONS at once, so
 *    acknowledging an unfixed command on every interrupt never returns.
 *  - read, write and cas64 must not call into the instance (a table walk
 *    or a queue access is in progress).
 *  - No callback may call smmu_reset or smmu_destroy on the instance that
 *    called it, or smmu_set_direct_memory.
 * Callbacks must not block: the SMMU is in the middle of an operation and
 * nothing else can progress on the instance until they return.
 * tests/test_reentrancy.cc pins this behaviour.
 */

/* ------------------------------------------------------------------------ */
/* Instance                                                                 */
/* ------------------------------------------------------------------------ */
typedef struct smmu smmu_t;

/* Create an instance in its reset state. The instance keeps a copy of the
 * first MIN(ops->size, sizeof(smmu_mem_ops_t)) bytes of *ops (all of it
 * when ops->size is 0); later members are NULL. ops->read and ops->write
 * are required (and must lie within ops->size). Returns NULL on a rejected
 * configuration or callback table (reason in msg) or on allocation
 * failure. */
smmu_t *smmu_create(const smmu_config_t *cfg, const smmu_mem_ops_t *ops, void *ctx,
                    char *msg, size_t msg_len);
void smmu_destroy(smmu_t *smmu);
/* Return to the reset state (registers, queues, caches, statistics). */
void smmu_reset(smmu_t *smmu);
const smmu_config_t *smmu_get_config(const smmu_t *smmu);

/* Where the model reads or writes a queue, from its current register values:
 * the effective base PA (SMMU_*Q_BASE.ADDR with the bits at and above the OAS
 * dropped, aligned to the larger of the queue size in bytes and 32) and the
 * effective log2 of the entry count, MIN(LOG2SIZE, IDR1.*QS) (3.5.1, 6.3.26,
 * 6.3.29, 6.3.33). Entry i is at base + i * entry_bytes. An embedder that
 * fills the command queue or reads the event queue uses this instead of
 * decoding the base register itself. */
typedef enum smmu_queue_id {
    SMMU_QUEUE_CMDQ,   /* 16-byte commands */
    SMMU_QUEUE_EVENTQ, /* 32-byte event records */
    SMMU_QUEUE_PRIQ    /* 16-byte PRI requests */
} smmu_queue_id_t;
typedef struct smmu_queue_layout {
    uint64_t base;
    unsigned log2size;
    unsigned entry_bytes;
} smmu_queue_layout_t;
/* Returns SMMU_ERR_INVAL for an unknown queue or NULL arguments. */
smmu_status_t smmu_queue_layout(const smmu_t *smmu, smmu_queue_id_t q, smmu_queue_layout_t *out);

/* Optional fast path for embedders whose memory is a host array: reads the
 * SMMU makes of [pa, pa + size) (stream table, CDs, translation tables,
 * command queue) come straight from host, bypassing ops.read; writes (event
 * queue, MSIs, HTTU updates) still go through ops. The embedder keeps host
 * valid while the window is set; size 0 removes it. Reads in the window
 * never abort. Returns SMMU_ERR_INVAL for a NULL host with size != 0. */
smmu_status_t smmu_set_direct_memory(smmu_t *smmu, uint64_t pa, const void *host, uint64_t size);

/* ------------------------------------------------------------------------ */
/* MMIO: offset from the SMMU base (page 0 at 0, page 1 at 0x10000); size  */
/* in bytes, 4 or 8. Returns SMMU_ERR_INVAL for other sizes or misaligned  */
/* offsets (a bus error for the embedder). Architected behaviour of odd    */
/* accesses (RES0, undefined offsets, ...) is in docs/registers.md.        */
/* A write to SMMU_CMDQ_PROD consumes commands before returning.            */
/* ------------------------------------------------------------------------ */
smmu_status_t smmu_mmio_read(smmu_t *smmu, uint64_t offset, unsigned size, uint64_t *val);
smmu_status_t smmu_mmio_write(smmu_t *smmu, uint64_t offset, uint64_t val, unsigned size);

/* ------------------------------------------------------------------------ */
/* Transactions                                                             */
/* ------------------------------------------------------------------------ */
typedef enum smmu_ats_kind {
    SMMU_ATS_UNTRANSLATED = 0, /* ordinary transaction */
    SMMU_ATS_TRANSLATED = 1,   /* PCIe ATS translated transaction */
    SMMU_ATS_TRANSLATION_REQ = 2,
} smmu_ats_kind_t;

typedef struct smmu_request {
    uint32_t sid;      /* StreamID */
    uint32_t ssid;     /* SubstreamID, valid only when ssv != 0 */
    uint8_t ssv;       /* SubstreamID present (absent differs from SSID 0) */
    uint8_t write;     /* 1 = write, 0 = read */
    uint8_t instr;     /* 1 = instruction fetch (ignored for writes) */
    uint8_t priv;      /* 1 = privileged */
    uint8_t secure;    /* 1 = Secure stream (see smmu_config_t.secure_req_abort) */
    uint8_t ats;       /* smmu_ats_kind_t */
    uint8_t pcie;      /* 1 = PCIe (13.7: no PASID => Unprivileged Data) */
    uint8_t reserved0;
    uint32_t size;     /* bytes, >= 1 */
    uint64_t addr;     /* input address (VA or IPA) */
    uint64_t cycle;    /* issue time, cycles */
} smmu_request_t;

typedef enum smmu_outcome {
    SMMU_XLATE_OK = 0,     /* translated (or bypassed): pa is valid */
    SMMU_XLATE_ABORT = 1,  /* terminated with an abort */
    SMMU_XLATE_RAZWI = 2,  /* terminated: reads as zero, writes ignored */
    SMMU_XLATE_STALLED = 3,/* stalled (3.12.2): resp.stag is the STAG; the transaction
                              completes later through smmu_take_completions */
    SMMU_XLATE_BUSY = 4,   /* would stall but IDR5.STALL_MAX stalls are outstanding:
                              not accepted, no event, nothing changed; resend */
} smmu_outcome_t;

/* Permissions granted for the page, for DMI: bit 0 read, 1 write, 2 exec. */
#define SMMU_PERM_R 1u
#define SMMU_PERM_W 2u
#define SMMU_PERM_X 4u

/* How a transaction ended (smmu_response_t.cls), filled on every path,
 * micro-TLB and TLB hits included. The causes (smmu_response_t.cause) say
 * why, where the class has more than one reason; SMMU_CAUSE_NONE otherwise.
 *   TRANSLATED        outcome OK, at least one stage translated.
 *   BYPASS            outcome OK, both stages bypassed by the STE: cause
 *                     STE_CONFIG (STE.Config 0b100, 5.2) or S1DSS
 *                     (STE.S1DSS 0b01 for a transaction without a
 *                     SubstreamID, stage 2 off; 5.2).
 *   DISABLED          outcome OK, SMMUEN == 0 and GBPA.ABORT == 0: cause
 *                     GBPA (6.3.14).
 *   ABORT             terminated without an event: cause STE_CONFIG
 *                     (STE.Config 0b000, 5.2), GBPA_ABORT (SMMUEN == 0,
 *                     GBPA.ABORT == 1; 6.3.14), OAS (SMMUEN == 0, address
 *                     above the OAS, 3.4.1/6.3.14) or SECURE
 *                     (smmu_config_t.secure_req_abort).
 *   FAULT_RECORDED    an event was raised and its record written to the
 *                     event queue (7.2); outcome ABORT or RAZWI.
 *   FAULT_UNRECORDED  an event was raised but no record written: cause
 *                     CD_R (CD.R == 0, 5.4), STE_S2R (STE.S2R == 0, 5.2),
 *                     RECINVSID (CR2.RECINVSID == 0, 7.3.3), QUEUE_DISABLED
 *                     (EVENTQEN == 0, 7.2.1), QUEUE_ABT_ERR
 *                     (GERROR.EVENTQ_ABT_ERR active, 7.2.2), QUEUE_FULL
 *                     (7.4) or WRITE_ABORT (the write of this record
 *                     aborted, 7.2.2). */
typedef enum smmu_resp_class {
    SMMU_CLS_TRANSLATED = 0,
    SMMU_CLS_BYPASS = 1,
    SMMU_CLS_DISABLED = 2,
    SMMU_CLS_ABORT = 3,
    SMMU_CLS_FAULT_RECORDED = 4,
    SMMU_CLS_FAULT_UNRECORDED = 5,
    SMMU_CLS_STALLED = 6, /* outcome STALLED: event raised, transaction held
                             (3.12.2); cause NONE when its record was
                             written, else the queue's reason (the record
                             follows when the queue is writable, 7.2.1) */
    SMMU_CLS_BUSY = 7,    /* outcome BUSY */
} smmu_resp_class_t;

typedef enum smmu_resp_cause {
    SMMU_CAUSE_NONE = 0,
    SMMU_CAUSE_STE_CONFIG = 1,
    SMMU_CAUSE_S1DSS = 2,
    SMMU_CAUSE_GBPA = 3,
    SMMU_CAUSE_GBPA_ABORT = 4,
    SMMU_CAUSE_OAS = 5,
    SMMU_CAUSE_SECURE = 6,
    SMMU_CAUSE_CD_R = 7,
    SMMU_CAUSE_STE_S2R = 8,
    SMMU_CAUSE_RECINVSID = 9,
    SMMU_CAUSE_QUEUE_DISABLED = 10,
    SMMU_CAUSE_QUEUE_ABT_ERR = 11,
    SMMU_CAUSE_QUEUE_FULL = 12,
    SMMU_CAUSE_WRITE_ABORT = 13,
} smmu_resp_cause_t;

typedef struct smmu_response {
    uint8_t outcome;    /* smmu_outcome_t */
    uint8_t event;      /* event type raised (0 = none) even if not recorded */
    uint8_t recorded;   /* 1 if the event reached the event queue */
    uint8_t perms;      /* SMMU_PERM_* granted over [page_base, page_base+page_size) */
    uint8_t memattr;    /* resulting MAIR-style attribute byte */
    uint8_t sh;         /* shareability, 0 non, 2 outer, 3 inner */
    uint8_t ns;         /* 1 = Non-secure output */
    uint8_t reserved0;
    uint32_t stag;      /* stall tag when outcome == STALLED */
    uint8_t cls;        /* smmu_resp_class_t: how the transaction ended */
    uint8_t cause;      /* smmu_resp_cause_t: why (SMMU_CAUSE_NONE where none) */
    uint8_t reserved1[2];
    uint64_t pa;        /* output address when outcome == OK */
    uint64_t page_base; /* input range with the same translation (for DMI) */
    uint64_t page_size;
    uint64_t done_cycle;
} smmu_response_t;

/* cls and cause live in the padding that followed stag: the size and every
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

/* Translate one transaction. Always fills *resp; returns SMMU_ERR_INVAL only
 * for bad arguments. Faults are recorded in the event queue as the
 * architecture says and reported in resp->event. A transaction that stalls
 * (CD.S, STE.S2S; 3.12.2) returns outcome SMMU_XLATE_STALLED with its STAG
 * in resp->stag; its final response comes from smmu_take_completions. */
smmu_status_t smmu_translate(smmu_t *smmu, const smmu_request_t *req, smmu_response_t *resp);

/* ------------------------------------------------------------------------ */
/* Stall model (3.12.2, 4.7.1, 4.7.2): completions of stalled transactions. */
/* ------------------------------------------------------------------------ */
/* The final response of a transaction that returned SMMU_XLATE_STALLED,
 * keyed by the StreamID and the STAG of that response. resp is what a
 * retry produced (OK, ABORT, RAZWI, or STALLED again with a new STAG:
 * wait for that one next) or the termination (ABORT, RAZWI). */
typedef struct smmu_completion {
    uint32_t sid;
    uint16_t stag;
    uint16_t reserved;
    smmu_response_t resp;
} smmu_completion_t;

/* Run the work that commands and register writes only marked (the core
 * never translates inside an MMIO write): retries of stalls resumed by
 * CMD_RESUME(Retry) and of stalls whose record waited for the event queue
 * (7.2.1), in STAG order, then hand out up to max completions, oldest
 * first, into out[0 .. *n - 1]. Completions beyond max stay queued for the
 * next call. Terminations (CMD_RESUME(Terminate), CMD_STALL_TERM,
 * SMMUEN 1 -> 0) are queued when the command or the write happens.
 * Returns SMMU_ERR_INVAL for a NULL smmu or n, or NULL out with max > 0;
 * SMMU_ERR_REENTERED (nothing done) when called from a callback of a retry
 * that this function is running. */
smmu_status_t smmu_take_completions(smmu_t *smmu, smmu_completion_t *out, unsigned max,
                                    unsigned *n);

/* ------------------------------------------------------------------------ */
/* PRI (chapter 8): page requests in, PRG responses out.                    */
/* ------------------------------------------------------------------------ */
/* A PCIe PRI Page Request (PPR) or Stop Marker as it arrives (8: the PRI
 * queue entry holds these fields). A Stop Marker has ssv = 1, last = 1,
 * w = r = 0 (no response); the same without a PASID is a PPR. */
typedef struct smmu_ppr {
    uint32_t sid;    /* StreamID */
    uint32_t ssid;   /* PASID, 20 bits; valid only with ssv */
    uint64_t addr;   /* page address: bits [63:12], bits [11:0] must be 0 */
    uint16_t prgi;   /* PRGIndex, 9 bits */
    uint8_t ssv;     /* PASID prefix present (needs IDR1.SSIDSIZE != 0) */
    uint8_t secure;  /* from a Secure stream: never queued (8.2) */
    uint8_t last, r, w, x, priv; /* x and priv need ssv (8) */
    uint8_t reserved[3];
} smmu_ppr_t;

/* PCIe PRG Response codes (8.3). */
enum {
    SMMU_PRG_SUCCESS = 0x0,
    SMMU_PRG_INVALID_REQUEST = 0x1,
    SMMU_PRG_RESPONSE_FAILURE = 0xF,
};

/* A PRG Response Message to the endpoint of sid (8.3). */
typedef struct smmu_prg_response {
    uint32_t sid;
    uint32_t ssid;     /* the PASID prefix, valid with ssv */
    uint16_t prgi;     /* PRGIndex */
    uint8_t ssv;       /* a PASID prefix is present */
    uint8_t code;      /* SMMU_PRG_* */
    uint8_t automatic; /* 1: generated by the SMMU (8.1, 8.2), 0: CMD_PRI_RESP */
    uint8_t reserved[3];
} smmu_prg_response_t;

/* A page request from an endpoint (IDR0.PRI == 1). Written to the PRI
 * queue when it is enabled, not in overflow and without PRIQ_ABT_ERR;
 * otherwise discarded with the automatic responses of 8.1/8.2 through
 * ops.on_prg_response. Returns SMMU_ERR_INVAL, changing nothing, for a
 * NULL argument, an SMMU without PRI, or a bad field (ssid above 20 bits,
 * prgi above 9 bits, addr bits [11:0] set, a flag above 1, ssv without
 * SubstreamID support, x or priv without ssv). */
smmu_status_t smmu_page_request(smmu_t *smmu, const smmu_ppr_t *ppr);

/* ------------------------------------------------------------------------ */
/* Events (7.3)                                                             */
/* ------------------------------------------------------------------------ */
typedef enum smmu_event_type {
    SMMU_EVT_F_UUT = 0x01,
    SMMU_EVT_C_BAD_STREAMID = 0x02,
    SMMU_EVT_F_STE_FETCH = 0x03,
    SMMU_EVT_C_BAD_STE = 0x04,
    SMMU_EVT_F_BAD_ATS_TREQ = 0x05,
    SMMU_EVT_F_STREAM_DISABLED = 0x06,
    SMMU_EVT_F_TRANSL_FORBIDDEN = 0x07,
    SMMU_EVT_C_BAD_SUBSTREAMID = 0x08,
    SMMU_EVT_F_CD_FETCH = 0x09,
    SMMU_EVT_C_BAD_CD = 0x0A,
    SMMU_EVT_F_WALK_EABT = 0x0B,
    SMMU_EVT_F_TRANSLATION = 0x10,
    SMMU_EVT_F_ADDR_SIZE = 0x11,
    SMMU_EVT_F_ACCESS = 0x12,
    SMMU_EVT_F_PERMISSION = 0x13,
    SMMU_EVT_F_TLB_CONFLICT = 0x20,
    SMMU_EVT_F_CFG_CONFLICT = 0x21,
    SMMU_EVT_E_PAGE_REQUEST = 0x24,
    SMMU_EVT_F_VMS_FETCH = 0x25,
} smmu_event_type_t;

/* CLASS field of translation-related records (7.3.12 onwards). */
typedef enum smmu_event_class {
    SMMU_CLASS_CD = 0,
    SMMU_CLASS_TT = 1,
    SMMU_CLASS_IN = 2,
} smmu_event_class_t;

/* A decoded event. smmu_event_encode() produces the exact 32-byte record. */
typedef struct smmu_event {
    uint8_t type;      /* smmu_event_type_t */
    uint8_t ssv;
    uint8_t s2;
    uint8_t cls;       /* smmu_event_class_t */
    uint8_t rnw, ind, pnu, nsipa, ttrnw;
    uint8_t stall;
    uint16_t stag;
    uint32_t sid;
    uint32_t ssid;
    uint32_t reason;   /* C_BAD_STE/C_BAD_CD: model-specific reason code (docs/config-structures.md); F_UUT: docs/translation.md */
    uint64_t input_addr;
    uint64_t ipa;      /* bits [55:12] meaningful; low 12 bits zero */
    uint64_t fetch_addr;
} smmu_event_t;

/* Encode ev into the 32-byte little-endian record of 7.3 (8 x 32-bit words,
 * word i at rec[i]). */
void smmu_event_encode(const smmu_event_t *ev, uint32_t rec[8]);
/* Decode a record back (for tools and tests). */
void smmu_event_decode(const uint32_t rec[8], smmu_event_t *ev);
/* Name of an event type ("F_TRANSLATION"), or "UNKNOWN". */
const char *smmu_event_name(unsigned type);

/* ------------------------------------------------------------------------ */
/* Statistics                                                               */
/* ------------------------------------------------------------------------ */
typedef struct smmu_stats {
    uint64_t translations;      /* smmu_translate calls */
    uint64_t translated_ok;
    uint64_t aborted;
    uint64_t razwi;
    uint64_t bypassed;          /* GBPA or STE bypass */
    uint64_t walks_s1, walks_s2;
    uint64_t tt_reads;          /* translation-table descriptor reads */
    uint64_t ste_fetches, cd_fetches;
    uint64_t cfg_cache_hits, cfg_cache_misses;
    uint64_t utlb_hits;
    uint64_t tlb_hits, tlb_misses, tlb_inserts, tlb_invalidated;
    uint64_t walk_cache_hits;
    uint64_t events_raised;
    uint64_t events_recorded;
    uint64_t events_dropped_disabled; /* queue not writable (7.2) */
    uint64_t events_dropped_full;     /* queue full (7.4) */
    uint64_t commands;
    uint64_t cmd_by_opcode[256];
    uint64_t cerrors;
    uint64_t mem_reads, mem_writes;
    uint64_t httu_updates;      /* descriptors updated by HTTU (AF, dirty) */
} smmu_stats_t;

void smmu_get_stats(const smmu_t *smmu, smmu_stats_t *out);
void smmu_clear_stats(smmu_t *smmu);

#ifdef __cplusplus
}
#endif
#endif /* SMMU_SMMU_H */
