/* SPDX-License-Identifier: Apache-2.0 */
/* The Stall model (IHI 0070 G.b 3.12.2, 4.7.1, 4.7.2, 6.3.9.6, 7.2.1):
 * stalled transactions held by STAG, and the completions that CMD_RESUME,
 * CMD_STALL_TERM, SMMUEN 1 -> 0 and retries produce.
 *
 * Model choices (docs/stall.md):
 *  - STAG = the lowest free slot, 0 .. IDR5.STALL_MAX - 1.
 *  - No duplicate suppression (3.12.2.1: permitted, not required): every
 *    stalled transaction records its own event.
 *  - No early retry (3.12.2.2): a stall is retried only by CMD_RESUME(Retry)
 *    or, when its record could not be written, once the event queue is
 *    writable again (7.2.1).
 *  - A stall whose record could not be written (queue disabled, full or in
 *    EVENTQ_ABT_ERR) keeps its slot and is retried when the queue is next
 *    writable; the retry records anew if it faults, nothing if it succeeds.
 *    The saved record is never written later, so no stale record follows a
 *    CFGI/TLBI + CMD_SYNC.
 *  - Retries run only inside smmu_take_completions (never inside an MMIO
 *    write); terminations are queued at once.
 */
#ifndef SMMU_STALL_H
#define SMMU_STALL_H

#include <stdint.h>

#include "smmu/smmu.h"
#include "stall_types.h"

/* Allocate n slots (0: no Stall model). Returns 0, or -1 out of memory. */
int smmu_stall_init(smmu_stalls_t *st, unsigned n);
void smmu_stall_free(smmu_stalls_t *st);
/* Forget every stall and completion (smmu_reset). */
void smmu_stall_reset(smmu_stalls_t *st);

/* Stall transaction req (response resp) for the event ev (3.12.2): take the lowest free STAG,
 * record ev with Stall = 1 and that STAG if the event queue is writable
 * (else keep it pending, 7.2.1: no OVFLG, no drop), fill the STALLED
 * response. With every slot taken: outcome SMMU_XLATE_BUSY, no event.
 * Always SMMU_OK. */
smmu_status_t smmu_stall_fault(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp,
                               smmu_event_t *ev);

/* CMD_RESUME (4.7.1): the stall of StreamID sid with this STAG (recorded
 * and waiting), else nothing. retry: marked for the next
 * smmu_take_completions; else terminated now (abort when ab or
 * IDR0.TERM_MODEL == 1, else RAZ/WI). */
void smmu_stall_resume(smmu_t *s, uint32_t sid, uint32_t stag, int retry, int ab);
/* CMD_STALL_TERM (4.7.2): abort every stall of StreamID sid. */
void smmu_stall_term(smmu_t *s, uint32_t sid);
/* SMMUEN 1 -> 0 (6.3.9.6): abort every stall, freeing every STAG. */
void smmu_stall_disable(smmu_t *s);
/* After a write that may make the event queue writable (EVENTQEN, CONS,
 * GERRORN): mark the pending stalls for retry (7.2.1). */
void smmu_stall_queue_check(smmu_t *s);

#endif
