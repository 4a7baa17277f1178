/* SPDX-License-Identifier: Apache-2.0 */
/* A flat simulated physical memory and a 4K 4-level table writer, shared by
 * the example program and smmu-bench. Header-only, C11. */
#ifndef SMMU_EXAMPLES_FLATMEM_H
#define SMMU_EXAMPLES_FLATMEM_H

#include <stdint.h>
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"

typedef struct flatmem {
    uint8_t *m;
    uint64_t size;
    uint64_t next; /* bump allocator for translation tables */
} flatmem_t;

static inline int flatmem_read(void *ctx, uint64_t pa, void *buf, uint32_t len,
                               smmu_access_kind_t k, uint32_t *lat)
{
    flatmem_t *fm = (flatmem_t *)ctx;
    (void)k;
    (void)lat;
    if (pa >= fm->size || len > fm->size - pa)
        return 1; /* external abort */
    if (len == 8) /* descriptors: a fixed-size copy the compiler inlines */
        memcpy(buf, fm->m + pa, 8);
    else
        memcpy(buf, fm->m + pa, len);
    return 0;
}

static inline int flatmem_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                                smmu_access_kind_t k, uint32_t *lat)
{
    flatmem_t *fm = (flatmem_t *)ctx;
    (void)k;
    (void)lat;
    if (pa >= fm->size || len > fm->size - pa)
        return 1;
    memcpy(fm->m + pa, buf, len);
    return 0;
}

static inline void flatmem_w64(flatmem_t *fm, uint64_t pa, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        fm->m[pa + i] = (uint8_t)(v >> (8 * i));
}

static inline uint64_t flatmem_r64(const flatmem_t *fm, uint64_t pa)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)fm->m[pa + i] << (8 * i);
    return v;
}

static inline uint32_t flatmem_r32(const flatmem_t *fm, uint64_t pa)
{
    return (uint32_t)flatmem_r64(fm, pa);
}

static inline uint64_t flatmem_alloc_table(flatmem_t *fm)
{
    uint64_t t = fm->next;
    fm->next += 4096;
    memset(fm->m + t, 0, 4096);
    return t;
}

/* Map one 4K page ia -> oa in the 4-level, 4K-granule table at root
 * (tables addressed by PA). leaf_attrs are ORed into the page descriptor
 * (AF, AP, SH, AttrIndx for stage 1; AF, S2AP, MemAttr for stage 2). */
static inline void flatmem_map4k(flatmem_t *fm, uint64_t root, uint64_t ia, uint64_t oa,
                                 uint64_t leaf_attrs)
{
    uint64_t table = root;
    for (int level = 0; level < 3; level++) {
        unsigned shift = 39 - 9 * (unsigned)level;
        uint64_t d = table + ((ia >> shift) & 511) * 8;
        uint64_t desc = flatmem_r64(fm, d);
        if (!(desc & 1)) {
            desc = flatmem_alloc_table(fm) | 3;
            flatmem_w64(fm, d, desc);
        }
        table = desc & SMMU_MASK(47, 12);
    }
    flatmem_w64(fm, table + ((ia >> 12) & 511) * 8, (oa & SMMU_MASK(47, 12)) | leaf_attrs | 3);
}

/* Stage-1 page: AF, inner shareable, AP = 0b00 (privileged RW). */
#define FLATMEM_S1_PAGE (SMMU_BIT(10) | SMMU_PUT(3, 9, 8))
/* Stage-1 page readable and writable at EL0: AP = 0b01. */
#define FLATMEM_S1_PAGE_EL0 (FLATMEM_S1_PAGE | SMMU_BIT(6))
/* Stage-2 page: AF, S2AP = RW, MemAttr Normal WB. */
#define FLATMEM_S2_PAGE (SMMU_BIT(10) | SMMU_PUT(3, 7, 6) | SMMU_PUT(0xF, 5, 2))

#endif
