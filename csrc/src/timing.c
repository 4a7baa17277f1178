/* SPDX-License-Identifier: Apache-2.0 */
/* Cycle-approximate timing beside the functional model (docs/timing.md).
 *
 * A timed translation runs the functional one unchanged, then prices the
 * path it took (timing.h: smmu_tpath_t, read from the statistics counters
 * and the walks' cost sink) with the resources of the TBU the request
 * entered and of the TCU:
 *   TBU: one lookup per cycle (the port), micro-TLB then main TLB, and
 *        tbu_slots outstanding misses;
 *   link: link_latency each way;
 *   TCU: tcu_slots translations at once, the configuration cache, and
 *        min(ptw_slots, max_reads) walkers, each walking one translation
 *        (its reads one after the other, each its latency).
 * A fill is visible only from its completion cycle: a hit on an entry
 * whose miss is still in flight completes with that miss (merged). */
#include "timing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smmu_internal.h"

#define FINE 4096u  /* latencies below: one bucket per cycle */
#define NPEND 256u  /* fills in flight remembered */

typedef struct tlat {
    uint64_t count, sum, max;
    uint64_t fine[FINE];
    uint64_t log2[65];
} tlat_t;

typedef struct tbu_state {
    uint64_t port_free;   /* first cycle the lookup port is free */
    uint64_t *slots;      /* tbu_slots: cycle each slot frees (NULL: unlimited) */
    uint64_t translations, utlb_hits, tlb_hits, misses, merged, port_wait, slot_wait;
    tlat_t lat;
} tbu_state_t;

/* A translation in flight: issued, not yet complete at `done`. Its
 * results (micro-TLB entry of its stream and 4K page; TLB entry when it
 * walked) are visible from `done` on. The walk part of its path is kept so
 * that a request which the functional model answered from its entry
 * before `done`, but may not merge with it (another TBU or another
 * stream), is priced as the same walk of its own (docs/timing.md rule 9). */
typedef struct pend {
    uint32_t sid, ssid; /* ssid = UINT32_MAX without a SubstreamID */
    uint8_t tbu;
    uint8_t tlb_fill;   /* it walked: the TLB entry it fills is shared */
    uint64_t page;      /* input address >> 12 */
    uint64_t base, size, done;
    uint64_t delta; /* output - input address of the translation (its identity) */
    uint32_t walks_s1, walks_s2, wc_hits, tt_reads;
    uint64_t mem_cycles;
} pend_t;

struct smmu_timing_state {
    smmu_timing_t t;
    uint64_t now;       /* latest cycle a call carried */
    uint64_t cur;       /* issue cycle of the translation in progress */
    unsigned nwalkers;  /* 0: unlimited */
    uint64_t *walkers;  /* cycle each walker frees */
    uint64_t *tcu;      /* tcu_slots: cycle each frees (NULL: unlimited) */
    tbu_state_t *tbu;
    pend_t pend[NPEND];
    unsigned npend;
    uint64_t walks_s1, walks_s2, wc_hits, tt_reads, cfg_misses, walker_busy, peak_walkers;
    uint64_t commands, command_cycles;
};

static inline uint64_t max64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* The slot of pool p (n entries) that frees first; *at becomes the cycle
 * the request gets it (not before *at). Returns the slot's index. */
static unsigned pool_take(const uint64_t *p, unsigned n, uint64_t *at)
{
    unsigned best = 0;
    for (unsigned i = 1; i < n; i++)
        if (p[i] < p[best])
            best = i;
    *at = max64(*at, p[best]);
    return best;
}

static void lat_add(tlat_t *l, uint64_t v)
{
    l->count++;
    l->sum += v;
    if (v > l->max)
        l->max = v;
    if (v < FINE)
        l->fine[v]++;
    unsigned b = 0;
    while (b < 64 && (v >> b))
        b++;
    l->log2[b]++; /* 0 -> 0; [2^(b-1), 2^b) -> b */
}

/* The smallest latency v with at least `num/den` of the samples <= v
 * (above FINE: the upper bound of the log2 bucket). */
