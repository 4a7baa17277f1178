/* SPDX-License-Identifier: Apache-2.0 */
/* Queue geometry and pointer arithmetic shared by the command queue, the
 * event queue and the PRI queue (3.5.1 circular queues; 6.3.26-6.3.35,
 * 6.3.95-6.3.96 registers). A pointer is the index [QS-1:0] plus the wrap
 * bit [QS], QS = the effective log2 of the entry count. */
#ifndef SMMU_QUEUE_H
#define SMMU_QUEUE_H

#include <stdint.h>

#include "smmu/smmu_regs.h"
#include "smmu/smmu.h"

/* Effective queue size log2(entries): MIN(BASE.LOG2SIZE, IDR1.xQS)
 * (6.3.26, 6.3.29, 6.3.33). */
unsigned smmu_cmdq_log2size(const smmu_t *s);
unsigned smmu_eventq_log2size(const smmu_t *s);
unsigned smmu_priq_log2size(const smmu_t *s);

/* Effective queue base PA: ADDR[55:5] truncated to the OAS and aligned to
 * the larger of the queue size in bytes and 32 (6.3.26, 6.3.29, 6.3.33). */
uint64_t smmu_queue_base(const smmu_t *s, uint64_t base_reg, unsigned log2size,
                         unsigned entry_bytes);

/* Index + wrap bits [qs:0] of a queue pointer (6.3.27, 6.3.95). */
static inline uint32_t smmu_qptr_mask(unsigned qs)
{
    return (uint32_t)SMMU_MASK(qs, 0);
}

/* The index [qs-1:0] of a pointer (wrap bit and everything above dropped). */
static inline uint32_t smmu_qptr_index(uint32_t ptr, unsigned qs)
{
    return ptr & (smmu_qptr_mask(qs) >> 1);
}

/* 3.5.1: empty when the indexes and the wrap bits are equal. */
static inline int smmu_queue_empty(uint32_t prod, uint32_t cons, unsigned qs)
{
    return ((prod ^ cons) & smmu_qptr_mask(qs)) == 0;
}

/* 3.5.1: full when the indexes are equal and the wrap bits differ. */
static inline int smmu_queue_full(uint32_t prod, uint32_t cons, unsigned qs)
{
    return ((prod ^ cons) & smmu_qptr_mask(qs)) == (uint32_t)SMMU_BIT(qs);
}

/* A pointer register moved on by one entry: index + 1, toggling the wrap
 * bit when the index wraps; every bit above [qs:0] (CMDQ_CONS.ERR,
 * EVENTQ_PROD.OVFLG) is kept. */
static inline uint32_t smmu_qptr_advance(uint32_t reg, unsigned qs)
{
    uint32_t m = smmu_qptr_mask(qs);
    return (reg & ~m) | ((reg + 1u) & m);
}

/* Address of the entry a pointer designates. */
static inline uint64_t smmu_queue_slot(uint64_t base, uint32_t ptr, unsigned qs,
                                       unsigned entry_bytes)
{
    return base + (uint64_t)smmu_qptr_index(ptr, qs) * entry_bytes;
}

#endif
