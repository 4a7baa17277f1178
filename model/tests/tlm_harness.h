/* SPDX-License-Identifier: Apache-2.0 */
// Test platform for smmu::tlm_smmu (model/tests, docs/systemc.md): a memory
// target with DMI and an access log, device initiators that record DMI
// invalidations and AT phases, a register-socket driver that boots the SMMU
// through the register socket in the order of 3.11, and tables built with
// smmu_build.h in the memory's host array.
//
// SystemC elaborates once per process: every test builds its own Platform
// and calls run() once. ctest runs each test in its own process
// (gtest_discover_tests); running the binary without a filter runs only
// the first test meaningfully, so sc_main refuses that (main.cc).
#pragma once

#include "smmu_tlm.h"

#include <gtest/gtest.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include <array>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <vector>

extern "C" {
#include "smmu/smmu_build.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"
}

namespace tlmtest {

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

constexpr uint64_t kMemSize = 16u << 20; // PA [0, 16 MB)
const sc_time kClock(10, SC_NS);         // SMMU clock period
const sc_time kMemLatency(7, SC_NS);     // memory b_transport latency

struct Access {
    tlm::tlm_command cmd;
    uint64_t addr;
    unsigned len;
    sc_time when;
};

// Memory: b_transport (latency kMemLatency, optional wait()), DMI over
// [dmi_lo, dmi_hi], transport_dbg, error ranges answering err_status.
struct Memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<Memory> sock;
    std::vector<uint8_t> bytes;
    std::vector<Access> log;
    bool logging = false;
    bool dmi = true, use_wait = false;
    uint64_t dmi_lo = 0, dmi_hi = kMemSize - 1;
    sc_time dmi_read_latency{3, SC_NS}, dmi_write_latency{4, SC_NS};
    std::vector<std::pair<uint64_t, uint64_t>> errors;
    tlm::tlm_response_status err_status = tlm::TLM_GENERIC_ERROR_RESPONSE;
    unsigned bt_calls = 0, dbg_calls = 0;
    // Writes that carried an smmu::msi_attr extension (MSIs, 3.18).
    struct Msi {
        uint64_t addr;
        uint32_t data;
        unsigned len;
        smmu::msi_attr attr;
    };
    std::vector<Msi> msis;

    explicit Memory(sc_core::sc_module_name n) : sc_module(n), sock("sock"), bytes(kMemSize)
    {
        sock.register_b_transport(this, &Memory::b_transport);
        sock.register_get_direct_mem_ptr(this, &Memory::get_dmi);
        sock.register_transport_dbg(this, &Memory::dbg);
    }
    bool in_error(uint64_t a, unsigned len) const
    {
        for (auto &e : errors)
            if (a <= e.second && e.first <= a + len - 1)
                return true;
        return false;
    }
    void b_transport(tlm::tlm_generic_payload &t, sc_time &delay)
    {
        bt_calls++;
        const uint64_t a = t.get_address();
        const unsigned len = t.get_data_length();
        if (logging)
            log.push_back({t.get_command(), a, len, sc_core::sc_time_stamp() + delay});
        smmu::msi_attr *m = nullptr;
        t.get_extension(m);
        if (m && t.is_write()) {
            uint32_t d = 0;
            std::memcpy(&d, t.get_data_ptr(), std::min(len, 4u));
            msis.push_back({a, d, len, *m});
        }
        if (a >= kMemSize || len > kMemSize - a) {
            t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
            return;
        }
        if (in_error(a, len)) {
            t.set_response_status(err_status);
            return;
        }
        if (t.is_read())
            std::memcpy(t.get_data_ptr(), &bytes[a], len);
        else if (t.is_write())
            std::memcpy(&bytes[a], t.get_data_ptr(), len);
        delay += kMemLatency;
        if (use_wait) {
            wait(delay);
            delay = SC_ZERO_TIME;
        }
        t.set_dmi_allowed(dmi);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool get_dmi(tlm::tlm_generic_payload &t, tlm::tlm_dmi &d)
    {
        const uint64_t a = t.get_address();
        if (!dmi || a < dmi_lo || a > dmi_hi)
            return false;
        d.set_dmi_ptr(&bytes[dmi_lo]);
        d.set_start_address(dmi_lo);
        d.set_end_address(dmi_hi);
        d.allow_read_write();
        d.set_read_latency(dmi_read_latency);
        d.set_write_latency(dmi_write_latency);
        return true;
    }
    unsigned dbg(tlm::tlm_generic_payload &t)
    {
        dbg_calls++;
        const uint64_t a = t.get_address();
        unsigned len = t.get_data_length();
        if (a >= kMemSize)
            return 0;
        len = unsigned(std::min<uint64_t>(len, kMemSize - a));
        if (t.is_read())
            std::memcpy(t.get_data_ptr(), &bytes[a], len);
        else if (t.is_write())
            std::memcpy(&bytes[a], t.get_data_ptr(), len);
        return len;
    }
    uint64_t rd64(uint64_t a) const
    {
        uint64_t v;
        std::memcpy(&v, &bytes[a], 8);
        return v;
    }
};

// A device or CPU initiator: records DMI invalidations and backward AT
// phases; the test's AT code decides how to answer BEGIN_RESP.
struct Device : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Device> sock;
    std::vector<std::pair<uint64_t, uint64_t>> invalidations;
    struct Bw {
        tlm::tlm_generic_payload *t;
        tlm::tlm_phase ph;
        sc_time when;
    };
    std::vector<Bw> bw;
    // Answer to BEGIN_RESP: TLM_COMPLETED (default) or TLM_ACCEPTED (the
    // test then sends END_RESP itself).
    tlm::tlm_sync_enum resp_answer = tlm::TLM_COMPLETED;
    sc_core::sc_event bw_event;
    std::function<void(uint64_t, uint64_t)> on_invalidate;

