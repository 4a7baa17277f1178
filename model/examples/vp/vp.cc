// SPDX-License-Identifier: Apache-2.0
// smmu-vp-example: a small virtual platform around smmu::tlm_smmu
// (docs/systemc.md). Memory, two DMA devices on two upstream sockets with
// different StreamIDs (one LT with a quantum keeper, one AT), and a driver
// thread that boots the SMMU through its register socket (IHI 0070 3.11),
// maps pages, lets the devices run, then takes the EVTQ interrupt for a
// deliberately unmapped access and reads its F_TRANSLATION record (7.3.12).
// Last line: "smmu-vp-example: N transfers checked, M faults as expected,
// 0 mismatches: PASS"; any mismatch is printed and the exit status is 1.
#include "smmu_tlm.h"

#include <tlm_utils/tlm_quantumkeeper.h>

#include <cstdio>
#include <cstring>
#include <vector>

extern "C" {
#include "smmu/smmu_build.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"
}

using namespace sc_core;

namespace {
constexpr uint64_t kMemSize = 8u << 20;
constexpr uint64_t kIova = 0x10000000;   // both devices' buffers (4 pages each)
constexpr uint64_t kPaLt = 0x400000, kPaAt = 0x500000;
constexpr uint32_t kSidLt = 1, kSidAt = 2;
constexpr unsigned kTransfers = 64;      // per device, 64 bytes each
unsigned g_checked = 0, g_faults = 0, g_mismatches = 0;

void mismatch(const char *what, uint64_t a, unsigned got, unsigned want)
{
    std::fprintf(stderr, "smmu-vp-example: MISMATCH %s at 0x%llx: got 0x%x, want 0x%x\n", what,
                 (unsigned long long)a, got, want);
    g_mismatches++;
}
uint8_t pattern(uint32_t sid, uint64_t off) { return uint8_t(sid * 0x40 + off * 13); }

struct Memory : sc_module {
    tlm_utils::simple_target_socket<Memory> sock;
    std::vector<uint8_t> bytes;
    explicit Memory(sc_module_name n) : sc_module(n), sock("sock"), bytes(kMemSize)
    {
        sock.register_b_transport(this, &Memory::b_transport);
        sock.register_get_direct_mem_ptr(this, &Memory::dmi);
        sock.register_transport_dbg(this, &Memory::dbg);
    }
    void b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
    {
        const uint64_t a = t.get_address();
        const unsigned len = t.get_data_length();
        if (a >= kMemSize || len > kMemSize - a) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (t.is_read())
            std::memcpy(t.get_data_ptr(), &bytes[a], len);
        else
            std::memcpy(&bytes[a], t.get_data_ptr(), len);
        delay += sc_time(20, SC_NS);
        t.set_dmi_allowed(true);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool dmi(tlm::tlm_generic_payload &, tlm::tlm_dmi &d)
    {
        d.set_dmi_ptr(bytes.data());
        d.set_start_address(0);
        d.set_end_address(kMemSize - 1);
        d.allow_read_write();
        return true;
    }
    unsigned dbg(tlm::tlm_generic_payload &t)
    {
        const uint64_t a = t.get_address();
        const unsigned len = t.get_data_length();
        if (a >= kMemSize || len > kMemSize - a)
            return 0;
        if (t.is_read())
            std::memcpy(t.get_data_ptr(), &bytes[a], len);
        else
            std::memcpy(&bytes[a], t.get_data_ptr(), len);
        return len;
    }
};

// LT DMA (StreamID 1): writes a pattern, reads it back, with a quantum
// keeper; then one access to an unmapped page, which must abort.
struct DmaLt : sc_module {
    tlm_utils::simple_initiator_socket<DmaLt> sock;
    sc_event start, done;
    bool finished = false;
    SC_HAS_PROCESS(DmaLt);
    explicit DmaLt(sc_module_name n) : sc_module(n), sock("sock") { SC_THREAD(run); }
    tlm::tlm_response_status xfer(tlm::tlm_command cmd, uint64_t a, uint8_t *buf, unsigned len,
                                  tlm_utils::tlm_quantumkeeper &qk)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(a);
        t.set_data_ptr(buf);
        t.set_data_length(len);
        t.set_streaming_width(len);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = qk.get_local_time();
        sock->b_transport(t, d);
        qk.set(d);
        if (qk.need_sync())
            qk.sync();
        return t.get_response_status();
    }
    void run()
    {
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        wait(start);
        uint8_t buf[64];
        for (unsigned i = 0; i < kTransfers; i++) {
            const uint64_t off = 64u * i;
            for (unsigned j = 0; j < 64; j++)
                buf[j] = pattern(kSidLt, off + j);
            if (xfer(tlm::TLM_WRITE_COMMAND, kIova + off, buf, 64, qk) != tlm::TLM_OK_RESPONSE)
                mismatch("LT write response", kIova + off, 0, 1);
            std::memset(buf, 0, 64);
            xfer(tlm::TLM_READ_COMMAND, kIova + off, buf, 64, qk);
            for (unsigned j = 0; j < 64; j++)
                if (buf[j] != pattern(kSidLt, off + j))
                    mismatch("LT read-back", kIova + off + j, buf[j], pattern(kSidLt, off + j));
            g_checked++;
        }
        // The deliberate fault: one page past the mapped buffer.
        if (xfer(tlm::TLM_READ_COMMAND, kIova + 0x10000, buf, 4, qk) !=
            tlm::TLM_ADDRESS_ERROR_RESPONSE)
            mismatch("unmapped access response", kIova + 0x10000, 0, 0);
        qk.sync();
        finished = true;
        done.notify();
    }
};

// AT DMA (StreamID 2): reads the buffer the driver filled, four
// transactions in flight, base-protocol phases.
struct DmaAt : sc_module {
    tlm_utils::simple_initiator_socket<DmaAt> sock;
    sc_event start, done, bw_ev;
    unsigned in_flight = 0, next = 0, finished = 0;
    struct Slot {
        tlm::tlm_generic_payload t;
        uint8_t buf[64];
    } slots[kTransfers];
    SC_HAS_PROCESS(DmaAt);
    explicit DmaAt(sc_module_name n) : sc_module(n), sock("sock")
    {
        sock.register_nb_transport_bw(this, &DmaAt::nb_bw);
        SC_THREAD(run);
    }
    void check(Slot &s)
    {
        const uint64_t off = s.t.get_address() - kIova;
        if (s.t.get_response_status() != tlm::TLM_OK_RESPONSE)
            mismatch("AT response", s.t.get_address(), s.t.get_response_status(), 1);
        for (unsigned j = 0; j < 64; j++)
            if (s.buf[j] != pattern(kSidAt, off + j))
                mismatch("AT read", kIova + off + j, s.buf[j], pattern(kSidAt, off + j));
        g_checked++;
        finished++;
        in_flight--;
        bw_ev.notify();
    }
    tlm::tlm_sync_enum nb_bw(tlm::tlm_generic_payload &t, tlm::tlm_phase &ph, sc_time &)
    {
        if (ph == tlm::BEGIN_RESP)
            check(slots[(t.get_address() - kIova) / 64]);
        else
            bw_ev.notify(); // END_REQ of a withheld request
        return tlm::TLM_COMPLETED;
    }
    void run()
    {
        wait(start);
        while (finished < kTransfers) {
            while (next < kTransfers && in_flight < 4) {
                Slot &s = slots[next];
                s.t.set_command(tlm::TLM_READ_COMMAND);
                s.t.set_address(kIova + 64u * next++);
                s.t.set_data_ptr(s.buf);
                s.t.set_data_length(64);
                s.t.set_streaming_width(64);
                s.t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
                tlm::tlm_phase ph = tlm::BEGIN_REQ;
                sc_time d = sc_time(5, SC_NS);
                in_flight++;
                if (sock->nb_transport_fw(s.t, ph, d) == tlm::TLM_COMPLETED)
                    check(s);
            }
            wait(bw_ev);
        }
        done.notify();
    }
};

struct Platform : sc_module {
    smmu::tlm_smmu smmu;
    Memory mem;
    DmaLt lt;
    DmaAt at;
    tlm_utils::simple_initiator_socket<Platform> cpu; // the driver's path to the registers
    sc_signal<bool> irq_eventq, irq_priq, irq_cmd_sync, irq_gerror;
    smmu_build_t b;
    uint64_t cmdq = 0, evtq = 0;
    SC_HAS_PROCESS(Platform);

