/* SPDX-License-Identifier: Apache-2.0 */
/* YAML document helpers for smmu-replay: typed access to libyaml nodes with
 * file:line:column error reports. Every error is fatal for the input: it is
 * printed and control returns (longjmp) to the caller of ydoc_load's user,
 * which exits with status 2. */
#ifndef SMMU_TOOLS_YDOC_H
#define SMMU_TOOLS_YDOC_H

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <yaml.h>

typedef struct ydoc {
    const char *file; /* name used in messages */
    char dir[4096];   /* directory of file, for relative paths */
    yaml_document_t doc;
    int loaded;
    jmp_buf *on_error;
    FILE *err;        /* where messages go (stderr) */
    /* Nodes added by the tool rather than read from the file (smmu-replay
     * --set KEY=VALUE): their start_mark.index is YDOC_SYNTH and their
     * start_mark.line indexes origins[]; messages about them begin with
     * "ORIGIN: " instead of "file:line:column: ". */
    const char *const *origins;
    size_t norigins;
} ydoc_t;

#define YDOC_SYNTH ((size_t)-1)

/* Add a scalar node made by the tool (see origins above); returns its node
 * id, 0 when out of memory. Node pointers taken before the call may move. */
int ydoc_add_synth_scalar(ydoc_t *d, const char *text, size_t origin);

/* Deepest nesting a scenario may have (docs/scenario.md, "Limits"): flow
 * ('[', '{') before libyaml sees the file, then lists and mappings of any
 * style in the loaded document. */
#define YDOC_MAX_DEPTH 100u
/* Largest scenario file and longest scalar (docs/scenario.md, "Limits"). */
#define YDOC_MAX_FILE_BYTES (64u << 20)
#define YDOC_MAX_SCALAR_BYTES (16u << 20)

/* Load a YAML file of exactly one document: the input must be a regular file
 * of at most YDOC_MAX_FILE_BYTES, nesting at most YDOC_MAX_DEPTH, scalars at
 * most YDOC_MAX_SCALAR_BYTES. On failure prints the error with its
 * position and returns -1. */
int ydoc_load(ydoc_t *d, const char *path, FILE *err);
void ydoc_free(ydoc_t *d);

yaml_node_t *ydoc_root(ydoc_t *d);

/* Report an error at node n (or at line/column 0 if n is NULL) and longjmp. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4), noreturn))
#endif
void yerr(ydoc_t *d, const yaml_node_t *n, const char *fmt, ...);
/* Print a message at a position without jumping. */
void ymsg(ydoc_t *d, const yaml_node_t *n, const char *kind, const char *fmt, ...);

unsigned yline(const yaml_node_t *n);
unsigned ycol(const yaml_node_t *n);

int yis_map(const yaml_node_t *n);
int yis_seq(const yaml_node_t *n);
int yis_scalar(const yaml_node_t *n);

/* Scalar text; errors if n is not a scalar ("what" names the value). */
const char *ystr(ydoc_t *d, const yaml_node_t *n, const char *what);
/* Require a mapping / a sequence. */
void yneed_map(ydoc_t *d, const yaml_node_t *n, const char *what);
void yneed_seq(ydoc_t *d, const yaml_node_t *n, const char *what);

/* Mapping access. Keys must be scalars; duplicate keys are errors. */
size_t ymap_len(const yaml_node_t *map);
yaml_node_t *ymap_key(ydoc_t *d, const yaml_node_t *map, size_t i);
yaml_node_t *ymap_val(ydoc_t *d, const yaml_node_t *map, size_t i);
yaml_node_t *ymap_get(ydoc_t *d, const yaml_node_t *map, const char *key);
/* Check that every key of map is one of valid[] (NULL-terminated); an unknown
 * key is an error naming the nearest valid key. where = "transaction", ... */
void ycheck_keys(ydoc_t *d, const yaml_node_t *map, const char *where,
                 const char *const *valid);
/* Require a key. */
yaml_node_t *yrequire(ydoc_t *d, const yaml_node_t *map, const char *key, const char *where);

size_t yseq_len(const yaml_node_t *seq);
yaml_node_t *yseq_at(ydoc_t *d, const yaml_node_t *seq, size_t i);

/* Numbers: decimal, 0x.., 0b.., 0o.., with '_' separators; true/false/yes/no
 * are 1/0. Out-of-range values are errors naming the field and the range. */
uint64_t yu64(ydoc_t *d, const yaml_node_t *n, const char *name, uint64_t max);
int ybool(ydoc_t *d, const yaml_node_t *n, const char *name);
/* Parse a number from text (same syntax). 0 ok, -1 syntax. */
int yparse_u64(const char *s, uint64_t *out);

/* Nearest string of cands (NULL-terminated or n entries) by edit distance,
 * NULL if none is close. */
const char *ynearest(const char *s, const char *const *cands, size_t n);
size_t yedit_distance(const char *a, const char *b);

#endif
