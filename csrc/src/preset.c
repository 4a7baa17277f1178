/* SPDX-License-Identifier: Apache-2.0 */
/* Presets compiled into the library (the core has no YAML): a
 * configuration and a timing per name. docs/timing.md gives every number
 * with its source (document and section, gem5 file, or "assumption");
 * keep the two in step. */
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_timing.h"

typedef struct preset {
    const char *name, *desc;
    void (*fill)(smmu_config_t *cfg, smmu_timing_t *t);
} preset_t;

static void all_mem(smmu_timing_t *t, uint32_t lat)
{
    for (unsigned k = 0; k < SMMU_TIMING_ACC_KINDS; k++)
        t->mem_latency[k] = lat;
    t->dm_latency = lat;
}

static void v30(smmu_config_t *c, smmu_timing_t *t) { (void)t; smmu_config_default(c, SMMU_ARCH_V3_0); }
static void v31(smmu_config_t *c, smmu_timing_t *t) { (void)t; smmu_config_default(c, SMMU_ARCH_V3_1); }
static void v32(smmu_config_t *c, smmu_timing_t *t) { (void)t; smmu_config_default(c, SMMU_ARCH_V3_2); }
static void v33(smmu_config_t *c, smmu_timing_t *t) { (void)t; smmu_config_default(c, SMMU_ARCH_V3_3); }

/* functional: the default SMMUv3.2 structures; every lookup 1 cycle, no
 * link, memory 100, no slot or walker limit (contention only at the
 * one-lookup-per-cycle TBU port), commands free. */
static void functional(smmu_config_t *c, smmu_timing_t *t)
{
    smmu_config_default(c, SMMU_ARCH_V3_2);
    t->num_tbus = SMMU_TIMING_MAX_TBUS;
    t->utlb_latency = 1;
    t->tlb_latency = 1;
    t->cfg_cache_latency = 1;
    t->walk_cache_latency = 1;
    all_mem(t, 100);
}

/* mmu600: Arm CoreLink MMU-600(AE) (TRM 101412), sizes from Intel Agilex 5
 * HPS (TRM 814346); see docs/timing.md for which numbers are assumptions. */
static void mmu600(smmu_config_t *c, smmu_timing_t *t)
{
    smmu_config_default(c, SMMU_ARCH_V3_1);
    c->utlb_entries = 32;      /* assumption (size unpublished) */
    c->tlb_sets = 512;         /* 2048 entries: assumption */
    c->tlb_ways = 4;           /* 4-way (101412) */
    c->tlb_repl = 1;           /* random (101412) */
    c->cfg_cache_entries = 256; /* 256 entries (814346) */
    c->walk_cache_sets = 512;  /* 8 walk caches x 256 entries, 4-way (814346) */
    c->walk_cache_ways = 4;
    t->num_tbus = 14;          /* 814346 */
    t->utlb_latency = 1;       /* assumption */
    t->tlb_latency = 2;        /* assumption (MMU-500 2-clock TBU hit, DDI 0517) */
    t->link_latency = 4;       /* assumption */
    t->cfg_cache_latency = 2;  /* assumption */
    t->walk_cache_latency = 2; /* assumption */
    t->tbu_slots = 16;         /* assumption */
    t->tcu_slots = 64;         /* 64 TCU translation slots (814346) */
    t->ptw_slots = 8;          /* assumption */
    t->max_reads = 8 + 2;      /* PTW_SLOTS + 2 outstanding reads (101412) */
    t->cmd_cost = 4;           /* assumption */
    all_mem(t, 100);           /* assumption */
}

/* gem5 v24.0 src/dev/arm/SMMUv3.py (and smmu_v3*.cc). */
static void gem5(smmu_config_t *c, smmu_timing_t *t)
{
    static const uint32_t idr[6] = {0x094C100B, 0x00E00000, 0, 0, 0, 0x55};
    if (smmu_config_from_idr(idr, 0, 0, c, NULL, 0) != SMMU_OK)
        smmu_config_default(c, SMMU_ARCH_V3_0); /* not reached: checked by a test */
    c->utlb_entries = 32;      /* tlb_entries 32 (fully associative in gem5) */
    c->tlb_sets = 512;         /* tlb_entries 2048, tlb_assoc 4 */
    c->tlb_ways = 4;
    c->tlb_repl = 0;           /* round robin (tlb_policy) */
    c->cfg_cache_entries = 64; /* cfg_entries 64 (cfg_assoc 4) */
    c->walk_cache_sets = 128;  /* 4+28+348+4+4+28+92+4 = 512 entries, 4-way */
    c->walk_cache_ways = 4;
    t->num_tbus = SMMU_TIMING_MAX_TBUS; /* one per device interface: any */
    t->utlb_latency = 1;       /* tlb_lat 1 */
    t->tlb_latency = 3;        /* tlb_lat (main) 3 */
    t->link_latency = 8;       /* ifc_smmu_lat / smmu_ifc_lat 8 */
    t->cfg_cache_latency = 3;  /* cfg_lat 3 */
    t->walk_cache_latency = 4; /* walk_lat 4 */
    t->tbu_slots = 16;         /* xlate_slots per interface 16 (dev_port) */
    t->tcu_slots = 64;         /* xlate_slots 64 */
    t->ptw_slots = 16;         /* ptw_slots 16 */
    t->cmd_cost = 0;           /* commands cost 0 in gem5 */
    all_mem(t, 100);           /* assumption: the platform's memory */
}

static const preset_t presets[] = {
    {"default-v3.0", "SMMUv3.0 defaults (smmu_config_default), timing off", v30},
    {"default-v3.1", "SMMUv3.1 defaults (smmu_config_default), timing off", v31},
    {"default-v3.2", "SMMUv3.2 defaults (smmu_config_default), timing off", v32},
    {"default-v3.3", "SMMUv3.3 defaults (smmu_config_default), timing off", v33},
    {"functional", "SMMUv3.2 defaults, 1-cycle lookups, memory 100, no slot or walker limit",
     functional},
    {"mmu600", "Arm CoreLink MMU-600 (SMMUv3.1): 14 TBUs, 64 TCU slots, 8 walkers (assumption)",
     mmu600},
    {"gem5", "gem5 v24.0 SMMUv3: its IDRs, caches and latencies, 16 walkers, free commands",
     gem5},
};
#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

unsigned smmu_preset_count(void)
{
    return (unsigned)NPRESETS;
}

const char *smmu_preset_name(unsigned i)
{
    return i < NPRESETS ? presets[i].name : NULL;
}

const char *smmu_preset_description(unsigned i)
{
    return i < NPRESETS ? presets[i].desc : NULL;
}

smmu_status_t smmu_preset_get(const char *name, smmu_config_t *cfg, smmu_timing_t *t)
{
    if (!name)
        return SMMU_ERR_INVAL;
    for (unsigned i = 0; i < NPRESETS; i++) {
        if (strcmp(name, presets[i].name))
            continue;
        smmu_config_t c;
        smmu_timing_t tm;
        memset(&c, 0, sizeof c);
        memset(&tm, 0, sizeof tm);
        presets[i].fill(&c, &tm);
        if (cfg)
            *cfg = c;
        if (t)
            *t = tm;
        return SMMU_OK;
    }
    return SMMU_ERR_INVAL;
}
