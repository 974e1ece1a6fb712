#!/bin/sh
# valgrind.sh - run one command under valgrind's memcheck, strictly.
#
# Any memory error, and any block still allocated at exit (definitely,
# indirectly or possibly lost, or still reachable), makes the command exit
# with status 99 after valgrind has printed the report on stderr. gnuplot,
# started by leadsim, runs natively (children are not traced), and the
# moment between fork and exec is not reported.
# Usage: sh tests/valgrind.sh PROGRAM [ARGS...]   (tests/e2e.sh's E2E_WRAPPER)
exec valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=all \
    --errors-for-leak-kinds=all --child-silent-after-fork=yes --trace-children=no "$@"
