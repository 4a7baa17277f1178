/*
 * Table builder (public API smmu/smmu_build.h): encoders for the L1STD
 * (5.1), STE (5.2), L1CD (5.3), CD (5.4) and VMSAv8-64 descriptors (Arm ARM
 * D8.3), written from the field tables and sharing nothing with the model's
 * decoders (strtab.c, cd.c, walk.c), so that the two cannot share a bug.
 * Every operation checks its arguments before it writes anything.
 */
#include "smmu/smmu_build.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"

/* ---- errors and memory ---------------------------------------------------- */

static smmu_status_t fail(smmu_build_t *b, smmu_status_t st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err, sizeof b->err, fmt, ap);
    va_end(ap);
    return st;
}

static int is_pow2(uint64_t v) { return v && !(v & (v - 1)); }
static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

static smmu_status_t mem_write(smmu_build_t *b, uint64_t pa, const void *buf, uint32_t len,
                               smmu_access_kind_t kind)
{
    if (b->host) {
        if (pa < b->host_pa || len > b->host_size || pa - b->host_pa > b->host_size - len)
            return fail(b, SMMU_ERR_INVAL, "write of %u bytes at 0x%llx is outside the host window",
                        len, (unsigned long long)pa);
        memcpy(b->host + (pa - b->host_pa), buf, len);
        return SMMU_OK;
    }
    if (b->ops->write(b->ctx, pa, buf, len, kind, NULL) != SMMU_MEM_OK)
        return fail(b, SMMU_ERR_INVAL, "memory write at 0x%llx aborted", (unsigned long long)pa);
    return SMMU_OK;
}

static smmu_status_t mem_read(smmu_build_t *b, uint64_t pa, void *buf, uint32_t len)
{
    if (b->host) {
        if (pa < b->host_pa || len > b->host_size || pa - b->host_pa > b->host_size - len)
            return fail(b, SMMU_ERR_INVAL, "read at 0x%llx is outside the host window",
                        (unsigned long long)pa);
        memcpy(buf, b->host + (pa - b->host_pa), len);
        return SMMU_OK;
    }
    if (b->ops->read(b->ctx, pa, buf, len, SMMU_ACC_TT, NULL) != SMMU_MEM_OK)
        return fail(b, SMMU_ERR_INVAL, "memory read at 0x%llx aborted", (unsigned long long)pa);
    return SMMU_OK;
}

static smmu_status_t w64(smmu_build_t *b, uint64_t pa, uint64_t v, smmu_access_kind_t kind)
{
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(v >> (8 * i));
    return mem_write(b, pa, bytes, 8, kind);
}

smmu_status_t smmu_build_write64(smmu_build_t *b, uint64_t pa, uint64_t v)
{
    return w64(b, pa, v, SMMU_ACC_TT);
}

smmu_status_t smmu_build_read64(smmu_build_t *b, uint64_t pa, uint64_t *v)
{
    uint8_t bytes[8];
    smmu_status_t st = mem_read(b, pa, bytes, 8);
    if (st != SMMU_OK)
        return st;
    *v = 0;
    for (int i = 0; i < 8; i++)
        *v |= (uint64_t)bytes[i] << (8 * i);
    return SMMU_OK;
}

static smmu_status_t write_words(smmu_build_t *b, uint64_t pa, const uint64_t *w, unsigned n,
                                 smmu_access_kind_t kind)
{
    for (unsigned i = 0; i < n; i++) {
        smmu_status_t st = w64(b, pa + 8u * i, w[i], kind);
        if (st != SMMU_OK)
            return st;
    }
    return SMMU_OK;
}

static smmu_status_t init_range(smmu_build_t *b, uint64_t base, uint64_t size)
{
    if (size == 0 || base + size < base)
        return fail(b, SMMU_ERR_INVAL, "allocator range [0x%llx, +0x%llx) is empty or wraps",
                    (unsigned long long)base, (unsigned long long)size);
    b->base = b->next = base;
    b->end = base + size;
    return SMMU_OK;
}

smmu_status_t smmu_build_init(smmu_build_t *b, const smmu_mem_ops_t *ops, void *ctx,
                              uint64_t base, uint64_t size)
{
    if (!b)
        return SMMU_ERR_INVAL;
    memset(b, 0, sizeof *b);
    if (!ops || !ops->read || !ops->write)
        return fail(b, SMMU_ERR_INVAL, "memory callbacks read and write are required");
    b->ops = ops;
    b->ctx = ctx;
    return init_range(b, base, size);
}

smmu_status_t smmu_build_init_host(smmu_build_t *b, void *host, uint64_t host_pa,
                                   uint64_t host_size, uint64_t base, uint64_t size)
{
    if (!b)
        return SMMU_ERR_INVAL;
    memset(b, 0, sizeof *b);
    if (!host || host_size == 0)
        return fail(b, SMMU_ERR_INVAL, "host window is empty");
    if (base < host_pa || size > host_size || base - host_pa > host_size - size)
        return fail(b, SMMU_ERR_INVAL, "allocator range is not inside the host window");
    b->host = (uint8_t *)host;
    b->host_pa = host_pa;
    b->host_size = host_size;
    return init_range(b, base, size);
}

smmu_status_t smmu_build_alloc(smmu_build_t *b, uint64_t size, uint64_t align, uint64_t *pa)
{
    if (size == 0 || !is_pow2(align) || align < 8)
        return fail(b, SMMU_ERR_INVAL, "allocation of 0x%llx bytes aligned to 0x%llx: bad arguments",
                    (unsigned long long)size, (unsigned long long)align);
    uint64_t at = align_up(b->next, align);
    if (at < b->next || at > b->end || size > b->end - at)
        return fail(b, SMMU_ERR_NOMEM, "out of space: 0x%llx bytes aligned to 0x%llx do not fit "
                    "in [0x%llx, 0x%llx)", (unsigned long long)size, (unsigned long long)align,
                    (unsigned long long)b->next, (unsigned long long)b->end);
    static const uint8_t zero[256];
    for (uint64_t off = 0; off < size; off += sizeof zero) {
        uint64_t n = size - off < sizeof zero ? size - off : sizeof zero;
        smmu_status_t st = mem_write(b, at + off, zero, (uint32_t)n, SMMU_ACC_TT);
        if (st != SMMU_OK)
            return st;
    }
    b->next = at + size;
    *pa = at;
    return SMMU_OK;
}

