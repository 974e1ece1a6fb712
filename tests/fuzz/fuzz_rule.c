/* fuzz_rule.c - libFuzzer harness for the rule parser (scenario_parse_rule).
 *
 * The input is the text after `rule =` in a scenario's [mql] section, given
 * to the parser directly as a C string (an input holding a NUL byte cannot
 * come out of an INI line and is skipped).
 *
 * Asserts, besides no crash, no leak and no sanitizer report:
 * - a rejected rule has a reason and leaves nothing allocated in the rule;
 * - an accepted one has at least one term, each with a non-empty event type
 *   without surrounding blanks and a count from 1 to 1000000, a window that
 *   is a finite number of days above 0 when there is one, and its own text
 *   trimmed;
 * - parsing is a function of the text: a second parse gives the same rule. */
#include "fuzz_common.h"

#include <math.h>

#include "scenario.h"

static int is_blank_end(const char *s) {
    size_t n = strlen(s);
    return n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = fz_cstr(data, size);
    if (!text) return 0;
    scenario_rule r, again;
    char why[200] = "", why2[200] = "";
    int rc = scenario_parse_rule(text, &r, why, sizeof why);
    int rc2 = scenario_parse_rule(text, &again, why2, sizeof why2);
    if (rc != rc2 || strcmp(why, why2) != 0) fz_fail("two parses of one rule differ");
    if (rc != 0) {
        if (rc != -1) fz_fail("scenario_parse_rule returned %d", rc);
        if (!why[0]) fz_fail("rejected without a reason");
        if (r.terms || r.nterms || r.text) fz_fail("a rejected rule keeps memory");
        free(text);
        return 0;
    }
    if (r.nterms == 0 || !r.terms || !r.text) fz_fail("accepted rule without terms");
    if (is_blank_end(r.text)) fz_fail("rule text '%s' is not trimmed", r.text);
    if (r.has_within && !(isfinite(r.within_days) && r.within_days > 0))
        fz_fail("window of %g days", r.within_days);
    if (r.nterms != again.nterms || r.has_within != again.has_within ||
        (r.has_within && r.within_days != again.within_days))
        fz_fail("two parses of one rule differ");
    for (size_t i = 0; i < r.nterms; i++) {
        const scenario_term *t = &r.terms[i];
        if (!t->type || !t->type[0] || is_blank_end(t->type)) fz_fail("term %zu has no clean type", i);
        if (t->n < 1 || t->n > 1000000) fz_fail("term %zu counts %ld", i, t->n);
        if (strcmp(t->type, again.terms[i].type) != 0 || t->n != again.terms[i].n)
            fz_fail("two parses of one rule differ");
    }
    scenario_rule_fini(&r);
    scenario_rule_fini(&again);
    free(text);
    return 0;
}
