/* SPDX-License-Identifier: Apache-2.0 */
/* The mmio step (mmio.h): parse `# smmu-mmio v1` files and replay them. */
#define _POSIX_C_SOURCE 200809L
#include "mmio.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "jsonw.h"
#include "replay.h"
#include "smmu/smmu_regs.h"
#include "ydoc.h"

#define MMIO_MAGIC "# smmu-mmio v1"
#define MMIO_MAX_LINE 4096

/* ---- parsing ---- */

typedef struct tok {
    const char *s; /* NUL-terminated copy inside the line buffer */
    unsigned col;  /* 1-based */
} tok_t;

#define MAXTOK 16

/* Split at blanks; '#' ends the line. Returns the number of tokens, or
 * MAXTOK + 1 when there are more. */
static int split(char *line, tok_t *t)
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p || *p == '#')
            break;
        if (n == MAXTOK)
            return MAXTOK + 1;
        t[n].s = p;
        t[n].col = (unsigned)(p - line) + 1;
        n++;
        while (*p && *p != ' ' && *p != '\t' && *p != '#')
            p++;
        if (*p == '#') {
            *p = 0;
            break;
        }
        if (*p)
            *p++ = 0;
    }
    return n;
}

typedef struct pctx {
    const char *path;
    unsigned line;
    char *msg;
    size_t n;
} pctx_t;

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static int perr(pctx_t *p, unsigned col, const char *fmt, ...)
{
    int k = snprintf(p->msg, p->n, "%s:%u:%u: error: ", p->path, p->line, col);
    if (k < 0 || (size_t)k >= p->n)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg + k, p->n - (size_t)k, fmt, ap);
    va_end(ap);
    return -1;
}

static int num(pctx_t *p, const tok_t *t, const char *what, uint64_t max, uint64_t *out)
{
    if (yparse_u64(t->s, out))
        return perr(p, t->col, "%s: expected a number (decimal or 0x hex), found '%s'", what,
                    t->s);
    if (*out > max)
        return perr(p, t->col, "%s: value 0x%llx out of range (0..0x%llx)", what,
                    (unsigned long long)*out, (unsigned long long)max);
    return 0;
}

static const struct {
    const char *name;
    unsigned bit;
    uint64_t max;
} fault_fields[] = {
    {"sid", EF_SID, 0xFFFFFFFFull}, {"ssv", EF_SSV, 1}, {"ssid", EF_SSID, 0xFFFFF},
    {"s2", EF_S2, 1}, {"class", EF_CLASS, 3}, {"rnw", EF_RNW, 1}, {"ind", EF_IND, 1},
    {"pnu", EF_PNU, 1}, {"nsipa", EF_NSIPA, 1}, {"ttrnw", EF_TTRNW, 1}, {"stall", EF_STALL, 1},
    {"stag", EF_STAG, 0xFFFF}, {"reason", EF_REASON, 0xFFFFFFFFull},
    {"input_addr", EF_INPUT_ADDR, UINT64_MAX}, {"ipa", EF_IPA, UINT64_MAX},
    {"fetch_addr", EF_FETCH_ADDR, UINT64_MAX},
};
#define NFF (sizeof fault_fields / sizeof fault_fields[0])

static void ev_set(smmu_event_t *e, unsigned bit, uint64_t x)
{
    switch (bit) {
    case EF_SID: e->sid = (uint32_t)x; break;
    case EF_SSV: e->ssv = (uint8_t)x; break;
    case EF_SSID: e->ssid = (uint32_t)x; break;
    case EF_S2: e->s2 = (uint8_t)x; break;
    case EF_CLASS: e->cls = (uint8_t)x; break;
    case EF_RNW: e->rnw = (uint8_t)x; break;
    case EF_IND: e->ind = (uint8_t)x; break;
    case EF_PNU: e->pnu = (uint8_t)x; break;
    case EF_NSIPA: e->nsipa = (uint8_t)x; break;
    case EF_TTRNW: e->ttrnw = (uint8_t)x; break;
    case EF_STALL: e->stall = (uint8_t)x; break;
    case EF_STAG: e->stag = (uint16_t)x; break;
    case EF_REASON: e->reason = (uint32_t)x; break;
    case EF_INPUT_ADDR: e->input_addr = x; break;
    case EF_IPA: e->ipa = x; break;
    default: e->fetch_addr = x; break;
    }
}