/* ---- field packing -------------------------------------------------------- */

/* Put v into bits [hi:lo] of *w; records an error when v is wider. */
typedef struct packer {
    smmu_build_t *b;
    const char *what;
    int bad;
} packer_t;

static void put(packer_t *p, uint64_t *w, uint64_t v, unsigned hi, unsigned lo, const char *name)
{
    uint64_t max = hi - lo == 63 ? ~0ull : (1ull << (hi - lo + 1)) - 1;
    if (v > max) {
        if (!p->bad)
            fail(p->b, SMMU_ERR_INVAL, "%s.%s = 0x%llx does not fit in %u bits", p->what, name,
                 (unsigned long long)v, hi - lo + 1);
        p->bad = 1;
        return;
    }
    *w |= v << lo;
}

/* Address field [hi:lo] holding address bits [hi:lo] (same positions). */
static void put_addr(packer_t *p, uint64_t *w, uint64_t a, unsigned hi, unsigned lo,
                     const char *name)
{
    if (a & ((1ull << lo) - 1) || (hi < 63 && (a >> (hi + 1)))) {
        if (!p->bad)
            fail(p->b, SMMU_ERR_INVAL, "%s.%s = 0x%llx is not a %u-byte aligned address below "
                 "2^%u", p->what, name, (unsigned long long)a, 1u << lo, hi + 1);
        p->bad = 1;
        return;
    }
    *w |= a;
}

/* ---- stream table (5.1, 6.3.24, 6.3.25) ----------------------------------- */

smmu_status_t smmu_build_strtab_init(smmu_build_t *b, smmu_build_strtab_t *st,
                                     unsigned log2size, unsigned split)
{
    if (log2size > 32)
        return fail(b, SMMU_ERR_INVAL, "STRTAB_BASE_CFG.LOG2SIZE %u is above 32", log2size);
    if (split != 0 && split != 6 && split != 8 && split != 10)
        return fail(b, SMMU_ERR_INVAL, "STRTAB_BASE_CFG.SPLIT must be 6, 8 or 10 (6.3.25), not %u",
                    split);
    uint64_t bytes = split ? 8ull << (log2size > split ? log2size - split : 0) : 64ull << log2size;
    uint64_t pa;
    smmu_status_t s = smmu_build_alloc(b, bytes, bytes < 64 ? 64 : bytes, &pa);
    if (s != SMMU_OK)
        return s;
    st->base = pa;
    st->log2size = log2size;
    st->split = split;
    return SMMU_OK;
}

uint64_t smmu_build_strtab_base_reg(const smmu_build_strtab_t *st)
{
    return SMMU_BIT(62) | (st->base & SMMU_MASK(55, 6)); /* RA, ADDR (6.3.24) */
}

uint32_t smmu_build_strtab_cfg_reg(const smmu_build_strtab_t *st)
{
    /* FMT [17:16], SPLIT [10:6], LOG2SIZE [5:0] (6.3.25) */
    return (uint32_t)(SMMU_PUT(st->split ? SMMU_STRTAB_FMT_2LVL : SMMU_STRTAB_FMT_LINEAR, 17, 16) |
                      SMMU_PUT(st->split, 10, 6) | SMMU_PUT(st->log2size, 5, 0));
}

smmu_status_t smmu_build_ste_addr(smmu_build_t *b, const smmu_build_strtab_t *st, uint32_t sid,
                                  uint64_t *pa)
{
    if (st->log2size < 32 && sid >> st->log2size)
        return fail(b, SMMU_ERR_INVAL, "StreamID %u is outside the stream table (LOG2SIZE %u)", sid,
                    st->log2size);
    if (!st->split) {
        *pa = st->base + 64ull * sid;
        return SMMU_OK;
    }
    uint64_t l1 = st->base + 8ull * (sid >> st->split), desc;
    smmu_status_t s = smmu_build_read64(b, l1, &desc);
    if (s != SMMU_OK)
        return s;
    uint64_t l2;
    if (SMMU_GET(desc, 4, 0) == 0) { /* Span 0: no level-2 table yet (5.1) */
        uint64_t bytes = 64ull << st->split;
        if ((s = smmu_build_alloc(b, bytes, bytes, &l2)) != SMMU_OK)
            return s;
        /* L1STD: Span [4:0] = SPLIT + 1 (2^(Span-1) STEs), L2Ptr [55:6] */
        if ((s = w64(b, l1, (l2 & SMMU_MASK(55, 6)) | (st->split + 1u), SMMU_ACC_STE)) != SMMU_OK)
            return s;
    } else {
        l2 = desc & SMMU_MASK(55, 6);
    }
    *pa = l2 + 64ull * (sid & ((1u << st->split) - 1));
    return SMMU_OK;
}

/* ---- STE (5.2) ---------------------------------------------------------- */

