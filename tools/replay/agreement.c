/* SPDX-License-Identifier: Apache-2.0 */
/* Per-translation agreement (agreement.h). */
#define _POSIX_C_SOURCE 200809L
#include "agreement.h"

#include <string.h>

#include "jsonw.h"

const char *const agr_rule_names[AGR_NRULES + 1] = {"qemu-evt-class", "qemu-l1std-span", NULL};
const char *const agr_verdict_names[4] = {"agree", "explained", "unexplained",
                                          "not_rederivable"};

int agr_open(agr_t *a, const char *path, char *why, size_t n)
{
    if (fio_out_open(&a->csv, path, why, n))
        return -1;
    a->has_csv = 1;
    fprintf(a->csv.f, "index,line,sid,ssid,addr,access,expected,model,verdict,rule\n");
    return 0;
}

/* A CSV field: quoted when it holds a comma or a quote (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void agr_record(agr_t *a, FILE *json, const char *file, unsigned line, uint32_t sid, int ssv,
                uint32_t ssid, uint64_t addr, char access, const char *expected,
                const char *model, int verdict, int rule, const char *qemu)
{
    uint64_t index = a->index++;
    switch (verdict) {
    case AGR_AGREE: a->compared++, a->agree++; break;
    case AGR_EXPLAINED: a->compared++, a->explained++; break;
    case AGR_UNEXPLAINED: a->compared++, a->unexplained++; break;
    default: a->not_rederivable++; break;
    }
    if (verdict == AGR_EXPLAINED && rule >= 0)
        a->by_rule[rule]++;
    const char *vname = agr_verdict_names[verdict];
    const char *rname = rule >= 0 ? agr_rule_names[rule] : NULL;
    if (a->has_csv) {
        FILE *f = a->csv.f;
        fprintf(f, "%llu,%u,%u,", (unsigned long long)index, line, sid);
        if (ssv)
            fprintf(f, "%u", ssid);
        fprintf(f, ",0x%llx,%c,", (unsigned long long)addr, access);
        csv_field(f, expected);
        fputc(',', f);
        csv_field(f, model ? model : "");
        fprintf(f, ",%s,%s\n", vname, rname ? rname : "");
    }
    if (json) {
        jw_t w;
        jw_begin(&w, json, "agreement");
        jw_uint(&w, "index", index);
        jw_str(&w, "file", file);
        jw_uint(&w, "line", line);
        jw_uint(&w, "sid", sid);
        if (ssv)
            jw_uint(&w, "ssid", ssid);
        else
            jw_null(&w, "ssid");
        jw_hex(&w, "addr", addr);
        char acc[2] = {access, 0};
        jw_str(&w, "access", acc);
        jw_str(&w, "expected", expected);
        jw_str(&w, "model", model);
        jw_str(&w, "verdict", vname);
        jw_str(&w, "rule", rname);
        jw_str(&w, "qemu", qemu);
        jw_end(&w);
    }
}

void agr_summary_json(const agr_t *a, FILE *f)
{
    jw_t w;
    jw_begin(&w, f, "agreement_summary");
    jw_uint(&w, "compared", a->compared);
    jw_uint(&w, "agree", a->agree);
    jw_uint(&w, "explained", a->explained);
    jw_uint(&w, "unexplained", a->unexplained);
    jw_uint(&w, "not_rederivable", a->not_rederivable);
    jw_open(&w, "by_rule", '{');
    for (int i = 0; i < AGR_NRULES; i++)
        if (a->by_rule[i])
            jw_uint(&w, agr_rule_names[i], a->by_rule[i]);
    jw_close(&w, '}');
    jw_end(&w);
}

void agr_summary_text(const agr_t *a, FILE *f)
{
    fprintf(f, "agreement: %llu compared: %llu agree, %llu explained",
            (unsigned long long)a->compared, (unsigned long long)a->agree,
            (unsigned long long)a->explained);
    int first = 1;
    for (int i = 0; i < AGR_NRULES; i++)
        if (a->by_rule[i]) {
            fprintf(f, "%s%s %llu", first ? " (" : ", ", agr_rule_names[i],
                    (unsigned long long)a->by_rule[i]);
            first = 0;
        }
    fprintf(f, "%s, %llu unexplained; %llu not re-derivable\n", first ? "" : ")",
            (unsigned long long)a->unexplained, (unsigned long long)a->not_rederivable);
}

int agr_commit(agr_t *a, char *why, size_t n)
{
    if (!a->has_csv)
        return 0;
    a->has_csv = 0;
    return fio_out_commit(&a->csv, why, n);
}

void agr_discard(agr_t *a)
{
    if (a->has_csv)
        fio_out_discard(&a->csv);
    a->has_csv = 0;
}
