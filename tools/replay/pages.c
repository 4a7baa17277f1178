/* SPDX-License-Identifier: Apache-2.0 */
/* Sparse page dumps (pages.h): F.pages + F.pidx into scenario memory. */
#define _POSIX_C_SOURCE 200809L
#include "pages.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

long pages_load(rmem_t *mem, const char *pages_path, const char *idx_path, char *msg, size_t n)
{
    char why[128];
    FILE *pf = fio_open_input(pages_path, why, sizeof why);
    if (!pf) {
        snprintf(msg, n, "pages: cannot open '%s': %s", pages_path, why);
        return -2;
    }
    FILE *xf = fio_open_input(idx_path, why, sizeof why);
    if (!xf) {
        fclose(pf);
        snprintf(msg, n, "index: cannot open '%s': %s", idx_path, why);
        return -2;
    }
    long rc = -1;
    uint64_t npages = 0;
    if (fseek(pf, 0, SEEK_END) || ftell(pf) < 0) {
        snprintf(msg, n, "pages: cannot seek '%s'", pages_path);
        rc = -2;
        goto out;
    }
    long sz = ftell(pf);
    rewind(pf);
    if ((unsigned long)sz % PAGES_SIZE) {
        snprintf(msg, n, "pages: '%s' is %ld bytes, not a whole number of 4096-byte pages",
                 pages_path, sz);
        rc = -2;
        goto out;
    }
    npages = (uint64_t)sz / PAGES_SIZE;
    unsigned char page[PAGES_SIZE];
    char line[256];
    unsigned long lineno = 0;
    uint64_t prev = 0, count = 0;
    while (fgets(line, sizeof line, xf)) {
        lineno++;
        size_t len = strlen(line);
        if (len && line[len - 1] != '\n' && !feof(xf)) {
            snprintf(msg, n, "%s:%lu:1: error: line longer than %zu characters", idx_path, lineno,
                     sizeof line - 2);
            goto out;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        const char *c = line;
        if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X'))
            c += 2;
        if (!*c) {
            snprintf(msg, n, "%s:%lu:%d: error: expected a hexadecimal page address, found "
                             "an empty line", idx_path, lineno, (int)(c - line) + 1);
            goto out;
        }
        uint64_t pa = 0;
        for (const char *p = c; *p; p++) {
            int v = hexval((unsigned char)*p);
            if (v < 0) {
                snprintf(msg, n, "%s:%lu:%d: error: expected a hexadecimal digit, found '%c'",
                         idx_path, lineno, (int)(p - line) + 1, *p);
                goto out;
            }
            if (p - c >= 16) {
                snprintf(msg, n, "%s:%lu:1: error: address wider than 64 bits", idx_path, lineno);
                goto out;
            }
            pa = pa << 4 | (uint64_t)v;
        }
        if (pa & (PAGES_SIZE - 1)) {
            snprintf(msg, n, "%s:%lu:1: error: address 0x%llx is not 4096-byte aligned", idx_path,
                     lineno, (unsigned long long)pa);
            goto out;
        }
        if (count && pa <= prev) {
            snprintf(msg, n, "%s:%lu:1: error: address 0x%llx is not above the previous line's "
                             "0x%llx (the index is strictly increasing)", idx_path, lineno,
                     (unsigned long long)pa, (unsigned long long)prev);
            goto out;
        }
        if (count == npages) {
            snprintf(msg, n, "%s:%lu:1: error: more lines than '%s' has pages (%llu)", idx_path,
                     lineno, pages_path, (unsigned long long)npages);
            goto out;
        }
        if (fread(page, 1, PAGES_SIZE, pf) != PAGES_SIZE) {
            snprintf(msg, n, "pages: cannot read '%s'", pages_path);
            rc = -2;
            goto out;
        }
        rmem_load(mem, pa, page, PAGES_SIZE);
        prev = pa;
        count++;
    }
    if (ferror(xf)) {
        snprintf(msg, n, "index: cannot read '%s': %s", idx_path, strerror(errno));
        rc = -2;
        goto out;
    }
    if (count != npages) {
        snprintf(msg, n, "%s:%lu:1: error: %llu lines, but '%s' has %llu pages (one line per "
                         "page)", idx_path, lineno + 1, (unsigned long long)count, pages_path,
                 (unsigned long long)npages);
        goto out;
    }
    rc = (long)count;
out:
    fclose(pf);
    fclose(xf);
    return rc;
}
