/* SPDX-License-Identifier: Apache-2.0 */
/* YAML document helpers (see ydoc.h). */
#define _POSIX_C_SOURCE 200809L
#include "ydoc.h"

#include "fileio.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

unsigned yline(const yaml_node_t *n) { return n ? (unsigned)n->start_mark.line + 1 : 0; }
unsigned ycol(const yaml_node_t *n) { return n ? (unsigned)n->start_mark.column + 1 : 0; }

int yis_map(const yaml_node_t *n) { return n && n->type == YAML_MAPPING_NODE; }
int yis_seq(const yaml_node_t *n) { return n && n->type == YAML_SEQUENCE_NODE; }
int yis_scalar(const yaml_node_t *n) { return n && n->type == YAML_SCALAR_NODE; }

static void vmsg(ydoc_t *d, const yaml_node_t *n, const char *kind, const char *fmt, va_list ap)
{
    FILE *f = d->err ? d->err : stderr;
    if (n && n->start_mark.index == YDOC_SYNTH && n->start_mark.line < d->norigins)
        fprintf(f, "%s: %s: ", d->origins[n->start_mark.line], kind);
    else
        fprintf(f, "%s:%u:%u: %s: ", d->file, yline(n), ycol(n), kind);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
}

int ydoc_add_synth_scalar(ydoc_t *d, const char *text, size_t origin)
{
    int id = yaml_document_add_scalar(&d->doc, NULL, (yaml_char_t *)(uintptr_t)text,
                                      (int)strlen(text), YAML_PLAIN_SCALAR_STYLE);
    if (id) {
        yaml_node_t *n = yaml_document_get_node(&d->doc, id);
        n->start_mark.index = YDOC_SYNTH;
        n->start_mark.line = origin;
        n->start_mark.column = 0;
        n->end_mark = n->start_mark;
    }
    return id;
}

void ymsg(ydoc_t *d, const yaml_node_t *n, const char *kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(d, n, kind, fmt, ap);
    va_end(ap);
}

void yerr(ydoc_t *d, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(d, n, "error", fmt, ap);
    va_end(ap);
    longjmp(*d->on_error, 1);
}

/* Line and column (0-based) of a byte offset, read again from the file. */
static yaml_mark_t offset_mark(FILE *f, size_t off)
{
    yaml_mark_t m = {off, 0, 0};
    if (fseek(f, 0, SEEK_SET))
        return m;
    for (size_t i = 0; i < off; i++) {
        int c = getc(f);
        if (c == EOF)
            break;
        if (c == '\n') {
            m.line++;
            m.column = 0;
        } else if ((c & 0xC0) != 0x80) {
            m.column++; /* count characters, not UTF-8 continuation bytes */
        }
    }
    return m;
}

/* libyaml's scanner keeps one simple-key slot per flow level and looks at all
 * of them at every token, so a deep '[[[[...' costs time quadratic in the
 * depth (100,000 levels: tens of seconds). Flow nesting is limited before
 * libyaml sees the file: brackets outside quotes and comments are counted.
 * Returns 0, or -1 with *at set to the bracket that goes too deep. */
static int flow_depth_ok(FILE *f, yaml_mark_t *at)
{
    unsigned depth = 0, line = 0, col = 0;
    int quote = 0, comment = 0, prev = '\n', c;
    while ((c = getc(f)) != EOF) {
        if (c == '\n') {
            line++;
            col = 0;
            comment = 0; /* quoted scalars may span lines */
            prev = c;
            continue;
        }
        if (comment) {
            ;
        } else if (quote == '"') {
            if (c == '\\') {
                int n = getc(f); /* an escaped character, never a quote */
                if (n == EOF)
                    break;
                if (n == '\n') {
                    line++;
                    col = 0;
                    prev = n;
                    continue;
                }
                col++;
            } else if (c == '"')
                quote = 0;
        } else if (quote == '\'') {
            if (c == '\'')
                quote = 0; /* '' inside is two quotes: closes and reopens */
        } else if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
            comment = 1;
        } else if ((c == '"' || c == '\'') && strchr(" \t\n[{,:", prev)) {
            quote = c; /* a quoted scalar starts a token; "don't" is plain */
        } else if (c == '[' || c == '{') {
            if (++depth > YDOC_MAX_DEPTH) {
                at->line = line;
                at->column = col;
                return -1;
            }
        } else if ((c == ']' || c == '}') && depth) {
            depth--;
        }
        if ((c & 0xC0) != 0x80)
            col++;
        prev = c;
    }
    return 0;
}

