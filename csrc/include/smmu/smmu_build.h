/* SPDX-License-Identifier: Apache-2.0 */
/** @file
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

/** Builder state. Fill it with smmu_build_init; members are readable. */
typedef struct smmu_build {
    const smmu_mem_ops_t *ops; /**< memory callbacks (NULL when host is used) */
    void *ctx;                 /**< their context */
    uint8_t *host;             /**< or: a host array mapping [host_pa, +host_size) */
    /** @var host_pa
     * Physical address of host[0] (bytes).
     * @var host_size
     * Bytes of physical memory host maps: [host_pa, host_pa + host_size). */
    uint64_t host_pa, host_size;
    /** @var base
     * Allocator: first physical address of the range (bytes).
     * @var end
     * Allocator: end of the range, exclusive.
     * @var next
     * Allocator: next free byte; base <= next <= end. */
    uint64_t base, end, next;
    uint64_t cmdq_base;        /**< command queue base PA, set by smmu_build_boot (6.3.26) */
    unsigned cmdq_log2;        /**< command queue log2 entries, set by smmu_build_boot */
    uint64_t evtq_base;        /**< event queue base PA, set by smmu_build_boot (6.3.29) */
    unsigned evtq_log2;        /**< event queue log2 entries, set by smmu_build_boot */
    char err[160];             /**< message of the last failed call */
} smmu_build_t;

/** Start a builder over ops/ctx that allocates from [base, base + size).
 * SMMU_ERR_INVAL (message in b->err) for a NULL ops->read/write or an
 * empty or wrapping range. */
SMMU_API smmu_status_t smmu_build_init(smmu_build_t *b, const smmu_mem_ops_t *ops, void *ctx,
                              uint64_t base, uint64_t size);
/** Same over a host array that holds physical [host_pa, host_pa + host_size)
 * (the window given to smmu_set_direct_memory); the allocator range must
 * lie inside it. */
SMMU_API smmu_status_t smmu_build_init_host(smmu_build_t *b, void *host, uint64_t host_pa,
                                   uint64_t host_size, uint64_t base, uint64_t size);
/** Allocate size bytes aligned to align (a power of two, >= 8), zeroed in
 * memory. SMMU_ERR_NOMEM when the range has no room (nothing allocated). */
SMMU_API smmu_status_t smmu_build_alloc(smmu_build_t *b, uint64_t size, uint64_t align, uint64_t *pa);
/** Write a 64-bit little-endian word v at pa through the builder's memory;
 * SMMU_ERR_INVAL when the write aborts or pa lies outside the host array. */
SMMU_API smmu_status_t smmu_build_write64(smmu_build_t *b, uint64_t pa, uint64_t v);
/** Read a 64-bit little-endian word at pa into *v; SMMU_ERR_INVAL (message
 * in b->err) when the read aborts or pa lies outside the host array. */
SMMU_API smmu_status_t smmu_build_read64(smmu_build_t *b, uint64_t pa, uint64_t *v);

/* ---- Stream table (3.3.2, 5.1, 6.3.24-6.3.25) -------------------------- */

/** A stream table made by smmu_build_strtab_init() (5.1). */
typedef struct smmu_build_strtab {
    uint64_t base;     /**< linear table or level-1 table */
    unsigned log2size; /**< STRTAB_BASE_CFG.LOG2SIZE: StreamIDs 0 .. 2^log2size - 1 */
    unsigned split;    /**< STRTAB_BASE_CFG.SPLIT: 0 = linear, else 6, 8 or 10 */
} smmu_build_strtab_t;

/** Allocate a stream table: linear (split 0) or 2-level (split 6/8/10) whose
 * level-2 tables are allocated when an STE in their range is written. */
SMMU_API smmu_status_t smmu_build_strtab_init(smmu_build_t *b, smmu_build_strtab_t *st,
                                     unsigned log2size, unsigned split);
/** Register value for SMMU_STRTAB_BASE: ADDR of st->base, RA = 1 (6.3.24). */
SMMU_API uint64_t smmu_build_strtab_base_reg(const smmu_build_strtab_t *st);
/** Register value for SMMU_STRTAB_BASE_CFG: FMT (linear or 2-level), SPLIT
 * and LOG2SIZE of st (6.3.25). */
