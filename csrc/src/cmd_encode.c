/* SPDX-License-Identifier: Apache-2.0 */
/* Command encoder (chapter 4): named fields -> the two words of a CMDQ
 * entry. Layouts: 4.2 prefetch, 4.3 configuration invalidation, 4.4 TLB
 * invalidation, 4.5 ATS, 4.6 PRI and stall, 4.7 CMD_SYNC. */
#include <ctype.h>
#include <string.h>

#include "smmu/smmu_cmd.h"
#include "smmu/smmu_regs.h"

enum {
    F_SSEC, F_SSV, F_LEAF, F_GLOBAL, F_RANGE, F_NUM, F_SCALE, F_TTL, F_TG, F_SIZE, F_STRIDE,
    F_NS, F_CS, F_MSH, F_MSIATTR, F_RESP, F_AB, F_ASID, F_VMID, F_STAG, F_PRGINDEX, F_SID,
    F_SSID, F_MSIDATA, F_ADDR, F_MSIADDR, F_COUNT
};

typedef struct field_desc {
    const char *name;
    size_t off;
    unsigned bytes;
    unsigned width;
} field_desc_t;

#define FD(n, w) {#n, offsetof(smmu_cmd_t, n), sizeof(((smmu_cmd_t *)0)->n), w}
static const field_desc_t fields[F_COUNT] = {
    FD(ssec, 1),  FD(ssv, 1),      FD(leaf, 1),    FD(global, 1),   FD(range, 5),
    FD(num, 5),   FD(scale, 5),    FD(ttl, 2),     FD(tg, 2),       FD(size, 6),
    FD(stride, 4), FD(ns, 1),      FD(cs, 2),      FD(msh, 2),      FD(msiattr, 4),
    FD(resp, 2),  FD(ab, 1),       FD(asid, 16),   FD(vmid, 16),    FD(stag, 16),
    FD(prgindex, 9), FD(sid, 32),  FD(ssid, 20),   FD(msidata, 32), FD(addr, 64),
    FD(msiaddr, 56),
};
#undef FD

#define B(f) (1u << (f))
#define TLBI_VA_COMMON (B(F_NUM) | B(F_SCALE) | B(F_LEAF) | B(F_TTL) | B(F_TG) | B(F_ADDR))

typedef struct cmd_desc {
    const char *name;
    uint8_t opcode;
    uint32_t fields; /* B(F_*) */
} cmd_desc_t;

