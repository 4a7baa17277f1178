/* SPDX-License-Identifier: Apache-2.0 */
/* Driver-checker (smmu/smmu_checker.h, docs/conformance.md).
 *
 * The checker keeps its own record of what the SMMU may hold in a cache:
 * after every translation it re-runs the translation from memory only
 * (debug.h smmu_translate_fresh) with the memory callback wrapped, and
 * keeps each structure or descriptor that translation read (STE, L1STD,
 * CD, L1CD, table descriptors) with the value read and the tags it would be
 * cached under (StreamID, SubstreamID, ASID, VMID, stage, EL2). A software
 * write (smmu_note_mem_write) that changes a recorded value makes it dirty;
 * an invalidation command that covers it marks it invalidated; the next
 * CMD_SYNC drops it (and what it pointed to). The rules compare what
 * software does with that record. The TLB, walk cache and configuration
 * cache carry no field for this: nothing is added to the hot path. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"
#include "debug.h"
#include "queue.h"
#include "smmu/smmu_checker.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"
#include "smmu_internal.h"
#include "strtab.h"

/* ---- Rules (ids are the contract: docs/conformance.md) ---------------- */

typedef struct rule {
    const char *id, *section, *text;
} rule_t;

static const rule_t rules[] = {
    {"STALE_TLB", "3.21.1",
     "a cached entry used after its STE, CD or descriptor changed, without a covering "
     "invalidation and CMD_SYNC"},
    {"NO_BBM", "3.21.1.1",
     "a live descriptor changed from one valid output to another without break-before-make"},
    {"STE_LIVE_UPDATE", "3.21.3.1",
     "more than one word an SMMU uses of a live STE changed without CFGI_STE and CMD_SYNC "
     "in between"},
    {"CD_LIVE_UPDATE", "3.21.3.1",
     "more than one word an SMMU uses of a live CD changed without CFGI_CD and CMD_SYNC in "
     "between"},
    {"INVAL_WRONG_TAG", "4.4",
     "a TLBI by address whose ASID/VMID matches no configuration caching the changed "
     "descriptor there"},
    {"TLBI_WRONG_REGIME", "4.4.2",
     "TLBI_NH_* for changed stage-2-only or EL2 streams, TLBI_EL2_* for EL1 ones, "
     "TLBI_S2_IPA alone after a nested stream's stage-2 change"},
    {"TLBI_RANGE_RES0", "4.4.1.1",
     "a TLBI with NUM/SCALE/TTL non-zero and TG 0, or range fields with IDR3.RIL 0"},
    {"MISSING_SYNC", "4.7.3",
     "a structure or descriptor relied on (a translation) after its invalidation but before "
     "the CMD_SYNC that completes it"},
    {"USE_AFTER_FREE", "3.21.1",
     "memory an unlinked (changed, not yet invalidated and synced) STE, CD or table "
     "referenced written again"},
    {"QUEUE_POINTER", "3.5.1",
     "a queue index written beyond the queue size or past the other index"},
    {"ENABLE_ORDER", "6.3.9",
     "SMMUEN/CMDQEN/EVENTQEN/PRIQEN set before its base register, or a base written while "
     "enabled"},
    {"ILLEGAL_WRITE", "6.3", "a register field written with a reserved encoding"},
    {"IRQ_CFG_WHILE_ENABLED", "6.3.21",
     "a *_IRQ_CFGn register written while its IRQ_CTRL enable is 1"},
    {"ATC_INV_ORDER", "3.9.1",
     "CMD_ATC_INV for a StreamID whose changed translations are not yet invalidated and "
     "synced in the SMMU"},
    {"EATS_TRANSITION", "3.9.2", "STE.EATS moved between 0b01 and 0b10 not via 0b00"},
    {"ATSCHK_CHANGE", "5.2",
     "CR0.ATSCHK changed while a live STE has EATS 0b10 or 0b11"},
    {"SMMUEN_OFF_WITH_ATS", "3.9.1",
     "SMMUEN cleared while ATS may be on (a live STE with EATS != 0)"},
    {"RESUME_NO_STALL", "4.7.1",
     "CMD_RESUME whose StreamID and STAG name no stalled transaction"},
    {"STALL_TERM_ORDER", "4.7.2",
     "CMD_STALL_TERM while the StreamID's STE (in memory or cached) still translates"},
    {"PRI_RESP_EARLY", "8",
     "CMD_PRI_RESP for a Page Request Group whose Last request is not in the PRI queue "
     "(not yet produced, or long consumed and answered)"},
    {"NESTED_WITH_HW_MSI", "3.18",
     "(Linux v16 nesting policy) a nested STE (Config 0b111) goes live for a StreamID whose "
     "MSIs bypass translation in hardware; reported by smmu-replay"},
};
#define NRULES (sizeof(rules) / sizeof(rules[0]))

enum {
    R_STALE_TLB, R_NO_BBM, R_STE_LIVE, R_CD_LIVE, R_WRONG_TAG, R_WRONG_REGIME, R_RANGE_RES0,
    R_MISSING_SYNC, R_UAF, R_QUEUE_POINTER, R_ENABLE_ORDER, R_ILLEGAL_WRITE, R_IRQ_CFG,
    R_ATC_INV_ORDER, R_EATS, R_ATSCHK, R_SMMUEN_OFF_ATS, R_RESUME, R_STALL_TERM, R_PRI_RESP,
};

size_t smmu_checker_rule_count(void) { return NRULES; }

int smmu_checker_rule_at(size_t i, const char **id, const char **section, const char **text)
{
    if (i >= NRULES)
        return -1;
    if (id)
        *id = rules[i].id;
    if (section)
        *section = rules[i].section;
    if (text)
        *text = rules[i].text;
    return 0;
}

/* ---- State -------------------------------------------------------------- */

enum rec_kind { K_STE, K_CD, K_TT };
enum rec_state { S_LIVE, S_DIRTY, S_INVAL };

/* One structure or descriptor a translation read (the SMMU may cache it). */
typedef struct rec {
    uint64_t pa;
    uint32_t len;        /* 8 (descriptor, L1STD, L1CD), 64 (STE, CD) */
    uint32_t id, parent; /* parent: the record read before it (0: none) */
    uint8_t kind, state, leaf, nested;
    uint8_t cfg;         /* STE.Config of the stream when read */
    uint8_t el2;         /* STE.STRW == EL2 (stage 1 at EL2) */
    uint8_t s1, s2;      /* the stream has stage 1 / stage 2 */
    uint8_t reported;    /* MISSING_SYNC already reported */
    uint8_t changed;     /* words (bit i: word i) of a live STE/CD changed since cached */
    uint32_t sid, ssid;
    uint16_t asid, vmid;
    uint64_t va, va_size; /* input range of the translation that read it */
    int64_t cmd;          /* the invalidation that covered it */
    uint64_t old[8];      /* value read (numeric, little-endian decoded) */
    uint64_t cur[8];      /* STE/CD: the value in memory as last seen */
} rec_t;

/* A read of the fresh translation. */
typedef struct fp {
    uint64_t pa;
    uint32_t len;
    uint8_t kind;
    uint64_t w[8];
} fp_t;

#define FP_MAX 64
#define REC_MAX 65536u
#define PRI_MAX 256

