/* SPDX-License-Identifier: Apache-2.0 */
/* Compact binary transaction trace (docs/scenario.md, "Binary traces").
 *
 *   header, 32 bytes:  "SMMUTRC1" | u32 version (1 or 2) | u32 record size
 *                      (24 or 32) | u64 record count | u64 reserved (0)
 *   record v1, 24 bytes: u64 addr | u32 sid | u32 ssid | u32 size
 *                      | u16 flags | u16 reserved (0)
 *   record v2, 32 bytes: u64 addr | u64 cycle | u32 sid | u32 ssid | u32 size
 *                      | u16 flags | u8 port | u8 reserved (0)
 *   flags: bit 0 write, 1 instruction, 2 privileged, 3 Secure, 4 SSV
 *          (SubstreamID valid), 5 PCIe; other bits reserved (0).
 *   v2: cycles non-decreasing, relative to the replay step's start; port is
 *   the TBU (smmu_request_t.tbu). v1: cycle = record index, port 0.
 * All fields little-endian. */
#ifndef SMMU_TOOLS_TRACE_H
#define SMMU_TOOLS_TRACE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define TRACE_MAGIC "SMMUTRC1"
#define TRACE_VERSION 1u
#define TRACE_HDR_SIZE 32u
#define TRACE_REC_SIZE 24u
#define TRACE_VERSION2 2u
#define TRACE_REC_SIZE2 32u

#define TRF_WRITE 0x01u
#define TRF_INSTR 0x02u
#define TRF_PRIV 0x04u
#define TRF_SECURE 0x08u
#define TRF_SSV 0x10u
#define TRF_PCIE 0x20u
#define TRF_ALL 0x3Fu

typedef struct trace_rec {
    uint64_t addr;
    uint64_t cycle; /* v2; v1: the record index */
    uint32_t sid, ssid, size;
    uint16_t flags;
    uint8_t port;   /* v2; v1: 0 */
} trace_rec_t;

typedef struct trace_reader {
    FILE *f;
    const char *path;
    unsigned version, rec_size; /* 1, 24 or 2, 32 */
    uint64_t last_cycle;        /* v2: the previous record's cycle */
    uint64_t count, next;
    unsigned char *buf;
    size_t buf_recs, buf_pos, buf_len;
} trace_reader_t;

/* Open and validate a binary trace; on error print "path: ..." to err and
 * return -1. */
int trace_open(trace_reader_t *r, const char *path, FILE *err);
/* Next batch of raw records: returns the number available at *recs (0 at
 * the end, -1 on a read error or a bad record, reported to err). */
long trace_next_batch(trace_reader_t *r, const unsigned char **recs, FILE *err);
void trace_close(trace_reader_t *r);

/* Little-endian loads; on a little-endian host each is one plain load. */
static inline uint64_t trace_ld64(const unsigned char *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
#else
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
           (uint64_t)p[7] << 56;
#endif
}

/* Bytes 16..23 of a record as one value: size in bits [31:0], flags in
 * [47:32], the reserved u16 in [63:48]. */
static inline uint64_t trace_tail(const unsigned char *p) { return trace_ld64(p + 16); }

/* Non-zero when a record tail is invalid: size 0, reserved flag bits or the
 * reserved u16 set, or both write and instruction. Branch-free. */
static inline uint64_t trace_rec_bad(uint64_t tail)
{
    uint64_t flags = tail >> 32; /* flags and the reserved u16 */
    return (flags & ~(uint64_t)TRF_ALL) |                      /* reserved bits */
           (((tail & 0xFFFFFFFFu) - 1) >> 63) |                 /* size 0 */
           (((flags & (TRF_WRITE | TRF_INSTR)) + 1) >> 2);      /* write + instr */
}

/* Decode a record that trace_next_batch has checked (v1). */
static inline void trace_decode(const unsigned char *p, trace_rec_t *t)
{
    uint64_t w1 = trace_ld64(p + 8), tail = trace_tail(p);
    t->addr = trace_ld64(p);
    t->cycle = 0;
    t->sid = (uint32_t)w1;
    t->ssid = (uint32_t)(w1 >> 32);
    t->size = (uint32_t)tail;
    t->flags = (uint16_t)(tail >> 32);
    t->port = 0;
}
/* v2: the tail (size, flags, port, reserved) is at byte 24; the check
 * ignores the port byte. */
static inline uint64_t trace_tail2(const unsigned char *p) { return trace_ld64(p + 24); }
static inline uint64_t trace_rec_bad2(uint64_t tail2)
{
    return trace_rec_bad(tail2 & ~(0xFFull << 48));
}
static inline void trace_decode2(const unsigned char *p, trace_rec_t *t)
{
    uint64_t w2 = trace_ld64(p + 16), tail = trace_tail2(p);
    t->addr = trace_ld64(p);
    t->cycle = trace_ld64(p + 8);
    t->sid = (uint32_t)w2;
    t->ssid = (uint32_t)(w2 >> 32);
    t->size = (uint32_t)tail;
    t->flags = (uint16_t)(tail >> 32);
    t->port = (uint8_t)(tail >> 48);
}
/* Record i of a batch from r (either version; v1 cycle = global index). */
static inline void trace_decode_at(const trace_reader_t *r, const unsigned char *recs,
                                   uint64_t first_index, long i, trace_rec_t *t)
{
    if (r->version == TRACE_VERSION2) {
        trace_decode2(recs + (size_t)i * TRACE_REC_SIZE2, t);
    } else {
        trace_decode(recs + (size_t)i * TRACE_REC_SIZE, t);
        t->cycle = first_index + (uint64_t)i;
    }
}
void trace_encode(const trace_rec_t *t, unsigned char p[TRACE_REC_SIZE]);
void trace_encode2(const trace_rec_t *t, unsigned char p[TRACE_REC_SIZE2]);

/* Convert the CSV form to binary. Errors are reported as
 * "csv:line:column: error: ..." to err. Returns 0, or 2 on bad input. */
int trace_convert_csv(const char *csv, const char *out, FILE *err, uint64_t *count);

#endif
