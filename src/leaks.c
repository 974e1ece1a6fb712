/* leaks.c - attribute values whose leads are (almost) all won or all not won: fields that give the outcome away.
 *
 * Per attribute, one pass over the leads counting leads and won leads per
 * value, then the rule of leaks.h. Not for saying it: the writers do. */
#include "leaks.h"

#include <stdlib.h>

int leaks_find(const dataset *ds, const uint32_t *lead, const uint8_t *won, size_t n, leaks *out,
               util_err *err) {
    *out = (leaks){0};
    out->leads = (long)n;
    if (n < LEAKS_MIN_LEADS) return 0;
    for (size_t i = 0; i < n; i++) out->won += won[i] != 0;
    double rate = n ? (double)out->won / (double)n : 0;
    if (rate < 0.05 || rate > 0.95) return 0;
    for (size_t a = 0; a < ds->nattrs; a++) {
        const dataset_attr *at = &ds->attrs[a];
        long *cnt = util_calloc(2 * at->values.n + 2, sizeof *cnt);
        if (!cnt) return util_enomem(err);
        for (size_t i = 0; i < n; i++) {
            uint32_t v = at->code[lead ? lead[i] : i];
            cnt[2 * v]++;
            cnt[2 * v + 1] += won[i] != 0;
        }
        for (size_t v = 0; v < at->values.n; v++) {
            long l = cnt[2 * v], w = cnt[2 * v + 1];
            if (l < LEAKS_MIN_LEADS) continue;
            double r = (double)w / (double)l;
            if (r > 0.01 && r < 0.99) continue;
            if (out->n < LEAKS_MAX_SHOWN)
                out->item[out->n] = (leaks_item){.attr = a, .value = (uint32_t)v, .leads = l, .won = w};
            out->n++;
        }
        free(cnt);
    }
    return 0;
}
