/* SPDX-License-Identifier: Apache-2.0 */
/* smmu-replay and the driver-checker: see checker_glue.h. */
#include <stdlib.h>
#include <string.h>

#include "checker_glue.h"
#include "jsonw.h"
#include "smmu/smmu_checker.h"
#include "smmu/smmu_regs.h"

static int rule_index(const char *id)
{
    for (size_t i = 0; i < smmu_checker_rule_count(); i++) {
        const char *r;
        smmu_checker_rule_at(i, &r, NULL, NULL);
        if (!strcmp(r, id))
            return (int)i;
    }
    return -1;
}

void checker_parse(ydoc_t *d, const yaml_node_t *v, replay_checker_spec_t *spec)
{
    memset(spec, 0, sizeof(*spec));
    if (!v)
        return;
    spec->on = 1;
    spec->node = v;
    yneed_map(d, v, "checker");
    static const char *const keys[] = {"expect", NULL};
    ycheck_keys(d, v, "checker", keys);
    yaml_node_t *e = ymap_get(d, v, "expect");
    if (!e)
        return;
    yneed_seq(d, e, "checker: expect");
    size_t n = yseq_len(e);
    spec->expect = calloc(n ? n : 1, sizeof(*spec->expect));
    spec->expect_node = calloc(n ? n : 1, sizeof(*spec->expect_node));
    if (!spec->expect || !spec->expect_node)
        yerr(d, e, "out of memory");
    const char *ids[64];
    size_t nr = smmu_checker_rule_count();
    for (size_t i = 0; i < nr && i < 64; i++)
        smmu_checker_rule_at(i, &ids[i], NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *x = yseq_at(d, e, i);
        const char *id = ystr(d, x, "checker: expect entry");
        if (rule_index(id) < 0)
            yerr(d, x, "checker: unknown rule id '%s' (nearest: %s; smmu-conformance "
                       "--list-rules)", id, ynearest(id, ids, nr < 64 ? nr : 64));
        spec->expect[spec->nexpect] = id;
        spec->expect_node[spec->nexpect++] = x;
    }
}

void checker_spec_free(replay_checker_spec_t *spec)
{
    free(spec->expect);
    free(spec->expect_node);
    memset(spec, 0, sizeof(*spec));
}

static int expected(const replay_checker_t *c, const char *id)
{
    for (size_t i = 0; c->spec && i < c->spec->nexpect; i++)
        if (!strcmp(c->spec->expect[i], id))
            return 1;
    return 0;
}

static void on_violation(void *ctx, const smmu_violation_t *v)
{
    replay_checker_t *c = ctx;
    int ri = rule_index(v->rule);
    if (ri >= 0 && ri < 64)
        c->fired[ri] = 1;
    c->violations++;
    int ok = expected(c, v->rule);
    if (!ok)
        c->unexpected++;
    if (c->json) {
        jw_t w;
        jw_begin(&w, c->out, "violation");
        jw_str(&w, "rule", v->rule);
        jw_uint(&w, "step_index", c->step_index);
        jw_uint(&w, "line", c->line);
        if (v->sid >= 0)
            jw_int(&w, "sid", v->sid);
        else
            jw_null(&w, "sid");
        jw_hex(&w, "addr", v->addr);
        if (v->cmd_index >= 0)
            jw_int(&w, "cmd_index", v->cmd_index);
        else
            jw_null(&w, "cmd_index");
        jw_str(&w, "section", v->section);
        jw_str(&w, "message", v->message);
        jw_bool(&w, "expected", ok);
        jw_end(&w);
    } else if (!c->quiet || !ok) {
        fprintf(c->out, "%s:%u: VIOLATION %s: %s (%s%s)\n", c->file, c->line, v->rule,
                v->message, v->section, ok ? ", expected" : "");
    }
}

int checker_start(replay_checker_t *c, smmu_t *smmu, const replay_checker_spec_t *spec,
                  int option, const char *file, int json, int quiet)
{
    memset(c, 0, sizeof(*c));
    c->spec = spec;
    c->file = file;
    c->json = json;
    c->quiet = quiet;
    c->out = stdout;
    if (!option && !(spec && spec->on))
        return 0;
    if (smmu_checker_enable(smmu, on_violation, c) != SMMU_OK)
        return -1;
    c->on = 1;
    return 0;
}

uint64_t checker_finish(replay_checker_t *c, FILE *out, size_t step_index)
{
    if (!c->on)
        return 0;
    uint64_t missing = 0;
    for (size_t i = 0; c->spec && i < c->spec->nexpect; i++) {
        int ri = rule_index(c->spec->expect[i]);
        if (ri >= 0 && ri < 64 && c->fired[ri])
            continue;
        missing++;
        const yaml_node_t *n = c->spec->expect_node[i];
        if (c->json) {
            jw_t w;
            jw_begin(&w, out, "fail");
            jw_uint(&w, "step_index", step_index);
            jw_str(&w, "file", c->file);
            jw_uint(&w, "line", yline(n));
            jw_uint(&w, "column", ycol(n));
            jw_str(&w, "step", "checker");
            char msg[128];
            snprintf(msg, sizeof msg, "checker: expected violation %s did not fire",
                     c->spec->expect[i]);
            jw_str(&w, "message", msg);
            jw_open(&w, "mismatches", '[');
            jw_close(&w, ']');
            jw_end(&w);
        } else {
            fprintf(out, "%s:%u:%u: FAILED: checker: expected violation %s did not fire\n",
                    c->file, yline(n), ycol(n), c->spec->expect[i]);
        }
    }
    return missing + c->unexpected;
}

