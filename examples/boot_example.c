/*
 * smmu-example: the core used the way a driver and a platform use it, with
 * the table builder (smmu/smmu_build.h, docs/build-api.md).
 *
 * 1. The platform creates an SMMU over a flat host array.
 * 2. The "driver" boots it in the order of IHI 0070 3.11 (smmu_build_boot).
 * 3. It attaches StreamID 1 to a stage-1 context (STE -> CD -> 4K tables).
 * 4. A device issues DMA; the example prints each result and every event
 *    record it then reads from the event queue.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_build.h"
#include "smmu/smmu_regs.h"

#define MEM_SIZE (16u << 20)

static uint8_t *mem;
static smmu_t *smmu;
static smmu_build_t b;

static int mem_read(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t k,
                    uint32_t *lat)
{
    (void)ctx, (void)k, (void)lat;
    if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
        return SMMU_MEM_ABORT;
    memcpy(buf, mem + pa, len);
    return SMMU_MEM_OK;
}

static int mem_write(void *ctx, uint64_t pa, const void *buf, uint32_t len, smmu_access_kind_t k,
                     uint32_t *lat)
{
    (void)ctx, (void)k, (void)lat;
    if (pa >= MEM_SIZE || len > MEM_SIZE - pa)
        return SMMU_MEM_ABORT;
    memcpy(mem + pa, buf, len);
    return SMMU_MEM_OK;
}

static uint32_t rd(uint64_t off)
{
    uint64_t v = 0;
    smmu_mmio_read(smmu, off, 4, &v);
    return (uint32_t)v;
}

static void dma(const char *what, uint64_t va, int write)
{
    smmu_request_t rq = {.sid = 1, .addr = va, .size = 64, .write = (uint8_t)write};
    smmu_response_t rs;
    smmu_translate(smmu, &rq, &rs);
    static const char *outcome[] = {"OK", "ABORT", "RAZ/WI", "STALLED"};
    printf("%-34s %-5s VA 0x%08" PRIx64 " -> %-7s", what, write ? "write" : "read", va,
           outcome[rs.outcome & 3]);
    if (rs.outcome == SMMU_XLATE_OK)
        printf(" PA 0x%08" PRIx64, rs.pa);
    else if (rs.event)
        printf(" (%s)", smmu_event_name(rs.event));
    printf("\n");
    /* Drain the event queue (128 records, wrap bit 7). */
    uint32_t prod = rd(SMMU_EVENTQ_PROD) & 0xFF, cons = rd(SMMU_EVENTQ_CONS) & 0xFF;
    for (; cons != prod; cons = (cons + 1) & 0xFF) {
        uint32_t rec[8];
        smmu_event_t ev;
        memcpy(rec, mem + b.evtq_base + (cons & 0x7F) * 32u, sizeof rec); /* little-endian host */
        smmu_event_decode(rec, &ev);
        printf("  event %-16s sid=%u input=0x%" PRIx64 " s2=%u class=%u rnw=%u  record:",
               smmu_event_name(ev.type), ev.sid, ev.input_addr, ev.s2, ev.cls, ev.rnw);
        for (int i = 0; i < 8; i++)
            printf(" %08x", rec[i]);
        printf("\n");
    }
    smmu_mmio_write(smmu, SMMU_EVENTQ_CONS, cons, 4);
}

int main(void)
{
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    smmu_mem_ops_t ops = {.read = mem_read, .write = mem_write};
    char msg[256];
    if (!(mem = calloc(1, MEM_SIZE)) || !(smmu = smmu_create(&cfg, &ops, NULL, msg, sizeof msg)))
        return 1;

    /* Boot (3.11): a linear table of 256 STEs, 256 commands, 128 events.
     * Attach StreamID 1: stage 1, one CD (ASID 7), 48-bit VA, 4K pages, a
     * read-write and a read-only page. */
    smmu_build_strtab_t st;
    smmu_build_boot_t boot = {.strtab = &st, .cmdq_log2 = 8, .evtq_log2 = 7};
    smmu_build_pt_t pt;
    smmu_build_cdtab_t cdt;
    const unsigned user = SMMU_BUILD_R | SMMU_BUILD_USER;
    if (smmu_build_init(&b, &ops, NULL, 0x10000, MEM_SIZE - 0x10000) ||
        smmu_build_strtab_init(&b, &st, 8, 0) || smmu_build_boot(&b, smmu, &boot))
        goto fail;
    printf("booted: CR0ACK=0x%x GERROR=0x%x CMDQ_CONS=0x%x\n", rd(SMMU_CR0ACK), rd(SMMU_GERROR),
           rd(SMMU_CMDQ_CONS));
    if (smmu_build_pt_init(&b, &pt, 1, 4096, 48, 48, -1) ||
        smmu_build_map(&b, &pt, 0x40000000, 0x800000, 0x1000, user | SMMU_BUILD_W, NULL, NULL) ||
        smmu_build_map(&b, &pt, 0x40001000, 0x801000, 0x1000, user, NULL, NULL) ||
        smmu_build_cdtab_init(&b, &cdt, 0, 0))
        goto fail;
    smmu_build_cd_t cd = {.ttb0 = pt.root, .t0sz = 16, .epd1 = 1, .ips = 5 /* 48 bits */,
                          .asid = 7, .aa64 = 1, .a = 1, .r = 1, .mair = 0xFF /* Normal WB */};
    smmu_build_ste_t ste = {.config = SMMU_STE_S1, .s1_context_ptr = cdt.base};
    const uint64_t inval[2][2] = {{SMMU_CMD_CFGI_STE | (1ull << 32), 0}, {SMMU_CMD_SYNC, 0}};
    if (smmu_build_cd_write(&b, &cdt, 0, &cd) || smmu_build_ste_write(&b, &st, 1, &ste) ||
        smmu_build_submit(&b, smmu, inval[0], 2))
        goto fail;

    dma("mapped page", 0x40000010, 0);
    dma("mapped page", 0x40000ff0, 1);
    dma("read-only page", 0x40001000, 0);
    dma("read-only page (permission fault)", 0x40001000, 1);
    dma("unmapped page (translation fault)", 0x40002000, 0);

    smmu_stats_t s;
    smmu_get_stats(smmu, &s);
    printf("stats: translations=%" PRIu64 " ok=%" PRIu64 " aborted=%" PRIu64
           " events recorded=%" PRIu64 " table reads=%" PRIu64 "\n",
           s.translations, s.translated_ok, s.aborted, s.events_recorded, s.tt_reads);
    smmu_destroy(smmu);
    free(mem);
    return 0;
fail:
    fprintf(stderr, "smmu-example: %s\n", b.err);
    return 1;
}