static uint64_t ev_val(const smmu_event_t *e, unsigned bit)
{
    switch (bit) {
    case EF_SID: return e->sid;
    case EF_SSV: return e->ssv;
    case EF_SSID: return e->ssid;
    case EF_S2: return e->s2;
    case EF_CLASS: return e->cls;
    case EF_RNW: return e->rnw;
    case EF_IND: return e->ind;
    case EF_PNU: return e->pnu;
    case EF_NSIPA: return e->nsipa;
    case EF_TTRNW: return e->ttrnw;
    case EF_STALL: return e->stall;
    case EF_STAG: return e->stag;
    case EF_REASON: return e->reason;
    case EF_INPUT_ADDR: return e->input_addr;
    case EF_IPA: return e->ipa;
    default: return e->fetch_addr;
    }
}

/* fault=TYPE[,field=v...]; t->s points past "fault=". */
static int parse_fault(pctx_t *p, const char *s, unsigned col, mmio_rec_t *r)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", s);
    char *save = NULL, *f = strtok_r(buf, ",", &save);
    if (!f)
        return perr(p, col, "fault: expected an event type such as F_TRANSLATION after 'fault='");
    int ty = evt_type_by_name(f);
    if (ty < 0)
        return perr(p, col, "fault: unknown event type '%s'; expected a name from 7.3 such as "
                            "F_TRANSLATION", f);
    r->ev.type = (uint8_t)ty;
    while ((f = strtok_r(NULL, ",", &save))) {
        unsigned fcol = col + (unsigned)(f - buf);
        char *eq = strchr(f, '=');
        if (!eq)
            return perr(p, fcol, "fault: expected field=value, found '%s'", f);
        *eq = 0;
        size_t j;
        for (j = 0; j < NFF; j++)
            if (!strcmp(f, fault_fields[j].name))
                break;
        if (j == NFF) {
            const char *names[NFF + 1];
            for (size_t q = 0; q < NFF; q++)
                names[q] = fault_fields[q].name;
            names[NFF] = NULL;
            const char *near = ynearest(f, names, 0);
            return perr(p, fcol, "fault: unknown field '%s'%s%s%s", f,
                        near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
        }
        const char *v = eq + 1;
        uint64_t x;
        if (fault_fields[j].bit == EF_CLASS && (!strcmp(v, "CD") || !strcmp(v, "TT") ||
                                                !strcmp(v, "IN")))
            x = v[0] == 'C' ? SMMU_CLASS_CD : v[0] == 'T' ? SMMU_CLASS_TT : SMMU_CLASS_IN;
        else {
            tok_t vt = {v, fcol + (unsigned)(v - f)};
            if (num(p, &vt, fault_fields[j].name, fault_fields[j].max, &x))
                return -1;
        }
        if (r->has & (1u << fault_fields[j].bit))
            return perr(p, fcol, "fault: field '%s' given twice", f);
        r->has |= 1u << fault_fields[j].bit;
        ev_set(&r->ev, fault_fields[j].bit, x);
    }
    return 0;
}

/* One expectation word (expect or qemu=): fills r's expectation fields when
 * r is non-NULL. */
static int parse_expect(pctx_t *p, const char *s, unsigned col, mmio_rec_t *r)
{
    if (!strncmp(s, "pa=", 3)) {
        tok_t t = {s + 3, col + 3};
        uint64_t pa;
        if (num(p, &t, "pa", UINT64_MAX, &pa))
            return -1;
        r->expect = MX_PA;
        r->pa = pa;
        return 0;
    }
    if (!strncmp(s, "fault=", 6)) {
        r->expect = MX_FAULT;
        return parse_fault(p, s + 6, col + 6, r);
    }
    if (!strcmp(s, "abort"))
        r->expect = MX_ABORT;
    else if (!strcmp(s, "bypass"))
        r->expect = MX_BYPASS;
    else if (!strcmp(s, "nr"))
        r->expect = MX_NR;
    else
        return perr(p, col, "expect: expected pa=ADDR, fault=TYPE[,field=value...], abort, "
                            "bypass or nr, found '%s'", s);
    return 0;
}

