/* SPDX-License-Identifier: Apache-2.0 */
/* Scenario runner: executes the steps against one SMMU instance, checks the
 * expectations and reports (human or JSON lines). docs/replay-json.md. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "endpoint/atc.h"
#include "fileio.h"
#include "jsonw.h"
#include "replay.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"
#include "trace.h"

/* docs/replay-json.md, docs/replay-json.schema.json */
#define REPLAY_JSON_SCHEMA 2

typedef struct runner {
    scenario_t *s;
    rmem_t *mem;
    const run_opts_t *o;
    smmu_t *smmu;
    /* driver-side shadows of what the scenario programmed */
    uint64_t cmdq_base, evtq_base;
    uint32_t cmdq_prod;
    /* events seen by the on_event observer during one translation */
    smmu_event_t last_ev;
    int nev, last_recorded;
    int bypassed;        /* the last xlate was bypassed by the platform */
    uint64_t ev_count;   /* during a trace replay */
    int in_replay;
    /* totals */
    uint64_t transactions, expectations, failures, events_read;
    const step_t *cur;
    size_t step_index;   /* position of cur in the scenario's steps */
    FILE *pend;          /* JSON: fail lines of the current step, printed after its object */
    /* trace replays: latency histogram (log2 buckets of done_cycle - cycle)
     * and the samples file */
    uint64_t lat_hist[65];
    uint64_t cycle;      /* the latest issue cycle (a step's default cycle) */
    FILE *samples;
    uint64_t sample_base;
    /* completions of stalled transactions taken after each step, until a
     * completions step compares them */
    smmu_completion_t *comp;
    size_t ncomp, capcomp;
    /* MSIs and wired pulses since the last irqs step (not during a trace
     * replay) */
    struct irq_seen {
        int msi;
        unsigned source; /* smmu_irq_t */
        uint64_t addr;
        uint32_t data;
        smmu_msi_attr_t attr;
    } *irq;
    size_t nirq, capirq;
    /* ATS: the endpoint's ATC (tools/endpoint/atc.h) */
    smmu_ep_t ep;
} runner_t;

static unsigned log2_bucket(uint64_t v)
{
#if defined(__GNUC__)
    return v ? 64u - (unsigned)__builtin_clzll(v) : 0u;
#else
    unsigned b = 0;
    while (v) {
        b++;
        v >>= 1;
    }
    return b;
#endif
}

static void write_sample(runner_t *r, uint64_t done)
{
    smmu_stats_t st;
    smmu_get_stats(r->smmu, &st);
    fprintf(r->samples, "%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
            (unsigned long long)(r->sample_base + done), (unsigned long long)st.translations,
            (unsigned long long)st.translated_ok, (unsigned long long)st.aborted,
            (unsigned long long)st.walks_s1, (unsigned long long)st.walks_s2,
            (unsigned long long)st.tt_reads, (unsigned long long)st.cfg_cache_hits,
            (unsigned long long)st.cfg_cache_misses, (unsigned long long)st.events_raised);
}

/* ---- memory callbacks ---- */

static int mem_read(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t kind,
                    uint32_t *lat)
{
    (void)kind;
    const runner_t *r = ctx;
    if (lat && r->s->has_mem_latency) /* else the timing's default (docs/timing.md) */
        *lat = r->s->mem_latency;
    return rmem_read(r->mem, pa, buf, len);
}

static int mem_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                     smmu_access_kind_t kind, uint32_t *lat)
{
    (void)kind;
    const runner_t *r = ctx;
    if (lat && r->s->has_mem_latency)
        *lat = r->s->mem_latency;
    return rmem_write(r->mem, pa, buf, len);
}

static int mem_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *old)
{
    runner_t *r = ctx;
    unsigned char b[8];
    if (rmem_read(r->mem, pa, b, 8))
        return -1;
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    *old = v;
    if (v == expected) {
        for (int i = 0; i < 8; i++)
            b[i] = (unsigned char)(desired >> (8 * i));
        return rmem_write(r->mem, pa, b, 8);
    }
    return 0;
}

static void irq_log(runner_t *r, int msi, unsigned source, uint64_t addr, uint32_t data,
                    const smmu_msi_attr_t *a)
{
    if (r->in_replay)
        return;
    if (r->nirq == r->capirq) {
        size_t nc = r->capirq ? r->capirq * 2 : 16;
        struct irq_seen *p = realloc(r->irq, nc * sizeof(*p));
        if (!p)
            return;
        r->irq = p;
        r->capirq = nc;
    }
    struct irq_seen *e = &r->irq[r->nirq++];
    memset(e, 0, sizeof(*e));
    e->msi = msi;
    e->source = source;
    e->addr = addr;
    e->data = data;
    if (a)
        e->attr = *a;
}

static void on_irq(void *ctx, smmu_irq_t irq)
{
    irq_log(ctx, 0, (unsigned)irq, 0, 0, NULL);
}

/* MSIs arrive with their attributes (ops.msi_write) and are also written
 * to scenario memory (4 bytes, little-endian) as they were before. */
static int on_msi(void *ctx, uint64_t addr, uint32_t data, const smmu_msi_attr_t *a)
{
    runner_t *r = ctx;
    /* smmu_msi_source_t -> smmu_irq_t numbering */
    static const unsigned line[4] = {SMMU_IRQ_EVENTQ, SMMU_IRQ_PRIQ, SMMU_IRQ_GERROR,
                                     SMMU_IRQ_CMD_SYNC};
    irq_log(r, 1, a->source < 4 ? line[a->source] : SMMU_IRQ_GERROR, addr, data, a);
    unsigned char b[4] = {(unsigned char)data, (unsigned char)(data >> 8),
                          (unsigned char)(data >> 16), (unsigned char)(data >> 24)};
    return rmem_write(r->mem, addr, b, 4);
}

static void on_event(void *ctx, const smmu_event_t *ev, int recorded)
{
    runner_t *r = ctx;
    if (r->in_replay) {
        r->ev_count++;
        return;
    }
    r->last_ev = *ev;
    r->last_recorded = recorded;
    r->nev++;
}

/* ---- output ---- */

static const char *const outcome_names[] = {"ok", "abort", "razwi", "stalled", "busy"};

static const char *outcome_name(unsigned o) { return o < 5 ? outcome_names[o] : "invalid"; }

static const char *const ats_status_names[] = {"none", "success", "ur", "ca"};

static const char *ats_status_name(unsigned st) { return st < 4 ? ats_status_names[st] : "invalid"; }

/* ops.on_atc_inv: the endpoint ATC (tools/endpoint/atc.h) answers. */
static int on_atc_inv(void *ctx, const smmu_atc_inv_t *inv)
{
    return smmu_ep_invalidate(&((runner_t *)ctx)->ep, inv);
}

static const char *const cerror_names[] = {"CERROR_NONE", "CERROR_ILL", "CERROR_ABT",
                                           "CERROR_ATC_INV_SYNC"};

/* The granted letters of rwx, in that order ("rw"). */
static const char *perms_text(unsigned p, char buf[4])
{
    size_t n = 0;
    if (p & SMMU_PERM_R) buf[n++] = 'r';
    if (p & SMMU_PERM_W) buf[n++] = 'w';
    if (p & SMMU_PERM_X) buf[n++] = 'x';
    buf[n] = 0;
    return buf;
}

/* JSON literals for mismatch values (buffers of at least 96 bytes). */
static const char *lit_hex(char *b, uint64_t v)
{
    snprintf(b, 96, "\"0x%llx\"", (unsigned long long)v);
    return b;
}

static const char *lit_num(char *b, uint64_t v)
{
    snprintf(b, 96, "%llu", (unsigned long long)v);
    return b;
}

static const char *lit_str(char *b, const char *s) /* names only: no escaping needed */
{
    snprintf(b, 96, "\"%s\"", s);
    return b;
}

static const char *lit_bool(int v) { return v ? "true" : "false"; }

/* The result of checking one step: every differing field (for the JSON
 * `mismatches` list) and a message naming them all, joined by "; ". */
typedef struct mismatch {
    char field[64];
    char exp[96], got[96]; /* JSON literals */
} mismatch_t;

typedef struct check {
    mismatch_t *mm;
    size_t nmm, cap;
    char msg[2048];
    size_t used;
    unsigned nmsg;
} check_t;

static void ck_init(check_t *c) { memset(c, 0, sizeof(*c)); }
static void ck_free(check_t *c) { free(c->mm); }

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void ck_msg(check_t *c, const char *fmt, ...)
{
    if (c->used + 3 >= sizeof c->msg)
        return;
    if (c->nmsg++)
        c->used += (size_t)snprintf(c->msg + c->used, sizeof c->msg - c->used, "; ");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->msg + c->used, sizeof c->msg - c->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->used += (size_t)n;
    if (c->used >= sizeof c->msg)
        c->used = sizeof c->msg - 1;
}

static void ck_mm(check_t *c, const char *prefix, const char *field, const char *exp,
                  const char *got)
{
    if (c->nmm == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 8;
        mismatch_t *n = realloc(c->mm, nc * sizeof(*n));
        if (!n)
            return;
        c->mm = n;
        c->cap = nc;
    }
    mismatch_t *m = &c->mm[c->nmm++];
    snprintf(m->field, sizeof m->field, "%s%s", prefix ? prefix : "", field);
    snprintf(m->exp, sizeof m->exp, "%s", exp);
    snprintf(m->got, sizeof m->got, "%s", got);
}

static void step_header(const runner_t *r, jw_t *w, const step_t *st)
{
    jw_uint(w, "step_index", r->step_index);
    jw_uint(w, "line", yline(st->node));
    jw_uint(w, "column", ycol(st->node));
    jw_str(w, "id", st->id);
}

/* A failed expectation. record >= 0: the position of the event record in an
 * events step. In JSON the line waits in r->pend until the step's object is
 * out (docs/replay-json.md: the step object, its event lines, its fail lines). */
#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static void fail_ck(runner_t *r, const yaml_node_t *at, long record, const check_t *c,
                    const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->failures++;
    const yaml_node_t *n = at ? at : r->cur->node;
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->pend ? r->pend : r->o->out, "fail");
        jw_uint(&w, "step_index", r->step_index);
        jw_str(&w, "file", r->s->doc.file);
        jw_uint(&w, "line", yline(n));
        jw_uint(&w, "column", ycol(n));
        jw_str(&w, "step", step_kind_name(r->cur->kind));
        if (record >= 0)
            jw_int(&w, "record", record);
        jw_str(&w, "message", msg);
        jw_open(&w, "mismatches", '[');
        for (size_t i = 0; c && i < c->nmm; i++) {
            jw_open(&w, NULL, '{');
            jw_str(&w, "field", c->mm[i].field);
            jw_lit(&w, "expected", c->mm[i].exp);
            jw_lit(&w, "got", c->mm[i].got);
            jw_close(&w, '}');
        }
        jw_close(&w, ']');
        jw_end(&w);
    } else {
        fprintf(r->o->out, "%s:%u:%u: FAILED: %s\n", r->s->doc.file, yline(n), ycol(n), msg);
    }
}

#define fail(r, at, ...) fail_ck((r), (at), -1, NULL, __VA_ARGS__)

/* A failure with one differing field. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void fail1(runner_t *r, const yaml_node_t *at, const char *field, const char *exp,
                  const char *got, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    check_t c;
    ck_init(&c);
    ck_mm(&c, NULL, field, exp, got);
    fail_ck(r, at, -1, &c, "%s", msg);
    ck_free(&c);
}

static void human(runner_t *r, const char *fmt, ...)
{
    if (r->o->json || r->o->quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->o->out, "%4u  ", yline(r->cur->node));
    vfprintf(r->o->out, fmt, ap);
    va_end(ap);
    fputc('\n', r->o->out);
}

/* ---- event records ---- */

