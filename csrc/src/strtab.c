/* SPDX-License-Identifier: Apache-2.0 */
/* Stream table lookup (3.3.2, 5.1, 6.3.24, 6.3.25) and STE decode and
 * validation (5.2, SteIllegal() of 5.2.2). Decisions the spec leaves to the
 * implementation are listed in docs/config-structures.md. */
#include <string.h>

#include "smmu_internal.h"
#include "strtab.h"

/* Clear bits [n-1:0] of addr; n >= 64 clears everything. */
static uint64_t align_down(uint64_t addr, unsigned n)
{
    return n >= 64 ? 0 : addr & ~((1ull << n) - 1);
}

/* True if addr (and the `len` bytes from it) do not fit in `bits` bits. */
static int beyond(uint64_t addr, uint64_t len, unsigned bits)
{
    if (bits >= 64)
        return 0;
    uint64_t last = addr + len - 1;
    return (addr >> bits) != 0 || (last >> bits) != 0 || last < addr;
}

static int ste_fetch_abort(smmu_event_t *ev, uint64_t pa)
{
    ev->type = SMMU_EVT_F_STE_FETCH;
    ev->fetch_addr = pa;
    return SMMU_EVT_F_STE_FETCH;
}

static int bad_sid(smmu_event_t *ev)
{
    ev->type = SMMU_EVT_C_BAD_STREAMID;
    return SMMU_EVT_C_BAD_STREAMID;
}