struct smmu_checker {
    smmu_violation_fn fn;
    void *ctx;
    smmu_utlb_entry_t *utlb; /* the micro-TLB kept aside (gate), or NULL */
    uint8_t busy;
    /* register history (ENABLE_ORDER) */
    uint8_t wrote_strtab, wrote_cmdq, wrote_eventq, wrote_priq;
    rec_t *r;
    uint32_t n, cap, next_id;
    /* footprint of the fresh translation in progress */
    smmu_mem_result_t (*orig_read)(void *, uint64_t, void *, uint32_t, smmu_access_kind_t,
                                   uint32_t *);
    void *orig_ctx;
    fp_t fp[FP_MAX];
    unsigned nfp;
    /* a TLBI_S2_IPA since the last CMD_SYNC (TLBI_WRONG_REGIME: alone
     * after a change of a nested stream's stage 2) */
    uint8_t s2ipa;
    uint16_t s2ipa_vmid;
    int64_t s2ipa_idx;
    /* PRI requests with Last = 1 software consumed (PRI_RESP_EARLY) */
    struct { uint32_t sid, ssid; uint16_t prgi; uint8_t ssv; } pri[PRI_MAX];
    unsigned npri;
};

static void report(smmu_t *s, int rule, int64_t sid, int64_t ssid, uint64_t addr, int64_t cmd,
                   const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void report(smmu_t *s, int rule, int64_t sid, int64_t ssid, uint64_t addr, int64_t cmd,
                   const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    smmu_violation_t v = {rules[rule].id, rules[rule].section, sid, ssid, addr, cmd, msg};
    s->chk->fn(s->chk->ctx, &v);
}

/* ---- Enable / disable ------------------------------------------------- */

smmu_status_t smmu_checker_enable(smmu_t *s, smmu_violation_fn fn, void *ctx)
{
    if (!s || !fn)
        return SMMU_ERR_INVAL;
    if (s->chk) {
        s->chk->fn = fn;
        s->chk->ctx = ctx;
        return SMMU_OK;
    }
    struct smmu_checker *c = calloc(1, sizeof(*c));
    if (!c)
        return SMMU_ERR_NOMEM;
    c->fn = fn;
    c->ctx = ctx;
    c->next_id = 1;
    /* The gate (translate.c): with the micro-TLB array out of utlb.e, every
     * translation takes the out-of-line path, which tests chk_gate. With
     * timing on the array is already kept aside by timing.c. */
    c->utlb = s->utlb.e;
    s->utlb.e = NULL;
    s->chk = c;
    s->chk_gate = c;
    smmu_gates_update(s);
    return SMMU_OK;
}

void smmu_checker_free(smmu_t *s)
{
    struct smmu_checker *c = s->chk;
    if (!c)
        return;
    if (c->utlb) {
        if (s->tm) /* timing went on after the checker: it keeps them now */
            s->tm_utlb = c->utlb;
        else
            s->utlb.e = c->utlb;
    }
    free(c->r);
    free(c);
    s->chk = NULL;
    s->chk_gate = NULL;
    smmu_gates_update(s);
}

void smmu_checker_disable(smmu_t *s)
{
    if (s)
        smmu_checker_free(s);
}

smmu_utlb_entry_t *smmu_checker_utlb(const smmu_t *s)
{
    return s->chk ? s->chk->utlb : NULL;
}

void smmu_checker_reset(smmu_t *s)
{
    struct smmu_checker *c = s->chk;
    c->n = 0;
    c->npri = 0;
    c->s2ipa = 0;
    c->wrote_strtab = c->wrote_cmdq = c->wrote_eventq = c->wrote_priq = 0;
}

/* ---- Memory helpers ----------------------------------------------------- */

/* Read n 64-bit words without statistics or timing side effects. */
static int quiet_read(smmu_t *s, uint64_t pa, uint64_t *w, unsigned n, smmu_access_kind_t kind)
{
    smmu_stats_t st = s->stats;
    uint64_t cost = s->tm_cost, cb = s->tm_cb_reads;
    int r = smmu_mem_read_words(s, pa, w, n, kind);
    s->stats = st;
    s->tm_cost = cost;
    s->tm_cb_reads = cb;
    return r;
}

static int ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    return a < b + blen && b < a + alen;
}

/* STE fields (5.2) */
static unsigned ste_v(const uint64_t *w) { return (unsigned)(w[0] & 1); }
static unsigned ste_cfg(const uint64_t *w) { return (unsigned)((w[0] >> 1) & 7); }
static unsigned ste_eats(const uint64_t *w) { return (unsigned)((w[1] >> 28) & 3); }
static unsigned ste_strw(const uint64_t *w) { return (unsigned)((w[1] >> 30) & 3); }
static uint16_t ste_vmid(const uint64_t *w) { return (uint16_t)(w[2] & 0xFFFF); }
/* Does this STE translate (V = 1, Config not abort)? */
static int ste_translates(const uint64_t *w) { return ste_v(w) && ste_cfg(w) != 0; }

/* Words of a valid STE the SMMU uses (5.2): word 0 always; word 1 for
 * bypass and stage 1 (attribute overrides, S1 fields, EATS, STRW); words
 * 2-3 with stage 2. An invalid or abort STE uses word 0 only. */
static unsigned ste_used(const uint64_t *w)
{
    if (!ste_v(w))
        return 0;
    unsigned cfg = ste_cfg(w), m = 1;
    if (cfg & 4)
        m |= 2;
    if ((cfg & 4) && (cfg & 2))
        m |= 0xC;
    return m;
}

/* Words of a CD the SMMU uses (5.4): 0-3 when V = 1. */
static unsigned cd_used(const uint64_t *w) { return (w[0] >> 31) & 1 ? 0xF : 0; }

/* ---- Footprint: what a translation reads -------------------------------- */

static smmu_mem_result_t fp_read(void *ctx, uint64_t pa, void *buf, uint32_t len,
                                 smmu_access_kind_t kind, uint32_t *lat)
{
    struct smmu_checker *c = ctx;
    smmu_mem_result_t r = c->orig_read(c->orig_ctx, pa, buf, len, kind, lat);
    if (r == SMMU_MEM_OK && c->nfp < FP_MAX &&
        (kind == SMMU_ACC_STE || kind == SMMU_ACC_CD || kind == SMMU_ACC_TT)) {
        fp_t *f = &c->fp[c->nfp++];
        memset(f, 0, sizeof(*f));
        f->pa = pa;
        f->len = len > 64 ? 64 : len;
        f->kind = kind == SMMU_ACC_STE ? K_STE : kind == SMMU_ACC_CD ? K_CD : K_TT;
        memcpy(f->w, buf, f->len);
        for (unsigned i = 0; i < 8; i++)
            f->w[i] = smmu_from_mem64(f->w[i], 0);
    }
    return r;
}

/* The fresh translation of req, with its reads in c->fp. */
static void fresh(smmu_t *s, const smmu_request_t *req, smmu_response_t *out)
{
    struct smmu_checker *c = s->chk;
    smmu_request_t r = *req;
    r.ats = SMMU_ATS_UNTRANSLATED; /* the debug path walks only untranslated traffic */
    c->nfp = 0;
    c->orig_read = s->ops.read;
    c->orig_ctx = s->ctx;
    uint64_t dms = s->dm_size, cost = s->tm_cost, cb = s->tm_cb_reads;
    s->dm_size = 0; /* every read through ops.read, so that fp_read sees it */
    s->ops.read = fp_read;
    s->ctx = c;
    smmu_translate_fresh(s, &r, out);
    s->ops.read = c->orig_read;
    s->ctx = c->orig_ctx;
    s->dm_size = dms;
    s->tm_cost = cost;
    s->tm_cb_reads = cb;
}

