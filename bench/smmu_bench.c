/*
 * smmu-bench: translation and invalidation throughput of the core, tables in
 * a flat array.
 *
 *   smmu-bench [--case NAME] [--n N] [--ops N] [--json] [--quiet] [--callbacks]
 *
 * --n: translations per translation case (default 2,000,000); --ops: TLBI
 * operations per tlbi-* case (default 20,000); --json: one JSON line per
 * case instead of the table; --quiet: no output (exit status only).
 * Exit status: 0 every case ran and passed its correctness check, 1 a check
 * failed (message on stderr), 2 bad arguments.
 *
 * All cases: 4K granule, 48-bit input, 4-level tables; VA 0x40000000 + page
 * x 4K (stage 1) -> IPA 0x2000000 + page x 4K (stage 2 adds 16 MB).
 * "TLB S x 4" = tlb_sets x tlb_ways (4); "cold" = TLB, walk cache and
 * micro-TLB off; the configuration cache (1,024 entries) stays on unless
 * the case says otherwise.
 *
 *   case           shape                                           check
 *   s1             stage 1, cold, 4,096 pages: 4 descriptor reads   PA
 *   s1-nocfg       s1 with the configuration cache off: the STE    PA
 *                  and CD are fetched and decoded every time too
 *   s2             stage 2 only, cold                              PA
 *   nested         stage 1 over stage 2, cold: 4 + 4 x 4 + 4 = 24  PA
 *                  descriptor reads
 *   s1-wc          s1, walk cache 64 x 4 on: 1 read per walk       PA
 *   nested-wc      nested, walk cache and TLB 256 x 4 on (stage-2  PA
 *                  entries of stage-1 table pages hit), 4,096
 *                  pages through a 1,024-entry TLB: leaf misses
 *   s1-hit, s2-hit, nested-hit: 256 pages, micro-TLB 256 warm       PA, utlb >= 0.99
 *   s1-tlbhit, nested-tlbhit: 256 pages, TLB 256 x 4 warm,         PA, tlb >= 0.99,
 *                  micro-TLB off                                   utlb 0
 *   s1-miss        4,096 pages in turn through a TLB 64 x 4; walk  PA, tlb <= 0.05
 *                  cache and micro-TLB off: every lookup misses
 *                  and walks
 *   s2-miss        the same, stage 2 only                          PA, tlb <= 0.05
 *   nested-miss    the same, nested (stage-2 lookups of stage-1    PA, leaf <= 0.05
 *                  table pages hit the TLB: only the leaf misses)
 *   s1-cfgmiss     configuration cache off (0 entries), 256 pages, PA, tlb >= 0.99
 *                  TLB 256 x 4 warm, micro-TLB off: STE + CD
 *                  fetched and decoded, then a TLB hit
 *   s1-4sid-utlb   4 STEs (SIDs 0-3) sharing one CD, 16 pages,     PA for each SID,
 *                  SID and page drawn independently (xorshift64,   utlb >= 0.90
 *                  fixed seed), micro-TLB 256, TLB 256 x 4 warm:
 *                  64 (StreamID, page) pairs that fit the micro-
 *                  TLB when the index gives each stream its own
 *                  slots (issue 9 section 4)
 *   tlbi-va-1k     TLB 256 x 4 (1,024 entries) full of distinct    see below
 *                  stage-1 pages (nG = 1, ASID 1), micro-TLB and
 *                  walk cache off. One operation = TLBI_NH_VA
 *                  (ASID 1, Leaf 1) of a cached page + CMD_SYNC
 *                  written to the CMDQ, then one CMDQ_PROD write;
 *                  afterwards the page is translated again (outside
 *                  the measurement) so the TLB stays full
 *   tlbi-va-64k    the same with TLB 16,384 x 4 (65,536 entries)
 *   tlbi-asid-1k   as tlbi-va-1k, 1,023 pages in ASID 1 (SID 0) and
 *                  one in ASID 2 (SID 1, its own CD); one operation
 *                  = TLBI_NH_ASID(2) + CMD_SYNC
 *   tlbi-asid-64k  the same with TLB 16,384 x 4
 *   all            every case above (default)
 *
 * TLBI checks: the TLB is full (translating every page again hits and reads
 * no memory), the command queue is consumed without CERROR, the invalidated
 * page walks again (mem_reads moves, a TLB miss) and another cached page
 * still hits without reading memory.
 *
 * Measured quantities. Translation cases: run_case() translates n times;
 * bench/callgrind.sh counts instructions inside smmu_translate (callgrind
 * --toggle-collect=smmu_translate) at N and at 3N and reports
 * (Ir(3N) - Ir(N)) / 2N, so setup, the check and the warm-up cancel. TLBI
 * cases: instructions inside smmu_mmio_write, per operation, the same way.
 * JSON fields per case: name, translations_per_s (TLBI cases:
 * commands_per_s, operations = CMDQ_PROD writes per second, timed around
 * smmu_mmio_write only), mem_reads (per translation or per operation),
 * tlb_hit_rate = TLB hits / TLB lookups, utlb_hit_rate = micro-TLB hits /
 * translations (fractions 0-1, from smmu_get_stats over the measured loop;
 * in TLBI cases over the re-translations of the invalidated pages, so 0
 * there means every invalidated page walked again); leaf_hit_rate = 1 -
 * stage-1 walks / translations (stage-2 walks for s2 cases): the share of
 * translations that found their leaf entry. In nested cases tlb_hit_rate
 * also counts the stage-2 lookups of stage-1 table pages during the walk,
 * so the *-miss shape ("tlb <= 0.05") is checked on leaf_hit_rate there.
 *
 * Memory: a flat array the core reads directly (smmu_set_direct_memory), as
 * an embedder with host-array memory would; --callbacks makes every read go
 * through ops.read instead.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "smmu/smmu_version.h"
#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"
#include "flatmem.h"

#define MEM_SIZE (64u << 20)
#define STRTAB 0x10000ull
#define CMDQ 0x20000ull
#define EVTQ 0x30000ull
#define CD_BASE 0x40000ull
#define PT_BASE 0x100000ull
#define DATA_BASE 0x2000000ull
#define VA_BASE 0x40000000ull
#define PAGES 4096u
#define S1_NG SMMU_BIT(11)

enum kind { XLATE, XLATE_4SID, TLBI_VA, TLBI_ASID };

typedef struct bench_case {
    const char *name;
    enum kind kind;
    unsigned config; /* STE.Config[1:0]: 1 = S1, 2 = S2, 3 = nested */
    uint32_t cfg_cache, tlb_sets, utlb, wc_sets;
    uint64_t pages;
    /* correctness: hit-rate bounds over the measured loop */
    double tlb_min, tlb_max, utlb_min, utlb_max;
} bench_case_t;