static int parse_t(pctx_t *p, tok_t *t, int nt, const char *end_of_line, mmio_rec_t *r)
{
    static const char *const fields[] = {"sid", "ssid or '-'", "addr", "access (R, W or X)",
                                         "expect"};
    if (nt < 6)
        return perr(p, nt > 0 ? (unsigned)(end_of_line - t[0].s) + t[0].col : 1,
                    "T: missing %s; expected 'T sid ssid|- addr R|W|X expect [div=RULE] "
                    "[qemu=ANSWER]'", fields[nt - 1]);
    uint64_t x;
    if (num(p, &t[1], "sid", 0xFFFFFFFFull, &x))
        return -1;
    r->sid = (uint32_t)x;
    if (!strcmp(t[2].s, "-"))
        r->ssv = 0;
    else {
        if (num(p, &t[2], "ssid", 0xFFFFF, &x))
            return -1;
        r->ssv = 1;
        r->ssid = (uint32_t)x;
    }
    if (num(p, &t[3], "addr", UINT64_MAX, &r->addr))
        return -1;
    if (strlen(t[4].s) != 1 || !strchr("RWX", t[4].s[0]))
        return perr(p, t[4].col, "access: expected R, W or X, found '%s'", t[4].s);
    r->access = t[4].s[0];
    if (parse_expect(p, t[5].s, t[5].col, r))
        return -1;
    r->expect_text = strdup(t[5].s);
    r->rule = -1;
    for (int i = 6; i < nt; i++) {
        if (!strncmp(t[i].s, "div=", 4)) {
            const char *name = t[i].s + 4;
            int k;
            for (k = 0; agr_rule_names[k]; k++)
                if (!strcmp(name, agr_rule_names[k]))
                    break;
            if (!agr_rule_names[k]) {
                const char *near = ynearest(name, agr_rule_names, 0);
                return perr(p, t[i].col + 4, "div: unknown rule '%s'%s%s%s", name,
                            near ? "; did you mean '" : "", near ? near : "",
                            near ? "'?" : "; expected qemu-evt-class or qemu-l1std-span");
            }
            if (r->rule >= 0)
                return perr(p, t[i].col, "div: given twice");
            if (r->expect == MX_NR)
                return perr(p, t[i].col, "div: a not re-derivable DMA (nr) is not compared");
            r->rule = k;
        } else if (!strncmp(t[i].s, "qemu=", 5)) {
            mmio_rec_t tmp;
            memset(&tmp, 0, sizeof tmp);
            if (r->qemu)
                return perr(p, t[i].col, "qemu: given twice");
            if (parse_expect(p, t[i].s + 5, t[i].col + 5, &tmp))
                return -1;
            r->qemu = strdup(t[i].s + 5);
        } else
            return perr(p, t[i].col, "T: unexpected '%s'; expected div=RULE or qemu=ANSWER",
                        t[i].s);
    }
    return 0;
}

static int valid_size(pctx_t *p, const tok_t *t, unsigned *size)
{
    uint64_t x;
    if (num(p, t, "size", 8, &x))
        return -1;
    if (x != 4 && x != 8)
        return perr(p, t->col, "size: %llu is not a register access size; expected 4 or 8 "
                               "(bytes)", (unsigned long long)x);
    *size = (unsigned)x;
    return 0;
}

static int parse_line(pctx_t *p, char *line, mmio_rec_t *r)
{
    tok_t t[MAXTOK];
    char *eol = line + strlen(line);
    int nt = split(line, t);
    if (nt == 0)
        return 0;
    if (nt > MAXTOK)
        return perr(p, 1, "too many fields");
    memset(r, 0, sizeof *r);
    r->line = p->line;
    r->rule = -1;
    if (strlen(t[0].s) != 1 || !strchr("WRQT", t[0].s[0]))
        return perr(p, t[0].col, "expected a record kind W, R, Q or T, found '%s'", t[0].s);
    r->kind = t[0].s[0];
    if (r->kind == 'T')
        return parse_t(p, t, nt, eol, r) ? -1 : 1;
    static const char *const wr_fields[] = {"offset", "value", "size"};
    static const char *const q_fields[] = {"slot", "w0", "w1"};
    const char *const *fields = r->kind == 'Q' ? q_fields : wr_fields;
    if (nt < 4) {
        /* the column just after the last field */
        unsigned col = t[nt - 1].col + (unsigned)strlen(t[nt - 1].s);
        return perr(p, col, "%c: missing %s; expected '%c %s %s %s'", r->kind, fields[nt - 1],
                    r->kind, fields[0], fields[1], fields[2]);
    }
    if (nt > 4)
        return perr(p, t[4].col, "%c: unexpected '%s' after %s", r->kind, t[4].s, fields[2]);
    if (r->kind == 'Q') {
        uint64_t x;
        if (num(p, &t[1], "slot", 0xFFFFF, &x))
            return -1;
        r->slot = (uint32_t)x;
        if (num(p, &t[2], "w0", UINT64_MAX, &r->w0) || num(p, &t[3], "w1", UINT64_MAX, &r->w1))
            return -1;
        return 1;
    }
    if (num(p, &t[1], "offset", 0x1FFFF, &r->off) || valid_size(p, &t[3], &r->size))
        return -1;
    if (r->off & (r->size - 1))
        return perr(p, t[1].col, "offset: 0x%llx is not %u-byte aligned", (unsigned long long)r->off,
                    r->size);
    if (num(p, &t[2], "value", r->size == 8 ? UINT64_MAX : 0xFFFFFFFFull, &r->value))
        return -1;
    return 1;
}