static uint64_t lat_pct(const tlat_t *l, uint64_t num, uint64_t den)
{
    if (!l->count)
        return 0;
    uint64_t need = (l->count * num + den - 1) / den, seen = 0;
    if (!need)
        need = 1;
    for (unsigned v = 0; v < FINE; v++) {
        seen += l->fine[v];
        if (seen >= need)
            return v;
    }
    for (unsigned b = 13; b <= 64; b++) { /* log2 buckets above FINE = 2^12 */
        seen += l->log2[b];
        if (seen >= need)
            return b == 64 ? l->max : ((1ull << b) - 1 < l->max ? (1ull << b) - 1 : l->max);
    }
    return l->max;
}

static void lat_merge(tlat_t *a, const tlat_t *b)
{
    a->count += b->count;
    a->sum += b->sum;
    a->max = max64(a->max, b->max);
    for (unsigned i = 0; i < FINE; i++)
        a->fine[i] += b->fine[i];
    for (unsigned i = 0; i < 65; i++)
        a->log2[i] += b->log2[i];
}

void smmu_timing_free(smmu_t *s)
{
    struct smmu_timing_state *m = s->tm;
    if (!m)
        return;
    for (unsigned i = 0; m->tbu && i < m->t.num_tbus; i++)
        free(m->tbu[i].slots);
    free(m->tbu);
    free(m->walkers);
    free(m->tcu);
    free(m);
    s->utlb.e = s->tm_utlb; /* the micro-TLB hit path is live again */
    s->tm_utlb = NULL;
    s->tm_gate = NULL;
    smmu_gates_update(s);
    s->tm = NULL;
    s->tm_lat_tt = s->tm_lat_upd = 0;
}

void smmu_timing_reset(smmu_t *s)
{
    struct smmu_timing_state *m = s->tm;
    s->tm_cost = 0;
    if (!m)
        return;
    m->now = m->cur = 0;
    m->npend = 0;
    m->walks_s1 = m->walks_s2 = m->wc_hits = m->tt_reads = m->cfg_misses = 0;
    m->walker_busy = m->peak_walkers = m->commands = m->command_cycles = 0;
    if (m->walkers)
        memset(m->walkers, 0, m->nwalkers * sizeof(*m->walkers));
    if (m->tcu)
        memset(m->tcu, 0, m->t.tcu_slots * sizeof(*m->tcu));
    for (unsigned i = 0; i < m->t.num_tbus; i++) {
        tbu_state_t *b = &m->tbu[i];
        uint64_t *slots = b->slots;
        memset(b, 0, sizeof(*b));
        b->slots = slots;
        if (slots)
            memset(slots, 0, m->t.tbu_slots * sizeof(*slots));
    }
}

#define TM_MAX_LATENCY 1000000u
#define TM_MAX_SLOTS 4096u

smmu_status_t smmu_timing_check(const smmu_timing_t *t, char *msg, size_t msg_len)
{
    char tmp[8];
    if (!msg || !msg_len) {
        msg = tmp;
        msg_len = sizeof tmp;
    }
    msg[0] = 0;
    if (!t) {
        snprintf(msg, msg_len, "no timing");
        return SMMU_ERR_CONFIG;
    }
    if (t->num_tbus < 1 || t->num_tbus > SMMU_TIMING_MAX_TBUS) {
        snprintf(msg, msg_len, "num_tbus %u outside 1..%u", t->num_tbus, SMMU_TIMING_MAX_TBUS);
        return SMMU_ERR_CONFIG;
    }
    const struct {
        const char *name;
        uint32_t v, max;
    } f[] = {
        {"utlb_latency", t->utlb_latency, TM_MAX_LATENCY},
        {"tlb_latency", t->tlb_latency, TM_MAX_LATENCY},
        {"link_latency", t->link_latency, TM_MAX_LATENCY},
        {"cfg_cache_latency", t->cfg_cache_latency, TM_MAX_LATENCY},
        {"walk_cache_latency", t->walk_cache_latency, TM_MAX_LATENCY},
        {"cmd_cost", t->cmd_cost, TM_MAX_LATENCY},
        {"dm_latency", t->dm_latency, TM_MAX_LATENCY},
        {"tbu_slots", t->tbu_slots, TM_MAX_SLOTS},
        {"tcu_slots", t->tcu_slots, TM_MAX_SLOTS},
        {"ptw_slots", t->ptw_slots, TM_MAX_SLOTS},
        {"max_reads", t->max_reads, TM_MAX_SLOTS},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].v > f[i].max) {
            snprintf(msg, msg_len, "%s %u outside 0..%u", f[i].name, f[i].v, f[i].max);
            return SMMU_ERR_CONFIG;
        }
    for (unsigned k = 0; k < SMMU_TIMING_ACC_KINDS; k++)
        if (t->mem_latency[k] > TM_MAX_LATENCY) {
            snprintf(msg, msg_len, "mem_latency[%u] %u outside 0..%u", k, t->mem_latency[k],
                     TM_MAX_LATENCY);
            return SMMU_ERR_CONFIG;
        }
    return SMMU_OK;
}

