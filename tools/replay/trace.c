/* Binary traces and the CSV converter (see trace.h). */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "ydoc.h" /* yparse_u64 */

/* Records per read: 8192 x 24 bytes = 192 KB, so that the batch the check
 * pass touches is still in the L2 cache when the caller decodes it. */
#define BATCH 8192u

static uint64_t rd64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static void wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

void trace_encode(const trace_rec_t *t, unsigned char p[TRACE_REC_SIZE])
{
    wr64(p, t->addr);
    wr32(p + 8, t->sid);
    wr32(p + 12, t->ssid);
    wr32(p + 16, t->size);
    p[20] = (unsigned char)t->flags;
    p[21] = (unsigned char)(t->flags >> 8);
    p[22] = p[23] = 0;
}

int trace_open(trace_reader_t *r, const char *path, FILE *err)
{
    memset(r, 0, sizeof(*r));
    r->path = path;
    char why[128];
    r->f = fio_open_input(path, why, sizeof why);
    if (!r->f) {
        fprintf(err, "%s: error: cannot open trace: %s\n", path, why);
        return -1;
    }
    unsigned char h[TRACE_HDR_SIZE];
    if (fread(h, 1, sizeof h, r->f) != sizeof h) {
        fprintf(err, "%s: error: bad trace: file shorter than the %u-byte header\n", path,
                TRACE_HDR_SIZE);
        goto fail;
    }
    if (memcmp(h, TRACE_MAGIC, 8)) {
        fprintf(err, "%s: error: bad trace: expected magic \"%s\" at byte 0 (a CSV trace "
                     "must be converted with 'smmu-trace convert')\n", path, TRACE_MAGIC);
        goto fail;
    }
    if (rd32(h + 8) != TRACE_VERSION) {
        fprintf(err, "%s: error: bad trace: version %u at byte 8, expected %u\n", path,
                rd32(h + 8), TRACE_VERSION);
        goto fail;
    }
    if (rd32(h + 12) != TRACE_REC_SIZE) {
        fprintf(err, "%s: error: bad trace: record size %u at byte 12, expected %u\n", path,
                rd32(h + 12), TRACE_REC_SIZE);
        goto fail;
    }
    if (rd64(h + 24)) {
        fprintf(err, "%s: error: bad trace: reserved u64 at byte 24 is 0x%llx, expected 0\n",
                path, (unsigned long long)rd64(h + 24));
        goto fail;
    }
    r->count = rd64(h + 16);
    if (fseek(r->f, 0, SEEK_END) == 0) {
        long end = ftell(r->f);
        if (end >= 0) {
            uint64_t body = (uint64_t)end - TRACE_HDR_SIZE;
            if (body % TRACE_REC_SIZE || body / TRACE_REC_SIZE != r->count) {
                fprintf(err,
                        "%s: error: bad trace: header (byte 16) says %llu records, the file "
                        "holds %llu bytes of records (%llu records%s)\n",
                        path, (unsigned long long)r->count, (unsigned long long)body,
                        (unsigned long long)(body / TRACE_REC_SIZE),
                        body % TRACE_REC_SIZE ? " and a partial one" : "");
                goto fail;
            }
        }
        fseek(r->f, TRACE_HDR_SIZE, SEEK_SET);
    }
    r->buf = malloc((size_t)BATCH * TRACE_REC_SIZE);
    if (!r->buf) {
        fprintf(err, "%s: error: out of memory\n", path);
        goto fail;
    }
    return 0;
fail:
    fclose(r->f);
    r->f = NULL;
    return -1;
}

/* The first bad record of the batch just read, reported as before. */
static long report_bad(const trace_reader_t *r, size_t got, FILE *err)
{
    for (size_t i = 0; i < got; i++) {
        const unsigned char *p = r->buf + i * TRACE_REC_SIZE;
        uint64_t tail = trace_tail(p);
        if (!trace_rec_bad(tail))
            continue;
        unsigned flags = (unsigned)(tail >> 32) & 0xFFFFu;
        unsigned long long idx = (unsigned long long)(r->next + i);
        if ((flags & ~TRF_ALL) || (tail >> 48))
            fprintf(err, "%s: error: bad trace: record %llu (byte %llu): reserved flag bits set "
                         "(flags 0x%x)\n", r->path, idx,
                    (unsigned long long)TRACE_HDR_SIZE + idx * TRACE_REC_SIZE + 20,
                    (unsigned)(tail >> 32));
        else if ((flags & TRF_WRITE) && (flags & TRF_INSTR))
            fprintf(err, "%s: error: bad trace: record %llu: instruction flag on a write\n",
                    r->path, idx);
        else
            fprintf(err, "%s: error: bad trace: record %llu: size 0\n", r->path, idx);
        return -1;
    }
    return -1;
}