smmu_status_t smmu_build_ste_encode(smmu_build_t *b, const smmu_build_ste_t *e, uint64_t w[8])
{
    memset(w, 0, 8 * sizeof w[0]);
    if (e->config != SMMU_STE_ABORT && (e->config < SMMU_STE_BYPASS || e->config > SMMU_STE_NESTED))
        return fail(b, SMMU_ERR_INVAL, "STE.Config 0b%u%u%u is reserved (5.2)", (e->config >> 2) & 1,
                    (e->config >> 1) & 1, e->config & 1);
    packer_t p = {b, "STE", 0};
    uint64_t out[8] = {0};
    /* word 0: V [0], Config [3:1], S1Fmt [5:4], S1ContextPtr [55:6], S1CDMax [63:59] */
    out[0] = 1;
    put(&p, &out[0], e->config, 3, 1, "Config");
    put(&p, &out[0], e->s1_fmt, 5, 4, "S1Fmt");
    put_addr(&p, &out[0], e->s1_context_ptr, 55, 6, "S1ContextPtr");
    put(&p, &out[0], e->s1_cdmax, 63, 59, "S1CDMax");
    /* word 1 (bits [127:64]) */
    put(&p, &out[1], e->s1dss, 1, 0, "S1DSS");        /* [65:64] */
    put(&p, &out[1], e->s1cir, 3, 2, "S1CIR");        /* [67:66] */
    put(&p, &out[1], e->s1cor, 5, 4, "S1COR");        /* [69:68] */
    put(&p, &out[1], e->s1csh, 7, 6, "S1CSH");        /* [71:70] */
    put(&p, &out[1], e->cont, 16, 13, "CONT");        /* [80:77] */
    put(&p, &out[1], e->mev, 19, 19, "MEV");          /* [83] */
    put(&p, &out[1], e->s1stalld, 27, 27, "S1STALLD");/* [91] */
    put(&p, &out[1], e->eats, 29, 28, "EATS");        /* [93:92] */
    put(&p, &out[1], e->strw, 31, 30, "STRW");        /* [95:94] */
    put(&p, &out[1], e->shcfg, 45, 44, "SHCFG");      /* [109:108] */
    /* word 2 (bits [191:128]) */
    put(&p, &out[2], e->s2vmid, 15, 0, "S2VMID");     /* [143:128] */
    put(&p, &out[2], e->s2t0sz, 37, 32, "S2T0SZ");    /* [165:160] */
    put(&p, &out[2], e->s2sl0, 39, 38, "S2SL0");      /* [167:166] */
    put(&p, &out[2], e->s2ir0, 41, 40, "S2IR0");      /* [169:168] */
    put(&p, &out[2], e->s2or0, 43, 42, "S2OR0");      /* [171:170] */
    put(&p, &out[2], e->s2sh0, 45, 44, "S2SH0");      /* [173:172] */
    put(&p, &out[2], e->s2tg, 47, 46, "S2TG");        /* [175:174] */
    put(&p, &out[2], e->s2ps, 50, 48, "S2PS");        /* [178:176] */
    put(&p, &out[2], e->s2aa64, 51, 51, "S2AA64");    /* [179] */
    put(&p, &out[2], e->s2endi, 52, 52, "S2ENDI");    /* [180] */
    put(&p, &out[2], e->s2affd, 53, 53, "S2AFFD");    /* [181] */
    put(&p, &out[2], e->s2ptw, 54, 54, "S2PTW");      /* [182] */
    put(&p, &out[2], e->s2hd, 55, 55, "S2HD");        /* [183] */
    put(&p, &out[2], e->s2ha, 56, 56, "S2HA");        /* [184] */
    put(&p, &out[2], e->s2s, 57, 57, "S2S");          /* [185] */
    put(&p, &out[2], e->s2r, 58, 58, "S2R");          /* [186] */
    /* word 3: S2TTB [247:196] = address bits [55:4] */
    put_addr(&p, &out[3], e->s2ttb, 55, 4, "S2TTB");
    if (p.bad)
        return SMMU_ERR_INVAL;
    memcpy(w, out, sizeof out);
    return SMMU_OK;
}

smmu_status_t smmu_build_ste_write(smmu_build_t *b, const smmu_build_strtab_t *st, uint32_t sid,
                                   const smmu_build_ste_t *ste)
{
    uint64_t w[8], pa;
    smmu_status_t s = smmu_build_ste_encode(b, ste, w);
    if (s == SMMU_OK)
        s = smmu_build_ste_addr(b, st, sid, &pa);
    if (s != SMMU_OK)
        return s;
    /* Words 1-7 first, word 0 (V) last, as a driver publishes an STE. */
    if ((s = write_words(b, pa + 8, w + 1, 7, SMMU_ACC_STE)) != SMMU_OK)
        return s;
    return w64(b, pa, w[0], SMMU_ACC_STE);
}

/* ---- CD table and CD (5.3, 5.4) ------------------------------------------ */

static unsigned cd_leaf_log2(unsigned fmt) { return fmt == 1 ? 6 : 10; } /* CDs per L2 table */

smmu_status_t smmu_build_cdtab_init(smmu_build_t *b, smmu_build_cdtab_t *ct, unsigned fmt,
                                    unsigned cdmax)
{
    if (fmt > 2)
        return fail(b, SMMU_ERR_INVAL, "STE.S1Fmt %u is reserved (5.2)", fmt);
    if (cdmax > 20)
        return fail(b, SMMU_ERR_INVAL, "STE.S1CDMax %u is above 20 (SubstreamID is 20 bits)", cdmax);
    uint64_t bytes;
    if (fmt == 0) {
        bytes = 64ull << cdmax;
    } else {
        unsigned leaf = cd_leaf_log2(fmt);
        bytes = 8ull << (cdmax > leaf ? cdmax - leaf : 0);
    }
    uint64_t pa;
    smmu_status_t s = smmu_build_alloc(b, bytes, bytes < 64 ? 64 : bytes, &pa);
    if (s != SMMU_OK)
        return s;
    ct->base = pa;
    ct->fmt = fmt;
    ct->cdmax = cdmax;
    return SMMU_OK;
}

static int tg0_enc(unsigned g)
{
    return g == 0 || g == 4096 ? 0 : g == 65536 ? 1 : g == 16384 ? 2 : -1; /* 5.4 TG0 */
}

static int tg1_enc(unsigned g)
{
    return g == 0 || g == 4096 ? 2 : g == 16384 ? 1 : g == 65536 ? 3 : -1; /* 5.4 TG1 */
}

