/* Event queue producer (7.2-7.4) and event record encoding (7.3). */
#ifndef SMMU_EVTQ_H
#define SMMU_EVTQ_H

#include "smmu/smmu.h"

/* Produce one event: count it, tell the on_event observer, and write the
 * record if the queue is writable (7.2: EVENTQEN acknowledged and no
 * EVENTQ_ABT_ERR active) and not full (7.4: if full, drop and toggle
 * EVENTQ_PROD.OVFLG unless an overflow is already pending). A write abort
 * raises GERROR.EVENTQ_ABT_ERR. Raises the EVENTQ interrupt when enabled.
 * Returns SMMU_CAUSE_NONE if the record reached the queue, else why it was
 * dropped: SMMU_CAUSE_QUEUE_DISABLED (7.2.1), QUEUE_ABT_ERR or WRITE_ABORT
 * (7.2.2), QUEUE_FULL (7.4). */
uint8_t smmu_evtq_record(smmu_t *s, const smmu_event_t *ev);

/* An event raised but not recorded (CD.R == 0, STE.S2R == 0, CR2.RECINVSID
 * == 0; 5.5, 7.3.3): only the on_event observer hears of it. Not counted in
 * events_raised, which counts the events offered to the queue. */
void smmu_evtq_suppressed(smmu_t *s, const smmu_event_t *ev);

/* Zero every field of ev its record type does not define (7.3), as the
 * record in the queue holds it; C_BAD_STE/C_BAD_CD keep the model's reason
 * code (on_event only). */
void smmu_event_restrict(smmu_event_t *ev);

#endif
