/* cmd_cache.c - `leadsim cache clear --data DIR`: remove a dataset's columnar cache. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "cli.h"

int cmd_cache(const cli *c, util_err *err) {
    if (c->nargs != 1 || strcmp(c->args[0], "clear") != 0)
        return util_errf(err, UTIL_EUSAGE, "cache takes one action: clear --data DIR");
    if (!c->data) return util_errf(err, UTIL_EUSAGE, "cache clear needs --data DIR");
    char file[8192];
    if (cache_file(c->data, file, sizeof file) < 0) {
        if (!c->quiet) printf("No cache for %s (no such dataset, or no cache folder)\n", c->data);
        return 0;
    }
    /* The dataset has never been loaded (or its cache was cleared): saying
     * that something was removed would be untrue. */
    struct stat st;
    if (stat(file, &st) < 0 && errno == ENOENT) {
        if (!c->quiet) printf("No cache for %s: there was none to remove\n", c->data);
        return 0;
    }
    if (cache_clear(c->data, err) < 0) return -1;
    if (!c->quiet) printf("Removed the cache of %s (%s)\n", c->data, file);
    return 0;
}
