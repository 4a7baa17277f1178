/* SPDX-License-Identifier: Apache-2.0 */
/* PRI queue producer and PRG responses (chapter 8, 4.5.2): see priq.c. */
#ifndef SMMU_PRIQ_H
#define SMMU_PRIQ_H

#include <stdint.h>

#include "smmu/smmu.h"

/* CMD_PRI_RESP (4.5.2): the PRG Response with code 0b1111 / 0b0001 /
 * 0b0000 for Resp 0b00 / 0b01 / 0b10 to ops.on_prg_response, with the PASID
 * when ssv and the SMMU has SubstreamIDs; IGNORED while SMMUEN == 0. */
void smmu_priq_command_response(smmu_t *s, uint32_t sid, int ssv, uint32_t ssid, unsigned prgi,
                                unsigned resp);

#endif
