/*
 * SMMUv3 table builder (IHI 0070 G.b chapter 5, Arm ARM D8.3): sets up real,
 * architected structures in simulated memory in a few calls -- a stream
 * table (linear or 2-level), STEs, CD tables and CDs, stage-1 and stage-2
 * translation tables -- and boots an instance in the order of 3.11.
 *
 * Everything goes through the embedder's smmu_mem_ops_t callbacks (or a
 * host array, the same window smmu_set_direct_memory takes). The builder
 * has its own encoders, written from the specification's field tables; it
 * shares no code with the model's decoders. No globals: all state is in
 * smmu_build_t; every error is a status value with a message in b->err, and
 * a call that fails writes nothing.
 *
 * docs/build-api.md has a complete example.
 */
#ifndef SMMU_SMMU_BUILD_H
#define SMMU_SMMU_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "smmu/smmu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Builder: memory and allocator ------------------------------------- */

/* Builder state. Fill it with smmu_build_init; members are readable. */
typedef struct smmu_build {
    const smmu_mem_ops_t *ops; /* memory callbacks (NULL when host is used) */
    void *ctx;                 /* their context */
    uint8_t *host;             /* or: a host array mapping [host_pa, +host_size) */
    uint64_t host_pa, host_size;
    uint64_t base, end, next;  /* allocator: [base, end), next free byte */
    uint64_t cmdq_base;        /* set by smmu_build_boot */
    unsigned cmdq_log2;
    uint64_t evtq_base;
    unsigned evtq_log2;
    char err[160];             /* message of the last failed call */
} smmu_build_t;

/* Start a builder over ops/ctx that allocates from [base, base + size).
 * SMMU_ERR_INVAL (message in b->err) for a NULL ops->read/write or an
 * empty or wrapping range. */
smmu_status_t smmu_build_init(smmu_build_t *b, const smmu_mem_ops_t *ops, void *ctx,
                              uint64_t base, uint64_t size);
/* Same over a host array that holds physical [host_pa, host_pa + host_size)
 * (the window given to smmu_set_direct_memory); the allocator range must
 * lie inside it. */
smmu_status_t smmu_build_init_host(smmu_build_t *b, void *host, uint64_t host_pa,
                                   uint64_t host_size, uint64_t base, uint64_t size);
/* Allocate size bytes aligned to align (a power of two, >= 8), zeroed in
 * memory. SMMU_ERR_NOMEM when the range has no room (nothing allocated). */
smmu_status_t smmu_build_alloc(smmu_build_t *b, uint64_t size, uint64_t align, uint64_t *pa);
/* 64-bit little-endian access through the builder's memory. */
smmu_status_t smmu_build_write64(smmu_build_t *b, uint64_t pa, uint64_t v);
smmu_status_t smmu_build_read64(smmu_build_t *b, uint64_t pa, uint64_t *v);

/* ---- Stream table (3.3.2, 5.1, 6.3.24-6.3.25) -------------------------- */

typedef struct smmu_build_strtab {
    uint64_t base;     /* linear table or level-1 table */
    unsigned log2size; /* STRTAB_BASE_CFG.LOG2SIZE: StreamIDs 0 .. 2^log2size - 1 */
    unsigned split;    /* STRTAB_BASE_CFG.SPLIT: 0 = linear, else 6, 8 or 10 */
} smmu_build_strtab_t;

/* Allocate a stream table: linear (split 0) or 2-level (split 6/8/10) whose
 * level-2 tables are allocated when an STE in their range is written. */
smmu_status_t smmu_build_strtab_init(smmu_build_t *b, smmu_build_strtab_t *st,
                                     unsigned log2size, unsigned split);
/* Register values for SMMU_STRTAB_BASE (RA = 1) and SMMU_STRTAB_BASE_CFG. */
uint64_t smmu_build_strtab_base_reg(const smmu_build_strtab_t *st);
uint32_t smmu_build_strtab_cfg_reg(const smmu_build_strtab_t *st);
/* Physical address of the STE of sid; allocates its level-2 table (and
 * writes the L1STD, Span = SPLIT + 1) when needed. */
smmu_status_t smmu_build_ste_addr(smmu_build_t *b, const smmu_build_strtab_t *st, uint32_t sid,
                                  uint64_t *pa);

/* ---- STE (5.2) ---------------------------------------------------------- */

/* STE.Config values (5.2). */
#define SMMU_STE_ABORT 0u
#define SMMU_STE_BYPASS 4u
#define SMMU_STE_S1 5u
#define SMMU_STE_S2 6u
#define SMMU_STE_NESTED 7u

/* The fields a user sets; every member is the field's encoding. Zero is a
 * valid start (V is set by the encoder). */