static rec_t *rec_find(struct smmu_checker *c, const rec_t *k)
{
    for (uint32_t i = 0; i < c->n; i++) {
        rec_t *r = &c->r[i];
        if (r->pa == k->pa && r->kind == k->kind && r->len == k->len && r->sid == k->sid &&
            r->asid == k->asid && r->vmid == k->vmid && r->ssid == k->ssid)
            return r;
    }
    return NULL;
}

static rec_t *rec_add(struct smmu_checker *c, const rec_t *k)
{
    if (c->n == c->cap) {
        if (c->cap >= REC_MAX)
            return NULL; /* documented limit: later structures go unrecorded */
        uint32_t nc = c->cap ? c->cap * 2 : 64;
        rec_t *nr = realloc(c->r, nc * sizeof(*nr));
        if (!nr)
            return NULL;
        c->r = nr;
        c->cap = nc;
    }
    rec_t *r = &c->r[c->n++];
    *r = *k;
    r->id = c->next_id++;
    return r;
}

/* Record the footprint of a translation of req (the fresh one in c->fp). */
static void record(smmu_t *s, const smmu_request_t *req, const smmu_response_t *fr)
{
    struct smmu_checker *c = s->chk;
    const uint64_t *ste = NULL;
    uint16_t asid = 0;
    for (unsigned i = 0; i < c->nfp; i++) {
        if (c->fp[i].kind == K_STE && c->fp[i].len == 64)
            ste = c->fp[i].w;
        if (c->fp[i].kind == K_CD && c->fp[i].len == 64)
            asid = (uint16_t)(c->fp[i].w[0] >> 48);
    }
    unsigned cfg = ste ? ste_cfg(ste) : 0;
    int s1 = ste && (cfg & 5) == 5, s2 = ste && (cfg & 6) == 6, nested = s1 && s2;
    uint32_t parent = 0;
    int last_tt = -1;
    for (unsigned i = 0; i < c->nfp; i++)
        if (c->fp[i].kind == K_TT)
            last_tt = (int)i;
    for (unsigned i = 0; i < c->nfp; i++) {
        const fp_t *f = &c->fp[i];
        rec_t k;
        memset(&k, 0, sizeof(k));
        k.pa = f->pa;
        k.len = f->len;
        k.kind = f->kind;
        k.sid = req->sid;
        k.ssid = req->ssv ? req->ssid : 0;
        k.asid = f->kind == K_TT && s1 ? asid : 0;
        k.vmid = ste && s2 ? ste_vmid(ste) : 0;
        k.cfg = (uint8_t)cfg;
        k.el2 = ste && s1 && ste_strw(ste) == 2;
        k.s1 = (uint8_t)s1;
        k.s2 = (uint8_t)s2;
        k.nested = (uint8_t)nested;
        k.leaf = (int)i == last_tt && fr->outcome == SMMU_XLATE_OK;
        k.va = fr->outcome == SMMU_XLATE_OK ? fr->page_base : (req->addr & ~0xFFFull);
        k.va_size = fr->outcome == SMMU_XLATE_OK && fr->page_size ? fr->page_size : 0x1000;
        k.cmd = -1;
        memcpy(k.old, f->w, sizeof(k.old));
        memcpy(k.cur, f->w, sizeof(k.cur));
        /* the chain STE -> CD -> tables; nested walks interleave the
         * stages, so their table reads get no parent */
        k.parent = (nested && f->kind == K_TT) ? 0 : parent;
        rec_t *r = rec_find(c, &k);
        if (!r)
            r = rec_add(c, &k);
        if (!r)
            return;
        parent = r->id;
    }
}

/* ---- Translation ---------------------------------------------------------- */

/* The permission the answered access needed. A read is taken as allowed
 * with R or X: STE.INSTCFG and PCIe requests without a PASID (13.7) change
 * what an instruction fetch is, and the fresh translation does not apply
 * those overrides to the access kind. */
static unsigned needed_perm(const smmu_request_t *req)
{
    return req->write ? SMMU_PERM_W : (SMMU_PERM_R | SMMU_PERM_X);
}

/* 4.4.3.1: TLBI_S2_IPA does not remove combined stage 1+2 entries; a
 * nested stream's stage-2 change also needs TLBI_S12_VMALL (or TLBI_NH_ALL
 * with its VMID) before a translation may rely on it. Called before each
 * checked translation: a changed nested record still dirty then was left
 * to TLBI_S2_IPA alone. */
static void s2ipa_check(smmu_t *s)
{
    struct smmu_checker *c = s->chk;
    for (uint32_t i = 0; c->s2ipa && i < c->n; i++) {
        const rec_t *r = &c->r[i];
        if (r->kind == K_TT && r->nested && r->state == S_DIRTY && r->vmid == c->s2ipa_vmid) {
            report(s, R_WRONG_REGIME, r->sid, -1, r->pa, c->s2ipa_idx,
                   "TLBI_S2_IPA alone after a change of nested StreamID %u's tables "
                   "(descriptor 0x%llx): combined stage 1+2 entries stay; add "
                   "TLBI_S12_VMALL or TLBI_NH_ALL for VMID %u",
                   r->sid, (unsigned long long)r->pa, r->vmid);
            break;
        }
    }
    c->s2ipa = 0;
}

