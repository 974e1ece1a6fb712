/* version.h - the program's version, as `leadsim --version` and every report print it.
 *
 * A header of its own so that a writer can name the version without
 * depending on the command line. */
#ifndef LEADSIM_VERSION_H
#define LEADSIM_VERSION_H

#define LEADSIM_VERSION "0.1.0"

#endif
