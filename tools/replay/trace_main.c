/* smmu-trace: binary transaction traces (tools/replay/trace.h).
 *   smmu-trace convert IN.csv OUT.bin   CSV -> binary
 *   smmu-trace info FILE.bin            header and counts
 *   smmu-trace dump FILE.bin            binary -> CSV on stdout */
#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "smmu/smmu_version.h"
#include "trace.h"

static int usage(FILE *f)
{
    fprintf(f, "usage: smmu-trace convert IN.csv OUT.bin\n"
               "       smmu-trace info FILE.bin\n"
               "       smmu-trace dump FILE.bin\n"
               "       smmu-trace --version\n"
               "CSV columns: sid,ssid,addr,size,access[,flags]  (ssid empty or '-' = absent;\n"
               "access R, W or X; flags letters P privileged, S Secure, C PCIe)\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--version")) {
        printf("smmu-trace %s\n", SMMU_VERSION_STRING);
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "convert")) {
        uint64_t n = 0;
        int rc = trace_convert_csv(argv[2], argv[3], stderr, &n);
        if (!rc)
            printf("%s: %llu transactions\n", argv[3], (unsigned long long)n);
        int wrc = fio_close_stdout("smmu-trace", stderr);
        return rc ? rc : wrc;
    }
    if (argc == 3 && (!strcmp(argv[1], "info") || !strcmp(argv[1], "dump"))) {
        trace_reader_t r;
        if (trace_open(&r, argv[2], stderr))
            return 2;
        int dump = !strcmp(argv[1], "dump");
        uint64_t reads = 0, writes = 0;
        const unsigned char *recs;
        long got;
        if (dump)
            printf("sid,ssid,addr,size,access,flags\n");
        while ((got = trace_next_batch(&r, &recs, stderr)) > 0) {
            for (long i = 0; i < got; i++) {
                trace_rec_t t;
                trace_decode(recs + (size_t)i * TRACE_REC_SIZE, &t);
                if (t.flags & TRF_WRITE)
                    writes++;
                else
                    reads++;
                if (dump) {
                    char ss[16] = "-";
                    if (t.flags & TRF_SSV)
                        snprintf(ss, sizeof ss, "%u", t.ssid);
                    printf("%u,%s,0x%llx,%u,%c,%s%s%s\n", t.sid, ss, (unsigned long long)t.addr,
                           t.size, t.flags & TRF_WRITE ? 'W' : t.flags & TRF_INSTR ? 'X' : 'R',
                           t.flags & TRF_PRIV ? "P" : "", t.flags & TRF_SECURE ? "S" : "",
                           t.flags & TRF_PCIE ? "C" : "");
                }
            }
        }
        trace_close(&r);
        if (got < 0)
            return 2;
        if (!dump)
            printf("%s: format %s v%u, %llu transactions (%llu reads, %llu writes)\n", argv[2],
                   TRACE_MAGIC, TRACE_VERSION, (unsigned long long)r.count,
                   (unsigned long long)reads, (unsigned long long)writes);
        return fio_close_stdout("smmu-trace", stderr);
    }
    return usage(stderr);
}