static const char *const ev_field_names[EF_COUNT] = {
    "type", "sid", "ssv", "ssid", "s2", "class", "rnw", "ind", "pnu", "nsipa", "ttrnw",
    "stall", "stag", "reason", "input_addr", "ipa", "fetch_addr"};

static uint64_t ev_get(const smmu_event_t *e, unsigned bit)
{
    switch (bit) {
    case EF_TYPE: return e->type;
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

static int ev_field_is_addr(unsigned bit) { return bit >= EF_INPUT_ADDR; }

/* The event as its 32-byte record carries it (7.3): encoded and decoded by
 * the core, so fields the record type does not define are zero. */
static smmu_event_t ev_record(const smmu_event_t *e)
{
    uint32_t rec[8];
    smmu_event_t out;
    smmu_event_encode(e, rec);
    smmu_event_decode(rec, &out);
    return out;
}

/* The fields (1u << EF_*) the record of this type defines (7.3), asked of
 * the core's own encoder rather than copied into a second table: a field is
 * defined when a record built from all-ones fields decodes differently from
 * one built from all-zero fields. */
static uint32_t ev_defined(unsigned type)
{
    smmu_event_t ones, zeros;
    memset(&ones, 0xFF, sizeof ones);
    memset(&zeros, 0, sizeof zeros);
    ones.type = zeros.type = (uint8_t)type;
    smmu_event_t a = ev_record(&ones), b = ev_record(&zeros);
    uint32_t has = 1u << EF_TYPE;
    for (unsigned bit = EF_TYPE + 1; bit < EF_COUNT; bit++)
        if (ev_get(&a, bit) != ev_get(&b, bit))
            has |= 1u << bit;
    return has;
}

/* An event object: type, type_code and the fields in `has`. */
static void ev_json(jw_t *w, const char *key, const smmu_event_t *e, uint32_t has)
{
    const char *n = evt_type_name(e->type);
    jw_open(w, key, '{');
    jw_str(w, "type", n ? n : "UNKNOWN");
    jw_uint(w, "type_code", e->type);
    for (unsigned bit = EF_TYPE + 1; bit < EF_COUNT; bit++) {
        if (!(has & (1u << bit)))
            continue;
        if (ev_field_is_addr(bit))
            jw_hex(w, ev_field_names[bit], ev_get(e, bit));
        else
            jw_uint(w, ev_field_names[bit], ev_get(e, bit));
    }
    jw_close(w, '}');
}

static void ev_text(char *buf, size_t len, const smmu_event_t *e)
{
    const char *n = evt_type_name(e->type);
    snprintf(buf, len,
             "%s sid %u%s ssid %u class %u s2 %u rnw %u ind %u pnu %u input_addr 0x%llx ipa 0x%llx"
             " fetch_addr 0x%llx",
             n ? n : "UNKNOWN", e->sid, e->ssv ? "" : " (no ssv)", e->ssid, e->cls, e->s2, e->rnw,
             e->ind, e->pnu, (unsigned long long)e->input_addr, (unsigned long long)e->ipa,
             (unsigned long long)e->fetch_addr);
}

/* ---- expectations ---- */

/* Compare an event with an expectation: every differing field goes to c,
 * named field_prefix + name ("fault.sid") in the list and
 * msg_prefix + name ("fault sid: expected ...") in the message. */
static void ev_diff(check_t *c, const evexp_t *x, const smmu_event_t *e, const char *field_prefix,
                    const char *msg_prefix)
{
    char a[96], b[96];
    if ((x->has & (1u << EF_TYPE)) && x->ev.type != e->type) {
        const char *xn = evt_type_name(x->ev.type), *en = evt_type_name(e->type);
        ck_msg(c, "%stype: expected %s (0x%02x), got %s (0x%02x)", msg_prefix, xn ? xn : "?",
               x->ev.type, en ? en : "UNKNOWN", e->type);
        ck_mm(c, field_prefix, "type", xn ? lit_str(a, xn) : lit_num(a, x->ev.type),
              en ? lit_str(b, en) : lit_num(b, e->type));
    }
    for (unsigned bit = EF_TYPE + 1; bit < EF_COUNT; bit++) {
        if (!(x->has & (1u << bit)))
            continue;
        uint64_t want = ev_get(&x->ev, bit), got = ev_get(e, bit);
        if (want == got)
            continue;
        ck_msg(c, "%s%s: expected 0x%llx, got 0x%llx", msg_prefix, ev_field_names[bit],
               (unsigned long long)want, (unsigned long long)got);
        if (ev_field_is_addr(bit))
            ck_mm(c, field_prefix, ev_field_names[bit], lit_hex(a, want), lit_hex(b, got));
        else
            ck_mm(c, field_prefix, ev_field_names[bit], lit_num(a, want), lit_num(b, got));
    }
}

/* The event of the last translation as the model delivered it to on_event
 * (what `fault:` compares and the human output shows; the JSON shows the
 * record, ev_record), if it delivered one. */
static int last_event(const runner_t *r, smmu_event_t *out)
{
    if (!r->nev)
        return 0;
    *out = r->last_ev;
    return 1;
}

/* Check a transaction expectation; every difference goes to c. `fp` prefixes
 * field names (any_of alternatives: "any_of[1]."). */
/* How the transaction ended: the response's class, or the tool's own
 * platform_bypass when an msi_bypass region delivered it without the SMMU. */
static int resp_class(const runner_t *r, const smmu_response_t *resp)
{
    if (r->bypassed)
        return REPLAY_CLS_PLATFORM_BYPASS;
    return resp->cls < REPLAY_CLS_PLATFORM_BYPASS ? resp->cls : SMMU_CLS_ABORT;
}

static int resp_cause(const runner_t *r, const smmu_response_t *resp)
{
    return !r->bypassed && resp->cause < REPLAY_NCAUSE ? resp->cause : SMMU_CAUSE_NONE;
}

static void x_check(runner_t *r, const xexp_t *x, const smmu_response_t *resp, const char *fp,
                    check_t *c)
{
    char a[96], b[96], pre[64];
    char evs[400] = "no event";
    smmu_event_t got;
    int have_ev = resp->event && last_event(r, &got);
    const char *ev_name = resp->event ? evt_type_name(resp->event) : NULL;
    if (resp->event && !ev_name)
        ev_name = "UNKNOWN";
    if (have_ev)
        ev_text(evs, sizeof evs, &got);
    else if (resp->event)
        snprintf(evs, sizeof evs, "%s", ev_name);
    if (x->nany) {
        c->used = (size_t)snprintf(c->msg, sizeof c->msg, "any_of: no alternative holds:");
        c->nmsg = 1;
        for (size_t i = 0; i < x->nany; i++) {
            check_t sub;
            ck_init(&sub);
            snprintf(pre, sizeof pre, "%sany_of[%zu].", fp, i);
            x_check(r, &x->any[i], resp, pre, &sub);
            if (!sub.nmsg) {
                ck_free(&sub);
                free(c->mm);
                ck_init(c);
                return;
            }
            if (c->used < sizeof c->msg)
                c->used += (size_t)snprintf(c->msg + c->used, sizeof c->msg - c->used,
                                            " [%zu] %s;", i + 1, sub.msg);
            if (c->used >= sizeof c->msg)
                c->used = sizeof c->msg - 1;
            for (size_t k = 0; k < sub.nmm; k++)
                ck_mm(c, NULL, sub.mm[k].field, sub.mm[k].exp, sub.mm[k].got);
            ck_free(&sub);
        }
        return;
    }
    const char *got_outcome = lit_str(b, outcome_name(resp->outcome));
    int outcome_done = 0, event_done = 0;
    if (x->has_pa) {
        if (resp->outcome != SMMU_XLATE_OK) {
            ck_msg(c, "pa: expected 0x%llx, got outcome %s (%s)", (unsigned long long)x->pa,
                   outcome_name(resp->outcome), evs);
            ck_mm(c, fp, "pa", lit_hex(a, x->pa), "null");
            ck_mm(c, fp, "outcome", "\"ok\"", got_outcome);
            outcome_done = 1;
        } else {
            if (resp->pa != x->pa) {
                char g[96];
                ck_msg(c, "pa: expected 0x%llx, got 0x%llx", (unsigned long long)x->pa,
                       (unsigned long long)resp->pa);
                ck_mm(c, fp, "pa", lit_hex(a, x->pa), lit_hex(g, resp->pa));
            }
            if (resp->event) {
                ck_msg(c, "pa: translated, but an event was raised (%s)", evs);
                ck_mm(c, fp, "event", "null", lit_str(a, ev_name));
                event_done = 1;
            }
        }
    }
    if (x->outcome >= 0 && resp->outcome != (unsigned)x->outcome && !outcome_done) {
        ck_msg(c, "outcome: expected %s, got %s (%s)", outcome_name((unsigned)x->outcome),
               outcome_name(resp->outcome), evs);
        ck_mm(c, fp, "outcome", lit_str(a, outcome_name((unsigned)x->outcome)), got_outcome);
        outcome_done = 1;
    }
    /* A stall always has its event: 'outcome: stalled' alone does not
     * forbid it; nor does a completion's outcome (a terminated stall keeps
     * the stall's event). */
    if (x->outcome >= 0 && x->outcome != SMMU_XLATE_STALLED && !x->allow_event &&
        !x->has_fault && resp->event && !event_done) {
        ck_msg(c, "outcome: expected %s without an event, got event %s",
               outcome_name((unsigned)x->outcome), evs);
        ck_mm(c, fp, "event", "null", lit_str(a, ev_name));
        event_done = 1;
    }
    if (x->has_fault) {
        const char *xn = evt_type_name(x->fault.ev.type);
        snprintf(pre, sizeof pre, "%sfault.", fp);
        if (!resp->event) {
            char pa[48] = "";
            if (resp->outcome == SMMU_XLATE_OK)
                snprintf(pa, sizeof pa, " (pa 0x%llx)", (unsigned long long)resp->pa);
            ck_msg(c, "fault: expected %s, got outcome %s with no event%s", xn ? xn : "?",
                   outcome_name(resp->outcome), pa);
            ck_mm(c, pre, "type", xn ? lit_str(a, xn) : lit_num(a, x->fault.ev.type), "null");
        } else if (!have_ev) {
            /* only the type is known */
            smmu_event_t t;
            memset(&t, 0, sizeof t);
            t.type = resp->event;
            evexp_t only_type = x->fault;
            only_type.has &= 1u << EF_TYPE;
            unsigned before = c->nmsg;
            ev_diff(c, &only_type, &t, pre, "fault ");
            if (c->nmsg == before && (x->fault.has & ~(1u << EF_TYPE)))
                ck_msg(c, "fault: the model reported %s but delivered no event record to "
                          "compare fields with", evs);
        } else {
            ev_diff(c, &x->fault, &got, pre, "fault ");
        }
        if (resp->event && x->outcome < 0 && resp->outcome == SMMU_XLATE_OK && !outcome_done) {
            ck_msg(c, "fault: the event was raised but the transaction completed (pa 0x%llx)",
                   (unsigned long long)resp->pa);
            ck_mm(c, fp, "outcome", "\"not ok\"", got_outcome);
        }
    }
    if (x->platform_bypass >= 0 && r->bypassed != x->platform_bypass) {
        ck_msg(c, "platform_bypass: expected %s, got %s",
               x->platform_bypass ? "true (an msi_bypass region)" : "false",
               r->bypassed ? "true (the SMMU did not see it)" : "false (translated by the SMMU)");
        ck_mm(c, fp, "platform_bypass", lit_bool(x->platform_bypass), lit_bool(r->bypassed));
    }
    if (x->recorded >= 0 && (resp->recorded ? 1 : 0) != x->recorded) {
        ck_msg(c, "recorded: expected %s, got %s", x->recorded ? "true" : "false",
               resp->recorded ? "true" : "false");
        ck_mm(c, fp, "recorded", lit_bool(x->recorded), lit_bool(resp->recorded));
    }
    if (x->stag >= 0) {
        if (resp->outcome != SMMU_XLATE_STALLED) {
            if (!outcome_done) {
                ck_msg(c, "stag: expected %lld, got outcome %s (%s)", (long long)x->stag,
                       outcome_name(resp->outcome), evs);
                ck_mm(c, fp, "stag", lit_num(a, (uint64_t)x->stag), "null");
            }
        } else if (resp->stag != (uint64_t)x->stag) {
            ck_msg(c, "stag: expected %lld, got %u", (long long)x->stag, resp->stag);
            ck_mm(c, fp, "stag", lit_num(a, (uint64_t)x->stag), lit_num(b, resp->stag));
        }
    }
    if (x->perms >= 0) {
        char pw[4], pg[4];
        perms_text((unsigned)x->perms, pw);
        if (resp->outcome != SMMU_XLATE_OK) {
            ck_msg(c, "perms: expected \"%s\", got outcome %s (%s)", pw,
                   outcome_name(resp->outcome), evs);
            ck_mm(c, fp, "perms", lit_str(a, pw), "null");
        } else if ((resp->perms & 7u) != (unsigned)x->perms) {
            perms_text(resp->perms, pg);
            ck_msg(c, "perms: expected \"%s\", got \"%s\"", pw, pg);
            ck_mm(c, fp, "perms", lit_str(a, pw), lit_str(b, pg));
        }
    }
    if (x->cls >= 0) {
        int gc = resp_class(r, resp);
        if (gc != x->cls) {
            ck_msg(c, "class: expected %s, got %s", replay_class_names[x->cls],
                   replay_class_names[gc]);
            ck_mm(c, fp, "class", lit_str(a, replay_class_names[x->cls]),
                  lit_str(b, replay_class_names[gc]));
        }
    }
    if (x->cause >= 0 && resp_cause(r, resp) != x->cause) {
        int gc = resp_cause(r, resp);
        ck_msg(c, "cause: expected %s, got %s", replay_cause_names[x->cause],
               replay_cause_names[gc]);
        ck_mm(c, fp, "cause", x->cause ? lit_str(a, replay_cause_names[x->cause]) : "null",
              gc ? lit_str(b, replay_cause_names[gc]) : "null");
    }
    if (x->has_ats) {
        /* The Translation Completion (docs/ats.md): status, R/W/X, Priv, U,
         * span and translated address. */
        if (x->ats_status >= 0 && resp->ats_status != (unsigned)x->ats_status) {
            ck_msg(c, "ats.status: expected %s, got %s", ats_status_name((unsigned)x->ats_status),
                   ats_status_name(resp->ats_status));
            ck_mm(c, fp, "ats.status", lit_str(a, ats_status_name((unsigned)x->ats_status)),
                  lit_str(b, ats_status_name(resp->ats_status)));
        }
        const struct {
            const char *name;
            int want;
            int got;
        } bits[] = {{"ats.r", x->ats_r, !!(resp->perms & SMMU_PERM_R)},
                    {"ats.w", x->ats_w, !!(resp->perms & SMMU_PERM_W)},
                    {"ats.x", x->ats_x, !!(resp->perms & SMMU_PERM_X)},
                    {"ats.priv", x->ats_priv, !!(resp->ats_flags & SMMU_ATS_FLAG_PRIV)},
                    {"ats.u", x->ats_u, !!(resp->ats_flags & SMMU_ATS_FLAG_U)}};
        for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
            if (bits[i].want >= 0 && bits[i].want != bits[i].got) {
                ck_msg(c, "%s: expected %d, got %d", bits[i].name, bits[i].want, bits[i].got);
                ck_mm(c, fp, bits[i].name, lit_bool(bits[i].want), lit_bool(bits[i].got));
            }
        if (x->has_ats_size && resp->page_size != x->ats_size) {
            ck_msg(c, "ats.size: expected 0x%llx, got 0x%llx", (unsigned long long)x->ats_size,
                   (unsigned long long)resp->page_size);
            ck_mm(c, fp, "ats.size", lit_hex(a, x->ats_size), lit_hex(b, resp->page_size));
        }
        if (x->has_ats_addr && resp->pa != x->ats_addr) {
            ck_msg(c, "ats.addr: expected 0x%llx, got 0x%llx", (unsigned long long)x->ats_addr,
                   (unsigned long long)resp->pa);
            ck_mm(c, fp, "ats.addr", lit_hex(a, x->ats_addr), lit_hex(b, resp->pa));
        }
    }
    if (x->has_done && resp->done_cycle != x->done_cycle) {
        char g[96];
        ck_msg(c, "done_cycle: expected %llu, got %llu", (unsigned long long)x->done_cycle,
               (unsigned long long)resp->done_cycle);
        ck_mm(c, fp, "done_cycle", lit_num(a, x->done_cycle), lit_num(g, resp->done_cycle));
    }
}

/* ---- steps ---- */

/* Take every completion the model has (smmu_take_completions runs the
 * retries that commands marked) into r->comp. */
static void collect_completions(runner_t *r)
{
    smmu_completion_t buf[32];
    unsigned n;
    do {
        n = 0;
        if (smmu_take_completions(r->smmu, buf, 32, &n) != SMMU_OK || n == 0)
            return;
        if (r->ncomp + n > r->capcomp) {
            size_t nc = r->capcomp ? r->capcomp * 2 : 64;
            while (nc < r->ncomp + n)
                nc *= 2;
            smmu_completion_t *p = realloc(r->comp, nc * sizeof(*p));
            if (!p)
                return;
            r->comp = p;
            r->capcomp = nc;
        }
        memcpy(r->comp + r->ncomp, buf, n * sizeof(*buf));
        r->ncomp += n;
    } while (n == 32);
}

static uint64_t rd(runner_t *r, uint64_t off, unsigned size)
{
    uint64_t v = 0;
    if (smmu_mmio_read(r->smmu, off, size, &v) != SMMU_OK)
        fail(r, NULL, "MMIO read of 0x%llx (%u-bit) rejected by the model",
             (unsigned long long)off, size * 8);
    return v;
}

static void wr(runner_t *r, uint64_t off, uint64_t v, unsigned size)
{
    if (smmu_mmio_write(r->smmu, off, v, size) != SMMU_OK)
        fail(r, NULL, "MMIO write of 0x%llx (%u-bit) rejected by the model",
             (unsigned long long)off, size * 8);
    /* driver-side shadows */
    if (size == 8 || off == SMMU_CMDQ_BASE || off == SMMU_CMDQ_BASE + 4 ||
        off == SMMU_EVENTQ_BASE || off == SMMU_EVENTQ_BASE + 4) {
        uint64_t *sh = NULL;
        uint64_t base = off & ~7ull;
        if (base == SMMU_CMDQ_BASE)
            sh = &r->cmdq_base;
        else if (base == SMMU_EVENTQ_BASE)
            sh = &r->evtq_base;
        if (sh) {
            if (size == 8)
                *sh = v;
            else if (off & 4)
                *sh = (*sh & 0xFFFFFFFFull) | (v << 32);
            else
                *sh = (*sh & ~0xFFFFFFFFull) | (v & 0xFFFFFFFFull);
        }
    }
    if (off == SMMU_CMDQ_PROD)
        r->cmdq_prod = (uint32_t)v;
}

static const char *regtxt(const step_t *st, char *buf, size_t len)
{
    if (st->text)
        return st->text;
    snprintf(buf, len, "0x%05llx", (unsigned long long)st->off);
    return buf;
}

/* pass of a step: null without an expectation unless something failed. */
static int step_pass(const runner_t *r, int expected, uint64_t failures_before)
{
    if (r->failures != failures_before)
        return 0;
    return expected ? 1 : -1;
}

static void do_note(runner_t *r, const step_t *st)
{
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "note");
        step_header(r, &w, st);
        jw_str(&w, "text", st->text);
        jw_end(&w);
    } else if (!r->o->quiet)
        fprintf(r->o->out, "\n      # %s\n", st->text);
}