int mmio_parse(mmio_trace_t *t, const char *path, char *msg, size_t n)
{
    memset(t, 0, sizeof *t);
    char why[128];
    FILE *f = fio_open_input(path, why, sizeof why);
    if (!f) {
        snprintf(msg, n, "cannot open '%s': %s", path, why);
        return -1;
    }
    t->path = strdup(path);
    pctx_t p = {path, 0, msg, n};
    char *line = malloc(MMIO_MAX_LINE + 2);
    int rc = 0;
    if (!line || !t->path) {
        snprintf(msg, n, "out of memory");
        rc = -1;
    }
    while (!rc && fgets(line, MMIO_MAX_LINE + 2, f)) {
        p.line++;
        size_t len = strlen(line);
        if (len && line[len - 1] != '\n' && !feof(f)) {
            rc = perr(&p, 1, "line longer than %d characters", MMIO_MAX_LINE);
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' '))
            line[--len] = 0;
        if (p.line == 1) {
            if (strcmp(line, MMIO_MAGIC))
                rc = perr(&p, 1, "expected '%s' as the first line (docs/scenario.md, mmio)",
                          MMIO_MAGIC);
            continue;
        }
        if (t->n == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 256;
            mmio_rec_t *nr = realloc(t->recs, nc * sizeof *nr);
            if (!nr) {
                snprintf(msg, n, "out of memory");
                rc = -1;
                break;
            }
            t->recs = nr;
            t->cap = nc;
        }
        mmio_rec_t *r = &t->recs[t->n];
        int k = parse_line(&p, line, r);
        if (k < 0) {
            free(r->expect_text);
            free(r->qemu);
            rc = -1;
        } else if (k > 0) {
            t->n++;
            switch (r->kind) {
            case 'W': t->nw++; break;
            case 'R': t->nr++; break;
            case 'Q': t->nq++; break;
            default: t->nt++; break;
            }
        }
    }
    if (!rc && p.line == 0) {
        p.line = 1;
        rc = perr(&p, 1, "empty file; expected '%s' as the first line", MMIO_MAGIC);
    }
    free(line);
    fclose(f);
    if (rc)
        mmio_free(t);
    return rc;
}

void mmio_free(mmio_trace_t *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->recs[i].expect_text);
        free(t->recs[i].qemu);
    }
    free(t->recs);
    free(t->path);
    memset(t, 0, sizeof *t);
}

/* ---- RES0 masking (6.3.9, 6.3.10, 6.3.12, 6.3.16, 6.3.18) ---- */

uint64_t mmio_res0_mask(uint64_t off, uint32_t idr0, uint32_t idr3)
{
    uint64_t m = 0;
    switch (off) {
    case SMMU_CR0:
    case SMMU_CR0ACK:
        m = ~0x7FFull | 1u << 9 | 1u << 5; /* bits [31:11], 9, 5 */
        if (!SMMU_GET(idr3, 15, 15)) m |= 1u << 10;     /* DPT_WALK_EN: IDR3.DPT */
        if (!SMMU_GET(idr0, 17, 17)) m |= 7u << 6;      /* VMW: IDR0.VMW */
        if (!SMMU_GET(idr0, 10, 10)) m |= 1u << 4;      /* ATSCHK: IDR0.ATS */
        if (!SMMU_GET(idr0, 16, 16)) m |= 1u << 1;      /* PRIQEN: IDR0.PRI */
        break;
    case SMMU_CR2:
        m = ~0xFull;                                    /* bits [31:4] */
        if (!SMMU_GET(idr0, 23, 23)) m |= 1u << 3;      /* REC_CFG_ATS: IDR0.ATSRECERR */
        if (!SMMU_GET(idr0, 5, 5)) m |= 1u << 2;        /* PTM: IDR0.BTM */
        if (!SMMU_GET(idr0, 9, 9)) m |= 1u << 0;        /* E2H: IDR0.Hyp */
        break;
    case SMMU_IRQ_CTRL:
    case SMMU_IRQ_CTRLACK:
        m = ~0x7ull;                                    /* bits [31:3] */
        if (!SMMU_GET(idr0, 16, 16)) m |= 1u << 1;      /* PRIQ_IRQEN: IDR0.PRI */
        break;
    default:
        break;
    }
    return m & 0xFFFFFFFFull;
}

