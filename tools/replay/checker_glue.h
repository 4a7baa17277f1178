/* SPDX-License-Identifier: Apache-2.0 */
/* smmu-replay and the driver-checker (smmu/smmu_checker.h,
 * docs/conformance.md): the scenario key `checker: {expect: [ID, ...]}`,
 * the --checker option, violation lines (text and JSON) and the pass rule
 * (exactly the expected rules fire). */
#ifndef SMMU_TOOLS_CHECKER_GLUE_H
#define SMMU_TOOLS_CHECKER_GLUE_H

#include <stdint.h>
#include <stdio.h>

#include "rmem.h"
#include "smmu/smmu.h"
#include "ydoc.h"

/* The scenario's `checker:` key (parsed by checker_parse). */
typedef struct replay_checker_spec {
    int on;                          /* the key is present */
    const yaml_node_t *node;         /* the key's value */
    const char **expect;             /* rule ids */
    const yaml_node_t **expect_node;
    size_t nexpect;
} replay_checker_spec_t;

/* Parse `checker: {expect: [ID, ...]}`; errors through yerr (exit 2:
 * file:line:column, an unknown id with the nearest one). */
void checker_parse(ydoc_t *d, const yaml_node_t *v, replay_checker_spec_t *spec);
void checker_spec_free(replay_checker_spec_t *spec);

/* platform: msi_bypass: [{base, size, sids: [N, ...]}]: the StreamIDs whose
 * transactions to the region bypass the SMMU (all = 1: no sids key, every
 * StreamID). Parsed by checker_parse_sids (errors through yerr). */
typedef struct replay_sid_list {
    uint32_t *sid;
    size_t n;
    int all;
} replay_sid_list_t;
void checker_parse_sids(ydoc_t *d, const yaml_node_t *v, replay_sid_list_t *out);
/* Does the list hold sid? */
int checker_sid_listed(const replay_sid_list_t *l, uint32_t sid);

/* One run's checker: where violations go and what fired. */
typedef struct replay_checker {
    int on;
    const replay_checker_spec_t *spec;
    const char *file;
    int json, quiet;
    FILE *out;           /* the current step's output (JSON: its pending lines) */
    size_t step_index;
    unsigned line;
    uint64_t unexpected; /* violations of rules not expected: failures */
    uint64_t violations;
    uint8_t fired[64];   /* by rule index */
    uint32_t msi_reported[16]; /* StreamIDs NESTED_WITH_HW_MSI was reported for */
    size_t nmsi_reported;
} replay_checker_t;

/* Turn the checker on for smmu when --checker or the scenario key asks. */
int checker_start(replay_checker_t *c, smmu_t *smmu, const replay_checker_spec_t *spec,
                  int option, const char *file, int json, int quiet);
/* After each step: NESTED_WITH_HW_MSI (the Linux v16 nesting policy, not an
 * architecture rule): a nested STE (V = 1, Config 0b111) visible with
 * SMMUEN = 1 for a StreamID an msi_bypass region lists (with a region that
 * lists none: the StreamID of this step's transaction, xlate_sid >= 0). */
void checker_step_end(replay_checker_t *c, smmu_t *smmu, rmem_t *mem,
                      const replay_sid_list_t *lists, size_t nlists, int64_t xlate_sid);
/* After the run: expected rules that did not fire are reported (text
 * `file:line:column: FAILED: ...` or a JSON fail line on out). Returns the
 * number of failures the checker adds (unexpected + missing). */
uint64_t checker_finish(replay_checker_t *c, FILE *out, size_t step_index);

#endif
