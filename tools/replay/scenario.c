/* SPDX-License-Identifier: Apache-2.0 */
/* Scenario parser: YAML -> steps (docs/scenario.md). Every error names its
 * file:line:column and what was expected; see ydoc.h. */
#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "mmio.h"
#include "pages.h"
#include "replay.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"

/* ---- names ---- */

typedef struct reg_desc {
    const char *name;
    uint32_t off;
    unsigned size;
} reg_desc_t;

static const reg_desc_t regs[] = {
    {"SMMU_IDR0", SMMU_IDR0, 4}, {"SMMU_IDR1", SMMU_IDR1, 4}, {"SMMU_IDR2", SMMU_IDR2, 4},
    {"SMMU_IDR3", SMMU_IDR3, 4}, {"SMMU_IDR4", SMMU_IDR4, 4}, {"SMMU_IDR5", SMMU_IDR5, 4},
    {"SMMU_IIDR", SMMU_IIDR, 4}, {"SMMU_AIDR", SMMU_AIDR, 4}, {"SMMU_CR0", SMMU_CR0, 4},
    {"SMMU_CR0ACK", SMMU_CR0ACK, 4}, {"SMMU_CR1", SMMU_CR1, 4}, {"SMMU_CR2", SMMU_CR2, 4},
    {"SMMU_STATUSR", SMMU_STATUSR, 4}, {"SMMU_GBPA", SMMU_GBPA, 4},
    {"SMMU_AGBPA", SMMU_AGBPA, 4}, {"SMMU_IRQ_CTRL", SMMU_IRQ_CTRL, 4},
    {"SMMU_IRQ_CTRLACK", SMMU_IRQ_CTRLACK, 4}, {"SMMU_GERROR", SMMU_GERROR, 4},
    {"SMMU_GERRORN", SMMU_GERRORN, 4}, {"SMMU_GERROR_IRQ_CFG0", SMMU_GERROR_IRQ_CFG0, 8},
    {"SMMU_GERROR_IRQ_CFG1", SMMU_GERROR_IRQ_CFG1, 4},
    {"SMMU_GERROR_IRQ_CFG2", SMMU_GERROR_IRQ_CFG2, 4},
    {"SMMU_STRTAB_BASE", SMMU_STRTAB_BASE, 8}, {"SMMU_STRTAB_BASE_CFG", SMMU_STRTAB_BASE_CFG, 4},
    {"SMMU_CMDQ_BASE", SMMU_CMDQ_BASE, 8}, {"SMMU_CMDQ_PROD", SMMU_CMDQ_PROD, 4},
    {"SMMU_CMDQ_CONS", SMMU_CMDQ_CONS, 4}, {"SMMU_EVENTQ_BASE", SMMU_EVENTQ_BASE, 8},
    {"SMMU_EVENTQ_IRQ_CFG0", SMMU_EVENTQ_IRQ_CFG0, 8},
    {"SMMU_EVENTQ_IRQ_CFG1", SMMU_EVENTQ_IRQ_CFG1, 4},
    {"SMMU_EVENTQ_IRQ_CFG2", SMMU_EVENTQ_IRQ_CFG2, 4}, {"SMMU_PRIQ_BASE", SMMU_PRIQ_BASE, 8},
    {"SMMU_PRIQ_IRQ_CFG0", SMMU_PRIQ_IRQ_CFG0, 8}, {"SMMU_PRIQ_IRQ_CFG1", SMMU_PRIQ_IRQ_CFG1, 4},
    {"SMMU_PRIQ_IRQ_CFG2", SMMU_PRIQ_IRQ_CFG2, 4},
    /* Page 1 (the architected location of the queue PROD/CONS pairs that
     * software on the other side of the queue writes) */
    {"SMMU_EVENTQ_PROD", SMMU_EVENTQ_PROD, 4}, {"SMMU_EVENTQ_CONS", SMMU_EVENTQ_CONS, 4},
    {"SMMU_PRIQ_PROD", SMMU_PRIQ_PROD, 4}, {"SMMU_PRIQ_CONS", SMMU_PRIQ_CONS, 4},
    /* Page-0 aliases */
    {"SMMU_EVENTQ_PROD_P0", SMMU_EVENTQ_PROD_P0, 4}, {"SMMU_EVENTQ_CONS_P0", SMMU_EVENTQ_CONS_P0, 4},
    {"SMMU_PRIQ_PROD_P0", SMMU_PRIQ_PROD_P0, 4}, {"SMMU_PRIQ_CONS_P0", SMMU_PRIQ_CONS_P0, 4},
};
#define NREGS (sizeof(regs) / sizeof(regs[0]))

static const reg_desc_t *find_reg(const char *name)
{
    for (size_t i = 0; i < NREGS; i++) {
        if (!strcmp(name, regs[i].name) || !strcmp(name, regs[i].name + 5))
            return &regs[i];
    }
    return NULL;
}

const char *reg_name(uint64_t off)
{
    for (size_t i = 0; i < NREGS; i++)
        if (regs[i].off == off)
            return regs[i].name;
    return NULL;
}

static const struct {
    const char *name;
    unsigned type;
} evnames[] = {
    {"F_UUT", 0x01}, {"C_BAD_STREAMID", 0x02}, {"F_STE_FETCH", 0x03}, {"C_BAD_STE", 0x04},
    {"F_BAD_ATS_TREQ", 0x05}, {"F_STREAM_DISABLED", 0x06}, {"F_TRANSL_FORBIDDEN", 0x07},
    {"C_BAD_SUBSTREAMID", 0x08}, {"F_CD_FETCH", 0x09}, {"C_BAD_CD", 0x0A},
    {"F_WALK_EABT", 0x0B}, {"F_TRANSLATION", 0x10}, {"F_ADDR_SIZE", 0x11},
    {"F_ACCESS", 0x12}, {"F_PERMISSION", 0x13}, {"F_TLB_CONFLICT", 0x20},
    {"F_CFG_CONFLICT", 0x21}, {"E_PAGE_REQUEST", 0x24}, {"F_VMS_FETCH", 0x25},
};
#define NEVNAMES (sizeof(evnames) / sizeof(evnames[0]))

const char *evt_type_name(unsigned type)
{
    for (size_t i = 0; i < NEVNAMES; i++)
        if (evnames[i].type == type)
            return evnames[i].name;
    return NULL;
}

int evt_type_by_name(const char *name)
{
    for (size_t i = 0; i < NEVNAMES; i++)
        if (!strcmp(name, evnames[i].name))
            return (int)evnames[i].type;
    return -1;
}

/* ---- configuration fields ---- */

typedef struct cfg_field {
    const char *name;
    size_t off;
    unsigned bytes;
} cfg_field_t;

#define CF(n) {#n, offsetof(smmu_config_t, n), sizeof(((smmu_config_t *)0)->n)}
static const cfg_field_t cfg_fields[] = {
    CF(arch_minor), CF(s1p), CF(s2p), CF(cohacc), CF(btm), CF(httu), CF(dormhint), CF(hyp),
    CF(ats), CF(ns1ats), CF(asid16), CF(msi), CF(sev), CF(atos), CF(pri), CF(vmw), CF(vmid16),
    CF(cd2l), CF(vatos), CF(ttendian), CF(atsrecerr), CF(stall_model), CF(term_model),
    CF(st_level), CF(attr_types_ovr), CF(attr_perms_ovr), CF(rel), CF(cmdqs), CF(eventqs),
    CF(priqs), CF(ssidsize), CF(sidsize), CF(ba_vatos), CF(had), CF(pbha), CF(xnx), CF(pps),
    CF(mpam), CF(fwb), CF(stt), CF(ril), CF(bbml), CF(e0pd), CF(ptwnnc), CF(oas), CF(gran4k),
    CF(gran16k), CF(gran64k), CF(vax), CF(stall_max), CF(iidr_implementer), CF(iidr_revision),
    CF(iidr_variant), CF(iidr_productid), CF(secure_req_abort), CF(cfg_cache_entries),
    CF(tlb_sets), CF(tlb_ways), CF(tlb_repl), CF(walk_cache_sets), CF(walk_cache_ways),
    CF(utlb_entries),
};
#undef CF
#define NCFG (sizeof(cfg_fields) / sizeof(cfg_fields[0]))

/* Timing keys of `smmu:` (smmu_timing_t fields, docs/timing.md). */
typedef struct tm_field {
    const char *name;
    size_t off;
} tm_field_t;
#define TF(n) {#n, offsetof(smmu_timing_t, n)}
static const tm_field_t tm_fields[] = {
    TF(num_tbus), TF(utlb_latency), TF(tlb_latency), TF(link_latency), TF(cfg_cache_latency),
    TF(walk_cache_latency), TF(tbu_slots), TF(tcu_slots), TF(ptw_slots), TF(max_reads),
    TF(cmd_cost), TF(dm_latency),
};
#undef TF
#define NTM (sizeof(tm_fields) / sizeof(tm_fields[0]))

static int is_timing_key(const char *k)
{
    for (size_t i = 0; i < NTM; i++)
        if (!strcmp(k, tm_fields[i].name))
            return 1;
    return !strcmp(k, "mem_latency");
}

/* Model options: configuration fields that are not ID-register fields, the
 * only keys allowed beside `idr` (docs/scenario.md). */
static const char *const model_options[] = {
    "secure_req_abort", "cfg_cache_entries", "tlb_sets", "tlb_ways", "tlb_repl",
    "walk_cache_sets", "walk_cache_ways", "utlb_entries", NULL};

static int is_model_option(const char *k)
{
    for (int i = 0; model_options[i]; i++)
        if (!strcmp(k, model_options[i]))
            return 1;
    return 0;
}

/* smmu: {idr: [IDR0..IDR5], aidr: A, iidr: I}: the ID fields from raw
 * register values (smmu_config_from_idr). */
static void parse_smmu_idr(scenario_t *s, const yaml_node_t *n, yaml_node_t *idr)
{
    ydoc_t *d = &s->doc;
    size_t len = ymap_len(n);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *key = ymap_key(d, n, i);
        const char *k = (const char *)key->data.scalar.value;
        if (!strcmp(k, "idr") || !strcmp(k, "aidr") || !strcmp(k, "iidr") || is_model_option(k) ||
            is_timing_key(k))
            continue;
        yerr(d, key, "smmu: '%s' cannot be combined with 'idr': the ID registers give every "
                     "ID field; beside them only model options (secure_req_abort, "
                     "cfg_cache_entries, tlb_sets, tlb_ways, tlb_repl, walk_cache_sets, "
                     "walk_cache_ways, utlb_entries) and timing keys (docs/timing.md)", k);
    }
    yneed_seq(d, idr, "idr");
    if (yseq_len(idr) != 6)
        yerr(d, idr, "idr: expected 6 values [IDR0, IDR1, IDR2, IDR3, IDR4, IDR5], found %zu",
             yseq_len(idr));
    uint32_t v[6];
    for (size_t i = 0; i < 6; i++)
        v[i] = (uint32_t)yu64(d, yseq_at(d, idr, i), "idr", 0xFFFFFFFFull);
    uint32_t aidr = (uint32_t)yu64(d, yrequire(d, n, "aidr", "smmu (with idr)"), "aidr",
                                   0xFFFFFFFFull);
    yaml_node_t *in = ymap_get(d, n, "iidr");
    uint32_t iidr = in ? (uint32_t)yu64(d, in, "iidr", 0xFFFFFFFFull) : 0;
    char msg[256];
    if (smmu_config_from_idr(v, aidr, iidr, &s->cfg, msg, sizeof msg) != SMMU_OK)
        yerr(d, idr, "smmu: ID registers rejected: %s", msg);
}