/* ---- running ---- */

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void mfail(mmio_host_t *h, const mmio_trace_t *t, const mmio_rec_t *r, const char *field,
                  const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (*h->failures)++;
    if (h->json) {
        jw_t w;
        jw_begin(&w, h->fails, "fail");
        jw_uint(&w, "step_index", h->step_index);
        jw_str(&w, "file", t->path);
        jw_uint(&w, "line", r->line);
        jw_uint(&w, "column", 1);
        jw_str(&w, "step", "mmio");
        jw_str(&w, "message", msg);
        jw_open(&w, "mismatches", '[');
        (void)field;
        jw_close(&w, ']');
        jw_end(&w);
    } else
        fprintf(h->out, "%s:%u:1: FAILED: %s\n", t->path, r->line, msg);
}

static const char *class_name(unsigned c)
{
    return c == SMMU_CLASS_CD ? "CD" : c == SMMU_CLASS_TT ? "TT" : c == SMMU_CLASS_IN ? "IN" : "3";
}

/* The model's answer in expectation syntax: the fault fields the
 * expectation names (type and class when it names none). */
static void model_text(char *b, size_t n, const mmio_rec_t *r, const smmu_response_t *resp,
                       int has_ev, const smmu_event_t *ev)
{
    if (resp->outcome == SMMU_XLATE_OK) {
        if ((resp->cls == SMMU_CLS_BYPASS || resp->cls == SMMU_CLS_DISABLED) && resp->pa == r->addr)
            snprintf(b, n, "bypass");
        else
            snprintf(b, n, "pa=0x%llx", (unsigned long long)resp->pa);
        return;
    }
    if (!has_ev) {
        snprintf(b, n, "%s", resp->outcome == SMMU_XLATE_RAZWI ? "razwi" : "abort");
        return;
    }
    const char *tn = evt_type_name(ev->type);
    size_t u = (size_t)snprintf(b, n, "fault=%s", tn ? tn : "UNKNOWN");
    uint32_t has = r->expect == MX_FAULT ? r->has : 1u << EF_CLASS;
    for (size_t j = 0; j < NFF && u < n; j++) {
        unsigned bit = fault_fields[j].bit;
        if (!(has & (1u << bit)))
            continue;
        uint64_t v = ev_val(ev, bit);
        if (bit == EF_CLASS)
            u += (size_t)snprintf(b + u, n - u, ",class=%s", class_name((unsigned)v));
        else if (bit >= EF_INPUT_ADDR)
            u += (size_t)snprintf(b + u, n - u, ",%s=0x%llx", fault_fields[j].name,
                                  (unsigned long long)v);
        else
            u += (size_t)snprintf(b + u, n - u, ",%s=%llu", fault_fields[j].name,
                                  (unsigned long long)v);
    }
}

static int holds(const mmio_rec_t *r, const smmu_response_t *resp, int has_ev,
                 const smmu_event_t *ev)
{
    switch (r->expect) {
    case MX_PA: return resp->outcome == SMMU_XLATE_OK && resp->pa == r->pa;
    case MX_BYPASS:
        return resp->outcome == SMMU_XLATE_OK && resp->pa == r->addr &&
               (resp->cls == SMMU_CLS_BYPASS || resp->cls == SMMU_CLS_DISABLED);
    case MX_ABORT: return resp->outcome != SMMU_XLATE_OK && !has_ev;
    default:
        if (resp->outcome == SMMU_XLATE_OK || !has_ev || ev->type != r->ev.type)
            return 0;
        for (size_t j = 0; j < NFF; j++) {
            unsigned bit = fault_fields[j].bit;
            if ((r->has & (1u << bit)) && ev_val(ev, bit) != ev_val(&r->ev, bit))
                return 0;
        }
        return 1;
    }
}