    explicit Device(sc_core::sc_module_name n) : sc_module(n), sock("sock")
    {
        sock.register_invalidate_direct_mem_ptr(this, &Device::inval);
        sock.register_nb_transport_bw(this, &Device::nb_bw);
    }
    void inval(sc_dt::uint64 lo, sc_dt::uint64 hi)
    {
        invalidations.push_back({lo, hi});
        if (on_invalidate)
            on_invalidate(lo, hi);
    }
    tlm::tlm_sync_enum nb_bw(tlm::tlm_generic_payload &t, tlm::tlm_phase &ph, sc_time &d)
    {
        bw.push_back({&t, ph, sc_core::sc_time_stamp() + d});
        bw_event.notify(d);
        if (ph == tlm::BEGIN_RESP)
            return resp_answer;
        return tlm::TLM_ACCEPTED;
    }

    // LT helpers (call from a thread)
    tlm::tlm_response_status access(tlm::tlm_command cmd, uint64_t a, void *buf, unsigned len,
                                    sc_time &delay, smmu::sideband *sb = nullptr,
                                    bool *dmi_hint = nullptr)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(a);
        t.set_data_ptr(static_cast<unsigned char *>(buf));
        t.set_data_length(len);
        t.set_streaming_width(len);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        if (sb)
            t.set_extension(sb);
        sock->b_transport(t, delay);
        if (sb)
            t.clear_extension(sb);
        if (dmi_hint)
            *dmi_hint = t.is_dmi_allowed();
        EXPECT_EQ(t.get_address(), a) << "address restored";
        EXPECT_EQ(t.get_data_length(), len);
        return t.get_response_status();
    }
    tlm::tlm_response_status read(uint64_t a, void *buf, unsigned len,
                                  smmu::sideband *sb = nullptr)
    {
        sc_time d = SC_ZERO_TIME;
        return access(tlm::TLM_READ_COMMAND, a, buf, len, d, sb);
    }
    tlm::tlm_response_status write(uint64_t a, const void *buf, unsigned len,
                                   smmu::sideband *sb = nullptr)
    {
        sc_time d = SC_ZERO_TIME;
        return access(tlm::TLM_WRITE_COMMAND, a, const_cast<void *>(buf), len, d, sb);
    }
    bool dmi(uint64_t a, tlm::tlm_dmi &d, tlm::tlm_command cmd = tlm::TLM_READ_COMMAND)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(a);
        return sock->get_direct_mem_ptr(t, d);
    }
    unsigned dbg(tlm::tlm_command cmd, uint64_t a, void *buf, unsigned len)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(a);
        t.set_data_ptr(static_cast<unsigned char *>(buf));
        t.set_data_length(len);
        t.set_streaming_width(len);
        return sock->transport_dbg(t);
    }
};

