/* fuzz_events.c - libFuzzer harness for loading events.csv (csvload_read via load_dataset).
 *
 * The input is the events file of a dataset whose leads.csv (leads a, b and
 * c) and outcomes.csv are small and valid. The folder is loaded as run and
 * as check load it; fuzz_load.h says what is asserted: no crash, leak or
 * sanitizer report, documented errors naming the file, the dataset
 * invariants (events grouped by lead, in time order, none before their
 * lead's created_at), and check agreeing with run. */
#define FUZZ_FILE "events.csv"
#include "fuzz_load.h"

/* Every input is a possible events file. */
static int fuzz_input_ok(const uint8_t *data, size_t size) {
    (void)data, (void)size;
    return 1;
}