int smmu_ste_fetch(smmu_t *s, uint32_t sid, uint64_t raw[8], smmu_event_t *ev)
{
    uint32_t cfg = s->regs.strtab_base_cfg;
    unsigned lit_log2 = (unsigned)SMMU_GET(cfg, 5, 0);
    /* 6.3.25: effective LOG2SIZE = MIN(LOG2SIZE, IDR1.SIDSIZE) for range
     * checks and index calculation; alignment uses the literal value. */
    unsigned log2size = lit_log2 < s->cfg.sidsize ? lit_log2 : s->cfg.sidsize;
    unsigned fmt = (unsigned)SMMU_GET(cfg, 17, 16);
    uint64_t base = s->regs.strtab_base & SMMU_MASK(55, 6);
    uint64_t ste_pa;

    ev->sid = sid;
    /* FMT is RES0 when IDR0.ST_LEVEL == 0; reserved values behave as linear. */
    if (!s->cfg.st_level || fmt != SMMU_STRTAB_FMT_2LVL)
        fmt = SMMU_STRTAB_FMT_LINEAR;

    if (log2size < 32 && (sid >> log2size) != 0)
        return bad_sid(ev); /* 7.3.3 case 1 */

    if (fmt == SMMU_STRTAB_FMT_LINEAR) {
        base = align_down(base, lit_log2 + 6); /* ADDR[LOG2SIZE+5:0] = 0 */
        ste_pa = base + 64ull * sid;
    } else {
        unsigned split = (unsigned)SMMU_GET(cfg, 10, 6);
        if (split != 6 && split != 8 && split != 10)
            split = 6; /* 6.3.25: other values behave as 6 */
        /* ADDR[MAX(5, LOG2SIZE-SPLIT-1+3):0] = 0 (literal LOG2SIZE). */
        int top = (int)lit_log2 - (int)split + 2;
        base = align_down(base, (unsigned)(top > 5 ? top : 5) + 1);
        uint64_t l1_pa = base + 8ull * (sid >> split);
        if (beyond(l1_pa, 8, s->oas_bits))
            return ste_fetch_abort(ev, l1_pa); /* 3.4.3 (5) */
        uint64_t l1;
        if (smmu_mem_read_words(s, l1_pa, &l1, 1, SMMU_ACC_STE))
            return ste_fetch_abort(ev, l1_pa);
        unsigned span = (unsigned)SMMU_GET(l1, 4, 0);
        /* 5.1: Span 0 invalid, 12-31 reserved (behave as 0), > SPLIT+1 out
         * of bounds; the level-2 array holds 2^(Span-1) STEs. */
        if (span == 0 || span > 11 || span > split + 1)
            return bad_sid(ev);
        uint32_t l2_idx = sid & ((1u << split) - 1);
        if (l2_idx >= (1u << (span - 1)))
            return bad_sid(ev); /* 7.3.3 case 2d */
        /* L2Ptr[5+(Span-1):0] are treated as 0. */
        uint64_t l2 = align_down(l1 & SMMU_MASK(55, 6), span + 5);
        ste_pa = l2 + 64ull * l2_idx;
    }
    if (beyond(ste_pa, 64, s->oas_bits))
        return ste_fetch_abort(ev, ste_pa); /* 3.4.3 (5) */
    if (smmu_mem_read_words(s, ste_pa, raw, 8, SMMU_ACC_STE))
        return ste_fetch_abort(ev, ste_pa);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* STE decode                                                               */
/* ------------------------------------------------------------------------ */

/* TG encoding of STE.S2TG and CD.TG0: 0 4KB, 1 64KB, 2 16KB, 3 reserved.
 * Returns the granule shift or 0 for reserved. */
static unsigned tg0_shift(unsigned tg)
{
    static const uint8_t sh[4] = {12, 16, 14, 0};
    return sh[tg & 3];
}

static int granule_supported(const smmu_config_t *c, unsigned gshift)
{
    switch (gshift) {
    case 12:
        return c->gran4k;
    case 14:
        return c->gran16k;
    case 16:
        return c->gran64k;
    default:
        return 0;
    }
}

/* Stage-2 initial lookup level from SL0 (SL2 == 0, DS == 0), Arm ARM
 * D8.2.9 Tables D8-19, D8-29, D8-38 (VTCR_EL2.SL0). -1 = reserved. */
static int s2_start_level(const smmu_config_t *c, unsigned gshift, unsigned sl0)
{
    if (gshift == 12) {
        static const int8_t lv[4] = {2, 1, 0, 3};
        if (sl0 == 3 && !c->stt)
            return -1; /* level 3 with 4KB needs FEAT_TTST (IDR3.STT) */
        return lv[sl0 & 3];
    }
    /* 16KB: 0b11 = level 0 only with DS == 1; 64KB: 0b11 reserved. */
    static const int8_t lv[4] = {3, 2, 1, -1};
    return lv[sl0 & 3];
}

uint64_t smmu_align_ttb(uint64_t ttb, unsigned gshift, unsigned ia_bits, unsigned level,
                        unsigned oa_bits)
{
    unsigned idx_bits = ia_bits - smmu_level_shift(gshift, level);
    unsigned n = idx_bits + 3;
    unsigned min = oa_bits >= 52 ? 6 : 4;
    return align_down(ttb, n > min ? n : min);
}

#define F(hi, lo) ((unsigned)smmu_field(raw, (hi), (lo)))
#define ILL(r)                                                                               \
    do {                                                                                     \
        *reason = (r);                                                                       \
        return SMMU_EVT_C_BAD_STE;                                                           \
    } while (0)

int smmu_ste_decode(const smmu_t *s, const uint64_t raw[8], smmu_ste_t *o, uint32_t *reason)
{
    const smmu_config_t *c = &s->cfg;
    memset(o, 0, sizeof(*o));
    *reason = SMMU_STE_ILL_NONE;

    if (!F(0, 0))
        ILL(SMMU_STE_ILL_INVALID);
    unsigned config = F(3, 1);
    o->config = (uint8_t)config;
    if (!(config & 4)) {
        /* 0b000 abort; 0b001-0b011 reserved, behave as 0b000: no event. */
        o->abort = 1;
        return 0;
    }
    int s1 = config & 1, s2 = (config >> 1) & 1;
    o->bypass = config == 4;
    o->s1_enabled = (uint8_t)s1;
    o->s2_enabled = (uint8_t)s2;
    if (s1 && !c->s1p)
        ILL(SMMU_STE_ILL_S1_NOT_IMPL);
    if (s2 && !c->s2p)
        ILL(SMMU_STE_ILL_S2_NOT_IMPL);

    unsigned raw_s2s = F(185, 185);
    unsigned eats = c->ats ? F(93, 92) : 0; /* RES0 without ATS */
    /* ATS checks of SteIllegal() (only with IDR0.ATS == 1, not bypass). */
    if (c->ats && config != 4) {
        if (eats == 2 && (config != 7 || raw_s2s || c->ns1ats))
            ILL(SMMU_STE_ILL_EATS);
        /* SMMUv3.0 CONSTRAINED UNPREDICTABLE: check only with stage 2
         * (the behaviour Arm recommends, and that of v3.1+). */
        if (eats == 1 && raw_s2s && s2)
            ILL(SMMU_STE_ILL_EATS);
    }
    o->eats = (uint8_t)eats;

    /* STRW (IgnoreSTESTRW): used only for stage-1-only STEs with Hyp. */
    int strw_unused = !c->s1p || !c->hyp || s2 || config == 4;
    unsigned strw = strw_unused ? 0 : F(95, 94);
    if (!strw_unused && (strw & 1))
        ILL(SMMU_STE_ILL_STRW);
    o->strw = (uint8_t)strw;
    if (strw == 2)
        o->streamworld = (s->regs.cr2 & SMMU_CR2_E2H) ? SMMU_SW_NS_EL2_E2H : SMMU_SW_NS_EL2;
    else
        o->streamworld = SMMU_SW_NS_EL1;

    /* Fields that do not depend on a stage. */
    o->cont = (uint8_t)F(80, 77);
    o->mev = (uint8_t)F(83, 83);
    o->dre = c->arch_minor >= SMMU_ARCH_V3_1 ? (uint8_t)F(76, 76) : 0;
    o->dcp = c->arch_minor >= SMMU_ARCH_V3_1 ? (uint8_t)F(81, 81) : 0;
    o->ppar = (c->pri && c->ssidsize) ? (uint8_t)F(82, 82) : 0;
    if (c->attr_types_ovr) {
        o->mtcfg = (uint8_t)F(100, 100);
        o->memattr = o->mtcfg ? (uint8_t)F(99, 96) : 0;
        o->alloccfg = (uint8_t)F(104, 101);
        o->shcfg = (uint8_t)F(109, 108);
    } else {
        o->shcfg = 1; /* RES0 field: the incoming Shareability is used */
    }
    if (c->attr_perms_ovr) {
        o->privcfg = (uint8_t)F(113, 112);
        o->instcfg = (uint8_t)F(115, 114);
        if (o->privcfg == 1) /* reserved, behaves as 0b00 */
            o->privcfg = 0;
        if (o->instcfg == 1)
            o->instcfg = 0;
    }
    o->nscfg = 0; /* IGNORED in the Non-secure Stream table */

    /* Stage 1 (fields IGNORED when stage 1 bypasses). */
    if (s1) {
        o->s1stalld = (uint8_t)F(91, 91);
        if (o->s1stalld && c->stall_model != 0)
            ILL(SMMU_STE_ILL_STALL);
        unsigned cdmax = c->ssidsize ? F(63, 59) : 0; /* IGNORED w/o SSIDs */
        if (cdmax > c->ssidsize)
            ILL(SMMU_STE_ILL_S1CDMAX);
        unsigned fmt = F(5, 4);
        if (cdmax && !c->cd2l && (fmt == 1 || fmt == 2))
            ILL(SMMU_STE_ILL_S1FMT);
        if (fmt == 3 || cdmax == 0)
            fmt = 0; /* 0b11 behaves as 0b00; IGNORED with one CD */
        uint64_t ptr = smmu_field(raw, 55, 6) << 6;
        /* STES1ContextPtrOutOfRange: IPA vs IAS with stage 2, else PA vs
         * OAS (3.4.3: C_BAD_STE, chosen for v3.0 too). */
        unsigned range = s2 ? s->ias_bits : s->oas_bits;
        if (ptr >> range)
            ILL(SMMU_STE_ILL_S1CTXPTR);
        /* Bits RES0 because of S1CDMax: treated as zero (CONSTRAINED
         * UNPREDICTABLE choice, 5.2 S1Fmt). */
        if (fmt == 0)
            ptr = align_down(ptr, cdmax + 6);
        else if (fmt == 1 && cdmax > 9)
            ptr = align_down(ptr, cdmax - 3);
        else if (fmt == 2 && cdmax > 13)
            ptr = align_down(ptr, cdmax - 7);
        o->s1ctxptr = ptr;
        o->s1cdmax = (uint8_t)cdmax;
        o->s1fmt = (uint8_t)fmt;
        unsigned dss = cdmax ? F(65, 64) : 0;
        o->s1dss = (uint8_t)(dss == 3 ? 0 : dss); /* 0b11 behaves as 0b00 */
        o->s1cir = (uint8_t)F(67, 66);
        o->s1cor = (uint8_t)F(69, 68);
        o->s1csh = (uint8_t)F(71, 70);
        if (o->s1csh == 1)
            o->s1csh = 0; /* reserved, behaves as Non-shareable */
    }

    /* Stage 2 (fields IGNORED when stage 2 bypasses, except S2VMID/S2S). */
    if (s2) {
        o->s2s = (uint8_t)raw_s2s;
        o->s2r = (uint8_t)F(186, 186);
        if (o->s2s && c->stall_model == 1)
            ILL(SMMU_STE_ILL_STALL);
        if (!o->s2s && c->stall_model == 2)
            ILL(SMMU_STE_ILL_STALL);
        /* IDR0.TTF = 0b10 (AArch64 only), IDR5.D128 = 0. */
        if (!F(179, 179))
            ILL(SMMU_STE_ILL_S2AA64);
        unsigned ha = F(184, 184), hd = F(183, 183);
        unsigned haft = c->httu == 3 ? F(187, 187) : 0;
        if ((ha || hd) && c->httu == 0)
            ILL(SMMU_STE_ILL_S2HTTU);
        if (hd && c->httu == 1)
            ILL(SMMU_STE_ILL_S2HTTU);
        if (haft && !ha)
            ILL(SMMU_STE_ILL_S2HTTU);
        unsigned g = tg0_shift(F(175, 174));
        if (!granule_supported(c, g))
            ILL(SMMU_STE_ILL_S2TG);
        unsigned ps_bits = smmu_pa_bits(F(178, 176));
        unsigned oa = ps_bits < s->oas_bits ? ps_bits : s->oas_bits; /* eff_S2PS */
        uint64_t ttb = c->arch_minor >= SMMU_ARCH_V3_1 ? smmu_field(raw, 243, 196) << 4
                                                       : smmu_field(raw, 239, 196) << 4;
        if (ttb >> oa)
            ILL(SMMU_STE_ILL_S2TTB);
        if (g != 16 && (ttb >> 48)) /* S2DS == 0 (IDR5.DS == 0) */
            ILL(SMMU_STE_ILL_S2TTB);
        unsigned t0sz = F(165, 160);
        unsigned tmax = c->stt ? (g == 16 ? 47 : 48) : 39;
        unsigned tmin = 64 - s->ias_bits;
        if (c->arch_minor >= SMMU_ARCH_V3_1) {
            unsigned floor = g == 16 ? 12 : 16;
            if (tmin < floor)
                tmin = floor;
        }
        /* v3.0: CONSTRAINED UNPREDICTABLE, this model chooses ILLEGAL. */
        if (t0sz < tmin || t0sz > tmax)
            ILL(SMMU_STE_ILL_S2T0SZ);
        int lvl = s2_start_level(c, g, F(167, 166));
        unsigned ia = 64 - t0sz;
        if (lvl < 0)
            ILL(SMMU_STE_ILL_S2SL0);
        int idx_bits = (int)ia - (int)smmu_level_shift(g, (unsigned)lvl);
        /* 1..(stride + 4) index bits: up to 16 concatenated tables;
         * no concatenation at level 0 without DS (D8.2.9). */
        int max_bits = (int)(g - 3) + (lvl == 0 ? 0 : 4);
        if (idx_bits < 1 || idx_bits > max_bits)
            ILL(SMMU_STE_ILL_S2SL0);
        /* AArch64.S2InvalidSL() (Arm ARM J1.1.4.40), DS == 0: S2SL0 = 0b10
         * needs a PA size of 44 bits (4KB, 64KB) or 42 bits (16KB); the
         * SMMU's PA size is its OAS (3.4). */
        if (F(167, 166) == 2 && s->oas_bits < (g == 14 ? 42u : 44u))
            ILL(SMMU_STE_ILL_S2SL0);
        unsigned endi = F(180, 180);
        if ((c->ttendian == 2 && endi) || (c->ttendian == 3 && !endi))
            ILL(SMMU_STE_ILL_S2ENDI);

        o->s2ha = (uint8_t)ha;
        o->s2hd = (uint8_t)(ha && hd); /* {HA,HD} = 01 behaves as 00 */
        o->s2affd = (uint8_t)F(181, 181);
        o->s2ptw = config == 7 ? (uint8_t)F(182, 182) : 0;
        o->s2fwb = c->fwb ? (uint8_t)F(89, 89) : 0;
        o->s2ir0 = (uint8_t)F(169, 168);
        o->s2or0 = (uint8_t)F(171, 170);
        o->s2sh0 = (uint8_t)F(173, 172);
        if (o->s2sh0 == 1)
            o->s2sh0 = 0;
        smmu_walk_cfg_t *w = &o->s2;
        w->stage = 2;
        w->gran_shift = (uint8_t)g;
        w->ia_bits = (uint8_t)ia;
        w->start_level = (uint8_t)lvl;
        w->oa_bits = (uint8_t)oa;
        w->ttb = smmu_align_ttb(ttb, g, ia, (unsigned)lvl, oa);
        w->big_endian = (uint8_t)endi;
        w->affd = o->s2affd;
        w->ha = o->s2ha;
        w->hd = o->s2hd;
        w->had = 0;
        w->ptw = o->s2ptw;
    }

    /* S2VMID (IgnoreSTES2VMID): used whenever stage 2 is implemented and
     * a stage translates in an EL1 StreamWorld, even if stage 2 bypasses. */
    int vmid_ignored = !c->s2p || config == 4 || (strw != 0 && !strw_unused);
    unsigned vmid = F(143, 128);
    if (!vmid_ignored && !c->vmid16 && (vmid >> 8))
        ILL(SMMU_STE_ILL_VMID16);
    o->s2vmid = vmid_ignored ? 0 : (uint16_t)vmid;
    return 0;
}