smmu_status_t smmu_set_timing(smmu_t *s, const smmu_timing_t *t)
{
    if (!s)
        return SMMU_ERR_INVAL;
    if (t && smmu_timing_check(t, NULL, 0) != SMMU_OK)
        return SMMU_ERR_INVAL;
    smmu_timing_free(s);
    if (!t)
        return SMMU_OK;
    struct smmu_timing_state *m = calloc(1, sizeof(*m));
    if (!m)
        return SMMU_ERR_NOMEM;
    m->t = *t;
    unsigned w = t->ptw_slots;
    if (t->max_reads && (!w || t->max_reads < w))
        w = t->max_reads; /* a walker has one read outstanding */
    m->nwalkers = w;
    m->tbu = calloc(t->num_tbus, sizeof(*m->tbu));
    int bad = !m->tbu;
    if (w)
        bad |= !(m->walkers = calloc(w, sizeof(*m->walkers)));
    if (t->tcu_slots)
        bad |= !(m->tcu = calloc(t->tcu_slots, sizeof(*m->tcu)));
    for (unsigned i = 0; !bad && t->tbu_slots && i < t->num_tbus; i++)
        bad |= !(m->tbu[i].slots = calloc(t->tbu_slots, sizeof(uint64_t)));
    s->tm = m;
    s->tm_utlb = s->utlb.e; /* smmu_internal.h: tm_gate */
    s->utlb.e = NULL;
    s->tm_gate = m;
    smmu_gates_update(s);
    if (bad) {
        smmu_timing_free(s);
        return SMMU_ERR_NOMEM;
    }
    s->tm_lat_tt = t->mem_latency[SMMU_ACC_TT];
    s->tm_lat_upd = t->mem_latency[SMMU_ACC_TT_UPDATE];
    smmu_timing_reset(s);
    return SMMU_OK;
}

const smmu_timing_t *smmu_get_timing(const smmu_t *s)
{
    return s && s->tm ? &s->tm->t : NULL;
}

uint64_t smmu_current_cycle(const smmu_t *s)
{
    return s && s->tm ? s->tm->cur : 0;
}

/* The path of the translation that moved the counters from a to b. */
static void path_of(const smmu_stats_t *a, const smmu_stats_t *b, uint64_t cost,
                    uint64_t cb_reads, uint32_t dm_lat, smmu_tpath_t *p)
{
    memset(p, 0, sizeof(*p));
    p->utlb_hit = b->utlb_hits != a->utlb_hits;
    p->walks_s1 = (uint32_t)(b->walks_s1 - a->walks_s1);
    p->walks_s2 = (uint32_t)(b->walks_s2 - a->walks_s2);
    p->wc_hits = (uint32_t)(b->walk_cache_hits - a->walk_cache_hits);
    p->tt_reads = (uint32_t)(b->tt_reads - a->tt_reads);
    p->httu_writes = (uint32_t)(b->httu_updates - a->httu_updates);
    p->walked = p->walks_s1 || p->walks_s2 || p->tt_reads;
    p->tlb_hit = b->tlb_hits != a->tlb_hits && !p->walked;
    p->cfg_lookup = b->cfg_cache_hits != a->cfg_cache_hits || b->cfg_cache_misses != a->cfg_cache_misses;
    uint64_t f = (b->ste_fetches - a->ste_fetches) + (b->cd_fetches - a->cd_fetches);
    p->cfg_fetches = (uint8_t)(f > 255 ? 255 : f);
    /* The sink holds the ops.read/write latencies; the descriptor reads
     * that did not go through ops.read were direct-window reads (walk.c,
     * the general walker and the fast one). */
    uint64_t dm_reads = p->tt_reads > cb_reads ? p->tt_reads - cb_reads : 0;
    p->mem_cycles = cost + dm_reads * dm_lat;
}