typedef struct bench {
    flatmem_t mem;
    int direct; /* use smmu_set_direct_memory (default) or the read callback */
    smmu_t *smmu;
    uint64_t s1_root, s2_root;
    uint32_t cmdq_prod;
} bench_t;

typedef struct result {
    double per_s, mem_reads, tlb_rate, utlb_rate, wc_per;
    double leaf_rate; /* translations that did not walk their own stage (1 - walks / n) */
} result_t;

static void mmio(smmu_t *s, uint64_t off, uint64_t v, unsigned size)
{
    if (smmu_mmio_write(s, off, v, size) != SMMU_OK) {
        fprintf(stderr, "smmu-bench: MMIO write 0x%llx failed\n", (unsigned long long)off);
        exit(2);
    }
}

/* Write commands into the CMDQ memory (256 entries) without telling the
 * SMMU; returns the new producer index for CMDQ_PROD. */
static uint32_t queue_cmds(bench_t *b, const uint64_t (*cmds)[2], unsigned n)
{
    uint32_t prod = b->cmdq_prod;
    for (unsigned i = 0; i < n; i++) {
        uint64_t at = CMDQ + (prod & 0xFF) * 16;
        flatmem_w64(&b->mem, at, cmds[i][0]);
        flatmem_w64(&b->mem, at + 8, cmds[i][1]);
        prod = (prod + 1) & 0x1FF;
    }
    b->cmdq_prod = prod;
    return prod;
}

static void submit(bench_t *b, const uint64_t (*cmds)[2], unsigned n)
{
    mmio(b->smmu, SMMU_CMDQ_PROD, queue_cmds(b, cmds, n), 4);
}

