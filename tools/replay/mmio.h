/* SPDX-License-Identifier: Apache-2.0 */
/* The mmio step of smmu-replay: `mmio: {file: F.mmio}`, a recorded register
 * and DMA sequence replayed in order (docs/scenario.md, "mmio"; the format
 * `# smmu-mmio v1` is written by smmu-import-qemu, docs/qemu.md). */
#ifndef SMMU_TOOLS_MMIO_H
#define SMMU_TOOLS_MMIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agreement.h"
#include "rmem.h"
#include "smmu/smmu.h"

enum mmio_expect { MX_PA, MX_FAULT, MX_ABORT, MX_BYPASS, MX_NR };

typedef struct mmio_rec {
    char kind;           /* 'W', 'R', 'Q', 'T' */
    unsigned line;
    uint64_t off, value; /* W, R */
    unsigned size;       /* W, R: bytes (4 or 8) */
    uint32_t slot;       /* Q */
    uint64_t w0, w1;     /* Q */
    uint32_t sid, ssid;  /* T */
    int ssv;
    uint64_t addr;
    char access;         /* 'R', 'W', 'X' */
    int expect;          /* enum mmio_expect */
    uint64_t pa;         /* MX_PA */
    uint32_t has;        /* MX_FAULT: 1u << EF_* of the fields given */
    smmu_event_t ev;     /* MX_FAULT: type and the fields in has */
    int rule;            /* index in agr_rule_names, -1: none */
    char *expect_text;   /* as written */
    char *qemu;          /* qemu=ANSWER as written, or NULL */
} mmio_rec_t;

typedef struct mmio_trace {
    char *path;          /* as opened */
    mmio_rec_t *recs;
    size_t n, cap;
    size_t nw, nr, nq, nt;
} mmio_trace_t;

/* Parse F.mmio. Returns 0, or -1 with msg "FILE:LINE:COLUMN: error: ..."
 * (or, for an unopenable file, "cannot open 'F': why" without a position:
 * the caller adds the YAML node's). */
int mmio_parse(mmio_trace_t *t, const char *path, char *msg, size_t n);
void mmio_free(mmio_trace_t *t);

/* What the runner lends an mmio step. */
typedef struct mmio_host {
    smmu_t *smmu;
    rmem_t *mem;
    void *ctx;
    uint64_t (*rd)(void *ctx, uint64_t off, unsigned size);
    void (*wr)(void *ctx, uint64_t off, uint64_t v, unsigned size);
    /* translate; returns 1 with *ev set when the translation raised an event */
    int (*xlate)(void *ctx, smmu_request_t *req, smmu_response_t *resp, smmu_event_t *ev);
    int json, quiet;
    FILE *out;           /* human lines */
    FILE *fails;         /* fail lines (JSON: after the step object) */
    FILE *agr_json;      /* agreement lines, NULL without --json */
    size_t step_index;
    agr_t *agr;
    uint64_t *failures, *expectations, *transactions;
} mmio_host_t;

/* Totals of one run of a trace. */
typedef struct mmio_result {
    uint64_t reads_ok, reads_failed, dmas;
} mmio_result_t;

void mmio_run(const mmio_trace_t *t, mmio_host_t *h, mmio_result_t *res);

/* Bits of the register at off that are RES0 in this SMMU's configuration
 * (given its IDR0 and IDR3), masked out of R comparisons. */
uint64_t mmio_res0_mask(uint64_t off, uint32_t idr0, uint32_t idr3);

#endif