SMMU_API uint32_t smmu_build_strtab_cfg_reg(const smmu_build_strtab_t *st);
/** Physical address of the STE of sid; allocates its level-2 table (and
 * writes the L1STD, Span = SPLIT + 1) when needed. */
SMMU_API smmu_status_t smmu_build_ste_addr(smmu_build_t *b, const smmu_build_strtab_t *st, uint32_t sid,
                                  uint64_t *pa);

/* ---- STE (5.2) ---------------------------------------------------------- */

/** STE.Config values (5.2). SMMU_STE_ABORT is 0b000: abort, no event. */
#define SMMU_STE_ABORT 0u
#define SMMU_STE_BYPASS 4u  /**< STE.Config 0b100: both stages bypass */
#define SMMU_STE_S1 5u      /**< STE.Config 0b101: stage 1 translates, stage 2 bypass */
#define SMMU_STE_S2 6u      /**< STE.Config 0b110: stage 1 bypass, stage 2 translates */
#define SMMU_STE_NESTED 7u  /**< STE.Config 0b111: stage 1 then stage 2 (nested) */

/** The fields a user sets; every member is the field's encoding. Zero is a
 * valid start (V is set by the encoder). */
typedef struct smmu_build_ste {
    unsigned config;          /**< SMMU_STE_* */
    uint64_t s1_context_ptr;  /**< CD table (or L1 CD table) address */
    unsigned s1_fmt;          /**< 0 linear, 1 2-level 4KB leaves, 2 2-level 64KB leaves */
    unsigned s1_cdmax;        /**< log2 of the number of CDs */
    unsigned s1dss;           /**< 0 terminate, 1 bypass, 2 substream 0 */
    /** @var s1cir
     * STE.S1CIR, 0-3: inner cacheability of CD table accesses, STE[67:66]
     * (0 Non-cacheable, 1 WB-WA, 2 WT, 3 WB) (5.2).
     * @var s1cor
     * STE.S1COR, 0-3: outer cacheability of CD table accesses, STE[69:68] (5.2).
     * @var s1csh
     * STE.S1CSH, 0-3: shareability of CD table accesses, STE[71:70]
     * (0 non, 2 outer, 3 inner) (5.2). */
    unsigned s1cir, s1cor, s1csh;
    /** @var s1stalld
     * STE.S1STALLD, 0/1: stage 1 stalls disabled, STE[91] (5.2).
     * @var eats
     * STE.EATS, 0-2: ATS enable, STE[93:92] (5.2).
     * @var strw
     * STE.STRW, 0-3: StreamWorld (0 NS-EL1, 2 EL2), STE[95:94] (5.2).
     * @var shcfg
     * STE.SHCFG, 0-3: shareability override (1 = use incoming),
     * STE[109:108] (5.2, 13.1).
     * @var mev
     * STE.MEV, 0/1: merge events, STE[83] (5.2, 7.3.1).
     * @var cont
     * STE.CONT, 0-15: contiguous StreamIDs hint, STE[80:77] (5.2). */
    unsigned s1stalld, eats, strw, shcfg, mev, cont;
    /* stage 2 */
    uint16_t s2vmid; /**< STE.S2VMID: the VMID, 16 bits, STE[143:128] (5.2) */
    /** @var s2t0sz
     * STE.S2T0SZ, 0-63: the IPA size is 64 - S2T0SZ bits, STE[165:160]
     * (5.2; smmu_build_pt_tsz()).
     * @var s2sl0
     * STE.S2SL0, 0-3: starting level encoding, STE[167:166] (5.2;
     * smmu_build_pt_s2sl0()).
     * @var s2ir0
     * STE.S2IR0, 0-3: inner cacheability of stage 2 walks, STE[169:168] (5.2).
     * @var s2or0
     * STE.S2OR0, 0-3: outer cacheability of stage 2 walks, STE[171:170] (5.2).
     * @var s2sh0
     * STE.S2SH0, 0-3: shareability of stage 2 walks, STE[173:172] (5.2).
     * @var s2tg
     * STE.S2TG, 0-3: stage 2 granule encoding (0 4KB, 1 64KB, 2 16KB),
     * STE[175:174] (5.2; smmu_build_pt_s2tg()).
     * @var s2ps
     * STE.S2PS, 0-6: stage 2 output size encoding, as IDR5.OAS,
     * STE[178:176] (5.2; smmu_build_ps_encoding()). */
    unsigned s2t0sz, s2sl0, s2ir0, s2or0, s2sh0, s2tg, s2ps;
    /** @var s2aa64
     * STE.S2AA64, 0/1: AArch64 stage 2 tables; must be 1 (TTF AArch64
     * only), STE[179] (5.2).
     * @var s2endi
     * STE.S2ENDI, 0/1: big-endian stage 2 tables, STE[180] (5.2).
     * @var s2affd
     * STE.S2AFFD, 0/1: stage 2 Access flag faults disabled, STE[181] (5.2).
     * @var s2ptw
     * STE.S2PTW, 0/1: stage 1 table walks to stage 2 Device memory fault,
     * STE[182] (5.2).
     * @var s2hd
     * STE.S2HD, 0/1: stage 2 hardware dirty state update, STE[183] (5.2, 3.13).
     * @var s2ha
     * STE.S2HA, 0/1: stage 2 hardware Access flag update, STE[184] (5.2, 3.13).
     * @var s2s
     * STE.S2S, 0/1: stage 2 faults stall, STE[185] (5.2).
     * @var s2r
     * STE.S2R, 0/1: stage 2 faults are recorded, STE[186] (5.2). */
    unsigned s2aa64, s2endi, s2affd, s2ptw, s2hd, s2ha, s2s, s2r;
    uint64_t s2ttb;           /**< STE.S2TTB: stage 2 root table PA, 16-byte aligned or more
                                   (smmu_build_pt_ttb()) (5.2) */
} smmu_build_ste_t;