/* The node an error about the whole `smmu:` block is reported at: with
 * --set pairs, the value of the --set whose key the message names (or, if
 * none does, the --set preset), so that `--set KEY=VALUE: error: ...` says
 * which override was rejected; otherwise the block itself. */
static const yaml_node_t *smmu_blame(ydoc_t *d, const yaml_node_t *n, const char *msg)
{
    const yaml_node_t *preset = NULL;
    size_t len = ymap_len(n);
    for (size_t i = 0; i < len; i++) {
        const yaml_node_t *v = ymap_val(d, n, i);
        if (v->start_mark.index != YDOC_SYNTH)
            continue;
        const char *k = (const char *)ymap_key(d, n, i)->data.scalar.value;
        size_t kl = strlen(k);
        for (const char *p = strstr(msg, k); p; p = strstr(p + 1, k)) {
            int before = p == msg || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
            int after = !(isalnum((unsigned char)p[kl]) || p[kl] == '_');
            if (before && after)
                return v;
        }
        if (!strcmp(k, "preset"))
            preset = v;
    }
    return preset ? preset : n;
}

static void parse_smmu(scenario_t *s, const yaml_node_t *n)
{
    ydoc_t *d = &s->doc;
    smmu_config_default(&s->cfg, SMMU_ARCH_V3_2);
    memset(&s->timing, 0, sizeof s->timing);
    s->timed = 0;
    if (!n)
        return;
    yneed_map(d, n, "smmu");
    const char *valid[NCFG + NTM + 6];
    valid[0] = "preset";
    valid[1] = "idr";
    valid[2] = "aidr";
    valid[3] = "iidr";
    valid[4] = "mem_latency";
    for (size_t i = 0; i < NCFG; i++)
        valid[i + 5] = cfg_fields[i].name;
    for (size_t i = 0; i < NTM; i++)
        valid[NCFG + 5 + i] = tm_fields[i].name;
    valid[NCFG + NTM + 5] = NULL;
    ycheck_keys(d, n, "smmu (configuration)", valid);
    yaml_node_t *idr = ymap_get(d, n, "idr");
    if (idr) {
        parse_smmu_idr(s, n, idr);
    } else {
        yaml_node_t *x = ymap_get(d, n, "aidr");
        if (!x)
            x = ymap_get(d, n, "iidr");
        if (x)
            yerr(d, x, "smmu: 'aidr' and 'iidr' go with 'idr' (the raw ID registers)");
    }
    yaml_node_t *p = ymap_get(d, n, "preset");
    if (p) {
        const char *name = ystr(d, p, "preset");
        if (smmu_preset_get(name, &s->cfg, &s->timing) != SMMU_OK) {
            const char *names[16];
            unsigned np = smmu_preset_count() < 15 ? smmu_preset_count() : 15;
            for (unsigned i = 0; i < np; i++)
                names[i] = smmu_preset_name(i);
            names[np] = NULL;
            const char *near = ynearest(name, names, 0);
            yerr(d, p, "preset: unknown preset '%s'; %s%s%s", name,
                 near ? "did you mean '" : "expected one of the names smmu-replay --list-presets "
                                           "prints",
                 near ? near : "", near ? "'?" : "");
        }
        s->timed = s->timing.num_tbus != 0;
    }
    /* Timing keys override the preset's timing; without one, they start
     * from the functional preset's (docs/timing.md). */
    size_t nlen = ymap_len(n);
    for (size_t i = 0; i < nlen; i++) {
        const char *k = (const char *)ymap_key(d, n, i)->data.scalar.value;
        if (!is_timing_key(k))
            continue;
        if (!s->timed) {
            smmu_preset_get("functional", NULL, &s->timing);
            s->timed = 1;
        }
        yaml_node_t *v = ymap_val(d, n, i);
        if (!strcmp(k, "mem_latency")) {
            /* one number for every access kind (smmu_timing_t.mem_latency) */
            uint32_t lat = (uint32_t)yu64(d, v, k, 0xFFFFFFFFull);
            for (unsigned a = 0; a < SMMU_TIMING_ACC_KINDS; a++)
                s->timing.mem_latency[a] = lat;
            continue;
        }
        for (size_t j = 0; j < NTM; j++)
            if (!strcmp(k, tm_fields[j].name)) {
                uint32_t x = (uint32_t)yu64(d, v, k, 0xFFFFFFFFull);
                memcpy((unsigned char *)&s->timing + tm_fields[j].off, &x, 4);
            }
    }
    if (s->timed) {
        char tmsg[128];
        if (smmu_timing_check(&s->timing, tmsg, sizeof tmsg) != SMMU_OK)
            yerr(d, smmu_blame(d, n, tmsg), "smmu: timing rejected: %s", tmsg);
    }
    size_t len = ymap_len(n);
    for (size_t i = 0; i < len; i++) {
        const char *k = (const char *)ymap_key(d, n, i)->data.scalar.value;
        for (size_t j = 0; j < NCFG; j++) {
            if (strcmp(k, cfg_fields[j].name))
                continue;
            unsigned b = cfg_fields[j].bytes;
            uint64_t max = b >= 8 ? UINT64_MAX : (1ull << (8 * b)) - 1;
            uint64_t v = yu64(d, ymap_val(d, n, i), k, max);
            unsigned char *dst = (unsigned char *)&s->cfg + cfg_fields[j].off;
            if (b == 1) { uint8_t x = (uint8_t)v; memcpy(dst, &x, 1); }
            else if (b == 2) { uint16_t x = (uint16_t)v; memcpy(dst, &x, 2); }
            else { uint32_t x = (uint32_t)v; memcpy(dst, &x, 4); }
        }
    }
    char msg[256];
    if (smmu_config_check(&s->cfg, msg, sizeof msg) != SMMU_OK)
        yerr(d, smmu_blame(d, n, msg), "smmu: configuration rejected: %s", msg);
}

/* ---- memory blobs: words / bytes / file ---- */

#define SCENARIO_MAX_INLINE_BYTES (256u << 20)

/* Record a blob buffer just allocated, so that an error (yerr's longjmp)
 * does not lose it; a failed allocation is an error. */
static void blob_owned(scenario_t *s, const yaml_node_t *n, unsigned char *buf)
{
    if (!buf)
        yerr(&s->doc, n, "out of memory");
    s->blob = buf;
}

static void parse_blob(scenario_t *s, const yaml_node_t *n, const char *where, uint64_t *addr,
                       unsigned char **bytes, size_t *len, int is_step)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"addr", "words", "words32", "bytes", "file", "offset",
                                       "length", NULL};
    static const char *const step_keys[] = {"addr", "words", "words32", "bytes", "file",
                                            "offset", "length", "id", NULL};
    yneed_map(d, n, where);
    ycheck_keys(d, n, where, is_step ? step_keys : keys);
    *addr = yu64(d, yrequire(d, n, "addr", where), "addr", UINT64_MAX);
    yaml_node_t *w = ymap_get(d, n, "words"), *w32 = ymap_get(d, n, "words32"),
                *b = ymap_get(d, n, "bytes"), *f = ymap_get(d, n, "file");
    int kinds = !!w + !!w32 + !!b + !!f;
    if (kinds != 1)
        yerr(d, n, "%s: expected exactly one of 'words', 'words32', 'bytes' or 'file', found %d",
             where, kinds);
    if (!f && (ymap_get(d, n, "offset") || ymap_get(d, n, "length")))
        yerr(d, n, "%s: 'offset' and 'length' apply only to 'file'", where);
    unsigned char *buf = NULL;
    size_t n_out = 0;
    if (w || w32) {
        yaml_node_t *list = w ? w : w32;
        unsigned wb = w ? 8 : 4;
        yneed_seq(d, list, w ? "words" : "words32");
        size_t cnt = yseq_len(list);
        buf = calloc(cnt ? cnt : 1, wb);
        blob_owned(s, n, buf);
        for (size_t i = 0; i < cnt; i++) {
            uint64_t v = yu64(d, yseq_at(d, list, i), w ? "words" : "words32",
                              w ? UINT64_MAX : 0xFFFFFFFFull);
            for (unsigned k = 0; k < wb; k++)
                buf[i * wb + k] = (unsigned char)(v >> (8 * k));
        }
        n_out = cnt * wb;
        if (*addr & (wb - 1))
            yerr(d, n, "%s: addr 0x%llx is not %u-byte aligned (words are %u-byte values)", where,
                 (unsigned long long)*addr, wb, wb);
    } else if (b) {
        if (yis_seq(b)) {
            size_t cnt = yseq_len(b);
            buf = calloc(cnt ? cnt : 1, 1);
            blob_owned(s, n, buf);
            for (size_t i = 0; i < cnt; i++)
                buf[i] = (unsigned char)yu64(d, yseq_at(d, b, i), "bytes", 255);
            n_out = cnt;
        } else {
            const char *t = ystr(d, b, "bytes");
            buf = calloc(strlen(t) / 2 + 1, 1);
            blob_owned(s, n, buf);
            int half = -1;
            for (const char *c = t; *c; c++) {
                if (*c == ' ' || *c == '_' || *c == ':' || *c == '\n')
                    continue;
                int v;
                if (*c >= '0' && *c <= '9') v = *c - '0';
                else if (*c >= 'a' && *c <= 'f') v = *c - 'a' + 10;
                else if (*c >= 'A' && *c <= 'F') v = *c - 'A' + 10;
                else
                    yerr(d, b, "bytes: expected hexadecimal digits (\"de ad be ef\"), found '%c'", *c);
                if (half < 0)
                    half = v;
                else {
                    buf[n_out++] = (unsigned char)(half << 4 | v);
                    half = -1;
                }
            }
            if (half >= 0)
                yerr(d, b, "bytes: odd number of hexadecimal digits");
        }
    } else {
        const char *name = ystr(d, f, "file");
        char path[8192];
        if (name[0] == '/')
            snprintf(path, sizeof path, "%s", name);
        else
            snprintf(path, sizeof path, "%s/%s", d->dir, name);
        uint64_t off = 0, want = UINT64_MAX;
        yaml_node_t *o = ymap_get(d, n, "offset"), *l = ymap_get(d, n, "length");
        if (o)
            off = yu64(d, o, "offset", UINT64_MAX);
        if (l)
            want = yu64(d, l, "length", 1ull << 32);
        char why[128];
        FILE *fp = fio_open_input(path, why, sizeof why);
        if (!fp)
            yerr(d, f, "file: cannot open '%s': %s", path, why);
        if (fseek(fp, 0, SEEK_END)) {
            fclose(fp);
            yerr(d, f, "file: cannot seek '%s'", path);
        }
        long sz = ftell(fp);
        if (sz < 0 || (uint64_t)sz < off) {
            fclose(fp);
            yerr(d, o ? o : f, "offset: %llu is beyond the end of '%s' (%ld bytes)",
                 (unsigned long long)off, path, sz);
        }
        uint64_t avail = (uint64_t)sz - off;
        if (want == UINT64_MAX)
            want = avail;
        if (want > avail) {
            fclose(fp);
            yerr(d, l, "length: %llu bytes requested, '%s' has %llu from offset %llu",
                 (unsigned long long)want, path, (unsigned long long)avail, (unsigned long long)off);
        }
        if (want > (1ull << 32)) {
            fclose(fp);
            yerr(d, f, "file: '%s' is larger than 4 GiB", path);
        }
        buf = malloc(want ? (size_t)want : 1);
        if (!buf) {
            fclose(fp);
            yerr(d, f, "file: '%s': out of memory", path);
        }
        s->blob = buf;
        fseek(fp, (long)off, SEEK_SET);
        if (fread(buf, 1, (size_t)want, fp) != want) {
            fclose(fp);
            yerr(d, f, "file: cannot read '%s'", path);
        }
        fclose(fp);
        n_out = (size_t)want;
    }
    if (!f) {
        /* A YAML alias repeats a blob without repeating its text: the bytes
         * after aliases are limited (docs/scenario.md, "Limits"). */
        s->inline_bytes += n_out;
        if (s->inline_bytes > SCENARIO_MAX_INLINE_BYTES)
            yerr(d, n, "%s: more than %u MiB of words/bytes in the scenario (aliases count "
                       "each time they are used); put large contents in a 'file:'",
                 where, SCENARIO_MAX_INLINE_BYTES >> 20);
    }
    if (n_out && *addr + (n_out - 1) < *addr)
        yerr(d, n, "%s: addr + size wraps past 2^64", where);
    s->blob = NULL; /* the caller owns it now */
    *bytes = buf;
    *len = n_out;
}

