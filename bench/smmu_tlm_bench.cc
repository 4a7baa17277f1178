// SPDX-License-Identifier: Apache-2.0
// smmu-tlm-bench: throughput of smmu::tlm_smmu (docs/systemc.md, README).
//   lt_tlb_hit: LT b_transport of 64-byte reads over 128 warm pages of one
//               stream, one upstream socket, a tlm_quantumkeeper, memory
//               answering without wait().
//   dmi_read:   the same reads through the DMI pointers the SMMU granted.
// Usage: smmu-tlm-bench [--n N] [--json]   (N reads per measurement,
// default 2000000). Bad arguments: a message and exit 2.
#include "smmu_tlm.h"

#include <tlm_utils/tlm_quantumkeeper.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include "smmu/smmu_build.h"
#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"
}

using sc_core::sc_time;
using sc_core::SC_NS;
using sc_core::SC_ZERO_TIME;

namespace {

constexpr uint64_t kMemSize = 8u << 20;
constexpr uint64_t kIova = 0x40000000, kPa = 0x400000;
constexpr unsigned kPages = 128;

struct Memory : sc_core::sc_module {
    tlm_utils::simple_target_socket<Memory> sock;
    std::vector<uint8_t> bytes;
    const sc_time latency{1, SC_NS};
    explicit Memory(sc_core::sc_module_name n) : sc_module(n), sock("sock"), bytes(kMemSize)
    {
        sock.register_b_transport(this, &Memory::b_transport);
        sock.register_get_direct_mem_ptr(this, &Memory::get_dmi);
        sock.register_transport_dbg(this, &Memory::dbg);
    }
    // Debug reads: the SMMU reads tables this way for a DMI request.
    unsigned dbg(tlm::tlm_generic_payload &t)
    {
        const uint64_t a = t.get_address();
        const unsigned len = t.get_data_length();
        if (a >= kMemSize || len > kMemSize - a)
            return 0;
        if (t.is_read())
            std::memcpy(t.get_data_ptr(), &bytes[a], len);
        else if (t.is_write())
            std::memcpy(&bytes[a], t.get_data_ptr(), len);
        return len;
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
        else if (t.is_write())
            std::memcpy(&bytes[a], t.get_data_ptr(), len);
        delay += latency;
        t.set_dmi_allowed(true);
        t.set_response_status(tlm::TLM_OK_RESPONSE);
    }
    bool get_dmi(tlm::tlm_generic_payload &, tlm::tlm_dmi &d)
    {
        d.set_dmi_ptr(bytes.data());
        d.set_start_address(0);
        d.set_end_address(kMemSize - 1);
        d.allow_read_write();
        d.set_read_latency(sc_time(1, SC_NS));
        d.set_write_latency(sc_time(1, SC_NS));
        return true;
    }
};

struct Bench : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<Bench> dev, cpu;
    Memory &mem;
    uint64_t n;
    double lt_mtps = 0, dmi_maps = 0, dmi_gbps = 0;
    bool ok = true;
    uint64_t cmdq = 0, evtq = 0;
    smmu_build_t b;

    Bench(sc_core::sc_module_name nm, Memory &m, uint64_t count)
        : sc_module(nm), dev("dev"), cpu("cpu"), mem(m), n(count)
    {
        SC_THREAD(run);
    }
    SC_HAS_PROCESS(Bench);

