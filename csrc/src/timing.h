/* SPDX-License-Identifier: Apache-2.0 */
/* Timing beside the functional model (docs/timing.md). The functional
 * translation runs unchanged; what path it took is read from the counters
 * it already keeps (statistics deltas) and from the walk's cost sink
 * (smmu_t.tm_cost, summed by walk.c beside smmu_walk_ctx_t.cost), and this file's
 * timing.c turns that path into cycles with the TBU and TCU resources. */
#ifndef SMMU_TIMING_H
#define SMMU_TIMING_H

#include <stdint.h>

#include "smmu/smmu.h"
#include "smmu/smmu_timing.h"

struct smmu_timing_state;

/* The path one translation took, as timing.c sees it. */
typedef struct smmu_tpath {
    uint8_t utlb_hit;     /* answered by the micro-TLB */
    uint8_t tlb_hit;      /* a TLB entry answered (no walk) */
    uint8_t cfg_lookup;   /* the configuration cache was looked up */
    uint8_t cfg_fetches;  /* STE/L1STD/CD/L1CD reads on a configuration miss */
    uint8_t walked;       /* at least one walk (or walk-cache lookup) */
    uint32_t walks_s1, walks_s2, wc_hits, tt_reads, httu_writes;
    uint64_t mem_cycles;  /* the walks' cost sink: read/update latencies */
} smmu_tpath_t;

/* The timed (or multi-TBU) entry of smmu_translate: translate.c's slow
 * path takes it when smmu_t.tm_gate is set or req->tbu != 0. */
smmu_status_t smmu_timing_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);

/* Lifecycle (smmu.c): back to cycle 0, idle resources, zero statistics;
 * free. */
void smmu_timing_reset(smmu_t *s);
void smmu_timing_free(smmu_t *s);

#endif