static void do_write(runner_t *r, const step_t *st)
{
    char nb[32];
    wr(r, st->off, st->value, st->size);
    human(r, "write %-22s <- 0x%0*llx", regtxt(st, nb, sizeof nb), st->size == 8 ? 16 : 8,
          (unsigned long long)st->value);
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "write");
        step_header(r, &w, st);
        jw_str(&w, "reg", st->text);
        jw_hex(&w, "offset", st->off);
        jw_uint(&w, "bits", st->size * 8u);
        jw_hex(&w, "value", st->value);
        jw_end(&w);
    }
}

/* The value a read or mem_read step found, with its expectation (value,
 * expect, mask, pass; expect and mask null without one). */
static void value_json(runner_t *r, jw_t *j, const step_t *st, uint64_t v, uint64_t f0)
{
    jw_hex(j, "value", v);
    if (st->has_expect) {
        jw_hex(j, "expect", st->value);
        jw_hex(j, "mask", st->mask);
    } else {
        jw_null(j, "expect");
        jw_null(j, "mask");
    }
    jw_tribool(j, "pass", step_pass(r, st->has_expect, f0));
}

static void do_read(runner_t *r, const step_t *st)
{
    char nb[32];
    uint64_t f0 = r->failures;
    uint64_t v = rd(r, st->off, st->size);
    int w = st->size == 8 ? 16 : 8;
    if (st->has_expect) {
        r->expectations++;
        if ((v & st->mask) != (st->value & st->mask)) {
            char a[96], b[96];
            fail1(r, NULL, "value", lit_hex(a, st->value), lit_hex(b, v),
                  "%s: expected 0x%0*llx (mask 0x%llx), got 0x%0*llx", regtxt(st, nb, sizeof nb),
                  w, (unsigned long long)st->value, (unsigned long long)st->mask, w,
                  (unsigned long long)v);
        } else
            human(r, "read  %-22s = 0x%0*llx  ok", regtxt(st, nb, sizeof nb), w,
                  (unsigned long long)v);
    } else {
        human(r, "read  %-22s = 0x%0*llx", regtxt(st, nb, sizeof nb), w, (unsigned long long)v);
    }
    if (r->o->json) {
        jw_t j;
        jw_begin(&j, r->o->out, "read");
        step_header(r, &j, st);
        jw_str(&j, "reg", st->text);
        jw_hex(&j, "offset", st->off);
        jw_uint(&j, "bits", st->size * 8u);
        value_json(r, &j, st, v, f0);
        jw_end(&j);
    }
}

static void do_mem_write(runner_t *r, const step_t *st)
{
    rmem_load(r->mem, st->addr, st->bytes, st->len);
    human(r, "mem_write %zu bytes at 0x%llx", st->len, (unsigned long long)st->addr);
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "mem_write");
        step_header(r, &w, st);
        jw_hex(&w, "addr", st->addr);
        jw_uint(&w, "size", st->len);
        jw_end(&w);
    }
}

/* mem_read: scenario memory as the model left it; not an SMMU access (no
 * abort regions, no statistics). */
