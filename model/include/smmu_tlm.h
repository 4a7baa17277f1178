/* SPDX-License-Identifier: Apache-2.0 */
// SystemC TLM-2.0 component around the smmuv3-sim core (smmu.h): a thin
// adapter, docs/systemc.md. IEEE 1666-2011 base protocol sockets:
//  - upstream[i]   target sockets for device traffic (port i is TBU i when
//                  timing is on), with a per-port default sideband;
//  - downstream    initiator socket: table walks, CMDQ reads, EVTQ writes,
//                  MSIs and the translated transactions;
//  - regs          target socket for the register file (offsets 0-0x1FFFF);
//  - irq_*         wired interrupts, each ops.raise_irq a pulse of irq_pulse.
// Every call into the core holds one mutex per instance (re-entrancy
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
#include <map>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "smmu/smmu.h"
#include "smmu/smmu_timing.h"
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
    bool pcie = false;  // PCIe requester (13.7: no PASID => Unprivileged Data)

    tlm::tlm_extension_base *clone() const override { return new sideband(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override
    {
        *this = static_cast<const sideband &>(e);
    }
};

// The attributes of an MSI (3.18; ops.msi_write): an ignorable extension on
// the 4-byte downstream write that carries the MSI payload (little endian).
struct msi_attr : tlm::tlm_extension<msi_attr> {
    uint8_t source = 0;  // smmu_msi_source_t
    uint8_t sh = 0;      // effective Shareability (0b00, 0b10, 0b11)
    uint8_t memattr = 0; // effective memory type, STE.MemAttr encoding

    tlm::tlm_extension_base *clone() const override { return new msi_attr(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override
    {
        *this = static_cast<const msi_attr &>(e);
    }
};

// The endpoint side of ATS and PRI (3.9, 8): an ATS Invalidate Request
// (CMD_ATC_INV) or a PRG Response Message changes what a message means, so
// it cannot ride an ignorable extension on a base-protocol socket. The
// component calls this plain C++ interface instead, inside the register
// write that consumes the command (or inside page_request for automatic
// responses). Neither method may call into the component.
struct ats_endpoint {
    virtual ~ats_endpoint() = default;
    // CMD_ATC_INV reaching the endpoint of inv.sid: SMMU_ATC_INV_OK,
    // SMMU_ATC_INV_UR or SMMU_ATC_INV_NO_RESPONSE (smmu.h).
    virtual int atc_invalidate(const smmu_atc_inv_t &inv) = 0;
    // A PRG Response Message to the endpoint of r.sid (8.3).
    virtual void prg_response(const smmu_prg_response_t &r) = 0;
};

// The instance's lock around core entries: sc_mutex semantics (lock() waits
// while another process holds it; trylock() returns 0 or -1) without
// sc_mutex's per-call process lookup and immediate event notification when
// nobody waits (the LT hit path takes it once per transaction).
class core_mutex {
  public:
    explicit core_mutex(const char *name) : free_(name) {}
    void lock()
    {
        while (held_) {
            ++waiting_;
            sc_core::wait(free_);
            --waiting_;
        }
        held_ = true;
    }
    int trylock()
    {
        if (held_)
            return -1;
        held_ = true;
        return 0;
    }
    void unlock()
    {
        held_ = false;
        if (waiting_)
            free_.notify();
    }

  private:
    bool held_ = false;
    unsigned waiting_ = 0;
    sc_core::sc_event free_;
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
    // The same with a built-in preset (smmu_preset_get: "default-v3.2",
    // "mmu600", "gem5", ...): its configuration and, when the preset has
    // one, its timing (set_timing). Unknown name: SC_REPORT_ERROR.
    tlm_smmu(sc_core::sc_module_name name, unsigned n_ports, const sc_core::sc_time &clock,
             const std::string &preset);
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
    // Timing model (smmu_set_timing; NULL: off). Port i is TBU i
    // (smmu_request_t.tbu), so num_tbus must be at least the port count;
    // the AT outstanding limit becomes tbu_slots when that is non-zero.
    // A timing the core refuses is an SC_REPORT_ERROR.
    void set_timing(const smmu_timing_t *t);
    // Receiver of ATC invalidations and PRG responses (NULL: every
    // invalidation completes at once, responses are dropped).
    void set_ats_endpoint(ats_endpoint *ep) { endpoint_ = ep; }

    // ---- ATS and PRI (plain C++ interface, call from an SC_THREAD) ----
    // An ATS Translation Request (3.9.1) of the port's endpoint: sb gives
    // StreamID, PASID (ssv/ssid), Exe (instr) and Priv requested; write is
    // !NW. The completion is in the response: ats_status, pa, perms,
    // page_base/page_size, ats_flags.
    smmu_response_t ats_translation_request(unsigned port, const sideband &sb, uint64_t addr,
                                            bool write);
    // An ATS Translated transaction (AT = 0b10, 3.9.1.3): t's address is
    // already translated; forwarded downstream as b_transport does.
    void transport_translated(unsigned port, tlm::tlm_generic_payload &t,
                              sc_core::sc_time &delay);
    // A PRI Page Request (smmu_page_request): SMMU_OK or SMMU_ERR_INVAL.
    smmu_status_t page_request(const smmu_ppr_t &ppr);

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
    core_mutex lock_;
    sc_core::sc_time clock_, irq_pulse_;
    bool level_mode_ = false, generic_abort_ = false, dbg_mem_ = false;
    unsigned limit_ = 4;
    uint64_t last_cycle_ = 0;
    std::vector<std::unique_ptr<port_state>> ports_;
    std::vector<grant> grants_;
    bool timing_ = false;
    uint32_t cmd_cost_ = 0, hit_cost_ = 0;
    ats_endpoint *endpoint_ = nullptr;
    // Stall model: completions by (StreamID << 16 | STAG), taken after
    // each register write (smmu_take_completions).
    bool completions_ready_ = false;
    std::map<uint64_t, smmu_response_t> completions_;
    sc_core::sc_event completion_ev_;
    msi_attr msi_ext_;
    sc_core::sc_event irq_ev_[4];
    bool irq_level_[4] = {false, false, false, false};
    tlm::tlm_generic_payload mem_gp_;

    const sideband &sideband_of(unsigned port, tlm::tlm_generic_payload &t) const;
    void init(const smmu_config_t *cfg, const smmu_timing_t *timing);
    smmu_request_t request_of(unsigned port, const sideband &sb, uint64_t addr, uint32_t len,
                              bool write, const sc_core::sc_time &delay);
    smmu_response_t translate_blocking(smmu_request_t q, sc_core::sc_time &delay);
    void drain_completions();
    bool dmi_possible() const;
    bool dmi_ok_ = false; // dmi_possible() of the configuration

    // upstream
    void b_transport_up(int port, tlm::tlm_generic_payload &t, sc_core::sc_time &delay);
    tlm::tlm_sync_enum nb_transport_fw_up(int port, tlm::tlm_generic_payload &t,
                                          tlm::tlm_phase &ph, sc_core::sc_time &delay);
    bool get_direct_mem_ptr_up(int port, tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi);
    unsigned transport_dbg_up(int port, tlm::tlm_generic_payload &t);
    void translate_and_forward(unsigned port, tlm::tlm_generic_payload &t,
                               sc_core::sc_time &delay, uint8_t ats = SMMU_ATS_UNTRANSLATED);
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
    static void op_completion_ready(void *ctx);
    static smmu_mem_result_t op_msi_write(void *ctx, uint64_t addr, uint32_t data,
                                          const smmu_msi_attr_t *attr);
    static int op_atc_inv(void *ctx, const smmu_atc_inv_t *inv);
    static void op_prg_response(void *ctx, const smmu_prg_response_t *r);
    smmu_mem_result_t mem_access(tlm::tlm_command cmd, uint64_t pa, void *buf, uint32_t len,
                                 uint32_t *latency, msi_attr *msi = nullptr);
};

} // namespace smmu

#endif
