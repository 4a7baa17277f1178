/* Instance lifecycle, configuration defaults and checks, MMIO dispatch,
 * statistics. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regs.h"
#include "smmu_internal.h"

void smmu_config_default(smmu_config_t *c, smmu_arch_t arch)
{
    memset(c, 0, sizeof(*c));
    c->arch_minor = (uint8_t)arch;
    c->s1p = 1;
    c->s2p = 1;
    c->cohacc = 1;
    c->httu = 0;
    c->hyp = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->asid16 = 1;
    c->vmid16 = 1;
    c->msi = 1;
    c->sev = 1;
    c->cd2l = 1;
    c->ttendian = 0; /* mixed */
    c->stall_model = 1; /* terminate only, until the stall model lands */
    c->term_model = 0;
    c->st_level = 1;
    c->cmdqs = 19;
    c->eventqs = 19;
    c->priqs = 19;
    c->ssidsize = 20;
    c->sidsize = 16;
    c->had = 1;
    c->xnx = arch >= SMMU_ARCH_V3_1 ? 1 : 0;
    c->ril = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->fwb = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->e0pd = arch >= SMMU_ARCH_V3_3 ? 1 : 0;   /* mandatory from v3.3 (6.3.4) */
    c->ptwnnc = arch >= SMMU_ARCH_V3_3 ? 1 : 0; /* mandatory with S2P from v3.3 */
    c->bbml = arch >= SMMU_ARCH_V3_2 ? 1 : 0;
    c->oas = 5; /* 48 bits */
    c->gran4k = 1;
    c->gran16k = 1;
    c->gran64k = 1;
    c->vax = 0;
    c->iidr_implementer = 0x43B; /* Arm's JEP106 code; the model is a reference */
    c->iidr_productid = 0x5A;
    c->cfg_cache_entries = 1024;
    c->tlb_sets = 256;
    c->tlb_ways = 4;
    c->tlb_repl = 0;
    c->utlb_entries = 256;
    c->walk_cache_sets = 64;
    c->walk_cache_ways = 4;
}

static smmu_status_t reject(char *msg, size_t len, const char *fmt, ...)
{
    if (msg && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, len, fmt, ap);
        va_end(ap);
    }
    return SMMU_ERR_CONFIG;
}