/** Encode an STE into its eight 64-bit words. SMMU_ERR_INVAL for a field
 * wider than its encoding or a reserved Config. */
SMMU_API smmu_status_t smmu_build_ste_encode(smmu_build_t *b, const smmu_build_ste_t *ste, uint64_t out[8]);
/** Encode and write the STE of sid (allocating a level-2 table on demand).
 * The driver then issues CFGI_STE(sid) + CMD_SYNC. */
SMMU_API smmu_status_t smmu_build_ste_write(smmu_build_t *b, const smmu_build_strtab_t *st, uint32_t sid,
                                   const smmu_build_ste_t *ste);

/* ---- CD table and CD (5.3, 5.4) ------------------------------------------ */

/** A CD table made by smmu_build_cdtab_init() (5.3). */
typedef struct smmu_build_cdtab {
    uint64_t base;  /**< STE.S1ContextPtr */
    unsigned fmt;   /**< STE.S1Fmt: 0 linear, 1 2-level with 4KB leaves, 2 with 64KB leaves */
    unsigned cdmax; /**< STE.S1CDMax */
} smmu_build_cdtab_t;

/** Allocate a CD table for 2^cdmax SubstreamIDs: linear (fmt 0) or 2-level
 * (fmt 1 with 4KB, fmt 2 with 64KB leaf tables, allocated when a CD in their
 * range is written) (5.3). SMMU_ERR_INVAL for a bad fmt or cdmax,
 * SMMU_ERR_NOMEM when it does not fit. */
SMMU_API smmu_status_t smmu_build_cdtab_init(smmu_build_t *b, smmu_build_cdtab_t *ct, unsigned fmt,
                                    unsigned cdmax);

/** The fields of a CD a user sets (5.4). Every member is the field's
 * encoding except tg0/tg1 (bytes); V is set by the encoder. */