static const cmd_desc_t cmds[] = {
    {"CMD_PREFETCH_CONFIG", SMMU_CMD_PREFETCH_CONFIG, B(F_SSEC) | B(F_SSV) | B(F_SSID) | B(F_SID)},
    {"CMD_PREFETCH_ADDR", SMMU_CMD_PREFETCH_ADDR,
     B(F_SSEC) | B(F_SSV) | B(F_SSID) | B(F_SID) | B(F_ADDR) | B(F_NS) | B(F_SIZE) | B(F_STRIDE)},
    {"CMD_CFGI_STE", SMMU_CMD_CFGI_STE, B(F_SSEC) | B(F_SID) | B(F_LEAF)},
    {"CMD_CFGI_STE_RANGE", SMMU_CMD_CFGI_STE_RANGE, B(F_SSEC) | B(F_SID) | B(F_RANGE)},
    {"CMD_CFGI_ALL", SMMU_CMD_CFGI_STE_RANGE, B(F_SSEC)},
    {"CMD_CFGI_CD", SMMU_CMD_CFGI_CD, B(F_SSEC) | B(F_SID) | B(F_SSID) | B(F_LEAF)},
    {"CMD_CFGI_CD_ALL", SMMU_CMD_CFGI_CD_ALL, B(F_SSEC) | B(F_SID)},
    {"CMD_CFGI_VMS_PIDM", SMMU_CMD_CFGI_VMS_PIDM, B(F_SSEC) | B(F_VMID)},
    {"CMD_TLBI_NH_ALL", SMMU_CMD_TLBI_NH_ALL, B(F_VMID)},
    {"CMD_TLBI_NH_ASID", SMMU_CMD_TLBI_NH_ASID, B(F_VMID) | B(F_ASID)},
    {"CMD_TLBI_NH_VA", SMMU_CMD_TLBI_NH_VA, B(F_VMID) | B(F_ASID) | TLBI_VA_COMMON},
    {"CMD_TLBI_NH_VAA", SMMU_CMD_TLBI_NH_VAA, B(F_VMID) | TLBI_VA_COMMON},
    {"CMD_TLBI_EL3_ALL", SMMU_CMD_TLBI_EL3_ALL, 0},
    {"CMD_TLBI_EL3_VA", SMMU_CMD_TLBI_EL3_VA, TLBI_VA_COMMON},
    {"CMD_TLBI_EL2_ALL", SMMU_CMD_TLBI_EL2_ALL, 0},
    {"CMD_TLBI_EL2_ASID", SMMU_CMD_TLBI_EL2_ASID, B(F_ASID)},
    {"CMD_TLBI_EL2_VA", SMMU_CMD_TLBI_EL2_VA, B(F_ASID) | TLBI_VA_COMMON},
    {"CMD_TLBI_EL2_VAA", SMMU_CMD_TLBI_EL2_VAA, TLBI_VA_COMMON},
    {"CMD_TLBI_S12_VMALL", SMMU_CMD_TLBI_S12_VMALL, B(F_VMID)},
    {"CMD_TLBI_S2_IPA", SMMU_CMD_TLBI_S2_IPA, B(F_VMID) | TLBI_VA_COMMON},
    {"CMD_TLBI_NSNH_ALL", SMMU_CMD_TLBI_NSNH_ALL, 0},
    {"CMD_ATC_INV", SMMU_CMD_ATC_INV,
     B(F_SSV) | B(F_SSID) | B(F_SID) | B(F_GLOBAL) | B(F_SIZE) | B(F_ADDR)},
    {"CMD_PRI_RESP", SMMU_CMD_PRI_RESP,
     B(F_SSEC) | B(F_SSV) | B(F_SSID) | B(F_SID) | B(F_PRGINDEX) | B(F_RESP)},
    {"CMD_RESUME", SMMU_CMD_RESUME, B(F_SSEC) | B(F_SID) | B(F_RESP) | B(F_AB) | B(F_STAG)},
    {"CMD_STALL_TERM", SMMU_CMD_STALL_TERM, B(F_SSEC) | B(F_SID)},
    {"CMD_SYNC", SMMU_CMD_SYNC, B(F_CS) | B(F_MSH) | B(F_MSIATTR) | B(F_MSIDATA) | B(F_MSIADDR)},
};
#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static int name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (toupper((unsigned char)*a) != toupper((unsigned char)*b))
            return 0;
    return *a == *b;
}

static const cmd_desc_t *find_cmd(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < NCMDS; i++) {
        if (name_eq(name, cmds[i].name) || name_eq(name, cmds[i].name + 4))
            return &cmds[i];
    }
    return NULL;
}

static const cmd_desc_t *find_opcode(unsigned opcode)
{
    for (size_t i = 0; i < NCMDS; i++)
        if (cmds[i].opcode == opcode)
            return &cmds[i];
    return NULL;
}

static int find_field(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "action"))
        return F_RESP;
    for (int i = 0; i < F_COUNT; i++)
        if (!strcmp(name, fields[i].name))
            return i;
    return -1;
}

int smmu_cmd_by_name(const char *name)
{
    const cmd_desc_t *c = find_cmd(name);
    return c ? c->opcode : -1;
}

int smmu_cmd_init_by_name(smmu_cmd_t *cmd, const char *name)
{
    const cmd_desc_t *c = find_cmd(name);
    if (!c || !cmd)
        return -1;
    memset(cmd, 0, sizeof(*cmd));
    cmd->opcode = c->opcode;
    if (!strcmp(c->name, "CMD_CFGI_ALL"))
        cmd->range = 31;
    return 0;
}

const char *smmu_cmd_name(unsigned opcode)
{
    const cmd_desc_t *c = find_opcode(opcode);
    return c ? c->name : NULL;
}

const char *smmu_cmd_name_at(size_t i) { return i < NCMDS ? cmds[i].name : NULL; }

const char *smmu_cmd_field_name_at(size_t i) { return i < F_COUNT ? fields[i].name : NULL; }

unsigned smmu_cmd_field_width(const char *field)
{
    int f = find_field(field);
    return f < 0 ? 0 : fields[f].width;
}

int smmu_cmd_field_applies(unsigned opcode, const char *field)
{
    const cmd_desc_t *c = find_opcode(opcode);
    int f = find_field(field);
    if (!c || f < 0)
        return 0;
    if (opcode == SMMU_CMD_CFGI_STE_RANGE) /* CFGI_ALL shares the opcode */
        return (cmds[3].fields >> f) & 1u;
    return (c->fields >> f) & 1u;
}

