/* fuzz_join.c - libFuzzer harness for dataset.ini's [join NAME] sections (and missing_values, skip_if_empty).
 *
 * The input follows a fixed start that maps the default leads.csv (its
 * industry column): it is the rest of the dataset.ini, typically [join]
 * sections naming accounts.csv (keyed on industry) and owners.csv (keyed on
 * an account's owner, a joined attribute), with their keys, on columns,
 * attributes and placeholders, and skip_if_empty lines. The folder is the
 * one of fuzz_load.h, loaded as run and as check load it; fuzz_load.h says
 * what is asserted: no crash, leak or sanitizer report, documented errors
 * naming the file (a key that is not unique names its second line), the
 * dataset invariants (every joined code inside its table), and check
 * agreeing with run. */
#define FUZZ_FILE "dataset.ini"
#define FUZZ_PREFIX "[leads]\nlead_id = lead_id\n"
#include "fuzz_load.h"

/* As fuzz_dsini: a file name with '/' or ".." would leave the folder. */
static int fuzz_input_ok(const uint8_t *data, size_t size) {
    if (memchr(data, '/', size)) return 0;
    for (size_t i = 0; i + 1 < size; i++)
        if (data[i] == '.' && data[i + 1] == '.') return 0;
    return 1;
}
