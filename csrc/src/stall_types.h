/* SPDX-License-Identifier: Apache-2.0 */
/* State of the Stall model (stall.h): types only, so that the instance
 * structure (smmu_internal.h) can hold it without depending on stall.c. */
#ifndef SMMU_STALL_TYPES_H
#define SMMU_STALL_TYPES_H

#include <stdint.h>

#include "smmu/smmu.h"

enum smmu_stall_state {
    SMMU_STALL_FREE = 0,
    SMMU_STALL_WAIT,    /* recorded (or its record lost to a write abort): waits for a command */
    SMMU_STALL_PENDING, /* record not written: queue unwritable (7.2.1) */
    SMMU_STALL_RETRY,   /* to be retried by the next smmu_take_completions */
};

typedef struct smmu_stall {
    uint8_t state;    /* enum smmu_stall_state */
    uint8_t event;    /* event type of the stall */
    uint8_t recorded; /* its record reached the event queue */
    uint8_t cause;    /* else why not (smmu_resp_cause_t) */
    smmu_request_t req;
} smmu_stall_t;

typedef struct smmu_stalls {
    smmu_stall_t *slot; /* IDR5.STALL_MAX slots; index = STAG */
    uint32_t n, used;
    uint32_t pending; /* slots in SMMU_STALL_PENDING */
    smmu_completion_t *done; /* FIFO of completions not yet taken */
    uint32_t head, count, cap;
    uint8_t running; /* inside smmu_take_completions */
} smmu_stalls_t;

#endif
