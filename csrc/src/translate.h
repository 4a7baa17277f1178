/* The translation procedure (3.3): request -> STE -> CD -> walk -> response. */
#ifndef SMMU_TRANSLATE_H
#define SMMU_TRANSLATE_H

#include <stdint.h>

#include "smmu/smmu.h"
#include "strtab.h"

/* F_UUT Reason values (IMPLEMENTATION DEFINED, 7.3.2; docs/translation.md). */
#define SMMU_UUT_REASON_ATS 1u /* ATS Translated/Translation Request without IDR0.ATS */

/* Translate an IPA through the STE's stage 2 for a configuration-structure
 * or table fetch (nested, 3.3). When the STE has no stage 2, *pa = ipa.
 * Returns 0, or an event type with *ev filled as a stage-2 fault (S2 = 1,
 * CLASS = cls, IPA = ipa, InputAddr and RnW left for the caller). */
int smmu_nested_ipa_to_pa(smmu_t *s, const smmu_ste_t *ste, uint64_t ipa, uint8_t cls, uint64_t *pa,
                          smmu_event_t *ev);

#endif
