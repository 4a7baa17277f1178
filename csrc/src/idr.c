/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ID registers <-> configuration (IHI 0070 G.b 6.3.1-6.3.8, 2.2-2.5).
 *
 * One table (idr_fields) says where every smmu_config_t field lives in
 * SMMU_IDR0-5, SMMU_IIDR and SMMU_AIDR. The encoder (smmu_config_to_idr,
 * which is also what the registers read), the decoder (smmu_config_from_idr)
 * and the messages of smmu_config_check all use it, so a field's position and
 * name are written once.
 *
 * smmu_config_check has two namings: through the public function a message
 * names the configuration field first ("ttendian = 1 (IDR0.TTENDIAN) is
 * Reserved (6.3.1)"); through smmu_config_from_idr it names only the register
 * field ("IDR0.TTENDIAN = 1 is Reserved (6.3.1)"). Every rule cites its
 * section and says either "Reserved"/"RES0" (the architecture forbids the
 * value), a requirement the text states, or "not modelled" (a legal value
 * this model does not implement). The rules and the ones deliberately not
 * enforced are listed in docs/configuration.md.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "bits.h"
#include "smmu/smmu.h"

/* ---- The field table ----------------------------------------------------- */

/* Register indices: IDR0-5, then IIDR and AIDR. */
enum { R_IDR0, R_IDR1, R_IDR2, R_IDR3, R_IDR4, R_IDR5, R_IIDR, R_AIDR };

static const char *const reg_names[] = {"IDR0", "IDR1", "IDR2", "IDR3",
                                        "IDR4", "IDR5", "IIDR", "AIDR"};
static const char *const reg_sections[] = {"6.3.1", "6.3.2", "6.3.3", "6.3.4",
                                           "6.3.5", "6.3.6", "6.3.7", "6.3.8"};

/* X(spec field name, smmu_config_t member, register, hi, lo) */
#define IDR_FIELDS(X)                                                                        \
    X(S2P, s2p, R_IDR0, 0, 0)                                                                \
    X(S1P, s1p, R_IDR0, 1, 1)                                                                \
    X(COHACC, cohacc, R_IDR0, 4, 4)                                                          \
    X(BTM, btm, R_IDR0, 5, 5)                                                                \
    X(HTTU, httu, R_IDR0, 7, 6)                                                              \
    X(DORMHINT, dormhint, R_IDR0, 8, 8)                                                      \
    X(Hyp, hyp, R_IDR0, 9, 9)                                                                \
    X(ATS, ats, R_IDR0, 10, 10)                                                              \
    X(NS1ATS, ns1ats, R_IDR0, 11, 11)                                                        \
    X(ASID16, asid16, R_IDR0, 12, 12)                                                        \
    X(MSI, msi, R_IDR0, 13, 13)                                                              \
    X(SEV, sev, R_IDR0, 14, 14)                                                              \
    X(ATOS, atos, R_IDR0, 15, 15)                                                            \
    X(PRI, pri, R_IDR0, 16, 16)                                                              \
    X(VMW, vmw, R_IDR0, 17, 17)                                                              \
    X(VMID16, vmid16, R_IDR0, 18, 18)                                                        \
    X(CD2L, cd2l, R_IDR0, 19, 19)                                                            \
    X(VATOS, vatos, R_IDR0, 20, 20)                                                          \
    X(TTENDIAN, ttendian, R_IDR0, 22, 21)                                                    \
    X(ATSRECERR, atsrecerr, R_IDR0, 23, 23)                                                  \
    X(STALL_MODEL, stall_model, R_IDR0, 25, 24)                                              \
    X(TERM_MODEL, term_model, R_IDR0, 26, 26)                                                \
    X(ST_LEVEL, st_level, R_IDR0, 28, 27)                                                    \
    X(SIDSIZE, sidsize, R_IDR1, 5, 0)                                                        \
    X(SSIDSIZE, ssidsize, R_IDR1, 10, 6)                                                     \
    X(PRIQS, priqs, R_IDR1, 15, 11)                                                          \
    X(EVENTQS, eventqs, R_IDR1, 20, 16)                                                      \
    X(CMDQS, cmdqs, R_IDR1, 25, 21)                                                          \
    X(ATTR_PERMS_OVR, attr_perms_ovr, R_IDR1, 26, 26)                                        \
    X(ATTR_TYPES_OVR, attr_types_ovr, R_IDR1, 27, 27)                                        \
    X(REL, rel, R_IDR1, 28, 28)                                                              \
    X(BA_VATOS, ba_vatos, R_IDR2, 9, 0)                                                      \
    X(HAD, had, R_IDR3, 2, 2)                                                                \
    X(PBHA, pbha, R_IDR3, 3, 3)                                                              \
    X(XNX, xnx, R_IDR3, 4, 4)                                                                \
    X(PPS, pps, R_IDR3, 5, 5)                                                                \
    X(MPAM, mpam, R_IDR3, 7, 7)                                                              \
    X(FWB, fwb, R_IDR3, 8, 8)                                                                \
    X(STT, stt, R_IDR3, 9, 9)                                                                \
    X(RIL, ril, R_IDR3, 10, 10)                                                              \
    X(BBML, bbml, R_IDR3, 12, 11)                                                            \
    X(E0PD, e0pd, R_IDR3, 13, 13)                                                            \
    X(PTWNNC, ptwnnc, R_IDR3, 14, 14)                                                        \
    X(OAS, oas, R_IDR5, 2, 0)                                                                \
    X(GRAN4K, gran4k, R_IDR5, 4, 4)                                                          \
    X(GRAN16K, gran16k, R_IDR5, 5, 5)                                                        \
    X(GRAN64K, gran64k, R_IDR5, 6, 6)                                                        \
    X(VAX, vax, R_IDR5, 11, 10)                                                              \
    X(STALL_MAX, stall_max, R_IDR5, 31, 16)                                                  \
    X(Implementer, iidr_implementer, R_IIDR, 11, 0)                                          \
    X(Revision, iidr_revision, R_IIDR, 15, 12)                                               \
    X(Variant, iidr_variant, R_IIDR, 19, 16)                                                 \
    X(ProductID, iidr_productid, R_IIDR, 31, 20)                                             \
    X(ArchMinorRev, arch_minor, R_AIDR, 3, 0)

enum {
#define X(name, member, reg, hi, lo) F_##name,
    IDR_FIELDS(X)
#undef X
    F_COUNT
};

typedef struct idr_field {
    const char *name;   /* spec field name */
    const char *member; /* smmu_config_t member */
    size_t off;
    uint8_t bytes, reg, hi, lo;
} idr_field_t;

static const idr_field_t idr_fields[F_COUNT] = {
#define X(name, member, reg, hi, lo)                                                         \
    {#name, #member, offsetof(smmu_config_t, member),                                        \
     (uint8_t)sizeof(((smmu_config_t *)0)->member), reg, hi, lo},
    IDR_FIELDS(X)
#undef X
};

static unsigned get_field(const smmu_config_t *c, int f)
{
    const unsigned char *p = (const unsigned char *)c + idr_fields[f].off;
    if (idr_fields[f].bytes == 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        return v;
    }
    return *p;
}

static void set_field(smmu_config_t *c, int f, unsigned v)
{
    unsigned char *p = (unsigned char *)c + idr_fields[f].off;
    if (idr_fields[f].bytes == 2) {
        uint16_t x = (uint16_t)v;
        memcpy(p, &x, 2);
    } else {
        *p = (uint8_t)v;
    }
}

/* Whether field f is reported: BA_VATOS only with VATOS (6.3.3), STALL_MAX
 * is RES0 with STALL_MODEL == 0b01 (6.3.6). */
static int field_present(const smmu_config_t *c, int f)
{
    if (f == F_BA_VATOS)
        return c->vatos != 0;
    if (f == F_STALL_MAX)
        return c->stall_model != 1;
    return 1;
}

/* ---- Encoder --------------------------------------------------------------- */

void smmu_config_to_idr(const smmu_config_t *c, uint32_t idr[6], uint32_t *aidr, uint32_t *iidr)
{
    uint32_t r[8] = {0};
    /* IDR0.TTF = 0b10: VMSAv8-64 only (6.3.1). IDR1.ECMDQ, TABLES_PRESET,
     * QUEUES_PRESET = 0 (6.3.2). IDR4 (6.3.5) = 0. AIDR.ArchMajorRev = 0
     * (SMMUv3.x, 6.3.8). */
    r[R_IDR0] = (uint32_t)SMMU_PUT(2, 3, 2);
    for (int f = 0; f < F_COUNT; f++) {
        const idr_field_t *d = &idr_fields[f];
        if (field_present(c, f))
            r[d->reg] |= (uint32_t)SMMU_PUT(get_field(c, f), d->hi, d->lo);
    }
    if (idr)
        memcpy(idr, r, 6 * sizeof(uint32_t));
    if (iidr)
        *iidr = r[R_IIDR];
    if (aidr)
        *aidr = r[R_AIDR];
}

/* ---- Defaults ---------------------------------------------------------------- */

void smmu_config_default(smmu_config_t *c, smmu_arch_t arch)
{
    memset(c, 0, sizeof(*c));
    c->arch_minor = (uint8_t)arch;
    c->s1p = 1;
    c->s2p = 1;
    c->cohacc = 1;
    c->httu = 0;
    c->hyp = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->asid16 = 1;
    c->vmid16 = 1;
    c->msi = 1;
    c->sev = 1;
    c->cd2l = 1;
    c->ttendian = 0; /* mixed */
    c->stall_model = 1; /* terminate only; 0b00 and 0b10 are accepted too */
    c->term_model = 0;
    c->stall_max = 64; /* IDR5.STALL_MAX (reads 0 while stall_model == 1) */
    c->st_level = 1;
    c->cmdqs = 19;
    c->eventqs = 19;
    c->priqs = 19;
    c->ssidsize = 20;
    c->sidsize = 16;
    c->had = 1;
    c->xnx = arch >= SMMU_ARCH_V3_1 ? 1 : 0;
    c->ril = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->fwb = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->e0pd = arch >= SMMU_ARCH_V3_3 ? 1 : 0;   /* mandatory from v3.3 (6.3.4) */
    c->ptwnnc = arch >= SMMU_ARCH_V3_3 ? 1 : 0; /* mandatory with S2P from v3.3 */
    c->bbml = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->oas = 5; /* 48 bits */
    c->gran4k = 1;
    c->gran16k = 1;
    c->gran64k = 1;
    c->vax = 0;
    c->iidr_implementer = 0x43B; /* Arm's JEP106 code; the model is a reference */
    c->iidr_productid = 0x5A;
    c->cfg_cache_entries = 1024;
    c->tlb_sets = 256;
    c->tlb_ways = 4;
    c->tlb_repl = 0;
    c->utlb_entries = 256;
    c->walk_cache_sets = 64;
    c->walk_cache_ways = 4;
}

/* ---- Checks -------------------------------------------------------------------- */

typedef struct chk {
    char *msg;
    size_t len;
    int idr_names; /* 1: name register fields only (smmu_config_from_idr) */
} chk_t;

static smmu_status_t vreject(chk_t *k, const char *prefix, const char *fmt, va_list ap)
{
    if (k->msg && k->len) {
        int n = snprintf(k->msg, k->len, "%s", prefix);
        if (n >= 0 && (size_t)n < k->len)
            vsnprintf(k->msg + n, k->len - (size_t)n, fmt, ap);
    }
    return SMMU_ERR_CONFIG;
}

/* A model option (no register field). */
static smmu_status_t reject(chk_t *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smmu_status_t st = vreject(k, "", fmt, ap);
    va_end(ap);
    return st;
}

/* Field f holds a value that a rule forbids: "IDR0.TTENDIAN = 1 <why>" or
 * "ttendian = 1 (IDR0.TTENDIAN) <why>". */
static smmu_status_t bad(chk_t *k, const smmu_config_t *c, int f, const char *fmt, ...)
{
    const idr_field_t *d = &idr_fields[f];
    char prefix[96];
    if (k->idr_names)
        snprintf(prefix, sizeof prefix, "%s.%s = %u ", reg_names[d->reg], d->name,
                 get_field(c, f));
    else
        snprintf(prefix, sizeof prefix, "%s = %u (%s.%s) ", d->member, get_field(c, f),
                 reg_names[d->reg], d->name);
    va_list ap;
    va_start(ap, fmt);
    smmu_status_t st = vreject(k, prefix, fmt, ap);
    va_end(ap);
    return st;
}

#define BAD(f, ...) return bad(k, c, f, __VA_ARGS__)
#define NOT_MODELLED(f)                                                                      \
    if (get_field(c, f))                                                                     \
        BAD(f, "is not modelled (%s)", reg_sections[idr_fields[f].reg])

static smmu_status_t check(const smmu_config_t *c, chk_t *k)
{
    if (!c)
        return reject(k, "configuration is NULL");
    if (k->msg && k->len)
        k->msg[0] = 0;

    /* Every field fits its register field. */
    for (int f = 0; f < F_COUNT; f++) {
        const idr_field_t *d = &idr_fields[f];
        if (get_field(c, f) > SMMU_GET(~0ull, d->hi - d->lo, 0))
            BAD(f, "does not fit in %s[%u:%u] (%s)", reg_names[d->reg], d->hi, d->lo,
                reg_sections[d->reg]);
    }

    /* AIDR (6.3.8): 0-4 are SMMUv3.0-v3.4; the model implements v3.0-v3.3. */
    const unsigned v = c->arch_minor;
    if (v > 4)
        BAD(F_ArchMinorRev, "is Reserved (6.3.8)");
    if (v == 4)
        BAD(F_ArchMinorRev, "(SMMUv3.4) is not modelled: SMMUv3.0-v3.3 only (6.3.8)");

    /* IDR0 (6.3.1) */
    if (!c->s1p && !c->s2p)
        BAD(F_S1P, "with S2P = 0: no translation stage; an SMMU implements stage 1, "
                   "stage 2 or both (2.2)");
    if (c->httu == 3)
        BAD(F_HTTU, "(Access flag for Table descriptors, SMMUv3.4) is not modelled "
                    "(6.3.1, 2.8)");
    if (c->hyp && (!c->s1p || !c->s2p))
        BAD(F_Hyp, "is RES0 when S1P == 0 or S2P == 0 (6.3.1)");
    if (!c->hyp && v >= SMMU_ARCH_V3_2 && c->s1p && c->s2p)
        BAD(F_Hyp, "with S1P = S2P = 1: Hyp is 1 from SMMUv3.2 (6.3.1)");
    if (c->vmw && !c->s2p)
        BAD(F_VMW, "is RES0 when S2P == 0 (6.3.1)");
    if (c->pri && !c->ats)
        BAD(F_PRI, "is RES0 when ATS == 0 (6.3.1)");
    if (c->ns1ats && (!c->ats || !c->s1p || !c->s2p))
        BAD(F_NS1ATS, "is RES0 when ATS == 0, S1P == 0 or S2P == 0 (6.3.1)");
    if (c->atsrecerr && !c->ats)
        BAD(F_ATSRECERR, "is RES0 when ATS == 0 (6.3.1)");
    if (c->vatos && !c->atos)
        BAD(F_VATOS, "is RES0 when ATOS == 0 (6.3.1)");
    if (c->vatos && (!c->s1p || !c->s2p))
        BAD(F_VATOS, "needs S1P = 1 and S2P = 1 (6.3.1)");
    if (c->ttendian == 1)
        BAD(F_TTENDIAN, "is Reserved (6.3.1)");
    if (c->stall_model == 3)
        BAD(F_STALL_MODEL, "is Reserved (6.3.1)");
    /* 6.3.6: STALL_MAX is the number of stalls the SMMU supports; with a
     * Stall model (0b00, 0b10) at least one must be possible. */
    if (c->stall_model != 1 && c->stall_max == 0)
        BAD(F_STALL_MAX, "with STALL_MODEL = %u: a Stall model needs STALL_MAX >= 1 (6.3.6)",
            c->stall_model);
    if (c->st_level > 1)
        BAD(F_ST_LEVEL, "is Reserved (6.3.1)");

    /* IDR1 (6.3.2) */
    if (c->sidsize > 32)
        BAD(F_SIDSIZE, "is Reserved: 0 to 32 (6.3.2)");
    if (c->ssidsize > 20)
        BAD(F_SSIDSIZE, "is Reserved: 0 to 20 (6.3.2)");
    if (c->cmdqs > 19)
        BAD(F_CMDQS, "is Reserved: at most 19 (6.3.2)");
    if (c->eventqs > 19)
        BAD(F_EVENTQS, "is Reserved: at most 19 (6.3.2)");
    if (c->priqs > 19)
        BAD(F_PRIQS, "is Reserved: at most 19 (6.3.2)");
    if (c->rel)
        BAD(F_REL, "is RES0 when TABLES_PRESET == 0 and QUEUES_PRESET == 0 (6.3.2; presets "
                   "are not modelled)");
    if (c->sidsize >= 7 && c->st_level == 0)
        BAD(F_ST_LEVEL, "with SIDSIZE = %u: ST_LEVEL != 0 when SIDSIZE >= 7 (6.3.2)",
            c->sidsize);

    /* IDR3 (6.3.4) */
    if (c->had && !c->s1p)
        BAD(F_HAD, "is 0 when S1P == 0 (6.3.4)");
    if (!c->had && c->s1p && v >= SMMU_ARCH_V3_1)
        BAD(F_HAD, "with S1P = 1: HAD is mandatory from SMMUv3.1 (6.3.4)");
    if (c->pbha && v == SMMU_ARCH_V3_0)
        BAD(F_PBHA, "is RES0 in SMMUv3.0 (6.3.4)");
    if (c->pbha && !c->had)
        BAD(F_PBHA, "needs HAD = 1 (6.3.4)");
    if (c->xnx && v == SMMU_ARCH_V3_0)
        BAD(F_XNX, "is RES0 in SMMUv3.0 (6.3.4)");
    if (!c->xnx && c->s2p && v >= SMMU_ARCH_V3_1)
        BAD(F_XNX, "with S2P = 1: XNX is mandatory from SMMUv3.1 (6.3.4)");
    if (c->pps && (!c->pri || !c->ssidsize))
        BAD(F_PPS, "is RES0 when PRI == 0 or SSIDSIZE == 0 (6.3.4)");
    /* 6.3.4 "FWB is 1 in an implementation of SMMUv3.2 or later"; without
     * stage 2 the field has no effect, so either value is accepted then. */
    if (!c->fwb && c->s2p && v >= SMMU_ARCH_V3_2)
        BAD(F_FWB, "with S2P = 1: FWB is 1 from SMMUv3.2 (6.3.4)");
    if (!c->ril && v >= SMMU_ARCH_V3_2)
        BAD(F_RIL, "(no range invalidation): RIL is 1 from SMMUv3.2 (6.3.4)");
    if (c->bbml == 3)
        BAD(F_BBML, "is Reserved (6.3.4)");
    if (c->bbml == 0 && v >= SMMU_ARCH_V3_2)
        BAD(F_BBML, "(level 0): BBML is 0b01 or 0b10 from SMMUv3.2 (6.3.4)");
    if (!c->e0pd && v >= SMMU_ARCH_V3_3)
        BAD(F_E0PD, "(no E0PD): E0PD is 1 from SMMUv3.3 (6.3.4)");
    if (c->ptwnnc && !c->s2p)
        BAD(F_PTWNNC, "is RES0 when S2P == 0 (6.3.4)");
    if (!c->ptwnnc && c->s2p && v >= SMMU_ARCH_V3_3)
        BAD(F_PTWNNC, "with S2P = 1: PTWNNC is 1 from SMMUv3.3 (6.3.4)");

    /* IDR5 (6.3.6) */
    if (c->oas == 7 && v == SMMU_ARCH_V3_3)
        BAD(F_OAS, "(56 bits) is Reserved in SMMUv3.3 (6.3.6)");
    if (c->oas == 7)
        BAD(F_OAS, "(56 bits, needs D128) is not modelled (6.3.6)");
    if (c->oas == 6 && v == SMMU_ARCH_V3_0)
        BAD(F_OAS, "(52 bits) is Reserved in SMMUv3.0 (6.3.6)");
    if (c->oas == 6 && !c->gran64k)
        BAD(F_OAS, "(52 bits) needs GRAN64K = 1 when DS == 0 and D128 == 0 (6.3.6; DS and "
                   "D128 are not modelled)");
    if (c->vax && v == SMMU_ARCH_V3_0)
        BAD(F_VAX, "is RES0 in SMMUv3.0 (6.3.6)");
    if (c->vax == 3)
        BAD(F_VAX, "is Reserved (6.3.6)");
    if (c->vax == 2)
        BAD(F_VAX, "(56-bit VA, needs D128) is not modelled (6.3.6)");
    if (c->vax == 1 && !c->gran64k)
        BAD(F_VAX, "(52-bit VA) needs GRAN64K = 1 when DS == 0 (6.3.6; DS is not modelled)");
    if (!c->gran4k && !c->gran16k && !c->gran64k)
        BAD(F_GRAN4K, "with GRAN16K = GRAN64K = 0: no translation granule (6.3.6)");

    /* IIDR (6.3.7): Implementer[7] is always 0 (JEP106 identity code). */
    if (c->iidr_implementer & 0x80)
        BAD(F_Implementer, "has bit [7] set: bit [7] is always 0 (6.3.7)");

    /* Features the model does not implement (legal values). */
    NOT_MODELLED(F_NS1ATS);
    NOT_MODELLED(F_ATOS);
    NOT_MODELLED(F_VATOS);
    NOT_MODELLED(F_MPAM);
    NOT_MODELLED(F_STT);

    /* Model options (no register field). */
    if (c->secure_req_abort > 1)
        return reject(k, "secure_req_abort = %u: must be 0 or 1", c->secure_req_abort);
    if (c->tlb_sets & (c->tlb_sets - 1))
        return reject(k, "tlb_sets = %u: must be a power of two (or 0 for no TLB)",
                      c->tlb_sets);
    if ((uint64_t)c->tlb_sets * c->tlb_ways > (1u << 24))
        return reject(k, "tlb_sets x tlb_ways: at most 16M entries");
    if (c->tlb_repl > 1)
        return reject(k, "tlb_repl = %u: 0 (round robin) or 1 (pseudo-random)", c->tlb_repl);
    if (c->walk_cache_sets & (c->walk_cache_sets - 1))
        return reject(k, "walk_cache_sets = %u: must be a power of two (or 0 for no walk cache)",
                      c->walk_cache_sets);
    if ((uint64_t)c->walk_cache_sets * c->walk_cache_ways > (1u << 24))
        return reject(k, "walk_cache_sets x walk_cache_ways: at most 16M entries");
    if (c->utlb_entries & (c->utlb_entries - 1))
        return reject(k, "utlb_entries = %u: must be a power of two (or 0 for none)",
                      c->utlb_entries);
    if (c->utlb_entries > (1u << 20))
        return reject(k, "utlb_entries: at most 1M");
    if (c->cfg_cache_entries > (1u << 24))
        return reject(k, "cfg_cache_entries: at most 16M");
    return SMMU_OK;
}

smmu_status_t smmu_config_check(const smmu_config_t *c, char *msg, size_t len)
{
    chk_t k = {msg, len, 0};
    return check(c, &k);
}

/* ---- Decoder --------------------------------------------------------------- */

/* Bits of a register that the decoder does not map to a configuration field,
 * with what they are. */
typedef struct raw_bits {
    uint8_t reg, hi, lo;
    const char *name; /* NULL: RES0 bits */
    const char *why;  /* for named fields: the message after "= v " */
} raw_bits_t;

static const raw_bits_t raw_bits[] = {
    {R_IDR0, 31, 31, NULL, NULL},
    {R_IDR0, 30, 30, "RME_IMPL", "(Realm Management Extension) is not modelled (6.3.1)"},
    {R_IDR0, 29, 29, NULL, NULL},
    {R_IDR1, 31, 31, "ECMDQ", "(Enhanced Command queues) is not modelled (6.3.2)"},
    {R_IDR1, 30, 30, "TABLES_PRESET", "(fixed Stream table base) is not modelled (6.3.2)"},
    {R_IDR1, 29, 29, "QUEUES_PRESET", "(fixed queue bases) is not modelled (6.3.2)"},
    {R_IDR2, 31, 10, NULL, NULL},
    {R_IDR3, 31, 24, NULL, NULL},
    {R_IDR3, 23, 23, "AIE", "(Attribute Index Extension) is not modelled (6.3.4)"},
    {R_IDR3, 22, 22, "MTEPERM", "(NoTagAccess) is not modelled (6.3.4)"},
    {R_IDR3, 21, 21, "THE", "(translation hardening) is not modelled (6.3.4)"},
    {R_IDR3, 20, 20, "S2PO", "(stage 2 permission overlays) is not modelled (6.3.4)"},
    {R_IDR3, 19, 19, "S2PI", "(stage 2 permission indirections) is not modelled (6.3.4)"},
    {R_IDR3, 18, 18, "S1PI", "(stage 1 permission indirections) is not modelled (6.3.4)"},
    {R_IDR3, 17, 17, "EPAN", "(Enhanced PAN) is not modelled (6.3.4)"},
    {R_IDR3, 16, 16, "PASIDTT", "(PASID on ATS Translated transactions) is not modelled "
                                "(6.3.4)"},
    {R_IDR3, 15, 15, "DPT", "(Device Permission Table) is not modelled (6.3.4)"},
    {R_IDR3, 6, 6, NULL, NULL},
    {R_IDR3, 1, 0, NULL, NULL},
    {R_IDR5, 15, 12, NULL, NULL},
    {R_IDR5, 9, 9, NULL, NULL},
    {R_IDR5, 8, 8, "D128", "(128-bit descriptors) is not modelled (6.3.6)"},
    {R_IDR5, 7, 7, "DS", "(52-bit addresses with 4KB/16KB granules) is not modelled (6.3.6)"},
    {R_IDR5, 3, 3, NULL, NULL},
    {R_AIDR, 31, 8, NULL, NULL},
    {R_AIDR, 7, 4, "ArchMajorRev", NULL},
};

static smmu_status_t raw_bad(chk_t *k, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    smmu_status_t st = vreject(k, "", fmt, ap);
    va_end(ap);
    return st;
}

smmu_status_t smmu_config_from_idr(const uint32_t idr[6], uint32_t aidr, uint32_t iidr,
                                   smmu_config_t *cfg, char *msg, size_t msg_len)
{
    chk_t k = {msg, msg_len, 1};
    if (msg && msg_len)
        msg[0] = 0;
    if (!idr || !cfg)
        return raw_bad(&k, "idr or cfg is NULL");
    uint32_t r[8];
    memcpy(r, idr, 6 * sizeof(uint32_t));
    r[R_IDR4] = 0; /* IMPLEMENTATION DEFINED (6.3.5): ignored */
    r[R_IIDR] = iidr;
    r[R_AIDR] = aidr;

    for (size_t i = 0; i < sizeof raw_bits / sizeof raw_bits[0]; i++) {
        const raw_bits_t *b = &raw_bits[i];
        unsigned val = (unsigned)SMMU_GET(r[b->reg], b->hi, b->lo);
        if (!val)
            continue;
        const char *reg = reg_names[b->reg], *sec = reg_sections[b->reg];
        if (!b->name && b->hi == b->lo)
            return raw_bad(&k, "%s[%u] = 1 is RES0 (%s)", reg, b->hi, sec);
        if (!b->name)
            return raw_bad(&k, "%s[%u:%u] = 0x%x is RES0 (%s)", reg, b->hi, b->lo, val, sec);
        if (!b->why)
            return raw_bad(&k, "%s.%s = %u is Reserved (%s)", reg, b->name, val, sec);
        return raw_bad(&k, "%s.%s = %u %s", reg, b->name, val, b->why);
    }
    /* IDR0.TTF (6.3.1): 0b10 is VMSAv8-64, the only format modelled. */
    unsigned ttf = (unsigned)SMMU_GET(r[R_IDR0], 3, 2);
    if (ttf == 0)
        return raw_bad(&k, "IDR0.TTF = 0 is Reserved (6.3.1)");
    if (ttf != 2)
        return raw_bad(&k, "IDR0.TTF = %u (VMSAv8-32 LPAE) is not modelled: only 2, "
                           "VMSAv8-64 (6.3.1)", ttf);
    /* RES0 fields that the configuration holds but the encoder drops. */
    if (!SMMU_GET(r[R_IDR0], 20, 20) && SMMU_GET(r[R_IDR2], 9, 0))
        return raw_bad(&k, "IDR2.BA_VATOS = %u is RES0 when IDR0.VATOS == 0 (6.3.3)",
                       (unsigned)SMMU_GET(r[R_IDR2], 9, 0));
    if (SMMU_GET(r[R_IDR0], 25, 24) == 1 && SMMU_GET(r[R_IDR5], 31, 16))
        return raw_bad(&k, "IDR5.STALL_MAX = %u is RES0 when IDR0.STALL_MODEL == 0b01 (6.3.6)",
                       (unsigned)SMMU_GET(r[R_IDR5], 31, 16));
    unsigned arch = (unsigned)SMMU_GET(aidr, 3, 0);

    /* Model options from the revision's default; every ID field from the
     * registers. */
    smmu_config_t c;
    smmu_config_default(&c, arch <= SMMU_ARCH_V3_3 ? (smmu_arch_t)arch : SMMU_ARCH_V3_3);
    for (int f = 0; f < F_COUNT; f++) {
        const idr_field_t *d = &idr_fields[f];
        set_field(&c, f, (unsigned)SMMU_GET(r[d->reg], d->hi, d->lo));
    }
    smmu_status_t st = check(&c, &k);
    if (st == SMMU_OK)
        *cfg = c;
    return st;
}
