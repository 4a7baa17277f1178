/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SystemVerilog DPI-C shim over smmu.h (docs/bindings.md, "DPI"). SV cannot
 * pass the C structs by pointer, so every import takes flat arguments.
 *
 * Memory is either inside C (mem_bytes > 0 at create: a zeroed array that SV
 * loads and inspects with smmu_dpi_mem_write64/read64) or served by the SV
 * exports smmu_sv_mem_read64/smmu_sv_mem_write64 (mem_bytes == 0), in aligned
 * 8-byte words (byte enables for partial writes); a non-zero export result
 * is an external abort. Interrupts go to smmu_sv_irq. C may call an export
 * only from a context import (IEEE 1800-2017 35.5.3): every import that can
 * reach the core's callbacks is declared context in smmu_dpi_pkg.sv.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_timing.h"

/* SV exports (tests/tb_smmu.sv), as Verilator declares them. */
extern int smmu_sv_mem_read64(unsigned long long pa, unsigned long long *data);
extern int smmu_sv_mem_write64(unsigned long long pa, unsigned long long data,
                               unsigned char byte_en);
extern void smmu_sv_irq(int line);

#define DPI_EVENTS 64 /* events kept for smmu_dpi_take_event (oldest dropped) */

typedef struct dpi {
    smmu_t *smmu;
    uint8_t *mem; /* NULL: SV memory */
    uint64_t mem_bytes;
    uint32_t ev[DPI_EVENTS][8];
    unsigned ev_head, ev_count;
} dpi_t;

static char last_error[256];

const char *smmu_dpi_last_error(void);
const char *smmu_dpi_last_error(void)
{
    return last_error;
}

static int in_mem(const dpi_t *d, uint64_t pa, uint32_t len)
{
    return pa < d->mem_bytes && len <= d->mem_bytes - pa;
}

static int dpi_read(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t kind,
                    uint32_t *latency)
{
    dpi_t *d = (dpi_t *)ctx;
    (void)kind;
    (void)latency;
    if (d->mem) {
        if (!in_mem(d, pa, len))
            return SMMU_MEM_ABORT;
        memcpy(buf, d->mem + pa, len);
        return SMMU_MEM_OK;
    }
    uint8_t *out = (uint8_t *)buf;
    uint64_t end = pa + len;
    for (uint64_t w = pa & ~7ull; w < end; w += 8) {
        unsigned long long v = 0;
        if (smmu_sv_mem_read64(w, &v))
            return SMMU_MEM_ABORT;
        for (unsigned b = 0; b < 8; b++)
            if (w + b >= pa && w + b < end)
                out[w + b - pa] = (uint8_t)(v >> (8 * b));
    }
    return SMMU_MEM_OK;
}

static int dpi_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                     smmu_access_kind_t kind, uint32_t *latency)
{
    dpi_t *d = (dpi_t *)ctx;
    (void)kind;
    (void)latency;
    if (d->mem) {
        if (!in_mem(d, pa, len))
            return SMMU_MEM_ABORT;
        memcpy(d->mem + pa, buf, len);
        return SMMU_MEM_OK;
    }
    const uint8_t *in = (const uint8_t *)buf;
    uint64_t end = pa + len;
    for (uint64_t w = pa & ~7ull; w < end; w += 8) {
        unsigned long long v = 0;
        unsigned char be = 0;
        for (unsigned b = 0; b < 8; b++)
            if (w + b >= pa && w + b < end) {
                v |= (unsigned long long)in[w + b - pa] << (8 * b);
                be |= (unsigned char)(1u << b);
            }
        if (smmu_sv_mem_write64(w, v, be))
            return SMMU_MEM_ABORT;
    }
    return SMMU_MEM_OK;
}

static void dpi_irq(void *ctx, smmu_irq_t irq)
{
    (void)ctx;
    smmu_sv_irq((int)irq);
}

static void dpi_event(void *ctx, const smmu_event_t *ev, int recorded)
{
    dpi_t *d = (dpi_t *)ctx;
    (void)recorded;
    unsigned slot = (d->ev_head + d->ev_count) % DPI_EVENTS;
    if (d->ev_count == DPI_EVENTS)
        d->ev_head = (d->ev_head + 1) % DPI_EVENTS;
    else
        d->ev_count++;
    smmu_event_encode(ev, d->ev[slot]);
}