smmu_status_t smmu_build_cd_encode(smmu_build_t *b, const smmu_build_cd_t *c, uint64_t w[8])
{
    memset(w, 0, 8 * sizeof w[0]);
    int tg0 = tg0_enc(c->tg0), tg1 = tg1_enc(c->tg1);
    if (tg0 < 0 || tg1 < 0)
        return fail(b, SMMU_ERR_INVAL, "CD granule must be 4096, 16384 or 65536 bytes");
    packer_t p = {b, "CD", 0};
    uint64_t out[8] = {0};
    put(&p, &out[0], c->t0sz, 5, 0, "T0SZ");
    put(&p, &out[0], (unsigned)tg0, 7, 6, "TG0");
    put(&p, &out[0], c->ir0, 9, 8, "IR0");
    put(&p, &out[0], c->or0, 11, 10, "OR0");
    put(&p, &out[0], c->sh0, 13, 12, "SH0");
    put(&p, &out[0], c->epd0, 14, 14, "EPD0");
    put(&p, &out[0], c->endi, 15, 15, "ENDI");
    put(&p, &out[0], c->t1sz, 21, 16, "T1SZ");
    put(&p, &out[0], (unsigned)tg1, 23, 22, "TG1");
    put(&p, &out[0], c->ir1, 25, 24, "IR1");
    put(&p, &out[0], c->or1, 27, 26, "OR1");
    put(&p, &out[0], c->sh1, 29, 28, "SH1");
    put(&p, &out[0], c->epd1, 30, 30, "EPD1");
    out[0] |= SMMU_BIT(31); /* V */
    put(&p, &out[0], c->ips, 34, 32, "IPS");
    put(&p, &out[0], c->affd, 35, 35, "AFFD");
    put(&p, &out[0], c->wxn, 36, 36, "WXN");
    put(&p, &out[0], c->uwxn, 37, 37, "UWXN");
    put(&p, &out[0], c->tbi0, 38, 38, "TBI0");
    put(&p, &out[0], c->tbi1, 39, 39, "TBI1");
    put(&p, &out[0], c->pan, 40, 40, "PAN");
    put(&p, &out[0], c->aa64, 41, 41, "AA64");
    put(&p, &out[0], c->hd, 42, 42, "HD");
    put(&p, &out[0], c->ha, 43, 43, "HA");
    put(&p, &out[0], c->s, 44, 44, "S");
    put(&p, &out[0], c->r, 45, 45, "R");
    put(&p, &out[0], c->a, 46, 46, "A");
    put(&p, &out[0], c->asid, 63, 48, "ASID");
    put_addr(&p, &out[1], c->ttb0, 55, 4, "TTB0"); /* [119:68] */
    put_addr(&p, &out[2], c->ttb1, 55, 4, "TTB1"); /* [183:132] */
    out[3] = c->mair;                               /* MAIR0 [223:192], MAIR1 [255:224] */
    out[4] = c->amair;                              /* AMAIR0/1 [319:256] */
    if (p.bad)
        return SMMU_ERR_INVAL;
    memcpy(w, out, sizeof out);
    return SMMU_OK;
}

smmu_status_t smmu_build_cd_write(smmu_build_t *b, const smmu_build_cdtab_t *ct, uint32_t ssid,
                                  const smmu_build_cd_t *cd)
{
    if (ssid >> ct->cdmax)
        return fail(b, SMMU_ERR_INVAL, "SubstreamID %u is outside S1CDMax %u", ssid, ct->cdmax);
    uint64_t w[8], pa;
    smmu_status_t s = smmu_build_cd_encode(b, cd, w);
    if (s != SMMU_OK)
        return s;
    if (ct->fmt == 0) {
        pa = ct->base + 64ull * ssid;
    } else {
        unsigned leaf = cd_leaf_log2(ct->fmt);
        uint64_t l1 = ct->base + 8ull * (ssid >> leaf), desc, l2;
        if ((s = smmu_build_read64(b, l1, &desc)) != SMMU_OK)
            return s;
        if (!(desc & 1)) {
            uint64_t bytes = 64ull << leaf;
            if ((s = smmu_build_alloc(b, bytes, bytes, &l2)) != SMMU_OK)
                return s;
            /* L1CD: V [0], L2Ptr [55:12] (5.3) */
            if ((s = w64(b, l1, (l2 & SMMU_MASK(55, 12)) | 1, SMMU_ACC_CD)) != SMMU_OK)
                return s;
        } else {
            l2 = desc & SMMU_MASK(55, 12);
        }
        pa = l2 + 64ull * (ssid & ((1u << leaf) - 1));
    }
    if ((s = write_words(b, pa + 8, w + 1, 7, SMMU_ACC_CD)) != SMMU_OK)
        return s;
    return w64(b, pa, w[0], SMMU_ACC_CD);
}

/* ---- translation tables (Arm ARM D8.2, D8.3) ----------------------------- */

static unsigned g_shift(const smmu_build_pt_t *pt) { return pt->granule == 4096 ? 12 : pt->granule == 16384 ? 14 : 16; }
static unsigned stride(const smmu_build_pt_t *pt) { return g_shift(pt) - 3; }
/* Bits of input address a level-L entry maps. */
static unsigned lvl_shift(const smmu_build_pt_t *pt, unsigned level)
{
    return g_shift(pt) + (3 - level) * stride(pt);
}
static uint64_t entries(const smmu_build_pt_t *pt, unsigned level)
{
    return level == pt->start_level ? 1ull << (pt->ias - lvl_shift(pt, level)) : 1ull << stride(pt);
}
/* Levels at which a block descriptor is allowed with 48-bit output (D8.3.1). */
static int block_ok(const smmu_build_pt_t *pt, unsigned level)
{
    if (level == 3)
        return 1;
    if (pt->granule == 4096)
        return level == 1 || level == 2;
    return level == 2;
}
/* Descriptors in a contiguous run at a level (D8.6.1: Contiguous bit). */
static unsigned contig_n(const smmu_build_pt_t *pt, unsigned level)
{
    if (pt->granule == 4096)
        return 16;
    if (pt->granule == 16384)
        return level == 3 ? 128 : 32;
    return 32;
}

int smmu_build_ps_encoding(unsigned bits)
{
    static const unsigned sizes[] = {32, 36, 40, 42, 44, 48, 52};
    for (int i = 0; i < 7; i++)
        if (sizes[i] == bits)
            return i;
    return -1;
}

