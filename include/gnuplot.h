/* gnuplot.h - running gnuplot on the templates in plots/, safely.
 *
 * gnuplot is an external program: gnuplot_render() starts it with an argument
 * vector (never through a shell), hands it file names and labels as
 * variables, and waits. Text from the input reaches gnuplot only as a
 * single-quoted string literal (gnuplot_quote), where gnuplot performs no
 * backquote command substitution, no macro expansion and no backslash
 * escapes, and the templates print such text with `noenhanced`. */
#ifndef LEADSIM_GNUPLOT_H
#define LEADSIM_GNUPLOT_H

#include <stddef.h>

#include "util.h"

typedef struct gnuplot_env {
    char gnuplot[8192];   /* the program; "" when there is none */
    char templates[8192]; /* folder holding the .gp templates */
} gnuplot_env;

/* Locate gnuplot (the LEADSIM_GNUPLOT environment variable, else PATH) and
 * the templates (LEADSIM_PLOTS, else plots/ next to the program's build
 * folder, else ./plots). Returns 0 when plots can be drawn; otherwise -1 and
 * a sentence for the user in why. */
int gnuplot_find(gnuplot_env *env, char *why, size_t nwhy);

/* Append s as a gnuplot single-quoted string literal: quotes doubled,
 * control characters (which would end the command) turned into spaces. */
void gnuplot_quote(util_buf *b, const char *s);

/* Draw template NAME (plots/NAME.gp) twice, to OUTBASE.svg and OUTBASE.png.
 * VARS is a NULL-terminated list of name, value pairs passed as string
 * variables (fmt, outfile and tdir are set here). Returns 0, or -1 with
 * err (UTIL_EINTERNAL naming the template and gnuplot's first message). */
int gnuplot_render(const gnuplot_env *env, const char *name, const char *const *vars,
                   const char *outbase, util_err *err);

#endif
