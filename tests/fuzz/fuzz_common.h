/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the libFuzzer targets (docs/fuzzing.md): a byte reader,
 * an SMMU booted over a flat memory with the table builder, and the
 * invariant checks. A failed invariant prints "fuzz invariant: ..." and
 * calls abort(), which libFuzzer reports as a crash with the input saved.
 *
 * Header-only (static functions): each target is one translation unit built
 * by scripts/fuzz.sh together with the core sources.
 */
#ifndef SMMU_FUZZ_COMMON_H
#define SMMU_FUZZ_COMMON_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_build.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"

#define FZ_MEM_BITS 21 /* 2 MiB of simulated memory at PA 0 */
#define FZ_MEM_SIZE (1u << FZ_MEM_BITS)
#define FZ_MSI_BASE 0x1000u /* the only page MSIs may write (others abort) */
#define FZ_ALLOC_BASE 0x2000u

/* ---- input reader ------------------------------------------------------- */

typedef struct fz_in {
    const uint8_t *p;
    size_t n;
} fz_in_t;

/** Next `bytes` bytes, little-endian; zeros once the input is used up. */
static uint64_t fz_take(fz_in_t *in, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes && in->n; i++, in->p++, in->n--)
        v |= (uint64_t)*in->p << (8 * i);
    return v;
}

/* ---- failure ------------------------------------------------------------ */

static void fz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz invariant: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* ---- the harness: memory, instance, builder, outcome tallies ----------- */

typedef struct fz_h {
    uint8_t *mem;      /* FZ_MEM_SIZE bytes at PA 0 */
    uint64_t dirty_hi; /* bytes [0, dirty_hi) may be non-zero: cleared per input */
    smmu_t *s;
    smmu_build_t b;
    smmu_build_strtab_t st;
    unsigned oas_bits;
    /* outcomes counted by the harness, for the statistics invariant */
    uint64_t calls, ok, aborted, razwi, stalled, busy;
} fz_h_t;

static int fz_mem_read(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t k,
                       uint32_t *lat)
{
    fz_h_t *h = ctx;
    (void)k, (void)lat;
    if (pa >= FZ_MEM_SIZE || len > FZ_MEM_SIZE - pa)
        return SMMU_MEM_ABORT;
    memcpy(buf, h->mem + pa, len);
    return SMMU_MEM_OK;
}

static int fz_mem_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                        smmu_access_kind_t k, uint32_t *lat)
{
    fz_h_t *h = ctx;
    (void)lat;
    if (pa >= FZ_MEM_SIZE || len > FZ_MEM_SIZE - pa)
        return SMMU_MEM_ABORT;
    /* An MSI (fuzzed address in CMD_SYNC or the IRQ_CFG registers) lands
     * only in its own page; elsewhere it aborts (GERROR.MSI_*_ABT_ERR), so
     * it cannot overwrite the queues whose contents the invariants read. */
    if ((k == SMMU_ACC_MSI || k == SMMU_ACC_SYNC) &&
        (pa < FZ_MSI_BASE || pa + len > FZ_MSI_BASE + 0x1000))
        return SMMU_MEM_ABORT;
    memcpy(h->mem + pa, buf, len);
    if (pa + len > h->dirty_hi)
        h->dirty_hi = pa + len;
    return SMMU_MEM_OK;
}

static int fz_mem_cas(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *old)
{
    fz_h_t *h = ctx;
    uint64_t cur;
    if (pa & 7 || fz_mem_read(h, pa, &cur, 8, SMMU_ACC_TT_UPDATE, NULL))
        return SMMU_MEM_ABORT;
    *old = cur;
    if (cur == expected)
        fz_mem_write(h, pa, &desired, 8, SMMU_ACC_TT_UPDATE, NULL);
    return SMMU_MEM_OK;
}

static const smmu_mem_ops_t fz_ops = {
    .read = fz_mem_read, .write = fz_mem_write, .cas64 = fz_mem_cas};

static uint32_t fz_rd(fz_h_t *h, uint64_t off)
{
    uint64_t v = 0;
    if (smmu_mmio_read(h->s, off, 4, &v) != SMMU_OK)
        fz_fail("smmu_mmio_read(0x%" PRIx64 ") failed", off);
    return (uint32_t)v;
}

