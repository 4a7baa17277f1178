/* SPDX-License-Identifier: Apache-2.0 */
/* smmu-replay and the driver-checker: see checker_glue.h. */
#include <stdlib.h>
#include <string.h>

#include "checker_glue.h"
#include "jsonw.h"
#include "smmu/smmu_checker.h"

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