/* ---- steps ---- */

static step_t *new_step(scenario_t *s, int kind, const yaml_node_t *node)
{
    if (s->nsteps == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        step_t *n = realloc(s->steps, nc * sizeof(*n));
        if (!n)
            yerr(&s->doc, node, "out of memory");
        s->steps = n;
        s->cap = nc;
    }
    step_t *st = &s->steps[s->nsteps++];
    memset(st, 0, sizeof(*st));
    st->kind = kind;
    st->node = node;
    st->cerror = -1;
    st->overflow = -1;
    st->count = -1;
    st->exp_ok = st->exp_abort = st->exp_razwi = st->exp_events = -1;
    return st;
}

typedef struct parse_state {
    int cmdq_programmed, evtq_programmed;
} parse_state_t;

static void parse_reg(scenario_t *s, const yaml_node_t *n, step_t *st, int is_write,
                      parse_state_t *ps)
{
    ydoc_t *d = &s->doc;
    const char *where = is_write ? "write" : "read";
    static const char *const wkeys[] = {"reg", "value", "size", "id", NULL};
    static const char *const rkeys[] = {"reg", "size", "expect", "mask", "id", NULL};
    yneed_map(d, n, where);
    ycheck_keys(d, n, where, is_write ? wkeys : rkeys);
    yaml_node_t *r = yrequire(d, n, "reg", where);
    const char *rs = ystr(d, r, "reg");
    const reg_desc_t *rd = find_reg(rs);
    unsigned size = 4;
    if (rd) {
        st->off = rd->off;
        size = rd->size;
        st->text = rd->name;
    } else {
        uint64_t v;
        if (yparse_u64(rs, &v)) {
            const char *names[NREGS + 1];
            for (size_t i = 0; i < NREGS; i++)
                names[i] = regs[i].name;
            names[NREGS] = NULL;
            char buf[80];
            snprintf(buf, sizeof buf, "%s%s", strncmp(rs, "SMMU_", 5) ? "SMMU_" : "", rs);
            const char *near = ynearest(buf, names, 0);
            if (near)
                yerr(d, r, "reg: unknown register '%s'; did you mean '%s'?", rs, near);
            yerr(d, r, "reg: unknown register '%s'; expected a name such as SMMU_CR0 or an "
                       "offset such as 0x20", rs);
        }
        if (v > 0x1FFFF)
            yerr(d, r, "reg: offset 0x%llx out of range (0..0x1ffff: pages 0 and 1)",
                 (unsigned long long)v);
        st->off = v;
        st->text = reg_name(v);
    }
    yaml_node_t *sz = ymap_get(d, n, "size");
    if (sz) {
        uint64_t b = yu64(d, sz, "size", 64);
        if (b != 32 && b != 64)
            yerr(d, sz, "size: %llu is not an access size; expected 32 or 64 (bits)",
                 (unsigned long long)b);
        size = (unsigned)b / 8;
    }
    if (st->off & (size - 1))
        yerr(d, r, "reg: offset 0x%llx is not aligned to the %u-bit access size",
             (unsigned long long)st->off, size * 8);
    st->size = size;
    uint64_t max = size == 8 ? UINT64_MAX : 0xFFFFFFFFull;
    if (is_write) {
        st->value = yu64(d, yrequire(d, n, "value", where), "value", max);
        if (st->off == SMMU_CMDQ_BASE || (size == 4 && st->off == SMMU_CMDQ_BASE + 4))
            ps->cmdq_programmed = 1;
        if (st->off == SMMU_EVENTQ_BASE || (size == 4 && st->off == SMMU_EVENTQ_BASE + 4))
            ps->evtq_programmed = 1;
    } else {
        yaml_node_t *e = ymap_get(d, n, "expect"), *m = ymap_get(d, n, "mask");
        st->mask = max;
        if (m)
            st->mask = yu64(d, m, "mask", max);
        if (m && !e)
            yerr(d, m, "mask: given without 'expect'");
        if (e) {
            st->has_expect = 1;
            st->value = yu64(d, e, "expect", max);
        }
    }
}

static void parse_commands(scenario_t *s, const yaml_node_t *n, step_t *st, parse_state_t *ps)
{
    ydoc_t *d = &s->doc;
    const yaml_node_t *list = n;
    if (yis_map(n)) {
        static const char *const keys[] = {"list", "cerror", "id", NULL};
        ycheck_keys(d, n, "commands", keys);
        list = yrequire(d, n, "list", "commands");
        yaml_node_t *ce = ymap_get(d, n, "cerror");
        if (ce) {
            const char *t = ystr(d, ce, "cerror");
            static const char *const cn[] = {"CERROR_NONE", "CERROR_ILL", "CERROR_ABT",
                                             "CERROR_ATC_INV_SYNC", NULL};
            st->cerror = -1;
            for (int i = 0; cn[i]; i++)
                if (!strcmp(t, cn[i]) || !strcmp(t, cn[i] + 7))
                    st->cerror = i;
            if (st->cerror < 0) {
                uint64_t v;
                if (yparse_u64(t, &v) == 0 && v < 128)
                    st->cerror = (int)v;
                else {
                    const char *near = ynearest(t, cn, 0);
                    yerr(d, ce, "cerror: unknown error '%s'; %s%s%s", t,
                         near ? "did you mean '" : "expected CERROR_NONE, CERROR_ILL, CERROR_ABT, "
                                                   "CERROR_ATC_INV_SYNC or a number",
                         near ? near : "", near ? "'?" : "");
                }
            }
        }
    }
    yneed_seq(d, list, "commands");
    if (!ps->cmdq_programmed)
        yerr(d, n, "commands: no earlier step programs SMMU_CMDQ_BASE; the tool writes commands "
                   "into the queue the scenario set up (write SMMU_CMDQ_BASE first)");
    size_t cnt = yseq_len(list);
    if (!cnt)
        yerr(d, list, "commands: empty list; expected at least one command");
    st->cmds = calloc(cnt, sizeof(*st->cmds));
    st->cmd_names = calloc(cnt, sizeof(*st->cmd_names));
    st->ncmds = cnt;
    const char *names[64];
    size_t nn = 0;
    while (nn < 63 && smmu_cmd_name_at(nn)) {
        names[nn] = smmu_cmd_name_at(nn);
        nn++;
    }
    names[nn] = NULL;
    for (size_t i = 0; i < cnt; i++) {
        yaml_node_t *c = yseq_at(d, list, i);
        const char *name;
        const yaml_node_t *fields = NULL, *name_node = c;
        if (yis_scalar(c)) {
            name = ystr(d, c, "command");
        } else if (yis_map(c) && ymap_len(c) == 1) {
            name_node = ymap_key(d, c, 0);
            name = (const char *)name_node->data.scalar.value;
            fields = ymap_val(d, c, 0);
            if (!strcmp(name, "raw")) {
                yneed_seq(d, fields, "raw");
                if (yseq_len(fields) != 2)
                    yerr(d, fields, "raw: expected two 64-bit words [w0, w1], found %zu",
                         yseq_len(fields));
                st->cmds[i][0] = yu64(d, yseq_at(d, fields, 0), "raw", UINT64_MAX);
                st->cmds[i][1] = yu64(d, yseq_at(d, fields, 1), "raw", UINT64_MAX);
                st->cmd_names[i] = smmu_cmd_name((unsigned)(st->cmds[i][0] & 0xFF));
                if (!st->cmd_names[i])
                    st->cmd_names[i] = "raw";
                if ((st->cmds[i][0] & 0xFF) == SMMU_CMD_SYNC)
                    st->has_sync = 1;
                continue;
            }
            if (yis_scalar(fields) && !*(const char *)fields->data.scalar.value)
                fields = NULL; /* "CMD_SYNC:" with nothing */
        } else {
            yerr(d, c, "command: expected a command name (CMD_SYNC) or a one-key mapping "
                       "(CMD_CFGI_STE: {sid: 1}), found %s",
                 yis_map(c) ? "a mapping with several keys" : "a list");
        }
        smmu_cmd_t cmd;
        if (smmu_cmd_init_by_name(&cmd, name)) {
            const char *near = ynearest(name, names, 0);
            if (!near) {
                char buf[80];
                snprintf(buf, sizeof buf, "CMD_%s", name);
                near = ynearest(buf, names, 0);
            }
            if (near)
                yerr(d, name_node, "unknown command '%s'; did you mean '%s'?", name, near);
            yerr(d, name_node, "unknown command '%s'; expected a name from chapter 4 such as "
                               "CMD_CFGI_STE, CMD_TLBI_NH_VA, CMD_SYNC, or raw: [w0, w1]", name);
        }
        st->cmd_names[i] = NULL;
        for (size_t k = 0; names[k]; k++)
            if (smmu_cmd_by_name(name) >= 0 && (!strcmp(name, names[k]) || !strcmp(name, names[k] + 4)))
                st->cmd_names[i] = names[k];
        if (fields) {
            yneed_map(d, fields, name);
            const char *valid[40];
            size_t nv = 0;
            for (size_t k = 0; smmu_cmd_field_name_at(k) && nv < 39; k++) {
                const char *fname = smmu_cmd_field_name_at(k);
                if (smmu_cmd_field_applies(cmd.opcode, fname) &&
                    !(cmd.range == 31 && strcmp(st->cmd_names[i], "CMD_CFGI_ALL") == 0 &&
                      strcmp(fname, "ssec")))
                    valid[nv++] = fname;
            }
            valid[nv] = NULL;
            char where[96];
            snprintf(where, sizeof where, "%s (fields: see docs/scenario.md)", st->cmd_names[i]);
            if (!nv && ymap_len(fields))
                yerr(d, ymap_key(d, fields, 0), "%s takes no fields", st->cmd_names[i]);
            ycheck_keys(d, fields, where, valid);
            for (size_t k = 0; k < ymap_len(fields); k++) {
                const char *fname = (const char *)ymap_key(d, fields, k)->data.scalar.value;
                unsigned w = smmu_cmd_field_width(fname);
                uint64_t max = w >= 64 ? UINT64_MAX : (1ull << w) - 1;
                uint64_t v = yu64(d, ymap_val(d, fields, k), fname, max);
                if (!strcmp(fname, "addr") && (v & 0xFFF))
                    yerr(d, ymap_val(d, fields, k),
                         "addr: 0x%llx has bits [11:0] set; the command carries Address[63:12]",
                         (unsigned long long)v);
                if (!strcmp(fname, "msiaddr") && (v & 3))
                    yerr(d, ymap_val(d, fields, k),
                         "msiaddr: 0x%llx is not 4-byte aligned (MSIAddress[55:2])",
                         (unsigned long long)v);
                smmu_cmd_set_field(&cmd, fname, v);
            }
        }
        smmu_cmd_encode(&cmd, st->cmds[i]);
        if (cmd.opcode == SMMU_CMD_SYNC)
            st->has_sync = 1;
    }
}