// A stage-1 stream: its translation tables and CD table (ASID = sid).
struct Stream {
    uint32_t sid;
    smmu_build_pt_t pt;
    smmu_build_cdtab_t ct;
    smmu_build_cd_t cd;
};

struct Platform {
    smmu::tlm_smmu smmu;
    Memory mem;
    Device dev0, dev1, cpu;
    sc_core::sc_signal<bool> irq_eventq{"irq_eventq_sig"}, irq_priq{"irq_priq_sig"},
        irq_cmd_sync{"irq_cmd_sync_sig"}, irq_gerror{"irq_gerror_sig"};
    smmu_build_t b;
    smmu_build_strtab_t st;
    std::map<uint32_t, std::unique_ptr<Stream>> streams;
    uint64_t cmdq = 0, evtq = 0;
    static constexpr unsigned kCmdqLog2 = 8, kEvtqLog2 = 7;

    explicit Platform(const smmu_config_t *cfg = nullptr, unsigned n_ports = 2)
        : smmu("smmu", n_ports, kClock, cfg), mem("mem"), dev0("dev0"), dev1("dev1"), cpu("cpu")
    {
        dev0.sock.bind(smmu.upstream[0]);
        dev1.sock.bind(smmu.upstream[n_ports > 1 ? 1 : 0]);
        smmu.downstream.bind(mem.sock);
        cpu.sock.bind(smmu.regs);
        smmu.irq_eventq.bind(irq_eventq);
        smmu.irq_priq.bind(irq_priq);
        smmu.irq_cmd_sync.bind(irq_cmd_sync);
        smmu.irq_gerror.bind(irq_gerror);
        // Tables and queues in [1 MB, 4 MB); data pages from 8 MB.
        EXPECT_EQ(smmu_build_init_host(&b, mem.bytes.data(), 0, kMemSize, 0x100000, 0x300000),
                  SMMU_OK);
        EXPECT_EQ(smmu_build_strtab_init(&b, &st, 8, 0), SMMU_OK) << b.err;
        EXPECT_EQ(smmu_build_alloc(&b, 16u << kCmdqLog2, 16u << kCmdqLog2, &cmdq), SMMU_OK);
        EXPECT_EQ(smmu_build_alloc(&b, 32u << kEvtqLog2, 32u << kEvtqLog2, &evtq), SMMU_OK);
        smmu::sideband d0, d1;
        d0.sid = 3;
        d1.sid = 4;
        smmu.set_default_sideband(0, d0);
        if (n_ports > 1)
            smmu.set_default_sideband(1, d1);
    }

    // ---- register socket (call from a thread) ----
    tlm::tlm_response_status reg_access(tlm::tlm_command cmd, uint64_t off, uint64_t &v,
                                        unsigned size, sc_time *delay = nullptr)
    {
        tlm::tlm_generic_payload t;
        t.set_command(cmd);
        t.set_address(off);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        t.set_data_length(size);
        t.set_streaming_width(size);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = SC_ZERO_TIME;
        cpu.sock->b_transport(t, delay ? *delay : d);
        return t.get_response_status();
    }
    void wr(uint64_t off, uint64_t v, unsigned size = 4)
    {
        EXPECT_EQ(reg_access(tlm::TLM_WRITE_COMMAND, off, v, size), tlm::TLM_OK_RESPONSE)
            << "register write 0x" << std::hex << off;
    }
    uint64_t rd(uint64_t off, unsigned size = 4)
    {
        uint64_t v = 0;
        EXPECT_EQ(reg_access(tlm::TLM_READ_COMMAND, off, v, size), tlm::TLM_OK_RESPONSE)
            << "register read 0x" << std::hex << off;
        return v;
    }
    void cr0(uint32_t v)
    {
        wr(SMMU_CR0, v);
        EXPECT_EQ(rd(SMMU_CR0ACK), v) << "CR0ACK follows CR0 (6.3.10)";
    }