static void do_mem_read(runner_t *r, const step_t *st)
{
    uint64_t f0 = r->failures;
    unsigned char b[8];
    rmem_peek(r->mem, st->addr, b, st->size);
    uint64_t v = 0;
    for (unsigned i = st->size; i-- > 0;)
        v = v << 8 | b[i];
    int w = (int)st->size * 2;
    if (st->has_expect) {
        r->expectations++;
        if ((v & st->mask) != (st->value & st->mask)) {
            char x[96], y[96];
            fail1(r, NULL, "value", lit_hex(x, st->value), lit_hex(y, v),
                  "mem_read 0x%llx (%u bytes): expected 0x%0*llx (mask 0x%llx), got 0x%0*llx",
                  (unsigned long long)st->addr, st->size, w, (unsigned long long)st->value,
                  (unsigned long long)st->mask, w, (unsigned long long)v);
        } else
            human(r, "mem_read  0x%llx (%u bytes) = 0x%0*llx  ok", (unsigned long long)st->addr,
                  st->size, w, (unsigned long long)v);
    } else
        human(r, "mem_read  0x%llx (%u bytes) = 0x%0*llx", (unsigned long long)st->addr,
              st->size, w, (unsigned long long)v);
    if (r->o->json) {
        jw_t j;
        jw_begin(&j, r->o->out, "mem_read");
        step_header(r, &j, st);
        jw_hex(&j, "addr", st->addr);
        jw_uint(&j, "size", st->size);
        value_json(r, &j, st, v, f0);
        jw_end(&j);
    }
}

/* Where the model reads commands or writes event records: asked of the
 * model (bits above the OAS dropped, LOG2SIZE capped, base aligned). */
static uint64_t queue_at(const runner_t *r, smmu_queue_id_t q, unsigned *log2)
{
    smmu_queue_layout_t l;
    if (smmu_queue_layout(r->smmu, q, &l) != SMMU_OK)
        l.base = 0, l.log2size = 0; /* not reached: a valid queue */
    *log2 = l.log2size;
    return l.base;
}

static void do_commands(runner_t *r, const step_t *st)
{
    unsigned log2;
    uint64_t base = queue_at(r, SMMU_QUEUE_CMDQ, &log2);
    uint32_t n = 1u << log2, idx_mask = n - 1, ptr_mask = (2u * n) - 1;
    uint32_t prod = r->cmdq_prod & ptr_mask;
    uint64_t f0 = r->failures;
    size_t written = 0; /* commands of this step in the queue */
    int stuck = 0, expected = 0;
    for (size_t i = 0; i < st->ncmds; i++) {
        uint32_t cons = (uint32_t)rd(r, SMMU_CMDQ_CONS, 4) & ptr_mask;
        if ((prod & idx_mask) == (cons & idx_mask) && (prod & n) != (cons & n)) {
            /* full: publish what we have and let the SMMU consume */
            wr(r, SMMU_CMDQ_PROD, prod, 4);
            cons = (uint32_t)rd(r, SMMU_CMDQ_CONS, 4) & ptr_mask;
            if ((prod & idx_mask) == (cons & idx_mask) && (prod & n) != (cons & n)) {
                /* Stopped by the command error this step expects (7.1): the
                 * rest cannot be queued, the CERROR is checked below. */
                if (st->cerror > 0 && ((rd(r, SMMU_GERROR, 4) ^ rd(r, SMMU_GERRORN, 4)) &
                                       SMMU_GERROR_CMDQ_ERR))
                    break;
                fail(r, NULL, "commands: the command queue is full and the SMMU consumes "
                              "nothing (CMDQ_CONS 0x%x, CMDQ_PROD 0x%x)", cons, prod);
                stuck = 1;
                break;
            }
        }
        unsigned char b[16];
        for (int w = 0; w < 2; w++)
            for (int k = 0; k < 8; k++)
                b[w * 8 + k] = (unsigned char)(st->cmds[i][w] >> (8 * k));
        rmem_load(r->mem, base + (uint64_t)(prod & idx_mask) * 16, b, 16);
        prod = (prod + 1) & ptr_mask;
        written++;
    }
    if (!stuck)
        wr(r, SMMU_CMDQ_PROD, prod, 4);
    uint32_t cons_reg = (uint32_t)rd(r, SMMU_CMDQ_CONS, 4);
    uint32_t err = (uint32_t)SMMU_GET(cons_reg, 30, 24);
    /* CMDQ_CONS.ERR is meaningful only while GERROR.CMDQ_ERR is active
     * (GERROR.CMDQ_ERR != GERRORN.CMDQ_ERR, 7.1); it is not cleared. */
    int err_active = (int)((rd(r, SMMU_GERROR, 4) ^ rd(r, SMMU_GERRORN, 4)) & SMMU_GERROR_CMDQ_ERR);
    uint32_t err_raw = err;
    if (!err_active)
        err = 0;
    /* Entries between CONS and PROD are not consumed yet; the newest
     * `written` of them are this step's. While CMDQ_ERR is active CONS
     * points at the command that stopped the queue. */
    uint32_t outstanding = (prod - (cons_reg & ptr_mask)) & ptr_mask;
    size_t consumed = written - (outstanding < written ? outstanding : written);
    long error_index = (err_active && outstanding && outstanding <= written)
                           ? (long)(written - outstanding) : -1;
    if (!stuck) {
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < st->ncmds && used < sizeof list; i++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                     st->cmd_names[i] ? st->cmd_names[i] : "?");
        char a[96], b[96];
        if (st->cerror >= 0) {
            r->expectations++;
            expected = 1;
            if ((int)err != st->cerror || (st->cerror && !err_active)) {
                const char *want = st->cerror < 4 ? lit_str(a, cerror_names[st->cerror])
                                                  : lit_num(a, (uint64_t)st->cerror);
                const char *got = !err_active ? "null"
                                  : err < 4   ? lit_str(b, cerror_names[err])
                                              : lit_num(b, err);
                fail1(r, NULL, "cerror", want, got,
                      "commands: expected CMDQ_CONS.ERR 0x%x, got 0x%x (CMDQ_CONS 0x%08x, "
                      "GERROR.CMDQ_ERR %s)", (unsigned)st->cerror, err, cons_reg,
                      err_active ? "active" : "not active");
            } else
                human(r, "commands %s: CMDQ_CONS 0x%08x, ERR 0x%x as expected", list, cons_reg,
                      err);
        } else if (st->has_sync) {
            r->expectations++;
            expected = 1;
            if ((cons_reg & ptr_mask) != prod || err) {
                check_t c;
                ck_init(&c);
                if ((cons_reg & ptr_mask) != prod)
                    ck_mm(&c, NULL, "consumed", lit_num(a, written), lit_num(b, consumed));
                if (err)
                    ck_mm(&c, NULL, "cerror", "null",
                          err < 4 ? lit_str(b, cerror_names[err]) : lit_num(b, err));
                fail_ck(r, NULL, -1, &c, "commands: CMD_SYNC did not complete: CMDQ_CONS 0x%08x "
                                         "(ERR 0x%x), CMDQ_PROD 0x%x", cons_reg, err, prod);
                ck_free(&c);
            } else
                human(r, "commands %s: consumed, CMDQ_CONS 0x%08x", list, cons_reg);
        } else
            human(r, "commands %s: CMDQ_PROD 0x%x, CMDQ_CONS 0x%08x", list, prod, cons_reg);
    }
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "commands");
        step_header(r, &w, st);
        jw_open(&w, "commands", '[');
        for (size_t i = 0; i < st->ncmds; i++) {
            const char *name = st->cmd_names[i];
            jw_open(&w, NULL, '{');
            jw_str(&w, "name", name && strcmp(name, "raw") ? name : NULL);
            jw_open(&w, "raw", '[');
            jw_hex(&w, NULL, st->cmds[i][0]);
            jw_hex(&w, NULL, st->cmds[i][1]);
            jw_close(&w, ']');
            jw_close(&w, '}');
        }
        jw_close(&w, ']');
        jw_uint(&w, "consumed", consumed);
        jw_hex(&w, "cmdq_prod", r->cmdq_prod);
        jw_hex(&w, "cmdq_cons", cons_reg);
        if (!err_active)
            jw_null(&w, "cerror");
        else if (err_raw < 4)
            jw_str(&w, "cerror", cerror_names[err_raw]);
        else
            jw_uint(&w, "cerror", err_raw);
        if (error_index < 0)
            jw_null(&w, "error_index");
        else
            jw_int(&w, "error_index", error_index);
        jw_tribool(&w, "pass", step_pass(r, expected, f0));
        jw_end(&w);
    }
}

/* Output attributes of a transaction the platform delivers without the
 * SMMU: its own address, the whole msi_bypass window as the page, all
 * permissions, Device-nGnRnE, ns from the request. */
static void platform_response(const scenario_t *s, int region, const smmu_request_t *req,
                              smmu_response_t *resp)
{
    resp->outcome = SMMU_XLATE_OK;
    resp->pa = req->addr;
    resp->perms = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
    resp->memattr = 0; /* Device-nGnRnE */
    resp->sh = 2;      /* Device memory is Outer Shareable */
    resp->ns = req->secure ? 0 : 1;
    resp->page_base = s->msi_bypass[region].base;
    resp->page_size = s->msi_bypass[region].size;
    resp->done_cycle = req->cycle;
}

static void xlate_json(runner_t *r, const step_t *st, const smmu_response_t *resp, int pass)
{
    const smmu_request_t *q = &st->req;
    jw_t w;
    jw_begin(&w, r->o->out, "xlate");
    step_header(r, &w, st);
    jw_uint(&w, "sid", q->sid);
    if (q->ssv)
        jw_uint(&w, "ssid", q->ssid);
    else
        jw_null(&w, "ssid");
    jw_hex(&w, "addr", q->addr);
    jw_uint(&w, "size", q->size);
    jw_bool(&w, "write", q->write);
    jw_bool(&w, "instr", q->instr);
    jw_bool(&w, "priv", q->priv);
    jw_bool(&w, "secure", q->secure);
    if (q->ats) { /* docs/ats.md: the ATS kind and, for a request, its completion */
        static const char *const kinds[] = {"untranslated", "translated", "request"};
        jw_str(&w, "ats", q->ats < 3 ? kinds[q->ats] : "invalid");
        if (q->ats == SMMU_ATS_TRANSLATION_REQ) {
            jw_open(&w, "completion", '{');
            jw_str(&w, "status", ats_status_name(resp->ats_status));
            if (resp->ats_status == SMMU_ATS_SUCCESS) {
                jw_bool(&w, "r", resp->perms & SMMU_PERM_R);
                jw_bool(&w, "w", resp->perms & SMMU_PERM_W);
                jw_bool(&w, "x", resp->perms & SMMU_PERM_X);
                jw_bool(&w, "priv", resp->ats_flags & SMMU_ATS_FLAG_PRIV);
                jw_bool(&w, "u", resp->ats_flags & SMMU_ATS_FLAG_U);
                jw_hex(&w, "size", resp->page_size);
                jw_hex(&w, "addr", resp->pa);
            }
            jw_close(&w, '}');
        }
    }
    if (r->s->timed) { /* docs/timing.md: the request's TBU and cycles */
        jw_uint(&w, "tbu", q->tbu);
        jw_uint(&w, "cycle", r->cycle);
        jw_uint(&w, "done_cycle", resp->done_cycle);
    }
    jw_str(&w, "outcome", outcome_name(resp->outcome));
    if (r->bypassed)
        jw_bool(&w, "platform_bypass", 1);
    if (resp->outcome == SMMU_XLATE_STALLED)
        jw_uint(&w, "stag", resp->stag);
    jw_str(&w, "class", replay_class_names[resp_class(r, resp)]);
    int cause = resp_cause(r, resp);
    if (cause)
        jw_str(&w, "cause", replay_cause_names[cause]);
    else
        jw_null(&w, "cause");
    if (resp->outcome == SMMU_XLATE_OK) {
        char p[4];
        jw_hex(&w, "pa", resp->pa);
        jw_str(&w, "perms", perms_text(resp->perms, p));
        jw_uint(&w, "memattr", resp->memattr);
        jw_uint(&w, "sh", resp->sh);
        jw_bool(&w, "ns", resp->ns);
        jw_hex(&w, "page_base", resp->page_base);
        jw_hex(&w, "page_size", resp->page_size);
    } else {
        static const char *const keys[] = {"pa", "perms", "memattr", "sh", "ns", "page_base",
                                           "page_size"};
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            jw_null(&w, keys[i]);
    }
    smmu_event_t ev;
    if (resp->event && last_event(r, &ev)) {
        ev = ev_record(&ev); /* the values its record gets, only the fields it defines */
        ev_json(&w, "event", &ev, ev_defined(ev.type));
    }
    else if (resp->event) {
        const char *n = evt_type_name(resp->event);
        jw_open(&w, "event", '{');
        jw_str(&w, "type", n ? n : "UNKNOWN");
        jw_uint(&w, "type_code", resp->event);
        jw_close(&w, '}');
    } else
        jw_null(&w, "event");
    jw_bool(&w, "recorded", resp->recorded);
    jw_tribool(&w, "pass", pass);
    jw_end(&w);
}