static void fz_wr(fz_h_t *h, uint64_t off, uint32_t v)
{
    if (smmu_mmio_write(h->s, off, v, 4) != SMMU_OK)
        fz_fail("smmu_mmio_write(0x%" PRIx64 ") failed", off);
}

static const unsigned fz_oas_bits[7] = {32, 36, 40, 42, 44, 48, 52};

/** Create an instance over the (lazily allocated) memory and boot it (3.11)
 * with a linear stream table of 2^strtab_log2 STEs. Returns 0, or -1 for a
 * configuration the model refuses (not a failure). */
static int fz_boot(fz_h_t *h, smmu_config_t *cfg, unsigned strtab_log2, unsigned cmdq_log2,
                   unsigned evtq_log2)
{
    if (!h->mem && !(h->mem = calloc(1, FZ_MEM_SIZE)))
        return -1;
    memset(h->mem, 0, h->dirty_hi); /* no 1 MiB memset per input */
    uint8_t *mem = h->mem;
    memset(h, 0, sizeof *h);
    h->mem = mem;
    h->s = smmu_create(cfg, &fz_ops, h, NULL, 0);
    if (!h->s)
        return -1;
    h->oas_bits = fz_oas_bits[smmu_get_config(h->s)->oas % 7];
    smmu_build_boot_t boot = {.strtab = &h->st, .cmdq_log2 = cmdq_log2, .evtq_log2 = evtq_log2};
    if (smmu_build_init(&h->b, &fz_ops, h, FZ_ALLOC_BASE, FZ_MEM_SIZE - FZ_ALLOC_BASE) ||
        smmu_build_strtab_init(&h->b, &h->st, strtab_log2, 0) ||
        smmu_build_boot(&h->b, h->s, &boot)) {
        smmu_destroy(h->s);
        h->s = NULL;
        return -1;
    }
    return 0;
}

static void fz_end(fz_h_t *h)
{
    if (h->s)
        smmu_destroy(h->s);
    h->s = NULL;
}

/* ---- invariants --------------------------------------------------------- */

/** A queue pointer holds only index + wrap bits [log2:0] and, where
 * defined, ERR [30:24] (CMDQ_CONS) or OVFLG/OVACKFLG [31] (EVENTQ)
 * (6.3.27, 6.3.28, 6.3.95, 6.3.96). */
static void fz_check_ptr(const char *name, uint32_t v, unsigned log2, uint32_t extra)
{
    uint32_t allowed = ((2u << log2) - 1) | extra;
    if (v & ~allowed)
        fz_fail("%s = 0x%08x has bits outside index+wrap (LOG2SIZE %u) and 0x%08x", name, v, log2,
                extra);
}

/** GERROR holds only its defined bits: CMDQ_ERR, EVENTQ_ABT_ERR..SFM_ERR,
 * CMDQP_ERR (6.3.19; bit 1 and [31:10] are RES0). */
#define FZ_GERROR_DEFINED 0x3FDu

static void fz_check_regs(fz_h_t *h)
{
    unsigned cl = h->b.cmdq_log2, el = h->b.evtq_log2;
    fz_check_ptr("CMDQ_PROD", fz_rd(h, SMMU_CMDQ_PROD), cl, 0);
    fz_check_ptr("CMDQ_CONS", fz_rd(h, SMMU_CMDQ_CONS), cl, 0x7Fu << SMMU_CMDQ_CONS_ERR_SHIFT);
    fz_check_ptr("EVENTQ_PROD", fz_rd(h, SMMU_EVENTQ_PROD), el, SMMU_Q_OVF);
    fz_check_ptr("EVENTQ_CONS", fz_rd(h, SMMU_EVENTQ_CONS), el, SMMU_Q_OVF);
    uint32_t g = fz_rd(h, SMMU_GERROR), gn = fz_rd(h, SMMU_GERRORN);
    if (g & ~FZ_GERROR_DEFINED)
        fz_fail("GERROR = 0x%08x has undefined bits", g);
    if (gn & ~FZ_GERROR_DEFINED)
        fz_fail("GERRORN = 0x%08x has undefined bits", gn);
}

