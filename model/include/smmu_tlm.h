/* SPDX-License-Identifier: Apache-2.0 */
// SystemC TLM-2.0 component around the smmuv3-sim core (smmu.h): a thin
// adapter, docs/systemc.md. IEEE 1666-2011 base protocol sockets:
//  - upstream[i]   target sockets for device traffic (port i; TBU index
//                  reserved for [timing]), with a per-port default sideband;
//  - downstream    initiator socket: table walks, CMDQ reads, EVTQ writes,
//                  MSIs and the translated transactions;
//  - regs          target socket for the register file (offsets 0-0x1FFFF);
//  - irq_*         wired interrupts, each ops.raise_irq a pulse of irq_pulse.
// Every call into the core holds one sc_mutex per instance (re-entrancy
// contract of smmu.h), so a process never re-enters the core.
#ifndef SMMU_TLM_H
#define SMMU_TLM_H

#ifndef SC_INCLUDE_DYNAMIC_PROCESSES
#define SC_INCLUDE_DYNAMIC_PROCESSES
#endif
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <deque>
#include <memory>
#include <vector>

extern "C" {
#include "smmu/smmu.h"
}

namespace smmu {

// The transaction attributes of 3.3 that a bus does not carry. An
// ignorable extension: a transaction without it gets the port's default.
struct sideband : tlm::tlm_extension<sideband> {
    uint32_t sid = 0;   // StreamID
    uint32_t ssid = 0;  // SubstreamID, meaningful when ssv
    bool ssv = false;   // SubstreamID present (absent differs from SSID 0)
    bool priv = false;  // privileged
    bool instr = false; // instruction fetch (reads only)
    bool ns = true;     // Non-secure

    tlm::tlm_extension_base *clone() const override { return new sideband(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override
    {
        *this = static_cast<const sideband &>(e);
    }
};

class tlm_smmu : public sc_core::sc_module {
  public:
    using target_socket = tlm_utils::simple_target_socket_tagged<tlm_smmu>;

    sc_core::sc_vector<target_socket> upstream;
    tlm_utils::simple_initiator_socket<tlm_smmu> downstream;
    tlm_utils::simple_target_socket<tlm_smmu> regs;
    sc_core::sc_out<bool> irq_eventq, irq_priq, irq_cmd_sync, irq_gerror;

    // n_ports upstream sockets; clock: the SMMU clock period (cycles of
    // smmu_request_t.cycle); cfg: NULL for smmu_config_default(v3.2). A
    // configuration the core rejects is an SC_REPORT_ERROR naming why.
    tlm_smmu(sc_core::sc_module_name name, unsigned n_ports, const sc_core::sc_time &clock,
             const smmu_config_t *cfg = nullptr);
    ~tlm_smmu() override;

    // ---- options: call before the simulation starts ----
    void set_default_sideband(unsigned port, const sideband &sb);
    // Width of an interrupt pulse (default: one clock period).
    void set_irq_pulse(const sc_core::sc_time &t);
    // Non-architectural level mode: irq_eventq / irq_priq high while the
    // queue is non-empty and its IRQEN set, irq_gerror while GERROR !=
    // GERRORN and GERROR_IRQEN; irq_cmd_sync stays a pulse.
    void set_level_mode(bool on);
    // Abort response: TLM_ADDRESS_ERROR_RESPONSE (default) or, with true,
    // TLM_GENERIC_ERROR_RESPONSE.
    void set_abort_generic_error(bool on);
    // AT: transactions in flight per port before END_REQ is withheld
    // (default 4, at least 1).
    void set_outstanding_limit(unsigned n);

    // The core instance, for statistics and inspection (take no lock: call
    // only when no process is inside the component).
    smmu_t *core() { return smmu_; }
    // DMI grants currently held upstream.
    size_t dmi_grants() const { return grants_.size(); }

  private:
    struct grant {
        unsigned port;
        uint64_t iova_lo, iova_hi, pa_lo, pa_hi;
        uint32_t sid, ssid;
        bool ssv;
    };
    struct port_state {
        sideband def;
        unsigned outstanding = 0;
        tlm::tlm_generic_payload *pending = nullptr; // BEGIN_REQ without END_REQ
        sc_core::sc_time pending_delay;
        std::deque<tlm::tlm_generic_payload *> responses;
        bool resp_busy = false;
        sc_core::sc_event wake;
    };

    smmu_t *smmu_ = nullptr;
    sc_core::sc_mutex lock_;
    sc_core::sc_time clock_, irq_pulse_;
    bool level_mode_ = false, generic_abort_ = false, dbg_mem_ = false;
    unsigned limit_ = 4;
    uint64_t last_cycle_ = 0;
    std::vector<std::unique_ptr<port_state>> ports_;
    std::vector<grant> grants_;
    sc_core::sc_event irq_ev_[4];
    bool irq_level_[4] = {false, false, false, false};
    tlm::tlm_generic_payload mem_gp_;

    const sideband &sideband_of(unsigned port, tlm::tlm_generic_payload &t) const;
    smmu_request_t request_of(const sideband &sb, uint64_t addr, uint32_t len, bool write,
                              const sc_core::sc_time &delay);
    bool dmi_enabled() const;

    // upstream
    void b_transport_up(int port, tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
    tlm::tlm_sync_enum nb_transport_fw_up(int port, tlm::tlm_generic_payload &t,
                                          tlm::tlm_phase &ph, sc_core::sc_time &delay);
    bool get_direct_mem_ptr_up(int port, tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi);
    unsigned transport_dbg_up(int port, tlm::tlm_generic_payload &t);
    void translate_and_forward(unsigned port, tlm::tlm_generic_payload &t,
                               sc_core::sc_time &delay);
    // AT
    void at_worker(unsigned port, tlm::tlm_generic_payload *t, sc_core::sc_time delay);
    void at_responder(unsigned port);
    void at_accept(unsigned port, tlm::tlm_generic_payload *t, const sc_core::sc_time &delay);
    // downstream
    void invalidate_direct_mem_ptr_down(sc_dt::uint64 lo, sc_dt::uint64 hi);
    // registers
    void b_transport_regs(tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
    unsigned transport_dbg_regs(tlm::tlm_generic_payload &t);
    // interrupts
    void irq_thread(unsigned line);
    void update_levels();
    sc_core::sc_out<bool> &irq_port(unsigned line);
    // DMI grant table
    void drop_grants_if(bool (*match)(const grant &, uint64_t, uint64_t), uint64_t lo,
                        uint64_t hi);

    // core callbacks (smmu_mem_ops_t)
    static smmu_mem_result_t op_read(void *ctx, uint64_t pa, void *buf, uint32_t len,
                                     smmu_access_kind_t kind, uint32_t *latency);
    static smmu_mem_result_t op_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                                      smmu_access_kind_t kind, uint32_t *latency);
    static void op_raise_irq(void *ctx, smmu_irq_t irq);
    static void op_on_invalidate(void *ctx, const smmu_inval_notice_t *n);
    smmu_mem_result_t mem_access(tlm::tlm_command cmd, uint64_t pa, void *buf, uint32_t len);
};

} // namespace smmu

#endif