/* Forget the fills visible at `issue` (cycles do not go back). */
static void pending_prune(struct smmu_timing_state *m, uint64_t issue)
{
    unsigned j = 0;
    for (unsigned i = 0; i < m->npend; i++)
        if (m->pend[i].done > issue)
            m->pend[j++] = m->pend[i];
    m->npend = j;
}

/* The translation in flight that request req (answered without a fetch
 * or a walk: micro-TLB hit if utlb, else a TLB hit) depends on, or NULL.
 * *merge: it is on the request's TBU for the same stream (StreamID,
 * SubstreamID) and 4K page, so the request waits for it (a second miss to
 * the same page). Otherwise the request cannot see it and walks for
 * itself: a micro-TLB hit on an entry filled by the same stream and page
 * on another TBU (the functional micro-TLB is shared), or a TLB hit on an
 * entry a walk in flight is filling (covering the address, same output
 * address: another stream sharing the entry, or another TBU). A mergeable
 * one first, then the one completing last. */
static const pend_t *pending_find(struct smmu_timing_state *m, const smmu_request_t *req,
                                  const smmu_response_t *resp, int utlb, int *merge)
{
    uint32_t ssid = req->ssv ? req->ssid : UINT32_MAX;
    uint64_t page = req->addr >> 12;
    const pend_t *best = NULL;
    int best_merge = 0;
    for (unsigned i = 0; i < m->npend; i++) {
        const pend_t *p = &m->pend[i];
        int same_page = p->sid == req->sid && p->ssid == ssid && p->page == page;
        int mg = same_page && p->tbu == req->tbu;
        if (!mg) {
            if (utlb ? !same_page
                     : (!p->tlb_fill || req->addr - p->base >= p->size ||
                        resp->outcome != SMMU_XLATE_OK || resp->pa - req->addr != p->delta))
                continue; /* not an entry this answer can have come from */
        }
        if (!best || mg > best_merge || (mg == best_merge && p->done > best->done)) {
            best = p;
            best_merge = mg;
        }
    }
    *merge = best_merge;
    return best;
}

/* Remember a translation in flight (tlb_fill: it walked and fills the
 * shared TLB; walk: the walk part of the path others would repeat). */
static void pending_add(struct smmu_timing_state *m, const smmu_request_t *req,
                        const smmu_response_t *resp, const smmu_tpath_t *walk, int tlb_fill,
                        uint64_t done)
{
    unsigned i = m->npend;
    if (i == NPEND) { /* full: replace the one completing first */
        i = 0;
        for (unsigned k = 1; k < NPEND; k++)
            if (m->pend[k].done < m->pend[i].done)
                i = k;
    } else {
        m->npend++;
    }
    pend_t *p = &m->pend[i];
    p->sid = req->sid;
    p->ssid = req->ssv ? req->ssid : UINT32_MAX;
    p->tbu = req->tbu;
    p->tlb_fill = (uint8_t)tlb_fill;
    p->page = req->addr >> 12;
    p->base = resp->page_base;
    p->size = resp->page_size ? resp->page_size : 4096;
    p->done = done;
    p->delta = resp->pa - req->addr;
    p->walks_s1 = walk->walks_s1;
    p->walks_s2 = walk->walks_s2;
    p->wc_hits = walk->wc_hits;
    p->tt_reads = walk->tt_reads;
    p->mem_cycles = walk->mem_cycles;
}

