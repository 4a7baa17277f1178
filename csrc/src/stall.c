/* SPDX-License-Identifier: Apache-2.0 */
/* The Stall model (3.12.2, 4.7.1, 4.7.2, 6.3.9.6, 7.2.1): see stall.h for
 * the model's choices. */
#include "stall.h"

#include <stdlib.h>
#include <string.h>

#include "evtq.h"
#include "irq.h"
#include "queue.h"
#include "smmu_internal.h"

int smmu_stall_init(smmu_stalls_t *st, unsigned n)
{
    memset(st, 0, sizeof(*st));
    if (!n)
        return 0;
    st->slot = calloc(n, sizeof(*st->slot));
    if (!st->slot)
        return -1;
    st->n = n;
    return 0;
}

void smmu_stall_free(smmu_stalls_t *st)
{
    free(st->slot);
    free(st->done);
    memset(st, 0, sizeof(*st));
}

void smmu_stall_reset(smmu_stalls_t *st)
{
    if (st->slot)
        memset(st->slot, 0, st->n * sizeof(*st->slot));
    st->used = st->pending = 0;
    st->head = st->count = 0;
}

/* 7.2.1: the event queue is writable (enabled, not full, no EVENTQ_ABT_ERR). */
static int evtq_writable(const smmu_t *s)
{
    const smmu_regs_t *r = &s->regs;
    return (r->cr0ack & SMMU_CR0_EVENTQEN) && !r->sfm &&
           !smmu_gerror_active(s, (uint32_t)SMMU_GERROR_EVENTQ_ABT_ERR) &&
           !smmu_queue_full(r->eventq_prod, r->eventq_cons, smmu_eventq_log2size(s));
}

/* Why the queue is not writable, as a response cause. */
static uint8_t unwritable_cause(const smmu_t *s)
{
    const smmu_regs_t *r = &s->regs;
    if (!(r->cr0ack & SMMU_CR0_EVENTQEN))
        return SMMU_CAUSE_QUEUE_DISABLED;
    if (smmu_gerror_active(s, (uint32_t)SMMU_GERROR_EVENTQ_ABT_ERR))
        return SMMU_CAUSE_QUEUE_ABT_ERR;
    return SMMU_CAUSE_QUEUE_FULL;
}

static void notify(smmu_t *s)
{
    if (s->ops.on_completion_ready)
        s->ops.on_completion_ready(s->ctx);
}

/* Append a completion; the FIFO grows as needed (out of memory: the oldest
 * completion is overwritten, never a crash). */
static void push(smmu_stalls_t *st, const smmu_completion_t *c)
{
    if (st->count == st->cap) {
        uint32_t cap = st->cap ? st->cap * 2 : 16;
        smmu_completion_t *d = malloc(cap * sizeof(*d));
        if (d) {
            for (uint32_t i = 0; i < st->count; i++)
                d[i] = st->done[(st->head + i) % st->cap];
            free(st->done);
            st->done = d;
            st->cap = cap;
            st->head = 0;
        } else if (st->cap) {
            st->head = (st->head + 1) % st->cap;
            st->count--;
        } else {
            return;
        }
    }
    st->done[(st->head + st->count) % st->cap] = *c;
    st->count++;
}

static void release(smmu_stalls_t *st, unsigned i)
{
    if (st->slot[i].state == SMMU_STALL_PENDING)
        st->pending--;
    st->slot[i].state = SMMU_STALL_FREE;
    st->used--;
}

/* Terminate the stall in slot i now (4.7.1 Terminate, 4.7.2, 6.3.9.6). */
static void terminate(smmu_t *s, unsigned i, uint8_t outcome)
{
    smmu_stalls_t *st = &s->stalls;
    smmu_stall_t *t = &st->slot[i];
    smmu_completion_t c;
    memset(&c, 0, sizeof(c));
    c.sid = t->req.sid;
    c.stag = (uint16_t)i;
    c.resp.outcome = outcome;
    c.resp.event = t->event;
    c.resp.recorded = t->recorded;
    c.resp.cls = t->recorded ? SMMU_CLS_FAULT_RECORDED : SMMU_CLS_FAULT_UNRECORDED;
    c.resp.cause = t->cause;
    c.resp.done_cycle = t->req.cycle;
    if (outcome == SMMU_XLATE_RAZWI)
        s->stats.razwi++;
    else
        s->stats.aborted++;
    release(st, i);
    push(st, &c);
}

