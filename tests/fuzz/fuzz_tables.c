/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target fuzz_tables: a booted SMMU (3.11) whose four streams are
 * built with fuzzed STE and CD fields (5.2, 5.4) -- stage 1, stage 2,
 * nested or bypass; granules, HTTU (CD.HA/HD, STE.S2HA/S2HD, 3.13), AF and
 * DBM in the descriptors, stalls -- and whose tables (STEs, CDs, every
 * translation table descriptor) are then corrupted word by word, including
 * table descriptors that point back at a table (self-reference), between
 * translations of a few addresses. After every step the invariants of
 * tests/fuzz/fuzz_common.h are checked (docs/fuzzing.md).
 *
 *   bash scripts/fuzz.sh --all 60
 */
#include "fuzz_common.h"

#define VA 0x40000000ull     /* stage 1 input (or stage 2 input for S2-only streams) */
#define OUT_PA 0x100000ull   /* where the pages map */
#define MAP_SIZE 0x20000ull  /* 128 KiB mapped: 32 x 4K, 8 x 16K, 2 x 64K */

static const unsigned granules[3] = {4096, 16384, 65536};

/* One stream: sid, mode from the byte m, fields from the 64-bit f. */
static void attach(fz_h_t *h, uint32_t sid, unsigned m, uint64_t f)
{
    unsigned mode = m & 3; /* 0 S1, 1 S2, 2 nested, 3 bypass */
    unsigned g1 = granules[((m >> 2) & 3) % 3], g2 = granules[((m >> 4) & 3) % 3];
    smmu_build_attr_t at = {.attr = 0, .sh = 3, .no_af = (f >> 40) & 1, .dbm = (f >> 41) & 1};
    unsigned perms = SMMU_BUILD_R | SMMU_BUILD_USER | (((f >> 42) & 1) ? 0 : SMMU_BUILD_W) |
                     (((f >> 43) & 1) ? SMMU_BUILD_X : 0);
    smmu_build_pt_t p1, p2;
    smmu_build_ste_t ste;
    memset(&ste, 0, sizeof ste);
    ste.s2aa64 = 1;

    if (mode == 1 || mode == 2) { /* stage 2: identity over the simulated memory, and VA */
        if (smmu_build_pt_init(&h->b, &p2, 2, g2, 40, 40, -1))
            return;
        if (mode == 2 && smmu_build_map(&h->b, &p2, 0, 0, FZ_MEM_SIZE, perms | SMMU_BUILD_W, &at,
                                        NULL))
            return;
        if (mode == 1 && smmu_build_map(&h->b, &p2, VA, OUT_PA, MAP_SIZE, perms, &at, NULL))
            return;
        ste.s2vmid = (uint16_t)(1 + sid);
        ste.s2t0sz = smmu_build_pt_tsz(&p2);
        ste.s2sl0 = smmu_build_pt_s2sl0(&p2);
        ste.s2tg = smmu_build_pt_s2tg(&p2);
        ste.s2ps = (unsigned)(f % 7);
        ste.s2ttb = p2.root;
        ste.s2affd = (f >> 3) & 1;
        ste.s2ptw = (f >> 4) & 1;
        ste.s2hd = (f >> 5) & 1;
        ste.s2ha = (f >> 6) & 1;
        ste.s2s = (f >> 7) & 1;
        ste.s2r = (f >> 8) & 1;
    }
    if (mode == 0 || mode == 2) {
        smmu_build_cdtab_t ct;
        unsigned ias = 32 + (unsigned)((f >> 9) & 15); /* 32..47 bits: T0SZ 17..32 */
        if (smmu_build_pt_init(&h->b, &p1, 1, g1, ias, 40, -1) ||
            smmu_build_map(&h->b, &p1, VA, OUT_PA, MAP_SIZE, perms, &at, NULL) ||
            smmu_build_cdtab_init(&h->b, &ct, 0, (unsigned)((f >> 13) & 1)))
            return;
        smmu_build_cd_t cd = {.ttb0 = p1.root, .t0sz = smmu_build_pt_tsz(&p1), .tg0 = g1,
                              .epd1 = 1, .ips = (unsigned)((f >> 14) % 7),
                              .asid = (uint16_t)(1 + sid), .aa64 = 1, .mair = 0xFF};
        cd.a = (f >> 17) & 1;
        cd.r = (f >> 18) & 1;
        cd.s = (f >> 19) & 1;
        cd.ha = (f >> 20) & 1;
        cd.hd = (f >> 21) & 1;
        cd.affd = (f >> 22) & 1;
        cd.wxn = (f >> 23) & 1;
        cd.uwxn = (f >> 24) & 1;
        cd.tbi0 = (f >> 25) & 1;
        cd.pan = (f >> 26) & 1;
        cd.epd0 = ((f >> 27) & 15) == 0; /* rarely */
        if (smmu_build_cd_write(&h->b, &ct, 0, &cd) ||
            ((f >> 13) & 1 && smmu_build_cd_write(&h->b, &ct, 1, &cd)))
            return;
        ste.s1_context_ptr = ct.base;
        ste.s1_cdmax = (unsigned)((f >> 13) & 1);
        ste.s1dss = (unsigned)((f >> 31) % 3);
    }
    static const unsigned cfgs[4] = {SMMU_STE_S1, SMMU_STE_S2, SMMU_STE_NESTED, SMMU_STE_BYPASS};
    ste.config = cfgs[mode];
    smmu_build_ste_write(&h->b, &h->st, sid, &ste); /* a refused field set leaves the STE invalid */
}