smmu_status_t smmu_checker_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    struct smmu_checker *c = s->chk;
    if (c->s2ipa)
        s2ipa_check(s);
    /* The translation itself: through smmu_translate with the gate closed
     * and the micro-TLB back (unless timing keeps it). */
    s->chk_gate = NULL;
    smmu_gates_update(s);
    if (c->utlb && !s->tm_gate)
        s->utlb.e = c->utlb;
    smmu_status_t st = smmu_translate(s, req, resp);
    s->utlb.e = NULL;
    s->chk_gate = c;
    smmu_gates_update(s);
    if (st != SMMU_OK || c->busy || !smmu_is_enabled(s))
        return st;
    c->busy = 1;
    smmu_response_t fr;
    fresh(s, req, &fr);
    /* MISSING_SYNC: a structure read by this translation is invalidated
     * but its CMD_SYNC has not been consumed (4.7.3). */
    for (unsigned i = 0; i < c->nfp; i++)
        for (uint32_t j = 0; j < c->n; j++) {
            rec_t *r = &c->r[j];
            if (r->state == S_INVAL && !r->reported &&
                ranges_overlap(r->pa, r->len, c->fp[i].pa, c->fp[i].len)) {
                r->reported = 1;
                report(s, R_MISSING_SYNC, req->sid, req->ssv ? (int64_t)req->ssid : -1, r->pa, r->cmd,
                       "translation of 0x%llx relies on %s at 0x%llx, invalidated by the command "
                       "at CMDQ index %lld, before a CMD_SYNC completed it",
                       (unsigned long long)req->addr,
                       r->kind == K_STE ? "the STE" : r->kind == K_CD ? "the CD" : "a descriptor",
                       (unsigned long long)r->pa, (long long)r->cmd);
            }
        }
    /* STALE_TLB: the SMMU answered with a translation the tables no longer
     * give (3.21.1, 3.21.3). */
    if (req->ats == SMMU_ATS_UNTRANSLATED && resp->outcome == SMMU_XLATE_OK) {
        int fresh_ok = fr.outcome == SMMU_XLATE_OK && (fr.perms & needed_perm(req));
        if (!fresh_ok || fr.pa != resp->pa) {
            uint64_t where = 0;
            for (uint32_t j = 0; j < c->n; j++)
                if (c->r[j].state == S_DIRTY && c->r[j].sid == req->sid) {
                    where = c->r[j].pa;
                    break;
                }
            char now[48];
            if (fresh_ok)
                snprintf(now, sizeof now, "PA 0x%llx", (unsigned long long)fr.pa);
            else
                snprintf(now, sizeof now, "no translation");
            report(s, R_STALE_TLB, req->sid, req->ssv ? (int64_t)req->ssid : -1, where ? where : req->addr,
                   -1,
                   "0x%llx translated to PA 0x%llx from a cached entry; the tables now give %s "
                   "(changed at 0x%llx without invalidation and CMD_SYNC)",
                   (unsigned long long)req->addr, (unsigned long long)resp->pa, now,
                   (unsigned long long)where);
        }
    }
    /* ... and the converse for configuration: a cached STE/CD (abort, or an
     * old configuration) ends the transaction although memory now gives a
     * translation: the CFGI_STE/CFGI_CD was forgotten. */
    if (req->ats == SMMU_ATS_UNTRANSLATED && resp->outcome == SMMU_XLATE_ABORT &&
        fr.outcome == SMMU_XLATE_OK && (fr.perms & needed_perm(req))) {
        for (uint32_t j = 0; j < c->n; j++) {
            const rec_t *r = &c->r[j];
            if (r->state == S_DIRTY && r->sid == req->sid && r->kind != K_TT) {
                report(s, R_STALE_TLB, req->sid, req->ssv ? (int64_t)req->ssid : -1, r->pa, -1,
                       "0x%llx aborted by the cached %s at 0x%llx; memory now gives PA 0x%llx "
                       "(changed without CFGI and CMD_SYNC)",
                       (unsigned long long)req->addr, r->kind == K_STE ? "STE" : "CD",
                       (unsigned long long)r->pa, (unsigned long long)fr.pa);
                break;
            }
        }
    }
    record(s, req, &fr);
    c->busy = 0;
    return st;
}

/* ---- Memory writes -------------------------------------------------------- */

static rec_t *rec_by_id(struct smmu_checker *c, uint32_t id)
{
    if (!id)
        return NULL;
    for (uint32_t i = 0; i < c->n; i++)
        if (c->r[i].id == id)
            return &c->r[i];
    return NULL;
}

/* Output address and kind of a valid descriptor (D8.3): bit 1 tells table
 * or page (1) from block (0) except at the last level, where it is a page. */
static uint64_t desc_oa(uint64_t d) { return d & SMMU_MASK(47, 12); }

static void note_rec(smmu_t *s, rec_t *r)
{
    struct smmu_checker *c = s->chk;
    uint64_t nw[8];
    memset(nw, 0, sizeof nw);
    unsigned nwords = r->len / 8;
    if (quiet_read(s, r->pa, nw, nwords, r->kind == K_STE ? SMMU_ACC_STE
                                                  : r->kind == K_CD ? SMMU_ACC_CD : SMMU_ACC_TT))
        return;
    unsigned diff = 0;
    for (unsigned i = 0; i < nwords; i++)
        if (nw[i] != r->old[i])
            diff |= 1u << i;
    if (!diff)
        return;
    int64_t ssid = r->kind == K_CD ? (int64_t)r->ssid : -1;
    /* USE_AFTER_FREE: the record that pointed here changed and is not yet
     * invalidated and synced, so a cache may still walk into this memory. */
    rec_t *p = rec_by_id(c, r->parent);
    if (p && p->state != S_LIVE) {
        report(s, R_UAF, r->sid, ssid, r->pa, -1,
               "0x%llx written while the %s at 0x%llx that referenced it changed without "
               "invalidation and CMD_SYNC: the SMMU may still use it",
               (unsigned long long)r->pa,
               p->kind == K_STE ? "STE" : p->kind == K_CD ? "CD" : "table descriptor",
               (unsigned long long)p->pa);
        r->state = S_DIRTY;
        return;
    }
    if (r->kind == K_TT) {
        uint64_t o = r->old[0], n = nw[0];
        if (!(o & 1)) { /* an invalid descriptor is not cached: no invalidation needed */
            r->old[0] = n;
            return;
        }
        if (r->state != S_INVAL && (n & 1) &&
            (desc_oa(o) != desc_oa(n) || ((o ^ n) & 2))) {
            report(s, R_NO_BBM, r->sid, -1, r->pa, -1,
                   "descriptor at 0x%llx changed from 0x%llx to 0x%llx (another output or size) "
                   "while valid and cached: break-before-make needs an invalid entry, TLBI and "
                   "CMD_SYNC in between (IDR3.BBML)",
                   (unsigned long long)r->pa, (unsigned long long)o, (unsigned long long)n);
        }
        r->state = S_DIRTY;
        return;
    }
    /* STE, CD (64 bytes); L1STD/L1CD (8 bytes) just become dirty. */
    if (r->len == 64) {
        if (!(r->kind == K_STE ? ste_used(r->old) : cd_used(r->old)))
            return; /* cached invalid: nothing to invalidate */
        if (r->kind == K_STE) {
            unsigned eo = ste_eats(r->old), en = ste_eats(nw);
            if ((eo == 1 && en == 2) || (eo == 2 && en == 1))
                report(s, R_EATS, r->sid, -1, r->pa, -1,
                       "STE %u EATS changed from %u to %u without going through 0b00 "
                       "(with CFGI_STE and CMD_SYNC)", r->sid, eo, en);
        }
        /* 3.21.3.1: a word counts when the structure in memory uses it
         * both before and after this write (a word the current
         * configuration ignores can change hitlessly, as Linux 6.1 writes
         * words 1-3 behind an abort or bypass word 0). */
        unsigned step = 0;
        for (unsigned i = 0; i < 8; i++)
            if (nw[i] != r->cur[i])
                step |= 1u << i;
        unsigned used = r->kind == K_STE ? (ste_used(r->cur) & ste_used(nw))
                                         : (cd_used(r->cur) & cd_used(nw));
        memcpy(r->cur, nw, sizeof(r->cur));
        unsigned before = r->changed;
        r->changed |= (uint8_t)(step & used);
        unsigned cnt = 0;
        for (unsigned i = 0; i < 8; i++)
            cnt += (r->changed >> i) & 1;
        if (cnt >= 2 && before != r->changed)
            report(s, r->kind == K_STE ? R_STE_LIVE : R_CD_LIVE, r->sid, ssid, r->pa, -1,
                   "live %s at 0x%llx: words 0x%x it uses changed without %s and CMD_SYNC "
                   "in between; the SMMU may see a mix of old and new",
                   r->kind == K_STE ? "STE" : "CD", (unsigned long long)r->pa, r->changed,
                   r->kind == K_STE ? "CFGI_STE" : "CFGI_CD");
    }
    r->state = S_DIRTY;
}