static void do_xlate(runner_t *r, const step_t *st)
{
    smmu_response_t resp;
    memset(&resp, 0, sizeof resp);
    r->nev = 0;
    r->transactions++;
    smmu_request_t req = st->req;
    /* The step's cycle, else the previous step's (docs/timing.md). */
    if (!st->has_cycle)
        req.cycle = r->cycle;
    if (r->s->timed && req.cycle < r->cycle) {
        fail(r, NULL, "xlate: cycle %llu is earlier than the previous step's %llu (cycles do not "
                      "go back)", (unsigned long long)req.cycle, (unsigned long long)r->cycle);
        return;
    }
    r->cycle = req.cycle;
    /* platform.msi_bypass: the interconnect delivers the transaction
     * without the SMMU (untranslated, no event, no statistics). */
    int region = scenario_platform_bypass(r->s, req.sid, req.addr);
    r->bypassed = region >= 0;
    if (r->bypassed) {
        platform_response(r->s, region, &req, &resp);
    } else if (smmu_translate(r->smmu, &req, &resp) != SMMU_OK) {
        fail(r, NULL, "xlate: the model rejected the request (SMMU_ERR_INVAL)");
        if (r->o->json) {
            memset(&resp, 0, sizeof resp);
            resp.outcome = SMMU_XLATE_ABORT;
            xlate_json(r, st, &resp, 0);
        }
        return;
    }
    if (!r->bypassed && req.ats == SMMU_ATS_TRANSLATION_REQ)
        smmu_ep_fill(&r->ep, &req, &resp); /* a Success fills the endpoint ATC */
    int pass = -1;
    check_t c;
    ck_init(&c);
    if (st->has_xexp) {
        r->expectations++;
        x_check(r, &st->xe, &resp, "", &c);
        pass = c.nmsg == 0;
    }
    const smmu_request_t *q = &st->req;
    if (r->o->json) {
        xlate_json(r, st, &resp, pass);
    } else {
        char res[512];
        smmu_event_t ev;
        if (r->bypassed)
            snprintf(res, sizeof res, "pa 0x%llx (bypassed by the platform: msi_bypass region %d, "
                                      "not seen by the SMMU)", (unsigned long long)resp.pa, region);
        else if (req.ats == SMMU_ATS_TRANSLATION_REQ) {
            char p[4];
            if (resp.ats_status == SMMU_ATS_SUCCESS)
                snprintf(res, sizeof res, "ATS Success: addr 0x%llx, size 0x%llx, perms \"%s\"",
                         (unsigned long long)resp.pa, (unsigned long long)resp.page_size,
                         perms_text(resp.perms, p));
            else
                snprintf(res, sizeof res, "ATS %s%s%s", resp.ats_status == SMMU_ATS_UR ? "UR" : "CA",
                         resp.event ? ", " : "",
                         resp.event ? (evt_type_name(resp.event) ? evt_type_name(resp.event) : "UNKNOWN") : "");
        } else if (resp.outcome == SMMU_XLATE_OK)
            snprintf(res, sizeof res, "pa 0x%llx", (unsigned long long)resp.pa);
        else if (resp.outcome == SMMU_XLATE_STALLED)
            snprintf(res, sizeof res, "stalled, STAG %u, %s%s", resp.stag,
                     evt_type_name(resp.event) ? evt_type_name(resp.event) : "UNKNOWN",
                     resp.recorded ? " (recorded)" : " (record waits for the queue)");
        else if (resp.event) {
            char evs[400];
            if (last_event(r, &ev))
                ev_text(evs, sizeof evs, &ev);
            else
                snprintf(evs, sizeof evs, "%s", evt_type_name(resp.event) ? evt_type_name(resp.event) : "UNKNOWN");
            snprintf(res, sizeof res, "%s, %s%s", outcome_name(resp.outcome), evs,
                     resp.recorded ? " (recorded)" : " (not recorded)");
        } else
            snprintf(res, sizeof res, "%s", outcome_name(resp.outcome));
        char ss[32] = "";
        if (q->ssv)
            snprintf(ss, sizeof ss, " ssid %u", q->ssid);
        human(r, "xlate sid %u%s %s 0x%llx%s%s -> %s%s", q->sid, ss,
              q->write ? "W" : q->instr ? "X" : "R", (unsigned long long)q->addr,
              q->priv ? " priv" : "", q->secure ? " secure" : "", res,
              pass < 0 ? "" : pass ? "  ok" : "");
    }
    if (pass == 0)
        fail_ck(r, st->xe.node, -1, &c, "%s", c.msg);
    ck_free(&c);
}

/* irqs: exactly the listed MSIs and wired pulses, in order, since the last
 * irqs step. */
static void do_irqs(runner_t *r, const step_t *st)
{
    uint64_t f0 = r->failures;
    r->expectations++;
    char a[96], b[96];
    if (r->nirq != st->niexps)
        fail1(r, NULL, "count", lit_num(a, st->niexps), lit_num(b, r->nirq),
              "irqs: expected %zu, got %zu", st->niexps, r->nirq);
    for (size_t i = 0; i < st->niexps && i < r->nirq; i++) {
        const iexp_t *e = &st->iexps[i];
        const struct irq_seen *g = &r->irq[i];
        check_t c;
        ck_init(&c);
        char pre[48];
        snprintf(pre, sizeof pre, "irqs[%zu].", i);
        if (e->msi != g->msi || e->source != g->source) {
            ck_msg(&c, "irq %zu: expected %s %s, got %s %s", i, e->msi ? "msi" : "wired",
                   replay_irq_names[e->source], g->msi ? "msi" : "wired",
                   replay_irq_names[g->source]);
            ck_mm(&c, pre, "source", lit_str(a, replay_irq_names[e->source]),
                  lit_str(b, replay_irq_names[g->source]));
        } else if (e->msi) {
            if (e->has_addr && e->addr != g->addr) {
                ck_msg(&c, "irq %zu: expected MSI address 0x%llx, got 0x%llx", i,
                       (unsigned long long)e->addr, (unsigned long long)g->addr);
                ck_mm(&c, pre, "addr", lit_hex(a, e->addr), lit_hex(b, g->addr));
            }
            if (e->has_data && e->data != g->data) {
                ck_msg(&c, "irq %zu: expected MSI data 0x%x, got 0x%x", i, e->data, g->data);
                ck_mm(&c, pre, "data", lit_hex(a, e->data), lit_hex(b, g->data));
            }
            if (e->sh >= 0 && (unsigned)e->sh != g->attr.sh) {
                ck_msg(&c, "irq %zu: expected sh %d, got %u", i, e->sh, g->attr.sh);
                ck_mm(&c, pre, "sh", lit_num(a, (uint64_t)e->sh), lit_num(b, g->attr.sh));
            }
            if (e->memattr >= 0 && (unsigned)e->memattr != g->attr.memattr) {
                ck_msg(&c, "irq %zu: expected memattr 0x%x, got 0x%x", i, (unsigned)e->memattr,
                       g->attr.memattr);
                ck_mm(&c, pre, "memattr", lit_num(a, (uint64_t)e->memattr),
                      lit_num(b, g->attr.memattr));
            }
        }
        if (c.nmsg)
            fail_ck(r, e->node, -1, &c, "%s", c.msg);
        ck_free(&c);
    }
    for (size_t i = 0; i < r->nirq; i++) {
        const struct irq_seen *g = &r->irq[i];
        if (g->msi)
            human(r, "msi %-8s -> 0x%llx data 0x%08x sh %u memattr 0x%x",
                  replay_irq_names[g->source], (unsigned long long)g->addr, g->data, g->attr.sh,
                  g->attr.memattr);
        else
            human(r, "wired %s", replay_irq_names[g->source]);
    }
    if (!r->nirq)
        human(r, "irqs: none%s", st->niexps ? "" : "  ok");
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "irqs");
        step_header(r, &w, st);
        jw_open(&w, "irqs", '[');
        for (size_t i = 0; i < r->nirq; i++) {
            const struct irq_seen *g = &r->irq[i];
            jw_open(&w, NULL, '{');
            jw_str(&w, "kind", g->msi ? "msi" : "wired");
            jw_str(&w, "source", replay_irq_names[g->source]);
            if (g->msi) {
                jw_hex(&w, "addr", g->addr);
                jw_hex(&w, "data", g->data);
                jw_uint(&w, "sh", g->attr.sh);
                jw_uint(&w, "memattr", g->attr.memattr);
            } else {
                jw_null(&w, "addr");
                jw_null(&w, "data");
                jw_null(&w, "sh");
                jw_null(&w, "memattr");
            }
            jw_close(&w, '}');
        }
        jw_close(&w, ']');
        jw_uint(&w, "expected", st->niexps);
        jw_tribool(&w, "pass", step_pass(r, 1, f0));
        jw_end(&w);
    }
    r->nirq = 0;
}

/* sfm: enter Service Failure Mode (12.3). */
static void do_sfm(runner_t *r, const step_t *st)
{
    uint64_t f0 = r->failures;
    if (smmu_inject_sfm(r->smmu) != SMMU_OK)
        fail(r, NULL, "sfm: smmu_inject_sfm rejected");
    uint64_t g = rd(r, SMMU_GERROR, 4);
    human(r, "sfm: Service Failure Mode entered, GERROR 0x%08llx", (unsigned long long)g);
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "sfm");
        step_header(r, &w, st);
        jw_hex(&w, "gerror", g);
        jw_tribool(&w, "pass", step_pass(r, 1, f0));
        jw_end(&w);
    }
}

/* completions: exactly the listed completions, in order, since the last
 * completions step. */
