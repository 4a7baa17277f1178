/* SPDX-License-Identifier: Apache-2.0 */
/* Endpoint ATC model (atc.h). */
#include "atc.h"

#include <string.h>

void smmu_ep_init(smmu_ep_t *ep)
{
    memset(ep, 0, sizeof(*ep));
}

static uint64_t last_byte(uint64_t addr, uint64_t size)
{
    return size ? addr + (size - 1) : UINT64_MAX;
}

static int overlaps(uint64_t a, uint64_t a_last, uint64_t b, uint64_t b_last)
{
    return a <= b_last && b <= a_last;
}

static void drop(smmu_ep_t *ep, unsigned i)
{
    memmove(&ep->atc[i], &ep->atc[i + 1], (ep->n - i - 1) * sizeof(ep->atc[0]));
    ep->n--;
}

int smmu_ep_fill(smmu_ep_t *ep, const smmu_request_t *req, const smmu_response_t *resp)
{
    if (resp->ats_status != SMMU_ATS_SUCCESS || !resp->perms)
        return 0;
    smmu_ep_entry_t e;
    memset(&e, 0, sizeof(e));
    e.sid = req->sid;
    e.ssv = req->ssv ? 1 : 0;
    e.ssid = req->ssv ? req->ssid : 0;
    e.perms = resp->perms;
    e.flags = resp->ats_flags;
    e.size = resp->page_size;
    e.addr = resp->page_base;
    e.pa = e.size ? resp->pa & ~(e.size - 1) : 0;
    for (unsigned i = 0; i < ep->n; i++) {
        const smmu_ep_entry_t *o = &ep->atc[i];
        if (o->sid == e.sid && o->ssv == e.ssv && o->ssid == e.ssid &&
            overlaps(o->addr, last_byte(o->addr, o->size), e.addr, last_byte(e.addr, e.size))) {
            drop(ep, i);
            i--;
        }
    }
    if (ep->n == SMMU_EP_ATC_MAX)
        drop(ep, 0);
    ep->atc[ep->n++] = e;
    return 1;
}

int smmu_ep_invalidate(smmu_ep_t *ep, const smmu_atc_inv_t *inv)
{
    if (ep->log_n < SMMU_EP_LOG_MAX)
        ep->log[ep->log_n++] = *inv;
    int result = SMMU_ATC_INV_OK;
    for (unsigned i = 0; i < ep->answers; i++)
        if (ep->answer[i].sid == inv->sid)
            result = ep->answer[i].result;
    if (result != SMMU_ATC_INV_OK)
        return result;
    uint64_t lo = inv->addr;
    uint64_t hi = inv->log2_span >= 64 ? UINT64_MAX : lo + ((1ull << inv->log2_span) - 1);
    if (inv->log2_span >= 64)
        lo = 0;
    for (unsigned i = 0; i < ep->n; i++) {
        const smmu_ep_entry_t *e = &ep->atc[i];
        if (e->sid != inv->sid || !overlaps(e->addr, last_byte(e->addr, e->size), lo, hi))
            continue;
        int hit = !inv->ssv || (e->ssv && e->ssid == inv->ssid) ||
                  (inv->global && (e->flags & SMMU_ATS_FLAG_GLOBAL));
        if (hit) {
            drop(ep, i);
            i--;
        }
    }
    return result;
}

int smmu_ep_set_inv_result(smmu_ep_t *ep, uint32_t sid, int result)
{
    for (unsigned i = 0; i < ep->answers; i++)
        if (ep->answer[i].sid == sid) {
            ep->answer[i].result = result;
            return 0;
        }
    if (ep->answers == SMMU_EP_SIDS_MAX)
        return -1;
    ep->answer[ep->answers].sid = sid;
    ep->answer[ep->answers].result = result;
    ep->answers++;
    return 0;
}

int smmu_ep_on_atc_inv(void *ctx, const smmu_atc_inv_t *inv)
{
    return smmu_ep_invalidate((smmu_ep_t *)ctx, inv);
}

const smmu_ep_entry_t *smmu_ep_lookup(const smmu_ep_t *ep, uint32_t sid, int ssv, uint32_t ssid,
                                      uint64_t addr)
{
    for (unsigned i = 0; i < ep->n; i++) {
        const smmu_ep_entry_t *e = &ep->atc[i];
        if (e->sid == sid && e->ssv == (ssv ? 1 : 0) && (!ssv || e->ssid == ssid) &&
            addr >= e->addr && addr <= last_byte(e->addr, e->size))
            return e;
    }
    return NULL;
}
