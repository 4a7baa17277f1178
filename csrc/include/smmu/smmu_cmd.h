/* SPDX-License-Identifier: Apache-2.0 */
/** @file
 * SMMUv3 command encoder (IHI 0070 G.b, chapter 4): a command written as
 * named fields, encoded into the two 64-bit words of a 16-byte CMDQ entry.
 *
 * Used by tools (smmu-replay) and tests so that command layouts are written
 * once. Fields that a command does not have are ignored by the encoder;
 * smmu_cmd_field_applies() tells which fields a command has.
 */
#ifndef SMMU_SMMU_CMD_H
#define SMMU_SMMU_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "smmu_export.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Every command parameter of chapter 4. Values are the field encodings;
 * each member names the field and its position in word 0 (w0, bits
 * [63:0]) or word 1 (w1, bits [127:64]) of the commands that have it, as in
 * the command's section (4.2-4.7; the SMMU_CMD_* opcodes in smmu_regs.h
 * name it). */
typedef struct smmu_cmd {
    uint8_t opcode;   /**< SMMU_CMD_* */
    uint8_t ssec;     /**< SSec, w0[10] (must be 0 on the Non-secure queue) */
    uint8_t ssv;      /**< SSV, w0[11] */
    uint8_t leaf;     /**< Leaf, w1[0] */
    uint8_t global;   /**< ATC_INV Global, w0[9] */
    uint8_t range;    /**< CFGI_STE_RANGE Range, w1[4:0] (31 = CFGI_ALL) */
    uint8_t num;      /**< TLBI range NUM, w0[16:12] */
    uint8_t scale;    /**< TLBI range SCALE, w0[24:20] */
    uint8_t ttl;      /**< TLBI TTL, w1[9:8] */
    uint8_t tg;       /**< TLBI TG, w1[11:10] */
    uint8_t size;     /**< PREFETCH_ADDR Size w1[4:0]; ATC_INV Size w1[5:0] */
    uint8_t stride;   /**< PREFETCH_ADDR Stride w1[11:8] */
    uint8_t ns;       /**< PREFETCH_ADDR NS w1[7] */
    uint8_t cs;       /**< CMD_SYNC CS, w0[13:12] */
    uint8_t msh;      /**< CMD_SYNC MSH, w0[23:22] */
    uint8_t msiattr;  /**< CMD_SYNC MSIAttr, w0[27:24] */
    uint8_t resp;     /**< PRI_RESP Resp, w1[13:12] / RESUME Action (Ac, 1 = retry)
                           w0[12] (a value 2 sets Ab, as Linux's RESP_ABORT) */
    uint8_t ab;       /**< RESUME Abort (Ab), w0[13] */
    uint16_t asid;    /**< w0[63:48] */
    uint16_t vmid;    /**< w0[47:32] */
    uint16_t stag;    /**< RESUME STAG, w1[15:0] */
    uint16_t prgindex;/**< PRI_RESP PRGIndex, w1[8:0] */
    uint32_t sid;     /**< StreamID, w0[63:32] */
    uint32_t ssid;    /**< SubstreamID, w0[31:12] */
    uint32_t msidata; /**< CMD_SYNC MSIData, w0[63:32] */
    uint64_t addr;    /**< Address/IPA/VA, w1[63:12] */
    uint64_t msiaddr; /**< CMD_SYNC MSIAddress[55:2], w1[55:2] */
} smmu_cmd_t;

/** Encode *cmd into out[0] (bits [63:0]) and out[1] (bits [127:64]).
 * Fields are truncated to their width. Returns 0, or -1 (out zeroed) for an
 * opcode this encoder does not know. */
SMMU_API int smmu_cmd_encode(const smmu_cmd_t *cmd, uint64_t out[2]);

/** Opcode of a command name ("CMD_SYNC", also without the "CMD_" prefix,
 * case-insensitive), or -1. "CMD_CFGI_ALL" gives CMD_CFGI_STE_RANGE. */
SMMU_API int smmu_cmd_by_name(const char *name);

/** Initialise *cmd (zeroed) for the named command: sets the opcode, and
 * Range = 31 for CMD_CFGI_ALL. Returns 0 or -1 for an unknown name. */
SMMU_API int smmu_cmd_init_by_name(smmu_cmd_t *cmd, const char *name);

/** Canonical name of an opcode ("CMD_SYNC"), or NULL. */
SMMU_API const char *smmu_cmd_name(unsigned opcode);
/** i-th known command name (CMD_CFGI_ALL included), NULL past the end. */
SMMU_API const char *smmu_cmd_name_at(size_t i);

/** Field access by name, for tools. Names are the smmu_cmd_t member names
 * ("sid", "ssid", "asid", ...); "action" is accepted for "resp". */
/** i-th field name, NULL past the end. */
SMMU_API const char *smmu_cmd_field_name_at(size_t i);
/** Width in bits of a field, 0 for an unknown name. */
SMMU_API unsigned smmu_cmd_field_width(const char *field);
/** 1 if the command with this opcode has the field, else 0. */
SMMU_API int smmu_cmd_field_applies(unsigned opcode, const char *field);
/** Set a field: 0 on success, -1 unknown field, -2 value wider than the field
 * (the field is left unchanged). */
SMMU_API int smmu_cmd_set_field(smmu_cmd_t *cmd, const char *field, uint64_t value);

#ifdef __cplusplus
}
#endif
#endif /* SMMU_SMMU_CMD_H */