static void do_completions(runner_t *r, const step_t *st)
{
    uint64_t f0 = r->failures;
    collect_completions(r);
    r->expectations++;
    char a[96], b[96];
    if (r->ncomp != st->ncexps)
        fail1(r, NULL, "count", lit_num(a, st->ncexps), lit_num(b, r->ncomp),
              "completions: expected %zu, got %zu", st->ncexps, r->ncomp);
    for (size_t i = 0; i < st->ncexps && i < r->ncomp; i++) {
        const cexp_t *e = &st->cexps[i];
        const smmu_completion_t *g = &r->comp[i];
        check_t c;
        ck_init(&c);
        char pre[48];
        snprintf(pre, sizeof pre, "completions[%zu].", i);
        if (g->sid != e->sid || g->stag != e->stag) {
            ck_msg(&c, "completion %zu: expected sid %u stag %u, got sid %u stag %u", i, e->sid,
                   e->stag, g->sid, g->stag);
            ck_mm(&c, pre, "stag", lit_num(a, e->stag), lit_num(b, g->stag));
        }
        r->nev = 0; /* the completion's event fields are not compared here */
        x_check(r, &e->x, &g->resp, pre, &c);
        if (c.nmsg)
            fail_ck(r, e->node, -1, &c, "%s", c.msg);
        ck_free(&c);
    }
    for (size_t i = 0; i < r->ncomp; i++) {
        const smmu_completion_t *g = &r->comp[i];
        if (g->resp.outcome == SMMU_XLATE_OK)
            human(r, "completion sid %u stag %u -> pa 0x%llx", g->sid, g->stag,
                  (unsigned long long)g->resp.pa);
        else if (g->resp.outcome == SMMU_XLATE_STALLED)
            human(r, "completion sid %u stag %u -> stalled again, STAG %u", g->sid, g->stag,
                  g->resp.stag);
        else
            human(r, "completion sid %u stag %u -> %s", g->sid, g->stag,
                  outcome_name(g->resp.outcome));
    }
    if (!r->ncomp)
        human(r, "completions: none%s", st->ncexps ? "" : "  ok");
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "completions");
        step_header(r, &w, st);
        jw_open(&w, "completions", '[');
        for (size_t i = 0; i < r->ncomp; i++) {
            const smmu_completion_t *g = &r->comp[i];
            jw_open(&w, NULL, '{');
            jw_uint(&w, "sid", g->sid);
            jw_uint(&w, "stag", g->stag);
            jw_str(&w, "outcome", outcome_name(g->resp.outcome));
            if (g->resp.outcome == SMMU_XLATE_OK)
                jw_hex(&w, "pa", g->resp.pa);
            else
                jw_null(&w, "pa");
            if (g->resp.outcome == SMMU_XLATE_STALLED)
                jw_uint(&w, "new_stag", g->resp.stag);
            else
                jw_null(&w, "new_stag");
            if (g->resp.event)
                jw_str(&w, "event", evt_type_name(g->resp.event) ? evt_type_name(g->resp.event) : "UNKNOWN");
            else
                jw_null(&w, "event");
            jw_bool(&w, "recorded", g->resp.recorded);
            jw_close(&w, '}');
        }
        jw_close(&w, ']');
        jw_uint(&w, "expected", st->ncexps);
        jw_tribool(&w, "pass", step_pass(r, 1, f0));
        jw_end(&w);
    }
    r->ncomp = 0;
}

static void inv_json(jw_t *w, const smmu_atc_inv_t *v)
{
    jw_open(w, NULL, '{');
    jw_uint(w, "sid", v->sid);
    if (v->ssv)
        jw_uint(w, "ssid", v->ssid);
    else
        jw_null(w, "ssid");
    jw_bool(w, "global", v->global);
    jw_hex(w, "addr", v->addr);
    jw_uint(w, "size", v->log2_span - 12u);
    jw_close(w, '}');
}

/* atc_invalidations: exactly the listed ATS Invalidate Requests, in order,
 * since the last atc_invalidations step. */
static void do_atc_invs(runner_t *r, const step_t *st)
{
    uint64_t f0 = r->failures;
    const smmu_ep_t *ep = &r->ep;
    size_t first = ep->log_seen, n = ep->log_n - first;
    char a[96], b[96];
    r->expectations++;
    if (n != st->ninvs)
        fail1(r, NULL, "count", lit_num(a, st->ninvs), lit_num(b, n),
              "atc_invalidations: expected %zu, got %zu", st->ninvs, n);
    for (size_t i = 0; i < n && i < st->ninvs; i++) {
        const smmu_atc_inv_t *g = &ep->log[first + i], *e = &st->invs[i];
        if (g->sid != e->sid || g->ssv != e->ssv || g->ssid != e->ssid || g->global != e->global ||
            g->addr != e->addr || g->log2_span != e->log2_span) {
            char es[40] = "", gs[40] = "";
            if (e->ssv)
                snprintf(es, sizeof es, " ssid %u", e->ssid);
            if (g->ssv)
                snprintf(gs, sizeof gs, " ssid %u", g->ssid);
            fail(r, NULL, "atc_invalidations[%zu]: expected sid %u%s%s addr 0x%llx size %u, "
                          "got sid %u%s%s addr 0x%llx size %u",
                 i, e->sid, es, e->global ? " global" : "", (unsigned long long)e->addr,
                 e->log2_span - 12u, g->sid, gs, g->global ? " global" : "",
                 (unsigned long long)g->addr, g->log2_span - 12u);
        }
    }
    for (size_t i = 0; i < n; i++) {
        const smmu_atc_inv_t *g = &ep->log[first + i];
        char ss[32] = "";
        if (g->ssv)
            snprintf(ss, sizeof ss, " ssid %u", g->ssid);
        human(r, "atc invalidation sid %u%s%s addr 0x%llx size %u", g->sid, ss,
              g->global ? " global" : "", (unsigned long long)g->addr, g->log2_span - 12u);
    }
    if (!n)
        human(r, "atc_invalidations: none%s", st->ninvs ? "" : "  ok");
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "atc_invalidations");
        step_header(r, &w, st);
        jw_open(&w, "invalidations", '[');
        for (size_t i = 0; i < n; i++)
            inv_json(&w, &ep->log[first + i]);
        jw_close(&w, ']');
        jw_uint(&w, "expected", st->ninvs);
        jw_tribool(&w, "pass", step_pass(r, 1, f0));
        jw_end(&w);
    }
    r->ep.log_seen = r->ep.log_n;
}

/* atc: exactly the listed endpoint ATC entries, oldest first. */
static void do_atc(runner_t *r, const step_t *st)
{
    uint64_t f0 = r->failures;
    const smmu_ep_t *ep = &r->ep;
    char a[96], b[96], p[4];
    r->expectations++;
    if (ep->n != st->natcs)
        fail1(r, NULL, "count", lit_num(a, st->natcs), lit_num(b, ep->n),
              "atc: expected %zu entries, got %u", st->natcs, ep->n);
    for (size_t i = 0; i < ep->n && i < st->natcs; i++) {
        const smmu_ep_entry_t *g = &ep->atc[i];
        const struct atc_exp *e = &st->atcs[i];
        if (g->sid != e->sid || g->ssv != e->ssv || (e->ssv && g->ssid != e->ssid) ||
            g->addr != e->addr || (e->has_size && g->size != e->size) ||
            (e->has_pa && g->pa != e->pa) || (e->perms >= 0 && g->perms != (unsigned)e->perms))
            fail(r, e->node, "atc[%zu]: got sid %u ssid %u%s addr 0x%llx size 0x%llx pa 0x%llx "
                             "perms \"%s\"", i, g->sid, g->ssid, g->ssv ? "" : " (no PASID)",
                 (unsigned long long)g->addr, (unsigned long long)g->size,
                 (unsigned long long)g->pa, perms_text(g->perms, p));
    }
    for (unsigned i = 0; i < ep->n; i++) {
        const smmu_ep_entry_t *g = &ep->atc[i];
        human(r, "atc sid %u addr 0x%llx size 0x%llx -> pa 0x%llx \"%s\"", g->sid,
              (unsigned long long)g->addr, (unsigned long long)g->size,
              (unsigned long long)g->pa, perms_text(g->perms, p));
    }
    if (!ep->n)
        human(r, "atc: empty%s", st->natcs ? "" : "  ok");
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "atc");
        step_header(r, &w, st);
        jw_open(&w, "entries", '[');
        for (unsigned i = 0; i < ep->n; i++) {
            const smmu_ep_entry_t *g = &ep->atc[i];
            jw_open(&w, NULL, '{');
            jw_uint(&w, "sid", g->sid);
            if (g->ssv)
                jw_uint(&w, "ssid", g->ssid);
            else
                jw_null(&w, "ssid");
            jw_hex(&w, "addr", g->addr);
            jw_hex(&w, "size", g->size);
            jw_hex(&w, "pa", g->pa);
            jw_str(&w, "perms", perms_text(g->perms, p));
            jw_close(&w, '}');
        }
        jw_close(&w, ']');
        jw_uint(&w, "expected", st->natcs);
        jw_tribool(&w, "pass", step_pass(r, 1, f0));
        jw_end(&w);
    }
}

/* endpoint: how StreamID sid answers ATS Invalidate Requests from now on. */
static void do_endpoint(runner_t *r, const step_t *st)
{
    static const char *const ans[] = {"ok", "ur", "no_response"};
    uint64_t f0 = r->failures;
    if (smmu_ep_set_inv_result(&r->ep, (uint32_t)st->off, (int)st->value))
        fail(r, NULL, "endpoint: at most %u StreamIDs can have an answer", SMMU_EP_SIDS_MAX);
    human(r, "endpoint sid %u answers ATC invalidations with %s", (unsigned)st->off,
          ans[st->value]);
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "endpoint");
        step_header(r, &w, st);
        jw_uint(&w, "sid", st->off);
        jw_str(&w, "atc_inv", ans[st->value]);
        jw_tribool(&w, "pass", step_pass(r, 0, f0));
        jw_end(&w);
    }
}

typedef struct evrec {
    uint32_t raw[8];
    uint32_t slot;
    smmu_event_t ev;
} evrec_t;

