/* fuzz_outcomes.c - libFuzzer harness for loading outcomes.csv (csvload_read via load_dataset).
 *
 * The input is the outcomes file of a dataset whose leads.csv (leads a, b
 * and c) and events.csv are small and valid. The folder is loaded as run
 * and as check load it; fuzz_load.h says what is asserted: no crash, leak
 * or sanitizer report, documented errors naming the file, the dataset
 * invariants, and check agreeing with run. */
#define FUZZ_FILE "outcomes.csv"
#include "fuzz_load.h"

/* Every input is a possible outcomes file. */
static int fuzz_input_ok(const uint8_t *data, size_t size) {
    (void)data, (void)size;
    return 1;
}