static const struct {
    const char *name;
    unsigned bit;
    uint64_t max;
} evfields[] = {
    {"type", EF_TYPE, 255}, {"sid", EF_SID, 0xFFFFFFFFull}, {"ssv", EF_SSV, 1},
    {"ssid", EF_SSID, 0xFFFFF}, {"s2", EF_S2, 1}, {"class", EF_CLASS, 3}, {"rnw", EF_RNW, 1},
    {"ind", EF_IND, 1}, {"pnu", EF_PNU, 1}, {"nsipa", EF_NSIPA, 1}, {"ttrnw", EF_TTRNW, 1},
    {"stall", EF_STALL, 1}, {"stag", EF_STAG, 0xFFFF}, {"reason", EF_REASON, 0xFFFFFFFFull},
    {"input_addr", EF_INPUT_ADDR, UINT64_MAX}, {"ipa", EF_IPA, UINT64_MAX},
    {"fetch_addr", EF_FETCH_ADDR, UINT64_MAX},
};
#define NEVF (sizeof(evfields) / sizeof(evfields[0]))

static void parse_evexp(scenario_t *s, const yaml_node_t *n, evexp_t *e, int allow_raw,
                        const char *where)
{
    ydoc_t *d = &s->doc;
    memset(e, 0, sizeof(*e));
    e->node = n;
    if (yis_scalar(n)) { /* just a type name */
        const char *t = ystr(d, n, "type");
        int ty = evt_type_by_name(t);
        if (ty < 0) {
            const char *names[NEVNAMES + 1];
            for (size_t i = 0; i < NEVNAMES; i++)
                names[i] = evnames[i].name;
            names[NEVNAMES] = NULL;
            const char *near = ynearest(t, names, 0);
            yerr(d, n, "unknown event type '%s'%s%s%s", t, near ? "; did you mean '" : "",
                 near ? near : "", near ? "'?" : "; expected a name from 7.3 such as F_TRANSLATION");
        }
        e->has = 1u << EF_TYPE;
        e->ev.type = (uint8_t)ty;
        return;
    }
    yneed_map(d, n, where);
    const char *valid[NEVF + 2];
    size_t nv = 0;
    for (size_t i = 0; i < NEVF; i++)
        valid[nv++] = evfields[i].name;
    if (allow_raw)
        valid[nv++] = "raw";
    valid[nv] = NULL;
    ycheck_keys(d, n, where, valid);
    for (size_t i = 0; i < ymap_len(n); i++) {
        const char *k = (const char *)ymap_key(d, n, i)->data.scalar.value;
        yaml_node_t *v = ymap_val(d, n, i);
        if (!strcmp(k, "raw")) {
            yneed_seq(d, v, "raw");
            if (yseq_len(v) != 8)
                yerr(d, v, "raw: expected 8 32-bit record words, found %zu", yseq_len(v));
            for (size_t j = 0; j < 8; j++)
                e->raw[j] = (uint32_t)yu64(d, yseq_at(d, v, j), "raw", 0xFFFFFFFFull);
            e->has_raw = 1;
            continue;
        }
        for (size_t j = 0; j < NEVF; j++) {
            if (strcmp(k, evfields[j].name))
                continue;
            uint64_t x;
            if (evfields[j].bit == EF_TYPE && yis_scalar(v) &&
                evt_type_by_name((const char *)v->data.scalar.value) >= 0)
                x = (uint64_t)evt_type_by_name((const char *)v->data.scalar.value);
            else if (evfields[j].bit == EF_CLASS && yis_scalar(v) &&
                     (!strcmp((const char *)v->data.scalar.value, "CD") ||
                      !strcmp((const char *)v->data.scalar.value, "TT") ||
                      !strcmp((const char *)v->data.scalar.value, "IN"))) {
                const char *c = (const char *)v->data.scalar.value;
                x = c[0] == 'C' ? SMMU_CLASS_CD : c[0] == 'T' ? SMMU_CLASS_TT : SMMU_CLASS_IN;
            } else if (evfields[j].bit == EF_TYPE) {
                uint64_t tmp;
                const char *t = ystr(d, v, "type");
                if (yparse_u64(t, &tmp)) {
                    const char *names[NEVNAMES + 1];
                    for (size_t q = 0; q < NEVNAMES; q++)
                        names[q] = evnames[q].name;
                    names[NEVNAMES] = NULL;
                    const char *near = ynearest(t, names, 0);
                    yerr(d, v, "type: unknown event type '%s'%s%s%s", t,
                         near ? "; did you mean '" : "", near ? near : "",
                         near ? "'?" : "; expected a name from 7.3 such as F_TRANSLATION");
                }
                x = yu64(d, v, "type", 255);
            } else if (evfields[j].bit == EF_CLASS) {
                const char *t = ystr(d, v, "class");
                uint64_t tmp;
                if (yparse_u64(t, &tmp))
                    yerr(d, v, "class: expected CD, TT, IN or 0..3, found '%s'", t);
                x = yu64(d, v, "class", 3);
            } else {
                x = yu64(d, v, k, evfields[j].max);
            }
            e->has |= 1u << evfields[j].bit;
            switch (evfields[j].bit) {
            case EF_TYPE: e->ev.type = (uint8_t)x; break;
            case EF_SID: e->ev.sid = (uint32_t)x; break;
            case EF_SSV: e->ev.ssv = (uint8_t)x; break;
            case EF_SSID: e->ev.ssid = (uint32_t)x; break;
            case EF_S2: e->ev.s2 = (uint8_t)x; break;
            case EF_CLASS: e->ev.cls = (uint8_t)x; break;
            case EF_RNW: e->ev.rnw = (uint8_t)x; break;
            case EF_IND: e->ev.ind = (uint8_t)x; break;
            case EF_PNU: e->ev.pnu = (uint8_t)x; break;
            case EF_NSIPA: e->ev.nsipa = (uint8_t)x; break;
            case EF_TTRNW: e->ev.ttrnw = (uint8_t)x; break;
            case EF_STALL: e->ev.stall = (uint8_t)x; break;
            case EF_STAG: e->ev.stag = (uint16_t)x; break;
            case EF_REASON: e->ev.reason = (uint32_t)x; break;
            case EF_INPUT_ADDR: e->ev.input_addr = x; break;
            case EF_IPA: e->ev.ipa = x; break;
            default: e->ev.fetch_addr = x; break;
            }
        }
    }
}

const char *const replay_class_names[REPLAY_NCLS + 1] = {
    "translated", "bypass", "disabled", "abort", "fault_recorded", "fault_unrecorded", "stalled", "busy",
    "platform_bypass", NULL};
const char *const replay_cause_names[REPLAY_NCAUSE + 1] = {
    "none", "ste_config", "s1dss", "gbpa", "gbpa_abort", "oas", "secure", "cd_r", "ste_s2r",
    "recinvsid", "queue_disabled", "queue_abt_err", "queue_full", "write_abort", "sfm",
    "rec_cfg_ats", "ats_translated", NULL};
const char *const replay_irq_names[5] = {"eventq", "priq", "cmd_sync", "gerror", NULL};

/* One of names[] (NULL-terminated), or exit 2 naming the nearest. */
static int yenum(ydoc_t *d, const yaml_node_t *v, const char *what, const char *const *names)
{
    const char *t = ystr(d, v, what);
    for (int i = 0; names[i]; i++)
        if (!strcmp(t, names[i]))
            return i;
    const char *near = ynearest(t, names, 0);
    if (near)
        yerr(d, v, "%s: unknown value '%s'; did you mean '%s'?", what, t, near);
    yerr(d, v, "%s: unknown value '%s'", what, t);
    return -1;
}

/* ats: {status: success|ur|ca, r, w, x, priv, u, size, addr} -- the
 * Translation Completion of an ATS Translation Request (docs/ats.md). */
static void parse_ats_exp(scenario_t *s, const yaml_node_t *n, xexp_t *x)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"status", "r", "w", "x", "priv", "u", "size", "addr", NULL};
    static const char *const st[] = {"none", "success", "ur", "ca", NULL};
    yneed_map(d, n, "ats");
    ycheck_keys(d, n, "ats", keys);
    x->has_ats = 1;
    x->ats_status = x->ats_r = x->ats_w = x->ats_x = x->ats_priv = x->ats_u = -1;
    yaml_node_t *v;
    if ((v = ymap_get(d, n, "status")))
        x->ats_status = yenum(d, v, "status", st);
    if ((v = ymap_get(d, n, "r")))
        x->ats_r = ybool(d, v, "r");
    if ((v = ymap_get(d, n, "w")))
        x->ats_w = ybool(d, v, "w");
    if ((v = ymap_get(d, n, "x")))
        x->ats_x = ybool(d, v, "x");
    if ((v = ymap_get(d, n, "priv")))
        x->ats_priv = ybool(d, v, "priv");
    if ((v = ymap_get(d, n, "u")))
        x->ats_u = ybool(d, v, "u");
    if ((v = ymap_get(d, n, "size"))) {
        x->has_ats_size = 1;
        x->ats_size = yu64(d, v, "size", UINT64_MAX);
    }
    if ((v = ymap_get(d, n, "addr"))) {
        x->has_ats_addr = 1;
        x->ats_addr = yu64(d, v, "addr", UINT64_MAX);
    }
    if (x->ats_status > 1 && (x->ats_r >= 0 || x->ats_w >= 0 || x->ats_x >= 0 || x->has_ats_size ||
                              x->has_ats_addr))
        yerr(d, n, "ats: r, w, x, size and addr describe a Success completion; status '%s' has "
                   "none", st[x->ats_status]);
}