static void do_events(runner_t *r, const step_t *st)
{
    unsigned log2;
    uint64_t base = queue_at(r, SMMU_QUEUE_EVENTQ, &log2);
    uint32_t n = 1u << log2, idx_mask = n - 1, ptr_mask = 2u * n - 1;
    uint32_t prod_reg = (uint32_t)rd(r, SMMU_EVENTQ_PROD, 4);
    uint32_t cons_reg = (uint32_t)rd(r, SMMU_EVENTQ_CONS, 4);
    uint32_t prod = prod_reg & ptr_mask, cons = cons_reg & ptr_mask;
    /* the loop below reads at most min(PROD - CONS, n + 1) records */
    size_t avail = (size_t)((prod - cons) & ptr_mask);
    if (avail > (size_t)n + 1)
        avail = (size_t)n + 1;
    evrec_t *recs = r->o->json ? calloc(avail ? avail : 1, sizeof(*recs)) : NULL;
    size_t i = 0;
    int expected = !st->drain || st->overflow >= 0;
    if (expected)
        r->expectations++;
    uint64_t failed_before = r->failures;
    char a[96], b[96];
    while (cons != prod && i <= n) {
        uint32_t rec[8];
        unsigned char buf[32];
        rmem_peek(r->mem, base + (uint64_t)(cons & idx_mask) * 32, buf, 32);
        for (int w = 0; w < 8; w++)
            rec[w] = (uint32_t)buf[w * 4] | (uint32_t)buf[w * 4 + 1] << 8 |
                     (uint32_t)buf[w * 4 + 2] << 16 | (uint32_t)buf[w * 4 + 3] << 24;
        smmu_event_t ev;
        smmu_event_decode(rec, &ev);
        r->events_read++;
        if (recs) {
            memcpy(recs[i].raw, rec, sizeof rec);
            recs[i].slot = cons & idx_mask;
            recs[i].ev = ev;
        } else {
            char t[400];
            ev_text(t, sizeof t, &ev);
            human(r, "event [%u] %s", cons & idx_mask, t);
        }
        if (st->has_records && i < st->nevs) {
            const evexp_t *x = &st->evs[i];
            check_t c;
            ck_init(&c);
            if (x->has_raw) {
                for (int w = 0; w < 8; w++)
                    if (rec[w] != x->raw[w]) {
                        char f[16];
                        snprintf(f, sizeof f, "raw[%d]", w);
                        snprintf(a, sizeof a, "\"0x%08x\"", x->raw[w]);
                        snprintf(b, sizeof b, "\"0x%08x\"", rec[w]);
                        ck_msg(&c, "raw word %d: expected 0x%08x, got 0x%08x", w, x->raw[w],
                               rec[w]);
                        ck_mm(&c, NULL, f, a, b);
                    }
            }
            ev_diff(&c, x, &ev, "", "");
            if (c.nmsg)
                fail_ck(r, x->node, (long)i, &c, "event record %zu: %s", i + 1, c.msg);
            ck_free(&c);
        }
        i++;
        cons = (cons + 1) & ptr_mask;
    }
    /* consume, acknowledging an overflow (7.4: OVACKFLG = OVFLG) */
    if (!st->peek)
        wr(r, SMMU_EVENTQ_CONS, cons | (prod_reg & SMMU_Q_OVF), 4);
    if (st->has_records && i != st->nevs)
        fail1(r, NULL, "count", lit_num(a, st->nevs), lit_num(b, i),
              "events: expected %zu record%s, the event queue held %zu (EVENTQ_PROD 0x%08x, "
              "EVENTQ_CONS 0x%08x)", st->nevs, st->nevs == 1 ? "" : "s", i, prod_reg, cons_reg);
    if (st->count >= 0 && (uint64_t)st->count != i)
        fail1(r, NULL, "count", lit_num(a, (uint64_t)st->count), lit_num(b, i),
              "events: count: expected %lld record%s, the event queue held %zu (EVENTQ_PROD "
              "0x%08x, EVENTQ_CONS 0x%08x)", (long long)st->count, st->count == 1 ? "" : "s", i,
              prod_reg, cons_reg);
    int ovf = ((prod_reg ^ cons_reg) & SMMU_Q_OVF) ? 1 : 0;
    if (st->overflow >= 0 && ovf != st->overflow)
        fail1(r, NULL, "overflow", lit_bool(st->overflow), lit_bool(ovf),
              "events: overflow: expected %s, got %s (EVENTQ_PROD 0x%08x, EVENTQ_CONS 0x%08x)",
              st->overflow ? "true" : "false", ovf ? "true" : "false", prod_reg, cons_reg);
    const char *mode = st->peek ? " (peek: EVENTQ_CONS not written)"
                       : st->drain ? " drained" : "";
    if (st->drain && st->overflow < 0) {
        if (!i)
            human(r, "events: queue empty%s", mode);
        else
            human(r, "events: %zu record%s%s", i, i == 1 ? "" : "s", mode);
    } else if (!i) {
        /* (with records, "ok" means an empty queue was expected) */
        int ok = st->has_records ? st->nevs == 0 : r->failures == failed_before;
        human(r, "events: queue empty%s%s", ok ? "  ok" : "", mode);
    }
    else if (r->failures == failed_before)
        human(r, "events: %zu record%s  ok%s", i, i == 1 ? "" : "s", mode);
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "events");
        step_header(r, &w, st);
        jw_uint(&w, "count", i);
        jw_hex(&w, "eventq_prod", prod_reg);
        jw_hex(&w, "eventq_cons", cons_reg);
        jw_bool(&w, "overflow", ovf);
        jw_uint(&w, "consumed", st->peek ? 0 : i);
        jw_tribool(&w, "pass", step_pass(r, expected, failed_before));
        jw_end(&w);
        for (size_t k = 0; recs && k < i; k++) {
            jw_begin(&w, r->o->out, "event");
            jw_uint(&w, "step_index", r->step_index);
            jw_uint(&w, "line", yline(st->node));
            jw_uint(&w, "record", k);
            jw_uint(&w, "index", recs[k].slot);
            jw_open(&w, "raw", '[');
            for (int q = 0; q < 8; q++)
                jw_fmt(&w, NULL, "\"0x%08x\"", recs[k].raw[q]);
            jw_close(&w, ']');
            ev_json(&w, "event", &recs[k].ev, ~0u);
            jw_end(&w);
        }
    }
    free(recs);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int do_replay(runner_t *r, const step_t *st)
{
    trace_reader_t tr;
    if (trace_open(&tr, st->path, r->o->err)) {
        fprintf(r->o->err, "%s:%u:%u: error: in this replay step\n", r->s->doc.file,
                yline(st->node), ycol(st->node));
        return 2;
    }
    uint64_t cnt[5] = {0}, ccnt[REPLAY_NCLS] = {0}, total = 0, pbypass = 0, base = r->cycle; /* cnt by smmu_outcome_t */
    r->in_replay = 1;
    r->ev_count = 0;
    const unsigned char *recs;
    long got;
    double t0 = now_s(), last = t0;
    int progress = r->o->progress;
    smmu_request_t req;
    memset(&req, 0, sizeof req);
    smmu_response_t resp;
    int rc = 0;
    unsigned ntbus = r->s->timed ? r->s->timing.num_tbus : 1;
    uint64_t last_cyc = base;
    while (!rc && (got = trace_next_batch(&tr, &recs, r->o->err)) > 0) {
        uint64_t first = tr.next - (uint64_t)got;
        for (long i = 0; i < got; i++) {
            trace_rec_t t;
            trace_decode_at(&tr, recs, first, i, &t);
            if (t.port >= ntbus) {
                fprintf(r->o->err, "%s: error: bad trace: record %llu: port %u, the scenario has "
                                   "%u TBU%s (num_tbus; port 0 only without timing)\n",
                        st->path, (unsigned long long)(first + (uint64_t)i), t.port, ntbus,
                        ntbus == 1 ? "" : "s");
                fprintf(r->o->err, "%s:%u:%u: error: in this replay step\n", r->s->doc.file,
                        yline(st->node), ycol(st->node));
                rc = 2;
                break;
            }
            req.tbu = t.port;
            req.sid = t.sid;
            req.ssid = t.ssid;
            req.addr = t.addr;
            req.size = t.size;
            req.write = t.flags & TRF_WRITE ? 1 : 0;
            req.instr = t.flags & TRF_INSTR ? 1 : 0;
            req.priv = t.flags & TRF_PRIV ? 1 : 0;
            req.secure = t.flags & TRF_SECURE ? 1 : 0;
            req.ssv = t.flags & TRF_SSV ? 1 : 0;
            req.pcie = t.flags & TRF_PCIE ? 1 : 0;
            req.cycle = last_cyc = base + t.cycle; /* from the step's cycle (v1: the index) */
            if (r->s->nmsi_bypass && scenario_platform_bypass(r->s, req.sid, req.addr) >= 0) {
                pbypass++; /* delivered by the platform without the SMMU */
                cnt[SMMU_XLATE_OK]++;
                r->lat_hist[0]++;
                total++;
                continue;
            }
            smmu_translate(r->smmu, &req, &resp);
            if (resp.outcome < 5)
                cnt[resp.outcome]++;
            ccnt[resp.cls & 7]++;
            r->lat_hist[log2_bucket(resp.done_cycle > req.cycle ? resp.done_cycle - req.cycle : 0)]++;
            total++;
        }
        if (r->samples)
            write_sample(r, total);
        if (progress) {
            double t = now_s();
            if (t - last >= 0.5) {
                last = t;
                fprintf(r->o->err, "\rreplay %s: %llu/%llu (%.0f%%) %.2f M/s   ", st->text,
                        (unsigned long long)total, (unsigned long long)tr.count,
                        tr.count ? 100.0 * (double)total / (double)tr.count : 100.0,
                        (double)total / (t - t0) / 1e6);
                fflush(r->o->err);
            }
        }
    }
    double secs = now_s() - t0;
    if (progress && secs >= 0.5)
        fprintf(r->o->err, "\r%70s\r", "");
    r->in_replay = 0;
    if (got < 0) {
        fprintf(r->o->err, "%s:%u:%u: error: in this replay step\n", r->s->doc.file,
                yline(st->node), ycol(st->node));
        rc = 2;
    }
    uint64_t total_count = tr.count;
    trace_close(&tr);
    if (rc)
        return rc;
    (void)total_count;
    r->cycle = last_cyc; /* the last record's issue cycle */
    r->transactions += total;
    r->sample_base += total;
    double rate = secs > 0 ? (double)total / secs : 0;
    if (!r->o->json) {
        char pb[64] = "";
        if (pbypass)
            snprintf(pb, sizeof pb, ", %llu bypassed by the platform", (unsigned long long)pbypass);
        human(r, "replay %s: %llu transactions (%llu ok, %llu abort, %llu razwi%s), %llu events, "
                 "%.3f s, %.2f M transactions/s",
              st->text, (unsigned long long)total, (unsigned long long)cnt[0],
              (unsigned long long)cnt[1], (unsigned long long)cnt[2], pb,
              (unsigned long long)r->ev_count, secs, rate / 1e6);
    }
    const struct {
        int64_t want;
        uint64_t got;
        const char *name;
    } checks[] = {{st->exp_ok, cnt[0], "ok"},
                  {st->exp_abort, cnt[1], "abort"},
                  {st->exp_razwi, cnt[2], "razwi"},
                  {st->exp_events, r->ev_count, "events"}};
    uint64_t f0 = r->failures;
    int expected = 0;
    for (size_t i = 0; i < 4; i++) {
        if (checks[i].want < 0)
            continue;
        r->expectations++;
        expected = 1;
        char a[96], b[96];
        if ((uint64_t)checks[i].want != checks[i].got)
            fail1(r, NULL, checks[i].name, lit_num(a, (uint64_t)checks[i].want),
                  lit_num(b, checks[i].got), "replay %s: %s: expected %lld, got %llu", st->text,
                  checks[i].name, (long long)checks[i].want, (unsigned long long)checks[i].got);
    }
    if (r->o->json) {
        jw_t w;
        jw_begin(&w, r->o->out, "replay");
        step_header(r, &w, st);
        jw_str(&w, "file", st->text);
        jw_uint(&w, "transactions", total);
        jw_uint(&w, "ok", cnt[0]);
        jw_uint(&w, "abort", cnt[1]);
        jw_uint(&w, "razwi", cnt[2]);
        jw_uint(&w, "stalled", cnt[3]);
        jw_uint(&w, "busy", cnt[4]);
        if (pbypass)
            jw_uint(&w, "platform_bypass", pbypass);
        jw_uint(&w, "events", r->ev_count);
        /* a count per class (smmu_response_t.cls; platform_bypass the tool's own) */
        ccnt[REPLAY_CLS_PLATFORM_BYPASS] = pbypass;
        jw_open(&w, "classes", '{');
        for (int k = 0; k < REPLAY_NCLS; k++)
            jw_uint(&w, replay_class_names[k], ccnt[k]);
        jw_close(&w, '}');
        jw_fmt(&w, "seconds", "%.6f", secs);
        jw_fmt(&w, "per_second", "%.0f", rate);
        jw_tribool(&w, "pass", step_pass(r, expected, f0));
        jw_end(&w);
    }
    return 0;
}

/* The first JSON line: the schema and a map of every step, so that a run
 * stopped by bad input (exit 2) still maps step_index to the scenario. */
static void json_start(runner_t *r)
{
    jw_t w;
    jw_begin(&w, r->o->out, "start");
    jw_uint(&w, "schema", REPLAY_JSON_SCHEMA);
    jw_str(&w, "file", r->s->doc.file);
    jw_str(&w, "name", r->s->name);
    jw_open(&w, "steps", '[');
    for (size_t i = 0; i < r->s->nsteps; i++) {
        const step_t *st = &r->s->steps[i];
        jw_open(&w, NULL, '{');
        jw_uint(&w, "step_index", i);
        jw_str(&w, "kind", step_kind_name(st->kind));
        jw_uint(&w, "line", yline(st->node));
        jw_uint(&w, "column", ycol(st->node));
        jw_str(&w, "id", st->id);
        jw_close(&w, '}');
    }
    jw_close(&w, ']');
    jw_end(&w);
}

/* ---- statistics ---- */

#define STAT_FIELDS(X)                                                                         \
    X(translations) X(translated_ok) X(aborted) X(razwi) X(bypassed) X(walks_s1) X(walks_s2)   \
    X(tt_reads) X(ste_fetches) X(cd_fetches) X(cfg_cache_hits) X(cfg_cache_misses)             \
    X(events_raised) X(events_recorded) X(events_dropped_disabled) X(events_dropped_full)      \
    X(commands) X(cerrors) X(mem_reads) X(mem_writes) X(utlb_hits) X(tlb_hits) X(tlb_misses)  \
    X(tlb_inserts) X(tlb_invalidated) X(walk_cache_hits) X(httu_updates)