void *smmu_dpi_create(const char *preset, unsigned long long mem_bytes);
void *smmu_dpi_create(const char *preset, unsigned long long mem_bytes)
{
    smmu_config_t cfg;
    /* Any built-in preset's configuration (smmu_preset_get); the DPI calls
     * carry no cycles, so a preset's timing is not used. */
    if (!preset || !preset[0]) {
        smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    } else if (smmu_preset_get(preset, &cfg, NULL) != SMMU_OK) {
        size_t n = (size_t)snprintf(last_error, sizeof last_error,
                                    "unknown preset \"%s\" (\"\" or one of:", preset);
        for (unsigned i = 0; i < smmu_preset_count() && n < sizeof last_error; i++)
            n += (size_t)snprintf(last_error + n, sizeof last_error - n, " %s",
                                  smmu_preset_name(i));
        if (n < sizeof last_error)
            snprintf(last_error + n, sizeof last_error - n, ")");
        return NULL;
    }
    dpi_t *d = (dpi_t *)calloc(1, sizeof *d);
    if (!d) {
        snprintf(last_error, sizeof last_error, "out of memory");
        return NULL;
    }
    if (mem_bytes) {
        d->mem = (uint8_t *)calloc(1, (size_t)mem_bytes);
        if (!d->mem) {
            free(d);
            snprintf(last_error, sizeof last_error, "cannot allocate %llu bytes of memory",
                     mem_bytes);
            return NULL;
        }
        d->mem_bytes = mem_bytes;
    }
    smmu_mem_ops_t ops = {0};
    ops.read = dpi_read;
    ops.write = dpi_write;
    ops.raise_irq = dpi_irq;
    ops.on_event = dpi_event;
    d->smmu = smmu_create(&cfg, &ops, d, last_error, sizeof last_error);
    if (!d->smmu) {
        free(d->mem);
        free(d);
        return NULL;
    }
    if (d->mem)
        smmu_set_direct_memory(d->smmu, 0, d->mem, d->mem_bytes);
    return d;
}

void smmu_dpi_destroy(void *h);
void smmu_dpi_destroy(void *h)
{
    dpi_t *d = (dpi_t *)h;
    if (!d)
        return;
    smmu_destroy(d->smmu);
    free(d->mem);
    free(d);
}

int smmu_dpi_mmio_write(void *h, unsigned long long off, unsigned long long val, int size);
int smmu_dpi_mmio_write(void *h, unsigned long long off, unsigned long long val, int size)
{
    if (!h || size < 0)
        return SMMU_ERR_INVAL;
    return smmu_mmio_write(((dpi_t *)h)->smmu, off, val, (unsigned)size);
}

int smmu_dpi_mmio_read(void *h, unsigned long long off, int size, unsigned long long *val);
int smmu_dpi_mmio_read(void *h, unsigned long long off, int size, unsigned long long *val)
{
    uint64_t v = 0;
    if (!h || size < 0)
        return SMMU_ERR_INVAL;
    int st = smmu_mmio_read(((dpi_t *)h)->smmu, off, (unsigned)size, &v);
    *val = v;
    return st;
}

int smmu_dpi_translate(void *h, unsigned sid, unsigned char ssv, unsigned ssid,
                       unsigned char write, unsigned char instr, unsigned char priv,
                       unsigned long long addr, unsigned size, unsigned long long *pa,
                       int *outcome, int *event_type);
int smmu_dpi_translate(void *h, unsigned sid, unsigned char ssv, unsigned ssid,
                       unsigned char write, unsigned char instr, unsigned char priv,
                       unsigned long long addr, unsigned size, unsigned long long *pa,
                       int *outcome, int *event_type)
{
    if (!h)
        return SMMU_ERR_INVAL;
    smmu_request_t rq;
    smmu_response_t rs;
    memset(&rq, 0, sizeof rq);
    rq.sid = sid;
    rq.ssv = ssv & 1;
    rq.ssid = ssid;
    rq.write = write & 1;
    rq.instr = instr & 1;
    rq.priv = priv & 1;
    rq.addr = addr;
    rq.size = size;
    int st = smmu_translate(((dpi_t *)h)->smmu, &rq, &rs);
    *pa = rs.pa;
    *outcome = rs.outcome;
    *event_type = rs.event;
    return st;
}

int smmu_dpi_take_event(void *h, unsigned *rec);
int smmu_dpi_take_event(void *h, unsigned *rec)
{
    dpi_t *d = (dpi_t *)h;
    if (!d || !d->ev_count)
        return 0;
    memcpy(rec, d->ev[d->ev_head], 8 * sizeof(unsigned));
    d->ev_head = (d->ev_head + 1) % DPI_EVENTS;
    d->ev_count--;
    return 1;
}

int smmu_dpi_mem_write64(void *h, unsigned long long pa, unsigned long long data);
int smmu_dpi_mem_write64(void *h, unsigned long long pa, unsigned long long data)
{
    dpi_t *d = (dpi_t *)h;
    if (!d || !d->mem || !in_mem(d, pa, 8))
        return SMMU_ERR_INVAL;
    for (unsigned b = 0; b < 8; b++)
        d->mem[pa + b] = (uint8_t)(data >> (8 * b));
    return 0;
}

int smmu_dpi_mem_read64(void *h, unsigned long long pa, unsigned long long *data);
int smmu_dpi_mem_read64(void *h, unsigned long long pa, unsigned long long *data)
{
    dpi_t *d = (dpi_t *)h;
    *data = 0;
    if (!d || !d->mem || !in_mem(d, pa, 8))
        return SMMU_ERR_INVAL;
    for (unsigned b = 0; b < 8; b++)
        *data |= (unsigned long long)d->mem[pa + b] << (8 * b);
    return 0;
}