    void wr(uint64_t off, uint64_t v, unsigned size = 4)
    {
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(off);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        t.set_data_length(size);
        t.set_streaming_width(size);
        sc_time d = SC_ZERO_TIME;
        cpu->b_transport(t, d);
        if (!t.is_response_ok()) {
            std::fprintf(stderr, "smmu-tlm-bench: error: register write 0x%llx refused\n",
                         (unsigned long long)off);
            ok = false;
        }
    }
    void command(const smmu_cmd_t &c, uint32_t &prod)
    {
        uint64_t w[2];
        smmu_cmd_encode(&c, w);
        std::memcpy(&mem.bytes[cmdq + 16u * (prod & 0xFF)], w, 16);
        prod = (prod + 1) & 0x1FF;
        wr(SMMU_CMDQ_PROD, prod);
    }
    void setup()
    {
        smmu_build_strtab_t st;
        smmu_build_pt_t pt;
        smmu_build_cdtab_t ct;
        smmu_build_attr_t attr = {};
        attr.ng = 1;
        ok = !smmu_build_init_host(&b, mem.bytes.data(), 0, kMemSize, 0x100000, 0x300000) &&
             !smmu_build_strtab_init(&b, &st, 4, 0) &&
             !smmu_build_alloc(&b, 16u << 8, 16u << 8, &cmdq) &&
             !smmu_build_alloc(&b, 32u << 5, 32u << 5, &evtq) &&
             !smmu_build_pt_init(&b, &pt, 1, 4096, 48, 48, -1) &&
             !smmu_build_map(&b, &pt, kIova, kPa, kPages * 4096ull,
                             SMMU_BUILD_R | SMMU_BUILD_W | SMMU_BUILD_USER, &attr, nullptr) &&
             !smmu_build_cdtab_init(&b, &ct, 0, 0);
        if (!ok)
            std::fprintf(stderr, "smmu-tlm-bench: error: tables: %s\n", b.err);
        smmu_build_cd_t cd = {};
        cd.ttb0 = smmu_build_pt_ttb(&pt);
        cd.t0sz = smmu_build_pt_tsz(&pt);
        cd.epd1 = 1;
        cd.ips = 5;
        cd.asid = 1;
        cd.aa64 = cd.a = cd.r = 1;
        cd.mair = 0xFF;
        smmu_build_ste_t ste = {};
        ste.config = SMMU_STE_S1;
        ste.s1_context_ptr = ct.base;
        if (ok && (smmu_build_cd_write(&b, &ct, 0, &cd) || smmu_build_ste_write(&b, &st, 1, &ste))) {
            std::fprintf(stderr, "smmu-tlm-bench: error: STE/CD: %s\n", b.err);
            ok = false;
        }
        // 3.11 boot through the register socket.
        wr(SMMU_CR0, 0);
        wr(SMMU_STRTAB_BASE, smmu_build_strtab_base_reg(&st), 8);
        wr(SMMU_STRTAB_BASE_CFG, smmu_build_strtab_cfg_reg(&st));
        wr(SMMU_CMDQ_BASE, SMMU_BIT(62) | cmdq | 8, 8);
        wr(SMMU_CMDQ_PROD, 0);
        wr(SMMU_CMDQ_CONS, 0);
        wr(SMMU_EVENTQ_BASE, SMMU_BIT(62) | evtq | 5, 8);
        wr(SMMU_EVENTQ_PROD, 0);
        wr(SMMU_EVENTQ_CONS, 0);
        wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
        uint32_t prod = 0;
        smmu_cmd_t c = {};
        c.opcode = SMMU_CMD_CFGI_STE_RANGE;
        c.range = 31;
        command(c, prod);
        c = {};
        c.opcode = SMMU_CMD_TLBI_NSNH_ALL;
        command(c, prod);
        c = {};
        c.opcode = SMMU_CMD_SYNC;
        command(c, prod);
        wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
    }
    void run()
    {
        setup();
        tlm_utils::tlm_quantumkeeper qk;
        tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(1, sc_core::SC_US));
        qk.reset();
        uint8_t buf[64];
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_data_ptr(buf);
        t.set_data_length(64);
        t.set_streaming_width(64);
        auto addr = [](uint64_t i) { return kIova + (i % kPages) * 4096 + ((i / kPages) % 64) * 64; };
        // Warm: every page once (the micro-TLB/TLB hold all 128).
        for (uint64_t i = 0; i < 2 * kPages; i++) {
            t.set_address(addr(i));
            sc_time d = qk.get_local_time();
            dev->b_transport(t, d);
            if (!t.is_response_ok()) {
                std::fprintf(stderr, "smmu-tlm-bench: error: warm-up read of 0x%llx: %s\n",
                             (unsigned long long)addr(i), t.get_response_string().c_str());
                ok = false;
                // (the simulation ends when no process is runnable)
                return;
            }
            qk.set(d);
        }
        uint64_t sum = 0;
        auto t0 = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < n; i++) {
            t.set_address(addr(i));
            t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            sc_time d = qk.get_local_time();
            dev->b_transport(t, d);
            qk.set(d);
            if (qk.need_sync())
                qk.sync();
            sum += buf[0];
        }
        auto t1 = std::chrono::steady_clock::now();
        ok = ok && t.is_response_ok();
        lt_mtps = double(n) / std::chrono::duration<double>(t1 - t0).count() / 1e6;

        // DMI: one grant per page, then the same reads through the pointers.
        std::vector<unsigned char *> ptr(kPages);
        for (unsigned p = 0; p < kPages; p++) {
            tlm::tlm_generic_payload g;
            g.set_command(tlm::TLM_READ_COMMAND);
            g.set_address(kIova + p * 4096ull);
            tlm::tlm_dmi dmi;
            if (!dev->get_direct_mem_ptr(g, dmi) || !dmi.is_read_allowed()) {
                std::fprintf(stderr, "smmu-tlm-bench: error: no DMI read grant for page %u\n", p);
                ok = false;
                // (the simulation ends when no process is runnable)
                return;
            }
            ptr[p] = dmi.get_dmi_ptr() + (kIova + p * 4096ull - dmi.get_start_address());
        }
        const sc_time lat(1, SC_NS);
        t0 = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < n; i++) {
            std::memcpy(buf, ptr[i % kPages] + ((i / kPages) % 64) * 64, 64);
            qk.inc(lat);
            if (qk.need_sync())
                qk.sync();
            sum += buf[0];
        }
        t1 = std::chrono::steady_clock::now();
        const double s = std::chrono::duration<double>(t1 - t0).count();
        dmi_maps = double(n) / s / 1e6;
        dmi_gbps = double(n) * 64 / s / 1e9;
        if (sum == 0xFFFFFFFFFFFFFFFFull) // keep the loads
            std::printf(" ");
        // (the simulation ends when no process is runnable)
    }
};