typedef struct smmu_build_cd {
    /** @var ttb0
     * CD.TTB0: PA (IPA when nested) of the TTB0 root table, CD[119:68] (5.4;
     * smmu_build_pt_ttb()).
     * @var ttb1
     * CD.TTB1: root of the TTB1 (upper) range, CD[183:132] (5.4). */
    uint64_t ttb0, ttb1;
    /** @var t0sz
     * CD.T0SZ, 0-63: TTB0 input size is 64 - T0SZ bits, CD[5:0] (5.4).
     * @var t1sz
     * CD.T1SZ, 0-63: TTB1 input size is 64 - T1SZ bits, CD[21:16] (5.4). */
    unsigned t0sz, t1sz;
    /** @var tg0
     * TTB0 granule in bytes: 4096, 16384, 65536 (0 = 4096); encoded into
     * CD.TG0, CD[7:6] (5.4).
     * @var tg1
     * TTB1 granule in bytes, as tg0; encoded into CD.TG1, CD[23:22] (5.4). */
    unsigned tg0, tg1;
    /** @var epd0
     * CD.EPD0, 0/1: walks of TTB0 disabled (translation fault), CD[14] (5.4).
     * @var epd1
     * CD.EPD1, 0/1: walks of TTB1 disabled, CD[30] (5.4). */
    unsigned epd0, epd1;
    /** @var ir0
     * CD.IR0, 0-3: inner cacheability of TTB0 walks, CD[9:8] (5.4).
     * @var or0
     * CD.OR0, 0-3: outer cacheability of TTB0 walks, CD[11:10] (5.4).
     * @var sh0
     * CD.SH0, 0-3: shareability of TTB0 walks, CD[13:12] (5.4).
     * @var ir1
     * CD.IR1, 0-3: inner cacheability of TTB1 walks, CD[25:24] (5.4).
     * @var or1
     * CD.OR1, 0-3: outer cacheability of TTB1 walks, CD[27:26] (5.4).
     * @var sh1
     * CD.SH1, 0-3: shareability of TTB1 walks, CD[29:28] (5.4). */
    unsigned ir0, or0, sh0, ir1, or1, sh1;
    unsigned ips;               /**< CD.IPS encoding (0 32-bit ... 5 48-bit, 6 52-bit), CD[34:32] (5.4) */
    uint16_t asid;              /**< CD.ASID, 16 bits (8 without IDR0.ASID16), CD[63:48] (5.4) */
    /** @var aa64
     * CD.AA64, 0/1: AArch64 tables; must be 1 (TTF AArch64 only), CD[41] (5.4).
     * @var a
     * CD.A, 0/1: a terminated transaction aborts (else RAZ/WI), CD[46] (5.4).
     * @var r
     * CD.R, 0/1: stage 1 faults are recorded, CD[45] (5.4).
     * @var s
     * CD.S, 0/1: stage 1 faults stall, CD[44] (5.4).
     * @var ha
     * CD.HA, 0/1: hardware Access flag update, CD[43] (5.4, 3.13).
     * @var hd
     * CD.HD, 0/1: hardware dirty state update, CD[42] (5.4, 3.13). */
    unsigned aa64, a, r, s, ha, hd;
    /** @var endi
     * CD.ENDI, 0/1: big-endian tables, CD[15] (5.4).
     * @var affd
     * CD.AFFD, 0/1: Access flag faults disabled, CD[35] (5.4).
     * @var wxn
     * CD.WXN, 0/1: writable implies execute-never, CD[36] (5.4).
     * @var uwxn
     * CD.UWXN, 0/1: unprivileged-writable implies privileged
     * execute-never, CD[37] (5.4).
     * @var tbi0
     * CD.TBI0, 0/1: top byte ignored in the TTB0 range, CD[38] (5.4).
     * @var tbi1
     * CD.TBI1, 0/1: top byte ignored in the TTB1 range, CD[39] (5.4).
     * @var pan
     * CD.PAN, 0/1: privileged access never, CD[40] (5.4). */
    unsigned endi, affd, wxn, uwxn, tbi0, tbi1, pan;
    uint64_t mair;              /**< MAIR0 | MAIR1 << 32: CD[255:192], eight attribute bytes
                                     indexed by AttrIndx (5.4) */
    uint64_t amair;             /**< AMAIR0 | AMAIR1 << 32: CD[319:256] (5.4) */
} smmu_build_cd_t;

/** Encode a CD (V = 1) into its eight 64-bit words. */
SMMU_API smmu_status_t smmu_build_cd_encode(smmu_build_t *b, const smmu_build_cd_t *cd, uint64_t out[8]);
/** Encode and write the CD of ssid (allocating a level-2 CD table and
 * writing its L1CD on demand). The driver then issues CFGI_CD + CMD_SYNC. */
SMMU_API smmu_status_t smmu_build_cd_write(smmu_build_t *b, const smmu_build_cdtab_t *ct, uint32_t ssid,
                                  const smmu_build_cd_t *cd);

