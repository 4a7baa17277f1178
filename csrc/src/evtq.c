/* STUB: replaced by the event-queue implementation. */
#include "evtq.h"
#include "smmu_internal.h"
int smmu_evtq_record(smmu_t *s, const smmu_event_t *ev) { s->stats.events_raised++; if (s->ops.on_event) s->ops.on_event(s->ctx, ev, 0); return 0; }
void smmu_event_encode(const smmu_event_t *ev, uint32_t rec[8]) { (void)ev; memset(rec, 0, 32); }
void smmu_event_decode(const uint32_t rec[8], smmu_event_t *ev) { (void)rec; memset(ev, 0, sizeof(*ev)); }
const char *smmu_event_name(unsigned type) { (void)type; return "UNKNOWN"; }