void smmu_note_mem_write(smmu_t *s, uint64_t pa, uint32_t len)
{
    if (!s || !s->chk || !len)
        return;
    struct smmu_checker *c = s->chk;
    for (uint32_t i = 0; i < c->n; i++)
        if (ranges_overlap(pa, len, c->r[i].pa, c->r[i].len))
            note_rec(s, &c->r[i]);
}

/* ---- Commands -------------------------------------------------------------- */

/* Drop the records a CMD_SYNC completed, and everything below them. */
static void sync_done(struct smmu_checker *c)
{
    int again = 1;
    for (uint32_t i = 0; i < c->n; i++)
        if (c->r[i].state == S_INVAL)
            c->r[i].state = 0xFF;
    while (again) {
        again = 0;
        for (uint32_t i = 0; i < c->n; i++) {
            rec_t *r = &c->r[i];
            if (r->state == 0xFF || !r->parent)
                continue;
            rec_t *p = rec_by_id(c, r->parent);
            if (!p || p->state == 0xFF) {
                r->state = 0xFF;
                again = 1;
            }
        }
    }
    uint32_t k = 0;
    for (uint32_t i = 0; i < c->n; i++)
        if (c->r[i].state != 0xFF)
            c->r[k++] = c->r[i];
    c->n = k;
}

typedef struct tlbi {
    unsigned op;
    uint16_t asid, vmid;
    uint64_t lo, hi; /* address range, [lo, hi) */
    uint8_t leaf, has_addr;
} tlbi_t;

static tlbi_t tlbi_decode(const smmu_t *s, unsigned op, const uint64_t w[2])
{
    tlbi_t t;
    memset(&t, 0, sizeof t);
    t.op = op;
    t.asid = (uint16_t)(w[0] >> 48);
    t.vmid = (uint16_t)(w[0] >> 32);
    t.leaf = (uint8_t)(w[1] & 1);
    unsigned tg = (unsigned)((w[1] >> 10) & 3), num = (unsigned)((w[0] >> 12) & 31),
             scale = (unsigned)((w[0] >> 20) & 31);
    uint64_t addr = op == SMMU_CMD_TLBI_S2_IPA ? (w[1] & SMMU_MASK(55, 12)) : (w[1] & SMMU_MASK(63, 12));
    switch (op) {
    case SMMU_CMD_TLBI_NH_VA:
    case SMMU_CMD_TLBI_NH_VAA:
    case SMMU_CMD_TLBI_EL2_VA:
    case SMMU_CMD_TLBI_EL2_VAA:
    case SMMU_CMD_TLBI_S2_IPA:
        t.has_addr = 1;
        if (tg && s->cfg.ril) { /* 4.4.1.1: range */
            unsigned gs = 12 + 2 * (tg - 1);
            t.lo = addr & ~((1ull << gs) - 1);
            t.hi = t.lo + ((uint64_t)(num + 1) << (scale + gs)); /* (NUM+1) x 2^SCALE granules, as cmdq.c */
        } else {
            t.lo = addr;
            t.hi = addr + 1;
        }
        break;
    default:
        break;
    }
    return t;
}

/* Regime of a TLBI: 1 stage-1 EL1 (NH_*), 2 EL2, 3 stage 2 / all of a VMID. */
static int tlbi_regime(unsigned op)
{
    switch (op) {
    case SMMU_CMD_TLBI_NH_ALL:
    case SMMU_CMD_TLBI_NH_ASID:
    case SMMU_CMD_TLBI_NH_VA:
    case SMMU_CMD_TLBI_NH_VAA:
        return 1;
    case SMMU_CMD_TLBI_EL2_ALL:
    case SMMU_CMD_TLBI_EL2_ASID:
    case SMMU_CMD_TLBI_EL2_VA:
    case SMMU_CMD_TLBI_EL2_VAA:
        return 2;
    case SMMU_CMD_TLBI_S12_VMALL:
    case SMMU_CMD_TLBI_S2_IPA:
        return 3;
    case SMMU_CMD_TLBI_NSNH_ALL:
        return 4;
    default:
        return 0;
    }
}

/* Is the record in the TLBI's regime (ignoring its tags)? */
static int in_regime(const rec_t *r, const tlbi_t *t)
{
    switch (tlbi_regime(t->op)) {
    case 1:
        return r->s1 && !r->el2;
    case 2:
        return r->s1 && r->el2;
    case 3:
        return t->op == SMMU_CMD_TLBI_S2_IPA ? r->s2 : (r->s2 || !r->el2);
    case 4:
        return !r->el2;
    default:
        return 0;
    }
}

/* Do the TLBI's tags (ASID, VMID) match the record? */
static int tags_match(const rec_t *r, const tlbi_t *t)
{
    switch (t->op) {
    case SMMU_CMD_TLBI_NH_ASID:
    case SMMU_CMD_TLBI_NH_VA:
        return r->asid == t->asid && (!r->s2 || r->vmid == t->vmid);
    case SMMU_CMD_TLBI_NH_ALL:
    case SMMU_CMD_TLBI_NH_VAA:
    case SMMU_CMD_TLBI_S12_VMALL:
    case SMMU_CMD_TLBI_S2_IPA:
        return !r->s2 || r->vmid == t->vmid;
    case SMMU_CMD_TLBI_EL2_ASID:
    case SMMU_CMD_TLBI_EL2_VA:
        return r->asid == t->asid;
    default:
        return 1;
    }
}

static int addr_match(const rec_t *r, const tlbi_t *t)
{
    if (!t->has_addr)
        return 1;
    if (t->leaf && !r->leaf)
        return 0; /* Leaf = 1: walk-cache entries stay (4.4.1) */
    if (t->op == SMMU_CMD_TLBI_S2_IPA && r->nested)
        return 0; /* an IPA does not name a combined stage-1+2 entry */
    return t->lo < r->va + r->va_size && r->va < t->hi;
}

static int tlbi_covers(const rec_t *r, const tlbi_t *t)
{
    return r->kind == K_TT && in_regime(r, t) && tags_match(r, t) && addr_match(r, t);
}

static int cfgi_covers(const rec_t *r, unsigned op, const uint64_t w[2])
{
    uint32_t sid = (uint32_t)(w[0] >> 32), ssid = (uint32_t)((w[0] >> 12) & 0xFFFFF);
    switch (op) {
    case SMMU_CMD_CFGI_STE: /* 4.3.1: the STE (and CDs cached under it) */
        return (r->kind == K_STE || r->kind == K_CD) && r->sid == sid;
    case SMMU_CMD_CFGI_STE_RANGE: { /* 4.3.2; Range 31: CFGI_ALL (4.3.6) */
        unsigned range = (unsigned)(w[1] & 31);
        uint64_t m = range >= 31 ? ~0ull : ((2ull << range) - 1);
        return (r->kind == K_STE || r->kind == K_CD) && (r->sid & ~m) == (sid & ~m);
    }
    case SMMU_CMD_CFGI_CD: /* 4.3.3 */
        return r->kind == K_CD && r->sid == sid && (r->ssid == ssid || r->len == 8);
    case SMMU_CMD_CFGI_CD_ALL: /* 4.3.4 */
        return r->kind == K_CD && r->sid == sid;
    default:
        return 0;
    }
}