smmu_status_t smmu_build_pt_init(smmu_build_t *b, smmu_build_pt_t *pt, unsigned stage,
                                 unsigned granule, unsigned ias, unsigned oas, int start_level)
{
    smmu_build_pt_t t = {0};
    if (stage != 1 && stage != 2)
        return fail(b, SMMU_ERR_INVAL, "stage must be 1 or 2, not %u", stage);
    if (granule != 4096 && granule != 16384 && granule != 65536)
        return fail(b, SMMU_ERR_INVAL, "granule must be 4096, 16384 or 65536, not %u", granule);
    if (ias < 16 || ias > 48)
        return fail(b, SMMU_ERR_INVAL, "input size %u bits is outside 16..48", ias);
    if (smmu_build_ps_encoding(oas) < 0 || oas > 48)
        return fail(b, SMMU_ERR_INVAL, "output size %u bits: the builder supports 32, 36, 40, 42, "
                    "44 and 48", oas);
    t.stage = stage;
    t.granule = granule;
    t.ias = ias;
    t.oas = oas;
    /* Fewest levels: the start level whose table resolves the top bits. */
    unsigned min_level = 3;
    while (min_level > 0 && lvl_shift(&t, min_level) + stride(&t) < ias)
        min_level--;
    unsigned level;
    if (start_level < 0) {
        level = min_level;
        /* Stage 2: start one level lower with up to 16 concatenated tables
         * when that is allowed (D8.2.6), as Linux does. */
        if (stage == 2 && level < 3 && ias - lvl_shift(&t, level + 1) <= stride(&t) + 4)
            level++;
    } else {
        level = (unsigned)start_level;
        if (start_level > 3 || level < min_level ||
            (stage == 1 && level != min_level) ||
            ias - lvl_shift(&t, level) > stride(&t) + (stage == 2 ? 4 : 0) ||
            (granule != 4096 && stage == 2 && level == 0))
            return fail(b, SMMU_ERR_INVAL, "start level %d is not allowed for stage %u, granule %u, "
                        "%u-bit input (D8.2)", start_level, stage, granule, ias);
    }
    if (granule != 4096 && level == 0 && stage == 2)
        return fail(b, SMMU_ERR_INVAL, "stage 2 cannot start at level 0 with a %u granule", granule);
    if (ias - lvl_shift(&t, level) < 1)
        return fail(b, SMMU_ERR_INVAL, "start level %u resolves no input bits", level);
    t.start_level = level;
    unsigned bits = ias - lvl_shift(&t, level);
    t.concat = bits > stride(&t) ? 1u << (bits - stride(&t)) : 1;
    uint64_t bytes = 8ull << bits;
    uint64_t align = bytes < 64 ? 64 : bytes;
    if (bytes < 64)
        bytes = 64;
    smmu_status_t s = smmu_build_alloc(b, bytes, align, &t.root);
    if (s != SMMU_OK)
        return s;
    *pt = t;
    return SMMU_OK;
}

unsigned smmu_build_pt_tsz(const smmu_build_pt_t *pt) { return 64 - pt->ias; }

uint64_t smmu_build_pt_ttb(const smmu_build_pt_t *pt) { return pt->root - pt->ipa_offset; }

unsigned smmu_build_pt_s2tg(const smmu_build_pt_t *pt)
{
    return (unsigned)tg0_enc(pt->granule); /* STE.S2TG = VTCR_EL2.TG0 encoding */
}

unsigned smmu_build_pt_s2sl0(const smmu_build_pt_t *pt)
{
    /* VTCR_EL2.SL0: 4KB 0 = level 2, 1 = level 1, 2 = level 0; 16KB/64KB
     * 0 = level 3, 1 = level 2, 2 = level 1. */
    return pt->granule == 4096 ? 2 - pt->start_level : 3 - pt->start_level;
}

/* Leaf descriptor (D8.3.1, D8.3.2). */
static uint64_t leaf_desc(const smmu_build_pt_t *pt, unsigned level, uint64_t pa, unsigned perms,
                          const smmu_build_attr_t *a, int contiguous)
{
    smmu_build_attr_t def = {pt->stage == 1 ? 0u : 0xFu, 3, 0, 0, 0};
    if (!a)
        a = &def;
    uint64_t d = (pa & SMMU_MASK(47, lvl_shift(pt, level))) | (level == 3 ? 3u : 1u);
    d |= SMMU_PUT(a->sh, 9, 8);
    if (!a->no_af)
        d |= SMMU_BIT(10); /* AF */
    if (a->dbm)
        d |= SMMU_BIT(51);
    if (contiguous)
        d |= SMMU_BIT(52);
    if (pt->stage == 1) {
        d |= SMMU_PUT(a->attr, 4, 2); /* AttrIndx */
        if (perms & SMMU_BUILD_USER)
            d |= SMMU_BIT(6); /* AP[1]: EL0 access */
        if (!(perms & SMMU_BUILD_W))
            d |= SMMU_BIT(7); /* AP[2]: read-only */
        if (a->ng)
            d |= SMMU_BIT(11);
        if (!(perms & SMMU_BUILD_X))
            d |= SMMU_BIT(53) | SMMU_BIT(54); /* PXN, UXN */
    } else {
        d |= SMMU_PUT(a->attr, 5, 2); /* MemAttr */
        if (perms & SMMU_BUILD_R)
            d |= SMMU_BIT(6); /* S2AP[0] */
        if (perms & SMMU_BUILD_W)
            d |= SMMU_BIT(7); /* S2AP[1] */
        if (!(perms & SMMU_BUILD_X))
            d |= SMMU_PUT(2, 54, 53); /* XN = 0b10 */
    }
    return d;
}

static smmu_status_t check_range(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                 uint64_t size)
{
    if (size == 0 || size % pt->granule)
        return fail(b, SMMU_ERR_INVAL, "size 0x%llx is not a non-zero multiple of the %u granule",
                    (unsigned long long)size, pt->granule);
    if (iova % pt->granule)
        return fail(b, SMMU_ERR_INVAL, "input address 0x%llx is not aligned to the %u granule",
                    (unsigned long long)iova, pt->granule);
    uint64_t lim = 1ull << pt->ias;
    if (iova >= lim || size > lim - iova)
        return fail(b, SMMU_ERR_INVAL, "[0x%llx, +0x%llx) is outside the %u-bit input range "
                    "(%s = %u)", (unsigned long long)iova, (unsigned long long)size, pt->ias,
                    pt->stage == 2 ? "S2T0SZ" : "T0SZ", 64 - pt->ias);
    return SMMU_OK;
}

/* One recursive pass over [ia, end) at a level. Mode MAP_CHECK counts the
 * tables a map needs and refuses overlaps; MAP_WRITE writes. table == ~0
 * is a table that does not exist yet (all invalid). */
enum { MAP_CHECK, MAP_WRITE };
typedef struct map_op {
    smmu_build_t *b;
    const smmu_build_pt_t *pt;
    uint64_t start, end, pa0; /* whole request */
    unsigned perms;
    const smmu_build_attr_t *attr;
    int mode;
    unsigned force_level; /* 4 = choose; else map exactly at that level */
    uint64_t tables;
} map_op_t;

#define NO_TABLE (~0ull)