void checker_parse_sids(ydoc_t *d, const yaml_node_t *v, replay_sid_list_t *out)
{
    memset(out, 0, sizeof(*out));
    if (!v) {
        out->all = 1;
        return;
    }
    yneed_seq(d, v, "sids");
    size_t n = yseq_len(v);
    if (!n)
        yerr(d, v, "sids: expected at least one StreamID (leave 'sids' out for all)");
    out->sid = calloc(n ? n : 1, sizeof(*out->sid));
    if (!out->sid)
        yerr(d, v, "out of memory");
    for (size_t i = 0; i < n; i++)
        out->sid[out->n++] = (uint32_t)yu64(d, yseq_at(d, v, i), "sids entry", UINT32_MAX);
}

int checker_sid_listed(const replay_sid_list_t *l, uint32_t sid)
{
    if (!l || l->all)
        return 1;
    for (size_t i = 0; i < l->n; i++)
        if (l->sid[i] == sid)
            return 1;
    return 0;
}

static uint64_t rd64(rmem_t *m, uint64_t pa)
{
    unsigned char b[8];
    rmem_peek(m, pa, b, 8);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

/* The STE of sid as the registers and memory say now (5.1, 6.3.24-25);
 * 0 when it is out of range or its L1STD is invalid. */
static int ste_word0(smmu_t *smmu, rmem_t *mem, uint32_t sid, uint64_t *w0, uint64_t *pa)
{
    uint64_t base = 0, cfg = 0;
    smmu_mmio_read(smmu, SMMU_STRTAB_BASE, 8, &base);
    smmu_mmio_read(smmu, SMMU_STRTAB_BASE_CFG, 4, &cfg);
    base &= 0x00FFFFFFFFFFFFC0ull;
    unsigned log2size = (unsigned)(cfg & 63), split = (unsigned)((cfg >> 6) & 31),
             fmt = (unsigned)((cfg >> 16) & 3);
    if (log2size < 32 && (sid >> log2size))
        return 0;
    if (fmt == 1) {
        if (split != 6 && split != 8 && split != 10)
            split = 6;
        uint64_t l1 = rd64(mem, base + (uint64_t)(sid >> split) * 8);
        unsigned span = (unsigned)(l1 & 31);
        if (!span || span > split + 1 || (sid & ((1u << split) - 1)) >> (span - 1))
            return 0;
        *pa = (l1 & 0x000FFFFFFFFFFFC0ull) + (uint64_t)(sid & ((1u << split) - 1)) * 64;
    } else {
        *pa = base + (uint64_t)sid * 64;
    }
    *w0 = rd64(mem, *pa);
    return 1;
}

static void msi_check(replay_checker_t *c, smmu_t *smmu, rmem_t *mem, uint32_t sid)
{
    for (size_t i = 0; i < c->nmsi_reported; i++)
        if (c->msi_reported[i] == sid)
            return;
    uint64_t w0 = 0, pa = 0;
    if (!ste_word0(smmu, mem, sid, &w0, &pa) || !(w0 & 1) || ((w0 >> 1) & 7) != 7)
        return;
    if (c->nmsi_reported < 16)
        c->msi_reported[c->nmsi_reported++] = sid;
    char msg[200];
    snprintf(msg, sizeof msg,
             "nested STE %u (Config 0b111 at 0x%llx) is live while its MSIs bypass translation in "
             "hardware (platform msi_bypass): the guest's MSI doorbell IPA cannot work (v16 policy)",
             sid, (unsigned long long)pa);
    smmu_violation_t v = {"NESTED_WITH_HW_MSI", "3.18", sid, -1, pa, -1, msg};
    on_violation(c, &v);
}

void checker_step_end(replay_checker_t *c, smmu_t *smmu, rmem_t *mem,
                      const replay_sid_list_t *lists, size_t nlists, int64_t xlate_sid)
{
    if (!c->on || !nlists)
        return;
    uint64_t cr0ack = 0;
    smmu_mmio_read(smmu, SMMU_CR0ACK, 4, &cr0ack);
    if (!(cr0ack & 1))
        return;
    for (size_t i = 0; i < nlists; i++) {
        if (lists[i].all) {
            if (xlate_sid >= 0)
                msi_check(c, smmu, mem, (uint32_t)xlate_sid);
            continue;
        }
        for (size_t k = 0; k < lists[i].n; k++)
            msi_check(c, smmu, mem, lists[i].sid[k]);
    }
}