/* Rules about a TLBI and the dirty descriptors it should cover. */
static void check_tlbi(smmu_t *s, int64_t idx, const tlbi_t *t, const uint64_t w[2])
{
    struct smmu_checker *c = s->chk;
    unsigned tg = (unsigned)((w[1] >> 10) & 3), ttl = (unsigned)((w[1] >> 8) & 3),
             num = (unsigned)((w[0] >> 12) & 31), scale = (unsigned)((w[0] >> 20) & 31);
    if (t->has_addr) {
        if (!tg && (num || scale || ttl))
            report(s, R_RANGE_RES0, -1, -1, t->lo, idx,
                   "TLBI with TG 0 has NUM %u SCALE %u TTL %u: RES0 without a granule", num,
                   scale, ttl);
        else if (!s->cfg.ril && (num || scale))
            report(s, R_RANGE_RES0, -1, -1, t->lo, idx,
                   "TLBI with NUM %u SCALE %u on an SMMU without range invalidation "
                   "(IDR3.RIL 0): only one page is invalidated", num, scale);
    }
    /* The dirty descriptors this command is about: by address for the
     * VA/IPA forms, by ASID (VMID) for the others; EL2_ALL and NSNH_ALL
     * name none in particular. Without any, nothing is reported (a
     * lazy flush of another domain is not an error). */
    int regime = tlbi_regime(t->op);
    if (regime == 4)
        return;
    unsigned cand = 0, in_reg = 0, in_reg_tagged = 0;
    const rec_t *d0 = NULL;
    for (uint32_t i = 0; i < c->n; i++) {
        const rec_t *r = &c->r[i];
        if (r->kind != K_TT || r->state != S_DIRTY)
            continue;
        int about;
        if (t->has_addr)
            about = t->lo < r->va + r->va_size && r->va < t->hi;
        else if (t->op == SMMU_CMD_TLBI_NH_ASID || t->op == SMMU_CMD_TLBI_EL2_ASID)
            about = r->asid == t->asid && r->s1;
        else if (t->op == SMMU_CMD_TLBI_EL2_ALL)
            about = 1;
        else /* NH_ALL, S12_VMALL: by VMID */
            about = r->s2 && r->vmid == t->vmid;
        if (!about)
            continue;
        cand++;
        if (!d0)
            d0 = r;
        if (in_regime(r, t)) {
            in_reg++;
            if (tags_match(r, t))
                in_reg_tagged++;
        }
    }
    if (!cand)
        return;
    if (!in_reg) {
        if (regime != 3)
            report(s, R_WRONG_REGIME, d0->sid, -1, d0->pa, idx,
                   "%s while the changed descriptor at 0x%llx belongs to a %s stream",
                   smmu_cmd_name(t->op) ? smmu_cmd_name(t->op) : "TLBI",
                   (unsigned long long)d0->pa,
                   d0->el2 ? "stage-1 EL2 (STRW)" : d0->s1 ? "stage-1 EL1" : "stage-2-only");
        return;
    }
    if (t->has_addr && !in_reg_tagged)
        report(s, R_WRONG_TAG, d0->sid, -1, t->lo, idx,
               "%s ASID %u VMID %u at 0x%llx: no configuration caching the changed descriptor "
               "there has these tags",
               smmu_cmd_name(t->op) ? smmu_cmd_name(t->op) : "TLBI", t->asid, t->vmid,
               (unsigned long long)t->lo);
}

static int stall_visible(const smmu_t *s, uint32_t sid, uint32_t stag)
{
    const smmu_stalls_t *st = &s->stalls;
    return stag < st->n && st->slot[stag].state != SMMU_STALL_FREE &&
           st->slot[stag].req.sid == sid;
}

void smmu_checker_cmd(smmu_t *s, uint32_t cons, const uint64_t w[2])
{
    struct smmu_checker *c = s->chk;
    unsigned op = (unsigned)(w[0] & 0xFF);
    int64_t idx = (int64_t)smmu_qptr_index(cons, smmu_cmdq_log2size(s));
    uint32_t sid = (uint32_t)(w[0] >> 32);
    switch (op) {
    case SMMU_CMD_SYNC:
        /* TLBI_S2_IPA alone: checked at the next translation (s2ipa_check),
         * so that the TLBI_NH_ALL / TLBI_S12_VMALL a driver sends in its
         * next batch (Linux's nest parent: S2_IPA + SYNC, NH_ALL + SYNC)
         * counts. */
        sync_done(c);
        return;
    case SMMU_CMD_CFGI_STE:
    case SMMU_CMD_CFGI_STE_RANGE:
    case SMMU_CMD_CFGI_CD:
    case SMMU_CMD_CFGI_CD_ALL:
        for (uint32_t i = 0; i < c->n; i++) {
            rec_t *r = &c->r[i];
            if (cfgi_covers(r, op, w)) {
                r->state = S_INVAL;
                r->cmd = idx;
                r->changed = 0;
            }
        }
        return;
    case SMMU_CMD_ATC_INV:
        for (uint32_t i = 0; i < c->n; i++) {
            const rec_t *r = &c->r[i];
            if (r->sid == sid && r->state != S_LIVE) {
                report(s, R_ATC_INV_ORDER, sid, -1, r->pa, idx,
                       "CMD_ATC_INV for StreamID %u while %s at 0x%llx is changed but %s: the "
                       "ATC could refill from the stale SMMU entry",
                       sid, r->kind == K_TT ? "a descriptor" : r->kind == K_CD ? "its CD" : "its STE",
                       (unsigned long long)r->pa,
                       r->state == S_DIRTY ? "not invalidated" : "its invalidation not synced");
                break;
            }
        }
        return;
    case SMMU_CMD_RESUME: {
        uint32_t stag = (uint32_t)(w[1] & 0xFFFF);
        if (!stall_visible(s, sid, stag))
            report(s, R_RESUME, sid, -1, 0, idx,
                   "CMD_RESUME StreamID %u STAG %u names no stalled transaction", sid, stag);
        return;
    }
    case SMMU_CMD_STALL_TERM: {
        uint64_t raw[8];
        smmu_event_t ev;
        memset(&ev, 0, sizeof ev);
        smmu_stats_t st = s->stats;
        int bad = smmu_ste_fetch(s, sid, raw, &ev);
        s->stats = st;
        int cached_live = 0;
        for (uint32_t i = 0; i < c->n; i++)
            if (c->r[i].kind == K_STE && c->r[i].len == 64 && c->r[i].sid == sid &&
                ste_translates(c->r[i].old))
                cached_live = 1;
        if ((!bad && ste_translates(raw)) || cached_live)
            report(s, R_STALL_TERM, sid, -1, 0, idx,
                   "CMD_STALL_TERM for StreamID %u while its STE %s still translates: "
                   "new transactions can stall again",
                   sid, cached_live ? "(as cached)" : "");
        return;
    }
    case SMMU_CMD_PRI_RESP: {
        uint32_t ssid = (uint32_t)((w[0] >> 12) & 0xFFFFF);
        unsigned ssv = (unsigned)((w[0] >> 11) & 1), prgi = (unsigned)(w[1] & 0x1FF);
        for (unsigned i = 0; i < c->npri; i++)
            if (c->pri[i].sid == sid && c->pri[i].prgi == prgi &&
                (!ssv || (c->pri[i].ssv && c->pri[i].ssid == ssid))) {
                c->pri[i] = c->pri[--c->npri];
                return;
            }
        /* Linux reads PRI entries and answers before it writes PRIQ_CONS
         * (queue_sync_cons_out after the batch): a Last request that the
         * SMMU produced (between PRIQ_CONS and PRIQ_PROD) counts too. */
        {
            const smmu_regs_t *rg = &s->regs;
            unsigned qs = smmu_priq_log2size(s);
            uint32_t m = smmu_qptr_mask(qs), cur = rg->priq_cons & m, to = rg->priq_prod & m;
            uint64_t qbase = smmu_queue_base(s, rg->priq_base, qs, 16);
            for (unsigned k = 0; s->cfg.pri && cur != to && k < (2u << qs); k++) {
                uint64_t e[2];
                if (!quiet_read(s, smmu_queue_slot(qbase, cur, qs, 16), e, 2, SMMU_ACC_PRIQ) &&
                    ((e[0] >> 62) & 1) && (uint32_t)e[0] == sid && (e[1] & 0x1FF) == prgi &&
                    (!ssv || ((e[0] >> 63) && ((e[0] >> 32) & 0xFFFFF) == ssid)))
                    return;
                cur = (cur + 1) & m;
            }
        }
        report(s, R_PRI_RESP, sid, ssv ? (int64_t)ssid : -1, 0, idx,
               "CMD_PRI_RESP StreamID %u PRGI %u before software consumed that group's "
               "Last request from the PRI queue", sid, prgi);
        return;
    }
    default:
        break;
    }
    if (tlbi_regime(op)) {
        tlbi_t t = tlbi_decode(s, op, w);
        if (op == SMMU_CMD_TLBI_S2_IPA && !c->s2ipa) {
            c->s2ipa = 1;
            c->s2ipa_vmid = t.vmid;
            c->s2ipa_idx = idx;
        }
        check_tlbi(s, idx, &t, w);
        for (uint32_t i = 0; i < c->n; i++) {
            rec_t *r = &c->r[i];
            if (tlbi_covers(r, &t)) {
                r->state = S_INVAL;
                r->cmd = idx;
            }
        }
    }
}