static void parse_xexp(scenario_t *s, const yaml_node_t *n, xexp_t *x, int depth)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"pa", "outcome", "fault", "recorded", "platform_bypass",
                                       "perms", "class", "cause", "done_cycle", "stag", "ats",
                                       "any_of", NULL};
    memset(x, 0, sizeof(*x));
    x->cls = -1;
    x->cause = -1;
    x->outcome = -1;
    x->stag = -1;
    x->recorded = -1;
    x->platform_bypass = -1;
    x->perms = -1;
    x->node = n;
    yneed_map(d, n, "expect");
    ycheck_keys(d, n, "transaction expect", keys);
    if (!ymap_len(n))
        yerr(d, n, "expect: empty; expected pa, outcome, fault, recorded, perms, class, cause "
                   "or any_of");
    yaml_node_t *v;
    if ((v = ymap_get(d, n, "pa"))) {
        x->has_pa = 1;
        x->pa = yu64(d, v, "pa", UINT64_MAX);
    }
    if ((v = ymap_get(d, n, "outcome"))) {
        static const char *const on[] = {"ok", "abort", "razwi", "stalled", "busy", NULL};
        const char *t = ystr(d, v, "outcome");
        for (int i = 0; on[i]; i++)
            if (!strcmp(t, on[i]))
                x->outcome = i;
        if (x->outcome < 0) {
            const char *near = ynearest(t, on, 0);
            yerr(d, v, "outcome: unknown outcome '%s'; %s%s%s", t,
                 near ? "did you mean '" : "expected ok, abort, razwi, stalled or busy",
                 near ? near : "", near ? "'?" : "");
        }
    }
    if ((v = ymap_get(d, n, "fault"))) {
        x->has_fault = 1;
        parse_evexp(s, v, &x->fault, 0, "fault");
        if (!(x->fault.has & (1u << EF_TYPE)))
            yerr(d, v, "fault: missing required key 'type' (the event type, e.g. F_TRANSLATION)");
    }
    if ((v = ymap_get(d, n, "recorded")))
        x->recorded = ybool(d, v, "recorded");
    if ((v = ymap_get(d, n, "done_cycle"))) {
        if (!s->timed)
            yerr(d, v, "done_cycle: needs timing (an smmu: preset with timing, such as mmu600, or "
                       "a timing key); without it a translation completes in its issue cycle");
        x->has_done = 1;
        x->done_cycle = yu64(d, v, "done_cycle", UINT64_MAX);
    }
    if ((v = ymap_get(d, n, "stag"))) {
        x->stag = (int64_t)yu64(d, v, "stag", 0xFFFF);
        if (x->outcome >= 0 && x->outcome != SMMU_XLATE_STALLED)
            yerr(d, v, "expect: 'stag' contradicts a non-stalled outcome (a STAG comes only "
                       "with outcome stalled)");
    }
    if ((v = ymap_get(d, n, "platform_bypass"))) {
        x->platform_bypass = ybool(d, v, "platform_bypass");
        if (x->platform_bypass && (x->has_fault || (x->outcome >= 0 && x->outcome != SMMU_XLATE_OK)))
            yerr(d, v, "expect: 'platform_bypass: true' contradicts a fault or a non-ok outcome "
                       "(the SMMU never sees the transaction)");
    }
    if ((v = ymap_get(d, n, "perms"))) {
        /* the letters of rwx the translation grants (smmu_response_t.perms) */
        const char *t = ystr(d, v, "perms");
        x->perms = 0;
        for (const char *c = t; *c; c++) {
            unsigned bit = *c == 'r' ? SMMU_PERM_R : *c == 'w' ? SMMU_PERM_W
                         : *c == 'x' ? SMMU_PERM_X : 0;
            if (!bit || ((unsigned)x->perms & bit))
                yerr(d, v, "perms: expected the granted letters of 'rwx' (such as \"rw\", or "
                           "\"\" for none), found '%s'", t);
            x->perms |= (int)bit;
        }
        if (x->has_fault || (x->outcome >= 0 && x->outcome != SMMU_XLATE_OK))
            yerr(d, v, "expect: 'perms' contradicts a fault or a non-ok outcome (permissions "
                       "are granted only by a completed translation)");
    }
    if ((v = ymap_get(d, n, "ats")))
        parse_ats_exp(s, v, x);
    /* how the transaction ended (smmu_response_t cls/cause; docs/replay-json.md) */
    if ((v = ymap_get(d, n, "class")))
        x->cls = yenum(d, v, "class", replay_class_names);
    if ((v = ymap_get(d, n, "cause")))
        x->cause = yenum(d, v, "cause", replay_cause_names);
    if (x->has_pa && (x->has_fault || (x->outcome >= 0 && x->outcome != SMMU_XLATE_OK)))
        yerr(d, n, "expect: 'pa' contradicts a fault or a non-ok outcome; use any_of for "
                   "alternatives");
    if ((v = ymap_get(d, n, "any_of"))) {
        if (depth)
            yerr(d, v, "any_of: cannot be nested");
        if (ymap_len(n) != 1)
            yerr(d, n, "expect: any_of must be the only key (put pa/fault/outcome/perms inside "
                       "each alternative)");
        yneed_seq(d, v, "any_of");
        x->nany = yseq_len(v);
        if (x->nany < 1)
            yerr(d, v, "any_of: expected at least one alternative");
        x->any = calloc(x->nany, sizeof(*x->any));
        for (size_t i = 0; i < x->nany; i++)
            parse_xexp(s, yseq_at(d, v, i), &x->any[i], depth + 1);
    }
}

static void parse_xlate(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"sid", "ssid", "addr", "size", "write", "priv", "instr",
                                       "secure", "pcie", "cycle", "tbu", "ats", "expect", "id",
                                       NULL};
    yneed_map(d, n, "xlate");
    ycheck_keys(d, n, "transaction (xlate)", keys);
    smmu_request_t *r = &st->req;
    memset(r, 0, sizeof(*r));
    r->sid = (uint32_t)yu64(d, yrequire(d, n, "sid", "xlate"), "sid", 0xFFFFFFFFull);
    r->addr = yu64(d, yrequire(d, n, "addr", "xlate"), "addr", UINT64_MAX);
    yaml_node_t *v;
    if ((v = ymap_get(d, n, "ssid"))) {
        r->ssv = 1;
        r->ssid = (uint32_t)yu64(d, v, "ssid", 0xFFFFF);
    }
    r->size = 4;
    if ((v = ymap_get(d, n, "size"))) {
        r->size = (uint32_t)yu64(d, v, "size", 0xFFFFFFFFull);
        if (!r->size)
            yerr(d, v, "size: value 0 out of range (1..0xffffffff)");
    }
    if ((v = ymap_get(d, n, "write")))
        r->write = (uint8_t)ybool(d, v, "write");
    if ((v = ymap_get(d, n, "priv")))
        r->priv = (uint8_t)ybool(d, v, "priv");
    if ((v = ymap_get(d, n, "secure")))
        r->secure = (uint8_t)ybool(d, v, "secure");
    if ((v = ymap_get(d, n, "pcie")))
        r->pcie = (uint8_t)ybool(d, v, "pcie");
    if ((v = ymap_get(d, n, "cycle"))) {
        r->cycle = yu64(d, v, "cycle", UINT64_MAX);
        st->has_cycle = 1;
    }
    if ((v = ymap_get(d, n, "tbu"))) {
        unsigned max = s->timed ? s->timing.num_tbus - 1 : 0;
        r->tbu = (uint8_t)yu64(d, v, "tbu", max);
    }
    if ((v = ymap_get(d, n, "instr"))) {
        r->instr = (uint8_t)ybool(d, v, "instr");
        if (r->instr && r->write)
            yerr(d, v, "instr: an instruction fetch cannot be a write (write: true)");
    }
    if ((v = ymap_get(d, n, "ats"))) {
        /* smmu_ats_kind_t (3.9.1); needs IDR0.ATS for anything but untranslated */
        static const char *const kinds[] = {"untranslated", "translated", "request", NULL};
        r->ats = (uint8_t)yenum(d, v, "ats", kinds);
        if (r->ats && !s->cfg.ats)
            yerr(d, v, "ats: '%s' needs an SMMU with ATS (smmu: {ats: 1})", kinds[r->ats]);
    }
    if ((v = ymap_get(d, n, "expect"))) {
        st->has_xexp = 1;
        parse_xexp(s, v, &st->xe, 0);
        if (st->xe.has_ats && r->ats != SMMU_ATS_TRANSLATION_REQ)
            yerr(d, v, "expect: 'ats' describes the completion of a Translation Request "
                       "(xlate ats: request)");
    }
}

static void parse_events(scenario_t *s, const yaml_node_t *n, step_t *st, parse_state_t *ps)
{
    ydoc_t *d = &s->doc;
    const yaml_node_t *list = n;
    if (yis_map(n)) {
        static const char *const keys[] = {"records", "overflow", "peek", "count", "drain", "id",
                                           NULL};
        ycheck_keys(d, n, "events", keys);
        list = ymap_get(d, n, "records");
        yaml_node_t *o = ymap_get(d, n, "overflow"), *p = ymap_get(d, n, "peek"),
                    *c = ymap_get(d, n, "count"), *dr = ymap_get(d, n, "drain");
        if (o)
            st->overflow = ybool(d, o, "overflow");
        if (p)
            st->peek = ybool(d, p, "peek");
        if (c)
            st->count = (int64_t)yu64(d, c, "count", 0xFFFFFFFFull);
        if (dr)
            st->drain = ybool(d, dr, "drain");
        if (c && list)
            yerr(d, c, "events: 'count' and 'records' together; count checks only the number of "
                       "records, records checks each one (give one of them)");
        if (st->drain && (list || c))
            yerr(d, dr, "events: 'drain: true' with '%s'; drain consumes every record and "
                        "compares none", list ? "records" : "count");
        if (st->drain && st->peek)
            yerr(d, dr, "events: 'drain: true' with 'peek: true'; drain consumes the records, "
                        "peek leaves them in the queue");
        if (!list && !c && !st->drain)
            yerr(d, n, "events: expected 'records', 'count' or 'drain: true'");
    }
    if (!ps->evtq_programmed)
        yerr(d, n, "events: no earlier step programs SMMU_EVENTQ_BASE; the tool reads the queue "
                   "the scenario set up (write SMMU_EVENTQ_BASE first)");
    if (!list)
        return;
    yneed_seq(d, list, "events");
    st->has_records = 1;
    st->nevs = yseq_len(list);
    st->evs = calloc(st->nevs ? st->nevs : 1, sizeof(*st->evs));
    for (size_t i = 0; i < st->nevs; i++)
        parse_evexp(s, yseq_at(d, list, i), &st->evs[i], 1, "event record");
}