/* Nesting of lists and mappings of any style (block nesting is not quadratic
 * in libyaml, but is bounded like flow nesting) and scalar length, checked on
 * the loaded document. libyaml adds a collection before its items, so an item
 * with a larger id than its collection is its child (a smaller id is an
 * alias, not counted). Returns 0, or -1 with the error printed. */
static int doc_limits_ok(yaml_document_t *doc, const char *path, FILE *err)
{
    size_t n = (size_t)(doc->nodes.top - doc->nodes.start);
    unsigned *depth = calloc(n + 1, sizeof *depth);
    if (!depth) {
        fprintf(err, "%s:0:0: error: out of memory\n", path);
        return -1;
    }
    int rc = 0;
    for (size_t i = 1; i <= n && !rc; i++) {
        yaml_node_t *node = &doc->nodes.start[i - 1];
        const yaml_mark_t *m = &node->start_mark;
        if (depth[i] > YDOC_MAX_DEPTH) {
            fprintf(err, "%s:%u:%u: error: nesting deeper than %u levels\n", path,
                    (unsigned)m->line + 1, (unsigned)m->column + 1, YDOC_MAX_DEPTH);
            rc = -1;
        } else if (node->type == YAML_SCALAR_NODE) {
            if (node->data.scalar.length > YDOC_MAX_SCALAR_BYTES) {
                fprintf(err, "%s:%u:%u: error: scalar of %zu bytes, more than the %u MiB limit\n",
                        path, (unsigned)m->line + 1, (unsigned)m->column + 1,
                        node->data.scalar.length, YDOC_MAX_SCALAR_BYTES >> 20);
                rc = -1;
            }
        } else if (node->type == YAML_SEQUENCE_NODE) {
            for (yaml_node_item_t *it = node->data.sequence.items.start;
                 it < node->data.sequence.items.top; it++)
                if ((size_t)*it > i && (size_t)*it <= n && depth[*it] < depth[i] + 1)
                    depth[*it] = depth[i] + 1;
        } else if (node->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *pr = node->data.mapping.pairs.start;
                 pr < node->data.mapping.pairs.top; pr++) {
                if ((size_t)pr->key > i && (size_t)pr->key <= n && depth[pr->key] < depth[i] + 1)
                    depth[pr->key] = depth[i] + 1;
                if ((size_t)pr->value > i && (size_t)pr->value <= n &&
                    depth[pr->value] < depth[i] + 1)
                    depth[pr->value] = depth[i] + 1;
            }
        }
    }
    free(depth);
    return rc;
}