/* ---- Translation tables (Arm ARM D8.2, D8.3) ---------------------------- */

/** A translation table tree for one stage, made by smmu_build_pt_init()
 * (Arm ARM D8.2). */
typedef struct smmu_build_pt {
    unsigned stage;       /**< 1 or 2 */
    unsigned granule;     /**< 4096, 16384, 65536 */
    unsigned ias;         /**< input address bits: 64 - TxSZ */
    unsigned oas;         /**< output address bits (PA range) */
    unsigned start_level; /**< level of the root table */
    unsigned concat;      /**< stage 2: concatenated tables at the start level (1-16) */
    uint64_t root;        /**< TTB / S2TTB */
    uint16_t asid;        /**< stage 1: the CD's ASID, for the reported TLBIs */
    uint16_t vmid;        /**< the STE's S2VMID (stage 2, or stage 1 under stage 2) */
    /** Stage 1 nested under stage 2: the SMMU reaches these tables at
     * IPA = PA - ipa_offset through stage 2 (3.3), so table descriptors
     * hold IPAs. 0 otherwise. Set it before the first map. */
    uint64_t ipa_offset;
} smmu_build_pt_t;

/** Set up tables and allocate the root. start_level -1 picks the fewest
 * levels (stage 1 must use it); stage 2 may start one or more levels lower,
 * concatenating up to 16 tables (D8.2). SMMU_ERR_INVAL for a combination
 * the architecture does not allow. */
SMMU_API smmu_status_t smmu_build_pt_init(smmu_build_t *b, smmu_build_pt_t *pt, unsigned stage,
                                 unsigned granule, unsigned ias, unsigned oas, int start_level);
/** The TxSZ, TG and SL0 encodings of pt for the CD (stage 1) or STE (stage 2). */
SMMU_API unsigned smmu_build_pt_tsz(const smmu_build_pt_t *pt);
/** The table base to give the SMMU (CD.TTB0/TTB1, STE.S2TTB): root - ipa_offset. */
SMMU_API uint64_t smmu_build_pt_ttb(const smmu_build_pt_t *pt);
/** The STE.S2TG encoding of pt's granule: 0 4KB, 1 64KB, 2 16KB (5.2). */
SMMU_API unsigned smmu_build_pt_s2tg(const smmu_build_pt_t *pt);
/** The STE.S2SL0 encoding of pt's start level for its granule (5.2). */
SMMU_API unsigned smmu_build_pt_s2sl0(const smmu_build_pt_t *pt);
/** PS/IPS encoding of an address size in bits (32..52), or -1. */
SMMU_API int smmu_build_ps_encoding(unsigned bits);

/** Access rights of a mapping. Stage 1 always grants read (D8.4). */
#define SMMU_BUILD_R 1u
#define SMMU_BUILD_W 2u    /**< write access (stage 1 AP[2] = 0, stage 2 S2AP[1]) */
#define SMMU_BUILD_X 4u    /**< instruction fetch (XN/PXN/UXN clear) */
#define SMMU_BUILD_USER 8u /**< stage 1: unprivileged access (AP[1]) */

/** Memory attributes of a mapping. NULL = defaults: stage 1 AttrIndx 0,
 * inner shareable; stage 2 MemAttr 0b1111 (Normal WB), inner shareable. */
/** Memory attributes of a mapping (Arm ARM D8.3). */
typedef struct smmu_build_attr {
    unsigned attr; /**< stage 1 AttrIndx (0-7), stage 2 MemAttr (0-15) */
    unsigned sh;   /**< SH: 0 non, 2 outer, 3 inner */
    unsigned ng;   /**< stage 1 nG */
    unsigned no_af;/**< leave AF clear (Access flag faults or HTTU) */
    unsigned dbm;  /**< DBM (hardware dirty state) */
} smmu_build_attr_t;

/** Invalidation a driver must issue after a change (4.4): encoded commands,
 * ending with CMD_SYNC. More than SMMU_BUILD_TLBI_MAX - 2 leaf entries
 * collapse into one ASID- or VMID-wide command. */