static void parse_replay(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    const yaml_node_t *file = n;
    if (yis_map(n)) {
        static const char *const keys[] = {"file", "expect", "id", NULL};
        ycheck_keys(d, n, "replay", keys);
        file = yrequire(d, n, "file", "replay");
        yaml_node_t *e = ymap_get(d, n, "expect");
        if (e) {
            static const char *const ek[] = {"ok", "abort", "razwi", "events", NULL};
            yneed_map(d, e, "replay expect");
            ycheck_keys(d, e, "replay expect", ek);
            yaml_node_t *v;
            if ((v = ymap_get(d, e, "ok"))) st->exp_ok = (int64_t)yu64(d, v, "ok", INT64_MAX);
            if ((v = ymap_get(d, e, "abort"))) st->exp_abort = (int64_t)yu64(d, v, "abort", INT64_MAX);
            if ((v = ymap_get(d, e, "razwi"))) st->exp_razwi = (int64_t)yu64(d, v, "razwi", INT64_MAX);
            if ((v = ymap_get(d, e, "events"))) st->exp_events = (int64_t)yu64(d, v, "events", INT64_MAX);
        }
    }
    const char *name = ystr(d, file, "replay file");
    size_t len = strlen(d->dir) + strlen(name) + 2;
    st->path = malloc(len);
    if (name[0] == '/')
        snprintf(st->path, len, "%s", name);
    else
        snprintf(st->path, len, "%s/%s", d->dir, name);
    st->text = name;
}

/* Indexed by enum step_kind. */
static const char *const step_names[] = {"note", "write", "read", "commands", "mem_write",
                                         "xlate", "events", "replay", "mem_read",
                                         "completions", "irqs", "sfm", "atc_invalidations", "atc",
                                         "endpoint", "mmio", NULL};

const char *step_kind_name(int kind)
{
    return kind >= 0 && kind < ST_KIND_COUNT ? step_names[kind] : "?";
}

/* mem_read: {addr, size: 1|2|4|8, expect, mask} -- a little-endian value of
 * scenario memory as the model left it (not an SMMU access). */
static void parse_mem_read(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"addr", "size", "expect", "mask", "id", NULL};
    yneed_map(d, n, "mem_read");
    ycheck_keys(d, n, "mem_read", keys);
    st->addr = yu64(d, yrequire(d, n, "addr", "mem_read"), "addr", UINT64_MAX);
    st->size = 8;
    yaml_node_t *v = ymap_get(d, n, "size");
    if (v) {
        uint64_t b = yu64(d, v, "size", UINT64_MAX);
        if (b != 1 && b != 2 && b != 4 && b != 8)
            yerr(d, v, "size: %llu is not a memory read size; expected 1, 2, 4 or 8 (bytes)",
                 (unsigned long long)b);
        st->size = (unsigned)b;
    }
    if (st->addr + (st->size - 1) < st->addr)
        yerr(d, n, "mem_read: addr + size wraps past 2^64");
    uint64_t max = st->size == 8 ? UINT64_MAX : (1ull << (8 * st->size)) - 1;
    yaml_node_t *e = ymap_get(d, n, "expect"), *m = ymap_get(d, n, "mask");
    st->mask = max;
    if (m && !e)
        yerr(d, m, "mask: given without 'expect'");
    if (m)
        st->mask = yu64(d, m, "mask", max);
    if (e) {
        st->has_expect = 1;
        st->value = yu64(d, e, "expect", max);
    }
}

/* irqs: [{msi: SOURCE, addr, data, sh, memattr} | {wired: SOURCE}, ...] --
 * exactly the MSIs (ops.msi_write) and wired pulses (ops.raise_irq) that
 * arrived since the previous irqs step, in order; [] expects none. SOURCE
 * is eventq, priq, cmd_sync or gerror; addr, data, sh and memattr are
 * optional (not checked when left out). */
static void parse_irqs(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    yneed_seq(d, n, "irqs");
    st->niexps = yseq_len(n);
    st->iexps = calloc(st->niexps ? st->niexps : 1, sizeof(*st->iexps));
    for (size_t i = 0; i < st->niexps; i++) {
        yaml_node_t *it = yseq_at(d, n, i);
        iexp_t *e = &st->iexps[i];
        e->node = it;
        e->sh = e->memattr = -1;
        yneed_map(d, it, "irq");
        yaml_node_t *m = ymap_get(d, it, "msi"), *w = ymap_get(d, it, "wired"), *v;
        if (!m == !w)
            yerr(d, it, "irq: expected exactly one of 'msi: SOURCE' or 'wired: SOURCE'");
        if (w) {
            static const char *const wk[] = {"wired", NULL};
            ycheck_keys(d, it, "irq", wk);
            e->source = (unsigned)yenum(d, w, "wired", replay_irq_names);
            continue;
        }
        static const char *const mk[] = {"msi", "addr", "data", "sh", "memattr", NULL};
        ycheck_keys(d, it, "irq", mk);
        e->msi = 1;
        e->source = (unsigned)yenum(d, m, "msi", replay_irq_names);
        if ((v = ymap_get(d, it, "addr"))) {
            e->has_addr = 1;
            e->addr = yu64(d, v, "addr", UINT64_MAX);
        }
        if ((v = ymap_get(d, it, "data"))) {
            e->has_data = 1;
            e->data = (uint32_t)yu64(d, v, "data", 0xFFFFFFFFull);
        }
        if ((v = ymap_get(d, it, "sh")))
            e->sh = (int)yu64(d, v, "sh", 3);
        if ((v = ymap_get(d, it, "memattr")))
            e->memattr = (int)yu64(d, v, "memattr", 15);
    }
}

/* sfm: {} -- enter Service Failure Mode (smmu_inject_sfm, 12.3). */
static void parse_sfm(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    (void)st;
    static const char *const keys[] = {"id", NULL};
    yneed_map(d, n, "sfm");
    ycheck_keys(d, n, "sfm", keys);
}

/* completions: [{sid, stag, <response expectation keys>}, ...] -- exactly
 * the completions of stalled transactions (smmu_take_completions) that
 * arrived since the previous completions step, in order; [] expects none. */
static void parse_completions(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    yneed_seq(d, n, "completions");
    st->ncexps = yseq_len(n);
    st->cexps = calloc(st->ncexps ? st->ncexps : 1, sizeof(*st->cexps));
    for (size_t i = 0; i < st->ncexps; i++) {
        yaml_node_t *it = yseq_at(d, n, i);
        cexp_t *c = &st->cexps[i];
        c->node = it;
        yneed_map(d, it, "completion");
        static const char *const keys[] = {"sid", "stag", "pa", "outcome", "fault", "recorded",
                                           "perms", "new_stag", NULL};
        ycheck_keys(d, it, "completion", keys);
        c->sid = (uint32_t)yu64(d, yrequire(d, it, "sid", "completion"), "sid", 0xFFFFFFFFull);
        c->stag = (uint16_t)yu64(d, yrequire(d, it, "stag", "completion"), "stag", 0xFFFF);
        memset(&c->x, 0, sizeof(c->x));
        c->x.outcome = -1;
        c->x.recorded = -1;
        c->x.platform_bypass = -1;
        c->x.perms = -1;
        c->x.stag = -1;
        c->x.cls = -1;
        c->x.cause = -1;
        c->x.allow_event = 1;
        c->x.node = it;
        yaml_node_t *v;
        if ((v = ymap_get(d, it, "pa"))) {
            c->x.has_pa = 1;
            c->x.pa = yu64(d, v, "pa", UINT64_MAX);
        }
        if ((v = ymap_get(d, it, "outcome"))) {
            static const char *const on[] = {"ok", "abort", "razwi", "stalled", "busy", NULL};
            const char *t = ystr(d, v, "outcome");
            for (int k = 0; on[k]; k++)
                if (!strcmp(t, on[k]))
                    c->x.outcome = k;
            if (c->x.outcome < 0)
                yerr(d, v, "outcome: unknown outcome '%s'; expected ok, abort, razwi, stalled", t);
        }
        if ((v = ymap_get(d, it, "fault"))) {
            c->x.has_fault = 1;
            parse_evexp(s, v, &c->x.fault, 0, "fault");
            if (!(c->x.fault.has & (1u << EF_TYPE)))
                yerr(d, v, "fault: missing required key 'type'");
        }
        if ((v = ymap_get(d, it, "recorded")))
            c->x.recorded = ybool(d, v, "recorded");
        if ((v = ymap_get(d, it, "new_stag")))
            c->x.stag = (int64_t)yu64(d, v, "new_stag", 0xFFFF);
        if (c->x.has_pa && c->x.outcome >= 0 && c->x.outcome != SMMU_XLATE_OK)
            yerr(d, it, "completion: 'pa' contradicts a non-ok outcome");
    }
}

/* atc_invalidations: [{sid, ssid, global, addr, size}, ...] -- exactly the
 * ATS Invalidate Requests the endpoint received since the previous such
 * step (size: the command's Size, a span of 4KB x 2^size; ssid absent: no
 * PASID). */
static void parse_atc_invs(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    yneed_seq(d, n, "atc_invalidations");
    if (!s->cfg.ats)
        yerr(d, n, "atc_invalidations: needs an SMMU with ATS (smmu: {ats: 1})");
    st->ninvs = yseq_len(n);
    st->invs = calloc(st->ninvs ? st->ninvs : 1, sizeof(*st->invs));
    for (size_t i = 0; i < st->ninvs; i++) {
        yaml_node_t *it = yseq_at(d, n, i), *v;
        smmu_atc_inv_t *e = &st->invs[i];
        yneed_map(d, it, "invalidation");
        static const char *const keys[] = {"sid", "ssid", "global", "addr", "size", NULL};
        ycheck_keys(d, it, "invalidation", keys);
        e->sid = (uint32_t)yu64(d, yrequire(d, it, "sid", "invalidation"), "sid", 0xFFFFFFFFull);
        e->addr = yu64(d, yrequire(d, it, "addr", "invalidation"), "addr", UINT64_MAX);
        e->log2_span = (uint8_t)(12 + yu64(d, yrequire(d, it, "size", "invalidation"), "size", 52));
        if ((v = ymap_get(d, it, "ssid"))) {
            e->ssv = 1;
            e->ssid = (uint32_t)yu64(d, v, "ssid", 0xFFFFF);
        }
        if ((v = ymap_get(d, it, "global")))
            e->global = (uint8_t)ybool(d, v, "global");
    }
}

/* atc: [{sid, ssid, addr, size, pa, perms}, ...] -- exactly the entries of
 * the endpoint ATC (tools/endpoint/atc.h), oldest first; [] expects none. */