long trace_next_batch(trace_reader_t *r, const unsigned char **recs, FILE *err)
{
    if (!r->f || r->next >= r->count)
        return 0;
    uint64_t want = r->count - r->next;
    if (want > BATCH)
        want = BATCH;
    size_t got = fread(r->buf, TRACE_REC_SIZE, (size_t)want, r->f);
    if (got != want) {
        fprintf(err, "%s: error: bad trace: short read at record %llu\n", r->path,
                (unsigned long long)(r->next + got));
        return -1;
    }
    /* One pass, one load per record: bytes 16..23 hold size (u32), flags
     * (u16) and the reserved u16. A record is bad when size is 0, a
     * reserved flag or byte is set, or write and instruction are both set;
     * the loop only ORs a "bad" bit per record (no branch, vectorisable),
     * and only a bad batch is searched again for the first culprit. */
    uint64_t bad = 0;
    for (size_t i = 0; i < got; i++)
        bad |= trace_rec_bad(trace_tail(r->buf + i * TRACE_REC_SIZE));
    if (bad)
        return report_bad(r, got, err);
    r->next += got;
    *recs = r->buf;
    return (long)got;
}

void trace_close(trace_reader_t *r)
{
    if (r->f)
        fclose(r->f);
    free(r->buf);
    r->f = NULL;
    r->buf = NULL;
}

/* ---- CSV ---- */

static int csv_err(FILE *err, const char *csv, unsigned line, unsigned col, const char *fmt,
                   const char *a, const char *b)
{
    fprintf(err, "%s:%u:%u: error: ", csv, line, col);
    fprintf(err, fmt, a, b);
    fputc('\n', err);
    return 2;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = 0;
    return s;
}

/* Longest CSV line, without its newline (docs/scenario.md, "Limits"). */
#define CSV_MAX_LINE 1022u

