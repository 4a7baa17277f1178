/* SPDX-License-Identifier: Apache-2.0 */
/* Side-effect-free translation (debug.c), for the driver-checker. */
#ifndef SMMU_DEBUG_H
#define SMMU_DEBUG_H

#include "smmu/smmu.h"

/* smmu_translate_debug from memory only: the STE and CD are fetched and
 * decoded even when the configuration cache holds them, so that the result
 * is what the tables say now (checker.c compares it with what a
 * translation answered). No event, cache fill, statistic or memory write. */
void smmu_translate_fresh(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);

#endif
