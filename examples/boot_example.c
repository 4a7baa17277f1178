/*
 * smmu-example: the core used the way a driver and a platform use it.
 *
 * 1. The platform creates an SMMU over a flat memory (flatmem.h).
 * 2. The "driver" boots it in the order of IHI 0070 3.11: stream table,
 *    CR1, command and event queues, CMDQEN|EVENTQEN, CFGI_ALL +
 *    TLBI_NSNH_ALL + CMD_SYNC, then SMMUEN.
 * 3. It attaches StreamID 1 to a stage-1 context (STE -> CD -> 4K tables).
 * 4. A device issues DMA; the example prints each result and every event
 *    record it then reads from the event queue.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "flatmem.h"
#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"

#define MEM_SIZE (16u << 20)
#define STRTAB 0x10000u /* 256 STEs, linear */
#define CMDQ 0x20000u   /* 256 commands */
#define EVTQ 0x30000u   /* 128 events */
#define CD0 0x40000u
#define TABLES 0x100000u

static smmu_t *smmu;
static flatmem_t mem;

static void wr(uint64_t off, uint64_t v, unsigned size)
{
    if (smmu_mmio_write(smmu, off, v, size) != SMMU_OK)
        fprintf(stderr, "MMIO write to 0x%" PRIx64 " refused\n", off);
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0;
    smmu_mmio_read(smmu, off, 4, &v);
    return (uint32_t)v;
}

static void submit(uint64_t w0, uint64_t w1)
{
    uint32_t prod = rd(SMMU_CMDQ_PROD);
    uint64_t at = CMDQ + (prod & 0xFF) * 16u;
    flatmem_w64(&mem, at, w0);
    flatmem_w64(&mem, at + 8, w1);
    wr(SMMU_CMDQ_PROD, (prod + 1) & 0x1FF, 4);
}

static void drain_events(void)
{
    uint32_t prod = rd(SMMU_EVENTQ_PROD), cons = rd(SMMU_EVENTQ_CONS);
    while ((cons & 0xFF) != (prod & 0xFF)) {
        uint32_t rec[8];
        for (int i = 0; i < 8; i++)
            rec[i] = flatmem_r32(&mem, EVTQ + (cons & 0x7F) * 32u + 4u * (unsigned)i);
        smmu_event_t ev;
        smmu_event_decode(rec, &ev);
        printf("  event %-16s sid=%u input=0x%" PRIx64 " s2=%u class=%u rnw=%u  record:",
               smmu_event_name(ev.type), ev.sid, ev.input_addr, ev.s2, ev.cls, ev.rnw);
        for (int i = 0; i < 8; i++)
            printf(" %08x", rec[i]);
        printf("\n");
        cons = (cons + 1) & 0xFF;
    }
    wr(SMMU_EVENTQ_CONS, cons, 4);
}

static void dma(const char *what, uint64_t va, int write)
{
    smmu_request_t rq = {0};
    smmu_response_t rs;
    rq.sid = 1;
    rq.addr = va;
    rq.size = 64;
    rq.write = (uint8_t)write;
    smmu_translate(smmu, &rq, &rs);
    static const char *outcome[] = {"OK", "ABORT", "RAZ/WI", "STALLED"};
    printf("%-34s %-5s VA 0x%08" PRIx64 " -> %-7s", what, write ? "write" : "read", va,
           outcome[rs.outcome & 3]);
    if (rs.outcome == SMMU_XLATE_OK)
        printf(" PA 0x%08" PRIx64, rs.pa);
    else if (rs.event)
        printf(" (%s)", smmu_event_name(rs.event));
    printf("\n");
    drain_events();
}

int main(void)
{
    mem.m = calloc(1, MEM_SIZE);
    mem.size = MEM_SIZE;
    mem.next = TABLES;
    if (!mem.m)
        return 1;
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    smmu_mem_ops_t ops = {0};
    ops.read = flatmem_read;
    ops.write = flatmem_write;
    char msg[256];
    smmu = smmu_create(&cfg, &ops, &mem, msg, sizeof msg);
    if (!smmu) {
        fprintf(stderr, "smmu_create: %s\n", msg);
        return 1;
    }

    /* Boot (3.11). */
    wr(SMMU_STRTAB_BASE, STRTAB | SMMU_BIT(62), 8);
    wr(SMMU_STRTAB_BASE_CFG, 8, 4); /* linear, LOG2SIZE 8 */
    wr(SMMU_CR1, 0, 4);
    wr(SMMU_CMDQ_BASE, CMDQ | SMMU_BIT(62) | 8, 8);
    wr(SMMU_EVENTQ_BASE, EVTQ | SMMU_BIT(62) | 7, 8);
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN, 4);
    submit(SMMU_CMD_CFGI_STE_RANGE, 31); /* CFGI_ALL */
    submit(SMMU_CMD_TLBI_NSNH_ALL, 0);
    submit(SMMU_CMD_SYNC, 0);
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN, 4);
    printf("booted: CR0ACK=0x%x GERROR=0x%x CMDQ_CONS=0x%x\n", rd(SMMU_CR0ACK), rd(SMMU_GERROR),
           rd(SMMU_CMDQ_CONS));

    /* Attach StreamID 1: stage 1, one CD, 48-bit VA, 4K pages. */
    uint64_t root = flatmem_alloc_table(&mem);
    flatmem_map4k(&mem, root, 0x40000000, 0x800000, FLATMEM_S1_PAGE_EL0);
    flatmem_map4k(&mem, root, 0x40001000, 0x801000, FLATMEM_S1_PAGE_EL0 | SMMU_BIT(7)); /* read-only */
    flatmem_w64(&mem, CD0, SMMU_PUT(16, 5, 0) | SMMU_BIT(30) | SMMU_PUT(2, 23, 22) |
                               SMMU_BIT(31) | SMMU_PUT(5, 34, 32) | SMMU_BIT(41) |
                               SMMU_BIT(45) | SMMU_BIT(46) | SMMU_PUT(7, 63, 48));
    flatmem_w64(&mem, CD0 + 8, root);
    flatmem_w64(&mem, CD0 + 24, 0xFF);
    flatmem_w64(&mem, STRTAB + 64, 1 | SMMU_PUT(5, 3, 1) | CD0); /* V, Config = S1 */
    submit(SMMU_CMD_CFGI_STE | (1ull << 32), 0);
    submit(SMMU_CMD_SYNC, 0);

    dma("mapped page", 0x40000010, 0);
    dma("mapped page", 0x40000ff0, 1);
    dma("read-only page", 0x40001000, 0);
    dma("read-only page (permission fault)", 0x40001000, 1);
    dma("unmapped page (translation fault)", 0x40002000, 0);

    smmu_stats_t st;
    smmu_get_stats(smmu, &st);
    printf("stats: translations=%" PRIu64 " ok=%" PRIu64 " aborted=%" PRIu64
           " events recorded=%" PRIu64 " table reads=%" PRIu64 "\n",
           st.translations, st.translated_ok, st.aborted, st.events_recorded, st.tt_reads);
    smmu_destroy(smmu);
    free(mem.m);
    return 0;
}
