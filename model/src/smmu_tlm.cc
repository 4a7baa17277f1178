// SPDX-License-Identifier: Apache-2.0
// smmu::tlm_smmu: the TLM-2.0 adapter over the core (docs/systemc.md).
#include "smmu_tlm.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

extern "C" {
#include "smmu/smmu_regs.h"
}

using sc_core::sc_time;
using sc_core::SC_ZERO_TIME;

namespace smmu {

namespace {
// Holds the instance's mutex around one core entry.
class core_lock {
  public:
    explicit core_lock(core_mutex &m) : m_(m) { m_.lock(); }
    ~core_lock() { m_.unlock(); }
    core_lock(const core_lock &) = delete;
    core_lock &operator=(const core_lock &) = delete;

  private:
    core_mutex &m_;
};
constexpr uint64_t kRegSpace = 0x20000; // pages 0 and 1 (6.1)
} // namespace

tlm_smmu::tlm_smmu(sc_core::sc_module_name name, unsigned n_ports, const sc_time &clock,
                   const smmu_config_t *cfg)
    : sc_module(name), upstream("upstream", n_ports ? n_ports : 1), downstream("downstream"),
      regs("regs"), irq_eventq("irq_eventq"), irq_priq("irq_priq"), irq_cmd_sync("irq_cmd_sync"),
      irq_gerror("irq_gerror"), lock_(sc_core::sc_gen_unique_name("core_lock")), clock_(clock),
      irq_pulse_(clock)
{
    init(cfg, nullptr);
}

tlm_smmu::tlm_smmu(sc_core::sc_module_name name, unsigned n_ports, const sc_time &clock,
                   const std::string &preset)
    : sc_module(name), upstream("upstream", n_ports ? n_ports : 1), downstream("downstream"),
      regs("regs"), irq_eventq("irq_eventq"), irq_priq("irq_priq"), irq_cmd_sync("irq_cmd_sync"),
      irq_gerror("irq_gerror"), lock_(sc_core::sc_gen_unique_name("core_lock")), clock_(clock),
      irq_pulse_(clock)
{
    smmu_config_t c;
    smmu_timing_t t;
    if (smmu_preset_get(preset.c_str(), &c, &t) != SMMU_OK) {
        SC_REPORT_ERROR("smmu/tlm_smmu", ("unknown preset: " + preset).c_str());
        smmu_config_default(&c, SMMU_ARCH_V3_2);
        t.num_tbus = 0;
    }
    init(&c, t.num_tbus ? &t : nullptr);
}

void tlm_smmu::init(const smmu_config_t *cfg, const smmu_timing_t *timing)
{
    smmu_config_t c;
    if (cfg)
        c = *cfg;
    else
        smmu_config_default(&c, SMMU_ARCH_V3_2);
    smmu_mem_ops_t ops;
    std::memset(&ops, 0, sizeof ops);
    ops.size = sizeof ops;
    ops.read = op_read;
    ops.write = op_write;
    ops.raise_irq = op_raise_irq;
    ops.on_invalidate = op_on_invalidate;
    ops.on_completion_ready = op_completion_ready;
    ops.on_prg_response = op_prg_response;
    ops.msi_write = op_msi_write;
    ops.on_atc_inv = op_atc_inv;
    char msg[256] = "";
    smmu_ = smmu_create(&c, &ops, this, msg, sizeof msg);
    if (!smmu_)
        SC_REPORT_ERROR("smmu/tlm_smmu", (std::string("configuration rejected: ") + msg).c_str());
    if (clock_ == SC_ZERO_TIME)
        SC_REPORT_ERROR("smmu/tlm_smmu", "clock period must be > 0");
    dmi_ok_ = smmu_ && dmi_possible(); // the configuration is fixed for the instance
    if (smmu_ && timing)
        set_timing(timing);
    for (unsigned i = 0; i < upstream.size(); i++) {
        ports_.emplace_back(new port_state);
        upstream[i].register_b_transport(this, &tlm_smmu::b_transport_up, int(i));
        upstream[i].register_nb_transport_fw(this, &tlm_smmu::nb_transport_fw_up, int(i));
        upstream[i].register_get_direct_mem_ptr(this, &tlm_smmu::get_direct_mem_ptr_up, int(i));
        upstream[i].register_transport_dbg(this, &tlm_smmu::transport_dbg_up, int(i));
        sc_core::sc_spawn_options o;
        sc_core::sc_spawn([this, i] { at_responder(i); },
                          sc_core::sc_gen_unique_name("at_responder"), &o);
    }
    downstream.register_invalidate_direct_mem_ptr(this,
                                                  &tlm_smmu::invalidate_direct_mem_ptr_down);
    regs.register_b_transport(this, &tlm_smmu::b_transport_regs);
    regs.register_transport_dbg(this, &tlm_smmu::transport_dbg_regs);
    for (unsigned l = 0; l < 4; l++)
        sc_core::sc_spawn([this, l] { irq_thread(l); }, sc_core::sc_gen_unique_name("irq"));
}

tlm_smmu::~tlm_smmu() { smmu_destroy(smmu_); }

void tlm_smmu::set_default_sideband(unsigned port, const sideband &sb)
{
    if (port < ports_.size())
        ports_[port]->def = sb;
}
void tlm_smmu::set_irq_pulse(const sc_time &t) { irq_pulse_ = t > SC_ZERO_TIME ? t : clock_; }
void tlm_smmu::set_level_mode(bool on) { level_mode_ = on; }
void tlm_smmu::set_abort_generic_error(bool on) { generic_abort_ = on; }
void tlm_smmu::set_outstanding_limit(unsigned n) { limit_ = n ? n : 1; }

void tlm_smmu::set_timing(const smmu_timing_t *t)
{
    if (!smmu_)
        return;
    char msg[256] = "";
    if (t && smmu_timing_check(t, msg, sizeof msg) != SMMU_OK) {
        SC_REPORT_ERROR("smmu/tlm_smmu", (std::string("timing rejected: ") + msg).c_str());
        return;
    }
    if (t && t->num_tbus < upstream.size()) {
        SC_REPORT_ERROR("smmu/tlm_smmu", ("timing has " + std::to_string(t->num_tbus) +
                                          " TBUs, fewer than the " +
                                          std::to_string(upstream.size()) + " ports")
                                             .c_str());
        return;
    }
    smmu_set_timing(smmu_, t);
    timing_ = t != nullptr;
    cmd_cost_ = t ? t->cmd_cost : 0;
    hit_cost_ = t ? t->utlb_latency : 0; // a micro-TLB hit: what a DMI access skips
    if (t && t->tbu_slots)
        limit_ = t->tbu_slots;
}

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------
const sideband &tlm_smmu::sideband_of(unsigned port, tlm::tlm_generic_payload &t) const
{
    sideband *sb = nullptr;
    t.get_extension(sb);
    return sb ? *sb : ports_[port]->def;
}

smmu_request_t tlm_smmu::request_of(unsigned port, const sideband &sb, uint64_t addr,
                                    uint32_t len, bool write, const sc_time &delay)
{
    smmu_request_t q;
    std::memset(&q, 0, sizeof q);
    q.sid = sb.sid;
    q.ssv = sb.ssv;
    q.ssid = sb.ssv ? sb.ssid : 0;
    q.priv = sb.priv;
    q.instr = sb.instr && !write;
    q.secure = !sb.ns;
    q.pcie = sb.pcie;
    q.tbu = timing_ ? uint8_t(port) : 0; // port i is TBU i
    q.write = write;
    q.size = len ? len : 1;
    q.addr = addr;
    // Issue cycle: local time over the clock, never below the last cycle
    // given to the instance (under temporal decoupling the order of two
    // initiators' transactions is approximate, docs/systemc.md).
    // (Integer arithmetic on the time resolution's units: no sc_time built
    // on this hot path.)
    const uint64_t cyc = (sc_core::sc_time_stamp().value() + delay.value()) / clock_.value();
    last_cycle_ = std::max(last_cycle_, cyc);
    q.cycle = last_cycle_;
    return q;
}

bool tlm_smmu::dmi_possible() const
{
    const smmu_config_t *c = smmu_get_config(smmu_);
    bool tlb = c->tlb_sets && c->tlb_ways;
    return c->cfg_cache_entries != 0 && (tlb || c->utlb_entries != 0);
}

// ---------------------------------------------------------------------------
// LT
// ---------------------------------------------------------------------------
void tlm_smmu::b_transport_up(int port, tlm::tlm_generic_payload &t, sc_time &delay)
{
    translate_and_forward(unsigned(port), t, delay);
}

// Translate page by page and forward each piece downstream at its PA. The
// transaction's address, data pointer, length, streaming width and byte
// enables are restored before returning.
// Translate q, waiting without the lock while it is stalled (3.12.2: until
// CMD_RESUME, CMD_STALL_TERM or SMMUEN 1 -> 0 hands its completion out
// through smmu_take_completions after a register write) or refused with
// SMMU_XLATE_BUSY (resent once a completion frees a stall slot). Returns the
// final response; delay grows by the SMMU's time: (done_cycle - cycle) x
// clock with timing, 0 without. A process that waits first synchronises
// (wait(delay)), as an LT target that blocks must.
smmu_response_t tlm_smmu::translate_blocking(smmu_request_t q, sc_time &delay)
{
    smmu_response_t r;
    for (;;) {
        {
            core_lock g(lock_);
            smmu_translate(smmu_, &q, &r);
            update_levels();
        }
        bool waited = false;
        while (r.outcome == SMMU_XLATE_STALLED) {
            if (!waited) {
                wait(delay);
                delay = SC_ZERO_TIME;
                waited = true;
            }
            const uint64_t key = uint64_t(q.sid) << 16 | (r.stag & 0xFFFF);
            auto it = completions_.find(key);
            if (it == completions_.end()) {
                wait(completion_ev_);
                continue;
            }
            r = it->second;
            completions_.erase(it);
        }
        if (r.outcome != SMMU_XLATE_BUSY) {
            if (!waited) {
                if (r.done_cycle > q.cycle)
                    delay += clock_ * double(r.done_cycle - q.cycle);
            } else {
                const sc_time done = clock_ * double(r.done_cycle);
                if (done > sc_core::sc_time_stamp())
                    delay = done - sc_core::sc_time_stamp();
            }
            return r;
        }
        // IDR5.STALL_MAX stalls outstanding (nothing changed): resend as a
        // new arrival once a completion has freed a slot.
        wait(delay);
        delay = SC_ZERO_TIME;
        wait(completion_ev_);
        last_cycle_ = std::max(last_cycle_, uint64_t(sc_core::sc_time_stamp() / clock_));
        q.cycle = last_cycle_;
    }
}

void tlm_smmu::translate_and_forward(unsigned port, tlm::tlm_generic_payload &t, sc_time &delay,
                                     uint8_t ats)
{
    const sideband &sb = sideband_of(port, t); // lives in t (or the port) throughout
    const uint64_t addr = t.get_address();
    unsigned char *const data = t.get_data_ptr();
    const unsigned len = t.get_data_length();
    const unsigned sw = t.get_streaming_width();
    unsigned char *const be = t.get_byte_enable_ptr();
    const unsigned be_len = t.get_byte_enable_length();
    const bool write = t.get_command() == tlm::TLM_WRITE_COMMAND;
    const bool splittable = sw >= len;
    bool dmi_hint = true;
    std::vector<unsigned char> be_tmp;
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;

    unsigned off = 0;
    do {
        uint64_t a = addr + off;
        smmu_request_t q = request_of(port, sb, a, len - off, write, delay);
        if (ats != SMMU_ATS_UNTRANSLATED) {
            q.ats = ats;
            q.pcie = 1; // ATS is PCIe traffic
        }
        const smmu_response_t r = translate_blocking(q, delay);
        unsigned chunk = len - off;
        if (r.outcome == SMMU_XLATE_OK) {
            uint64_t end = r.page_base + r.page_size; // 0 when the page ends at 2^64
            if (splittable && end && end - a < chunk)
                chunk = unsigned(end - a);
            dmi_hint = dmi_hint && dmi_ok_ && !(r.perms & SMMU_PERM_HTTU) &&
                       (r.perms & (write ? SMMU_PERM_W : SMMU_PERM_R));
            t.set_address(r.pa);
            t.set_data_ptr(data + off);
            t.set_data_length(chunk);
            t.set_streaming_width(splittable ? chunk : sw);
            if (be && off) {
                be_tmp.resize(chunk);
                for (unsigned i = 0; i < chunk; i++)
                    be_tmp[i] = be[(off + i) % be_len];
                t.set_byte_enable_ptr(be_tmp.data());
                t.set_byte_enable_length(chunk);
            }
            t.set_dmi_allowed(false);
            t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            downstream->b_transport(t, delay);
            status = t.get_response_status();
            dmi_hint = dmi_hint && t.is_dmi_allowed();
            if (status != tlm::TLM_OK_RESPONSE)
                break; // downstream errors pass through
        } else if (r.outcome == SMMU_XLATE_RAZWI) {
            // Terminated RAZ/WI (CD.A = 0, 3.12): reads as zero, writes
            // dropped, OK response; one 4KB page at a time.
            uint64_t end = (a | 0xFFF) + 1;
            if (splittable && end - a < chunk)
                chunk = unsigned(end - a);
            if (!write && t.get_command() == tlm::TLM_READ_COMMAND)
                std::memset(data + off, 0, chunk);
            dmi_hint = false;
        } else { // abort (a stall has been waited for: its final response)
            status = generic_abort_ ? tlm::TLM_GENERIC_ERROR_RESPONSE
                                    : tlm::TLM_ADDRESS_ERROR_RESPONSE;
            dmi_hint = false;
            break;
        }
        off += chunk;
    } while (off < len);

    t.set_address(addr);
    t.set_data_ptr(data);
    t.set_data_length(len);
    t.set_streaming_width(sw);
    t.set_byte_enable_ptr(be);
    t.set_byte_enable_length(be_len);
    t.set_dmi_allowed(status == tlm::TLM_OK_RESPONSE && dmi_hint);
    t.set_response_status(status);
}

// ---------------------------------------------------------------------------
// AT: BEGIN_REQ -> END_REQ (withheld at the outstanding limit) -> work in a
// spawned process -> BEGIN_RESP (one at a time per port) -> END_RESP.
// ---------------------------------------------------------------------------
tlm::tlm_sync_enum tlm_smmu::nb_transport_fw_up(int port, tlm::tlm_generic_payload &t,
                                                tlm::tlm_phase &ph, sc_time &delay)
{
    port_state &p = *ports_[unsigned(port)];
    if (ph == tlm::BEGIN_REQ) {
        if (t.has_mm())
            t.acquire();
        if (p.outstanding < limit_) {
            at_accept(unsigned(port), &t, delay);
            ph = tlm::END_REQ;
            return tlm::TLM_UPDATED;
        }
        p.pending = &t; // request exclusion: the initiator waits for END_REQ
        p.pending_delay = delay;
        return tlm::TLM_ACCEPTED;
    }
    if (ph == tlm::END_RESP) {
        p.resp_busy = false;
        p.outstanding--;
        if (t.has_mm())
            t.release();
        p.wake.notify(delay);
        return tlm::TLM_COMPLETED;
    }
    SC_REPORT_ERROR("smmu/tlm_smmu", "nb_transport_fw: unexpected phase (base protocol)");
    return tlm::TLM_COMPLETED;
}

void tlm_smmu::at_accept(unsigned port, tlm::tlm_generic_payload *t, const sc_time &delay)
{
    ports_[port]->outstanding++;
    sc_core::sc_spawn([this, port, t, delay] { at_worker(port, t, delay); },
                      sc_core::sc_gen_unique_name("at_worker"));
}

void tlm_smmu::at_worker(unsigned port, tlm::tlm_generic_payload *t, sc_time delay)
{
    wait(delay);
    sc_time d = SC_ZERO_TIME;
    translate_and_forward(port, *t, d);
    wait(d);
    ports_[port]->responses.push_back(t);
    ports_[port]->wake.notify();
}

// One per port: gives END_REQ to a withheld request once a slot is free,
// and sends responses one at a time (response exclusion rule).
void tlm_smmu::at_responder(unsigned port)
{
    port_state &p = *ports_[port];
    for (;;) {
        wait(p.wake);
        if (p.pending && p.outstanding < limit_) {
            tlm::tlm_generic_payload *t = p.pending;
            p.pending = nullptr;
            tlm::tlm_phase ph = tlm::END_REQ;
            sc_time d = SC_ZERO_TIME;
            upstream[port]->nb_transport_bw(*t, ph, d);
            at_accept(port, t, p.pending_delay);
        }
        while (!p.resp_busy && !p.responses.empty()) {
            tlm::tlm_generic_payload *t = p.responses.front();
            p.responses.pop_front();
            tlm::tlm_phase ph = tlm::BEGIN_RESP;
            sc_time d = SC_ZERO_TIME;
            p.resp_busy = true;
            tlm::tlm_sync_enum s = upstream[port]->nb_transport_bw(*t, ph, d);
            if (s == tlm::TLM_COMPLETED || (s == tlm::TLM_UPDATED && ph == tlm::END_RESP)) {
                p.resp_busy = false;
                p.outstanding--;
                if (t->has_mm())
                    t->release();
                if (p.pending)
                    p.wake.notify(d);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// DMI
// ---------------------------------------------------------------------------
bool tlm_smmu::get_direct_mem_ptr_up(int port, tlm::tlm_generic_payload &t, tlm::tlm_dmi &dmi)
{
    const uint64_t addr = t.get_address();
    dmi.allow_none();
    dmi.set_start_address(addr & ~0xFFFull);
    dmi.set_end_address(addr | 0xFFF);
    if (!dmi_ok_ || lock_.trylock() != 0)
        return false;
    const sideband sb = sideband_of(unsigned(port), t);
    smmu_request_t q = request_of(unsigned(port), sb, addr, 1, false, SC_ZERO_TIME);
    smmu_response_t r, r2;
    dbg_mem_ = true;
    smmu_translate_debug(smmu_, &q, &r);
    q.priv = !q.priv; // the socket's traffic of the other privilege
    smmu_translate_debug(smmu_, &q, &r2);
    dbg_mem_ = false;
    lock_.unlock();
    const unsigned rw = SMMU_PERM_R | SMMU_PERM_W;
    if (r.outcome != SMMU_XLATE_OK || (r.perms & SMMU_PERM_HTTU) || !(r.perms & rw) ||
        r2.outcome != SMMU_XLATE_OK || (r.perms & rw) != (r2.perms & rw))
        return false;
    dmi.set_start_address(r.page_base);
    dmi.set_end_address(r.page_base + r.page_size - 1);

    tlm::tlm_generic_payload g;
    g.set_command(t.get_command());
    g.set_address(r.pa);
    tlm::tlm_dmi d;
    if (!downstream->get_direct_mem_ptr(g, d))
        return false;
    const uint64_t page_pa = r.pa - (addr - r.page_base);
    uint64_t lo = std::max<uint64_t>(page_pa, d.get_start_address());
    uint64_t hi = std::min<uint64_t>(page_pa + r.page_size - 1, d.get_end_address());
    if (lo > hi || !d.get_dmi_ptr())
        return false;
    bool rd = (r.perms & SMMU_PERM_R) && d.is_read_allowed();
    bool wr = (r.perms & SMMU_PERM_W) && d.is_write_allowed();
    if (!rd && !wr)
        return false;
    uint64_t iova_lo = r.page_base + (lo - page_pa);
    uint64_t iova_hi = r.page_base + (hi - page_pa);
    dmi.set_dmi_ptr(d.get_dmi_ptr() + (lo - d.get_start_address()));
    dmi.set_start_address(iova_lo);
    dmi.set_end_address(iova_hi);
    dmi.set_granted_access(rd && wr ? tlm::tlm_dmi::DMI_ACCESS_READ_WRITE
                           : rd     ? tlm::tlm_dmi::DMI_ACCESS_READ
                                    : tlm::tlm_dmi::DMI_ACCESS_WRITE);
    // DMI bypasses statistics and timing: the latency of a micro-TLB hit
    // (timing's utlb_latency; 0 without timing) plus the downstream latency.
    const sc_time hit = clock_ * double(hit_cost_);
    dmi.set_read_latency(d.get_read_latency() + hit);
    dmi.set_write_latency(d.get_write_latency() + hit);
    grants_.push_back({unsigned(port), iova_lo, iova_hi, lo, hi, sb.sid, sb.ssid, sb.ssv});
    return true;
}

void tlm_smmu::drop_grants_if(bool (*match)(const grant &, uint64_t, uint64_t), uint64_t lo,
                              uint64_t hi)
{
    std::vector<grant> keep, drop;
    for (const grant &g : grants_)
        (match(g, lo, hi) ? drop : keep).push_back(g);
    grants_.swap(keep);
    for (const grant &g : drop)
        upstream[g.port]->invalidate_direct_mem_ptr(g.iova_lo, g.iova_hi);
}

void tlm_smmu::op_on_invalidate(void *ctx, const smmu_inval_notice_t *n)
{
    tlm_smmu *m = static_cast<tlm_smmu *>(ctx);
    switch (n->kind) {
    case SMMU_INVAL_TLB_VA: // input addresses [lo, hi]
        m->drop_grants_if([](const grant &g, uint64_t lo, uint64_t hi) {
            return g.iova_lo <= hi && lo <= g.iova_hi;
        }, n->lo, n->hi);
        break;
    case SMMU_INVAL_CFG: // StreamIDs [lo, hi]
        m->drop_grants_if([](const grant &g, uint64_t lo, uint64_t hi) {
            return g.sid >= lo && g.sid <= hi;
        }, n->lo, n->hi);
        break;
    default: // TLB_IPA: IPAs cannot be mapped back to IOVAs: drop them all
        m->drop_grants_if([](const grant &, uint64_t, uint64_t) { return true; }, 0, 0);
        break;
    }
}

// A downstream target withdrew [lo, hi] (PA): withdraw the grants that
// overlap it, in their IOVA space.
void tlm_smmu::invalidate_direct_mem_ptr_down(sc_dt::uint64 lo, sc_dt::uint64 hi)
{
    drop_grants_if([](const grant &g, uint64_t l, uint64_t h) {
        return g.pa_lo <= h && l <= g.pa_hi;
    }, lo, hi);
}

// ---------------------------------------------------------------------------
// Debug
// ---------------------------------------------------------------------------
unsigned tlm_smmu::transport_dbg_up(int port, tlm::tlm_generic_payload &t)
{
    if (lock_.trylock() != 0)
        return 0; // busy: a process is inside the core
    const sideband sb = sideband_of(unsigned(port), t);
    const uint64_t addr = t.get_address();
    unsigned char *const data = t.get_data_ptr();
    const unsigned len = t.get_data_length();
    const bool write = t.get_command() == tlm::TLM_WRITE_COMMAND;
    unsigned done = 0;
    while (done < len) {
        uint64_t a = addr + done;
        smmu_request_t q = request_of(unsigned(port), sb, a, len - done, write, SC_ZERO_TIME);
        smmu_response_t r;
        dbg_mem_ = true;
        smmu_translate_debug(smmu_, &q, &r);
        dbg_mem_ = false;
        if (r.outcome != SMMU_XLATE_OK)
            break;
        unsigned chunk = len - done;
        uint64_t end = r.page_base + r.page_size;
        if (end && end - a < chunk)
            chunk = unsigned(end - a);
        tlm::tlm_generic_payload g;
        g.set_command(t.get_command());
        g.set_address(r.pa);
        g.set_data_ptr(data + done);
        g.set_data_length(chunk);
        g.set_streaming_width(chunk);
        unsigned n = downstream->transport_dbg(g);
        done += std::min(n, chunk);
        if (n < chunk)
            break;
    }
    lock_.unlock();
    return done;
}

// ---------------------------------------------------------------------------
// Registers
// ---------------------------------------------------------------------------
void tlm_smmu::b_transport_regs(tlm::tlm_generic_payload &t, sc_time &delay)
{
    const unsigned len = t.get_data_length();
    const uint64_t off = t.get_address();
    if (t.get_byte_enable_ptr()) {
        t.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return;
    }
    if (t.get_streaming_width() < len) {
        t.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return;
    }
    if ((len != 4 && len != 8) || (off & (len - 1)) || off >= kRegSpace) {
        t.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return;
    }
    if (t.get_command() == tlm::TLM_IGNORE_COMMAND) {
        t.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
    }
    uint64_t v = 0;
    smmu_status_t st;
    {
        core_lock g(lock_);
        if (t.is_write()) {
            std::memcpy(&v, t.get_data_ptr(), len);
            // Command cost (timing's cmd_cost per command consumed inside
            // this write): the core has no smmu_mmio_write_at yet, so the
            // adapter counts the commands (docs/systemc.md).
            uint64_t before = 0;
            if (timing_ && cmd_cost_) {
                smmu_stats_t s0;
                smmu_get_stats(smmu_, &s0);
                before = s0.commands;
            }
            st = smmu_mmio_write(smmu_, off, v, len);
            if (timing_ && cmd_cost_) {
                smmu_stats_t s1;
                smmu_get_stats(smmu_, &s1);
                delay += clock_ * double((s1.commands - before) * cmd_cost_);
            }
            if (completions_ready_)
                drain_completions();
        } else {
            st = smmu_mmio_read(smmu_, off, len, &v);
            if (st == SMMU_OK)
                std::memcpy(t.get_data_ptr(), &v, len);
        }
        update_levels();
    }
    t.set_response_status(st == SMMU_OK ? tlm::TLM_OK_RESPONSE : tlm::TLM_ADDRESS_ERROR_RESPONSE);
}

// Debug reads are plain reads (no register has a read side effect); debug
// writes are refused (a CMDQ_PROD write would run commands).
unsigned tlm_smmu::transport_dbg_regs(tlm::tlm_generic_payload &t)
{
    const unsigned len = t.get_data_length();
    const uint64_t off = t.get_address();
    if (t.get_command() != tlm::TLM_READ_COMMAND || (len != 4 && len != 8) ||
        (off & (len - 1)) || off >= kRegSpace || lock_.trylock() != 0)
        return 0;
    uint64_t v = 0;
    smmu_status_t st = smmu_mmio_read(smmu_, off, len, &v);
    lock_.unlock();
    if (st != SMMU_OK)
        return 0;
    std::memcpy(t.get_data_ptr(), &v, len);
    return len;
}

// ---------------------------------------------------------------------------
// Interrupts: only irq_thread(line) writes its port (one driver per signal).
// ---------------------------------------------------------------------------
sc_core::sc_out<bool> &tlm_smmu::irq_port(unsigned line)
{
    switch (line) {
    case SMMU_IRQ_EVENTQ:
        return irq_eventq;
    case SMMU_IRQ_PRIQ:
        return irq_priq;
    case SMMU_IRQ_CMD_SYNC:
        return irq_cmd_sync;
    default:
        return irq_gerror;
    }
}

void tlm_smmu::irq_thread(unsigned line)
{
    sc_core::sc_out<bool> &out = irq_port(line);
    for (;;) {
        wait(irq_ev_[line]);
        if (level_mode_ && line != SMMU_IRQ_CMD_SYNC) {
            out.write(irq_level_[line]);
            continue;
        }
        // A pulse of irq_pulse; raises while it is high merge into it.
        out.write(true);
        wait(irq_pulse_);
        out.write(false);
    }
}

void tlm_smmu::op_raise_irq(void *ctx, smmu_irq_t irq)
{
    tlm_smmu *m = static_cast<tlm_smmu *>(ctx);
    if (unsigned(irq) < 4 && !(m->level_mode_ && irq != SMMU_IRQ_CMD_SYNC))
        m->irq_ev_[irq].notify(SC_ZERO_TIME);
}

// Level mode: recompute the lines from the registers (inside the lock).
void tlm_smmu::update_levels()
{
    if (!level_mode_)
        return;
    auto rd = [this](uint64_t off) {
        uint64_t v = 0;
        smmu_mmio_read(smmu_, off, 4, &v);
        return uint32_t(v);
    };
    const uint32_t ctrl = rd(SMMU_IRQ_CTRL);
    const uint32_t ptr = 0xFFFFFu; // WRAP and index (6.3.95-6.3.96)
    bool lv[4];
    lv[SMMU_IRQ_EVENTQ] = (ctrl & SMMU_IRQ_CTRL_EVENTQ_IRQEN) &&
                          ((rd(SMMU_EVENTQ_PROD) ^ rd(SMMU_EVENTQ_CONS)) & ptr);
    lv[SMMU_IRQ_PRIQ] =
        (ctrl & SMMU_IRQ_CTRL_PRIQ_IRQEN) && ((rd(SMMU_PRIQ_PROD) ^ rd(SMMU_PRIQ_CONS)) & ptr);
    lv[SMMU_IRQ_CMD_SYNC] = false;
    lv[SMMU_IRQ_GERROR] =
        (ctrl & SMMU_IRQ_CTRL_GERROR_IRQEN) && (rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) != 0;
    for (unsigned l = 0; l < 4; l++) {
        if (l != SMMU_IRQ_CMD_SYNC && lv[l] != irq_level_[l]) {
            irq_level_[l] = lv[l];
            irq_ev_[l].notify(SC_ZERO_TIME);
        }
    }
}

// ---------------------------------------------------------------------------
// Stall model, ATS, PRI, MSIs
// ---------------------------------------------------------------------------
void tlm_smmu::op_completion_ready(void *ctx)
{
    static_cast<tlm_smmu *>(ctx)->completions_ready_ = true;
}

// Inside the lock, after a register write: run the retries the write marked
// and hand every completion to the process waiting for its (StreamID, STAG).
void tlm_smmu::drain_completions()
{
    completions_ready_ = false;
    smmu_completion_t c[16];
    unsigned n = 0;
    bool any = false;
    do {
        n = 0;
        if (smmu_take_completions(smmu_, c, 16, &n) != SMMU_OK)
            break;
        for (unsigned i = 0; i < n; i++)
            completions_[uint64_t(c[i].sid) << 16 | c[i].stag] = c[i].resp;
        any = any || n;
    } while (n == 16);
    if (any)
        completion_ev_.notify(SC_ZERO_TIME);
}

smmu_mem_result_t tlm_smmu::op_msi_write(void *ctx, uint64_t addr, uint32_t data,
                                         const smmu_msi_attr_t *attr)
{
    tlm_smmu *m = static_cast<tlm_smmu *>(ctx);
    unsigned char b[4] = {uint8_t(data), uint8_t(data >> 8), uint8_t(data >> 16),
                          uint8_t(data >> 24)};
    m->msi_ext_.source = attr->source;
    m->msi_ext_.sh = attr->sh;
    m->msi_ext_.memattr = attr->memattr;
    return m->mem_access(tlm::TLM_WRITE_COMMAND, addr, b, 4, nullptr, &m->msi_ext_);
}

int tlm_smmu::op_atc_inv(void *ctx, const smmu_atc_inv_t *inv)
{
    tlm_smmu *m = static_cast<tlm_smmu *>(ctx);
    return m->endpoint_ ? m->endpoint_->atc_invalidate(*inv) : SMMU_ATC_INV_OK;
}

void tlm_smmu::op_prg_response(void *ctx, const smmu_prg_response_t *r)
{
    tlm_smmu *m = static_cast<tlm_smmu *>(ctx);
    if (m->endpoint_)
        m->endpoint_->prg_response(*r);
}

smmu_response_t tlm_smmu::ats_translation_request(unsigned port, const sideband &sb,
                                                  uint64_t addr, bool write)
{
    if (port >= ports_.size())
        port = 0;
    sc_time delay = SC_ZERO_TIME;
    smmu_request_t q = request_of(port, sb, addr, 1, write, delay);
    q.ats = SMMU_ATS_TRANSLATION_REQ;
    q.pcie = 1;
    q.instr = sb.instr; // Exe requested (not an instruction fetch: write is !NW)
    smmu_response_t r = translate_blocking(q, delay);
    wait(delay);
    return r;
}

void tlm_smmu::transport_translated(unsigned port, tlm::tlm_generic_payload &t, sc_time &delay)
{
    translate_and_forward(port < ports_.size() ? port : 0, t, delay, SMMU_ATS_TRANSLATED);
}

smmu_status_t tlm_smmu::page_request(const smmu_ppr_t &ppr)
{
    core_lock g(lock_);
    smmu_status_t st = smmu_page_request(smmu_, &ppr);
    update_levels();
    return st;
}

// ---------------------------------------------------------------------------
// Memory for the core: downstream b_transport (transport_dbg while a debug
// translation runs). Called inside the lock.
// ---------------------------------------------------------------------------
smmu_mem_result_t tlm_smmu::mem_access(tlm::tlm_command cmd, uint64_t pa, void *buf,
                                       uint32_t len, uint32_t *latency, msi_attr *msi)
{
    tlm::tlm_generic_payload &g = mem_gp_;
    g.set_command(cmd);
    g.set_address(pa);
    g.set_data_ptr(static_cast<unsigned char *>(buf));
    g.set_data_length(len);
    g.set_streaming_width(len);
    g.set_byte_enable_ptr(nullptr);
    g.set_byte_enable_length(0);
    g.set_dmi_allowed(false);
    g.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    if (dbg_mem_)
        return downstream->transport_dbg(g) == len ? SMMU_MEM_OK : SMMU_MEM_ABORT;
    // The downstream latency, in SMMU cycles rounded up, is the access's
    // cost in the walk's cost sink (timing on; ignored otherwise).
    sc_time d = SC_ZERO_TIME;
    if (msi)
        g.set_extension(msi);
    downstream->b_transport(g, d);
    if (msi)
        g.clear_extension(msi);
    if (latency) {
        const double cyc = d / clock_;
        *latency = cyc <= 0 ? 0 : cyc >= 1e6 ? 1000000u : uint32_t(std::ceil(cyc));
    }
    return g.is_response_ok() ? SMMU_MEM_OK : SMMU_MEM_ABORT;
}

smmu_mem_result_t tlm_smmu::op_read(void *ctx, uint64_t pa, void *buf, uint32_t len,
                                    smmu_access_kind_t, uint32_t *latency)
{
    return static_cast<tlm_smmu *>(ctx)->mem_access(tlm::TLM_READ_COMMAND, pa, buf, len,
                                                    latency);
}

smmu_mem_result_t tlm_smmu::op_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                                     smmu_access_kind_t, uint32_t *latency)
{
    return static_cast<tlm_smmu *>(ctx)->mem_access(tlm::TLM_WRITE_COMMAND, pa,
                                                    const_cast<void *>(buf), len, latency);
}

} // namespace smmu