static int fz_event_type_defined(unsigned t)
{
    switch (t) {
    case SMMU_EVT_F_UUT: case SMMU_EVT_C_BAD_STREAMID: case SMMU_EVT_F_STE_FETCH:
    case SMMU_EVT_C_BAD_STE: case SMMU_EVT_F_BAD_ATS_TREQ: case SMMU_EVT_F_STREAM_DISABLED:
    case SMMU_EVT_F_TRANSL_FORBIDDEN: case SMMU_EVT_C_BAD_SUBSTREAMID: case SMMU_EVT_F_CD_FETCH:
    case SMMU_EVT_C_BAD_CD: case SMMU_EVT_F_WALK_EABT: case SMMU_EVT_F_TRANSLATION:
    case SMMU_EVT_F_ADDR_SIZE: case SMMU_EVT_F_ACCESS: case SMMU_EVT_F_PERMISSION:
    case SMMU_EVT_F_TLB_CONFLICT: case SMMU_EVT_F_CFG_CONFLICT: case SMMU_EVT_E_PAGE_REQUEST:
    case SMMU_EVT_F_VMS_FETCH:
        return 1;
    default:
        return 0;
    }
}

/** Every record between EVENTQ_CONS and EVENTQ_PROD decodes to a defined
 * type and re-encodes to the same eight words (7.3); then consume them all
 * (CONS = PROD, OVACKFLG = OVFLG: 7.4). */
static void fz_drain_events(fz_h_t *h)
{
    unsigned el = h->b.evtq_log2;
    uint32_t mask = (2u << el) - 1;
    uint32_t prod = fz_rd(h, SMMU_EVENTQ_PROD), cons = fz_rd(h, SMMU_EVENTQ_CONS);
    for (uint32_t c = cons & mask, n = 0; c != (prod & mask) && n <= (1u << el);
         c = (c + 1) & mask, n++) {
        uint32_t rec[8], again[8];
        smmu_event_t ev;
        memcpy(rec, h->mem + h->b.evtq_base + (uint64_t)(c & ((1u << el) - 1)) * 32u,
               sizeof rec); /* little-endian host */
        smmu_event_decode(rec, &ev);
        if (!fz_event_type_defined(ev.type))
            fz_fail("event record at index %u has undefined type 0x%02x", c, ev.type);
        smmu_event_encode(&ev, again);
        for (int i = 0; i < 8; i++)
            if (again[i] != rec[i])
                fz_fail("event %s: word %d is 0x%08x, smmu_event_encode(decode) gives 0x%08x",
                        smmu_event_name(ev.type), i, rec[i], again[i]);
    }
    fz_wr(h, SMMU_EVENTQ_CONS, (prod & mask) | (prod & SMMU_Q_OVF));
}

/** An OK response: pa < 2^OAS, page_size a power of two >= 4 KiB, and pa
 * inside the page [pa of page_base, + page_size) (3.4, 13.1). Also counts
 * the outcome for fz_check_stats. */
static void fz_check_response(fz_h_t *h, const smmu_request_t *rq, const smmu_response_t *rs)
{
    h->calls++;
    switch (rs->outcome) {
    case SMMU_XLATE_OK: h->ok++; break;
    case SMMU_XLATE_ABORT: h->aborted++; return;
    case SMMU_XLATE_RAZWI: h->razwi++; return;
    case SMMU_XLATE_STALLED: h->stalled++; return;
    case SMMU_XLATE_BUSY: h->busy++; return;
    default: fz_fail("outcome %u undefined", rs->outcome);
    }
    if (h->oas_bits < 64 && (rs->pa >> h->oas_bits))
        fz_fail("OK response pa 0x%" PRIx64 " >= 2^OAS (%u bits), sid %u addr 0x%" PRIx64, rs->pa,
                h->oas_bits, rq->sid, rq->addr);
    if (rs->page_size < 4096 || (rs->page_size & (rs->page_size - 1)))
        fz_fail("OK response page_size 0x%" PRIx64 " not a power of two >= 4096, sid %u addr "
                "0x%" PRIx64, rs->page_size, rq->sid, rq->addr);
    if (rq->addr - rs->page_base >= rs->page_size)
        fz_fail("input 0x%" PRIx64 " outside [page_base 0x%" PRIx64 ", +0x%" PRIx64 ")", rq->addr,
                rs->page_base, rs->page_size);
    if ((rs->pa & (rs->page_size - 1)) != (rq->addr & (rs->page_size - 1)))
        fz_fail("pa 0x%" PRIx64 " not at input offset 0x%" PRIx64 " inside its page of 0x%" PRIx64
                " (sid %u addr 0x%" PRIx64 " page_base 0x%" PRIx64 ")",
                rs->pa, rq->addr & (rs->page_size - 1), rs->page_size, rq->sid, rq->addr,
                rs->page_base);
}