    // Boot in the order of 3.11, every access through the register socket.
    void boot(uint32_t irq_ctrl = SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_GERROR_IRQEN,
              uint32_t cr2 = SMMU_CR2_RECINVSID | SMMU_CR2_PTM)
    {
        cr0(0);
        wr(SMMU_STRTAB_BASE, smmu_build_strtab_base_reg(&st), 8);
        wr(SMMU_STRTAB_BASE_CFG, smmu_build_strtab_cfg_reg(&st));
        wr(SMMU_CMDQ_BASE, SMMU_BIT(62) | cmdq | kCmdqLog2, 8);
        wr(SMMU_CMDQ_PROD, 0);
        wr(SMMU_CMDQ_CONS, 0);
        wr(SMMU_EVENTQ_BASE, SMMU_BIT(62) | evtq | kEvtqLog2, 8);
        wr(SMMU_EVENTQ_PROD, 0);
        wr(SMMU_EVENTQ_CONS, 0);
        wr(SMMU_IRQ_CTRL, irq_ctrl);
        EXPECT_EQ(rd(SMMU_IRQ_CTRLACK), irq_ctrl);
        wr(SMMU_CR1, 0);
        wr(SMMU_CR2, cr2);
        cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
        smmu_cmd_t all = {}, nsnh = {}, sync = {};
        all.opcode = SMMU_CMD_CFGI_STE_RANGE;
        all.range = 31;
        nsnh.opcode = SMMU_CMD_TLBI_NSNH_ALL;
        sync.opcode = SMMU_CMD_SYNC;
        submit({all, nsnh, sync});
        cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    }