static void run_t(const mmio_trace_t *t, mmio_host_t *h, const mmio_rec_t *r, mmio_result_t *res)
{
    if (r->expect == MX_NR) {
        /* Not re-derivable: the tables changed since; counted, not issued. */
        agr_record(h->agr, h->agr_json, t->path, r->line, r->sid, r->ssv, r->ssid, r->addr,
                   r->access, r->expect_text, NULL, AGR_NOT_REDERIVABLE, -1, r->qemu);
        return;
    }
    smmu_request_t req;
    memset(&req, 0, sizeof req);
    req.sid = r->sid;
    req.ssv = (uint8_t)r->ssv;
    req.ssid = r->ssid;
    req.addr = r->addr;
    req.size = 4;
    req.write = r->access == 'W';
    req.instr = r->access == 'X';
    req.pcie = 1; /* a PCIe endpoint: without a PASID, Unprivileged Data (13.7) */
    smmu_response_t resp;
    memset(&resp, 0, sizeof resp);
    smmu_event_t ev;
    memset(&ev, 0, sizeof ev);
    (*h->transactions)++;
    (*h->expectations)++;
    res->dmas++;
    int has_ev = h->xlate(h->ctx, &req, &resp, &ev);
    char model[256];
    model_text(model, sizeof model, r, &resp, has_ev, &ev);
    int ok = holds(r, &resp, has_ev, &ev);
    int verdict = !ok ? AGR_UNEXPLAINED : r->rule >= 0 ? AGR_EXPLAINED : AGR_AGREE;
    agr_record(h->agr, h->agr_json, t->path, r->line, r->sid, r->ssv, r->ssid, r->addr,
               r->access, r->expect_text, model, verdict, ok ? r->rule : -1, r->qemu);
    if (!ok)
    {
        char ss[24] = "";
        if (r->ssv)
            snprintf(ss, sizeof ss, " ssid %u", r->ssid);
        mfail(h, t, r, "model", "T sid %u%s 0x%llx %c: expected %s, model %s%s%s%s", r->sid, ss,
              (unsigned long long)r->addr, r->access, r->expect_text, model,
              r->rule >= 0 ? " (div=" : "", r->rule >= 0 ? agr_rule_names[r->rule] : "",
              r->rule >= 0 ? " does not explain it: the model must give the expectation)" : "");
    }
}

void mmio_run(const mmio_trace_t *t, mmio_host_t *h, mmio_result_t *res)
{
    memset(res, 0, sizeof *res);
    uint64_t idr0 = h->rd(h->ctx, SMMU_IDR0, 4), idr3 = h->rd(h->ctx, SMMU_IDR3, 4);
    for (size_t i = 0; i < t->n; i++) {
        const mmio_rec_t *r = &t->recs[i];
        switch (r->kind) {
        case 'W':
            h->wr(h->ctx, r->off, r->value, r->size);
            break;
        case 'R': {
            uint64_t v = h->rd(h->ctx, r->off, r->size);
            uint64_t full = r->size == 8 ? UINT64_MAX : 0xFFFFFFFFull;
            uint64_t mask = full & ~mmio_res0_mask(r->off, (uint32_t)idr0, (uint32_t)idr3);
            (*h->expectations)++;
            if ((v & mask) != (r->value & mask)) {
                const char *rn = reg_name(r->off);
                char nb[16];
                snprintf(nb, sizeof nb, "0x%05llx", (unsigned long long)r->off);
                mfail(h, t, r, "value", "R %s: expected 0x%0*llx (mask 0x%llx), got 0x%0*llx",
                      rn ? rn : nb, r->size * 2, (unsigned long long)r->value,
                      (unsigned long long)mask, r->size * 2, (unsigned long long)v);
                res->reads_failed++;
            } else
                res->reads_ok++;
            break;
        }
        case 'Q': {
            smmu_queue_layout_t l = {0, 0, 0};
            if (smmu_queue_layout(h->smmu, SMMU_QUEUE_CMDQ, &l) != SMMU_OK ||
                r->slot >= (1u << l.log2size)) {
                mfail(h, t, r, "slot", "Q slot %u is outside the command queue (%u entries)",
                      r->slot, 1u << l.log2size);
                break;
            }
            unsigned char b[16];
            for (int k = 0; k < 8; k++) {
                b[k] = (unsigned char)(r->w0 >> (8 * k));
                b[8 + k] = (unsigned char)(r->w1 >> (8 * k));
            }
            rmem_load(h->mem, l.base + (uint64_t)r->slot * 16, b, 16);
            break;
        }
        default:
            run_t(t, h, r, res);
            break;
        }
    }
}
