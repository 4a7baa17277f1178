/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target fuzz_cmdq: a booted SMMU (3.11) with one stage-1 stream
 * (SID 1) and one stage-2 stream (SID 2), whose command queue receives
 * smmu_cmd_encode() of fuzzed fields and raw fuzzed command words (chapter
 * 4), mixed with translations that fill the caches the commands invalidate,
 * fuzzed queue-pointer writes and GERRORN acknowledgements. After every
 * step the invariants of tests/fuzz/fuzz_common.h are checked (queue
 * pointers, GERROR, responses, event records, statistics; docs/fuzzing.md).
 *
 *   bash scripts/fuzz.sh --all 60
 */
#include "fuzz_common.h"

static const uint8_t opcodes[] = {
    SMMU_CMD_PREFETCH_CONFIG, SMMU_CMD_PREFETCH_ADDR, SMMU_CMD_CFGI_STE, SMMU_CMD_CFGI_STE_RANGE,
    SMMU_CMD_CFGI_CD,         SMMU_CMD_CFGI_CD_ALL,   SMMU_CMD_CFGI_VMS_PIDM, SMMU_CMD_TLBI_NH_ALL,
    SMMU_CMD_TLBI_NH_ASID,    SMMU_CMD_TLBI_NH_VA,    SMMU_CMD_TLBI_NH_VAA, SMMU_CMD_TLBI_EL3_ALL,
    SMMU_CMD_TLBI_EL3_VA,     SMMU_CMD_TLBI_EL2_ALL,  SMMU_CMD_TLBI_EL2_ASID, SMMU_CMD_TLBI_EL2_VA,
    SMMU_CMD_TLBI_EL2_VAA,    SMMU_CMD_TLBI_S12_VMALL, SMMU_CMD_TLBI_S2_IPA, SMMU_CMD_TLBI_NSNH_ALL,
    SMMU_CMD_ATC_INV,         SMMU_CMD_PRI_RESP,      SMMU_CMD_RESUME,     SMMU_CMD_STALL_TERM,
    SMMU_CMD_SYNC,
};

#define VA_S1 0x40000000ull
#define IPA_S2 0x80000000ull

/* Attach SID 1 (stage 1, ASID 5, 4 pages) and SID 2 (stage 2, VMID 3, 4
 * pages); stalls (CD.S, STE.S2S) from the configuration byte. */
