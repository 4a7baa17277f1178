// SPDX-License-Identifier: Apache-2.0
#include "support/simmem.h"

#include "support/fault_inject.h"

namespace smmutest {

static int cb_read(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t kind,
                   uint32_t *latency)
{
    auto *m = static_cast<SimMem *>(ctx);
    if (latency)
        *latency = m->latency;
    if (m->log_enabled)
        m->log.push_back({pa, len, kind, false});
    if (m->inject && m->inject->fail({pa, len, kind, false}))
        return m->abort_result;
    if (m->aborts(pa, len))
        return m->abort_result;
    m->read(pa, buf, len);
    return 0;
}

static int cb_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                    smmu_access_kind_t kind, uint32_t *latency)
{
    auto *m = static_cast<SimMem *>(ctx);
    if (latency)
        *latency = m->latency;
    if (m->log_enabled)
        m->log.push_back({pa, len, kind, true});
    if (m->inject && m->inject->fail({pa, len, kind, true}))
        return m->abort_result;
    if (m->aborts(pa, len))
        return m->abort_result;
    m->write(pa, buf, len);
    return 0;
}

static int cb_cas64(void *ctx, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *old)
{
    auto *m = static_cast<SimMem *>(ctx);
    if (m->inject && m->inject->fail({pa, 8, SMMU_ACC_TT_UPDATE, true}))
        return m->abort_result;
    if (m->aborts(pa, 8))
        return m->abort_result;
    uint64_t cur;
    m->read(pa, &cur, 8);
    *old = cur;
    if (cur == expected)
        m->write(pa, &desired, 8);
    return 0;
}

static void cb_irq(void *ctx, smmu_irq_t irq)
{
    static_cast<SimMem *>(ctx)->irqs.push_back(irq);
}

static void cb_event(void *ctx, const smmu_event_t *ev, int recorded)
{
    auto *m = static_cast<SimMem *>(ctx);
    m->observed_events.push_back(*ev);
    m->observed_recorded.push_back(recorded);
}

SimMem::SimMem()
{
    std::memset(&ops_, 0, sizeof(ops_));
    ops_.read = cb_read;
    ops_.write = cb_write;
    ops_.cas64 = cb_cas64;
    ops_.raise_irq = cb_irq;
    ops_.on_event = cb_event;
}

uint8_t *SimMem::page(uint64_t pa, bool create)
{
    uint64_t pn = pa >> 12;
    auto it = pages_.find(pn);
    if (it != pages_.end())
        return it->second.get();
    if (!create)
        return nullptr;
    auto p = std::make_unique<uint8_t[]>(4096);
    std::memset(p.get(), 0, 4096);
    uint8_t *raw = p.get();
    pages_.emplace(pn, std::move(p));
    return raw;
}

const uint8_t *SimMem::page_c(uint64_t pa) const
{
    auto it = pages_.find(pa >> 12);
    return it == pages_.end() ? nullptr : it->second.get();
}

void SimMem::write(uint64_t pa, const void *buf, size_t len)
{
    const uint8_t *b = static_cast<const uint8_t *>(buf);
    while (len) {
        size_t off = pa & 4095, n = std::min(len, size_t(4096 - off));
        std::memcpy(page(pa, true) + off, b, n);
        pa += n;
        b += n;
        len -= n;
    }
}

void SimMem::read(uint64_t pa, void *buf, size_t len) const
{
    uint8_t *b = static_cast<uint8_t *>(buf);
    while (len) {
        size_t off = pa & 4095, n = std::min(len, size_t(4096 - off));
        const uint8_t *p = page_c(pa);
        if (p)
            std::memcpy(b, p + off, n);
        else
            std::memset(b, 0, n);
        pa += n;
        b += n;
        len -= n;
    }
}

void SimMem::write64(uint64_t pa, uint64_t v, bool be)
{
    uint8_t b[8];
    for (int i = 0; i < 8; i++)
        b[i] = uint8_t(v >> (be ? 8 * (7 - i) : 8 * i));
    write(pa, b, 8);
}

uint64_t SimMem::read64(uint64_t pa, bool be) const
{
    uint8_t b[8];
    read(pa, b, 8);
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= uint64_t(b[i]) << (be ? 8 * (7 - i) : 8 * i);
    return v;
}

void SimMem::write32(uint64_t pa, uint32_t v)
{
    uint8_t b[4];
    for (int i = 0; i < 4; i++)
        b[i] = uint8_t(v >> (8 * i));
    write(pa, b, 4);
}

uint32_t SimMem::read32(uint64_t pa) const
{
    uint8_t b[4];
    read(pa, b, 4);
    return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}

void SimMem::add_abort(uint64_t base, uint64_t size) { aborts_.push_back({base, size}); }
void SimMem::clear_aborts() { aborts_.clear(); }

bool SimMem::aborts(uint64_t pa, uint64_t len) const
{
    for (auto &r : aborts_)
        if (pa < r.first + r.second && r.first < pa + len)
            return true;
    return false;
}

} // namespace smmutest