/* Cycles of a miss: TBU slot, link, TCU slot, configuration, walker, link.
 * t: the cycle the TBU knows it missed. */
static uint64_t price_miss(struct smmu_timing_state *m, tbu_state_t *b, const smmu_tpath_t *p,
                           uint64_t t)
{
    const smmu_timing_t *c = &m->t;
    unsigned bs = 0, ts = 0, ws = 0;
    uint64_t wait = t;
    if (b->slots)
        bs = pool_take(b->slots, c->tbu_slots, &t);
    wait = t - wait;
    t += c->link_latency;
    uint64_t arrive = t;
    if (m->tcu)
        ts = pool_take(m->tcu, c->tcu_slots, &t);
    wait += t - arrive;
    if (p->cfg_lookup)
        t += c->cfg_cache_latency;
    if (p->cfg_fetches) {
        m->cfg_misses++;
        t += (uint64_t)p->cfg_fetches * c->mem_latency[SMMU_ACC_STE];
    }
    if (p->walked) {
        uint64_t ready = t;
        if (m->walkers)
            ws = pool_take(m->walkers, m->nwalkers, &t);
        wait += t - ready;
        uint64_t wstart = t;
        t += c->walk_cache_latency + p->mem_cycles;
        if (m->walkers) {
            m->walkers[ws] = t;
            uint64_t busy = 0;
            for (unsigned i = 0; i < m->nwalkers; i++)
                busy += m->walkers[i] > wstart;
            if (busy > m->peak_walkers)
                m->peak_walkers = busy;
        }
        m->walker_busy += t - wstart;
        m->walks_s1 += p->walks_s1;
        m->walks_s2 += p->walks_s2;
        m->wc_hits += p->wc_hits;
        m->tt_reads += p->tt_reads;
    }
    if (m->tcu)
        m->tcu[ts] = t;
    t += c->link_latency;
    if (b->slots)
        b->slots[bs] = t;
    b->slot_wait += wait;
    return t;
}

smmu_status_t smmu_timing_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    struct smmu_timing_state *m = s->tm;
    if (!m) /* timing off: only TBU 0 exists (the only reason to be here) */
        return SMMU_ERR_INVAL;
    if (req->tbu >= m->t.num_tbus || req->cycle < m->now)
        return SMMU_ERR_INVAL; /* no such TBU; time does not go back */
    m->now = m->cur = req->cycle;
    smmu_stats_t before, after; /* smmu_get_stats: the fast path's hits too */
    smmu_get_stats(s, &before);
    s->tm_cost = 0;
    uint64_t cb0 = s->tm_cb_reads;
    /* The functional translation, through the whole of smmu_translate
     * (micro-TLB included) with the gate open; as TBU 0, since the
     * functional caches are shared by the TBUs (docs/timing.md). */
    smmu_request_t r0 = *req;
    r0.tbu = 0;
    s->tm_gate = NULL;
    smmu_gates_update(s);
    s->utlb.e = s->tm_utlb;
    smmu_status_t st = smmu_translate(s, &r0, resp);
    s->utlb.e = NULL;
    s->tm_gate = m;
    smmu_gates_update(s);
    if (st != SMMU_OK)
        return st;
    smmu_tpath_t p;
    smmu_get_stats(s, &after);
    path_of(&before, &after, s->tm_cost, s->tm_cb_reads - cb0, m->t.dm_latency, &p);

    /* A request answered without a walk from a fill still in flight:
     * on its TBU and stream it waits for that fill (merged); from
     * another TBU or stream it cannot see it, and walks for itself as
     * the fill's miss did (docs/timing.md, same-page merge). */
    const pend_t *f = NULL;
    int merge = 0, refill = 0;
    pending_prune(m, req->cycle);
    if (!p.walked && !p.cfg_fetches && m->npend)
        f = pending_find(m, req, resp, p.utlb_hit, &merge);
    pend_t fc; /* f's copy: pending_add may overwrite the slot */
    if (f) {
        fc = *f;
        f = &fc;
    }
    if (f && !merge) {
        refill = 1;
        p.utlb_hit = p.tlb_hit = 0;
        p.walked = 1;
        p.walks_s1 = f->walks_s1;
        p.walks_s2 = f->walks_s2;
        p.wc_hits = f->wc_hits;
        p.tt_reads = f->tt_reads;
        p.mem_cycles = f->mem_cycles;
        f = NULL;
    }

    const smmu_timing_t *c = &m->t;
    tbu_state_t *b = &m->tbu[req->tbu];
    uint64_t start = max64(req->cycle, b->port_free); /* one lookup per cycle */
    b->port_free = start + 1;
    b->port_wait += start - req->cycle;
    b->translations++;
    uint64_t done = start + c->utlb_latency;
    if (p.utlb_hit) {
        b->utlb_hits++;
    } else {
        done += c->tlb_latency;
        if (!p.walked && !p.cfg_fetches) {
            b->tlb_hits++; /* the TBU answers (a TLB hit, a bypass, a fault) */
        } else {
            b->misses++;
            done = price_miss(m, b, &p, done);
        }
    }
    if (f) { /* merged: completes with the translation it waited for */
        if (f->done > done) {
            b->merged++;
            done = f->done;
            /* its own page's entries are in flight until then too */
            smmu_tpath_t w = p;
            w.walks_s1 = f->walks_s1;
            w.walks_s2 = f->walks_s2;
            w.wc_hits = f->wc_hits;
            w.tt_reads = f->tt_reads;
            w.mem_cycles = f->mem_cycles;
            if (resp->outcome == SMMU_XLATE_OK && (req->addr >> 12) != f->page)
                pending_add(m, req, resp, &w, 0, done);
        }
    } else if ((p.walked || p.cfg_fetches) && resp->outcome == SMMU_XLATE_OK) {
        /* A walk fills the shared TLB; a re-walk (refill) or a
         * configuration fetch alone is private to its stream and page. */
        pending_add(m, req, resp, &p, p.walked && !refill, done);
    }
    resp->done_cycle = done;
    lat_add(&b->lat, done - req->cycle);
    return SMMU_OK;
}