/* ---- Registers -------------------------------------------------------------- */

/* Queue pointer write: index beyond the size (bits [19:QS+1]) or the new
 * pointer passing the other one (3.5.1). */
static void check_qptr(smmu_t *s, uint64_t off, uint32_t v, unsigned qs, uint32_t other,
                       uint32_t old, int is_prod, const char *name)
{
    uint32_t m = smmu_qptr_mask(qs);
    uint32_t extra = v & (uint32_t)SMMU_MASK(19, 0) & ~m;
    if (extra) {
        report(s, R_QUEUE_POINTER, -1, -1, off, -1,
               "%s written 0x%x: index bits above the queue size (LOG2SIZE %u)", name, v, qs);
        return;
    }
    uint32_t size = 1u << qs;
    if (is_prod) { /* producer: at most size entries ahead of the consumer */
        uint32_t used = (v - other) & m;
        if (used > size)
            report(s, R_QUEUE_POINTER, -1, -1, off, -1,
                   "%s written 0x%x: %u entries ahead of the consumer 0x%x, more than the "
                   "queue holds (%u)", name, v, used, other, size);
    } else { /* consumer: may not pass the producer */
        if (((v - old) & m) > ((other - old) & m))
            report(s, R_QUEUE_POINTER, -1, -1, off, -1,
                   "%s written 0x%x: past the producer index 0x%x", name, v, other & m);
    }
}

static int live_eats(const struct smmu_checker *c, unsigned mask)
{
    for (uint32_t i = 0; i < c->n; i++) {
        const rec_t *r = &c->r[i];
        if (r->kind == K_STE && r->len == 64 && ste_v(r->old) && ((mask >> ste_eats(r->old)) & 1))
            return (int)i;
    }
    return -1;
}

static void check_cr0(smmu_t *s, uint32_t v)
{
    struct smmu_checker *c = s->chk;
    uint32_t old = s->regs.cr0, set = v & ~old;
    static const struct { uint32_t bit; const char *name, *base; } en[] = {
        {(uint32_t)SMMU_CR0_SMMUEN, "SMMUEN", "SMMU_STRTAB_BASE"},
        {(uint32_t)SMMU_CR0_CMDQEN, "CMDQEN", "SMMU_CMDQ_BASE"},
        {(uint32_t)SMMU_CR0_EVENTQEN, "EVENTQEN", "SMMU_EVENTQ_BASE"},
        {(uint32_t)SMMU_CR0_PRIQEN, "PRIQEN", "SMMU_PRIQ_BASE"},
    };
    uint8_t wrote[4] = {c->wrote_strtab, c->wrote_cmdq, c->wrote_eventq, c->wrote_priq};
    for (unsigned i = 0; i < 4; i++)
        if ((set & en[i].bit) && !wrote[i] && (i != 3 || s->cfg.pri))
            report(s, R_ENABLE_ORDER, -1, -1, SMMU_CR0, -1,
                   "CR0.%s set before %s was programmed", en[i].name, en[i].base);
    int was_on = (old | s->regs.cr0ack) & SMMU_CR0_SMMUEN;
    if (was_on && !(v & SMMU_CR0_SMMUEN)) {
        int i = live_eats(c, 0xE);
        if (i >= 0)
            report(s, R_SMMUEN_OFF_ATS, c->r[i].sid, -1, c->r[i].pa, -1,
                   "SMMUEN cleared while STE %u (0x%llx) has EATS %u: disable ATS in the STE "
                   "and endpoint, invalidate its ATC and the STE first",
                   c->r[i].sid, (unsigned long long)c->r[i].pa, ste_eats(c->r[i].old));
    }
    if (((old ^ v) & SMMU_CR0_ATSCHK) && (was_on || (v & SMMU_CR0_SMMUEN))) {
        int i = live_eats(c, 0xC);
        if (i >= 0)
            report(s, R_ATSCHK, c->r[i].sid, -1, c->r[i].pa, -1,
                   "CR0.ATSCHK changed while STE %u has EATS %u: UNPREDICTABLE (5.2)",
                   c->r[i].sid, ste_eats(c->r[i].old));
    }
}