typedef struct smmu_build_ste {
    unsigned config;          /* SMMU_STE_* */
    uint64_t s1_context_ptr;  /* CD table (or L1 CD table) address */
    unsigned s1_fmt;          /* 0 linear, 1 2-level 4KB leaves, 2 2-level 64KB leaves */
    unsigned s1_cdmax;        /* log2 of the number of CDs */
    unsigned s1dss;           /* 0 terminate, 1 bypass, 2 substream 0 */
    unsigned s1cir, s1cor, s1csh;
    unsigned s1stalld, eats, strw, shcfg, mev, cont;
    /* stage 2 */
    uint16_t s2vmid;
    unsigned s2t0sz, s2sl0, s2ir0, s2or0, s2sh0, s2tg, s2ps;
    unsigned s2aa64, s2endi, s2affd, s2ptw, s2hd, s2ha, s2s, s2r;
    uint64_t s2ttb;
} smmu_build_ste_t;

/* Encode an STE into its eight 64-bit words. SMMU_ERR_INVAL for a field
 * wider than its encoding or a reserved Config. */
smmu_status_t smmu_build_ste_encode(smmu_build_t *b, const smmu_build_ste_t *ste, uint64_t out[8]);
/* Encode and write the STE of sid (allocating a level-2 table on demand).
 * The driver then issues CFGI_STE(sid) + CMD_SYNC. */
smmu_status_t smmu_build_ste_write(smmu_build_t *b, const smmu_build_strtab_t *st, uint32_t sid,
                                   const smmu_build_ste_t *ste);

/* ---- CD table and CD (5.3, 5.4) ------------------------------------------ */

typedef struct smmu_build_cdtab {
    uint64_t base;  /* STE.S1ContextPtr */
    unsigned fmt;   /* STE.S1Fmt: 0 linear, 1 2-level with 4KB leaves, 2 with 64KB leaves */
    unsigned cdmax; /* STE.S1CDMax */
} smmu_build_cdtab_t;

smmu_status_t smmu_build_cdtab_init(smmu_build_t *b, smmu_build_cdtab_t *ct, unsigned fmt,
                                    unsigned cdmax);

typedef struct smmu_build_cd {
    uint64_t ttb0, ttb1;
    unsigned t0sz, t1sz;
    unsigned tg0, tg1;          /* granule in bytes: 4096, 16384, 65536 (0 = 4096) */
    unsigned epd0, epd1;
    unsigned ir0, or0, sh0, ir1, or1, sh1;
    unsigned ips;               /* CD.IPS encoding (0 32-bit ... 5 48-bit, 6 52-bit) */
    uint16_t asid;
    unsigned aa64, a, r, s, ha, hd;
    unsigned endi, affd, wxn, uwxn, tbi0, tbi1, pan;
    uint64_t mair;              /* MAIR0 | MAIR1 << 32 */
    uint64_t amair;
} smmu_build_cd_t;

/* Encode a CD (V = 1) into its eight 64-bit words. */
smmu_status_t smmu_build_cd_encode(smmu_build_t *b, const smmu_build_cd_t *cd, uint64_t out[8]);
/* Encode and write the CD of ssid (allocating a level-2 CD table and
 * writing its L1CD on demand). The driver then issues CFGI_CD + CMD_SYNC. */
smmu_status_t smmu_build_cd_write(smmu_build_t *b, const smmu_build_cdtab_t *ct, uint32_t ssid,
                                  const smmu_build_cd_t *cd);

/* ---- Translation tables (Arm ARM D8.2, D8.3) ---------------------------- */

typedef struct smmu_build_pt {
    unsigned stage;       /* 1 or 2 */
    unsigned granule;     /* 4096, 16384, 65536 */
    unsigned ias;         /* input address bits: 64 - TxSZ */
    unsigned oas;         /* output address bits (PA range) */
    unsigned start_level; /* level of the root table */
    unsigned concat;      /* stage 2: concatenated tables at the start level (1-16) */
    uint64_t root;        /* TTB / S2TTB */
    uint16_t asid;        /* stage 1: the CD's ASID, for the reported TLBIs */
    uint16_t vmid;        /* the STE's S2VMID (stage 2, or stage 1 under stage 2) */
    /* Stage 1 nested under stage 2: the SMMU reaches these tables at
     * IPA = PA - ipa_offset through stage 2 (3.3), so table descriptors
     * hold IPAs. 0 otherwise. Set it before the first map. */
    uint64_t ipa_offset;
} smmu_build_pt_t;

/* Set up tables and allocate the root. start_level -1 picks the fewest
 * levels (stage 1 must use it); stage 2 may start one or more levels lower,
 * concatenating up to 16 tables (D8.2). SMMU_ERR_INVAL for a combination
 * the architecture does not allow. */
smmu_status_t smmu_build_pt_init(smmu_build_t *b, smmu_build_pt_t *pt, unsigned stage,
                                 unsigned granule, unsigned ias, unsigned oas, int start_level);
/* The TxSZ, TG and SL0 encodings of pt for the CD (stage 1) or STE (stage 2). */
unsigned smmu_build_pt_tsz(const smmu_build_pt_t *pt);
/* The table base to give the SMMU (CD.TTB0/TTB1, STE.S2TTB): root - ipa_offset. */
uint64_t smmu_build_pt_ttb(const smmu_build_pt_t *pt);
unsigned smmu_build_pt_s2tg(const smmu_build_pt_t *pt);
unsigned smmu_build_pt_s2sl0(const smmu_build_pt_t *pt);
/* PS/IPS encoding of an address size in bits (32..52), or -1. */
int smmu_build_ps_encoding(unsigned bits);

