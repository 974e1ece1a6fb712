/* csvtok.c - the floor for loading a dataset: libcsv alone tokenizing CSV files.
 *
 * `make bench` compares the time `leadsim check` needs to load a dataset with
 * the time this program needs to tokenize the same files, so the ratio says
 * how much leadsim adds on top of the CSV parser (parsing timestamps, interning
 * strings, building columns). It reads each file in 1 MiB blocks with fread
 * and hands them to csv_parse with CSV_STRICT | CSV_APPEND_NULL, the options
 * leadsim uses; its callbacks only count fields and rows, so nothing is copied
 * or converted. It is a measuring tool, not part of leadsim.
 *
 * Usage: csvtok FILE...
 * Prints one line per file, "FILE ROWS FIELDS SECONDS", then
 * "total ROWS FIELDS SECONDS". ROWS includes the header row. SECONDS is
 * wall time from clock_gettime(CLOCK_MONOTONIC) around reading and parsing.
 * Exit status: 0 success, 2 usage error, 65 malformed CSV, 74 I/O error.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CSVTOK_BLOCK (1u << 20) /* bytes read per fread */

typedef struct {
    unsigned long long nRows;   /* records ended, header included */
    unsigned long long nFields; /* fields ended, over all records */
} csvtok_count;

static void csvtok_on_field(void *zField, size_t nField, void *pArg) {
    (void)zField;
    (void)nField;
    ((csvtok_count *)pArg)->nFields++;
}

static void csvtok_on_row(int cTerm, void *pArg) {
    (void)cTerm;
    ((csvtok_count *)pArg)->nRows++;
}

static double csvtok_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Tokenizes the file zPath with parser p, adding to *pCount and reading
 * through zBuf (CSVTOK_BLOCK bytes). Returns 0, or 65 for malformed CSV, or
 * 74 for an I/O error, after printing the reason to stderr. */
static int csvtok_file(const char *zPath, struct csv_parser *p, char *zBuf, csvtok_count *pCount) {
    FILE *f = fopen(zPath, "rb");
    if (f == NULL) {
        fprintf(stderr, "csvtok: %s: %s\n", zPath, strerror(errno));
        return 74;
    }
    int rc = 0;
    size_t n;
    while ((n = fread(zBuf, 1, CSVTOK_BLOCK, f)) > 0) {
        if (csv_parse(p, zBuf, n, csvtok_on_field, csvtok_on_row, pCount) != n) {
            fprintf(stderr, "csvtok: %s: %s\n", zPath, csv_strerror(csv_error(p)));
            rc = 65;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        fprintf(stderr, "csvtok: %s: read error\n", zPath);
        rc = 74;
    }
    if (rc == 0 && csv_fini(p, csvtok_on_field, csvtok_on_row, pCount) != 0) {
        fprintf(stderr, "csvtok: %s: %s\n", zPath, csv_strerror(csv_error(p)));
        rc = 65;
    }
    fclose(f);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: csvtok FILE...\n");
        return 2;
    }
    char *zBuf = malloc(CSVTOK_BLOCK);
    if (zBuf == NULL) {
        fprintf(stderr, "csvtok: out of memory\n");
        return 70;
    }
    csvtok_count total = {0, 0};
    double tTotal = 0.0;
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        struct csv_parser p;
        if (csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
            fprintf(stderr, "csvtok: csv_init failed\n");
            rc = 70;
            break;
        }
        csvtok_count count = {0, 0};
        double t0 = csvtok_now();
        rc = csvtok_file(argv[i], &p, zBuf, &count);
        double t = csvtok_now() - t0;
        csv_free(&p);
        if (rc == 0) {
            printf("%s %llu %llu %.6f\n", argv[i], count.nRows, count.nFields, t);
            total.nRows += count.nRows;
            total.nFields += count.nFields;
            tTotal += t;
        }
    }
    if (rc == 0)
        printf("total %llu %llu %.6f\n", total.nRows, total.nFields, tTotal);
    free(zBuf);
    return rc;
}