void smmu_checker_reg_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size)
{
    struct smmu_checker *c = s->chk;
    const smmu_regs_t *r = &s->regs;
    uint32_t v = (uint32_t)val;
    uint64_t base = off & ~7ull;
    int smmuen = ((r->cr0 | r->cr0ack) & SMMU_CR0_SMMUEN) != 0;
    uint32_t en = r->cr0 | r->cr0ack, irqen = r->irq_ctrl | r->irq_ctrlack;
    (void)size;
    /* base registers (64-bit, either half) */
    switch (base) {
    case SMMU_STRTAB_BASE:
        c->wrote_strtab = 1;
        if (smmuen)
            report(s, R_ENABLE_ORDER, -1, -1, off, -1, "SMMU_STRTAB_BASE written while SMMUEN is 1");
        return;
    case SMMU_CMDQ_BASE:
        c->wrote_cmdq = 1;
        if (en & SMMU_CR0_CMDQEN)
            report(s, R_ENABLE_ORDER, -1, -1, off, -1, "SMMU_CMDQ_BASE written while CMDQEN is 1");
        return;
    case SMMU_EVENTQ_BASE:
        c->wrote_eventq = 1;
        if (en & SMMU_CR0_EVENTQEN)
            report(s, R_ENABLE_ORDER, -1, -1, off, -1,
                   "SMMU_EVENTQ_BASE written while EVENTQEN is 1");
        return;
    case SMMU_PRIQ_BASE:
        c->wrote_priq = 1;
        if (en & SMMU_CR0_PRIQEN)
            report(s, R_ENABLE_ORDER, -1, -1, off, -1, "SMMU_PRIQ_BASE written while PRIQEN is 1");
        return;
    case SMMU_GERROR_IRQ_CFG0:
        if (irqen & SMMU_IRQ_CTRL_GERROR_IRQEN)
            report(s, R_IRQ_CFG, -1, -1, off, -1,
                   "SMMU_GERROR_IRQ_CFG0 written while IRQ_CTRL.GERROR_IRQEN is 1 (6.3.21)");
        return;
    case SMMU_EVENTQ_IRQ_CFG0:
        if (irqen & SMMU_IRQ_CTRL_EVENTQ_IRQEN)
            report(s, R_IRQ_CFG, -1, -1, off, -1,
                   "SMMU_EVENTQ_IRQ_CFG0 written while IRQ_CTRL.EVENTQ_IRQEN is 1 (6.3.30)");
        return;
    case SMMU_PRIQ_IRQ_CFG0:
        if (irqen & SMMU_IRQ_CTRL_PRIQ_IRQEN)
            report(s, R_IRQ_CFG, -1, -1, off, -1,
                   "SMMU_PRIQ_IRQ_CFG0 written while IRQ_CTRL.PRIQ_IRQEN is 1 (6.3.34)");
        return;
    default:
        break;
    }
    switch (off) {
    case SMMU_CR0:
        check_cr0(s, v);
        break;
    case SMMU_CR1: { /* 6.3.11: SH 0b01 and OC/IC 0b11 are reserved */
        static const struct { unsigned lo; const char *name; unsigned bad; } f[] = {
            {10, "TABLE_SH", 1}, {8, "TABLE_OC", 3}, {6, "TABLE_IC", 3},
            {4, "QUEUE_SH", 1}, {2, "QUEUE_OC", 3}, {0, "QUEUE_IC", 3},
        };
        for (unsigned i = 0; i < 6; i++)
            if (((v >> f[i].lo) & 3) == f[i].bad)
                report(s, R_ILLEGAL_WRITE, -1, -1, off, -1,
                       "SMMU_CR1.%s written 0b%u%u, a reserved encoding (6.3.11)", f[i].name,
                       f[i].bad >> 1, f[i].bad & 1);
        break;
    }
    case SMMU_STRTAB_BASE_CFG: { /* 6.3.25 */
        unsigned fmt = (v >> 16) & 3, split = (v >> 6) & 31;
        if (smmuen)
            report(s, R_ENABLE_ORDER, -1, -1, off, -1,
                   "SMMU_STRTAB_BASE_CFG written while SMMUEN is 1");
        if (fmt > 1)
            report(s, R_ILLEGAL_WRITE, -1, -1, off, -1,
                   "SMMU_STRTAB_BASE_CFG.FMT written 0b%u%u, a reserved encoding (6.3.25)",
                   fmt >> 1, fmt & 1);
        else if (fmt == 1 && split != 6 && split != 8 && split != 10)
            report(s, R_ILLEGAL_WRITE, -1, -1, off, -1,
                   "SMMU_STRTAB_BASE_CFG.SPLIT written %u: reserved, only 6, 8 and 10 are "
                   "defined (6.3.25)", split);
        break;
    }
    case SMMU_GERROR_IRQ_CFG1:
    case SMMU_GERROR_IRQ_CFG2:
        if (irqen & SMMU_IRQ_CTRL_GERROR_IRQEN)
            report(s, R_IRQ_CFG, -1, -1, off, -1,
                   "SMMU_GERROR_IRQ_CFG%u written while IRQ_CTRL.GERROR_IRQEN is 1 (6.3.21)",
                   off == SMMU_GERROR_IRQ_CFG1 ? 1u : 2u);
        break;
    case SMMU_EVENTQ_IRQ_CFG1:
    case SMMU_EVENTQ_IRQ_CFG2:
        if (irqen & SMMU_IRQ_CTRL_EVENTQ_IRQEN)
            report(s, R_IRQ_CFG, -1, -1, off, -1,
                   "SMMU_EVENTQ_IRQ_CFG%u written while IRQ_CTRL.EVENTQ_IRQEN is 1 (6.3.30)",
                   off == SMMU_EVENTQ_IRQ_CFG1 ? 1u : 2u);
        break;
    case SMMU_PRIQ_IRQ_CFG1:
    case SMMU_PRIQ_IRQ_CFG2:
        if (irqen & SMMU_IRQ_CTRL_PRIQ_IRQEN)
            report(s, R_IRQ_CFG, -1, -1, off, -1,
                   "SMMU_PRIQ_IRQ_CFG%u written while IRQ_CTRL.PRIQ_IRQEN is 1 (6.3.34)",
                   off == SMMU_PRIQ_IRQ_CFG1 ? 1u : 2u);
        break;
    case SMMU_CMDQ_PROD:
        check_qptr(s, off, v, smmu_cmdq_log2size(s), r->cmdq_cons, r->cmdq_prod, 1,
                   "SMMU_CMDQ_PROD");
        break;
    case SMMU_EVENTQ_CONS:
    case SMMU_EVENTQ_CONS_P0: /* the page-0 alias (docs/registers.md) */
        check_qptr(s, off, v, smmu_eventq_log2size(s), r->eventq_prod, r->eventq_cons, 0,
                   "SMMU_EVENTQ_CONS");
        break;
    case SMMU_PRIQ_CONS:
    case SMMU_PRIQ_CONS_P0: {
        unsigned qs = smmu_priq_log2size(s);
        check_qptr(s, off, v, qs, r->priq_prod, r->priq_cons, 0, "SMMU_PRIQ_CONS");
        /* the PRI requests software consumed (PRI_RESP_EARLY) */
        uint32_t m = smmu_qptr_mask(qs), cur = r->priq_cons & m, to = v & m;
        uint64_t qbase = smmu_queue_base(s, r->priq_base, qs, 16);
        for (unsigned k = 0; cur != to && k < (2u << qs); k++) {
            uint64_t e[2];
            if (!quiet_read(s, smmu_queue_slot(qbase, cur, qs, 16), e, 2, SMMU_ACC_PRIQ) &&
                ((e[0] >> 62) & 1) && c->npri < PRI_MAX) {
                c->pri[c->npri].sid = (uint32_t)e[0];
                c->pri[c->npri].ssid = (uint32_t)((e[0] >> 32) & 0xFFFFF);
                c->pri[c->npri].ssv = (uint8_t)(e[0] >> 63);
                c->pri[c->npri].prgi = (uint16_t)(e[1] & 0x1FF);
                c->npri++;
            }
            cur = (cur + 1) & m;
        }
        break;
    }
    default:
        break;
    }
}
