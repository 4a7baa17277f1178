/* SPDX-License-Identifier: Apache-2.0 */
/* Context descriptors: selection (5.2 S1DSS/S1CDMax), fetch through linear
 * or 2-level tables (5.3, 3.3.2) and CD decode/validation (5.4, CdIllegal()
 * of 5.4.2). Choices the spec leaves open: docs/config-structures.md. */
#include <string.h>

#include "cd.h"
#include "smmu_internal.h"
#include "walk.h"

smmu_cd_sel_t smmu_cd_select(const smmu_ste_t *ste, uint32_t sid, int ssv, uint32_t ssid,
                             uint32_t *index, smmu_event_t *ev)
{
    ev->sid = sid;
    ev->ssv = (uint8_t)(ssv != 0);
    ev->ssid = ssv ? ssid : 0;
    *index = 0;
    if (ste->s1cdmax == 0) {
        /* Substreams disabled (or unsupported: S1CDMax decoded as 0). */
        if (ssv) {
            ev->type = SMMU_EVT_C_BAD_SUBSTREAMID;
            return SMMU_CD_FAULT;
        }
        return SMMU_CD_USE;
    }
    if (!ssv) {
        switch (ste->s1dss) {
        case 1:
            return SMMU_CD_S1_BYPASS;
        case 2:
            return SMMU_CD_USE; /* CD 0 */
        default:                /* 0b00 terminate (0b11 behaves as 0b00) */
            ev->type = SMMU_EVT_F_STREAM_DISABLED;
            return SMMU_CD_FAULT;
        }
    }
    if (ste->s1cdmax < 32 && (ssid >> ste->s1cdmax) != 0) {
        ev->type = SMMU_EVT_C_BAD_SUBSTREAMID;
        return SMMU_CD_FAULT;
    }
    if (ssid == 0 && ste->s1dss == 2) {
        ev->type = SMMU_EVT_F_STREAM_DISABLED; /* CD 0 reserved (7.3.7) */
        return SMMU_CD_FAULT;
    }
    *index = ssid;
    return SMMU_CD_USE;
}

static int cd_fetch_abort(smmu_event_t *ev, uint64_t pa)
{
    ev->type = SMMU_EVT_F_CD_FETCH;
    ev->fetch_addr = pa;
    return SMMU_EVT_F_CD_FETCH;
}

static int bad_ssid(smmu_event_t *ev, uint32_t index)
{
    /* 7.3.9: SubstreamID = the index of the CD that was to be fetched. */
    ev->type = SMMU_EVT_C_BAD_SUBSTREAMID;
    ev->ssid = index;
    return SMMU_EVT_C_BAD_SUBSTREAMID;
}

