/* SPDX-License-Identifier: Apache-2.0 */
/* Sparse page dumps as scenario memory (docs/scenario.md, "memory"):
 * `- {pages: F.pages, index: F.pidx}`. F.pages holds N whole 4 KiB pages;
 * F.pidx one page-aligned hexadecimal PA per line, strictly increasing, N
 * lines. smmu-import-qemu writes them (docs/qemu.md). */
#ifndef SMMU_TOOLS_PAGES_H
#define SMMU_TOOLS_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "rmem.h"

#define PAGES_SIZE 4096u

/* Load the pages of pages_path at the PAs of idx_path into mem. Returns the
 * number of pages (>= 0), or -1 with msg set to "FILE:LINE:COLUMN: error: ..."
 * (the position in the index), or -2 with msg set to a message without a
 * position, starting "pages:" or "index:" (unreadable file, a pages file
 * that is not whole pages: the caller adds the YAML key's position). */
long pages_load(rmem_t *mem, const char *pages_path, const char *idx_path, char *msg, size_t n);

#endif