static smmu_status_t map_level(map_op_t *m, uint64_t table, unsigned level, uint64_t ia,
                               uint64_t end)
{
    const smmu_build_pt_t *pt = m->pt;
    unsigned shift = lvl_shift(pt, level);
    uint64_t span = 1ull << shift;
    smmu_status_t s;
    while (ia < end) {
        uint64_t next = (ia | (span - 1)) + 1;
        uint64_t chunk_end = next != 0 && next < end ? next : end;
        uint64_t idx = (ia >> shift) & (entries(pt, level) - 1);
        uint64_t dpa = table + 8 * idx, desc = 0;
        if (table != NO_TABLE && (s = smmu_build_read64(m->b, dpa, &desc)) != SMMU_OK)
            return s;
        uint64_t pa = m->pa0 + (ia - m->start);
        int leaf_here = m->force_level < 4 ? level == m->force_level
                                           : block_ok(pt, level) && chunk_end - ia == span &&
                                                 !(pa & (span - 1));
        if (leaf_here) {
            if (desc & 1)
                return fail(m->b, SMMU_ERR_INVAL, "0x%llx is already mapped (level %u descriptor "
                            "0x%llx)", (unsigned long long)ia, level, (unsigned long long)desc);
            if (m->mode == MAP_WRITE) {
                uint64_t run = span * contig_n(pt, level);
                uint64_t rs = ia & ~(run - 1);
                int contig = m->force_level == 4 && rs >= m->start && rs + run <= m->end &&
                             !((m->pa0 + (rs - m->start)) & (run - 1));
                if ((s = w64(m->b, dpa, leaf_desc(pt, level, pa, m->perms, m->attr, contig),
                             SMMU_ACC_TT)) != SMMU_OK)
                    return s;
            }
        } else {
            if (level == 3)
                return fail(m->b, SMMU_ERR_INVAL, "internal: no leaf at level 3");
            uint64_t sub;
            if (desc & 1) {
                if ((desc & 3) == 1)
                    return fail(m->b, SMMU_ERR_INVAL, "0x%llx is already mapped by a level %u "
                                "block", (unsigned long long)ia, level);
                sub = (desc & SMMU_MASK(47, g_shift(pt))) + pt->ipa_offset;
            } else if (m->mode == MAP_CHECK) {
                m->tables++;
                sub = NO_TABLE;
            } else {
                if ((s = smmu_build_alloc(m->b, pt->granule, pt->granule, &sub)) != SMMU_OK)
                    return s;
                /* table descriptor: next-level address [47:granule], [1:0] = 0b11 */
                if ((s = w64(m->b, dpa, (sub - pt->ipa_offset) | 3, SMMU_ACC_TT)) != SMMU_OK)
                    return s;
            }
            if ((s = map_level(m, sub, level + 1, ia, chunk_end)) != SMMU_OK)
                return s;
        }
        ia = chunk_end;
        if (ia == 0)
            break;
    }
    return SMMU_OK;
}

static void tlbi_add(smmu_build_tlbi_t *t, const smmu_cmd_t *c)
{
    if (t && t->n < SMMU_BUILD_TLBI_MAX)
        smmu_cmd_encode(c, t->cmd[t->n++]);
}

static void tlbi_sync(smmu_build_tlbi_t *t)
{
    smmu_cmd_t c = {0};
    c.opcode = SMMU_CMD_SYNC;
    tlbi_add(t, &c);
}

static smmu_status_t do_map(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova, uint64_t pa,
                            uint64_t size, unsigned perms, const smmu_build_attr_t *attr,
                            unsigned force_level, smmu_build_tlbi_t *tlbi)
{
    if (tlbi)
        tlbi->n = 0;
    smmu_status_t s = check_range(b, pt, iova, size);
    if (s != SMMU_OK)
        return s;
    if (pa % pt->granule)
        return fail(b, SMMU_ERR_INVAL, "PA 0x%llx is not aligned to the %u granule",
                    (unsigned long long)pa, pt->granule);
    if ((pa >> pt->oas) || size > (1ull << pt->oas) - pa)
        return fail(b, SMMU_ERR_INVAL, "PA range [0x%llx, +0x%llx) is outside the %u-bit output "
                    "size", (unsigned long long)pa, (unsigned long long)size, pt->oas);
    if (pt->stage == 1 && !(perms & SMMU_BUILD_R))
        return fail(b, SMMU_ERR_INVAL, "a stage-1 mapping is always readable (D8.4): give "
                    "SMMU_BUILD_R");
    if (attr && (attr->sh > 3 || attr->sh == 1 || attr->attr > (pt->stage == 1 ? 7u : 15u)))
        return fail(b, SMMU_ERR_INVAL, "attributes: SH %u or %s %u out of range", attr->sh,
                    pt->stage == 1 ? "AttrIndx" : "MemAttr", attr->attr);
    map_op_t m = {b, pt, iova, iova + size, pa, perms, attr, MAP_CHECK, force_level, 0};
    if ((s = map_level(&m, pt->root, pt->start_level, iova, iova + size)) != SMMU_OK)
        return s;
    uint64_t need = m.tables * pt->granule, at = align_up(b->next, pt->granule);
    if (need && (at > b->end || need > b->end - at))
        return fail(b, SMMU_ERR_NOMEM, "out of space: the mapping needs %llu new tables",
                    (unsigned long long)m.tables);
    m.mode = MAP_WRITE;
    if ((s = map_level(&m, pt->root, pt->start_level, iova, iova + size)) != SMMU_OK)
        return s;
    tlbi_sync(tlbi);
    return SMMU_OK;
}

smmu_status_t smmu_build_map(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                             uint64_t pa, uint64_t size, unsigned perms,
                             const smmu_build_attr_t *attr, smmu_build_tlbi_t *tlbi)
{
    return do_map(b, pt, iova, pa, size, perms, attr, 4, tlbi);
}

smmu_status_t smmu_build_map_at(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                uint64_t pa, unsigned level, unsigned perms,
                                const smmu_build_attr_t *attr)
{
    if (level > 3 || level < pt->start_level || !block_ok(pt, level))
        return fail(b, SMMU_ERR_INVAL, "a %u granule has no block descriptor at level %u (D8.3.1)",
                    pt->granule, level);
    uint64_t span = 1ull << lvl_shift(pt, level);
    if ((iova | pa) & (span - 1))
        return fail(b, SMMU_ERR_INVAL, "a level %u block needs 0x%llx-aligned addresses", level,
                    (unsigned long long)span);
    return do_map(b, pt, iova, pa, span, perms, attr, level, NULL);
}

/* Unmap / protect: MOD_CHECK refuses ranges that split a leaf; MOD_WRITE
 * changes the leaves and reports them. */
typedef struct mod_op {
    smmu_build_t *b;
    const smmu_build_pt_t *pt;
    uint64_t start, end;
    int unmap;
    unsigned perms;
    int write;
    uint64_t leaves[SMMU_BUILD_TLBI_MAX];
    uint64_t nleaves;
} mod_op_t;