    // Write commands at CMDQ_PROD in memory and publish them through the
    // register socket (consumed inside that write, smmu.h).
    void submit_words(const std::vector<std::array<uint64_t, 2>> &cmds)
    {
        const uint32_t mask = (2u << kCmdqLog2) - 1, idx = (1u << kCmdqLog2) - 1;
        uint32_t prod = uint32_t(rd(SMMU_CMDQ_PROD)) & mask;
        for (auto &c : cmds) {
            std::memcpy(&mem.bytes[cmdq + 16u * (prod & idx)], c.data(), 16);
            prod = (prod + 1) & mask;
        }
        wr(SMMU_CMDQ_PROD, prod);
        EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)), prod) << "every command consumed, no CERROR";
    }
    void submit(const std::vector<smmu_cmd_t> &cmds)
    {
        std::vector<std::array<uint64_t, 2>> w;
        for (auto &c : cmds) {
            std::array<uint64_t, 2> e{};
            EXPECT_EQ(smmu_cmd_encode(&c, e.data()), 0);
            w.push_back(e);
        }
        submit_words(w);
    }
    void issue(const smmu_build_tlbi_t &t)
    {
        std::vector<std::array<uint64_t, 2>> w;
        for (unsigned i = 0; i < t.n; i++)
            w.push_back({t.cmd[i][0], t.cmd[i][1]});
        submit_words(w);
    }

    // ---- tables (host array; callable before or during the simulation) ----
    // Stage-1 stream sid, 4KB granule, 48-bit VA, ASID = sid. modify may
    // change the CD (HA/HD, A, ...) before it is written.
    Stream &add_stream(uint32_t sid, std::function<void(smmu_build_cd_t &)> modify = nullptr,
                       std::function<void(smmu_build_ste_t &)> modify_ste = nullptr)
    {
        auto s = std::make_unique<Stream>();
        s->sid = sid;
        EXPECT_EQ(smmu_build_pt_init(&b, &s->pt, 1, 4096, 48, 48, -1), SMMU_OK) << b.err;
        s->pt.asid = uint16_t(sid);
        EXPECT_EQ(smmu_build_cdtab_init(&b, &s->ct, 0, 0), SMMU_OK) << b.err;
        smmu_build_cd_t cd = {};
        cd.ttb0 = smmu_build_pt_ttb(&s->pt);
        cd.t0sz = smmu_build_pt_tsz(&s->pt);
        cd.epd1 = 1;
        cd.ips = 5;
        cd.asid = uint16_t(sid);
        cd.aa64 = 1;
        cd.a = 1;
        cd.r = 1;
        cd.mair = 0xFF;
        if (modify)
            modify(cd);
        s->cd = cd;
        EXPECT_EQ(smmu_build_cd_write(&b, &s->ct, 0, &cd), SMMU_OK) << b.err;
        smmu_build_ste_t ste = {};
        ste.config = SMMU_STE_S1;
        ste.s1_context_ptr = s->ct.base;
        if (modify_ste)
            modify_ste(ste);
        EXPECT_EQ(smmu_build_ste_write(&b, &st, sid, &ste), SMMU_OK) << b.err;
        Stream &r = *s;
        streams[sid] = std::move(s);
        return r;
    }
    void map(uint32_t sid, uint64_t iova, uint64_t pa, uint64_t size,
             unsigned perms = SMMU_BUILD_R | SMMU_BUILD_W | SMMU_BUILD_USER,
             const smmu_build_attr_t *attr = nullptr)
    {
        // nG = 1 by default: streams share VMID 0, and a global (nG = 0)
        // entry cached for one ASID legitimately hits for another (D8.13).
        smmu_build_attr_t ng = {};
        ng.ng = 1;
        EXPECT_EQ(smmu_build_map(&b, &streams.at(sid)->pt, iova, pa, size, perms,
                                 attr ? attr : &ng, nullptr),
                  SMMU_OK)
            << b.err;
    }
    // Unmap and issue the TLBI_NH_VA + CMD_SYNC the builder reports.
    void unmap(uint32_t sid, uint64_t iova, uint64_t size)
    {
        smmu_build_tlbi_t t;
        EXPECT_EQ(smmu_build_unmap(&b, &streams.at(sid)->pt, iova, size, &t), SMMU_OK) << b.err;
        issue(t);
    }

    // ---- event queue ----
    uint32_t evtq_prod() { return uint32_t(rd(SMMU_EVENTQ_PROD)); }
    void record(unsigned i, uint32_t w[8]) const
    {
        std::memcpy(w, &mem.bytes[evtq + 32u * i], 32);
    }
    smmu_stats_t stats() const
    {
        smmu_stats_t s;
        smmu_get_stats(const_cast<smmu::tlm_smmu &>(smmu).core(), &s);
        return s;
    }
};

// The default platform of most tests: booted, stream 3 (port 0's default)
// maps IOVA 0x40000000-0x40003FFF to PA 0x800000-0x803FFF (RW, user) and
// IOVA 0x40004000 to PA 0x900000; stream 4 (port 1's default) maps
// 0x40000000 to PA 0xA00000.
constexpr uint64_t kIova = 0x40000000, kPa = 0x800000;
inline void standard_tables(Platform &p)
{
    p.add_stream(3);
    p.map(3, kIova, kPa, 0x4000);
    p.map(3, kIova + 0x4000, 0x900000, 0x1000);
    p.add_stream(4);
    p.map(4, kIova, 0xA00000, 0x1000);
}

// Run body in an SC_THREAD, then stop; fails the test if the body did not
// finish within limit of simulated time.
inline void run(std::function<void()> body, sc_time limit = sc_time(1, sc_core::SC_MS))
{
    bool done = false;
    sc_core::sc_spawn([&] {
        body();
        done = true;
        sc_core::sc_stop();
    }, "test_body");
    sc_core::sc_start(limit);
    EXPECT_TRUE(done) << "test body did not finish (blocked in simulation)";
}

inline void fill(Platform &p, uint64_t pa, unsigned len, uint8_t seed)
{
    for (unsigned i = 0; i < len; i++)
        p.mem.bytes[pa + i] = uint8_t(seed + i * 7);
}

} // namespace tlmtest