smmu_status_t smmu_get_timing_stats(const smmu_t *s, int tbu, smmu_timing_stats_t *out)
{
    if (!s || !s->tm || !out || tbu < -1 || tbu >= (int)s->tm->t.num_tbus)
        return SMMU_ERR_INVAL;
    const struct smmu_timing_state *m = s->tm;
    tlat_t *l = calloc(1, sizeof(*l));
    if (!l)
        return SMMU_ERR_NOMEM;
    memset(out, 0, sizeof(*out));
    for (unsigned i = 0; i < m->t.num_tbus; i++) {
        if (tbu >= 0 && (unsigned)tbu != i)
            continue;
        const tbu_state_t *b = &m->tbu[i];
        out->translations += b->translations;
        out->utlb_hits += b->utlb_hits;
        out->tlb_hits += b->tlb_hits;
        out->misses += b->misses;
        out->merged += b->merged;
        out->port_wait_cycles += b->port_wait;
        out->slot_wait_cycles += b->slot_wait;
        lat_merge(l, &b->lat);
    }
    smmu_latency_stats_t *o = &out->latency;
    o->count = l->count;
    o->sum = l->sum;
    o->max = l->max;
    o->mean = l->count ? l->sum / l->count : 0;
    o->p50 = lat_pct(l, 50, 100);
    o->p90 = lat_pct(l, 90, 100);
    o->p99 = lat_pct(l, 99, 100);
    o->p999 = lat_pct(l, 999, 1000);
    memcpy(o->log2, l->log2, sizeof(o->log2));
    free(l);
    out->walks_s1 = m->walks_s1;
    out->walks_s2 = m->walks_s2;
    out->walk_cache_hits = m->wc_hits;
    out->tt_reads = m->tt_reads;
    out->cfg_misses = m->cfg_misses;
    out->walker_busy_cycles = m->walker_busy;
    out->peak_walkers = m->peak_walkers;
    out->commands = m->commands;
    out->command_cycles = m->command_cycles;
    return SMMU_OK;
}
