/* SPDX-License-Identifier: Apache-2.0 */
/* smmu-replay: run a YAML scenario against the SMMUv3 model.
 * Exit status: 0 every expectation holds, 1 one failed, 2 bad input. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "jsonw.h"
#include "replay.h"
#include "smmu/smmu_version.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: smmu-replay [options] SCENARIO.yaml\n"
            "  --json          one JSON object per line (transactions, events, failures, summary)\n"
            "  --stats FILE    write statistics (smmu_get_stats); FILE ending in .csv gets CSV,\n"
            "                  anything else JSON; may be given twice\n"
            "  --samples FILE  CSV of counters sampled every 65536 replayed transactions\n"
            "                  (for smmu-plot: hit rate over time)\n"
            "  --agreement FILE.csv  one row per DMA of the mmio steps: expected, model,\n"
            "                  verdict (agree, explained, unexplained, not_rederivable), rule\n"
            "                  (docs/qemu.md)\n"
            "  -q, --quiet     print only failures and the summary\n"
            "  --progress      progress line on stderr during trace replays (default: when\n"
            "                  stderr is a terminal); --no-progress turns it off\n"
            "  --set KEY=VALUE override a key of the scenario's smmu: block (preset,\n"
            "                  configuration or timing field), applied after the block;\n"
            "                  repeatable, a later one wins (docs/scenario.md)\n"
            "  --checker       driver-checker on: report violations of the programming rules\n"
            "                  (docs/conformance.md); any not in the scenario's checker: expect\n"
            "                  list fails the run\n"
            "  --check         parse and validate the scenario only\n"
            "  --list-presets  print the presets (name, description; with --json one object\n"
            "                  a line) for 'smmu: {preset: NAME}' and exit (docs/timing.md)\n"
            "  --version       print the version and exit\n"
            "  -h, --help      this text\n"
            "Exit status: 0 all expectations hold, 1 an expectation failed, 2 bad input.\n"
            "Format: docs/scenario.md; JSON output: docs/replay-json.md.\n");
}

/* The whole program; main() owns `sets` (room for every --set), so that
 * each early exit below leaves nothing allocated (LeakSanitizer). */