smmu_status_t smmu_config_check(const smmu_config_t *c, char *msg, size_t len)
{
    if (!c)
        return reject(msg, len, "configuration is NULL");
    if (msg && len)
        msg[0] = 0;
    unsigned v = c->arch_minor;
    if (v > SMMU_ARCH_V3_3)
        return reject(msg, len, "arch_minor %u: only SMMUv3.0-v3.3 (0-3) are modelled", v);
    if (!c->s1p && !c->s2p)
        return reject(msg, len, "neither stage 1 (s1p) nor stage 2 (s2p) is implemented");
#define BOOLF(f)                                                                             \
    if (c->f > 1)                                                                            \
        return reject(msg, len, #f " = %u: must be 0 or 1", (unsigned)c->f);
    BOOLF(s1p) BOOLF(s2p) BOOLF(cohacc) BOOLF(btm) BOOLF(dormhint) BOOLF(hyp) BOOLF(ats)
    BOOLF(ns1ats) BOOLF(asid16) BOOLF(msi) BOOLF(sev) BOOLF(atos) BOOLF(pri) BOOLF(vmw)
    BOOLF(vmid16) BOOLF(cd2l) BOOLF(vatos) BOOLF(atsrecerr) BOOLF(term_model)
    BOOLF(attr_types_ovr) BOOLF(attr_perms_ovr) BOOLF(rel) BOOLF(had) BOOLF(pbha) BOOLF(xnx)
    BOOLF(pps) BOOLF(mpam) BOOLF(fwb) BOOLF(stt) BOOLF(ril) BOOLF(e0pd) BOOLF(ptwnnc)
    BOOLF(gran4k) BOOLF(gran16k) BOOLF(gran64k) BOOLF(secure_req_abort)
#undef BOOLF
    if (c->httu > 3)
        return reject(msg, len, "httu = %u: must be 0-3", c->httu);
    if (c->httu == 3)
        return reject(msg, len, "httu = 3 (HAFT) is an SMMUv3.4 feature (2.8), not modelled");
    if (c->ttendian == 1 || c->ttendian > 3)
        return reject(msg, len, "ttendian = %u: 0 (mixed), 2 (little) or 3 (big)", c->ttendian);
    if (c->stall_model > 2)
        return reject(msg, len, "stall_model = %u: must be 0-2", c->stall_model);
    if (c->stall_model != 1)
        return reject(msg, len,
                      "stall_model = %u: stalling is not modelled yet; use 1 (terminate)",
                      c->stall_model);
    if (c->st_level > 1)
        return reject(msg, len, "st_level = %u: must be 0 or 1", c->st_level);
    if (c->sidsize > 32)
        return reject(msg, len, "sidsize = %u: at most 32", c->sidsize);
    if (c->ssidsize > 20)
        return reject(msg, len, "ssidsize = %u: at most 20", c->ssidsize);
    if (c->cmdqs > 19 || c->eventqs > 19 || c->priqs > 19)
        return reject(msg, len, "cmdqs/eventqs/priqs: at most 19");
    if (c->bbml > 2)
        return reject(msg, len, "bbml = %u: must be 0-2", c->bbml);
    if (c->oas > 6)
        return reject(msg, len, "oas = %u: encodings 0-6 (32-52 bits)", c->oas);
    if (c->oas == 6 && v < SMMU_ARCH_V3_1)
        return reject(msg, len, "oas = 6 (52 bits) needs SMMUv3.1 or later");
    if (c->vax > 1)
        return reject(msg, len, "vax = %u: must be 0 or 1", c->vax);
    if (c->vax && v < SMMU_ARCH_V3_1)
        return reject(msg, len, "vax = 1 (52-bit VA) needs SMMUv3.1 or later");
    if (!c->gran4k && !c->gran16k && !c->gran64k)
        return reject(msg, len, "no translation granule (gran4k/gran16k/gran64k) is supported");
    if (c->httu && !c->s1p && !c->s2p)
        return reject(msg, len, "httu without a translation stage");
    /* ID-register rules that depend on the architecture revision (6.3). */
    if (v == SMMU_ARCH_V3_0 && (c->xnx || c->pbha))
        return reject(msg, len, "xnx/pbha are RES0 in SMMUv3.0");
    if (v >= SMMU_ARCH_V3_1 && c->s2p && !c->xnx)
        return reject(msg, len,
                      "xnx = 0 with stage 2: IDR3.XNX is mandatory with S2P from SMMUv3.1");
    if (v >= SMMU_ARCH_V3_1 && c->s1p && !c->had)
        return reject(msg, len, "had = 0 with stage 1: IDR3.HAD is mandatory from SMMUv3.1");
    if (!c->s1p && c->had)
        return reject(msg, len, "had = 1 needs stage 1 (IDR3: HAD == 0 when S1P == 0)");
    if (c->pbha && !c->had)
        return reject(msg, len, "pbha = 1 needs had = 1 (6.3.4)");
    if (v >= SMMU_ARCH_V3_2 && !c->ril)
        return reject(msg, len, "ril = 0: range invalidation is mandatory from SMMUv3.2");
    if (v >= SMMU_ARCH_V3_2 && c->bbml == 0)
        return reject(msg, len, "bbml = 0: BBML 1 or 2 is mandatory from SMMUv3.2");
    if (v < SMMU_ARCH_V3_2 && c->bbml)
        return reject(msg, len, "bbml needs SMMUv3.2 or later");
    /* 6.3.4 "FWB is 1 in an implementation of SMMUv3.2 or later"; without
     * stage 2 the field has no effect, so either value is accepted then. */
    if (v >= SMMU_ARCH_V3_2 && c->s2p && !c->fwb)
        return reject(msg, len, "fwb = 0 with stage 2: IDR3.FWB is 1 from SMMUv3.2 (6.3.4)");
    if (v < SMMU_ARCH_V3_2 && c->fwb)
        return reject(msg, len, "fwb = 1 needs SMMUv3.2 or later (6.3.4)");
    if (c->hyp && !c->s2p)
        return reject(msg, len, "hyp = 1 needs stage 2 (6.3.1: RES0 when S2P == 0)");
    if (c->vmw && !c->s2p)
        return reject(msg, len, "vmw = 1 needs stage 2 (6.3.1: RES0 when S2P == 0)");
    if (c->atsrecerr && (!c->ats || v < SMMU_ARCH_V3_3))
        return reject(msg, len, "atsrecerr = 1 needs ats = 1 and SMMUv3.3 (6.3.1, 2.5)");
    if (c->rel)
        return reject(msg, len,
                      "rel = 1: IDR1.REL is RES0 unless TABLES_PRESET or QUEUES_PRESET "
                      "(not modelled) (6.3.2)");
    if (c->sidsize >= 7 && c->st_level == 0)
        return reject(msg, len, "st_level = 0 with sidsize = %u: 2-level stream tables are "
                                "required when SIDSIZE >= 7 (6.3.2)", c->sidsize);
    if (c->pps && (!c->pri || !c->ssidsize))
        return reject(msg, len, "pps = 1 needs pri = 1 and ssidsize != 0 (6.3.4)");
    if (c->ptwnnc && !c->s2p)
        return reject(msg, len, "ptwnnc = 1 needs stage 2 (6.3.4)");
    if (v >= SMMU_ARCH_V3_3 && c->s2p && !c->ptwnnc)
        return reject(msg, len, "ptwnnc = 0 with stage 2: mandatory from SMMUv3.3 (6.3.4)");
    if (v >= SMMU_ARCH_V3_3 && !c->e0pd)
        return reject(msg, len, "e0pd = 0: IDR3.E0PD is 1 from SMMUv3.3 (6.3.4)");
    if (c->e0pd && v < SMMU_ARCH_V3_2)
        return reject(msg, len, "e0pd = 1 needs SMMUv3.2 or later");
    if (c->vax && !c->gran64k)
        return reject(msg, len, "vax = 1 needs gran64k = 1 (no DS in this model) (6.3.6)");
    if (c->oas == 6 && !c->gran64k)
        return reject(msg, len, "oas = 6 (52 bits) needs gran64k = 1 (no DS/D128) (6.3.6)");
    if (v >= SMMU_ARCH_V3_2 && c->s1p && c->s2p && !c->hyp)
        return reject(msg, len, "hyp = 0 with both stages: IDR0.Hyp is mandatory from SMMUv3.2");
    if (c->hyp && !c->s1p)
        return reject(msg, len, "hyp = 1 needs stage 1");
    if (c->asid16 && !c->s1p)
        return reject(msg, len, "asid16 = 1 needs stage 1");
    if (c->vmid16 && !c->s2p)
        return reject(msg, len, "vmid16 = 1 needs stage 2");
    if (c->cd2l && !c->s1p)
        return reject(msg, len, "cd2l = 1 needs stage 1");
    if (c->ssidsize && !c->s1p)
        return reject(msg, len, "ssidsize != 0 needs stage 1");
    if (c->tlb_sets & (c->tlb_sets - 1))
        return reject(msg, len, "tlb_sets = %u: must be a power of two (or 0 for no TLB)",
                      c->tlb_sets);
    if ((uint64_t)c->tlb_sets * c->tlb_ways > (1u << 24))
        return reject(msg, len, "tlb_sets x tlb_ways: at most 16M entries");
    if (c->tlb_repl > 1)
        return reject(msg, len, "tlb_repl = %u: 0 (round robin) or 1 (pseudo-random)",
                      c->tlb_repl);
    if (c->walk_cache_sets & (c->walk_cache_sets - 1))
        return reject(msg, len,
                      "walk_cache_sets = %u: must be a power of two (or 0 for no walk cache)",
                      c->walk_cache_sets);
    if ((uint64_t)c->walk_cache_sets * c->walk_cache_ways > (1u << 24))
        return reject(msg, len, "walk_cache_sets x walk_cache_ways: at most 16M entries");
    if (c->utlb_entries & (c->utlb_entries - 1))
        return reject(msg, len, "utlb_entries = %u: must be a power of two (or 0 for none)",
                      c->utlb_entries);
    if (c->utlb_entries > (1u << 20))
        return reject(msg, len, "utlb_entries: at most 1M");
    if (c->cfg_cache_entries > (1u << 24))
        return reject(msg, len, "cfg_cache_entries: at most 16M");
    if (c->pri && !c->ats)
        return reject(msg, len, "pri = 1 needs ats = 1");
    if (c->ats || c->pri || c->atos || c->vatos || c->mpam || c->stt || c->ns1ats)
        return reject(msg, len,
                      "ats/pri/atos/vatos/mpam/stt/ns1ats are not modelled yet; set them to 0");
    return SMMU_OK;
}

smmu_t *smmu_create(const smmu_config_t *cfg, const smmu_mem_ops_t *ops, void *ctx, char *msg,
                    size_t msg_len)
{
    smmu_mem_ops_t o;
    memset(&o, 0, sizeof(o));
    if (ops) {
        /* ABI (smmu.h): size 0 is this release's layout; a shorter table
         * leaves the later callbacks NULL, a longer one is cut. */
        size_t n = ops->size ? ops->size : sizeof(o);
        memcpy(&o, ops, n < sizeof(o) ? n : sizeof(o));
    }
    if (!o.read || !o.write) {
        reject(msg, msg_len, "memory callbacks read and write are required");
        return NULL;
    }
    if (smmu_config_check(cfg, msg, msg_len) != SMMU_OK)
        return NULL;
    smmu_t *s = calloc(1, sizeof(*s));
    if (!s) {
        reject(msg, msg_len, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    s->ops = o;
    s->ctx = ctx;
    s->oas_bits = (uint8_t)smmu_pa_bits(cfg->oas);
    s->ias_bits = s->oas_bits; /* 3.4: AArch64-only tables, IAS = OAS */
    if (cfg->utlb_entries) {
        s->utlb.e = calloc(cfg->utlb_entries, sizeof(*s->utlb.e));
        s->utlb.mask = cfg->utlb_entries - 1;
    }
    if (smmu_cfgcache_init(&s->cfgc, cfg->cfg_cache_entries) ||
        smmu_tlb_init(&s->tlb, cfg->tlb_sets, cfg->tlb_ways, cfg->tlb_repl) ||
        smmu_tlb_init(&s->wc, cfg->walk_cache_sets, cfg->walk_cache_ways, cfg->tlb_repl) ||
        (cfg->utlb_entries && !s->utlb.e)) {
        smmu_cfgcache_free(&s->cfgc);
        smmu_tlb_free(&s->tlb);
        smmu_tlb_free(&s->wc);
        free(s->utlb.e);
        free(s);
        reject(msg, msg_len, "out of memory");
        return NULL;
    }
    s->tlb.walk = &s->wc; /* TLB invalidations with Leaf = 0 reach the walk cache */
    smmu_reset(s);
    return s;
}

void smmu_destroy(smmu_t *s)
{
    if (!s)
        return;
    smmu_cfgcache_free(&s->cfgc);
    smmu_tlb_free(&s->tlb);
    smmu_tlb_free(&s->wc);
    free(s->utlb.e);
    free(s);
}

void smmu_reset(smmu_t *s)
{
    if (!s)
        return;
    smmu_regs_reset(s);
    smmu_cfgcache_inval_all(&s->cfgc);
    smmu_tlb_invalidate_all(&s->tlb);
    if (s->utlb.e)
        memset(s->utlb.e, 0, (size_t)(s->utlb.mask + 1) * sizeof(*s->utlb.e));
    smmu_utlb_flush(&s->utlb);
    memset(&s->stats, 0, sizeof(s->stats));
}

smmu_status_t smmu_set_direct_memory(smmu_t *s, uint64_t pa, const void *host, uint64_t size)
{
    if (!s || (size && !host) || (size && pa + size - 1 < pa))
        return SMMU_ERR_INVAL;
    s->dm_host = size ? host : NULL;
    s->dm_base = size ? pa : 0;
    s->dm_size = size;
    return SMMU_OK;
}

const smmu_config_t *smmu_get_config(const smmu_t *s)
{
    return s ? &s->cfg : NULL;
}

smmu_status_t smmu_mmio_read(smmu_t *s, uint64_t off, unsigned size, uint64_t *val)
{
    if (!s || !val || (size != 4 && size != 8) || (off & (size - 1)))
        return SMMU_ERR_INVAL;
    return smmu_regs_read(s, off, size, val);
}

smmu_status_t smmu_mmio_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size)
{
    if (!s || (size != 4 && size != 8) || (off & (size - 1)))
        return SMMU_ERR_INVAL;
    /* Any write but a queue pointer may change how translations resolve
     * (CR0, CR2, GBPA, STRTAB_BASE, ...): forget the micro-TLB. */
    if (off != SMMU_CMDQ_PROD && off != SMMU_EVENTQ_CONS && off != SMMU_PRIQ_CONS)
        smmu_utlb_flush(&s->utlb);
    return smmu_regs_write(s, off, val, size);
}

void smmu_get_stats(const smmu_t *s, smmu_stats_t *out)
{
    if (s && out)
        *out = s->stats;
}

void smmu_clear_stats(smmu_t *s)
{
    if (s)
        memset(&s->stats, 0, sizeof(s->stats));
}
