/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * Cycle-approximate timing (docs/timing.md). Timing is not architected: the
 * rules here are the model's contract. Off by default (smmu_set_timing with
 * NULL): a translation then completes in its issue cycle, as before. */
#ifndef SMMU_SMMU_TIMING_H
#define SMMU_SMMU_TIMING_H

#include <stddef.h>
#include <stdint.h>

#include "smmu/smmu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SMMU_TIMING_MAX_TBUS 62 /**< most TBUs a timing may have (smmu_timing_t.num_tbus) */
#define SMMU_TIMING_ACC_KINDS 9 /**< number of smmu_access_kind_t values */

/** Timing parameters. Latencies are in cycles; resource counts of 0 mean "unlimited". */
typedef struct smmu_timing {
    uint32_t num_tbus;           /**< 1..62: smmu_request_t.tbu < num_tbus */
    uint32_t utlb_latency;       /**< TBU micro-TLB lookup */
    uint32_t tlb_latency;        /**< TBU main-TLB lookup, after a micro-TLB miss */
    uint32_t link_latency;       /**< TBU-TCU link, each way */
    uint32_t cfg_cache_latency;  /**< TCU configuration-cache lookup */
    uint32_t walk_cache_latency; /**< TCU walk-cache lookup, once per walk */
    uint32_t tbu_slots;          /**< misses outstanding per TBU */
    uint32_t tcu_slots;          /**< translations inside the TCU at once */
    uint32_t ptw_slots;          /**< table walkers */
    uint32_t max_reads;          /**< outstanding TCU reads (caps walkers) */
    uint32_t cmd_cost;           /**< cycles per command: not charged yet (docs/timing.md) */
    uint32_t dm_latency;         /**< a read of the smmu_set_direct_memory window */
    /** Latency of an access of each kind (smmu_access_kind_t) whose
     * callback left *latency unset, or that has no latency (cas64). */
    uint32_t mem_latency[SMMU_TIMING_ACC_KINDS];
} smmu_timing_t;

/** Check a timing: SMMU_OK, or SMMU_ERR_CONFIG with the field and its
 * range in msg (NUL-terminated, truncated to msg_len; msg may be NULL).
 * Ranges (docs/timing.md): num_tbus 1..62; every latency 0..1000000;
 * tbu_slots, tcu_slots, ptw_slots, max_reads 0 (unlimited)..4096. */
SMMU_API smmu_status_t smmu_timing_check(const smmu_timing_t *t, char *msg, size_t msg_len);

/** Turn timing on with a copy of *t, or off with NULL. Resets the timing
 * state and statistics (resources idle, cycle 0). SMMU_ERR_INVAL for a
 * timing smmu_timing_check refuses. Functional state is untouched. */
SMMU_API smmu_status_t smmu_set_timing(smmu_t *smmu, const smmu_timing_t *t);
/** The timing in use (NULL when off). */
SMMU_API const smmu_timing_t *smmu_get_timing(const smmu_t *smmu);

/** The model's current cycle: inside a memory callback of a translation,
 * that translation's issue cycle (docs/timing.md rule 10); otherwise the
 * latest cycle a call carried. 0 when timing is off. */
SMMU_API uint64_t smmu_current_cycle(const smmu_t *smmu);

/** Latency distribution: exact per cycle below 4096, log2 buckets above
 * (percentiles there are the bucket's upper bound). */
typedef struct smmu_latency_stats {
    uint64_t count; /**< translations measured */
    uint64_t sum;   /**< sum of their latencies, cycles */
    uint64_t max;   /**< largest latency */
    uint64_t mean;  /**< sum / count, rounded down */
    uint64_t p50;   /**< median latency */
    uint64_t p90;   /**< 90th percentile */
    uint64_t p99;   /**< 99th percentile */
    uint64_t p999;  /**< 99.9th percentile */
    /** log2[0]: latency 0; log2[i]: latency in [2^(i-1), 2^i). */
    uint64_t log2[65];
} smmu_latency_stats_t;

/** Timing statistics of one TBU or of all (smmu_get_timing_stats). */
typedef struct smmu_timing_stats {
    /* TBU side (one TBU, or all of them) */
    uint64_t translations;      /**< translations the TBU(s) answered */
    uint64_t utlb_hits;         /**< answered by the micro-TLB */
    uint64_t tlb_hits;          /**< answered by the main TLB */
    uint64_t misses;            /**< sent to the TCU */
    uint64_t merged;            /**< requests that waited for a translation in flight on
                                   their TBU, stream and 4K page (rule 9) */
    uint64_t port_wait_cycles;  /**< waiting for the TBU lookup port */
    uint64_t slot_wait_cycles;  /**< waiting for a TBU slot, TCU slot or walker */
    smmu_latency_stats_t latency; /**< issue to completion, per translation */
    /* TCU side (the same for every TBU query) */
    uint64_t walks_s1;          /**< stage-1 walks */
    uint64_t walks_s2;          /**< stage-2 walks */
    uint64_t walk_cache_hits;   /**< walks started from the walk cache */
    uint64_t tt_reads;          /**< translation-table reads */
    uint64_t cfg_misses;        /**< configuration-cache misses (STE/CD fetches) */
    uint64_t walker_busy_cycles; /**< sum over walkers of the cycles spent walking */
    uint64_t peak_walkers;      /**< most walks in progress at once */
    uint64_t commands;          /**< commands consumed */
    uint64_t command_cycles;    /**< cycles charged to them */
} smmu_timing_stats_t;

/** Statistics of TBU `tbu`, or of all TBUs with tbu = -1. SMMU_ERR_INVAL
 * when timing is off or tbu is out of range. */
SMMU_API smmu_status_t smmu_get_timing_stats(const smmu_t *smmu, int tbu, smmu_timing_stats_t *out);

/* ---- Presets (docs/timing.md gives every number and its source) ---- */

/** Number of presets built into the library. */
SMMU_API unsigned smmu_preset_count(void);
/** Name of preset i (NULL when i >= smmu_preset_count()). */
SMMU_API const char *smmu_preset_name(unsigned i);
/** One-line description of preset i (NULL when i >= smmu_preset_count()). */
SMMU_API const char *smmu_preset_description(unsigned i);

/** Fill *cfg and *t (either may be NULL) with preset `name`: "default-v3.0"
 * to "default-v3.3" (smmu_config_default, timing off: t->num_tbus = 0),
 * "functional", "mmu600", "gem5". A timing with num_tbus 0 means "off"
 * (pass NULL to smmu_set_timing). SMMU_ERR_INVAL for an unknown name,
 * nothing written. */
SMMU_API smmu_status_t smmu_preset_get(const char *name, smmu_config_t *cfg, smmu_timing_t *t);

#ifdef __cplusplus
}
#endif
#endif /* SMMU_SMMU_TIMING_H */