static int replay_main(int argc, char **argv, const char **sets)
{
    run_opts_t o;
    memset(&o, 0, sizeof o);
    o.out = stdout;
    o.err = stderr;
    o.progress = isatty(2);
    const char *file = NULL;
    int check_only = 0, list_presets = 0;
    size_t nsets = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json"))
            o.json = 1;
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
            o.quiet = 1;
        else if (!strcmp(a, "--progress"))
            o.progress = 1;
        else if (!strcmp(a, "--no-progress"))
            o.progress = 0;
        else if (!strcmp(a, "--checker"))
            o.checker = 1;
        else if (!strcmp(a, "--check"))
            check_only = 1;
        else if (!strcmp(a, "--list-presets"))
            list_presets = 1;
        else if (!strcmp(a, "--version")) {
            printf("smmu-replay %s\n", smmu_version());
            return 0;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--stats")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "smmu-replay: error: --stats needs a file name\n");
                return 2;
            }
            const char *f = argv[++i];
            size_t l = strlen(f);
            int csv = l >= 4 && !strcmp(f + l - 4, ".csv");
            const char **slot = csv ? &o.stats_csv : &o.stats_json;
            if (*slot) {
                fprintf(stderr, "smmu-replay: error: --stats given twice for %s ('%s', '%s'); "
                                "give one .csv and one other name\n", csv ? "CSV" : "JSON",
                        *slot, f);
                return 2;
            }
            *slot = f;
        } else if (!strcmp(a, "--set") || !strncmp(a, "--set=", 6)) {
            if (a[5] == '=')
                sets[nsets++] = a + 6;
            else if (i + 1 >= argc) {
                fprintf(stderr, "smmu-replay: error: --set needs KEY=VALUE\n");
                return 2;
            } else
                sets[nsets++] = argv[++i];
        } else if (!strcmp(a, "--agreement")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "smmu-replay: error: --agreement needs a file name\n");
                return 2;
            }
            if (o.agreement) {
                fprintf(stderr, "smmu-replay: error: --agreement given twice ('%s', '%s')\n",
                        o.agreement, argv[i + 1]);
                return 2;
            }
            o.agreement = argv[++i];
        } else if (!strcmp(a, "--samples")) {
            if (i + 1 >= argc) {
                fprintf(stderr, "smmu-replay: error: --samples needs a file name\n");
                return 2;
            }
            if (o.samples) {
                fprintf(stderr, "smmu-replay: error: --samples given twice ('%s', '%s')\n",
                        o.samples, argv[i + 1]);
                return 2;
            }
            o.samples = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "smmu-replay: error: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (file) {
            fprintf(stderr, "smmu-replay: error: more than one scenario file ('%s', '%s')\n",
                    file, a);
            return 2;
        } else
            file = a;
    }
    if (list_presets) {
        for (unsigned i = 0; i < smmu_preset_count(); i++) {
            smmu_timing_t t;
            smmu_preset_get(smmu_preset_name(i), NULL, &t);
            if (o.json) {
                jw_t w;
                jw_begin(&w, stdout, "preset");
                jw_str(&w, "name", smmu_preset_name(i));
                jw_str(&w, "description", smmu_preset_description(i));
                jw_bool(&w, "timing", t.num_tbus != 0);
                jw_end(&w);
            } else {
                printf("%-14s %s\n", smmu_preset_name(i), smmu_preset_description(i));
            }
        }
        return fio_close_stdout("smmu-replay", stderr);
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    /* An output must not be the scenario or another output (device and
     * inode), checked before anything runs. */
    const char *outs[4] = {o.stats_json, o.stats_csv, o.samples, o.agreement};
    for (int i = 0; i < 4; i++) {
        if (!outs[i])
            continue;
        if (fio_same_file(outs[i], file)) {
            fprintf(stderr, "smmu-replay: error: output '%s' is the scenario file '%s'\n",
                    outs[i], file);
            return 2;
        }
        for (int j = 0; j < i; j++)
            if (outs[j] && (fio_same_file(outs[i], outs[j]) ||
                            (!strcmp(outs[i], outs[j]) && access(outs[i], F_OK)))) {
                fprintf(stderr, "smmu-replay: error: outputs '%s' and '%s' are the same file\n",
                        outs[j], outs[i]);
                return 2;
            }
    }
    rmem_t mem;
    rmem_init(&mem);
    scenario_t s;
    int rc = scenario_load_set(&s, file, stderr, &mem, sets, nsets);
    /* Nor any file the scenario reads (pages, index, mmio trace). */
    for (size_t i = 0; rc == 0 && i < s.ninputs; i++)
        for (int j = 0; j < 4; j++)
            if (outs[j] && fio_same_file(outs[j], s.inputs[i])) {
                fprintf(stderr, "smmu-replay: error: output '%s' is the input '%s'\n", outs[j],
                        s.inputs[i]);
                rc = 2;
                break;
            }
    if (rc == 0 && !check_only)
        rc = scenario_run(&s, &mem, &o);
    else if (rc == 0)
        printf("%s: %zu steps: OK\n", file, s.nsteps);
    scenario_free(&s);
    rmem_free(&mem);
    int wrc = fio_close_stdout("smmu-replay", stderr);
    return rc == 2 ? rc : wrc ? wrc : rc;
}

int main(int argc, char **argv)
{
    const char **sets = calloc((size_t)argc, sizeof *sets);
    if (!sets) {
        fprintf(stderr, "smmu-replay: error: out of memory\n");
        return 2;
    }
    int rc = replay_main(argc, argv, sets);
    free(sets);
    return rc;
}