int ydoc_load(ydoc_t *d, const char *path, FILE *err)
{
    d->file = path;
    d->err = err;
    d->loaded = 0;
    const char *slash = strrchr(path, '/');
    if (slash) {
        size_t len = (size_t)(slash - path);
        if (len >= sizeof d->dir)
            len = sizeof d->dir - 1;
        memcpy(d->dir, path, len);
        d->dir[len] = 0;
    } else {
        strcpy(d->dir, ".");
    }
    char why[128];
    FILE *f = fio_open_input(path, why, sizeof why);
    if (!f) {
        fprintf(err, "%s:0:0: error: cannot open: %s\n", path, why);
        return -1;
    }
    struct stat st;
    if (!fstat(fileno(f), &st) && (unsigned long long)st.st_size > YDOC_MAX_FILE_BYTES) {
        yaml_mark_t m = offset_mark(f, YDOC_MAX_FILE_BYTES);
        fprintf(err, "%s:%u:%u: error: scenario of %llu bytes, more than the %u MiB limit\n",
                path, (unsigned)m.line + 1, (unsigned)m.column + 1,
                (unsigned long long)st.st_size, YDOC_MAX_FILE_BYTES >> 20);
        fclose(f);
        return -1;
    }
    yaml_mark_t deep;
    if (flow_depth_ok(f, &deep)) {
        fprintf(err, "%s:%u:%u: error: nesting deeper than %u levels\n", path,
                (unsigned)deep.line + 1, (unsigned)deep.column + 1, YDOC_MAX_DEPTH);
        fclose(f);
        return -1;
    }
    rewind(f);
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        fclose(f);
        fprintf(err, "%s:0:0: error: out of memory\n", path);
        return -1;
    }
    yaml_parser_set_input_file(&p, f);
    int rc = 0;
    if (!yaml_parser_load(&p, &d->doc)) {
        yaml_mark_t m = p.problem_mark;
        if (p.error == YAML_READER_ERROR)
            m = offset_mark(f, p.problem_offset); /* the reader sets only the offset */
        fprintf(err, "%s:%u:%u: error: bad YAML: %s", path, (unsigned)m.line + 1,
                (unsigned)m.column + 1, p.problem ? p.problem : "syntax error");
        if (p.context)
            fprintf(err, " (%s at %u:%u)", p.context, (unsigned)p.context_mark.line + 1,
                    (unsigned)p.context_mark.column + 1);
        fputc('\n', err);
        rc = -1;
    } else {
        d->loaded = 1;
        if (doc_limits_ok(&d->doc, path, err)) {
            rc = -1;
        } else if (!yaml_document_get_root_node(&d->doc)) {
            fprintf(err, "%s:1:1: error: empty document: expected a mapping with 'steps'\n",
                    path);
            rc = -1;
        } else {
            /* One scenario per file: a second document is an error, not ignored. */
            yaml_document_t extra;
            if (!yaml_parser_load(&p, &extra)) {
                fprintf(err, "%s:%u:%u: error: bad YAML after the first document: %s\n", path,
                        (unsigned)p.problem_mark.line + 1, (unsigned)p.problem_mark.column + 1,
                        p.problem ? p.problem : "syntax error");
                rc = -1;
            } else {
                const yaml_node_t *root2 = yaml_document_get_root_node(&extra);
                if (root2) {
                    fprintf(err, "%s:%u:%u: error: a second YAML document; a scenario is one "
                                 "document (remove the '---')\n",
                            path, (unsigned)extra.start_mark.line + 1,
                            (unsigned)extra.start_mark.column + 1);
                    rc = -1;
                }
                yaml_document_delete(&extra);
            }
        }
    }
    yaml_parser_delete(&p);
    fclose(f);
    return rc;
}

void ydoc_free(ydoc_t *d)
{
    if (d->loaded)
        yaml_document_delete(&d->doc);
    d->loaded = 0;
}

yaml_node_t *ydoc_root(ydoc_t *d) { return yaml_document_get_root_node(&d->doc); }

static const char *type_name(const yaml_node_t *n)
{
    if (!n)
        return "nothing";
    switch (n->type) {
    case YAML_SCALAR_NODE: return "a scalar";
    case YAML_SEQUENCE_NODE: return "a list";
    case YAML_MAPPING_NODE: return "a mapping";
    default: return "nothing";
    }
}

const char *ystr(ydoc_t *d, const yaml_node_t *n, const char *what)
{
    if (!yis_scalar(n))
        yerr(d, n, "%s: expected a scalar value, found %s", what, type_name(n));
    return (const char *)n->data.scalar.value;
}

void yneed_map(ydoc_t *d, const yaml_node_t *n, const char *what)
{
    if (!yis_map(n))
        yerr(d, n, "%s: expected a mapping (key: value), found %s", what, type_name(n));
}

void yneed_seq(ydoc_t *d, const yaml_node_t *n, const char *what)
{
    if (!yis_seq(n))
        yerr(d, n, "%s: expected a list, found %s", what, type_name(n));
}

size_t ymap_len(const yaml_node_t *m)
{
    return yis_map(m) ? (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start) : 0;
}

yaml_node_t *ymap_key(ydoc_t *d, const yaml_node_t *m, size_t i)
{
    yaml_node_t *k = yaml_document_get_node(&d->doc, m->data.mapping.pairs.start[i].key);
    if (!yis_scalar(k))
        yerr(d, k, "mapping key: expected a plain name, found %s", type_name(k));
    return k;
}

yaml_node_t *ymap_val(ydoc_t *d, const yaml_node_t *m, size_t i)
{
    return yaml_document_get_node(&d->doc, m->data.mapping.pairs.start[i].value);
}

yaml_node_t *ymap_get(ydoc_t *d, const yaml_node_t *m, const char *key)
{
    yaml_node_t *found = NULL;
    size_t n = ymap_len(m);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = ymap_key(d, m, i);
        if (!strcmp((const char *)k->data.scalar.value, key)) {
            if (found)
                yerr(d, k, "duplicate key '%s' (first at line %u)", key, yline(found));
            found = k;
        }
    }
    if (!found)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (ymap_key(d, m, i) == found)
            return ymap_val(d, m, i);
    return NULL;
}

