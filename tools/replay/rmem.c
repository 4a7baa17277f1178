/* SPDX-License-Identifier: Apache-2.0 */
/* Sparse memory (see rmem.h). */
#include "rmem.h"

#include <stdlib.h>
#include <string.h>

#define PAGE 4096u

void rmem_init(rmem_t *m) { memset(m, 0, sizeof(*m)); }

void rmem_free(rmem_t *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->pages[i]);
    free(m->keys);
    free(m->pages);
    free(m->aborts);
    memset(m, 0, sizeof(*m));
}

static size_t slot_of(uint64_t key, size_t cap)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (cap - 1);
}

static uint8_t *lookup(rmem_t *m, uint64_t pn)
{
    uint64_t key = pn + 1;
    if (key == m->last_key)
        return m->last_page;
    if (!m->cap)
        return NULL;
    for (size_t i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
        if (m->keys[i] == key) {
            m->last_key = key;
            m->last_page = m->pages[i];
            return m->pages[i];
        }
        if (!m->keys[i])
            return NULL;
    }
}

static int grow(rmem_t *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 256;
    uint64_t *nk = calloc(ncap, sizeof(*nk));
    uint8_t **np = calloc(ncap, sizeof(*np));
    if (!nk || !np) {
        free(nk);
        free(np);
        return -1;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = slot_of(m->keys[i], ncap);
        while (nk[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        np[j] = m->pages[i];
    }
    free(m->keys);
    free(m->pages);
    m->keys = nk;
    m->pages = np;
    m->cap = ncap;
    return 0;
}

static uint8_t *page_for_write(rmem_t *m, uint64_t pn)
{
    uint8_t *p = lookup(m, pn);
    if (p)
        return p;
    if ((m->used + 1) * 2 > m->cap && grow(m))
        return NULL;
    uint64_t key = pn + 1;
    size_t i = slot_of(key, m->cap);
    while (m->keys[i])
        i = (i + 1) & (m->cap - 1);
    p = calloc(1, PAGE);
    if (!p)
        return NULL;
    m->keys[i] = key;
    m->pages[i] = p;
    m->used++;
    m->last_key = key;
    m->last_page = p;
    return p;
}

int rmem_add_abort(rmem_t *m, uint64_t base, uint64_t size, unsigned access)
{
    if (m->naborts == m->abort_cap) {
        size_t nc = m->abort_cap ? m->abort_cap * 2 : 8;
        rmem_region_t *n = realloc(m->aborts, nc * sizeof(*n));
        if (!n)
            return -1;
        m->aborts = n;
        m->abort_cap = nc;
    }
    m->aborts[m->naborts].base = base;
    m->aborts[m->naborts].size = size;
    m->aborts[m->naborts].access = access;
    m->naborts++;
    return 0;
}

static int aborts(const rmem_t *m, uint64_t pa, size_t len, unsigned access)
{
    for (size_t i = 0; i < m->naborts; i++) {
        const rmem_region_t *r = &m->aborts[i];
        if (!(r->access & access))
            continue;
        uint64_t last = pa + (len ? len - 1 : 0);
        uint64_t rlast = r->base + (r->size ? r->size - 1 : 0);
        if (pa <= rlast && last >= r->base)
            return 1;
    }
    return 0;
}

void rmem_peek(rmem_t *m, uint64_t pa, void *buf, size_t len)
{
    uint8_t *out = buf;
    while (len) {
        size_t off = (size_t)(pa & (PAGE - 1));
        size_t n = PAGE - off;
        if (n > len)
            n = len;
        const uint8_t *p = lookup(m, pa / PAGE);
        if (p)
            memcpy(out, p + off, n);
        else
            memset(out, 0, n);
        out += n;
        pa += n;
        len -= n;
    }
}

void rmem_load(rmem_t *m, uint64_t pa, const void *buf, size_t len)
{
    const uint8_t *in = buf;
    while (len) {
        size_t off = (size_t)(pa & (PAGE - 1));
        size_t n = PAGE - off;
        if (n > len)
            n = len;
        uint8_t *p = page_for_write(m, pa / PAGE);
        if (p)
            memcpy(p + off, in, n);
        in += n;
        pa += n;
        len -= n;
    }
}

int rmem_read(rmem_t *m, uint64_t pa, void *buf, size_t len)
{
    if (m->naborts && aborts(m, pa, len, RMEM_ABORT_READ))
        return -1;
    size_t off = (size_t)(pa & (PAGE - 1));
    if (off + len <= PAGE) { /* fast path: one page */
        const uint8_t *p = lookup(m, pa / PAGE);
        if (p)
            memcpy(buf, p + off, len);
        else
            memset(buf, 0, len);
        return 0;
    }
    rmem_peek(m, pa, buf, len);
    return 0;
}

int rmem_write(rmem_t *m, uint64_t pa, const void *buf, size_t len)
{
    if (m->naborts && aborts(m, pa, len, RMEM_ABORT_WRITE))
        return -1;
    rmem_load(m, pa, buf, len);
    return 0;
}