int smmu_cd_fetch(smmu_t *s, const smmu_ste_t *ste, uint32_t sid, uint32_t index,
                  uint64_t raw[8], smmu_event_t *ev)
{
    uint64_t cd_addr, pa;
    const smmu_walk_cfg_t *s2 = ste->s2_enabled ? &ste->s2 : NULL; /* CD addresses are IPAs */
    int e;

    ev->sid = sid;
    if (ste->s1cdmax == 0 || ste->s1fmt == 0) {
        cd_addr = ste->s1ctxptr + 64ull * index;
    } else {
        unsigned split = ste->s1fmt == 1 ? 6 : 10;
        uint64_t l1_addr = ste->s1ctxptr + 8ull * (index >> split);
        e = smmu_nested_ipa_to_pa(s, s2, l1_addr, SMMU_CLASS_CD, &pa, ev);
        if (e)
            return e;
        uint64_t l1;
        if (smmu_mem_read_words(s, pa, &l1, 1, SMMU_ACC_CD))
            return cd_fetch_abort(ev, pa);
        if (!(l1 & 1))
            return bad_ssid(ev, index); /* 5.3.1: L1CD.V == 0 */
        uint64_t l2 = l1 & SMMU_MASK(55, 12);
        /* L2Ptr is an IPA (IAS) with stage 2, else a PA (OAS); out of
         * range -> C_BAD_SUBSTREAMID (3.4.3 (3)/(4), chosen for all
         * revisions). */
        unsigned range = ste->s2_enabled ? s->ias_bits : s->oas_bits;
        if (l2 >> range)
            return bad_ssid(ev, index);
        if (split == 10)
            l2 &= ~SMMU_MASK(15, 12); /* RES0 bits treated as zero */
        cd_addr = l2 + 64ull * (index & ((1u << split) - 1));
    }
    e = smmu_nested_ipa_to_pa(s, s2, cd_addr, SMMU_CLASS_CD, &pa, ev);
    if (e)
        return e;
    if (smmu_mem_read_words(s, pa, raw, 8, SMMU_ACC_CD))
        return cd_fetch_abort(ev, pa);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* CD decode                                                                */
/* ------------------------------------------------------------------------ */

/* CD.TG0: 0 4KB, 1 64KB, 2 16KB, 3 reserved. CD.TG1: 0 reserved, 1 16KB,
 * 2 4KB, 3 64KB. Returns the granule shift, 0 for reserved. */
static unsigned cd_tg_shift(int region, unsigned tg)
{
    static const uint8_t tg0[4] = {12, 16, 14, 0};
    static const uint8_t tg1[4] = {0, 14, 12, 16};
    return region ? tg1[tg & 3] : tg0[tg & 3];
}

static int granule_ok(const smmu_config_t *c, unsigned g)
{
    return (g == 12 && c->gran4k) || (g == 14 && c->gran16k) || (g == 16 && c->gran64k);
}

/* CDTxSZInvalid() of 5.4.2 for VMSAv8-64, CD.DS == 0 (IDR5.DS == 0). */
static int txsz_invalid(const smmu_config_t *c, unsigned txsz, unsigned g)
{
    unsigned tmax = c->stt ? ((g == 12 || g == 14) ? 48 : 47) : 39;
    unsigned tmin = (c->vax && g == 16) ? 12 : 16;
    return txsz < tmin || txsz > tmax;
}

/* Number of levels needed to resolve ia_bits with granule g; start level. */
static unsigned s1_start_level(unsigned g, unsigned ia)
{
    unsigned stride = g - 3;
    unsigned levels = (ia - g + stride - 1) / stride;
    return levels >= 4 ? 0 : 4 - levels;
}

#define F(hi, lo) ((unsigned)smmu_field(raw, (hi), (lo)))
#define ILL(r)                                                                               \
    do {                                                                                     \
        *reason = (r);                                                                       \
        return SMMU_EVT_C_BAD_CD;                                                            \
    } while (0)

int smmu_cd_decode(const smmu_t *s, const smmu_ste_t *ste, const uint64_t raw[8], smmu_cd_t *o,
                   uint32_t *reason)
{
    const smmu_config_t *c = &s->cfg;
    memset(o, 0, sizeof(*o));
    *reason = SMMU_CD_ILL_NONE;

    if (!F(31, 31))
        ILL(SMMU_CD_ILL_INVALID);
    /* StreamWorld any-EL2 (not E2H): EPDx IGNORED (effective 0), TTB1
     * unreachable, ASID IGNORED (5.4 EPD0, 5.4.1). */
    int el2 = ste->streamworld == SMMU_SW_NS_EL2;
    o->s = (uint8_t)F(44, 44);
    o->r = (uint8_t)F(45, 45);
    o->a = (uint8_t)F(46, 46);
    if (ste->s1stalld && o->s)
        ILL(SMMU_CD_ILL_STALL);
    if (c->term_model && !o->a)
        ILL(SMMU_CD_ILL_TERM);
    if (c->stall_model == 1 && o->s)
        ILL(SMMU_CD_ILL_STALL);
    if (c->stall_model == 2 && !o->s)
        ILL(SMMU_CD_ILL_STALL);

    unsigned epd[2];
    epd[0] = el2 ? 0 : F(14, 14);
    epd[1] = el2 ? 1 : F(30, 30); /* TTB1 unreachable for EL2 */
    unsigned endi = F(15, 15);
    if ((!epd[0] || !epd[1]) &&
        ((c->ttendian == 2 && endi) || (c->ttendian == 3 && !endi)))
        ILL(SMMU_CD_ILL_ENDI);
    o->aa64 = (uint8_t)F(41, 41);
    if (!o->aa64) /* IDR0.TTF = 0b10: VMSAv8-32 LPAE unsupported; D128 = 0 */
        ILL(SMMU_CD_ILL_AA64);
    unsigned hd = F(42, 42), ha = F(43, 43);
    unsigned haft = c->httu == 3 ? F(67, 67) : 0;
    if ((ha || hd) && c->httu == 0)
        ILL(SMMU_CD_ILL_HTTU);
    if (hd && c->httu == 1)
        ILL(SMMU_CD_ILL_HTTU);
    if (haft && !ha)
        ILL(SMMU_CD_ILL_HTTU);
    unsigned asid = F(63, 48);
    if (!el2 && !c->asid16 && (asid >> 8))
        ILL(SMMU_CD_ILL_ASID16);

    unsigned txsz[2] = {F(5, 0), F(21, 16)};
    unsigned g[2] = {cd_tg_shift(0, F(7, 6)), cd_tg_shift(1, F(23, 22))};
    /* v3.0: out-of-range TxSZ is CONSTRAINED UNPREDICTABLE; ILLEGAL chosen. */
    for (int i = 0; i < 2; i++)
        if (!epd[i] && txsz_invalid(c, txsz[i], g[i]))
            ILL(SMMU_CD_ILL_TSZ);

    /* Effective IPS: MIN(IPS, OAS). 0b110 = 52 bits (v3.1+), 0b111 behaves
     * as 0b110 up to v3.3; both behave as 0b101 in v3.0, where OAS <= 48
     * makes the cap give the same result. Never ILLEGAL. */
    unsigned ips = smmu_pa_bits(F(34, 32));
    if (ips > s->oas_bits)
        ips = s->oas_bits;
    o->ips_bits = (uint8_t)ips;
    int v31 = c->arch_minor >= SMMU_ARCH_V3_1;
    uint64_t ttb[2];
    ttb[0] = (v31 ? smmu_field(raw, 115, 68) : smmu_field(raw, 111, 68)) << 4;
    ttb[1] = (v31 ? smmu_field(raw, 179, 132) : smmu_field(raw, 175, 132)) << 4;
    for (int i = 0; i < 2; i++) {
        if (epd[i])
            continue;
        if (!granule_ok(c, g[i]))
            ILL(SMMU_CD_ILL_TG);
        unsigned range = ips;
        if (g[i] != 16 && range > 48) /* CD.DS == 0 */
            range = 48;
        if (ttb[i] >> range)
            ILL(SMMU_CD_ILL_TTB);
    }

    /* Valid: fill the decoded CD. */
    o->asid = el2 ? 0 : (uint16_t)asid;
    o->aset = (uint8_t)F(47, 47);
    o->wxn = (uint8_t)F(36, 36);
    o->uwxn = 0; /* IGNORED for VMSAv8-64 */
    o->pan = el2 ? 0 : (uint8_t)F(40, 40);
    o->affd = (uint8_t)F(35, 35);
    o->endi = (uint8_t)endi;
    o->ha = (uint8_t)ha;
    o->hd = (uint8_t)(ha && hd); /* {HD,HA} = 10 behaves as 00 */
    o->had0 = c->had ? (uint8_t)F(65, 65) : 0;
    o->had1 = (c->had && !el2) ? (uint8_t)F(129, 129) : 0;
    o->e0pd0 = (c->e0pd && !el2) ? (uint8_t)F(66, 66) : 0;
    o->e0pd1 = (c->e0pd && !el2) ? (uint8_t)F(130, 130) : 0;
    o->ir[0] = (uint8_t)F(9, 8);
    o->or_[0] = (uint8_t)F(11, 10);
    o->sh[0] = (uint8_t)F(13, 12);
    o->ir[1] = el2 ? 0 : (uint8_t)F(25, 24);
    o->or_[1] = el2 ? 0 : (uint8_t)F(27, 26);
    o->sh[1] = el2 ? 0 : (uint8_t)F(29, 28);
    for (int i = 0; i < 2; i++)
        if (o->sh[i] == 1)
            o->sh[i] = 0; /* reserved, behaves as Non-shareable */
    o->mair = raw[3];
    o->amair = raw[4];
    unsigned tbi[2] = {F(38, 38), el2 ? 0 : F(39, 39)};
    unsigned had[2] = {o->had0, o->had1};

    for (int i = 0; i < 2; i++) {
        smmu_walk_cfg_t *w = &o->tt[i];
        w->stage = 1;
        w->disabled = (uint8_t)epd[i];
        w->tbi = (uint8_t)tbi[i];
        w->big_endian = (uint8_t)endi;
        w->oa_bits = (uint8_t)ips;
        w->affd = o->affd;
        w->ha = o->ha;
        w->hd = o->hd;
        w->had = (uint8_t)had[i];
        if (epd[i] || !granule_ok(c, g[i]) || txsz_invalid(c, txsz[i], g[i]))
            continue; /* IGNORED region: no walk parameters */
        unsigned ia = 64 - txsz[i];
        unsigned lvl = s1_start_level(g[i], ia);
        w->gran_shift = (uint8_t)g[i];
        w->ia_bits = (uint8_t)ia;
        w->start_level = (uint8_t)lvl;
        w->ttb = smmu_align_ttb(ttb[i], g[i], ia, lvl, ips);
    }
    return 0;
}