#define SMMU_BUILD_TLBI_MAX 34
/** The commands a change needs, filled by smmu_build_map/unmap/protect. */
typedef struct smmu_build_tlbi {
    unsigned n;                           /**< commands in cmd, 1-SMMU_BUILD_TLBI_MAX */
    uint64_t cmd[SMMU_BUILD_TLBI_MAX][2]; /**< encoded commands: [i][0] bits [63:0],
                                               [i][1] bits [127:64] (4.1) */
} smmu_build_tlbi_t;

/** Map [iova, iova + size) to pa with blocks where iova, pa and the size left
 * allow, and the Contiguous bit over aligned runs. SMMU_ERR_INVAL (nothing
 * written) for a misaligned iova/pa, a size not a multiple of the granule,
 * a range outside the input or output size, a range already mapped, or no
 * read permission at stage 1; SMMU_ERR_NOMEM when tables do not fit. A new
 * mapping needs no invalidation: tlbi (may be NULL) gets CMD_SYNC only. */
SMMU_API smmu_status_t smmu_build_map(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                             uint64_t pa, uint64_t size, unsigned perms,
                             const smmu_build_attr_t *attr, smmu_build_tlbi_t *tlbi);
/** Map one block at the given level (block_level 3 = page): for tests of a
 * chosen level. SMMU_ERR_INVAL when the granule has no block at that level. */
SMMU_API smmu_status_t smmu_build_map_at(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                uint64_t pa, unsigned level, unsigned perms,
                                const smmu_build_attr_t *attr);
/** Remove every leaf in [iova, iova + size); fills tlbi with TLBI_NH_VA
 * (stage 1) or TLBI_S2_IPA + TLBI_NH_ALL (stage 2) per removed leaf, then
 * CMD_SYNC. SMMU_ERR_INVAL (nothing written) when the range splits a block
 * or a contiguous run. Tables are not freed. */
SMMU_API smmu_status_t smmu_build_unmap(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                               uint64_t size, smmu_build_tlbi_t *tlbi);
/** Change the access rights of every leaf in the range; same rules and
 * invalidation as unmap. */
SMMU_API smmu_status_t smmu_build_protect(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                 uint64_t size, unsigned perms, smmu_build_tlbi_t *tlbi);

/* ---- Boot (3.11) and commands -------------------------------------------- */

/** What smmu_build_boot() programs. */
typedef struct smmu_build_boot {
    const smmu_build_strtab_t *strtab; /**< the stream table (SMMU_STRTAB_BASE/_CFG; 6.3.24) */
    /** @var cmdq_log2
     * Command queue log2 entries, up to IDR1.CMDQS (0 = 8) (6.3.26).
     * @var evtq_log2
     * Event queue log2 entries, up to IDR1.EVENTQS (0 = 7) (6.3.29). */
    unsigned cmdq_log2, evtq_log2;
    /** @var cr1
     * Value written to SMMU_CR1: table and queue access attributes (6.3.11).
     * @var cr2
     * Value written to SMMU_CR2: E2H, RECINVSID, PTM (6.3.12). */
    uint32_t cr1, cr2;
} smmu_build_boot_t;

/** Allocate the queues and program the SMMU in the order of 3.11:
 * STRTAB_BASE/CFG, CMDQ and EVENTQ bases and pointers, CR1, CR2,
 * CMDQEN|EVENTQEN, CFGI_ALL + TLBI_NSNH_ALL + CMD_SYNC, SMMUEN. Each CR0
 * write waits for CR0ACK. SMMU_ERR_CONFIG with a message when an
 * acknowledgement or a command fails. */
SMMU_API smmu_status_t smmu_build_boot(smmu_build_t *b, smmu_t *smmu, const smmu_build_boot_t *cfg);
/** Write n commands (2n words: cmds[2i] bits [63:0], cmds[2i+1] bits
 * [127:64]) at CMDQ_PROD and publish them (consumed at once).
 * SMMU_ERR_CONFIG when the queue is full or CMDQ_CONS.ERR is set after. */
SMMU_API smmu_status_t smmu_build_submit(smmu_build_t *b, smmu_t *smmu, const uint64_t *cmds, unsigned n);
/** Submit the commands a map/unmap/protect reported. */
SMMU_API smmu_status_t smmu_build_issue(smmu_build_t *b, smmu_t *smmu, const smmu_build_tlbi_t *t);

#ifdef __cplusplus
}
#endif
#endif /* SMMU_SMMU_BUILD_H */
