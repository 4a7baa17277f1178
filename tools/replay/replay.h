/* SPDX-License-Identifier: Apache-2.0 */
/* smmu-replay: scenario model, parser and runner. */
#ifndef SMMU_TOOLS_REPLAY_H
#define SMMU_TOOLS_REPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "checker_glue.h"
#include "rmem.h"
#include "smmu/smmu.h"
#include "smmu/smmu_timing.h"
#include "ydoc.h"

enum step_kind {
    ST_NOTE,
    ST_WRITE,    /* MMIO write */
    ST_READ,     /* MMIO read, optional expect/mask */
    ST_COMMANDS, /* CMDQ submission */
    ST_MEM,      /* memory write */
    ST_XLATE,    /* one transaction */
    ST_EVENTS,   /* event-queue read */
    ST_REPLAY,   /* binary trace replay */
    ST_MEM_READ, /* scenario-memory read, optional expect/mask */
    ST_COMPLETIONS, /* completions of stalled transactions since the last such step */
    ST_IRQS,     /* MSIs and wired pulses since the last such step */
    ST_SFM,      /* enter Service Failure Mode (smmu_inject_sfm) */
    ST_ATC_INVS, /* atc_invalidations: ATS Invalidate Requests since the last such step */
    ST_ATC,      /* atc: the endpoint ATC contents */
    ST_ENDPOINT, /* endpoint: how a StreamID answers invalidations */
    ST_MMIO,     /* mmio: a recorded register/command/DMA sequence (mmio.h) */
    ST_KIND_COUNT
};

/* Name of a step kind as written in a scenario ("xlate"). */
const char *step_kind_name(int kind);

/* How a transaction ended, as the JSON `class` and `expect: {class:}` spell
 * smmu_response_t.cls (SMMU_CLS_*), plus the tool's own platform_bypass (an
 * msi_bypass region: the SMMU never saw the transaction). NULL-terminated. */
#define REPLAY_CLS_PLATFORM_BYPASS 8
#define REPLAY_NCLS 9
extern const char *const replay_class_names[REPLAY_NCLS + 1];
/* smmu_response_t.cause (SMMU_CAUSE_*); [0] "none" is JSON null. */
#define REPLAY_NCAUSE 17
extern const char *const replay_cause_names[REPLAY_NCAUSE + 1];

/* Event fields (bit numbers in evexp_t.has). */
enum {
    EF_TYPE, EF_SID, EF_SSV, EF_SSID, EF_S2, EF_CLASS, EF_RNW, EF_IND, EF_PNU, EF_NSIPA,
    EF_TTRNW, EF_STALL, EF_STAG, EF_REASON, EF_INPUT_ADDR, EF_IPA, EF_FETCH_ADDR, EF_COUNT
};

typedef struct evexp {
    uint32_t has; /* 1u << EF_* */
    smmu_event_t ev;
    int has_raw;
    uint32_t raw[8];
    const yaml_node_t *node;
} evexp_t;

typedef struct xexp {
    int has_pa;
    uint64_t pa;
    int outcome;  /* smmu_outcome_t or -1 */
    int has_fault;
    evexp_t fault;
    int recorded; /* -1: not checked */
    int platform_bypass; /* -1: not checked; 1: the platform bypassed the SMMU */
    int perms;    /* SMMU_PERM_* expected (outcome ok), -1: not checked */
    int cls;      /* index in replay_class_names, -1: not checked */
    int cause;    /* index in replay_cause_names, -1: not checked */
    int has_done; /* done_cycle expected (timing on) */
    uint64_t done_cycle;
    int64_t stag; /* STAG expected (outcome stalled), -1: not checked */
    int allow_event; /* an outcome without 'fault' may carry an event (completions) */
    /* ats: {status, r, w, x, priv, u, size, addr} of a Translation Request
     * (smmu_response_t.ats_status/perms/ats_flags/page_size/pa); -1: not checked */
    int has_ats;
    int ats_status, ats_r, ats_w, ats_x, ats_priv, ats_u;
    int has_ats_size, has_ats_addr;
    uint64_t ats_size, ats_addr;
    struct xexp *any;
    size_t nany;
    const yaml_node_t *node;
} xexp_t;

/* One expected completion of a stalled transaction (smmu_take_completions). */
typedef struct cexp {
    uint32_t sid;
    uint16_t stag;
    xexp_t x; /* the completion's response */
    const yaml_node_t *node;
} cexp_t;

/* Interrupt sources as the irqs step names them: "eventq", "priq",
 * "cmd_sync", "gerror" (index = smmu_irq_t); NULL-terminated. */
extern const char *const replay_irq_names[5];

/* One expected interrupt (irqs step): an MSI (ops.msi_write) or a wired
 * pulse (ops.raise_irq) of source (smmu_irq_t numbering). */
typedef struct iexp {
    int msi;          /* 1: MSI, 0: wired pulse */
    unsigned source;  /* smmu_irq_t */
    int has_addr, has_data;
    uint64_t addr;
    uint32_t data;
    int sh, memattr;  /* -1: not checked */
    const yaml_node_t *node;
} iexp_t;