/* Access rights of a mapping. Stage 1 always grants read (D8.4). */
#define SMMU_BUILD_R 1u
#define SMMU_BUILD_W 2u
#define SMMU_BUILD_X 4u
#define SMMU_BUILD_USER 8u /* stage 1: unprivileged access (AP[1]) */

/* Memory attributes of a mapping. NULL = defaults: stage 1 AttrIndx 0,
 * inner shareable; stage 2 MemAttr 0b1111 (Normal WB), inner shareable. */
typedef struct smmu_build_attr {
    unsigned attr; /* stage 1 AttrIndx (0-7), stage 2 MemAttr (0-15) */
    unsigned sh;   /* SH: 0 non, 2 outer, 3 inner */
    unsigned ng;   /* stage 1 nG */
    unsigned no_af;/* leave AF clear (Access flag faults or HTTU) */
    unsigned dbm;  /* DBM (hardware dirty state) */
} smmu_build_attr_t;

/* Invalidation a driver must issue after a change (4.4): encoded commands,
 * ending with CMD_SYNC. More than SMMU_BUILD_TLBI_MAX - 2 leaf entries
 * collapse into one ASID- or VMID-wide command. */
#define SMMU_BUILD_TLBI_MAX 34
typedef struct smmu_build_tlbi {
    unsigned n;
    uint64_t cmd[SMMU_BUILD_TLBI_MAX][2];
} smmu_build_tlbi_t;

/* Map [iova, iova + size) to pa with blocks where iova, pa and the size left
 * allow, and the Contiguous bit over aligned runs. SMMU_ERR_INVAL (nothing
 * written) for a misaligned iova/pa, a size not a multiple of the granule,
 * a range outside the input or output size, a range already mapped, or no
 * read permission at stage 1; SMMU_ERR_NOMEM when tables do not fit. A new
 * mapping needs no invalidation: tlbi (may be NULL) gets CMD_SYNC only. */
smmu_status_t smmu_build_map(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                             uint64_t pa, uint64_t size, unsigned perms,
                             const smmu_build_attr_t *attr, smmu_build_tlbi_t *tlbi);
/* Map one block at the given level (block_level 3 = page): for tests of a
 * chosen level. SMMU_ERR_INVAL when the granule has no block at that level. */
smmu_status_t smmu_build_map_at(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                uint64_t pa, unsigned level, unsigned perms,
                                const smmu_build_attr_t *attr);
/* Remove every leaf in [iova, iova + size); fills tlbi with TLBI_NH_VA
 * (stage 1) or TLBI_S2_IPA + TLBI_NH_ALL (stage 2) per removed leaf, then
 * CMD_SYNC. SMMU_ERR_INVAL (nothing written) when the range splits a block
 * or a contiguous run. Tables are not freed. */
smmu_status_t smmu_build_unmap(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                               uint64_t size, smmu_build_tlbi_t *tlbi);
/* Change the access rights of every leaf in the range; same rules and
 * invalidation as unmap. */
smmu_status_t smmu_build_protect(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                 uint64_t size, unsigned perms, smmu_build_tlbi_t *tlbi);

/* ---- Boot (3.11) and commands -------------------------------------------- */

typedef struct smmu_build_boot {
    const smmu_build_strtab_t *strtab;
    unsigned cmdq_log2, evtq_log2; /* queue sizes (0 = 8 and 7) */
    uint32_t cr1, cr2;
} smmu_build_boot_t;

/* Allocate the queues and program the SMMU in the order of 3.11:
 * STRTAB_BASE/CFG, CMDQ and EVENTQ bases and pointers, CR1, CR2,
 * CMDQEN|EVENTQEN, CFGI_ALL + TLBI_NSNH_ALL + CMD_SYNC, SMMUEN. Each CR0
 * write waits for CR0ACK. SMMU_ERR_CONFIG with a message when an
 * acknowledgement or a command fails. */
smmu_status_t smmu_build_boot(smmu_build_t *b, smmu_t *smmu, const smmu_build_boot_t *cfg);
/* Write n commands (2n words: cmds[2i] bits [63:0], cmds[2i+1] bits
 * [127:64]) at CMDQ_PROD and publish them (consumed at once).
 * SMMU_ERR_CONFIG when the queue is full or CMDQ_CONS.ERR is set after. */
smmu_status_t smmu_build_submit(smmu_build_t *b, smmu_t *smmu, const uint64_t *cmds, unsigned n);
/* Submit the commands a map/unmap/protect reported. */
smmu_status_t smmu_build_issue(smmu_build_t *b, smmu_t *smmu, const smmu_build_tlbi_t *t);

#ifdef __cplusplus
}
#endif
#endif /* SMMU_SMMU_BUILD_H */