int smmu_cmd_set_field(smmu_cmd_t *cmd, const char *field, uint64_t value)
{
    int f = find_field(field);
    if (f < 0 || !cmd)
        return -1;
    unsigned w = fields[f].width;
    if (w < 64 && (value >> w))
        return -2;
    unsigned char *p = (unsigned char *)cmd + fields[f].off;
    switch (fields[f].bytes) {
    case 1: { uint8_t v = (uint8_t)value; memcpy(p, &v, 1); break; }
    case 2: { uint16_t v = (uint16_t)value; memcpy(p, &v, 2); break; }
    case 4: { uint32_t v = (uint32_t)value; memcpy(p, &v, 4); break; }
    default: memcpy(p, &value, 8); break;
    }
    return 0;
}

int smmu_cmd_encode(const smmu_cmd_t *c, uint64_t out[2])
{
    out[0] = out[1] = 0;
    if (!c)
        return -1;
    const cmd_desc_t *d = find_opcode(c->opcode);
    if (!d)
        return -1;
    uint32_t fs = c->opcode == SMMU_CMD_CFGI_STE_RANGE ? cmds[3].fields : d->fields;
    uint64_t w0 = c->opcode, w1 = 0;
#define HAS(f) (fs & B(f))
    if (HAS(F_SSEC))
        w0 |= SMMU_PUT(c->ssec, 10, 10);
    if (HAS(F_SSV))
        w0 |= SMMU_PUT(c->ssv, 11, 11);
    if (HAS(F_GLOBAL))
        w0 |= SMMU_PUT(c->global, 9, 9);
    if (HAS(F_SSID))
        w0 |= SMMU_PUT(c->ssid, 31, 12);
    if (HAS(F_SID))
        w0 |= SMMU_PUT(c->sid, 63, 32);
    if (HAS(F_NUM))
        w0 |= SMMU_PUT(c->num, 16, 12);
    if (HAS(F_SCALE))
        w0 |= SMMU_PUT(c->scale, 24, 20);
    if (HAS(F_VMID))
        w0 |= SMMU_PUT(c->vmid, 47, 32);
    if (HAS(F_ASID))
        w0 |= SMMU_PUT(c->asid, 63, 48);
    if (HAS(F_CS))
        w0 |= SMMU_PUT(c->cs, 13, 12);
    if (HAS(F_MSH))
        w0 |= SMMU_PUT(c->msh, 23, 22);
    if (HAS(F_MSIATTR))
        w0 |= SMMU_PUT(c->msiattr, 27, 24);
    if (HAS(F_MSIDATA))
        w0 |= SMMU_PUT(c->msidata, 63, 32);
    if (HAS(F_RESP)) {
        if (c->opcode == SMMU_CMD_PRI_RESP)
            w1 |= SMMU_PUT(c->resp, 13, 12); /* 4.5.2 CMD_PRI_RESP: Resp is w1[13:12] */
        else
            w0 |= SMMU_PUT(c->resp, 13, 12); /* CMD_RESUME: Ac [12], Ab [13] */
    }
    if (HAS(F_AB))
        w0 |= SMMU_PUT(c->ab, 13, 13); /* 4.7.1: Ab [13], next to Ac [12] */
    if (HAS(F_LEAF))
        w1 |= SMMU_PUT(c->leaf, 0, 0);
    if (HAS(F_RANGE))
        w1 |= SMMU_PUT(c->range, 4, 0);
    if (HAS(F_TTL))
        w1 |= SMMU_PUT(c->ttl, 9, 8);
    if (HAS(F_TG))
        w1 |= SMMU_PUT(c->tg, 11, 10);
    if (HAS(F_SIZE))
        w1 |= c->opcode == SMMU_CMD_ATC_INV ? SMMU_PUT(c->size, 5, 0) : SMMU_PUT(c->size, 4, 0);
    if (HAS(F_NS))
        w1 |= SMMU_PUT(c->ns, 7, 7);
    if (HAS(F_STRIDE))
        w1 |= SMMU_PUT(c->stride, 11, 8);
    if (HAS(F_STAG))
        w1 |= SMMU_PUT(c->stag, 15, 0);
    if (HAS(F_PRGINDEX))
        w1 |= SMMU_PUT(c->prgindex, 8, 0);
    if (HAS(F_ADDR))
        w1 |= c->addr & (c->opcode == SMMU_CMD_TLBI_S2_IPA ? SMMU_MASK(55, 12) : SMMU_MASK(63, 12));
    if (HAS(F_MSIADDR))
        w1 |= c->msiaddr & SMMU_MASK(55, 2);
#undef HAS
    out[0] = w0;
    out[1] = w1;
    return 0;
}
