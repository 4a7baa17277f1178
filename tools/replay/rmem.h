/* SPDX-License-Identifier: Apache-2.0 */
/* Sparse simulated physical memory for smmu-replay: 4 KB pages allocated on
 * first write (unwritten memory reads as zero), plus abort regions. */
#ifndef SMMU_TOOLS_RMEM_H
#define SMMU_TOOLS_RMEM_H

#include <stddef.h>
#include <stdint.h>

#define RMEM_ABORT_READ 1u
#define RMEM_ABORT_WRITE 2u

typedef struct rmem_region {
    uint64_t base, size;
    unsigned access; /* RMEM_ABORT_* */
} rmem_region_t;

typedef struct rmem {
    uint64_t *keys;      /* page number + 1, 0 = empty */
    uint8_t **pages;
    size_t cap, used;
    uint64_t last_key;   /* one-entry lookup cache */
    uint8_t *last_page;
    rmem_region_t *aborts;
    size_t naborts, abort_cap;
} rmem_t;

void rmem_init(rmem_t *m);
void rmem_free(rmem_t *m);
int rmem_add_abort(rmem_t *m, uint64_t base, uint64_t size, unsigned access);
/* 0 or -1 if any byte lies in an abort region for that access. */
int rmem_read(rmem_t *m, uint64_t pa, void *buf, size_t len);
int rmem_write(rmem_t *m, uint64_t pa, const void *buf, size_t len);
/* Accesses that ignore abort regions (the scenario's own loads). */
void rmem_load(rmem_t *m, uint64_t pa, const void *buf, size_t len);
void rmem_peek(rmem_t *m, uint64_t pa, void *buf, size_t len);

#endif
