/*
 * Queue geometry shared by the command, event and PRI queues (IHI 0070
 * G.b, 3.5.1, 6.3.26-6.3.35): effective sizes and base addresses. The
 * pointer arithmetic is inline in queue.h.
 */
#include "queue.h"
#include "smmu_internal.h"

static unsigned cap_log2(unsigned log2, unsigned max)
{
    return log2 < max ? log2 : max;
}

unsigned smmu_cmdq_log2size(const smmu_t *s)
{
    return cap_log2((unsigned)SMMU_GET(s->regs.cmdq_base, 4, 0), s->cfg.cmdqs);
}

unsigned smmu_eventq_log2size(const smmu_t *s)
{
    return cap_log2((unsigned)SMMU_GET(s->regs.eventq_base, 4, 0), s->cfg.eventqs);
}

unsigned smmu_priq_log2size(const smmu_t *s)
{
    return cap_log2((unsigned)SMMU_GET(s->regs.priq_base, 4, 0), s->cfg.priqs);
}

uint64_t smmu_queue_base(const smmu_t *s, uint64_t base_reg, unsigned log2size,
                         unsigned entry_bytes)
{
    uint64_t size = (uint64_t)entry_bytes << log2size;
    uint64_t align = size > 32 ? size : 32;
    /* ADDR[OAS-1:5]: bits above the OAS are not stored (6.3.26). */
    return base_reg & SMMU_MASK(s->oas_bits - 1u, 5) & ~(align - 1);
}

smmu_status_t smmu_queue_layout(const smmu_t *s, smmu_queue_id_t q, smmu_queue_layout_t *out)
{
    if (!s || !out)
        return SMMU_ERR_INVAL;
    uint64_t reg;
    switch (q) {
    case SMMU_QUEUE_CMDQ:
        reg = s->regs.cmdq_base;
        out->log2size = smmu_cmdq_log2size(s);
        out->entry_bytes = 16;
        break;
    case SMMU_QUEUE_EVENTQ:
        reg = s->regs.eventq_base;
        out->log2size = smmu_eventq_log2size(s);
        out->entry_bytes = 32;
        break;
    case SMMU_QUEUE_PRIQ:
        reg = s->regs.priq_base;
        out->log2size = smmu_priq_log2size(s);
        out->entry_bytes = 16;
        break;
    default:
        return SMMU_ERR_INVAL;
    }
    out->base = smmu_queue_base(s, reg, out->log2size, out->entry_bytes);
    return SMMU_OK;
}