static uint64_t make_cd0(uint64_t root, unsigned asid)
{
    /* T0SZ = 16 (48-bit), 4K, IPS 48-bit, AA64, R, A, ASID; TTB1 disabled
     * (EPD1). */
    (void)root;
    return SMMU_PUT(16, 5, 0) | SMMU_PUT(16, 21, 16) | SMMU_PUT(2, 23, 22) | SMMU_BIT(30) |
           SMMU_BIT(31) | SMMU_PUT(5, 34, 32) | SMMU_BIT(41) | SMMU_BIT(45) | SMMU_BIT(46) |
           SMMU_PUT(asid, 63, 48);
}

/* Boot in the order of 3.11 and install the STEs of case c. */
static int setup(bench_t *b, const bench_case_t *c)
{
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    cfg.cfg_cache_entries = c->cfg_cache;
    cfg.tlb_sets = c->tlb_sets;
    cfg.utlb_entries = c->utlb;
    cfg.walk_cache_sets = c->wc_sets;
    smmu_mem_ops_t ops = {0};
    ops.read = flatmem_read;
    ops.write = flatmem_write;
    memset(b->mem.m, 0, MEM_SIZE);
    b->mem.next = PT_BASE;
    b->cmdq_prod = 0;
    char msg[256];
    b->smmu = smmu_create(&cfg, &ops, &b->mem, msg, sizeof msg);
    if (!b->smmu) {
        fprintf(stderr, "smmu-bench: %s: %s\n", c->name, msg);
        return 1;
    }
    if (b->direct) /* tables in a flat array: the core reads them directly */
        smmu_set_direct_memory(b->smmu, 0, b->mem.m, MEM_SIZE);
    unsigned config = c->config;
    int s1 = config & 1, s2 = (config >> 1) & 1;
    int tlbi = c->kind == TLBI_VA || c->kind == TLBI_ASID;
    uint64_t s1_attrs = FLATMEM_S1_PAGE_EL0 | (tlbi ? S1_NG : 0);
    uint64_t npages = c->pages > PAGES ? c->pages : PAGES;
    b->s1_root = flatmem_alloc_table(&b->mem);
    b->s2_root = flatmem_alloc_table(&b->mem);
    /* Stage 2: identity-map every table page the stage-1 walk and the CD
     * fetch touch, plus the data pages (IPA = DATA_BASE + i -> PA + 16M). */
    for (uint64_t i = 0; i < npages; i++) {
        uint64_t va = VA_BASE + i * 4096;
        uint64_t ipa = DATA_BASE + i * 4096;
        if (s1)
            flatmem_map4k(&b->mem, b->s1_root, va, ipa, s1_attrs);
        if (s2)
            flatmem_map4k(&b->mem, b->s2_root, ipa, ipa + 0x1000000ull, FLATMEM_S2_PAGE);
    }
    if (s1 && s2) {
        uint64_t end = b->mem.next + 64 * 4096; /* room for the s2 tables themselves */
        for (uint64_t pa = PT_BASE; pa < end; pa += 4096)
            flatmem_map4k(&b->mem, b->s2_root, pa, pa, FLATMEM_S2_PAGE);
        flatmem_map4k(&b->mem, b->s2_root, CD_BASE, CD_BASE, FLATMEM_S2_PAGE);
    }
    /* CD 0 (ASID 1) at CD_BASE; CD 1 (ASID 2, same tables) at CD_BASE + 64. */
    for (unsigned cd = 0; cd < 2; cd++) {
        uint64_t at = CD_BASE + 64 * cd;
        flatmem_w64(&b->mem, at, make_cd0(b->s1_root, 1 + cd));
        flatmem_w64(&b->mem, at + 8, b->s1_root & SMMU_MASK(51, 4));
        flatmem_w64(&b->mem, at + 24, 0xFF); /* MAIR: Attr0 = Normal WB */
    }
    /* STEs: 4 sharing CD 0 for s1-4sid-utlb; SID 1 on CD 1 for tlbi-asid. */
    unsigned nste = c->kind == XLATE_4SID ? 4 : c->kind == TLBI_ASID ? 2 : 1;
    for (unsigned sid = 0; sid < nste; sid++) {
        uint64_t ste[8] = {0};
        uint64_t cd = (c->kind == TLBI_ASID && sid == 1) ? CD_BASE + 64 : CD_BASE;
        ste[0] = 1 | SMMU_PUT(0x4 | config, 3, 1);
        if (s1)
            ste[0] |= cd & SMMU_MASK(51, 6);
        if (s2) {
            /* S2VMID 1, S2T0SZ 16, S2SL0 2 (level 0 for 4K), S2TG 4K, S2PS 48,
             * S2AA64, S2R; S2TTB */
            ste[2] = 1 | SMMU_PUT(16, 37, 32) | SMMU_PUT(2, 39, 38) | SMMU_PUT(0, 47, 46) |
                     SMMU_PUT(5, 50, 48) | SMMU_BIT(51) | SMMU_BIT(58);
            ste[3] = b->s2_root & SMMU_MASK(51, 4);
        }
        for (int i = 0; i < 8; i++)
            flatmem_w64(&b->mem, STRTAB + 64 * sid + 8 * i, ste[i]);
    }

    mmio(b->smmu, SMMU_STRTAB_BASE, STRTAB | SMMU_BIT(62), 8);
    mmio(b->smmu, SMMU_STRTAB_BASE_CFG, 8, 4); /* linear, 256 STEs */
    mmio(b->smmu, SMMU_CR1, 0, 4);
    mmio(b->smmu, SMMU_CMDQ_BASE, CMDQ | SMMU_BIT(62) | 8, 8);
    mmio(b->smmu, SMMU_EVENTQ_BASE, EVTQ | SMMU_BIT(62) | 7, 8);
    mmio(b->smmu, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN, 4);
    static const uint64_t boot_cmds[3][2] = {
        {SMMU_CMD_CFGI_STE_RANGE, 31}, {SMMU_CMD_TLBI_NSNH_ALL, 0}, {SMMU_CMD_SYNC, 0}};
    submit(b, boot_cmds, 3);
    mmio(b->smmu, SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN, 4);
    return 0;
}

