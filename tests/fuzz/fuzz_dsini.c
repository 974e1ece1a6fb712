/* fuzz_dsini.c - libFuzzer harness for the dataset.ini mapping (dsini_read via load_dataset).
 *
 * The input is the dataset.ini of a folder that holds small valid files for
 * the default layout (leads.csv, events.csv, outcomes.csv) and for mapped
 * layouts (contacts.csv, activity.csv, deals.csv, as a CRM export names
 * them), so a mapping can load, fail on a column, or point at the wrong
 * file. The folder is loaded as run and as check load it; fuzz_load.h says
 * what is asserted: no crash, leak or sanitizer report, documented errors
 * naming the file, the dataset invariants, and check agreeing with run. */
#define FUZZ_FILE "dataset.ini"
#include "fuzz_load.h"

/* A mapping may name any file on the machine; reading /dev or /proc files
 * tests nothing of the parser and can block. Inputs with '/' or ".." would
 * leave the folder, so they are skipped. */
static int fuzz_input_ok(const uint8_t *data, size_t size) {
    if (memchr(data, '/', size)) return 0;
    for (size_t i = 0; i + 1 < size; i++)
        if (data[i] == '.' && data[i + 1] == '.') return 0;
    return 1;
}
