/*
 * smmu-bench: translation throughput of the core, tables in a flat array.
 *
 *   smmu-bench [--case NAME] [--n N] [--quiet]
 *
 * Cases (all 4K granule, 48-bit input, 4-level tables; the cold cases run
 * with the TLB, walk cache and micro-TLB off, so every translation is a full
 * walk; the configuration cache stays on unless the name says nocfg):
 *   s1        stage 1 only, configuration cache on (decoded STE/CD cached):
 *             4 descriptor reads per translation
 *   s1-nocfg  stage 1 only, configuration cache off: STE and CD are fetched
 *             and decoded on every translation as well
 *   s2        stage 2 only (4 levels)
 *   nested    stage 1 over stage 2: 4 stage-1 reads + 4 x 4 stage-2 reads
 *             for the stage-1 tables + 4 for the output = 24 reads
 *   s1-wc     stage 1, TLB off, walk cache on: 1 descriptor read per walk
 *   nested-wc nested, walk cache and TLB on (the TLB keeps the stage-2
 *             translations of stage-1 table pages), micro-TLB off, 4096
 *             pages cycled through a 1024-entry TLB: leaf TLB misses
 *   s1-hit, s2-hit, nested-hit: the same with warm caches: 256 pages, so
 *             every translation hits the 256-entry micro-TLB
 *   s1-tlbhit, nested-tlbhit: micro-TLB off, every translation hits the
 *             main TLB (1024 entries) after the configuration cache
 *   all       every case above (default)
 *
 * Memory: a flat array the core reads directly (smmu_set_direct_memory), as
 * an embedder with host-array memory would; --callbacks makes every read go
 * through ops.read instead.
 *
 * For instruction counts per translation use bench/callgrind.sh, which runs
 * this program under valgrind --tool=callgrind and divides the instructions
 * spent inside run_case() by the number of translations.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
#define PAGES 4096u

typedef struct bench {
    flatmem_t mem;
    int direct; /* use smmu_set_direct_memory (default) or the read callback */
    smmu_t *smmu;
    uint64_t s1_root, s2_root;
} bench_t;

static void mmio(smmu_t *s, uint64_t off, uint64_t v, unsigned size)
{
    if (smmu_mmio_write(s, off, v, size) != SMMU_OK) {
        fprintf(stderr, "smmu-bench: MMIO write 0x%llx failed\n", (unsigned long long)off);
        exit(2);
    }
}

static void submit(bench_t *b, const uint64_t (*cmds)[2], unsigned n)
{
    uint64_t prod = 0;
    smmu_mmio_read(b->smmu, SMMU_CMDQ_PROD, 4, &prod);
    for (unsigned i = 0; i < n; i++) {
        uint64_t at = CMDQ + (prod & 0xFF) * 16;
        flatmem_w64(&b->mem, at, cmds[i][0]);
        flatmem_w64(&b->mem, at + 8, cmds[i][1]);
        prod = (prod + 1) & 0x1FF;
    }
    mmio(b->smmu, SMMU_CMDQ_PROD, prod, 4);
}

