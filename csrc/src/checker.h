/* SPDX-License-Identifier: Apache-2.0 */
/* Driver-checker (smmu/smmu_checker.h, docs/conformance.md): the hooks the
 * rest of the core calls, each only when smmu_t.chk is set (one test of a
 * pointer at a cold point: register write, command consumption, reset; a
 * translation reaches the checker only through translate.c's gate, which
 * the micro-TLB hit path never tests). */
#ifndef SMMU_CHECKER_INTERNAL_H
#define SMMU_CHECKER_INTERNAL_H

#include <stdint.h>

#include "smmu/smmu.h"

struct smmu_utlb_entry;

/* A translation with the checker on: the translation itself (micro-TLB,
 * timing and all), then its checks (STALE_TLB, MISSING_SYNC) and the record
 * of the structures and descriptors it used. */
smmu_status_t smmu_checker_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);
/* An MMIO write about to be applied (register rules). */
void smmu_checker_reg_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size);
/* A command about to be executed; cons = CMDQ_CONS (its index). */
void smmu_checker_cmd(smmu_t *s, uint32_t cons, const uint64_t w[2]);
/* smmu_reset: forget everything seen. */
void smmu_checker_reset(smmu_t *s);
/* smmu_destroy: free the state, giving the micro-TLB back. */
void smmu_checker_free(smmu_t *s);
/* The micro-TLB entries the checker keeps aside while on (NULL when off). */
struct smmu_utlb_entry *smmu_checker_utlb(const smmu_t *s);

#endif