    explicit Platform(sc_module_name n)
        : sc_module(n), smmu("smmu", 2, sc_time(1, SC_NS)), mem("mem"), lt("dma_lt"),
          at("dma_at"), cpu("cpu")
    {
        lt.sock.bind(smmu.upstream[0]);
        at.sock.bind(smmu.upstream[1]);
        smmu.downstream.bind(mem.sock);
        cpu.bind(smmu.regs);
        smmu.irq_eventq.bind(irq_eventq);
        smmu.irq_priq.bind(irq_priq);
        smmu.irq_cmd_sync.bind(irq_cmd_sync);
        smmu.irq_gerror.bind(irq_gerror);
        smmu::sideband s;
        s.sid = kSidLt;
        smmu.set_default_sideband(0, s);
        s.sid = kSidAt;
        smmu.set_default_sideband(1, s);
        SC_THREAD(driver);
    }
    uint64_t reg(tlm::tlm_command cmd, uint64_t off, uint64_t v, unsigned size = 4)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(off);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        t.set_data_length(size);
        t.set_streaming_width(size);
        sc_time d = SC_ZERO_TIME;
        cpu->b_transport(t, d);
        if (t.get_response_status() != tlm::TLM_OK_RESPONSE)
            mismatch("register access", off, 0, 0);
        return v;
    }
    void wr(uint64_t off, uint64_t v, unsigned size = 4) { reg(tlm::TLM_WRITE_COMMAND, off, v, size); }
    uint64_t rd(uint64_t off) { return reg(tlm::TLM_READ_COMMAND, off, 0); }
    void cr0(uint32_t v)
    {
        wr(SMMU_CR0, v);
        while (rd(SMMU_CR0ACK) != v) // 6.3.10: wait for the acknowledgement
            wait(sc_time(1, SC_NS));
    }
    void command(const smmu_cmd_t &c)
    {
        uint64_t w[2];
        smmu_cmd_encode(&c, w);
        const uint32_t prod = uint32_t(rd(SMMU_CMDQ_PROD)) & 0x1FF;
        std::memcpy(&mem.bytes[cmdq + 16u * (prod & 0xFF)], w, 16);
        wr(SMMU_CMDQ_PROD, (prod + 1) & 0x1FF);
    }
    void check(bool ok, const char *what)
    {
        if (!ok) {
            std::fprintf(stderr, "smmu-vp-example: %s failed: %s\n", what, b.err);
            g_mismatches++;
        }
    }
    // Stage-1 stream: 4 pages at kIova -> pa, ASID = sid.
    void map_stream(const smmu_build_strtab_t &st, uint32_t sid, uint64_t pa)
    {
        smmu_build_pt_t pt;
        smmu_build_cdtab_t ct;
        smmu_build_attr_t attr = {};
        attr.ng = 1;
        check(!smmu_build_pt_init(&b, &pt, 1, 4096, 48, 48, -1) &&
                  !smmu_build_map(&b, &pt, kIova, pa, 0x4000,
                                  SMMU_BUILD_R | SMMU_BUILD_W | SMMU_BUILD_USER, &attr, nullptr) &&
                  !smmu_build_cdtab_init(&b, &ct, 0, 0),
              "tables");
        smmu_build_cd_t cd = {};
        cd.ttb0 = smmu_build_pt_ttb(&pt);
        cd.t0sz = smmu_build_pt_tsz(&pt);
        cd.epd1 = 1;
        cd.ips = 5;
        cd.asid = uint16_t(sid);
        cd.aa64 = cd.a = cd.r = 1;
        cd.mair = 0xFF;
        smmu_build_ste_t ste = {};
        ste.config = SMMU_STE_S1;
        ste.s1_context_ptr = ct.base;
        check(!smmu_build_cd_write(&b, &ct, 0, &cd) && !smmu_build_ste_write(&b, &st, sid, &ste),
              "STE/CD");
        smmu_cmd_t c = {};
        c.opcode = SMMU_CMD_CFGI_STE;
        c.sid = sid;
        command(c);
    }
    void driver()
    {
        // Tables and queues in [1 MB, 4 MB) of memory, built in place.
        smmu_build_strtab_t st;
        check(!smmu_build_init_host(&b, mem.bytes.data(), 0, kMemSize, 0x100000, 0x300000) &&
                  !smmu_build_strtab_init(&b, &st, 4, 0) &&
                  !smmu_build_alloc(&b, 16u << 8, 16u << 8, &cmdq) &&
                  !smmu_build_alloc(&b, 32u << 5, 32u << 5, &evtq),
              "allocation");
        // 3.11: tables and queues, interrupts, CR1/CR2, queues on,
        // invalidate everything, then SMMUEN.
        cr0(0);
        wr(SMMU_STRTAB_BASE, smmu_build_strtab_base_reg(&st), 8);
        wr(SMMU_STRTAB_BASE_CFG, smmu_build_strtab_cfg_reg(&st));
        wr(SMMU_CMDQ_BASE, SMMU_BIT(62) | cmdq | 8, 8);
        wr(SMMU_CMDQ_PROD, 0);
        wr(SMMU_CMDQ_CONS, 0);
        wr(SMMU_EVENTQ_BASE, SMMU_BIT(62) | evtq | 5, 8);
        wr(SMMU_EVENTQ_PROD, 0);
        wr(SMMU_EVENTQ_CONS, 0);
        wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_GERROR_IRQEN);
        wr(SMMU_CR1, 0);
        wr(SMMU_CR2, SMMU_CR2_RECINVSID);
        cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
        smmu_cmd_t c = {};
        c.opcode = SMMU_CMD_CFGI_STE_RANGE;
        c.range = 31; // CFGI_ALL
        command(c);
        c = {};
        c.opcode = SMMU_CMD_TLBI_NSNH_ALL;
        command(c);
        map_stream(st, kSidLt, kPaLt);
        map_stream(st, kSidAt, kPaAt);
        c = {};
        c.opcode = SMMU_CMD_SYNC;
        command(c);
        if ((rd(SMMU_CMDQ_CONS) >> SMMU_CMDQ_CONS_ERR_SHIFT) & 0x7F)
            mismatch("command error", SMMU_CMDQ_CONS, unsigned(rd(SMMU_CMDQ_CONS)), 0);
        cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
        // The AT device reads what "software" put in its buffer.
        for (uint64_t off = 0; off < 64u * kTransfers; off++)
            mem.bytes[kPaAt + off] = pattern(kSidAt, off);
        lt.start.notify();
        at.start.notify();
        // EVTQ interrupt for the LT device's unmapped access.
        wait(irq_eventq.posedge_event());
        const uint32_t prod = uint32_t(rd(SMMU_EVENTQ_PROD)), cons = uint32_t(rd(SMMU_EVENTQ_CONS));
        for (uint32_t i = cons; i != prod; i = (i + 1) & 0x3F) {
            uint32_t w[8];
            smmu_event_t e;
            std::memcpy(w, &mem.bytes[evtq + 32u * (i & 0x1F)], 32);
            smmu_event_decode(w, &e);
            if (e.type == SMMU_EVT_F_TRANSLATION && e.sid == kSidLt &&
                e.input_addr == kIova + 0x10000 && e.rnw == 1)
                g_faults++;
            else
                mismatch("event record type", evtq, e.type, SMMU_EVT_F_TRANSLATION);
        }
        wr(SMMU_EVENTQ_CONS, prod);
        if (!lt.finished)
            wait(lt.done);
        if (at.finished < kTransfers)
            wait(at.done);
        // Device buffers in memory: the LT device's writes at its PAs.
        for (uint64_t off = 0; off < 64u * kTransfers; off++)
            if (mem.bytes[kPaLt + off] != pattern(kSidLt, off))
                mismatch("LT data in memory", kPaLt + off, mem.bytes[kPaLt + off],
                         pattern(kSidLt, off));
        sc_stop();
    }
};
} // namespace

int sc_main(int, char *[])
{
    tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(100, SC_NS));
    sc_report_handler::set_actions("/OSCI/SystemC", SC_INFO, SC_DO_NOTHING); // "stopped by user"
    Platform vp("vp");
    sc_start(sc_time(1, SC_MS));
    const bool pass = g_mismatches == 0 && g_checked >= 100 && g_faults >= 1;
    std::printf("smmu-vp-example: %u transfers checked, %u faults as expected, %u mismatches: %s\n",
                g_checked, g_faults, g_mismatches, pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
}