/* Invalidate every configuration and TLB entry, then sync (4.3.6, 4.4). */
static void invalidate_all(fz_h_t *h)
{
    const uint64_t cmds[4][2] = {{SMMU_CMD_CFGI_STE_RANGE, 31},
                                 {SMMU_CMD_TLBI_NSNH_ALL, 0},
                                 {SMMU_CMD_TLBI_EL2_ALL, 0},
                                 {SMMU_CMD_SYNC, 0}};
    fz_submit(h, cmds[0], 4);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_h_t h;
    fz_in_t in = {data, size};
    uint64_t c = fz_take(&in, 2);
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    cfg.httu = (uint8_t)(c % 3);
    cfg.oas = (uint8_t)((c >> 2) % 7);
    cfg.tlb_sets = (c >> 5) & 1 ? 0 : 16;
    cfg.utlb_entries = (c >> 6) & 1 ? 0 : 16;
    cfg.walk_cache_sets = (c >> 7) & 1 ? 0 : 8;
    cfg.cfg_cache_entries = (c >> 8) & 1 ? 0 : 16;
    cfg.stall_model = (uint8_t)((c >> 9) & 1);
    if (fz_boot(&h, &cfg, 2, 4, 3)) {
        fz_end(&h);
        return 0;
    }
    for (uint32_t sid = 0; sid < 4; sid++) {
        unsigned m = (unsigned)fz_take(&in, 1);
        attach(&h, sid, m, fz_take(&in, 8));
    }
    invalidate_all(&h);
    fz_check_all(&h);
    const uint64_t lo = FZ_ALLOC_BASE, hi = h.b.next; /* every table is in [lo, hi) */

    while (in.n) {
        unsigned op = (unsigned)fz_take(&in, 1);
        switch (op & 3) {
        case 0: { /* corrupt one table word */
            uint64_t where = lo + ((fz_take(&in, 3) * 8) % (hi - lo));
            uint64_t v, old;
            memcpy(&old, h.mem + where, 8);
            switch ((op >> 2) & 3) {
            case 0: v = old ^ (1ull << (fz_take(&in, 1) & 63)); break; /* one bit */
            case 1: v = fz_take(&in, 8); break;                       /* any word */
            case 2: /* a table descriptor to a page of the tables: self-reference */
                v = (((lo + ((fz_take(&in, 2) << 12) % (hi - lo))) & ~0xFFFull) | 3);
                break;
            default: v = old & ~(0xFFFull << (12 + 4 * (fz_take(&in, 1) & 7))); break;
            }
            memcpy(h.mem + where, &v, 8);
            if (where + 8 > h.dirty_hi)
                h.dirty_hi = where + 8;
            if (op & 16)
                invalidate_all(&h);
            break;
        }
        case 1:
        case 2: { /* a translation */
            uint64_t a = fz_take(&in, 3);
            smmu_request_t rq;
            memset(&rq, 0, sizeof rq);
            rq.sid = (uint32_t)(a & 3) | ((op & 4) ? 4u * ((a >> 2) & 1) : 0);
            rq.ssv = (a >> 3) & 1;
            rq.ssid = (uint32_t)((a >> 4) & 1);
            rq.write = (a >> 5) & 1;
            rq.instr = (a >> 6) & 1;
            rq.priv = (a >> 7) & 1;
            rq.addr = (op & 8) ? fz_take(&in, 8) : VA + ((a >> 8) % (MAP_SIZE + 0x1000));
            fz_translate(&h, &rq);
            break;
        }
        default:
            invalidate_all(&h);
            break;
        }
        fz_check_all(&h);
    }
    fz_end(&h);
    return 0;
}