typedef struct step {
    int kind;
    const yaml_node_t *node;
    const char *id;       /* the optional 'id:' of the mapping form, else NULL */
    const char *text;     /* note; register name; trace path */
    /* MMIO */
    uint64_t off, value, mask;
    unsigned size;        /* bytes (MMIO access, mem_read) */
    int has_expect;       /* read, mem_read: value/mask hold expect/mask */
    /* commands */
    uint64_t (*cmds)[2];
    const char **cmd_names;
    size_t ncmds;
    int has_sync;
    int cerror;           /* expected CMDQ_CONS.ERR, -1: none expected */
    /* memory */
    uint64_t addr;
    unsigned char *bytes;
    size_t len;
    /* transaction */
    smmu_request_t req;
    int has_cycle;        /* xlate: 'cycle' given (else the previous step's) */
    int has_xexp;
    xexp_t xe;
    /* events */
    evexp_t *evs;
    size_t nevs;
    int overflow;         /* -1: not checked */
    int has_records;      /* evs/nevs are compared (list form or 'records') */
    int peek;             /* do not write EVENTQ_CONS */
    int drain;            /* consume every record, compare none */
    int64_t count;        /* expected number of records only, -1: not checked */
    /* completions */
    cexp_t *cexps;
    size_t ncexps;
    /* irqs */
    iexp_t *iexps;
    size_t niexps;
    /* atc_invalidations (smmu_atc_inv_t) and atc (sid, ssv, ssid, addr,
     * size, pa, perms) expected; endpoint: sid and answer (value) */
    smmu_atc_inv_t *invs;
    size_t ninvs;
    struct atc_exp {
        uint32_t sid, ssid;
        int ssv, perms; /* perms -1: not checked */
        uint64_t addr, size, pa;
        int has_pa, has_size;
        const yaml_node_t *node;
    } *atcs;
    size_t natcs;
    /* mmio (mmio.h) */
    struct mmio_trace *mmio;
    /* replay */
    char *path;
    int64_t exp_ok, exp_abort, exp_razwi, exp_events; /* -1: not checked */
} step_t;

typedef struct scenario {
    ydoc_t doc;
    smmu_config_t cfg;
    /* timing (docs/timing.md): on when the preset has one or a timing key
     * is given (smmu_set_timing after smmu_create) */
    int timed;
    smmu_timing_t timing;
    /* platform: {mem_latency: N}: what the memory callbacks report */
    int has_mem_latency;
    uint32_t mem_latency;
    const char *name;
    /* platform: address ranges whose transactions never reach the SMMU
     * (hardware MSI doorbell windows that bypass translation) */
    rmem_region_t *msi_bypass;
    replay_sid_list_t *msi_sids; /* per region: its sids: (checker_glue.h) */
    size_t nmsi_bypass;
    step_t *steps;
    size_t nsteps, cap;
    unsigned char *blob; /* a memory blob being parsed; freed by scenario_free on an error */
    uint64_t inline_bytes; /* bytes of words/words32/bytes blobs so far, aliases included */
    char **set_origins;    /* "--set KEY=VALUE" of each override (messages) */
    replay_checker_spec_t checker; /* checker: {expect: [...]} (checker_glue.h) */
    size_t nset_origins;
    char **inputs;         /* files read besides the scenario (pages, index, mmio): no output may be one */
    size_t ninputs;
} scenario_t;

/* Parse a scenario. Returns 0, or 2 on bad input (reported to err). */
int scenario_load(scenario_t *s, const char *path, FILE *err, rmem_t *mem);
/* The same with overrides of the `smmu:` block: sets[i] is "KEY=VALUE"
 * (smmu-replay --set), applied after the block, a later one winning; each
 * key and value is validated as in the block, errors about them start with
 * "--set KEY=VALUE: error: " (docs/scenario.md). */
int scenario_load_set(scenario_t *s, const char *path, FILE *err, rmem_t *mem,
                      const char *const *sets, size_t nsets);
void scenario_free(scenario_t *s);

typedef struct run_opts {
    int json;
    int quiet;
    int progress; /* 1: progress lines on stderr */
    FILE *out;
    FILE *err;
    const char *stats_json, *stats_csv;
    const char *samples; /* CSV of counters sampled during trace replays */
    const char *agreement; /* --agreement FILE.csv: one row per mmio DMA (docs/qemu.md) */
    int checker;         /* --checker: driver-checker on (docs/conformance.md) */
} run_opts_t;

/* Run a loaded scenario. Returns the exit status: 0 all expectations hold,
 * 1 one failed, 2 bad input (e.g. an unreadable trace). */
int scenario_run(scenario_t *s, rmem_t *mem, const run_opts_t *o);

/* Index of the platform msi_bypass region holding addr, or -1. */
int scenario_platform_bypass(const scenario_t *s, uint64_t addr);
/* The same for a transaction of StreamID sid (a region's sids: list). */
int scenario_platform_bypass_sid(const scenario_t *s, uint64_t addr, uint32_t sid);

/* Names */
const char *evt_type_name(unsigned type);
int evt_type_by_name(const char *name);
const char *reg_name(uint64_t off);

#endif
