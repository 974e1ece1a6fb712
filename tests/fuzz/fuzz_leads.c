/* fuzz_leads.c - libFuzzer harness for loading leads.csv (csvload_read via load_dataset).
 *
 * The input is the leads file of a dataset whose events.csv and
 * outcomes.csv are small and valid (they name leads a, b and c). The folder
 * is loaded as run and as check load it; fuzz_load.h says what is asserted:
 * no crash, leak or sanitizer report, documented errors naming the file,
 * the dataset invariants, and check agreeing with run. */
#define FUZZ_FILE "leads.csv"
#include "fuzz_load.h"

/* Every input is a possible leads file. */
static int fuzz_input_ok(const uint8_t *data, size_t size) {
    (void)data, (void)size;
    return 1;
}
