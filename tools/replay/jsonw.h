/* SPDX-License-Identifier: Apache-2.0 */
/* A minimal JSON-lines writer for smmu-replay --json (docs/replay-json.md):
 * one object per line, members in the order they are written, nested
 * objects and arrays. 64-bit values go out as hex strings (jw_hex), other
 * numbers as numbers. Header-only; no allocation. */
#ifndef SMMU_TOOLS_JSONW_H
#define SMMU_TOOLS_JSONW_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 8

typedef struct jw {
    FILE *f;
    int depth;
    unsigned char first[JW_MAX_DEPTH + 1]; /* no member written yet at this depth */
} jw_t;

/* A JSON string literal (NULL writes ""). */
static inline void jw_escape(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Separator and "key": for the next member (key NULL inside an array). */
static inline void jw_name(jw_t *w, const char *key)
{
    if (!w->first[w->depth])
        fputc(',', w->f);
    w->first[w->depth] = 0;
    if (key) {
        jw_escape(w->f, key);
        fputc(':', w->f);
    }
}

static inline void jw_open(jw_t *w, const char *key, char bracket)
{
    jw_name(w, key);
    fputc(bracket, w->f);
    if (w->depth < JW_MAX_DEPTH)
        w->depth++;
    w->first[w->depth] = 1;
}

static inline void jw_close(jw_t *w, char bracket)
{
    fputc(bracket, w->f);
    if (w->depth > 0)
        w->depth--;
}

/* Start a line {"type":TYPE ... */
static inline void jw_begin(jw_t *w, FILE *f, const char *type)
{
    w->f = f;
    w->depth = 0;
    w->first[0] = 1;
    jw_open(w, NULL, '{');
    jw_name(w, "type");
    jw_escape(f, type);
}

/* ... } and the newline. */
static inline void jw_end(jw_t *w)
{
    jw_close(w, '}');
    fputc('\n', w->f);
}

static inline void jw_str(jw_t *w, const char *key, const char *s)
{
    jw_name(w, key);
    if (s)
        jw_escape(w->f, s);
    else
        fputs("null", w->f);
}

static inline void jw_uint(jw_t *w, const char *key, uint64_t v)
{
    jw_name(w, key);
    fprintf(w->f, "%llu", (unsigned long long)v);
}

static inline void jw_int(jw_t *w, const char *key, long long v)
{
    jw_name(w, key);
    fprintf(w->f, "%lld", v);
}

static inline void jw_hex(jw_t *w, const char *key, uint64_t v)
{
    jw_name(w, key);
    fprintf(w->f, "\"0x%llx\"", (unsigned long long)v);
}

static inline void jw_bool(jw_t *w, const char *key, int b)
{
    jw_name(w, key);
    fputs(b ? "true" : "false", w->f);
}

static inline void jw_null(jw_t *w, const char *key)
{
    jw_name(w, key);
    fputs("null", w->f);
}

/* -1: null, else a bool. */
static inline void jw_tribool(jw_t *w, const char *key, int v)
{
    if (v < 0)
        jw_null(w, key);
    else
        jw_bool(w, key, v);
}

/* A value already in JSON form (a literal such as "0x10", 3, true, null). */
static inline void jw_lit(jw_t *w, const char *key, const char *json)
{
    jw_name(w, key);
    fputs(json, w->f);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline void jw_fmt(jw_t *w, const char *key, const char *fmt, ...)
{
    jw_name(w, key);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(w->f, fmt, ap);
    va_end(ap);
}

#endif