static void fz_translate(fz_h_t *h, smmu_request_t *rq)
{
    smmu_response_t rs;
    if (!rq->size)
        rq->size = 4;
    if (smmu_translate(h->s, rq, &rs) != SMMU_OK)
        fz_fail("smmu_translate returned an error for sid %u", rq->sid);
    fz_check_response(h, rq, &rs);
}

/** Statistics add up (smmu_stats_t): every call counted in translations;
 * translated_ok, aborted, razwi as the outcomes the harness saw, unless
 * commands (CMD_RESUME/STALL_TERM) completed stalled ones: then
 * ok + aborted + razwi = seen + stalls completed <= seen + stalled. */
static void fz_check_stats(fz_h_t *h)
{
    smmu_stats_t st;
    smmu_get_stats(h->s, &st);
    if (st.translations != h->calls)
        fz_fail("stats.translations %" PRIu64 " != %" PRIu64 " calls", st.translations, h->calls);
    uint64_t done = st.translated_ok + st.aborted + st.razwi;
    uint64_t seen = h->ok + h->aborted + h->razwi;
    if (st.translated_ok < h->ok || st.aborted < h->aborted || st.razwi < h->razwi ||
        done < seen || done > seen + h->stalled)
        fz_fail("stats ok/aborted/razwi %" PRIu64 "/%" PRIu64 "/%" PRIu64 " vs outcomes seen %" PRIu64
                "/%" PRIu64 "/%" PRIu64 " (+%" PRIu64 " stalled, %" PRIu64 " busy)",
                st.translated_ok, st.aborted, st.razwi, h->ok, h->aborted, h->razwi, h->stalled,
                h->busy);
    if (st.translations != seen + h->stalled + h->busy)
        fz_fail("stats.translations %" PRIu64 " != ok+aborted+razwi+stalled+busy seen %" PRIu64,
                st.translations, seen + h->stalled + h->busy);
    if (st.events_raised < st.events_recorded + st.events_dropped_disabled + st.events_dropped_full)
        fz_fail("events_raised %" PRIu64 " < recorded %" PRIu64 " + dropped %" PRIu64 " + %" PRIu64,
                st.events_raised, st.events_recorded, st.events_dropped_disabled,
                st.events_dropped_full);
}

/** All invariants after one step. */
static void fz_check_all(fz_h_t *h)
{
    fz_check_regs(h);
    fz_drain_events(h);
    fz_check_stats(h);
}

/** Submit commands; on a command error (CMDQ_CONS.ERR, GERROR.CMDQ_ERR;
 * 7.1) overwrite the failing slot with CMD_SYNC and acknowledge GERRORN, as
 * a driver does, so the queue resumes. */
static void fz_submit(fz_h_t *h, const uint64_t *cmds, unsigned n)
{
    if (smmu_build_submit(&h->b, h->s, cmds, n) == SMMU_OK)
        return;
    uint32_t cons = fz_rd(h, SMMU_CMDQ_CONS), g = fz_rd(h, SMMU_GERROR);
    uint32_t gn = fz_rd(h, SMMU_GERRORN);
    if ((g ^ gn) & SMMU_GERROR_CMDQ_ERR) {
        uint64_t at = h->b.cmdq_base + (uint64_t)(cons & ((1u << h->b.cmdq_log2) - 1)) * 16u;
        uint64_t sync[2] = {SMMU_CMD_SYNC, 0};
        memcpy(h->mem + at, sync, 16);
    }
    fz_wr(h, SMMU_GERRORN, g); /* acknowledge every active error */
}

#endif /* SMMU_FUZZ_COMMON_H */
