/* SPDX-License-Identifier: Apache-2.0 */
/* smmu-conformance: run the driver conformance suite (docs/conformance.md):
 * every scenario under the given paths (default tests/conformance) with the
 * driver-checker on, through smmu-replay's own code (scenario.c, run.c).
 * Exit status: 0 all pass, 1 one failed, 2 bad input (nothing runs or is
 * written). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "jsonw.h"
#include "replay.h"
#include "smmu/smmu_checker.h"
#include "smmu/smmu_version.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: smmu-conformance [options] [PATH...]\n"
            "  PATH            a scenario (.yaml) or a directory searched for them; default\n"
            "                  tests/conformance. A scenario's group is its directory's name.\n"
            "  --junit FILE    write a JUnit XML report: a testsuite per group, a testcase per\n"
            "                  scenario, a failure per failed expectation or unexpected violation\n"
            "  --json          one JSON object per line (a scenario each, then a summary)\n"
            "  -q, --quiet     print only failures and the summary\n"
            "  --list-rules    print the checker's rules (ID<TAB>section<TAB>explanation) and exit\n"
            "  --version       print the version and exit\n"
            "  -h, --help      this text\n"
            "Every scenario runs with the driver-checker on (smmu-replay --checker).\n"
            "Exit status: 0 all pass, 1 a scenario failed, 2 bad input.\n");
}

typedef struct item {
    char *path, *group, *stem;
    int rc;
    char *out; /* the run's text output (failures, unexpected violations) */
} item_t;

typedef struct list {
    item_t *v;
    size_t n, cap;
} list_t;

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static char *dupstr(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static int add_file(list_t *l, const char *path)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 64;
        item_t *nv = realloc(l->v, nc * sizeof(*nv));
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    item_t *it = &l->v[l->n];
    memset(it, 0, sizeof(*it));
    it->path = dupstr(path);
    if (!it->path)
        return -1;
    /* group: the name of the directory holding the file */
    char *tmp = dupstr(path);
    if (!tmp)
        return -1;
    char *slash = strrchr(tmp, '/');
    const char *base = slash ? slash + 1 : tmp;
    it->stem = dupstr(base);
    if (slash) {
        *slash = 0;
        char *s2 = strrchr(tmp, '/');
        it->group = dupstr(s2 ? s2 + 1 : tmp);
    } else {
        it->group = dupstr(".");
    }
    free(tmp);
    if (!it->stem || !it->group)
        return -1;
    char *dot = strrchr(it->stem, '.');
    if (dot)
        *dot = 0;
    l->n++;
    return 0;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Directory walk, sorted, *.yaml and *.yml. Returns 0 or -1 (message on err). */
static int add_dir(list_t *l, const char *dir, FILE *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(err, "smmu-conformance: error: cannot open directory '%s'\n", dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 32;
            char **nn = realloc(names, cap * sizeof(*nn));
            if (!nn) {
                rc = -1;
                break;
            }
            names = nn;
        }
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            rc = -1;
            break;
        }
        snprintf(names[n], len, "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof(*names), cmp_name);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (!rc && !stat(names[i], &st)) {
            if (S_ISDIR(st.st_mode))
                rc = add_dir(l, names[i], err);
            else if (S_ISREG(st.st_mode) &&
                     (ends_with(names[i], ".yaml") || ends_with(names[i], ".yml")))
                rc = add_file(l, names[i]);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static void xml_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                fputc(' ', f);
            else
                fputc(*s, f);
        }
    }
}

/* The failure lines of a run's text output: every line but the summary
 * (which starts with the file name and ends with PASS/FAIL/ERROR). */
static int is_summary(const char *line, size_t len, const char *file)
{
    size_t fl = strlen(file);
    return len > fl && !strncmp(line, file, fl) && line[fl] == ':' && line[fl + 1] == ' ';
}