static smmu_status_t mod_level(mod_op_t *m, uint64_t table, unsigned level, uint64_t ia,
                               uint64_t end)
{
    const smmu_build_pt_t *pt = m->pt;
    unsigned shift = lvl_shift(pt, level);
    uint64_t span = 1ull << shift;
    smmu_status_t s;
    while (ia < end) {
        uint64_t base = ia & ~(span - 1), next = base + span;
        uint64_t chunk_end = next < end && next != 0 ? next : end;
        uint64_t dpa = table + 8 * ((ia >> shift) & (entries(pt, level) - 1)), desc;
        if ((s = smmu_build_read64(m->b, dpa, &desc)) != SMMU_OK)
            return s;
        if ((desc & 1) && (level == 3 || (desc & 3) == 1)) { /* leaf */
            if (base < m->start || next > m->end)
                return fail(m->b, SMMU_ERR_INVAL, "[0x%llx, 0x%llx) splits the level %u leaf at "
                            "0x%llx", (unsigned long long)m->start, (unsigned long long)m->end,
                            level, (unsigned long long)base);
            uint64_t run = span * contig_n(pt, level), rs = base & ~(run - 1);
            if ((desc & SMMU_BIT(52)) && (rs < m->start || rs + run > m->end))
                return fail(m->b, SMMU_ERR_INVAL, "[0x%llx, 0x%llx) splits the contiguous run at "
                            "0x%llx", (unsigned long long)m->start, (unsigned long long)m->end,
                            (unsigned long long)rs);
            if (m->write) {
                uint64_t nd = 0;
                if (!m->unmap) {
                    /* Keep address, type, attributes; replace the access bits. */
                    uint64_t keep = desc & ~(SMMU_MASK(7, 6) | SMMU_MASK(54, 53));
                    uint64_t fresh = leaf_desc(pt, level, 0, m->perms, NULL, 0);
                    nd = keep | (fresh & (SMMU_MASK(7, 6) | SMMU_MASK(54, 53)));
                }
                if ((s = w64(m->b, dpa, nd, SMMU_ACC_TT)) != SMMU_OK)
                    return s;
                if (m->nleaves < SMMU_BUILD_TLBI_MAX)
                    m->leaves[m->nleaves] = base;
                m->nleaves++;
            }
        } else if (desc & 1) {
            uint64_t sub = (desc & SMMU_MASK(47, g_shift(pt))) + pt->ipa_offset;
            if ((s = mod_level(m, sub, level + 1, ia, chunk_end)) != SMMU_OK)
                return s;
        }
        ia = chunk_end;
        if (ia == 0)
            break;
    }
    return SMMU_OK;
}

static smmu_status_t do_modify(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                               uint64_t size, int unmap, unsigned perms, smmu_build_tlbi_t *tlbi)
{
    if (tlbi)
        tlbi->n = 0;
    smmu_status_t s = check_range(b, pt, iova, size);
    if (s != SMMU_OK)
        return s;
    if (!unmap && pt->stage == 1 && !(perms & SMMU_BUILD_R))
        return fail(b, SMMU_ERR_INVAL, "a stage-1 mapping is always readable (D8.4): give "
                    "SMMU_BUILD_R");
    mod_op_t m;
    memset(&m, 0, sizeof m);
    m.b = b;
    m.pt = pt;
    m.start = iova;
    m.end = iova + size;
    m.unmap = unmap;
    m.perms = perms;
    if ((s = mod_level(&m, pt->root, pt->start_level, iova, iova + size)) != SMMU_OK)
        return s;
    m.write = 1;
    if ((s = mod_level(&m, pt->root, pt->start_level, iova, iova + size)) != SMMU_OK)
        return s;
    /* 4.4: one invalidation by address per changed leaf (Leaf = 1: no
     * table was removed); beyond the list, the whole ASID or VMID. */
    smmu_cmd_t c = {0};
    int wide = m.nleaves > SMMU_BUILD_TLBI_MAX - 2;
    if (pt->stage == 1) {
        c.asid = pt->asid;
        c.vmid = pt->vmid;
        if (wide) {
            c.opcode = SMMU_CMD_TLBI_NH_ASID; /* 4.4.2.2 */
            tlbi_add(tlbi, &c);
        } else {
            for (uint64_t i = 0; i < m.nleaves; i++) {
                c.opcode = SMMU_CMD_TLBI_NH_VA; /* 4.4.2.3 */
                c.leaf = 1;
                c.addr = m.leaves[i];
                tlbi_add(tlbi, &c);
            }
        }
    } else if (m.nleaves) {
        c.vmid = pt->vmid;
        if (wide) {
            c.opcode = SMMU_CMD_TLBI_S12_VMALL; /* 4.4.3.2 */
            tlbi_add(tlbi, &c);
        } else {
            for (uint64_t i = 0; i < m.nleaves; i++) {
                c.opcode = SMMU_CMD_TLBI_S2_IPA; /* 4.4.3.1 */
                c.leaf = 1;
                c.addr = m.leaves[i];
                tlbi_add(tlbi, &c);
            }
            /* 4.4.3.1: S2_IPA need not remove combined stage 1+2 entries;
             * it is expected to be used with TLBI_NH_ALL. */
            smmu_cmd_t all = {0};
            all.opcode = SMMU_CMD_TLBI_NH_ALL;
            all.vmid = pt->vmid;
            tlbi_add(tlbi, &all);
        }
    }
    tlbi_sync(tlbi);
    return SMMU_OK;
}

smmu_status_t smmu_build_unmap(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                               uint64_t size, smmu_build_tlbi_t *tlbi)
{
    return do_modify(b, pt, iova, size, 1, 0, tlbi);
}

smmu_status_t smmu_build_protect(smmu_build_t *b, const smmu_build_pt_t *pt, uint64_t iova,
                                 uint64_t size, unsigned perms, smmu_build_tlbi_t *tlbi)
{
    return do_modify(b, pt, iova, size, 0, perms, tlbi);
}

/* ---- boot (3.11) and commands --------------------------------------------- */