/* The measured loop of the translation cases (callgrind.sh counts inside
 * smmu_translate). */
__attribute__((noinline)) uint64_t run_case(smmu_t *s, uint64_t base, uint64_t n, uint64_t pages,
                                            uint64_t *bad)
{
    smmu_request_t rq;
    smmu_response_t rs;
    memset(&rq, 0, sizeof rq);
    rq.size = 4;
    uint64_t sum = 0;
    for (uint64_t i = 0; i < n; i++) {
        rq.addr = base + ((i & (pages - 1)) << 12) + (i & 0xFF8); /* pages: a power of two */
        smmu_translate(s, &rq, &rs);
        sum += rs.pa;
        *bad += rs.outcome != SMMU_XLATE_OK;
    }
    return sum;
}

/* s1-4sid-utlb: SID and page drawn independently (xorshift64, fixed seed). */
__attribute__((noinline)) uint64_t run_case_4sid(smmu_t *s, uint64_t base, uint64_t n,
                                                 uint64_t pages, uint64_t *bad)
{
    smmu_request_t rq;
    smmu_response_t rs;
    memset(&rq, 0, sizeof rq);
    rq.size = 4;
    uint64_t sum = 0, x = 0x9E3779B97F4A7C15ull;
    for (uint64_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        rq.sid = (uint32_t)(x >> 62);                            /* bits 63:62 */
        rq.addr = base + (((x >> 20) & (pages - 1)) << 12) + (x & 0xFF8); /* independent bits */
        smmu_translate(s, &rq, &rs);
        sum += rs.pa;
        *bad += rs.outcome != SMMU_XLATE_OK;
    }
    return sum;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t want_pa(unsigned config, uint64_t page_off)
{
    return DATA_BASE + page_off + ((config & 2) ? 0x1000000ull : 0);
}

static int xlate(bench_t *b, const char *name, uint32_t sid, uint64_t addr, uint64_t want)
{
    smmu_request_t rq = {0};
    smmu_response_t rs;
    rq.sid = sid;
    rq.addr = addr;
    rq.size = 4;
    smmu_translate(b->smmu, &rq, &rs);
    if (rs.outcome != SMMU_XLATE_OK || rs.pa != want) {
        fprintf(stderr, "smmu-bench: %s: translation of sid %u 0x%llx gave outcome %u event 0x%x "
                        "pa 0x%llx, want 0x%llx\n",
                name, sid, (unsigned long long)addr, rs.outcome, rs.event,
                (unsigned long long)rs.pa, (unsigned long long)want);
        return 1;
    }
    return 0;
}

static void rates(const smmu_stats_t *a, const smmu_stats_t *z, uint64_t n, result_t *r)
{
    /* A stage-1 (or nested) translation that misses its leaf walks stage 1;
     * a stage-2-only one walks stage 2. The nested walk's stage-2 lookups
     * of stage-1 table pages count in tlb_hits/tlb_misses but not here. */
    uint64_t walks = z->walks_s1 - a->walks_s1;
    if (!walks)
        walks = z->walks_s2 - a->walks_s2;
    r->leaf_rate = n && walks <= n ? 1.0 - (double)walks / (double)n : 0;
    uint64_t hits = z->tlb_hits - a->tlb_hits;
    uint64_t lookups = hits + (z->tlb_misses - a->tlb_misses);
    r->tlb_rate = lookups ? (double)hits / (double)lookups : 0;
    r->utlb_rate = n ? (double)(z->utlb_hits - a->utlb_hits) / (double)n : 0;
    r->mem_reads = n ? (double)(z->mem_reads - a->mem_reads) / (double)n : 0;
    r->wc_per = n ? (double)(z->walk_cache_hits - a->walk_cache_hits) / (double)n : 0;
}

static int check_rates(const bench_case_t *c, const result_t *r)
{
    /* the TLB bound applies to the leaf hit rate when the case is nested */
    double tlb = c->config == 3 ? r->leaf_rate : r->tlb_rate;
    if (tlb < c->tlb_min || tlb > c->tlb_max) {
        fprintf(stderr, "smmu-bench: %s: %s %.4f outside the case's shape [%.2f, %.2f]\n",
                c->name, c->config == 3 ? "leaf TLB hit rate (1 - stage-1 walks/translation)"
                                        : "TLB hit rate",
                tlb, c->tlb_min, c->tlb_max);
        return 1;
    }
    if (r->utlb_rate < c->utlb_min || r->utlb_rate > c->utlb_max) {
        fprintf(stderr, "smmu-bench: %s: micro-TLB hit rate %.4f outside the case's shape "
                        "[%.2f, %.2f]\n", c->name, r->utlb_rate, c->utlb_min, c->utlb_max);
        return 1;
    }
    return 0;
}

static int xlate_case(bench_t *b, const bench_case_t *c, uint64_t n, result_t *r)
{
    unsigned config = c->config;
    uint64_t base = (config & 1) ? VA_BASE : DATA_BASE;
    uint64_t bad = 0;
    int four = c->kind == XLATE_4SID;
    /* Check one translation (per SID) exactly before timing anything. */
    for (uint32_t sid = 0; sid < (four ? 4u : 1u); sid++)
        if (xlate(b, c->name, sid, base + 0x5123, want_pa(config, 0x5123)))
            return 1;
    if (c->tlb_sets || c->utlb) { /* warm the caches: the measured loop then hits */
        if (four)
            run_case_4sid(b->smmu, base, 16 * c->pages, c->pages, &bad);
        else
            run_case(b->smmu, base, c->pages, c->pages, &bad);
    }
    smmu_stats_t st0, st1;
    smmu_get_stats(b->smmu, &st0);
    double t0 = now();
    volatile uint64_t sink = four ? run_case_4sid(b->smmu, base, n, c->pages, &bad)
                                  : run_case(b->smmu, base, n, c->pages, &bad);
    double dt = now() - t0;
    (void)sink;
    smmu_get_stats(b->smmu, &st1);
    rates(&st0, &st1, n, r);
    r->per_s = (double)n / dt;
    if (bad) {
        fprintf(stderr, "smmu-bench: %s: %llu translations failed\n", c->name,
                (unsigned long long)bad);
        return 1;
    }
    /* and one again after the loop, from the warm caches */
    if (xlate(b, c->name, four ? 3 : 0, base + 0x7ab8, want_pa(config, 0x7ab8)))
        return 1;
    return check_rates(c, r);
}

/* One TLBI operation: the commands go to queue memory first; only the
 * CMDQ_PROD write is the operation (callgrind.sh counts inside
 * smmu_mmio_write). */
static void tlbi_op(bench_t *b, const bench_case_t *c, uint64_t va, double *spent)
{
    uint64_t cmds[2][2] = {{0, 0}, {SMMU_CMD_SYNC, 0}};
    if (c->kind == TLBI_VA) {
        cmds[0][0] = SMMU_CMD_TLBI_NH_VA | SMMU_PUT(1, 63, 48); /* ASID 1, VMID 0 */
        cmds[0][1] = (va & SMMU_MASK(63, 12)) | 1;              /* Leaf */
    } else {
        cmds[0][0] = SMMU_CMD_TLBI_NH_ASID | SMMU_PUT(2, 63, 48); /* ASID 2 */
    }
    uint32_t prod = queue_cmds(b, (const uint64_t(*)[2])cmds, 2);
    double t0 = now();
    smmu_mmio_write(b->smmu, SMMU_CMDQ_PROD, prod, 4);
    *spent += now() - t0;
}

static int tlbi_case(bench_t *b, const bench_case_t *c, uint64_t ops, result_t *r)
{
    uint64_t entries = (uint64_t)c->tlb_sets * 4, bad = 0;
    int asid = c->kind == TLBI_ASID;
    uint64_t last = VA_BASE + (entries - 1) * 4096; /* the ASID-2 page in tlbi-asid */
    if (xlate(b, c->name, 0, VA_BASE + 0x5123, want_pa(1, 0x5123)))
        return 1;
    /* Fill: every page once (tlbi-asid: the last one through SID 1, ASID 2). */
    run_case(b->smmu, VA_BASE, entries - (uint64_t)asid, entries, &bad);
    if (asid && xlate(b, c->name, 1, last, want_pa(1, (entries - 1) * 4096)))
        return 1;
    smmu_stats_t st0, st1;
    smmu_get_stats(b->smmu, &st0);
    run_case(b->smmu, VA_BASE, entries - (uint64_t)asid, entries, &bad);
    if (asid && xlate(b, c->name, 1, last, want_pa(1, (entries - 1) * 4096)))
        return 1;
    smmu_get_stats(b->smmu, &st1);
    if (bad || st1.tlb_hits - st0.tlb_hits != entries || st1.mem_reads != st0.mem_reads) {
        fprintf(stderr, "smmu-bench: %s: TLB not full of the %llu pages: %llu hits, %llu memory "
                        "reads on a second pass, %llu failed translations\n",
                c->name, (unsigned long long)entries,
                (unsigned long long)(st1.tlb_hits - st0.tlb_hits),
                (unsigned long long)(st1.mem_reads - st0.mem_reads), (unsigned long long)bad);
        return 1;
    }
    double spent = 0;
    smmu_stats_t a, z;
    uint64_t reads_in_ops = 0;
    smmu_stats_t tr0, tr1;
    memset(&tr0, 0, sizeof tr0);
    memset(&tr1, 0, sizeof tr1);
    for (uint64_t i = 0; i < ops; i++) {
        uint64_t page = asid ? entries - 1 : (i * 7) % entries; /* a cached page */
        uint64_t va = VA_BASE + page * 4096;
        smmu_get_stats(b->smmu, &a);
        tlbi_op(b, c, va, &spent);
        smmu_get_stats(b->smmu, &z);
        reads_in_ops += z.mem_reads - a.mem_reads;
        /* re-translate the invalidated page: it must walk again */
        if (xlate(b, c->name, asid ? 1 : 0, va + 0x10, want_pa(1, page * 4096 + 0x10)))
            return 1;
        smmu_get_stats(b->smmu, &a);
        tr1.tlb_hits += a.tlb_hits - z.tlb_hits;
        tr1.tlb_misses += a.tlb_misses - z.tlb_misses;
        tr1.utlb_hits += a.utlb_hits - z.utlb_hits;
        tr1.mem_reads += a.mem_reads - z.mem_reads;
        tr1.walks_s1 += a.walks_s1 - z.walks_s1;
        if (a.mem_reads == z.mem_reads || a.tlb_misses == z.tlb_misses) {
            fprintf(stderr, "smmu-bench: %s: operation %llu: page 0x%llx still hit after the "
                            "TLBI (no memory read on re-translation)\n",
                    c->name, (unsigned long long)i, (unsigned long long)va);
            return 1;
        }
        if (i == 0 || i == ops - 1) {
            /* another cached page still hits, without reading memory */
            uint64_t other = VA_BASE + ((page + 1) % (entries - (uint64_t)asid)) * 4096;
            if (xlate(b, c->name, 0, other, want_pa(1, other - VA_BASE)))
                return 1;
            smmu_get_stats(b->smmu, &z);
            if (z.mem_reads != a.mem_reads || z.tlb_hits != a.tlb_hits + 1) {
                fprintf(stderr, "smmu-bench: %s: operation %llu: page 0x%llx was not "
                                "invalidated but no longer hits\n",
                        c->name, (unsigned long long)i, (unsigned long long)other);
                return 1;
            }
        }
    }
    uint64_t cons = 0, gerror = 0;
    smmu_mmio_read(b->smmu, SMMU_CMDQ_CONS, 4, &cons);
    smmu_mmio_read(b->smmu, SMMU_GERROR, 4, &gerror);
    if ((cons & 0x1FF) != b->cmdq_prod || (cons >> SMMU_CMDQ_CONS_ERR_SHIFT) & 0x7F || gerror) {
        fprintf(stderr, "smmu-bench: %s: CMDQ_CONS 0x%llx (PROD 0x%x), GERROR 0x%llx\n", c->name,
                (unsigned long long)cons, b->cmdq_prod, (unsigned long long)gerror);
        return 1;
    }
    r->per_s = spent > 0 ? (double)ops / spent : 0;
    r->mem_reads = (double)reads_in_ops / (double)ops;
    rates(&tr0, &tr1, ops, r); /* over the re-translations */
    r->mem_reads = (double)reads_in_ops / (double)ops; /* inside the operation */
    return check_rates(c, r);
}

#define ANY 0.0, 1.0
#define ZERO 0.0, 0.0
#define ONE 0.99, 1.0
#define MISS 0.0, 0.05

static const bench_case_t cases[] = {
    /* name, kind, config, cfg_cache, tlb_sets, utlb, wc_sets, pages, tlb, utlb */
    {"s1", XLATE, 1, 1024, 0, 0, 0, PAGES, ANY, ZERO},
    {"s1-nocfg", XLATE, 1, 0, 0, 0, 0, PAGES, ANY, ZERO},
    {"s2", XLATE, 2, 1024, 0, 0, 0, PAGES, ANY, ZERO},
    {"nested", XLATE, 3, 1024, 0, 0, 0, PAGES, ANY, ZERO},
    {"s1-wc", XLATE, 1, 1024, 0, 0, 64, PAGES, ANY, ZERO},
    {"nested-wc", XLATE, 3, 1024, 256, 0, 64, PAGES, ANY, ZERO},
    {"s1-hit", XLATE, 1, 1024, 256, 256, 64, 256, ANY, ONE},
    {"s2-hit", XLATE, 2, 1024, 256, 256, 64, 256, ANY, ONE},
    {"nested-hit", XLATE, 3, 1024, 256, 256, 64, 256, ANY, ONE},
    {"s1-tlbhit", XLATE, 1, 1024, 256, 0, 64, 256, ONE, ZERO},
    {"nested-tlbhit", XLATE, 3, 1024, 256, 0, 64, 256, ONE, ZERO},
    {"s1-miss", XLATE, 1, 1024, 64, 0, 0, PAGES, MISS, ZERO},
    {"s2-miss", XLATE, 2, 1024, 64, 0, 0, PAGES, MISS, ZERO},
    {"nested-miss", XLATE, 3, 1024, 64, 0, 0, PAGES, MISS, ZERO},
    {"s1-cfgmiss", XLATE, 1, 0, 256, 0, 0, 256, ONE, ZERO},
    {"s1-4sid-utlb", XLATE_4SID, 1, 1024, 256, 256, 0, 16, ANY, 0.90, 1.0},
    {"tlbi-va-1k", TLBI_VA, 1, 1024, 256, 0, 0, 1024, ZERO, ZERO},
    {"tlbi-va-64k", TLBI_VA, 1, 1024, 16384, 0, 0, 65536, ZERO, ZERO},
    {"tlbi-asid-1k", TLBI_ASID, 1, 1024, 256, 0, 0, 1024, ZERO, ZERO},
    {"tlbi-asid-64k", TLBI_ASID, 1, 1024, 16384, 0, 0, 65536, ZERO, ZERO},
};

static void usage(void)
{
    fprintf(stderr, "usage: smmu-bench [--case NAME|all] [--n N] [--ops N] [--json] [--quiet] "
                    "[--callbacks]\ncases:");
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        fprintf(stderr, " %s", cases[i].name);
    fputc('\n', stderr);
}

int main(int argc, char **argv)
{
    const char *which = "all";
    uint64_t n = 2000000, ops = 20000;
    int quiet = 0, callbacks = 0, json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--case") && i + 1 < argc)
            which = argv[++i];
        else if (!strcmp(argv[i], "--n") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--ops") && i + 1 < argc)
            ops = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--quiet"))
            quiet = 1;
        else if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--callbacks"))
            callbacks = 1;
        else if (!strcmp(argv[i], "--version")) {
            printf("smmu-bench %s\n", smmu_version());
            return 0;
        } else {
            usage();
            return 2;
        }
    }
    if (n == 0 || ops == 0) {
        fprintf(stderr, "smmu-bench: --n and --ops must be > 0\n");
        return 2;
    }
    int found = 0;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        found |= !strcmp(which, "all") || !strcmp(which, cases[i].name);
    if (!found) {
        fprintf(stderr, "smmu-bench: unknown case '%s'\n", which);
        usage();
        return 2;
    }
    bench_t b;
    b.mem.m = malloc(MEM_SIZE);
    b.mem.size = MEM_SIZE;
    b.direct = !callbacks;
    if (!b.mem.m)
        return 1;
    int rc = 0;
    if (!quiet && !json)
        printf("smmu-bench: 4K granule, 4-level tables; memory reads %s; see the header of "
               "bench/smmu_bench.c for the cases\n",
               callbacks ? "through ops.read" : "direct (flat array)");
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bench_case_t *c = &cases[i];
        if (strcmp(which, "all") && strcmp(which, c->name))
            continue;
        result_t r = {0};
        int tlbi = c->kind == TLBI_VA || c->kind == TLBI_ASID;
        int bad = setup(&b, c);
        if (!bad) {
            bad = tlbi ? tlbi_case(&b, c, ops, &r) : xlate_case(&b, c, n, &r);
            smmu_destroy(b.smmu);
        }
        rc |= bad;
        if (quiet)
            continue;
        if (json) {
            printf("{\"name\":\"%s\",\"%s\":%.0f,\"mem_reads\":%.4f,\"tlb_hit_rate\":%.4f,"
                   "\"utlb_hit_rate\":%.4f,\"leaf_hit_rate\":%.4f,\"check\":\"%s\"}\n",
                   c->name, tlbi ? "commands_per_s" : "translations_per_s", r.per_s, r.mem_reads,
                   r.tlb_rate, r.utlb_rate, r.leaf_rate, bad ? "fail" : "pass");
        } else if (tlbi) {
            printf("%-13s %8.3f M operations/s %9.1f ns/operation %5.1f memory reads/operation"
                   "  (TLBI + CMD_SYNC, one CMDQ_PROD write)%s\n",
                   c->name, r.per_s / 1e6, r.per_s > 0 ? 1e9 / r.per_s : 0, r.mem_reads,
                   bad ? "  (CHECK FAILED)" : "");
        } else {
            printf("%-13s %8.2f M translations/s %7.1f ns/translation %5.1f memory "
                   "reads/translation  micro-TLB hits %3.0f%%  TLB hit rate %3.0f%%  walk-cache "
                   "hits/translation %4.2f%s\n",
                   c->name, r.per_s / 1e6, r.per_s > 0 ? 1e9 / r.per_s : 0, r.mem_reads,
                   r.utlb_rate * 100, r.tlb_rate * 100, r.wc_per, bad ? "  (CHECK FAILED)" : "");
        }
        fflush(stdout);
    }
    free(b.mem.m);
    return rc;
}