static void junit_case(FILE *f, const item_t *it)
{
    fprintf(f, "    <testcase classname=\"");
    xml_escape(f, it->group);
    fprintf(f, "\" name=\"");
    xml_escape(f, it->stem);
    fprintf(f, "\" file=\"");
    xml_escape(f, it->path);
    if (!it->rc) {
        fprintf(f, "\"/>\n");
        return;
    }
    fprintf(f, "\">\n");
    const char *p = it->out ? it->out : "";
    int any = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len && !is_summary(p, len, it->path)) {
            char *line = malloc(len + 1);
            if (line) {
                memcpy(line, p, len);
                line[len] = 0;
                fprintf(f, "      <failure message=\"");
                xml_escape(f, line);
                fprintf(f, "\" type=\"%s\"/>\n",
                        strstr(line, "VIOLATION") ? "violation" : "expectation");
                free(line);
                any = 1;
            }
        }
        p = nl ? nl + 1 : p + len;
    }
    if (!any)
        fprintf(f, "      <failure message=\"%s: failed (status %d)\"/>\n", it->path, it->rc);
    fprintf(f, "    </testcase>\n");
}

static void write_junit(FILE *f, const list_t *l)
{
    size_t total = 0, failed = 0;
    for (size_t i = 0; i < l->n; i++) {
        total++;
        failed += l->v[i].rc != 0;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites name=\"smmu-conformance\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
            total, failed);
    /* groups in order of first appearance */
    for (size_t i = 0; i < l->n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = !strcmp(l->v[j].group, l->v[i].group);
        if (seen)
            continue;
        size_t n = 0, nf = 0;
        for (size_t j = i; j < l->n; j++)
            if (!strcmp(l->v[j].group, l->v[i].group)) {
                n++;
                nf += l->v[j].rc != 0;
            }
        fprintf(f, "  <testsuite name=\"");
        xml_escape(f, l->v[i].group);
        fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n", n, nf);
        for (size_t j = i; j < l->n; j++)
            if (!strcmp(l->v[j].group, l->v[i].group))
                junit_case(f, &l->v[j]);
        fprintf(f, "  </testsuite>\n");
    }
    fprintf(f, "</testsuites>\n");
}

static void list_free(list_t *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].group);
        free(l->v[i].stem);
        free(l->v[i].out);
    }
    free(l->v);
}

/* Run one scenario with the checker on; its text output kept in it->out. */
static int run_one(item_t *it)
{
    char *buf = NULL, *ebuf = NULL;
    size_t len = 0, elen = 0;
    FILE *out = open_memstream(&buf, &len);
    FILE *err = open_memstream(&ebuf, &elen);
    if (!out || !err) {
        if (out)
            fclose(out);
        if (err)
            fclose(err);
        free(buf);
        free(ebuf);
        return 2;
    }
    run_opts_t o;
    memset(&o, 0, sizeof o);
    o.out = out;
    o.err = err;
    o.quiet = 1;
    o.checker = 1;
    rmem_t mem;
    rmem_init(&mem);
    scenario_t s;
    int rc = scenario_load(&s, it->path, err, &mem);
    if (rc == 0)
        rc = scenario_run(&s, &mem, &o);
    scenario_free(&s);
    rmem_free(&mem);
    fclose(out);
    fclose(err);
    size_t tl = len + elen + 1;
    it->out = malloc(tl);
    if (it->out)
        snprintf(it->out, tl, "%s%s", ebuf ? ebuf : "", buf ? buf : "");
    free(buf);
    free(ebuf);
    it->rc = rc;
    return rc;
}