static smmu_status_t reg_write(smmu_build_t *b, smmu_t *smmu, uint64_t off, uint64_t v,
                               unsigned size)
{
    if (smmu_mmio_write(smmu, off, v, size) != SMMU_OK)
        return fail(b, SMMU_ERR_CONFIG, "MMIO write of 0x%llx to 0x%llx refused",
                    (unsigned long long)v, (unsigned long long)off);
    return SMMU_OK;
}

static uint64_t reg_read(smmu_t *smmu, uint64_t off)
{
    uint64_t v = 0;
    smmu_mmio_read(smmu, off, 4, &v);
    return v;
}

static smmu_status_t cr0_write(smmu_build_t *b, smmu_t *smmu, uint32_t v)
{
    smmu_status_t s = reg_write(b, smmu, SMMU_CR0, v, 4);
    if (s != SMMU_OK)
        return s;
    uint32_t ack = (uint32_t)reg_read(smmu, SMMU_CR0ACK);
    if (ack != v)
        return fail(b, SMMU_ERR_CONFIG, "CR0 = 0x%x not acknowledged (CR0ACK = 0x%x, GERROR = 0x%x)",
                    v, ack, (unsigned)reg_read(smmu, SMMU_GERROR));
    return SMMU_OK;
}

smmu_status_t smmu_build_submit(smmu_build_t *b, smmu_t *smmu, const uint64_t *cmds, unsigned n)
{
    if (!b->cmdq_base)
        return fail(b, SMMU_ERR_INVAL, "no command queue: call smmu_build_boot first");
    uint32_t mask = (2u << b->cmdq_log2) - 1, idx = (1u << b->cmdq_log2) - 1;
    for (unsigned i = 0; i < n; i++) {
        uint32_t prod = (uint32_t)reg_read(smmu, SMMU_CMDQ_PROD) & mask;
        uint32_t cons = (uint32_t)reg_read(smmu, SMMU_CMDQ_CONS) & mask;
        if ((prod & idx) == (cons & idx) && prod != cons)
            return fail(b, SMMU_ERR_CONFIG, "command queue full (PROD 0x%x, CONS 0x%x)", prod, cons);
        uint64_t at = b->cmdq_base + 16ull * (prod & idx);
        smmu_status_t s = write_words(b, at, cmds + 2 * i, 2, SMMU_ACC_CMDQ);
        if (s == SMMU_OK)
            s = reg_write(b, smmu, SMMU_CMDQ_PROD, (prod + 1) & mask, 4);
        if (s != SMMU_OK)
            return s;
    }
    uint32_t cons = (uint32_t)reg_read(smmu, SMMU_CMDQ_CONS);
    unsigned err = (cons >> SMMU_CMDQ_CONS_ERR_SHIFT) & 0x7F;
    if (err)
        return fail(b, SMMU_ERR_CONFIG, "CMDQ_CONS.ERR = 0x%x at CONS 0x%x (7.1)", err,
                    cons & mask);
    return SMMU_OK;
}

smmu_status_t smmu_build_issue(smmu_build_t *b, smmu_t *smmu, const smmu_build_tlbi_t *t)
{
    return smmu_build_submit(b, smmu, t->cmd[0], t->n);
}

smmu_status_t smmu_build_boot(smmu_build_t *b, smmu_t *smmu, const smmu_build_boot_t *cfg)
{
    if (!smmu || !cfg || !cfg->strtab)
        return fail(b, SMMU_ERR_INVAL, "boot needs an instance and a stream table");
    unsigned cl = cfg->cmdq_log2 ? cfg->cmdq_log2 : 8, el = cfg->evtq_log2 ? cfg->evtq_log2 : 7;
    if (cl > 19 || el > 19)
        return fail(b, SMMU_ERR_INVAL, "queue LOG2SIZE above 19");
    uint64_t cq, eq, cbytes = 16ull << cl, ebytes = 32ull << el;
    smmu_status_t s = smmu_build_alloc(b, cbytes, cbytes < 32 ? 32 : cbytes, &cq);
    if (s == SMMU_OK)
        s = smmu_build_alloc(b, ebytes, ebytes, &eq);
    if (s != SMMU_OK)
        return s;
    b->cmdq_base = cq;
    b->cmdq_log2 = cl;
    b->evtq_base = eq;
    b->evtq_log2 = el;
    /* 3.11: the SMMU is disabled while the tables and queues are set. */
    if ((s = cr0_write(b, smmu, 0)) != SMMU_OK)
        return s;
    const struct { uint64_t off, v; unsigned size; } seq[] = {
        {SMMU_STRTAB_BASE, smmu_build_strtab_base_reg(cfg->strtab), 8},
        {SMMU_STRTAB_BASE_CFG, smmu_build_strtab_cfg_reg(cfg->strtab), 4},
        /* CMDQ_BASE / EVENTQ_BASE: RA/WA [62], ADDR [55:5], LOG2SIZE [4:0] (6.3.26, 6.3.29) */
        {SMMU_CMDQ_BASE, SMMU_BIT(62) | (cq & SMMU_MASK(55, 5)) | cl, 8},
        {SMMU_CMDQ_PROD, 0, 4},
        {SMMU_CMDQ_CONS, 0, 4},
        {SMMU_EVENTQ_BASE, SMMU_BIT(62) | (eq & SMMU_MASK(55, 5)) | el, 8},
        {SMMU_EVENTQ_PROD, 0, 4},
        {SMMU_EVENTQ_CONS, 0, 4},
        {SMMU_CR1, cfg->cr1, 4},
        {SMMU_CR2, cfg->cr2, 4},
    };
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++)
        if ((s = reg_write(b, smmu, seq[i].off, seq[i].v, seq[i].size)) != SMMU_OK)
            return s;
    if ((s = cr0_write(b, smmu, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN))) != SMMU_OK)
        return s;
    uint64_t cmds[3][2];
    smmu_cmd_t c = {0};
    c.opcode = SMMU_CMD_CFGI_STE_RANGE;
    c.range = 31; /* CMD_CFGI_ALL (4.3.3) */
    smmu_cmd_encode(&c, cmds[0]);
    memset(&c, 0, sizeof c);
    c.opcode = SMMU_CMD_TLBI_NSNH_ALL;
    smmu_cmd_encode(&c, cmds[1]);
    c.opcode = SMMU_CMD_SYNC;
    smmu_cmd_encode(&c, cmds[2]);
    if ((s = smmu_build_submit(b, smmu, cmds[0], 3)) != SMMU_OK)
        return s;
    return cr0_write(b, smmu, (uint32_t)(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN));
}
