/* SPDX-License-Identifier: Apache-2.0 */
/* Small field and byte-order helpers shared by the core (FIELD_GET style). */
#ifndef SMMU_BITS_H
#define SMMU_BITS_H

#include <stdint.h>
#include <string.h>

#include "smmu/smmu_regs.h"

/* Bits [hi:lo] of a multi-word little-endian structure held as uint64_t
 * words (STE, CD, commands): field position as the spec numbers it. */
static inline uint64_t smmu_field(const uint64_t *w, unsigned hi, unsigned lo)
{
    unsigned wi = lo / 64, sh = lo % 64, n = hi - lo + 1;
    uint64_t v = w[wi] >> sh;
    if (sh + n > 64)
        v |= w[wi + 1] << (64 - sh);
    return n == 64 ? v : (v & ((1ull << n) - 1));
}

static inline uint64_t smmu_bswap64(uint64_t v)
{
    return __builtin_bswap64(v);
}

/* Convert a 64-bit value read from memory (memory byte order copied into a
 * host integer) to its numeric value, for a little- or big-endian table. */
static inline uint64_t smmu_from_mem64(uint64_t raw, int big_endian)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return big_endian ? raw : smmu_bswap64(raw);
#else
    return big_endian ? smmu_bswap64(raw) : raw;
#endif
}
#define smmu_to_mem64 smmu_from_mem64

static inline uint32_t smmu_from_mem32(uint32_t raw)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap32(raw);
#else
    return raw;
#endif
}
#define smmu_to_mem32 smmu_from_mem32

/* Size in bits encoded by OAS/IPS/PS (6.3.6, 5.4): 0:32 1:36 2:40 3:42 4:44
 * 5:48 6:52 (7 treated as 6 by callers that allow it). */
static inline unsigned smmu_pa_bits(unsigned enc)
{
    static const uint8_t bits[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    return bits[enc & 7];
}

#endif