int usage(const char *msg)
{
    std::fprintf(stderr, "smmu-tlm-bench: error: %s\nusage: smmu-tlm-bench [--n N] [--json]\n", msg);
    return 2;
}

} // namespace

int sc_main(int argc, char **argv)
{
    uint64_t n = 2000000;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--n") {
            if (i + 1 >= argc)
                return usage("--n needs a value");
            char *end = nullptr;
            const char *v = argv[++i];
            unsigned long long x = std::strtoull(v, &end, 10);
            if (!*v || *end || x == 0 || v[0] == '-')
                return usage((std::string("--n: not a positive integer: ") + v).c_str());
            n = x;
        } else {
            return usage(("unknown argument: " + a).c_str());
        }
    }
    sc_core::sc_report_handler::set_actions("/IEEE_Std_1666/deprecated", sc_core::SC_DO_NOTHING);
    smmu::tlm_smmu smmu("smmu", 1, sc_time(1, SC_NS));
    Memory mem("mem");
    Bench bench("bench", mem, n);
    smmu::sideband sb;
    sb.sid = 1;
    smmu.set_default_sideband(0, sb);
    bench.dev.bind(smmu.upstream[0]);
    bench.cpu.bind(smmu.regs);
    smmu.downstream.bind(mem.sock);
    sc_core::sc_signal<bool> irq[4];
    smmu.irq_eventq.bind(irq[0]);
    smmu.irq_priq.bind(irq[1]);
    smmu.irq_cmd_sync.bind(irq[2]);
    smmu.irq_gerror.bind(irq[3]);
    sc_core::sc_start();
    if (!bench.ok) {
        std::fprintf(stderr, "smmu-tlm-bench: error: setup or a transaction failed\n");
        return 1;
    }
    if (json)
        std::printf("{\"lt_tlb_hit_mtps\":%.2f,\"dmi_read_maps\":%.2f,\"dmi_read_gbps\":%.2f}\n",
                    bench.lt_mtps, bench.dmi_maps, bench.dmi_gbps);
    else
        std::printf("lt_tlb_hit: %.2f M transactions/s\ndmi_read: %.2f M accesses/s, %.2f GB/s\n",
                    bench.lt_mtps, bench.dmi_maps, bench.dmi_gbps);
    return 0;
}
