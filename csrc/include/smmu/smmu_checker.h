/* SPDX-License-Identifier: Apache-2.0 */
/** @file smmu_checker.h
 * Driver-checker mode (docs/conformance.md): while enabled, the model
 * watches what software does (register writes, commands, memory writes
 * reported with smmu_note_mem_write, translations) and reports each
 * departure from the programming rules of IHI 0070 G.b as a violation
 * naming its rule id (the table of smmu_checker_rule_at). Off by default;
 * when off it costs the translation path nothing (docs/conformance.md). */
#ifndef SMMU_CHECKER_H
#define SMMU_CHECKER_H

#include <stddef.h>
#include <stdint.h>

#include "smmu/smmu.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One violation of a programming rule, passed to the on_violation callback.
 * The strings are valid for the duration of the call only. */
typedef struct smmu_violation {
    const char *rule;    /**< rule id, e.g. "STALE_TLB" (smmu_checker_rule_at) */
    const char *section; /**< IHI 0070 G.b section the rule comes from, e.g. "3.21.1" */
    int64_t sid;         /**< StreamID concerned, -1 when none */
    int64_t ssid;        /**< SubstreamID concerned, -1 when none */
    uint64_t addr;       /**< address concerned (PA of a structure or descriptor, the
                              transaction's input address, a register offset), 0 when none */
    int64_t cmd_index;   /**< CMDQ index (CMDQ_CONS value) of the command concerned, -1 when none */
    const char *message; /**< one-line explanation */
} smmu_violation_t;

/** Violation callback: ctx as given to smmu_checker_enable. It must not
 * call back into the same SMMU instance. */
typedef void (*smmu_violation_fn)(void *ctx, const smmu_violation_t *v);

/** Turn the checker on (or replace its callback). State it builds starts
 * empty: configuration and translations seen before this call are not
 * known to it. Returns SMMU_ERR_INVAL for a NULL smmu or callback,
 * SMMU_ERR_NOMEM when its state cannot be allocated. */
SMMU_API smmu_status_t smmu_checker_enable(smmu_t *smmu, smmu_violation_fn on_violation, void *ctx);

/** Turn the checker off and free its state. No effect when it is off. */
SMMU_API void smmu_checker_disable(smmu_t *smmu);

/** Tell the checker that software wrote len bytes at pa (after the write:
 * the new contents are in memory). Without the checker it does nothing.
 * Structures and descriptors the SMMU read are compared with what it read. */
SMMU_API void smmu_note_mem_write(smmu_t *smmu, uint64_t pa, uint32_t len);

/** Number of rules the checker knows (the rows of docs/conformance.md). */
SMMU_API size_t smmu_checker_rule_count(void);

/** Rule i (0 <= i < smmu_checker_rule_count()): its id, the spec section
 * it comes from and a one-line explanation (each may be NULL to skip).
 * Returns 0, or -1 when i is out of range. */
SMMU_API int smmu_checker_rule_at(size_t i, const char **id, const char **section,
                                  const char **explanation);

#ifdef __cplusplus
}
#endif

#endif
