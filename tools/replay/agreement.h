/* SPDX-License-Identifier: Apache-2.0 */
/* Per-translation agreement of smmu-replay's mmio steps (docs/qemu.md,
 * docs/replay-json.md): every T record's verdict, the --agreement CSV and
 * the agreement_summary totals. */
#ifndef SMMU_TOOLS_AGREEMENT_H
#define SMMU_TOOLS_AGREEMENT_H

#include <stdint.h>
#include <stdio.h>

#include "fileio.h"

/* Known deviations of a recorded peer from the architecture: the names a
 * T record's div=RULE may give (docs/qemu.md, "Deviation rules"). */
#define AGR_NRULES 2
extern const char *const agr_rule_names[AGR_NRULES + 1]; /* NULL-terminated */

enum agr_verdict { AGR_AGREE, AGR_EXPLAINED, AGR_UNEXPLAINED, AGR_NOT_REDERIVABLE };
extern const char *const agr_verdict_names[4];

typedef struct agr {
    int active;           /* an mmio step is in the scenario */
    fio_out_t csv;        /* --agreement FILE.csv */
    int has_csv;
    uint64_t index;       /* T records so far */
    uint64_t compared, agree, explained, unexplained, not_rederivable;
    uint64_t by_rule[AGR_NRULES];
} agr_t;

/* Open the CSV (temporary name, header line). 0, or -1 with why[] set. */
int agr_open(agr_t *a, const char *path, char *why, size_t n);

/* One T record: counts it and writes its CSV row; json (may be NULL) gets
 * the {"type":"agreement",...} line. rule < 0: none. qemu: the peer's own
 * answer when the record names it (qemu=...), else NULL. */
void agr_record(agr_t *a, FILE *json, const char *file, unsigned line, uint32_t sid, int ssv,
                uint32_t ssid, uint64_t addr, char access, const char *expected,
                const char *model, int verdict, int rule, const char *qemu);

/* {"type":"agreement_summary",...} */
void agr_summary_json(const agr_t *a, FILE *f);
/* The one human line: "agreement: ...". */
void agr_summary_text(const agr_t *a, FILE *f);

/* Commit the CSV (checked). 0, or -1 with why[] set. */
int agr_commit(agr_t *a, char *why, size_t n);
/* Drop the temporary CSV (after an error; no-op after a commit). */
void agr_discard(agr_t *a);

#endif
