/* Compact binary transaction trace (docs/scenario.md, "Binary traces").
 *
 *   header, 32 bytes:  "SMMUTRC1" | u32 version (1) | u32 record size (24)
 *                      | u64 record count | u64 reserved (0)
 *   record, 24 bytes:  u64 addr | u32 sid | u32 ssid | u32 size
 *                      | u16 flags | u16 reserved (0)
 *   flags: bit 0 write, 1 instruction, 2 privileged, 3 Secure, 4 SSV
 *          (SubstreamID valid), 5 PCIe; other bits reserved (0).
 * All fields little-endian. */
#ifndef SMMU_TOOLS_TRACE_H
#define SMMU_TOOLS_TRACE_H

#include <stdint.h>
#include <stdio.h>

#define TRACE_MAGIC "SMMUTRC1"
#define TRACE_VERSION 1u
#define TRACE_HDR_SIZE 32u
#define TRACE_REC_SIZE 24u

#define TRF_WRITE 0x01u
#define TRF_INSTR 0x02u
#define TRF_PRIV 0x04u
#define TRF_SECURE 0x08u
#define TRF_SSV 0x10u
#define TRF_PCIE 0x20u
#define TRF_ALL 0x3Fu

typedef struct trace_rec {
    uint64_t addr;
    uint32_t sid, ssid, size;
    uint16_t flags;
} trace_rec_t;

typedef struct trace_reader {
    FILE *f;
    const char *path;
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

static inline void trace_decode(const unsigned char *p, trace_rec_t *t)
{
    t->addr = (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
              (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
              (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
    t->sid = (uint32_t)p[8] | (uint32_t)p[9] << 8 | (uint32_t)p[10] << 16 | (uint32_t)p[11] << 24;
    t->ssid = (uint32_t)p[12] | (uint32_t)p[13] << 8 | (uint32_t)p[14] << 16 | (uint32_t)p[15] << 24;
    t->size = (uint32_t)p[16] | (uint32_t)p[17] << 8 | (uint32_t)p[18] << 16 | (uint32_t)p[19] << 24;
    t->flags = (uint16_t)(p[20] | p[21] << 8);
}
void trace_encode(const trace_rec_t *t, unsigned char p[TRACE_REC_SIZE]);

/* Convert the CSV form to binary. Errors are reported as
 * "csv:line:column: error: ..." to err. Returns 0, or 2 on bad input. */
int trace_convert_csv(const char *csv, const char *out, FILE *err, uint64_t *count);

#endif
