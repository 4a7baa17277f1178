/* Scenario runner: executes the steps against one SMMU instance, checks the
 * expectations and reports (human or JSON lines). docs/replay-json.md. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "replay.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"
#include "trace.h"

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
    /* trace replays: latency histogram (log2 buckets of done_cycle - cycle)
     * and the samples file */
    uint64_t lat_hist[65];
    FILE *samples;
    uint64_t sample_base;
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
    if (lat)
        *lat = 0;
    return rmem_read(((runner_t *)ctx)->mem, pa, buf, len);
}

static int mem_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                     smmu_access_kind_t kind, uint32_t *lat)
{
    (void)kind;
    if (lat)
        *lat = 0;
    return rmem_write(((runner_t *)ctx)->mem, pa, buf, len);
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

static void json_str(FILE *f, const char *s)
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

static const char *const outcome_names[] = {"ok", "abort", "razwi", "stalled"};

static const char *outcome_name(unsigned o) { return o < 4 ? outcome_names[o] : "invalid"; }

static void fail(runner_t *r, const yaml_node_t *at, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    r->failures++;
    const yaml_node_t *n = at ? at : r->cur->node;
    if (r->o->json) {
        fprintf(r->o->out, "{\"type\":\"fail\",\"file\":");
        json_str(r->o->out, r->s->doc.file);
        fprintf(r->o->out, ",\"line\":%u,\"column\":%u,\"step\":\"%s\",\"message\":", yline(n),
                ycol(n),
                (const char *[]){"note", "write", "read", "commands", "mem_write", "xlate",
                                 "events", "replay"}[r->cur->kind]);
        json_str(r->o->out, msg);
        fprintf(r->o->out, "}\n");
    } else {
        fprintf(r->o->out, "%s:%u:%u: FAILED: %s\n", r->s->doc.file, yline(n), ycol(n), msg);
    }
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

static void ev_json(FILE *f, const smmu_event_t *e)
{
    const char *n = evt_type_name(e->type);
    fprintf(f, "{\"type\":");
    json_str(f, n ? n : "UNKNOWN");
    fprintf(f,
            ",\"type_code\":%u,\"sid\":%u,\"ssv\":%u,\"ssid\":%u,\"s2\":%u,\"class\":%u,"
            "\"rnw\":%u,\"ind\":%u,\"pnu\":%u,\"nsipa\":%u,\"ttrnw\":%u,\"stall\":%u,"
            "\"stag\":%u,\"reason\":%u,\"input_addr\":\"0x%llx\",\"ipa\":\"0x%llx\","
            "\"fetch_addr\":\"0x%llx\"}",
            e->type, e->sid, e->ssv, e->ssid, e->s2, e->cls, e->rnw, e->ind, e->pnu, e->nsipa,
            e->ttrnw, e->stall, e->stag, e->reason, (unsigned long long)e->input_addr,
            (unsigned long long)e->ipa, (unsigned long long)e->fetch_addr);
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

/* Compare an event with an expectation; 0 if it matches, else a message. */
static int ev_mismatch(const evexp_t *x, const smmu_event_t *e, char *why, size_t len)
{
#define CMP(bit, field, name)                                                                  \
    if ((x->has & (1u << (bit))) && (uint64_t)x->ev.field != (uint64_t)e->field) {             \
        snprintf(why, len, "%s: expected 0x%llx, got 0x%llx", name,                            \
                 (unsigned long long)x->ev.field, (unsigned long long)e->field);               \
        return 1;                                                                              \
    }
    if ((x->has & (1u << EF_TYPE)) && x->ev.type != e->type) {
        const char *a = evt_type_name(x->ev.type), *b = evt_type_name(e->type);
        snprintf(why, len, "type: expected %s (0x%02x), got %s (0x%02x)", a ? a : "?",
                 x->ev.type, b ? b : "UNKNOWN", e->type);
        return 1;
    }
    CMP(EF_SID, sid, "sid")
    CMP(EF_SSV, ssv, "ssv")
    CMP(EF_SSID, ssid, "ssid")
    CMP(EF_S2, s2, "s2")
    CMP(EF_CLASS, cls, "class")
    CMP(EF_RNW, rnw, "rnw")
    CMP(EF_IND, ind, "ind")
    CMP(EF_PNU, pnu, "pnu")
    CMP(EF_NSIPA, nsipa, "nsipa")
    CMP(EF_TTRNW, ttrnw, "ttrnw")
    CMP(EF_STALL, stall, "stall")
    CMP(EF_STAG, stag, "stag")
    CMP(EF_REASON, reason, "reason")
    CMP(EF_INPUT_ADDR, input_addr, "input_addr")
    CMP(EF_IPA, ipa, "ipa")
    CMP(EF_FETCH_ADDR, fetch_addr, "fetch_addr")
#undef CMP
    return 0;
}

static int x_mismatch(runner_t *r, const xexp_t *x, const smmu_response_t *resp, char *why,
                      size_t len)
{
    char evs[400] = "no event";
    if (resp->event && r->nev)
        ev_text(evs, sizeof evs, &r->last_ev);
    else if (resp->event) {
        const char *n = evt_type_name(resp->event);
        snprintf(evs, sizeof evs, "%s", n ? n : "UNKNOWN");
    }
    if (x->nany) {
        size_t used = (size_t)snprintf(why, len, "any_of: no alternative holds:");
        for (size_t i = 0; i < x->nany; i++) {
            char sub[512];
            if (!x_mismatch(r, &x->any[i], resp, sub, sizeof sub))
                return 0;
            if (used < len)
                used += (size_t)snprintf(why + used, len - used, " [%zu] %s;", i + 1, sub);
        }
        return 1;
    }
    if (x->has_pa) {
        if (resp->outcome != SMMU_XLATE_OK) {
            snprintf(why, len, "pa: expected 0x%llx, got outcome %s (%s)",
                     (unsigned long long)x->pa, outcome_name(resp->outcome), evs);
            return 1;
        }
        if (resp->pa != x->pa) {
            snprintf(why, len, "pa: expected 0x%llx, got 0x%llx", (unsigned long long)x->pa,
                     (unsigned long long)resp->pa);
            return 1;
        }
        if (resp->event) {
            snprintf(why, len, "pa: translated, but an event was raised (%s)", evs);
            return 1;
        }
    }
    if (x->outcome >= 0 && resp->outcome != (unsigned)x->outcome) {
        snprintf(why, len, "outcome: expected %s, got %s (%s)", outcome_name((unsigned)x->outcome),
                 outcome_name(resp->outcome), evs);
        return 1;
    }
    if (x->outcome >= 0 && !x->has_fault && resp->event) {
        snprintf(why, len, "outcome: expected %s without an event, got event %s",
                 outcome_name((unsigned)x->outcome), evs);
        return 1;
    }
    if (x->has_fault) {
        if (!resp->event) {
            const char *n = evt_type_name(x->fault.ev.type);
            snprintf(why, len, "fault: expected %s, got outcome %s with no event", n ? n : "?",
                     outcome_name(resp->outcome));
            if (resp->outcome == SMMU_XLATE_OK)
                snprintf(why + strlen(why), len - strlen(why), " (pa 0x%llx)",
                         (unsigned long long)resp->pa);
            return 1;
        }
        smmu_event_t got;
        if (r->nev)
            got = r->last_ev;
        else {
            memset(&got, 0, sizeof got);
            got.type = resp->event;
            if (x->fault.has & ~(1u << EF_TYPE)) {
                if (x->fault.ev.type != resp->event) {
                    ev_mismatch(&x->fault, &got, why, len);
                    return 1;
                }
                snprintf(why, len, "fault: the model reported %s but delivered no event record "
                                   "to compare fields with", evs);
                return 1;
            }
        }
        char sub[512];
        if (ev_mismatch(&x->fault, &got, sub, sizeof sub)) {
            snprintf(why, len, "fault %s", sub);
            return 1;
        }
        if (x->outcome < 0 && resp->outcome == SMMU_XLATE_OK) {
            snprintf(why, len, "fault: the event was raised but the transaction completed "
                               "(pa 0x%llx)", (unsigned long long)resp->pa);
            return 1;
        }
    }
    if (x->platform_bypass >= 0 && r->bypassed != x->platform_bypass) {
        snprintf(why, len, "platform_bypass: expected %s, got %s",
                 x->platform_bypass ? "true (an msi_bypass region)" : "false",
                 r->bypassed ? "true (the SMMU did not see it)" : "false (translated by the SMMU)");
        return 1;
    }
    if (x->recorded >= 0 && (resp->recorded ? 1 : 0) != x->recorded) {
        snprintf(why, len, "recorded: expected %s, got %s", x->recorded ? "true" : "false",
                 resp->recorded ? "true" : "false");
        return 1;
    }
    return 0;
}

/* ---- steps ---- */

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

static void do_read(runner_t *r, const step_t *st)
{
    char nb[32];
    uint64_t v = rd(r, st->off, st->size);
    int w = st->size == 8 ? 16 : 8;
    if (st->has_expect) {
        r->expectations++;
        if ((v & st->mask) != (st->value & st->mask)) {
            fail(r, NULL, "%s: expected 0x%0*llx (mask 0x%llx), got 0x%0*llx", regtxt(st, nb, sizeof nb), w,
                 (unsigned long long)st->value, (unsigned long long)st->mask, w, (unsigned long long)v);
            return;
        }
        human(r, "read  %-22s = 0x%0*llx  ok", regtxt(st, nb, sizeof nb), w, (unsigned long long)v);
    } else {
        human(r, "read  %-22s = 0x%0*llx", regtxt(st, nb, sizeof nb), w, (unsigned long long)v);
    }
}

static unsigned q_log2(uint64_t base_reg, unsigned max)
{
    unsigned l = (unsigned)(base_reg & 0x1F);
    return l > max ? max : l;
}

static void do_commands(runner_t *r, const step_t *st)
{
    const smmu_config_t *cfg = smmu_get_config(r->smmu);
    unsigned log2 = q_log2(r->cmdq_base, cfg->cmdqs);
    uint64_t base = r->cmdq_base & SMMU_MASK(55, 5);
    uint32_t n = 1u << log2, idx_mask = n - 1, ptr_mask = (2u * n) - 1;
    uint32_t prod = r->cmdq_prod & ptr_mask;
    for (size_t i = 0; i < st->ncmds; i++) {
        uint32_t cons = (uint32_t)rd(r, SMMU_CMDQ_CONS, 4) & ptr_mask;
        if ((prod & idx_mask) == (cons & idx_mask) && (prod & n) != (cons & n)) {
            /* full: publish what we have and let the SMMU consume */
            wr(r, SMMU_CMDQ_PROD, prod, 4);
            cons = (uint32_t)rd(r, SMMU_CMDQ_CONS, 4) & ptr_mask;
            if ((prod & idx_mask) == (cons & idx_mask) && (prod & n) != (cons & n)) {
                fail(r, NULL, "commands: the command queue is full and the SMMU consumes "
                              "nothing (CMDQ_CONS 0x%x, CMDQ_PROD 0x%x)", cons, prod);
                return;
            }
        }
        unsigned char b[16];
        for (int w = 0; w < 2; w++)
            for (int k = 0; k < 8; k++)
                b[w * 8 + k] = (unsigned char)(st->cmds[i][w] >> (8 * k));
        rmem_load(r->mem, base + (uint64_t)(prod & idx_mask) * 16, b, 16);
        prod = (prod + 1) & ptr_mask;
    }
    wr(r, SMMU_CMDQ_PROD, prod, 4);
    uint32_t cons_reg = (uint32_t)rd(r, SMMU_CMDQ_CONS, 4);
    uint32_t err = (uint32_t)SMMU_GET(cons_reg, 30, 24);
    /* CMDQ_CONS.ERR is meaningful only while GERROR.CMDQ_ERR is active
     * (GERROR.CMDQ_ERR != GERRORN.CMDQ_ERR, 7.1); it is not cleared. */
    int err_active = (int)((rd(r, SMMU_GERROR, 4) ^ rd(r, SMMU_GERRORN, 4)) & SMMU_GERROR_CMDQ_ERR);
    if (!err_active)
        err = 0;
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < st->ncmds && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 st->cmd_names[i] ? st->cmd_names[i] : "?");
    if (st->cerror >= 0) {
        r->expectations++;
        if ((int)err != st->cerror || (st->cerror && !err_active)) {
            fail(r, NULL, "commands: expected CMDQ_CONS.ERR 0x%x, got 0x%x (CMDQ_CONS 0x%08x, "
                          "GERROR.CMDQ_ERR %s)", (unsigned)st->cerror, err, cons_reg,
                 err_active ? "active" : "not active");
            return;
        }
        human(r, "commands %s: CMDQ_CONS 0x%08x, ERR 0x%x as expected", list, cons_reg, err);
        return;
    }
    if (st->has_sync) {
        r->expectations++;
        if ((cons_reg & ptr_mask) != prod || err) {
            fail(r, NULL, "commands: CMD_SYNC did not complete: CMDQ_CONS 0x%08x (ERR 0x%x), "
                          "CMDQ_PROD 0x%x", cons_reg, err, prod);
            return;
        }
        human(r, "commands %s: consumed, CMDQ_CONS 0x%08x", list, cons_reg);
        return;
    }
    human(r, "commands %s: CMDQ_PROD 0x%x, CMDQ_CONS 0x%08x", list, prod, cons_reg);
}

static void do_xlate(runner_t *r, const step_t *st)
{
    smmu_response_t resp;
    memset(&resp, 0, sizeof resp);
    r->nev = 0;
    r->transactions++;
    smmu_request_t req = st->req;
    /* platform.msi_bypass: the interconnect delivers the transaction
     * without the SMMU (untranslated, no event, no statistics). */
    int region = scenario_platform_bypass(r->s, req.addr);
    r->bypassed = region >= 0;
    if (r->bypassed) {
        resp.outcome = SMMU_XLATE_OK;
        resp.pa = req.addr;
        resp.perms = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
        resp.done_cycle = req.cycle;
    } else if (smmu_translate(r->smmu, &req, &resp) != SMMU_OK) {
        fail(r, NULL, "xlate: the model rejected the request (SMMU_ERR_INVAL)");
        return;
    }
    int pass = -1;
    char why[2048] = "";
    if (st->has_xexp) {
        r->expectations++;
        pass = !x_mismatch(r, &st->xe, &resp, why, sizeof why);
    }
    const smmu_request_t *q = &st->req;
    if (r->o->json) {
        FILE *f = r->o->out;
        fprintf(f, "{\"type\":\"xlate\",\"line\":%u,\"sid\":%u,", yline(st->node), q->sid);
        if (q->ssv)
            fprintf(f, "\"ssid\":%u,", q->ssid);
        else
            fprintf(f, "\"ssid\":null,");
        fprintf(f,
                "\"addr\":\"0x%llx\",\"size\":%u,\"write\":%s,\"instr\":%s,\"priv\":%s,"
                "\"secure\":%s,\"outcome\":\"%s\",",
                (unsigned long long)q->addr, q->size, q->write ? "true" : "false",
                q->instr ? "true" : "false", q->priv ? "true" : "false",
                q->secure ? "true" : "false", outcome_name(resp.outcome));
        if (r->bypassed)
            fprintf(f, "\"platform_bypass\":true,");
        if (resp.outcome == SMMU_XLATE_OK)
            fprintf(f, "\"pa\":\"0x%llx\",", (unsigned long long)resp.pa);
        else
            fprintf(f, "\"pa\":null,");
        if (resp.event && r->nev) {
            fprintf(f, "\"event\":");
            ev_json(f, &r->last_ev);
            fprintf(f, ",");
        } else if (resp.event) {
            const char *n = evt_type_name(resp.event);
            fprintf(f, "\"event\":{\"type\":");
            json_str(f, n ? n : "UNKNOWN");
            fprintf(f, ",\"type_code\":%u},", resp.event);
        } else {
            fprintf(f, "\"event\":null,");
        }
        fprintf(f, "\"recorded\":%s,\"pass\":%s}\n", resp.recorded ? "true" : "false",
                pass < 0 ? "null" : pass ? "true" : "false");
    } else {
        char res[512];
        if (r->bypassed)
            snprintf(res, sizeof res, "pa 0x%llx (bypassed by the platform: msi_bypass region %d, "
                                      "not seen by the SMMU)", (unsigned long long)resp.pa, region);
        else if (resp.outcome == SMMU_XLATE_OK)
            snprintf(res, sizeof res, "pa 0x%llx", (unsigned long long)resp.pa);
        else if (resp.event) {
            char evs[400];
            if (r->nev)
                ev_text(evs, sizeof evs, &r->last_ev);
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
        fail(r, st->xe.node, "%s", why);
}

static void do_events(runner_t *r, const step_t *st)
{
    const smmu_config_t *cfg = smmu_get_config(r->smmu);
    unsigned log2 = q_log2(r->evtq_base, cfg->eventqs);
    uint64_t base = r->evtq_base & SMMU_MASK(55, 5);
    uint32_t n = 1u << log2, idx_mask = n - 1, ptr_mask = 2u * n - 1;
    uint32_t prod_reg = (uint32_t)rd(r, SMMU_EVENTQ_PROD, 4);
    uint32_t cons_reg = (uint32_t)rd(r, SMMU_EVENTQ_CONS, 4);
    uint32_t prod = prod_reg & ptr_mask, cons = cons_reg & ptr_mask;
    size_t i = 0;
    r->expectations++;
    size_t failed_before = (size_t)r->failures;
    while (cons != prod && i <= n) {
        uint32_t rec[8];
        unsigned char b[32];
        rmem_peek(r->mem, base + (uint64_t)(cons & idx_mask) * 32, b, 32);
        for (int w = 0; w < 8; w++)
            rec[w] = (uint32_t)b[w * 4] | (uint32_t)b[w * 4 + 1] << 8 |
                     (uint32_t)b[w * 4 + 2] << 16 | (uint32_t)b[w * 4 + 3] << 24;
        smmu_event_t ev;
        smmu_event_decode(rec, &ev);
        r->events_read++;
        if (r->o->json) {
            fprintf(r->o->out, "{\"type\":\"event\",\"line\":%u,\"index\":%u,\"raw\":[",
                    yline(st->node), cons & idx_mask);
            for (int w = 0; w < 8; w++)
                fprintf(r->o->out, "%s\"0x%08x\"", w ? "," : "", rec[w]);
            fprintf(r->o->out, "],\"event\":");
            ev_json(r->o->out, &ev);
            fprintf(r->o->out, "}\n");
        } else {
            char t[400];
            ev_text(t, sizeof t, &ev);
            human(r, "event [%u] %s", cons & idx_mask, t);
        }
        if (i < st->nevs) {
            char why[512];
            const evexp_t *x = &st->evs[i];
            if (x->has_raw) {
                for (int w = 0; w < 8; w++)
                    if (rec[w] != x->raw[w]) {
                        fail(r, x->node, "event record %zu: raw word %d: expected 0x%08x, got 0x%08x",
                             i + 1, w, x->raw[w], rec[w]);
                        break;
                    }
            }
            if (ev_mismatch(x, &ev, why, sizeof why))
                fail(r, x->node, "event record %zu: %s", i + 1, why);
        }
        i++;
        cons = (cons + 1) & ptr_mask;
    }
    /* consume, acknowledging an overflow (7.4: OVACKFLG = OVFLG) */
    wr(r, SMMU_EVENTQ_CONS, cons | (prod_reg & SMMU_Q_OVF), 4);
    if (i != st->nevs)
        fail(r, NULL, "events: expected %zu record%s, the event queue held %zu (EVENTQ_PROD "
                      "0x%08x, EVENTQ_CONS 0x%08x)", st->nevs, st->nevs == 1 ? "" : "s", i,
             prod_reg, cons_reg);
    if (st->overflow >= 0) {
        int ovf = ((prod_reg ^ cons_reg) & SMMU_Q_OVF) ? 1 : 0;
        if (ovf != st->overflow)
            fail(r, NULL, "events: overflow: expected %s, got %s (EVENTQ_PROD 0x%08x, "
                          "EVENTQ_CONS 0x%08x)", st->overflow ? "true" : "false",
                 ovf ? "true" : "false", prod_reg, cons_reg);
    }
    if (!i)
        human(r, "events: queue empty%s", st->nevs ? "" : "  ok");
    else if ((size_t)r->failures == failed_before)
        human(r, "events: %zu record%s  ok", i, i == 1 ? "" : "s");
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
    uint64_t cnt[4] = {0}, total = 0, pbypass = 0;
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
    while ((got = trace_next_batch(&tr, &recs, r->o->err)) > 0) {
        for (long i = 0; i < got; i++) {
            trace_rec_t t;
            trace_decode(recs + (size_t)i * TRACE_REC_SIZE, &t);
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
            req.cycle = total;
            if (r->s->nmsi_bypass && scenario_platform_bypass(r->s, req.addr) >= 0) {
                pbypass++; /* delivered by the platform without the SMMU */
                cnt[SMMU_XLATE_OK]++;
                r->lat_hist[0]++;
                total++;
                continue;
            }
            smmu_translate(r->smmu, &req, &resp);
            cnt[resp.outcome & 3]++;
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
    r->transactions += total;
    r->sample_base += total;
    double rate = secs > 0 ? (double)total / secs : 0;
    if (r->o->json) {
        fprintf(r->o->out, "{\"type\":\"replay\",\"line\":%u,\"file\":", yline(st->node));
        json_str(r->o->out, st->text);
        fprintf(r->o->out,
                ",\"transactions\":%llu,\"ok\":%llu,\"abort\":%llu,\"razwi\":%llu,"
                "\"stalled\":%llu,",
                (unsigned long long)total, (unsigned long long)cnt[0], (unsigned long long)cnt[1],
                (unsigned long long)cnt[2], (unsigned long long)cnt[3]);
        if (pbypass)
            fprintf(r->o->out, "\"platform_bypass\":%llu,", (unsigned long long)pbypass);
        fprintf(r->o->out, "\"events\":%llu,\"seconds\":%.6f,\"per_second\":%.0f}\n",
                (unsigned long long)r->ev_count, secs, rate);
    } else {
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
    for (size_t i = 0; i < 4; i++) {
        if (checks[i].want < 0)
            continue;
        r->expectations++;
        if ((uint64_t)checks[i].want != checks[i].got)
            fail(r, NULL, "replay %s: %s: expected %lld, got %llu", st->text, checks[i].name,
                 (long long)checks[i].want, (unsigned long long)checks[i].got);
    }
    return 0;
}

/* ---- statistics ---- */

#define STAT_FIELDS(X)                                                                         \
    X(translations) X(translated_ok) X(aborted) X(razwi) X(bypassed) X(walks_s1) X(walks_s2)   \
    X(tt_reads) X(ste_fetches) X(cd_fetches) X(cfg_cache_hits) X(cfg_cache_misses)             \
    X(events_raised) X(events_recorded) X(events_dropped_disabled) X(events_dropped_full)      \
    X(commands) X(cerrors) X(mem_reads) X(mem_writes) X(utlb_hits) X(tlb_hits) X(tlb_misses)  \
    X(tlb_inserts) X(tlb_invalidated) X(walk_cache_hits) X(httu_updates)

static int write_stats(runner_t *r, const char *path, int csv)
{
    smmu_stats_t st;
    smmu_get_stats(r->smmu, &st);
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(r->o->err, "%s: error: cannot write statistics\n", path);
        return -1;
    }
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
        fprintf(f, "]}\n");
    }
    if (fclose(f)) {
        fprintf(r->o->err, "%s: error: cannot write statistics\n", path);
        return -1;
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
        .read = mem_read, .write = mem_write, .cas64 = mem_cas64, .on_event = on_event};
    char msg[256] = "";
    r.smmu = smmu_create(&s->cfg, &ops, &r, msg, sizeof msg);
    if (!r.smmu) {
        fprintf(o->err, "%s:0:0: error: the model rejected the configuration: %s\n", s->doc.file,
                msg);
        return 2;
    }
    int rc = 0;
    if (o->samples) {
        r.samples = fopen(o->samples, "w");
        if (!r.samples) {
            fprintf(o->err, "%s: error: cannot write samples\n", o->samples);
            smmu_destroy(r.smmu);
            return 2;
        }
        fprintf(r.samples, "transactions,translations,translated_ok,aborted,walks_s1,walks_s2,"
                           "tt_reads,cfg_cache_hits,cfg_cache_misses,events_raised\n");
    }
    for (size_t i = 0; i < s->nsteps && !rc; i++) {
        const step_t *st = &s->steps[i];
        r.cur = st;
        char nb[32];
        switch (st->kind) {
        case ST_NOTE:
            if (!o->json && !o->quiet)
                fprintf(o->out, "\n      # %s\n", st->text);
            break;
        case ST_WRITE:
            wr(&r, st->off, st->value, st->size);
            human(&r, "write %-22s <- 0x%0*llx", regtxt(st, nb, sizeof nb), st->size == 8 ? 16 : 8,
                  (unsigned long long)st->value);
            break;
        case ST_READ: do_read(&r, st); break;
        case ST_COMMANDS: do_commands(&r, st); break;
        case ST_MEM:
            rmem_load(mem, st->addr, st->bytes, st->len);
            human(&r, "mem_write %zu bytes at 0x%llx", st->len, (unsigned long long)st->addr);
            break;
        case ST_XLATE: do_xlate(&r, st); break;
        case ST_EVENTS: do_events(&r, st); break;
        default: rc = do_replay(&r, st); break;
        }
    }
    if (!rc && o->stats_json && write_stats(&r, o->stats_json, 0))
        rc = 2;
    if (!rc && o->stats_csv && write_stats(&r, o->stats_csv, 1))
        rc = 2;
    if (r.samples && fclose(r.samples) && !rc) {
        fprintf(o->err, "%s: error: cannot write samples\n", o->samples);
        rc = 2;
    }
    if (!rc)
        rc = r.failures ? 1 : 0;
    if (o->json) {
        fprintf(o->out,
                "{\"type\":\"summary\",\"file\":");
        json_str(o->out, s->doc.file);
        fprintf(o->out,
                ",\"steps\":%zu,\"transactions\":%llu,\"events_read\":%llu,"
                "\"expectations\":%llu,\"failed\":%llu,\"status\":%d}\n",
                s->nsteps, (unsigned long long)r.transactions, (unsigned long long)r.events_read,
                (unsigned long long)r.expectations, (unsigned long long)r.failures, rc);
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
    return rc;
}