/* Timing statistics (smmu_get_timing_stats; docs/timing.md), only when the
 * scenario has timing: JSON members after the counters, or CSV lines with
 * dotted names (latency.p99, tbu.0.latency.p99, tcu.walks_s1). */
#define TM_TBU_FIELDS(X)                                                                       \
    X(translations) X(utlb_hits) X(tlb_hits) X(misses) X(merged) X(port_wait_cycles)          \
    X(slot_wait_cycles)
#define TM_LAT_FIELDS(X) X(count) X(mean) X(p50) X(p90) X(p99) X(p999) X(max)
#define TM_TCU_FIELDS(X)                                                                       \
    X(walks_s1) X(walks_s2) X(walk_cache_hits) X(tt_reads) X(cfg_misses) X(walker_busy_cycles) \
    X(peak_walkers) X(commands) X(command_cycles)

static void tm_lat_json(FILE *f, const smmu_latency_stats_t *l)
{
    fprintf(f, "{");
    int first = 1;
#define X(n)                                                                                   \
    fprintf(f, "%s\"" #n "\":%llu", first ? "" : ",", (unsigned long long)l->n);             \
    first = 0;
    TM_LAT_FIELDS(X)
#undef X
    fprintf(f, "}");
}

static void write_timing_stats(runner_t *r, FILE *f, int csv)
{
    smmu_timing_stats_t all;
    if (smmu_get_timing_stats(r->smmu, -1, &all) != SMMU_OK)
        return;
    unsigned n = r->s->timing.num_tbus;
    if (csv) {
#define X(k) fprintf(f, "latency." #k ",%llu\n", (unsigned long long)all.latency.k);
        TM_LAT_FIELDS(X)
#undef X
        for (unsigned i = 0; i < n; i++) {
            smmu_timing_stats_t t;
            smmu_get_timing_stats(r->smmu, (int)i, &t);
            if (!t.translations)
                continue;
#define X(k) fprintf(f, "tbu.%u." #k ",%llu\n", i, (unsigned long long)t.k);
            TM_TBU_FIELDS(X)
#undef X
#define X(k) fprintf(f, "tbu.%u.latency." #k ",%llu\n", i, (unsigned long long)t.latency.k);
            TM_LAT_FIELDS(X)
#undef X
        }
#define X(k) fprintf(f, "tcu." #k ",%llu\n", (unsigned long long)all.k);
        TM_TCU_FIELDS(X)
#undef X
        return;
    }
    fprintf(f, ",\"latency\":");
    tm_lat_json(f, &all.latency);
    fprintf(f, ",\"tbu\":[");
    int first_tbu = 1;
    for (unsigned i = 0; i < n; i++) {
        smmu_timing_stats_t t;
        smmu_get_timing_stats(r->smmu, (int)i, &t);
        if (!t.translations)
            continue; /* TBUs that saw no request are left out */
        fprintf(f, "%s{\"tbu\":%u", first_tbu ? "" : ",", i);
        first_tbu = 0;
#define X(k) fprintf(f, ",\"" #k "\":%llu", (unsigned long long)t.k);
        TM_TBU_FIELDS(X)
#undef X
        fprintf(f, ",\"latency\":");
        tm_lat_json(f, &t.latency);
        fprintf(f, "}");
    }
    fprintf(f, "],\"tcu\":{");
    int first = 1;
#define X(k)                                                                                   \
    fprintf(f, "%s\"" #k "\":%llu", first ? "" : ",", (unsigned long long)all.k);            \
    first = 0;
    TM_TCU_FIELDS(X)
#undef X
    fprintf(f, "}");
}

/* Statistics into the output opened before the run (fileio.h), committed
 * (checked flush, close, rename) at the end. */
static int write_stats(runner_t *r, fio_out_t *fo, int csv)
{
    smmu_stats_t st;
    smmu_get_stats(r->smmu, &st);
    FILE *f = fo->f;
    if (csv) {
        fprintf(f, "counter,value\n");
#define X(n) fprintf(f, #n ",%llu\n", (unsigned long long)st.n);
        STAT_FIELDS(X)
#undef X
        for (unsigned i = 0; i < 65; i++)
            if (r->lat_hist[i])
                fprintf(f, "latency_log2.%u,%llu\n", i, (unsigned long long)r->lat_hist[i]);
        for (unsigned i = 0; i < 256; i++)
            if (st.cmd_by_opcode[i]) {
                const char *n = smmu_cmd_name(i);
                if (n)
                    fprintf(f, "cmd.%s,%llu\n", n, (unsigned long long)st.cmd_by_opcode[i]);
                else
                    fprintf(f, "cmd.0x%02x,%llu\n", i, (unsigned long long)st.cmd_by_opcode[i]);
            }
        write_timing_stats(r, f, 1);
    } else {
        fprintf(f, "{");
        int first = 1;
#define X(n)                                                                                   \
    fprintf(f, "%s\"" #n "\":%llu", first ? "" : ",", (unsigned long long)st.n);               \
    first = 0;
        STAT_FIELDS(X)
#undef X
        fprintf(f, ",\"cmd_by_opcode\":{");
        first = 1;
        for (unsigned i = 0; i < 256; i++)
            if (st.cmd_by_opcode[i]) {
                const char *n = smmu_cmd_name(i);
                if (n)
                    fprintf(f, "%s\"%s\":%llu", first ? "" : ",", n,
                            (unsigned long long)st.cmd_by_opcode[i]);
                else
                    fprintf(f, "%s\"0x%02x\":%llu", first ? "" : ",", i,
                            (unsigned long long)st.cmd_by_opcode[i]);
                first = 0;
            }
        fprintf(f, "},\"latency_log2_histogram\":[");
        for (unsigned i = 0; i < 65; i++)
            fprintf(f, "%s%llu", i ? "," : "", (unsigned long long)r->lat_hist[i]);
        fprintf(f, "]");
        write_timing_stats(r, f, 0);
        fprintf(f, "}\n");
    }
    char why[128];
    if (fio_out_commit(fo, why, sizeof why)) {
        fprintf(r->o->err, "smmu-replay: error: writing %s: %s\n", fo->path, why);
        return -1;
    }
    return 0;
}

/* Create every output before step 1, so a bad name fails at once. */
static int open_outputs(const run_opts_t *o, fio_out_t out[3])
{
    const char *names[3] = {o->stats_json, o->stats_csv, o->samples};
    char why[128];
    for (int i = 0; i < 3; i++) {
        if (!names[i])
            continue;
        if (fio_out_open(&out[i], names[i], why, sizeof why)) {
            fprintf(o->err, "%s: error: cannot create: %s\n", names[i], why);
            for (int j = 0; j < i; j++)
                fio_out_discard(&out[j]);
            return -1;
        }
    }
    return 0;
}

int scenario_run(scenario_t *s, rmem_t *mem, const run_opts_t *o)
{
    runner_t r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.mem = mem;
    r.o = o;
    smmu_mem_ops_t ops = {
        .read = mem_read, .write = mem_write, .cas64 = mem_cas64, .raise_irq = on_irq,
        .on_event = on_event, .msi_write = on_msi, .on_atc_inv = on_atc_inv};
    smmu_ep_init(&r.ep);
    char msg[256] = "";
    r.smmu = smmu_create(&s->cfg, &ops, &r, msg, sizeof msg);
    if (!r.smmu) {
        fprintf(o->err, "%s:0:0: error: the model rejected the configuration: %s\n", s->doc.file,
                msg);
        return 2;
    }
    if (s->timed && smmu_set_timing(r.smmu, &s->timing) != SMMU_OK) {
        fprintf(o->err, "%s:0:0: error: the model rejected the timing\n", s->doc.file);
        smmu_destroy(r.smmu);
        return 2;
    }
    int rc = 0;
    fio_out_t outs[3]; /* --stats JSON, --stats CSV, --samples */
    memset(outs, 0, sizeof outs);
    if (open_outputs(o, outs)) {
        smmu_destroy(r.smmu);
        return 2;
    }
    if (o->samples) {
        r.samples = outs[2].f;
        fprintf(r.samples, "transactions,translations,translated_ok,aborted,walks_s1,walks_s2,"
                           "tt_reads,cfg_cache_hits,cfg_cache_misses,events_raised\n");
    }
    if (o->json)
        json_start(&r);
    for (size_t i = 0; i < s->nsteps && !rc; i++) {
        const step_t *st = &s->steps[i];
        r.cur = st;
        r.step_index = i;
        char *pend_buf = NULL;
        size_t pend_len = 0;
        if (o->json)
            r.pend = open_memstream(&pend_buf, &pend_len);
        switch (st->kind) {
        case ST_NOTE: do_note(&r, st); break;
        case ST_WRITE: do_write(&r, st); break;
        case ST_READ: do_read(&r, st); break;
        case ST_COMMANDS: do_commands(&r, st); break;
        case ST_MEM: do_mem_write(&r, st); break;
        case ST_MEM_READ: do_mem_read(&r, st); break;
        case ST_XLATE: do_xlate(&r, st); break;
        case ST_EVENTS: do_events(&r, st); break;
        case ST_COMPLETIONS: do_completions(&r, st); break;
        case ST_IRQS: do_irqs(&r, st); break;
        case ST_SFM: do_sfm(&r, st); break;
        case ST_ATC_INVS: do_atc_invs(&r, st); break;
        case ST_ATC: do_atc(&r, st); break;
        case ST_ENDPOINT: do_endpoint(&r, st); break;
        default: rc = do_replay(&r, st); break;
        }
        /* The embedder's side of the Stall model: after each step, take
         * what commands and register writes made ready (docs/stall.md). */
        collect_completions(&r);
        if (r.pend) {
            fclose(r.pend);
            r.pend = NULL;
            if (pend_len)
                fwrite(pend_buf, 1, pend_len, o->out);
        }
        free(pend_buf);
    }
    if (!rc && o->stats_json && write_stats(&r, &outs[0], 0))
        rc = 2;
    if (!rc && o->stats_csv && write_stats(&r, &outs[1], 1))
        rc = 2;
    if (!rc && r.samples) {
        char why[128];
        if (fio_out_commit(&outs[2], why, sizeof why)) {
            fprintf(o->err, "smmu-replay: error: writing %s: %s\n", o->samples, why);
            rc = 2;
        }
    }
    r.samples = NULL;
    for (int i = 0; i < 3; i++)
        fio_out_discard(&outs[i]); /* after a failure: the temporary files only */
    if (!rc)
        rc = r.failures ? 1 : 0;
    if (o->json) {
        jw_t w;
        jw_begin(&w, o->out, "summary");
        jw_uint(&w, "schema", REPLAY_JSON_SCHEMA);
        jw_str(&w, "file", s->doc.file);
        jw_uint(&w, "steps", s->nsteps);
        jw_uint(&w, "transactions", r.transactions);
        jw_uint(&w, "events_read", r.events_read);
        jw_uint(&w, "expectations", r.expectations);
        jw_uint(&w, "failed", r.failures);
        jw_int(&w, "status", rc);
        jw_end(&w);
    } else {
        fprintf(o->out,
                "%s%s: %zu steps, %llu transactions, %llu event records read, %llu expectations, "
                "%llu failed: %s\n",
                o->quiet ? "" : "\n", s->doc.file, s->nsteps, (unsigned long long)r.transactions,
                (unsigned long long)r.events_read, (unsigned long long)r.expectations,
                (unsigned long long)r.failures,
                rc == 0 ? "PASS" : rc == 1 ? "FAIL" : "ERROR");
    }
    smmu_destroy(r.smmu);
    free(r.comp);
    free(r.irq);
    return rc;
}