static int conformance_main(int argc, char **argv, const char **paths)
{
    int json = 0, quiet = 0, list_rules = 0;
    const char *junit = NULL;
    size_t npaths = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            json = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            quiet = 1;
        else if (!strcmp(a, "--list-rules"))
            list_rules = 1;
        else if (!strcmp(a, "--version")) {
            printf("smmu-conformance %s\n", smmu_version());
            return 0;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--junit")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "smmu-conformance: error: --junit needs a file name\n");
                return 2;
            }
            junit = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "smmu-conformance: error: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else
            paths[npaths++] = a;
    }
    if (list_rules) {
        for (size_t i = 0; i < smmu_checker_rule_count(); i++) {
            const char *id, *sec, *text;
            smmu_checker_rule_at(i, &id, &sec, &text);
            if (json) {
                jw_t w;
                jw_begin(&w, stdout, "rule");
                jw_str(&w, "id", id);
                jw_str(&w, "section", sec);
                jw_str(&w, "explanation", text);
                jw_end(&w);
            } else {
                printf("%s\t%s\t%s\n", id, sec, text);
            }
        }
        return fio_close_stdout("smmu-conformance", stderr);
    }
    if (!npaths)
        paths[npaths++] = "tests/conformance";
    list_t l;
    memset(&l, 0, sizeof l);
    int rc = 0;
    for (size_t i = 0; i < npaths && !rc; i++) {
        struct stat st;
        if (stat(paths[i], &st)) {
            fprintf(stderr, "smmu-conformance: error: '%s': no such file or directory\n",
                    paths[i]);
            rc = 2;
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_dir(&l, paths[i], stderr) ? 2 : 0;
        } else if (add_file(&l, paths[i])) {
            rc = 2;
        }
    }
    if (!rc && !l.n) {
        fprintf(stderr, "smmu-conformance: error: no scenario (*.yaml) found\n");
        rc = 2;
    }
    /* Bad input first: every scenario must parse (file:line:column errors)
     * before anything runs or the report is written. */
    for (size_t i = 0; !rc && i < l.n; i++) {
        rmem_t mem;
        rmem_init(&mem);
        scenario_t s;
        if (scenario_load(&s, l.v[i].path, stderr, &mem))
            rc = 2;
        scenario_free(&s);
        rmem_free(&mem);
    }
    fio_out_t jo;
    memset(&jo, 0, sizeof jo);
    if (!rc && junit) {
        char why[256];
        if (fio_out_open(&jo, junit, why, sizeof why)) {
            fprintf(stderr, "smmu-conformance: error: --junit '%s': %s\n", junit, why);
            rc = 2;
        }
    }
    if (rc) {
        list_free(&l);
        return rc;
    }
    size_t passed = 0, failed = 0;
    for (size_t i = 0; i < l.n; i++) {
        item_t *it = &l.v[i];
        int r = run_one(it);
        if (r == 0)
            passed++;
        else
            failed++;
        if (json) {
            jw_t w;
            jw_begin(&w, stdout, "scenario");
            jw_str(&w, "group", it->group);
            jw_str(&w, "name", it->stem);
            jw_str(&w, "file", it->path);
            jw_str(&w, "result", r == 0 ? "pass" : r == 1 ? "fail" : "error");
            jw_int(&w, "status", r);
            jw_str(&w, "output", r ? (it->out ? it->out : "") : "");
            jw_end(&w);
        } else if (r || !quiet) {
            printf("%-5s %s/%s\n", r == 0 ? "PASS" : r == 1 ? "FAIL" : "ERROR", it->group, it->stem);
            if (r && it->out)
                fputs(it->out, stdout);
        }
        if (r == 2)
            rc = 2;
    }
    if (json) {
        jw_t w;
        jw_begin(&w, stdout, "summary");
        jw_uint(&w, "scenarios", l.n);
        jw_uint(&w, "passed", passed);
        jw_uint(&w, "failed", failed);
        jw_end(&w);
    } else {
        printf("%zu scenarios, %zu passed, %zu failed\n", l.n, passed, failed);
    }
    if (junit) {
        write_junit(jo.f, &l);
        char why[256];
        if (fio_out_commit(&jo, why, sizeof why)) {
            fprintf(stderr, "smmu-conformance: error: writing %s: %s\n", junit, why);
            rc = 2;
        }
    }
    list_free(&l);
    int wrc = fio_close_stdout("smmu-conformance", stderr);
    if (rc)
        return rc;
    return wrc ? wrc : failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    if (!paths) {
        fprintf(stderr, "smmu-conformance: error: out of memory\n");
        return 2;
    }
    int rc = conformance_main(argc, argv, paths);
    free(paths);
    return rc;
}
