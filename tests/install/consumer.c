/* SPDX-License-Identifier: Apache-2.0 */
/* An installed-package consumer (tests/install/consumers.sh): creates an
 * instance with the public API only, clears GBPA.ABORT (6.3.14: an update
 * with GBPA.Update set) and translates one address with the SMMU disabled,
 * so the transaction bypasses and the PA is the input address.
 * Prints "consumer <how>: smmuv3-sim <version>, PA 0x..." */
#include <stdio.h>
#include <string.h>

#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"
#include "smmu/smmu_version.h"

static smmu_mem_result_t rd(void *ctx, uint64_t pa, void *buf, uint32_t len, smmu_access_kind_t kind, uint32_t *lat)
{
    (void)ctx; (void)pa; (void)kind; (void)lat;
    memset(buf, 0, len);
    return SMMU_MEM_OK;
}

static smmu_mem_result_t wr(void *ctx, uint64_t pa, const void *buf, uint32_t len, smmu_access_kind_t kind, uint32_t *lat)
{
    (void)ctx; (void)pa; (void)buf; (void)len; (void)kind; (void)lat;
    return SMMU_MEM_OK;
}

int main(int argc, char **argv)
{
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    smmu_mem_ops_t ops;
    memset(&ops, 0, sizeof ops);
    ops.size = sizeof ops;
    ops.read = rd;
    ops.write = wr;
    char msg[256];
    smmu_t *s = smmu_create(&cfg, &ops, NULL, msg, sizeof msg);
    if (!s) {
        fprintf(stderr, "smmu_create: %s\n", msg);
        return 1;
    }
    smmu_mmio_write(s, SMMU_GBPA, SMMU_GBPA_UPDATE, 4);
    smmu_request_t req;
    memset(&req, 0, sizeof req);
    req.sid = 3;
    req.addr = 0x12345678;
    req.size = 4;
    smmu_response_t resp;
    smmu_translate(s, &req, &resp);
    printf("consumer %s: smmuv3-sim %s, outcome %d, PA 0x%llx\n", argc > 1 ? argv[1] : "?",
           smmu_version(), (int)resp.outcome, (unsigned long long)resp.pa);
    smmu_destroy(s);
    return resp.outcome == SMMU_XLATE_OK && resp.pa == 0x12345678 ? 0 : 1;
}