/* Boot in the order of 3.11 and install one STE (sid 0). */
static int setup(bench_t *b, unsigned config, uint32_t cfg_cache, uint32_t tlb_sets,
                 uint32_t utlb, uint32_t wc_sets)
{
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    cfg.cfg_cache_entries = cfg_cache;
    cfg.tlb_sets = tlb_sets;
    cfg.utlb_entries = utlb;
    cfg.walk_cache_sets = wc_sets;
    smmu_mem_ops_t ops = {0};
    ops.read = flatmem_read;
    ops.write = flatmem_write;
    memset(b->mem.m, 0, MEM_SIZE);
    b->mem.next = PT_BASE;
    char msg[256];
    b->smmu = smmu_create(&cfg, &ops, &b->mem, msg, sizeof msg);
    if (!b->smmu) {
        fprintf(stderr, "smmu-bench: %s\n", msg);
        return 1;
    }
    if (b->direct) /* tables in a flat array: the core reads them directly */
        smmu_set_direct_memory(b->smmu, 0, b->mem.m, MEM_SIZE);
    int s1 = config & 1, s2 = (config >> 1) & 1;
    b->s1_root = flatmem_alloc_table(&b->mem);
    b->s2_root = flatmem_alloc_table(&b->mem);
    /* Stage 2: identity-map every table page the stage-1 walk and the CD
     * fetch touch, plus the data pages (IPA = DATA_BASE + i -> PA + 16M). */
    for (unsigned i = 0; i < PAGES; i++) {
        uint64_t va = 0x40000000ull + (uint64_t)i * 4096;
        uint64_t ipa = DATA_BASE + (uint64_t)i * 4096;
        if (s1)
            flatmem_map4k(&b->mem, b->s1_root, va, ipa, FLATMEM_S1_PAGE_EL0);
        if (s2)
            flatmem_map4k(&b->mem, b->s2_root, ipa, ipa + 0x1000000ull, FLATMEM_S2_PAGE);
    }
    if (s1 && s2) {
        uint64_t end = b->mem.next + 64 * 4096; /* room for the s2 tables themselves */
        for (uint64_t pa = PT_BASE; pa < end; pa += 4096)
            flatmem_map4k(&b->mem, b->s2_root, pa, pa, FLATMEM_S2_PAGE);
        flatmem_map4k(&b->mem, b->s2_root, CD_BASE, CD_BASE, FLATMEM_S2_PAGE);
    }
    /* CD 0: T0SZ = 16 (48-bit), 4K, IPS 48-bit, AA64, R, A, ASID 1;
     * TTB1 disabled (EPD1). */
    uint64_t cd0 = SMMU_PUT(16, 5, 0) | SMMU_PUT(16, 21, 16) | SMMU_PUT(2, 23, 22) | SMMU_BIT(30) |
                   SMMU_BIT(31) | SMMU_PUT(5, 34, 32) | SMMU_BIT(41) | SMMU_BIT(45) |
                   SMMU_BIT(46) | SMMU_PUT(1, 63, 48);
    flatmem_w64(&b->mem, CD_BASE, cd0);
    flatmem_w64(&b->mem, CD_BASE + 8, b->s1_root & SMMU_MASK(51, 4));
    flatmem_w64(&b->mem, CD_BASE + 24, 0xFF); /* MAIR: Attr0 = Normal WB */
    /* STE 0 */
    uint64_t ste[8] = {0};
    ste[0] = 1 | SMMU_PUT(0x4 | config, 3, 1);
    if (s1)
        ste[0] |= CD_BASE & SMMU_MASK(51, 6);
    if (s2) {
        /* S2VMID 1, S2T0SZ 16, S2SL0 2 (level 0 for 4K), S2TG 4K, S2PS 48,
         * S2AA64, S2R; S2TTB */
        ste[2] = 1 | SMMU_PUT(16, 37, 32) | SMMU_PUT(2, 39, 38) | SMMU_PUT(0, 47, 46) |
                 SMMU_PUT(5, 50, 48) | SMMU_BIT(51) | SMMU_BIT(58);
        ste[3] = b->s2_root & SMMU_MASK(51, 4);
    }
    for (int i = 0; i < 8; i++)
        flatmem_w64(&b->mem, STRTAB + 8 * i, ste[i]);

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

/* The measured loop (callgrind --toggle-collect=run_case). */
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

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int bench_case(bench_t *b, const char *name, unsigned config, uint32_t cfg_cache,
                      uint32_t tlb_sets, uint32_t utlb, uint32_t wc_sets, uint64_t pages,
                      uint64_t n, int quiet)
{
    if (setup(b, config, cfg_cache, tlb_sets, utlb, wc_sets))
        return 1;
    uint64_t base = (config & 1) ? 0x40000000ull : DATA_BASE;
    uint64_t bad = 0;
    /* Check one translation exactly before timing anything. */
    smmu_request_t rq = {0};
    smmu_response_t rs;
    rq.addr = base + 0x5123;
    rq.size = 4;
    smmu_translate(b->smmu, &rq, &rs);
    uint64_t want = DATA_BASE + 0x5123 + ((config & 2) ? 0x1000000ull : 0);
    if (!(config & 1))
        want = 0x5123 + DATA_BASE + 0x1000000ull;
    if (rs.outcome != SMMU_XLATE_OK || rs.pa != want) {
        fprintf(stderr, "smmu-bench: %s: translation of 0x%llx gave outcome %u event 0x%x pa 0x%llx, want 0x%llx\n",
                name, (unsigned long long)rq.addr, rs.outcome, rs.event,
                (unsigned long long)rs.pa, (unsigned long long)want);
        smmu_destroy(b->smmu);
        return 1;
    }
    smmu_stats_t st0, st1;
    double t0;
    if (tlb_sets) /* warm the TLB: the measured loop then only hits */
        run_case(b->smmu, base, pages, pages, &bad);
    smmu_get_stats(b->smmu, &st0);
    t0 = now();
    volatile uint64_t sink = run_case(b->smmu, base, n, pages, &bad);
    double dt = now() - t0;
    (void)sink;
    smmu_get_stats(b->smmu, &st1);
    double reads = (double)(st1.mem_reads - st0.mem_reads) / (double)n;
    uint64_t lookups = (st1.tlb_hits - st0.tlb_hits) + (st1.tlb_misses - st0.tlb_misses);
    double tlb_rate = lookups ? (double)(st1.tlb_hits - st0.tlb_hits) / (double)lookups : 0;
    if (!quiet)
        printf("%-13s %8.2f M translations/s %7.1f ns/translation %5.1f memory reads/translation"
               "  micro-TLB hits %3.0f%%  TLB hit rate %3.0f%%  walk-cache hits/translation "
               "%4.2f%s\n",
               name, (double)n / dt / 1e6, dt / (double)n * 1e9, reads,
               (double)(st1.utlb_hits - st0.utlb_hits) * 100 / (double)n, tlb_rate * 100,
               (double)(st1.walk_cache_hits - st0.walk_cache_hits) / (double)n,
               bad ? "  (FAILED translations!)" : "");
    smmu_destroy(b->smmu);
    return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char *which = "all";
    uint64_t n = 2000000;
    int quiet = 0, callbacks = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--case") && i + 1 < argc)
            which = argv[++i];
        else if (!strcmp(argv[i], "--n") && i + 1 < argc)
            n = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "--quiet"))
            quiet = 1;
        else if (!strcmp(argv[i], "--callbacks"))
            callbacks = 1;
        else {
            fprintf(stderr, "usage: smmu-bench [--case s1|s1-nocfg|s2|nested|s1-hit|s2-hit|"
                            "nested-hit|s1-tlbhit|nested-tlbhit|s1-wc|nested-wc|all] [--n N] [--quiet] [--callbacks]\n");
            return 2;
        }
    }
    if (n == 0) {
        fprintf(stderr, "smmu-bench: --n must be > 0\n");
        return 2;
    }
    bench_t b;
    b.mem.m = malloc(MEM_SIZE);
    b.mem.size = MEM_SIZE;
    b.direct = !callbacks;
    if (!b.mem.m)
        return 1;
    static const struct {
        const char *name;
        unsigned config; /* STE.Config[1:0]: 1 = S1, 2 = S2, 3 = nested */
        uint32_t cfg_cache, tlb_sets, utlb, wc_sets;
        uint64_t pages;
    } cases[] = {
        {"s1", 1, 1024, 0, 0, 0, PAGES},
        {"s1-nocfg", 1, 0, 0, 0, 0, PAGES},
        {"s2", 2, 1024, 0, 0, 0, PAGES},
        {"nested", 3, 1024, 0, 0, 0, PAGES},
        {"s1-wc", 1, 1024, 0, 0, 64, PAGES},
        {"nested-wc", 3, 1024, 256, 0, 64, PAGES},
        {"s1-hit", 1, 1024, 256, 256, 64, 256},
        {"s2-hit", 2, 1024, 256, 256, 64, 256},
        {"nested-hit", 3, 1024, 256, 256, 64, 256},
        {"s1-tlbhit", 1, 1024, 256, 0, 64, 256},
        {"nested-tlbhit", 3, 1024, 256, 0, 64, 256},
    };
    int rc = 0, found = 0;
    if (!quiet)
        printf("smmu-bench: 4K granule, 4-level tables; cold cases: TLB, walk cache and "
               "micro-TLB off; *-wc: walk cache on; *-hit: warm micro-TLB; *-tlbhit: warm TLB; "
               "memory reads %s\n", callbacks ? "through ops.read" : "direct (flat array)");
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(which, "all") && strcmp(which, cases[i].name))
            continue;
        found = 1;
        rc |= bench_case(&b, cases[i].name, cases[i].config, cases[i].cfg_cache, cases[i].tlb_sets,
                         cases[i].utlb, cases[i].wc_sets, cases[i].pages, n, quiet);
    }
    free(b.mem.m);
    if (!found) {
        fprintf(stderr, "smmu-bench: unknown case '%s'\n", which);
        return 2;
    }
    return rc;
}