size_t yedit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return 1000;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            cur[j] = v;
        }
        memcpy(prev, cur, sizeof(size_t) * (lb + 1));
    }
    return prev[lb];
}

const char *ynearest(const char *s, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t bestd = (size_t)-1;
    for (size_t i = 0; (n ? i < n : cands[i] != NULL); i++) {
        if (!cands[i])
            continue;
        size_t dist = yedit_distance(s, cands[i]);
        if (dist < bestd) {
            bestd = dist;
            best = cands[i];
        }
    }
    size_t len = strlen(s);
    size_t limit = len < 4 ? 1 : len / 3 + 1;
    if (limit < 2 && len >= 3)
        limit = 2;
    return best && bestd <= limit ? best : NULL;
}

void ycheck_keys(ydoc_t *d, const yaml_node_t *m, const char *where, const char *const *valid)
{
    size_t n = ymap_len(m);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *k = ymap_key(d, m, i);
        const char *ks = (const char *)k->data.scalar.value;
        int ok = 0;
        for (size_t j = 0; valid[j]; j++)
            if (!strcmp(ks, valid[j]))
                ok = 1;
        if (!ok) {
            const char *near = ynearest(ks, valid, 0);
            if (near)
                yerr(d, k, "unknown key '%s' in %s; did you mean '%s'?", ks, where, near);
            char list[1024] = "";
            size_t used = 0;
            for (size_t j = 0; valid[j] && used + 2 < sizeof list; j++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", j ? ", " : "", valid[j]);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            yerr(d, k, "unknown key '%s' in %s; expected one of: %s", ks, where, list);
        }
        /* duplicates */
        for (size_t j = 0; j < i; j++) {
            yaml_node_t *k2 = ymap_key(d, m, j);
            if (!strcmp(ks, (const char *)k2->data.scalar.value))
                yerr(d, k, "duplicate key '%s' in %s (first at line %u)", ks, where, yline(k2));
        }
    }
}

yaml_node_t *yrequire(ydoc_t *d, const yaml_node_t *m, const char *key, const char *where)
{
    yaml_node_t *v = ymap_get(d, m, key);
    if (!v)
        yerr(d, m, "%s: missing required key '%s'", where, key);
    return v;
}

size_t yseq_len(const yaml_node_t *s)
{
    return yis_seq(s) ? (size_t)(s->data.sequence.items.top - s->data.sequence.items.start) : 0;
}

yaml_node_t *yseq_at(ydoc_t *d, const yaml_node_t *s, size_t i)
{
    return yaml_document_get_node(&d->doc, s->data.sequence.items.start[i]);
}

int yparse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    if (!strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on") || !strcmp(s, "True")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off") || !strcmp(s, "False")) {
        *out = 0;
        return 0;
    }
    unsigned base = 10;
    const char *p = s;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
        base = 2;
        p += 2;
    } else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
        base = 8;
        p += 2;
    }
    uint64_t v = 0;
    int digits = 0;
    for (; *p; p++) {
        if (*p == '_')
            continue;
        unsigned dv;
        if (*p >= '0' && *p <= '9')
            dv = (unsigned)(*p - '0');
        else if (*p >= 'a' && *p <= 'f')
            dv = (unsigned)(*p - 'a' + 10);
        else if (*p >= 'A' && *p <= 'F')
            dv = (unsigned)(*p - 'A' + 10);
        else
            return -1;
        if (dv >= base)
            return -1;
        if (v > (UINT64_MAX - dv) / base)
            return -2; /* overflow */
        v = v * base + dv;
        digits++;
    }
    if (!digits)
        return -1;
    *out = v;
    return 0;
}

uint64_t yu64(ydoc_t *d, const yaml_node_t *n, const char *name, uint64_t max)
{
    const char *s = ystr(d, n, name);
    uint64_t v = 0;
    int rc = yparse_u64(s, &v);
    if (rc == -2 || (rc == 0 && v > max) || (s[0] == '-' && rc))
        yerr(d, n, "%s: value %s out of range (0..0x%llx)", name, s, (unsigned long long)max);
    if (rc)
        yerr(d, n, "%s: expected a number (decimal, 0x hex or 0b binary), found '%s'", name, s);
    return v;
}

int ybool(ydoc_t *d, const yaml_node_t *n, const char *name)
{
    return (int)yu64(d, n, name, 1);
}