int trace_convert_csv(const char *csv, const char *out, FILE *err, uint64_t *countp)
{
    char why[128];
    if (fio_same_file(csv, out)) {
        fprintf(err, "%s: error: output is the same file as the input '%s'\n", out, csv);
        return 2;
    }
    FILE *in = fio_open_input(csv, why, sizeof why);
    if (!in) {
        fprintf(err, "%s:0:0: error: cannot open: %s\n", csv, why);
        return 2;
    }
    fio_out_t fo;
    if (fio_out_open(&fo, out, why, sizeof why)) {
        fprintf(err, "%s: error: cannot create: %s\n", out, why);
        fclose(in);
        return 2;
    }
    FILE *o = fo.f;
    unsigned char hdr[TRACE_HDR_SIZE] = {0};
    memcpy(hdr, TRACE_MAGIC, 8);
    wr32(hdr + 8, TRACE_VERSION);
    wr32(hdr + 12, TRACE_REC_SIZE);
    int rc = 0;
    if (fwrite(hdr, 1, sizeof hdr, o) != sizeof hdr) {
        fprintf(err, "%s: error: writing %s: %s\n", out, out, strerror(errno));
        rc = 2;
    }
    static const char *const cols[] = {"sid", "ssid", "addr", "size", "access", "flags"};
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    unsigned ln = 0;
    uint64_t count = 0;
    int seen = 0; /* a data or header line was seen: the header is the first one */
    while (!rc && (got = getline(&line, &cap, in)) >= 0) {
        ln++;
        size_t len = (size_t)got;
        if (len && line[len - 1] == '\n')
            len--;
        if (len > CSV_MAX_LINE) {
            rc = csv_err(err, csv, ln, CSV_MAX_LINE + 1, "line longer than %s characters%s",
                         "1022", "");
            break;
        }
        char *nul = memchr(line, 0, len);
        if (nul) {
            rc = csv_err(err, csv, ln, (unsigned)(nul - line) + 1, "NUL character%s%s", "", "");
            break;
        }
        if (ln == 1 && len >= 3 && !memcmp(line, "\xEF\xBB\xBF", 3))
            memmove(line, line + 3, (size_t)got - 2); /* UTF-8 byte order mark */
        char *t = trim(line);
        if (!*t || *t == '#')
            continue;
        if (!seen++ && !strncmp(t, "sid", 3))
            continue; /* header line */
        char *fields[6] = {0};
        unsigned fcol[6] = {0};
        unsigned nf = 0;
        char *p = line;
        for (;;) {
            char *comma = strchr(p, ',');
            if (nf < 6) {
                fields[nf] = p;
                fcol[nf] = (unsigned)(p - line) + 1;
            }
            nf++;
            if (!comma)
                break;
            *comma = 0;
            p = comma + 1;
        }
        if (nf < 5 || nf > 6) {
            char nb[16];
            snprintf(nb, sizeof nb, "%u", nf);
            rc = csv_err(err, csv, ln, 1,
                         "expected 5 or 6 columns (sid,ssid,addr,size,access[,flags]), found %s%s",
                         nb, "");
            break;
        }
        trace_rec_t r = {0};
        uint64_t v;
        const uint64_t max[4] = {0xFFFFFFFFull, 0xFFFFFull, UINT64_MAX, 0xFFFFFFFFull};
        for (unsigned i = 0; i < 4 && !rc; i++) {
            char *f = trim(fields[i]);
            if (i == 1 && (!*f || !strcmp(f, "-")))
                continue; /* SubstreamID absent */
            int e = yparse_u64(f, &v);
            if (e == -1 && f[0] != '-')
                rc = csv_err(err, csv, ln, fcol[i], "%s: expected a number, found '%s'", cols[i], f);
            else if (e || v > max[i]) {
                char range[32];
                snprintf(range, sizeof range, "0..0x%llx", (unsigned long long)max[i]);
                fprintf(err, "%s:%u:%u: error: %s: value %s out of range (%s)\n", csv, ln,
                        fcol[i], cols[i], f, range);
                rc = 2;
            } else if (i == 3 && v == 0) {
                rc = csv_err(err, csv, ln, fcol[i], "%s: value %s out of range (1..0xffffffff)",
                             cols[i], f);
            } else {
                switch (i) {
                case 0: r.sid = (uint32_t)v; break;
                case 1: r.ssid = (uint32_t)v; r.flags |= TRF_SSV; break;
                case 2: r.addr = v; break;
                default: r.size = (uint32_t)v; break;
                }
            }
        }
        if (rc)
            break;
        char *a = trim(fields[4]);
        if (!strcmp(a, "R") || !strcmp(a, "r"))
            ;
        else if (!strcmp(a, "W") || !strcmp(a, "w"))
            r.flags |= TRF_WRITE;
        else if (!strcmp(a, "X") || !strcmp(a, "x"))
            r.flags |= TRF_INSTR;
        else {
            rc = csv_err(err, csv, ln, fcol[4], "access: expected R, W or X (instruction fetch), "
                                                "found '%s'%s", a, "");
            break;
        }
        if (nf == 6) {
            char *f = trim(fields[5]);
            for (char *c = f; *c && !rc; c++) {
                switch (*c) {
                case 'P': case 'p': r.flags |= TRF_PRIV; break;
                case 'S': case 's': r.flags |= TRF_SECURE; break;
                case 'C': case 'c': r.flags |= TRF_PCIE; break;
                case '-': case ' ': break;
                default: {
                    char ch[2] = {*c, 0};
                    rc = csv_err(err, csv, ln, (unsigned)(c - line) + 1,
                                 "flags: unknown flag '%s'; expected letters P (privileged), "
                                 "S (Secure), C (PCIe)%s", ch, "");
                }
                }
            }
            if (rc)
                break;
        }
        unsigned char rec[TRACE_REC_SIZE];
        trace_encode(&r, rec);
        if (fwrite(rec, 1, sizeof rec, o) != sizeof rec) {
            fprintf(err, "%s: error: writing %s: %s\n", out, out, strerror(errno));
            rc = 2;
            break;
        }
        count++;
    }
    if (!rc && ferror(in)) {
        fprintf(err, "%s:%u:0: error: read error: %s\n", csv, ln + 1, strerror(errno));
        rc = 2;
    }
    free(line);
    fclose(in);
    if (!rc) {
        wr64(hdr + 16, count);
        if (fseek(o, 0, SEEK_SET) || fwrite(hdr, 1, sizeof hdr, o) != sizeof hdr) {
            fprintf(err, "%s: error: writing %s: %s\n", out, out, strerror(errno));
            rc = 2;
        }
    }
    if (!rc && fio_out_commit(&fo, why, sizeof why)) {
        fprintf(err, "%s: error: writing %s: %s\n", out, out, why);
        rc = 2;
    }
    if (rc)
        fio_out_discard(&fo); /* only the temporary file; OUT is left as it was */
    if (countp)
        *countp = count;
    return rc;
}
