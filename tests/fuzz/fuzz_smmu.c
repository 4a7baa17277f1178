/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: one SMMU instance driven by the fuzzer's bytes through
 * every input surface at once -- configuration choices, MMIO writes and
 * reads, memory contents (tables, queues, commands) and transactions. The
 * property checked is the core's contract: no crash, no undefined
 * behaviour (built with ASan + UBSan), every call returns a defined status.
 *
 *   bash scripts/fuzz.sh [seconds]
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"

#define MEM_BITS 20 /* 1 MiB of simulated memory; addresses wrap into it */
#define MEM_SIZE (1u << MEM_BITS)

typedef struct fz {
    const uint8_t *p;
    size_t n;
    uint8_t *mem;
} fz_t;

static uint64_t take(fz_t *f, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes && f->n; i++, f->p++, f->n--)
        v |= (uint64_t)*f->p << (8 * i);
    return v;
}

static int fz_read(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t k,
                   uint32_t *lat)
{
    fz_t *f = ctx;
    (void)k;
    (void)lat;
    if ((pa >> MEM_BITS) == 0xF) /* a region that aborts */
        return 1;
    for (uint32_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = f->mem[(pa + i) & (MEM_SIZE - 1)];
    return 0;
}

static int fz_write(void *ctx, uint64_t pa, const void *buf, uint32_t len, smmu_access_kind_t k,
                    uint32_t *lat)
{
    fz_t *f = ctx;
    (void)k;
    (void)lat;
    if ((pa >> MEM_BITS) == 0xF)
        return 1;
    for (uint32_t i = 0; i < len; i++)
        f->mem[(pa + i) & (MEM_SIZE - 1)] = ((const uint8_t *)buf)[i];
    return 0;
}

static int fz_cas(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *old)
{
    fz_t *f = ctx;
    uint64_t cur;
    if (fz_read(f, pa, &cur, 8, SMMU_ACC_TT_UPDATE, NULL))
        return 1;
    *old = cur;
    if (cur == expected)
        fz_write(f, pa, &desired, 8, SMMU_ACC_TT_UPDATE, NULL);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t *mem;
    if (!mem)
        mem = malloc(MEM_SIZE);
    if (!mem)
        return 0;
    fz_t f = {data, size, mem};
    memset(mem, 0, MEM_SIZE);

    /* Configuration: a few choices from the first bytes. */
    smmu_config_t cfg;
    uint64_t c = take(&f, 4);
    smmu_config_default(&cfg, (smmu_arch_t)(c & 3));
    cfg.oas = (uint8_t)((c >> 2) % 7);
    cfg.httu = (uint8_t)((c >> 5) % 3);
    cfg.tlb_sets = (c >> 7) & 1 ? 0 : 16;
    cfg.utlb_entries = (c >> 8) & 1 ? 0 : 16;
    cfg.walk_cache_sets = (c >> 9) & 1 ? 0 : 8;
    cfg.cfg_cache_entries = (c >> 10) & 1 ? 0 : 16;
    cfg.attr_perms_ovr = (c >> 11) & 1;
    cfg.sidsize = (uint8_t)((c >> 12) & 15);
    cfg.ssidsize = (uint8_t)((c >> 16) % 21);
    smmu_mem_ops_t ops = {0};
    ops.read = fz_read;
    ops.write = fz_write;
    ops.cas64 = ((c >> 21) & 1) ? fz_cas : NULL;
    smmu_t *s = smmu_create(&cfg, &ops, &f, NULL, 0);
    if (!s)
        return 0; /* a configuration the check rejects: fine */

    while (f.n) {
        unsigned op = (unsigned)take(&f, 1);
        switch (op & 7) {
        case 0:
        case 1: { /* MMIO write, favouring the defined registers */
            unsigned size = (op & 8) ? 8 : 4;
            uint64_t off = take(&f, 1) * 4;
            if (op & 16)
                off += SMMU_PAGE1;
            off &= ~(uint64_t)(size - 1);
            uint64_t v = take(&f, size);
            if (smmu_mmio_write(s, off, v, size) != SMMU_OK)
                abort();
            break;
        }
        case 2: { /* MMIO read */
            uint64_t v, off = (take(&f, 2) * 4) & 0x1FFFC;
            if (smmu_mmio_read(s, off, 4, &v) != SMMU_OK)
                abort();
            break;
        }
        case 3:
        case 4: { /* memory: 8 bytes somewhere in the first MiB */
            uint64_t at = take(&f, 3) & (MEM_SIZE - 8) & ~7ull;
            uint64_t v = take(&f, 8);
            memcpy(mem + at, &v, 8);
            break;
        }
        default: { /* a transaction */
            smmu_request_t rq;
            smmu_response_t rs;
            memset(&rq, 0, sizeof rq);
            uint64_t a = take(&f, 4);
            rq.sid = (uint32_t)(a & 0xFF);
            rq.ssv = (a >> 8) & 1;
            rq.ssid = (uint32_t)((a >> 9) & 0xFF);
            rq.write = (a >> 17) & 1;
            rq.instr = (a >> 18) & 1;
            rq.priv = (a >> 19) & 1;
            rq.pcie = (a >> 20) & 1;
            rq.ats = (uint8_t)((a >> 21) % 3);
            rq.addr = take(&f, (a >> 24) & 1 ? 8 : 4);
            rq.size = 4;
            if (smmu_translate(s, &rq, &rs) != SMMU_OK || rs.outcome > SMMU_XLATE_BUSY)
                abort();
            break;
        }
        }
    }
    smmu_destroy(s);
    return 0;
}
