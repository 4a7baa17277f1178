# SPDX-License-Identifier: Apache-2.0
"""build/smmu-example's scenario from Python (smmu.tables): boot, attach StreamID 1 to a
stage-1 context, five DMAs; prints what smmu-example prints, byte for byte."""
import smmu
from smmu import regs, tables

OUTCOME = ["OK", "ABORT", "RAZ/WI", "STALLED"]


def main() -> None:
    mem = smmu.FlatMemory(16 << 20)
    with smmu.Smmu(smmu.Config.default(smmu.Arch.V3_2), mem) as s:
        drv = tables.Driver(s, mem)
        drv.boot()
        print(f"booted: CR0ACK={s.mmio_read(regs.CR0ACK):#x} GERROR={s.mmio_read(regs.GERROR):#x} "
              f"CMDQ_CONS={s.mmio_read(regs.CMDQ_CONS):#x}")
        pt = tables.PageTable(drv.alloc, 12, 48)
        pt.map(0x40000000, 0x800000, tables.S1_PAGE_EL0)
        pt.map(0x40001000, 0x801000, tables.S1_PAGE_EL0 | tables.S1_RO)
        drv.write_cd(0x40000, tables.cd(pt.root, asid=7))
        drv.attach(1, tables.ste_s1(0x40000))

        def dma(what: str, va: int, write: bool) -> None:
            r = s.translate(1, va, 64, write=write)
            line = f"{what:<34} {'write' if write else 'read':<5} VA 0x{va:08x} -> {OUTCOME[r.outcome]:<7}"
            if r.outcome == smmu.Outcome.OK:
                line += f" PA 0x{r.pa:08x}"
            elif r.event:
                line += f" ({smmu.EventType(r.event).name})"
            print(line)
            for ev, words in drv.read_events():
                print(f"  event {ev.name:<16} sid={ev.sid} input=0x{ev.input_addr:x} s2={ev.s2} "
                      f"class={ev.cls} rnw={ev.rnw}  record: " + " ".join(f"{w:08x}" for w in words))

        dma("mapped page", 0x40000010, False)
        dma("mapped page", 0x40000ff0, True)
        dma("read-only page", 0x40001000, False)
        dma("read-only page (permission fault)", 0x40001000, True)
        dma("unmapped page (translation fault)", 0x40002000, False)
        st = s.stats()
        print(f"stats: translations={st.translations} ok={st.translated_ok} aborted={st.aborted} "
              f"events recorded={st.events_recorded} table reads={st.tt_reads}")


if __name__ == "__main__":
    main()