smmu_status_t smmu_stall_fault(smmu_t *s, const smmu_request_t *req, smmu_response_t *r,
                               smmu_event_t *ev)
{
    smmu_stalls_t *st = &s->stalls;
    if (st->used >= st->n) {
        /* IDR5.STALL_MAX stalls outstanding (6.3.6): not accepted. */
        r->outcome = SMMU_XLATE_BUSY;
        r->cls = SMMU_CLS_BUSY;
        return SMMU_OK;
    }
    unsigned i = 0;
    while (st->slot[i].state != SMMU_STALL_FREE)
        i++;
    smmu_stall_t *t = &st->slot[i];
    st->used++;
    t->req = *req;
    t->event = ev->type;
    ev->stall = 1;
    ev->stag = (uint16_t)i;
    r->outcome = SMMU_XLATE_STALLED;
    r->stag = i;
    r->event = ev->type;
    r->cls = SMMU_CLS_STALLED;
    if (evtq_writable(s)) {
        /* Only a write abort loses it (7.2.2): the stall stays. */
        r->cause = smmu_evtq_record(s, ev);
        t->recorded = r->cause == SMMU_CAUSE_NONE;
        t->state = SMMU_STALL_WAIT;
    } else {
        /* 7.2.1: not discarded, no overflow: retried when writable. */
        r->cause = unwritable_cause(s);
        t->recorded = 0;
        t->state = SMMU_STALL_PENDING;
        st->pending++;
        smmu_evtq_suppressed(s, ev);
    }
    r->recorded = t->recorded;
    t->cause = r->cause;
    return SMMU_OK;
}

void smmu_stall_resume(smmu_t *s, uint32_t sid, uint32_t stag, int retry, int ab)
{
    smmu_stalls_t *st = &s->stalls;
    /* 4.7.1: no effect unless STAG names a recorded stall of this StreamID. */
    if (stag >= st->n || st->slot[stag].state != SMMU_STALL_WAIT || st->slot[stag].req.sid != sid)
        return;
    if (retry)
        st->slot[stag].state = SMMU_STALL_RETRY;
    else
        terminate(s, stag, (ab || s->cfg.term_model) ? SMMU_XLATE_ABORT : SMMU_XLATE_RAZWI);
    notify(s);
}

void smmu_stall_term(smmu_t *s, uint32_t sid)
{
    smmu_stalls_t *st = &s->stalls;
    int any = 0;
    for (unsigned i = 0; i < st->n && st->used; i++)
        if (st->slot[i].state != SMMU_STALL_FREE && st->slot[i].req.sid == sid) {
            terminate(s, i, SMMU_XLATE_ABORT);
            any = 1;
        }
    if (any)
        notify(s);
}

void smmu_stall_disable(smmu_t *s)
{
    smmu_stalls_t *st = &s->stalls;
    if (!st->used)
        return;
    for (unsigned i = 0; i < st->n && st->used; i++)
        if (st->slot[i].state != SMMU_STALL_FREE)
            terminate(s, i, SMMU_XLATE_ABORT);
    notify(s);
}

void smmu_stall_queue_check(smmu_t *s)
{
    smmu_stalls_t *st = &s->stalls;
    if (!st->pending || !evtq_writable(s))
        return;
    /* Only PENDING slots change: WAIT and RETRY ones stay. */
    for (unsigned i = 0; i < st->n && st->pending; i++)
        if (st->slot[i].state == SMMU_STALL_PENDING) {
            st->slot[i].state = SMMU_STALL_RETRY;
            st->pending--;
        }
    notify(s);
}

smmu_status_t smmu_take_completions(smmu_t *s, smmu_completion_t *out, unsigned max, unsigned *n)
{
    if (!s || !n || (max && !out))
        return SMMU_ERR_INVAL;
    *n = 0;
    smmu_stalls_t *st = &s->stalls;
    if (st->running || s->depth) /* from a callback (smmu.h) */
        return SMMU_ERR_REENTERED;
    st->running = 1;
    /* Retries, in STAG order, as new arrivals (4.7.1): the slot is freed
     * first, so a retry that stalls again may get the same STAG. */
    for (unsigned i = 0; i < st->n && st->used; i++) {
        if (st->slot[i].state != SMMU_STALL_RETRY)
            continue;
        smmu_request_t req = st->slot[i].req;
        release(st, i);
        smmu_completion_t c;
        memset(&c, 0, sizeof(c));
        c.sid = req.sid;
        c.stag = (uint16_t)i;
        smmu_translate(s, &req, &c.resp);
        push(st, &c);
    }
    st->running = 0;
    while (*n < max && st->count) {
        out[(*n)++] = st->done[st->head];
        st->head = (st->head + 1) % st->cap;
        st->count--;
    }
    return SMMU_OK;
}