static void parse_atc(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    yneed_seq(d, n, "atc");
    if (!s->cfg.ats)
        yerr(d, n, "atc: needs an SMMU with ATS (smmu: {ats: 1})");
    st->natcs = yseq_len(n);
    st->atcs = calloc(st->natcs ? st->natcs : 1, sizeof(*st->atcs));
    for (size_t i = 0; i < st->natcs; i++) {
        yaml_node_t *it = yseq_at(d, n, i), *v;
        struct atc_exp *e = &st->atcs[i];
        e->node = it;
        e->perms = -1;
        yneed_map(d, it, "atc entry");
        static const char *const keys[] = {"sid", "ssid", "addr", "size", "pa", "perms", NULL};
        ycheck_keys(d, it, "atc entry", keys);
        e->sid = (uint32_t)yu64(d, yrequire(d, it, "sid", "atc entry"), "sid", 0xFFFFFFFFull);
        e->addr = yu64(d, yrequire(d, it, "addr", "atc entry"), "addr", UINT64_MAX);
        if ((v = ymap_get(d, it, "ssid"))) {
            e->ssv = 1;
            e->ssid = (uint32_t)yu64(d, v, "ssid", 0xFFFFF);
        }
        if ((v = ymap_get(d, it, "size"))) {
            e->has_size = 1;
            e->size = yu64(d, v, "size", UINT64_MAX);
        }
        if ((v = ymap_get(d, it, "pa"))) {
            e->has_pa = 1;
            e->pa = yu64(d, v, "pa", UINT64_MAX);
        }
        if ((v = ymap_get(d, it, "perms"))) {
            const char *t = ystr(d, v, "perms");
            e->perms = 0;
            for (const char *c = t; *c; c++) {
                unsigned bit = *c == 'r' ? SMMU_PERM_R : *c == 'w' ? SMMU_PERM_W
                             : *c == 'x' ? SMMU_PERM_X : 0;
                if (!bit || ((unsigned)e->perms & bit))
                    yerr(d, v, "perms: expected the granted letters of 'rwx', found '%s'", t);
                e->perms |= (int)bit;
            }
        }
    }
}

/* endpoint: {sid, atc_inv: ok|ur|no_response} -- how the endpoint of
 * StreamID sid answers ATS Invalidate Requests from now on. */
static void parse_endpoint(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"sid", "atc_inv", "id", NULL};
    static const char *const ans[] = {"ok", "ur", "no_response", NULL};
    yneed_map(d, n, "endpoint");
    ycheck_keys(d, n, "endpoint", keys);
    if (!s->cfg.ats)
        yerr(d, n, "endpoint: needs an SMMU with ATS (smmu: {ats: 1})");
    st->off = yu64(d, yrequire(d, n, "sid", "endpoint"), "sid", 0xFFFFFFFFull);
    st->value = (uint64_t)yenum(d, yrequire(d, n, "atc_inv", "endpoint"), "atc_inv", ans);
}

/* note: text, or {text, id} */
static void parse_note(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    if (yis_map(n)) {
        static const char *const keys[] = {"text", "id", NULL};
        ycheck_keys(d, n, "note", keys);
        n = yrequire(d, n, "text", "note");
    }
    st->text = ystr(d, n, "note");
}

/* id: NAME in the mapping form of a step; unique within the scenario. */
/* A path named in the scenario: absolute, or relative to its directory;
 * remembered as an input (no output may be one). Returns the owned copy. */
static const char *input_path(scenario_t *s, const yaml_node_t *n, const char *name)
{
    ydoc_t *d = &s->doc;
    size_t len = strlen(d->dir) + strlen(name) + 2;
    char *p = malloc(len);
    char **ni = realloc(s->inputs, (s->ninputs + 1) * sizeof *ni);
    if (ni)
        s->inputs = ni;
    if (!p || !ni) {
        free(p);
        yerr(d, n, "out of memory");
    }
    if (name[0] == '/')
        snprintf(p, len, "%s", name);
    else
        snprintf(p, len, "%s/%s", d->dir, name);
    s->inputs[s->ninputs++] = p;
    return p;
}

/* An error message that carries its own position (FILE:LINE:COLUMN: error:
 * ...): printed as it is, then the same exit as yerr. */
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
static void yerr_raw(ydoc_t *d, const char *msg)
{
    fprintf(d->err ? d->err : stderr, "%s\n", msg);
    longjmp(*d->on_error, 1);
}

/* mmio: {file: F.mmio} (mmio.h): parsed now, so that a malformed line is
 * bad input before anything runs. */
static void parse_mmio(scenario_t *s, const yaml_node_t *n, step_t *st)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"file", "id", NULL};
    yneed_map(d, n, "mmio");
    ycheck_keys(d, n, "mmio", keys);
    yaml_node_t *f = yrequire(d, n, "file", "mmio");
    const char *path = input_path(s, f, ystr(d, f, "file"));
    st->mmio = calloc(1, sizeof *st->mmio);
    if (!st->mmio)
        yerr(d, f, "out of memory");
    st->text = ystr(d, f, "file");
    char msg[1024];
    if (mmio_parse(st->mmio, path, msg, sizeof msg)) {
        if (!strncmp(msg, "cannot open", 11) || !strcmp(msg, "out of memory"))
            yerr(d, f, "file: %s", msg);
        yerr_raw(d, msg);
    }
}

/* memory: - {pages: F.pages, index: F.pidx} (pages.h) */
static void parse_pages(scenario_t *s, const yaml_node_t *n, rmem_t *mem)
{
    ydoc_t *d = &s->doc;
    static const char *const keys[] = {"pages", "index", NULL};
    ycheck_keys(d, n, "memory entry (pages)", keys);
    yaml_node_t *pn = yrequire(d, n, "pages", "memory entry"),
                *xn = yrequire(d, n, "index", "memory entry (pages)");
    const char *pp = input_path(s, pn, ystr(d, pn, "pages"));
    const char *xp = input_path(s, xn, ystr(d, xn, "index"));
    char msg[1024];
    long k = pages_load(mem, pp, xp, msg, sizeof msg);
    if (k == -2)
        yerr(d, !strncmp(msg, "index", 5) ? xn : pn, "%s", msg);
    if (k < 0)
        yerr_raw(d, msg);
}

static void parse_id(scenario_t *s, const yaml_node_t *v, step_t *st)
{
    ydoc_t *d = &s->doc;
    if (!yis_map(v))
        return;
    yaml_node_t *id = ymap_get(d, v, "id");
    if (!id)
        return;
    const char *t = ystr(d, id, "id");
    if (!*t)
        yerr(d, id, "id: empty; expected a name for the step");
    for (size_t i = 0; i + 1 < s->nsteps; i++)
        if (s->steps[i].id && !strcmp(s->steps[i].id, t))
            yerr(d, id, "id: duplicate id '%s' (first at line %u)", t, yline(s->steps[i].node));
    st->id = t;
}

static void parse_steps(scenario_t *s, const yaml_node_t *n, rmem_t *mem)
{
    ydoc_t *d = &s->doc;
    (void)mem;
    yneed_seq(d, n, "steps");
    parse_state_t ps = {0, 0};
    for (size_t i = 0; i < yseq_len(n); i++) {
        yaml_node_t *it = yseq_at(d, n, i);
        if (!yis_map(it) || ymap_len(it) != 1)
            yerr(d, it, "step: expected a one-key mapping such as '- xlate: {...}' (keys: note, "
                        "write, read, commands, mem_write, mem_read, xlate, events, replay, completions, "
                        "irqs, sfm, atc_invalidations, atc, endpoint, mmio)");
        yaml_node_t *k = ymap_key(d, it, 0);
        const char *ks = (const char *)k->data.scalar.value;
        yaml_node_t *v = ymap_val(d, it, 0);
        int kind = -1;
        for (int j = 0; step_names[j]; j++)
            if (!strcmp(ks, step_names[j]))
                kind = j;
        if (kind < 0) {
            const char *near = ynearest(ks, step_names, 0);
            if (near)
                yerr(d, k, "unknown step '%s'; did you mean '%s'?", ks, near);
            yerr(d, k, "unknown step '%s'; expected one of: note, write, read, commands, "
                       "mem_write, mem_read, xlate, events, replay, completions, irqs, sfm, "
                       "atc_invalidations, atc, endpoint, mmio", ks);
        }
        step_t *st = new_step(s, kind, k);
        switch (kind) {
        case ST_NOTE: parse_note(s, v, st); break;
        case ST_WRITE: parse_reg(s, v, st, 1, &ps); break;
        case ST_READ: parse_reg(s, v, st, 0, &ps); break;
        case ST_COMMANDS: parse_commands(s, v, st, &ps); break;
        case ST_MEM: parse_blob(s, v, "mem_write", &st->addr, &st->bytes, &st->len, 1); break;
        case ST_MEM_READ: parse_mem_read(s, v, st); break;
        case ST_XLATE: parse_xlate(s, v, st); break;
        case ST_EVENTS: parse_events(s, v, st, &ps); break;
        case ST_COMPLETIONS: parse_completions(s, v, st); break;
        case ST_IRQS: parse_irqs(s, v, st); break;
        case ST_SFM: parse_sfm(s, v, st); break;
        case ST_ATC_INVS: parse_atc_invs(s, v, st); break;
        case ST_ATC: parse_atc(s, v, st); break;
        case ST_ENDPOINT: parse_endpoint(s, v, st); break;
        case ST_MMIO: parse_mmio(s, v, st); break;
        default: parse_replay(s, v, st); break;
        }
        parse_id(s, v, st);
    }
}

/* platform: properties of the system around the SMMU. msi_bypass lists
 * address ranges (hardware MSI doorbell windows) whose transactions the
 * interconnect delivers without the SMMU: they are never translated. */
static void parse_platform(scenario_t *s, const yaml_node_t *p)
{
    if (!p)
        return;
    ydoc_t *d = &s->doc;
    yneed_map(d, p, "platform");
    static const char *const keys[] = {"msi_bypass", "mem_latency", NULL};
    ycheck_keys(d, p, "platform", keys);
    yaml_node_t *v = ymap_get(d, p, "mem_latency");
    if (v) {
        s->has_mem_latency = 1;
        s->mem_latency = (uint32_t)yu64(d, v, "mem_latency", 1000000);
    }
    v = ymap_get(d, p, "msi_bypass");
    if (!v)
        return;
    yneed_seq(d, v, "msi_bypass");
    size_t n = yseq_len(v);
    s->msi_bypass = calloc(n ? n : 1, sizeof(*s->msi_bypass));
    if (!s->msi_bypass)
        yerr(d, v, "out of memory");
    s->msi_sids = calloc(n ? n : 1, sizeof(*s->msi_sids));
    if (!s->msi_sids)
        yerr(d, v, "out of memory");
    static const char *const rk[] = {"base", "size", "sids", NULL};
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *r = yseq_at(d, v, i);
        yneed_map(d, r, "msi_bypass region");
        ycheck_keys(d, r, "msi_bypass region", rk);
        uint64_t base = yu64(d, yrequire(d, r, "base", "msi_bypass region"), "base", UINT64_MAX);
        yaml_node_t *szn = yrequire(d, r, "size", "msi_bypass region");
        uint64_t size = yu64(d, szn, "size", UINT64_MAX);
        if (!size)
            yerr(d, szn, "size: value 0 out of range (1..2^64-1)");
        if (base + (size - 1) < base)
            yerr(d, szn, "size: base + size wraps past 2^64");
        s->msi_bypass[i].base = base;
        s->msi_bypass[i].size = size;
        s->msi_bypass[i].access = 0;
        s->nmsi_bypass = i + 1;
        checker_parse_sids(d, ymap_get(d, r, "sids"), &s->msi_sids[i]);
    }
}