static int attach(fz_h_t *h, uint64_t c)
{
    smmu_build_pt_t p1, p2;
    smmu_build_cdtab_t cdt;
    unsigned rw = SMMU_BUILD_R | SMMU_BUILD_W | SMMU_BUILD_USER;
    if (smmu_build_pt_init(&h->b, &p1, 1, 4096, 48, 48, -1) ||
        smmu_build_map(&h->b, &p1, VA_S1, 0x100000, 0x4000, rw, NULL, NULL) ||
        smmu_build_cdtab_init(&h->b, &cdt, 0, 0))
        return -1;
    smmu_build_cd_t cd = {.ttb0 = p1.root, .t0sz = 16, .epd1 = 1, .ips = 5, .asid = 5,
                          .aa64 = 1, .a = 1, .r = 1, .s = (unsigned)(c & 1), .mair = 0xFF};
    smmu_build_ste_t s1 = {.config = SMMU_STE_S1, .s1_context_ptr = cdt.base};
    if (smmu_build_cd_write(&h->b, &cdt, 0, &cd) || smmu_build_ste_write(&h->b, &h->st, 1, &s1))
        return -1;
    if (smmu_build_pt_init(&h->b, &p2, 2, 4096, 40, 40, -1) ||
        smmu_build_map(&h->b, &p2, IPA_S2, 0x140000, 0x4000, rw, NULL, NULL))
        return -1;
    smmu_build_ste_t s2 = {.config = SMMU_STE_S2, .s2vmid = 3, .s2t0sz = smmu_build_pt_tsz(&p2),
                           .s2sl0 = smmu_build_pt_s2sl0(&p2), .s2tg = smmu_build_pt_s2tg(&p2),
                           .s2ps = 2, .s2aa64 = 1, .s2r = 1, .s2s = (unsigned)((c >> 1) & 1),
                           .s2ttb = p2.root};
    return smmu_build_ste_write(&h->b, &h->st, 2, &s2) ? -1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static fz_h_t h;
    fz_in_t in = {data, size};
    uint64_t c = fz_take(&in, 2);
    smmu_config_t cfg;
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    cfg.tlb_sets = (c >> 2) & 1 ? 0 : 16;
    cfg.cfg_cache_entries = (c >> 3) & 1 ? 0 : 16;
    cfg.stall_model = (uint8_t)((c >> 4) & 1); /* 0 stall and terminate, 1 terminate only */
    unsigned cmdq_log2 = 1 + (unsigned)((c >> 5) & 7);  /* 2..256 entries */
    unsigned evtq_log2 = 1 + (unsigned)((c >> 8) & 3);  /* 2..16: overflows happen */
    if (fz_boot(&h, &cfg, 4, cmdq_log2, evtq_log2) || attach(&h, c)) {
        fz_end(&h);
        return 0;
    }
    fz_check_all(&h);

    while (in.n) {
        unsigned op = (unsigned)fz_take(&in, 1);
        switch (op % 6) {
        case 0:
        case 1: { /* a command from fuzzed fields through smmu_cmd_encode (4.1) */
            smmu_cmd_t cmd;
            memset(&cmd, 0, sizeof cmd);
            uint64_t f = fz_take(&in, 8), g = fz_take(&in, 8);
            cmd.opcode = (op & 8) ? (uint8_t)(f & 0xFF)
                                  : opcodes[(f & 0xFF) % (sizeof opcodes / sizeof opcodes[0])];
            cmd.ssec = 0;
            cmd.ssv = (f >> 8) & 1;
            cmd.leaf = (f >> 9) & 1;
            cmd.global = (f >> 10) & 1;
            cmd.range = (uint8_t)((f >> 11) & 31);
            cmd.num = (uint8_t)((f >> 16) & 31);
            cmd.scale = (uint8_t)((f >> 21) & 31);
            cmd.ttl = (uint8_t)((f >> 26) & 3);
            cmd.tg = (uint8_t)((f >> 28) & 3);
            cmd.size = (uint8_t)((f >> 30) & 63);
            cmd.stride = (uint8_t)((f >> 36) & 15);
            cmd.cs = (uint8_t)((f >> 40) & 3);
            cmd.msh = (uint8_t)((f >> 42) & 3);
            cmd.resp = (uint8_t)((f >> 44) % 3);
            cmd.ab = (f >> 46) & 1;
            cmd.asid = (uint16_t)((f >> 47) & 7); /* small: hits ASID 5 */
            cmd.vmid = (uint16_t)((f >> 50) & 3); /* hits VMID 3 */
            cmd.sid = (uint32_t)((f >> 52) & 3);
            cmd.ssid = (uint32_t)((f >> 54) & 3);
            cmd.stag = (uint16_t)((f >> 56) & 3);
            cmd.prgindex = (uint16_t)(g & 0x1FF);
            cmd.msidata = (uint32_t)(g >> 9);
            cmd.addr = (op & 16) ? g : (((op & 32) ? IPA_S2 : VA_S1) + ((g & 7) << 12));
            cmd.msiaddr = (op & 64) ? g : FZ_MSI_BASE + ((g >> 3) & 0xFFC);
            uint64_t w[2];
            if (smmu_cmd_encode(&cmd, w) == 0)
                fz_submit(&h, w, 1);
            else if (w[0] || w[1])
                fz_fail("smmu_cmd_encode refused opcode 0x%02x but left out non-zero", cmd.opcode);
            break;
        }
        case 2: { /* raw command words */
            uint64_t w[2] = {fz_take(&in, 8), fz_take(&in, 8)};
            if (op & 8) /* keep the opcode in the known set half of the time */
                w[0] = (w[0] & ~0xFFull) | opcodes[(w[0] & 0xFF) % (sizeof opcodes)];
            fz_submit(&h, w, 1);
            break;
        }
        case 3: { /* a translation on SID 0-3 */
            uint64_t a = fz_take(&in, 2);
            smmu_request_t rq;
            memset(&rq, 0, sizeof rq);
            rq.sid = (uint32_t)(a & 3);
            rq.write = (a >> 2) & 1;
            rq.priv = (a >> 3) & 1;
            rq.addr = ((a >> 4) & 1 ? IPA_S2 : VA_S1) + (((a >> 5) & 7) << 12) + ((a >> 8) << 4);
            fz_translate(&h, &rq);
            break;
        }
        case 4: { /* a fuzzed write to a queue pointer or GERRORN */
            static const uint64_t regs[] = {SMMU_CMDQ_PROD, SMMU_CMDQ_CONS, SMMU_EVENTQ_PROD,
                                            SMMU_EVENTQ_CONS, SMMU_GERRORN};
            uint32_t v = (uint32_t)fz_take(&in, 4);
            fz_wr(&h, regs[(op >> 3) % 5], v);
            /* Pointers are checked as written; then the event queue is
             * re-synchronised (CONS = PROD) because slots a moved pointer
             * exposes were never written by the SMMU. */
            fz_check_regs(&h);
            uint32_t p = fz_rd(&h, SMMU_EVENTQ_PROD);
            fz_wr(&h, SMMU_EVENTQ_CONS, p);
            break;
        }
        default: /* acknowledge every active global error */
            fz_wr(&h, SMMU_GERRORN, fz_rd(&h, SMMU_GERROR));
            break;
        }
        fz_check_all(&h);
    }
    fz_end(&h);
    return 0;
}