int scenario_platform_bypass_sid(const scenario_t *s, uint64_t addr, uint32_t sid)
{
    for (size_t i = 0; i < s->nmsi_bypass; i++)
        if (addr >= s->msi_bypass[i].base && addr - s->msi_bypass[i].base < s->msi_bypass[i].size &&
            checker_sid_listed(&s->msi_sids[i], sid))
            return (int)i;
    return -1;
}

int scenario_platform_bypass(const scenario_t *s, uint64_t addr)
{
    for (size_t i = 0; i < s->nmsi_bypass; i++)
        if (addr >= s->msi_bypass[i].base && addr - s->msi_bypass[i].base < s->msi_bypass[i].size)
            return (int)i;
    return -1;
}

/* ---- --set KEY=VALUE: overrides of the `smmu:` block ---- */

/* Node id of node n in d (libyaml ids start at 1). */
static int node_id(ydoc_t *d, const yaml_node_t *n)
{
    return (int)(n - d->doc.nodes.start) + 1;
}

/* A synthetic value node for VALUE: a scalar, or a flow list "[a, b, ...]"
 * of scalars (idr). Returns the node id, 0 when out of memory. */
static int set_value_node(ydoc_t *d, const char *val, size_t origin)
{
    size_t vl = strlen(val);
    if (vl < 2 || val[0] != '[' || val[vl - 1] != ']')
        return ydoc_add_synth_scalar(d, val, origin);
    int seq = yaml_document_add_sequence(&d->doc, NULL, YAML_FLOW_SEQUENCE_STYLE);
    if (!seq)
        return 0;
    yaml_node_t *sn = yaml_document_get_node(&d->doc, seq);
    sn->start_mark.index = YDOC_SYNTH;
    sn->start_mark.line = origin;
    char item[128];
    const char *p = val + 1, *end = val + vl - 1;
    while (p < end) {
        const char *c = memchr(p, ',', (size_t)(end - p));
        const char *e = c ? c : end;
        while (p < e && isspace((unsigned char)*p))
            p++;
        size_t il = (size_t)(e - p);
        while (il && isspace((unsigned char)p[il - 1]))
            il--;
        if (il >= sizeof item)
            il = sizeof item - 1;
        memcpy(item, p, il);
        item[il] = 0;
        if (il || c) {
            int id = ydoc_add_synth_scalar(d, item, origin);
            if (!id || !yaml_document_append_sequence_item(&d->doc, seq, id))
                return 0;
        }
        p = c ? c + 1 : end;
    }
    return seq;
}

/* Apply each "KEY=VALUE" of sets to the `smmu:` mapping of the loaded
 * document: a key the block has gets VALUE, another key is added (a later
 * --set of the same key wins). The block is then parsed as usual, so every
 * key and value gets the file's validation, and messages about the new
 * nodes begin with "--set KEY=VALUE". Returns 0, or 2 after a message. */
static int apply_sets(scenario_t *s, const char *const *sets, size_t nsets, FILE *err)
{
    ydoc_t *d = &s->doc;
    if (!nsets)
        return 0;
    char **origins = calloc(nsets, sizeof *origins);
    if (!origins) {
        fprintf(err, "smmu-replay: error: out of memory\n");
        return 2;
    }
    s->set_origins = origins;
    s->nset_origins = nsets;
    d->origins = (const char *const *)origins;
    d->norigins = nsets;
    for (size_t i = 0; i < nsets; i++) {
        size_t l = strlen(sets[i]) + 7;
        origins[i] = malloc(l);
        if (!origins[i]) {
            fprintf(err, "smmu-replay: error: out of memory\n");
            return 2;
        }
        snprintf(origins[i], l, "--set %s", sets[i]);
        const char *eq = strchr(sets[i], '=');
        if (!eq || eq == sets[i]) {
            fprintf(err, "%s: error: expected KEY=VALUE (a key of the scenario's smmu: block, "
                         "docs/scenario.md)\n", origins[i]);
            return 2;
        }
    }
    yaml_node_t *root = ydoc_root(d);
    if (!yis_map(root))
        return 0; /* scenario_load reports it */
    yaml_node_t *smmu = ymap_get(d, root, "smmu");
    int smmu_id;
    if (!smmu) {
        int kid = ydoc_add_synth_scalar(d, "smmu", 0);
        smmu_id = yaml_document_add_mapping(&d->doc, NULL, YAML_FLOW_MAPPING_STYLE);
        if (!kid || !smmu_id ||
            !yaml_document_append_mapping_pair(&d->doc, node_id(d, ydoc_root(d)), kid, smmu_id)) {
            fprintf(err, "smmu-replay: error: out of memory\n");
            return 2;
        }
        yaml_node_t *m = yaml_document_get_node(&d->doc, smmu_id);
        m->start_mark.index = YDOC_SYNTH;
        m->start_mark.line = 0;
    } else if (!yis_map(smmu)) {
        return 0; /* parse_smmu reports it */
    } else {
        smmu_id = node_id(d, smmu);
    }
    for (size_t i = 0; i < nsets; i++) {
        const char *eq = strchr(sets[i], '=');
        char key[128];
        size_t kl = (size_t)(eq - sets[i]);
        if (kl >= sizeof key)
            kl = sizeof key - 1;
        memcpy(key, sets[i], kl);
        key[kl] = 0;
        int vid = set_value_node(d, eq + 1, i);
        if (!vid) {
            fprintf(err, "smmu-replay: error: out of memory\n");
            return 2;
        }
        yaml_node_t *m = yaml_document_get_node(&d->doc, smmu_id);
        size_t len = ymap_len(m);
        int replaced = 0;
        for (size_t j = 0; j < len; j++) {
            yaml_node_t *k = yaml_document_get_node(&d->doc, m->data.mapping.pairs.start[j].key);
            if (yis_scalar(k) && !strcmp((const char *)k->data.scalar.value, key)) {
                m->data.mapping.pairs.start[j].value = vid;
                replaced = 1;
            }
        }
        if (replaced)
            continue;
        int kid = ydoc_add_synth_scalar(d, key, i);
        if (!kid || !yaml_document_append_mapping_pair(&d->doc, smmu_id, kid, vid)) {
            fprintf(err, "smmu-replay: error: out of memory\n");
            return 2;
        }
    }
    return 0;
}

int scenario_load(scenario_t *s, const char *path, FILE *err, rmem_t *mem)
{
    return scenario_load_set(s, path, err, mem, NULL, 0);
}

int scenario_load_set(scenario_t *s, const char *path, FILE *err, rmem_t *mem,
                      const char *const *sets, size_t nsets)
{
    memset(s, 0, sizeof(*s));
    jmp_buf jb;
    s->doc.on_error = &jb;
    if (ydoc_load(&s->doc, path, err))
        return 2;
    if (setjmp(jb))
        return 2;
    if (apply_sets(s, sets, nsets, err))
        return 2;
    ydoc_t *d = &s->doc;
    yaml_node_t *root = ydoc_root(d);
    yneed_map(d, root, "scenario");
    static const char *const keys[] = {"name", "description", "smmu", "platform", "memory",
                                       "abort", "steps", "checker", NULL};
    ycheck_keys(d, root, "scenario (top level)", keys);
    checker_parse(d, ymap_get(d, root, "checker"), &s->checker);
    yaml_node_t *v;
    if ((v = ymap_get(d, root, "name")))
        s->name = ystr(d, v, "name");
    if ((v = ymap_get(d, root, "description")))
        (void)ystr(d, v, "description");
    parse_smmu(s, ymap_get(d, root, "smmu"));
    parse_platform(s, ymap_get(d, root, "platform"));
    if ((v = ymap_get(d, root, "memory"))) {
        yneed_seq(d, v, "memory");
        for (size_t i = 0; i < yseq_len(v); i++) {
            uint64_t addr;
            unsigned char *b;
            size_t len;
            yaml_node_t *e = yseq_at(d, v, i);
            if (yis_map(e) && ymap_get(d, e, "pages")) {
                parse_pages(s, e, mem);
                continue;
            }
            parse_blob(s, e, "memory entry", &addr, &b, &len, 0);
            rmem_load(mem, addr, b, len);
            free(b);
        }
    }
    if ((v = ymap_get(d, root, "abort"))) {
        yneed_seq(d, v, "abort");
        static const char *const ak[] = {"base", "size", "access", NULL};
        for (size_t i = 0; i < yseq_len(v); i++) {
            yaml_node_t *a = yseq_at(d, v, i);
            yneed_map(d, a, "abort region");
            ycheck_keys(d, a, "abort region", ak);
            uint64_t base = yu64(d, yrequire(d, a, "base", "abort region"), "base", UINT64_MAX);
            yaml_node_t *szn = yrequire(d, a, "size", "abort region");
            uint64_t size = yu64(d, szn, "size", UINT64_MAX);
            if (!size)
                yerr(d, szn, "size: value 0 out of range (1..2^64-1)");
            if (base + (size - 1) < base)
                yerr(d, szn, "size: base + size wraps past 2^64");
            unsigned access = RMEM_ABORT_READ | RMEM_ABORT_WRITE;
            yaml_node_t *acc = ymap_get(d, a, "access");
            if (acc) {
                const char *t = ystr(d, acc, "access");
                if (!strcmp(t, "read"))
                    access = RMEM_ABORT_READ;
                else if (!strcmp(t, "write"))
                    access = RMEM_ABORT_WRITE;
                else if (strcmp(t, "any"))
                    yerr(d, acc, "access: expected read, write or any, found '%s'", t);
            }
            rmem_add_abort(mem, base, size, access);
        }
    }
    parse_steps(s, yrequire(d, root, "steps", "scenario"), mem);
    return 0;
}

static void free_xexp(xexp_t *x)
{
    for (size_t i = 0; i < x->nany; i++)
        free_xexp(&x->any[i]);
    free(x->any);
}

void scenario_free(scenario_t *s)
{
    for (size_t i = 0; i < s->nsteps; i++) {
        step_t *st = &s->steps[i];
        free(st->cmds);
        free(st->cmd_names);
        free(st->bytes);
        free(st->evs);
        free(st->cexps);
        free(st->iexps);
        free(st->invs);
        free(st->atcs);
        free(st->path);
        if (st->mmio)
            mmio_free(st->mmio);
        free(st->mmio);
        free_xexp(&st->xe);
    }
    free(s->steps);
    for (size_t i = 0; s->msi_sids && i < s->nmsi_bypass; i++)
        free(s->msi_sids[i].sid);
    free(s->msi_sids);
    free(s->msi_bypass);
    free(s->blob);
    s->blob = NULL;
    for (size_t i = 0; i < s->nset_origins; i++)
        free(s->set_origins[i]);
    free(s->set_origins);
    for (size_t i = 0; i < s->ninputs; i++)
        free(s->inputs[i]);
    free(s->inputs);
    checker_spec_free(&s->checker);
    ydoc_free(&s->doc);
    memset(s, 0, sizeof(*s));
}
