# Makefile - builds build/leadsim, runs the tests, installs missing system packages.
#
#   make            build build/leadsim (installs missing packages first)
#   make test       every test: unit (cmocka), end-to-end, then the same under ASan+UBSan
#   make check-asan only the sanitizer run
#   make check-alloc   every allocation of small runs failed in turn (fault-injection build)
#   make check-valgrind the end-to-end tests under valgrind (no error, no leak)
#   make demo       replay the example scenarios on the bundled sample dataset
#   make deps       install missing Debian packages (does nothing when all are present)

CC      ?= cc
CSTD    := -std=gnu11
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS  ?= -O2 -g
LIBS    := -lcsv -linih -lgsl -lgslcblas -lm -lpthread
ASANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# The sanitizer build with allocation fault injection (see src/util.c); only
# tests use it: the normal build has no hook at all.
FAILFLAGS := $(ASANFLAGS) -DLEADSIM_FAILALLOC

SRC     := $(wildcard src/*.c)
LIBSRC  := $(filter-out src/main.c,$(SRC))
HDR     := $(wildcard include/*.h)
OBJ     := $(SRC:src/%.c=build/obj/%.o)
LIBOBJ  := $(LIBSRC:src/%.c=build/obj/%.o)
AOBJ    := $(SRC:src/%.c=build/asan/obj/%.o)
ALIBOBJ := $(LIBSRC:src/%.c=build/asan/obj/%.o)
FOBJ    := $(SRC:src/%.c=build/failalloc/obj/%.o)
TESTSRC := $(wildcard tests/unit/test_*.c)
TESTS   := $(TESTSRC:tests/unit/%.c=build/tests/%)
ATESTS  := $(TESTSRC:tests/unit/%.c=build/asan/tests/%)

DEB_PKGS := libgsl-dev libcsv-dev libinih-dev libcmocka-dev gnuplot-nox pkg-config chromium valgrind

.PHONY: all deps test check-asan check-alloc check-valgrind unit e2e demo bench clean sample

all: deps build/leadsim

deps:
	@sh tests/deps.sh $(DEB_PKGS)

build/leadsim: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)

build/obj/%.o: src/%.c $(HDR) | build/obj
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iinclude -c -o $@ $<

build/asan/leadsim: $(AOBJ)
	$(CC) $(ASANFLAGS) -o $@ $(AOBJ) $(LIBS)

build/asan/obj/%.o: src/%.c $(HDR) | build/asan/obj
	$(CC) $(CSTD) $(WARN) $(ASANFLAGS) -Iinclude -c -o $@ $<

build/failalloc/leadsim: $(FOBJ)
	$(CC) $(FAILFLAGS) -o $@ $(FOBJ) $(LIBS)

build/failalloc/obj/%.o: src/%.c $(HDR) | build/failalloc/obj
	$(CC) $(CSTD) $(WARN) $(FAILFLAGS) -Iinclude -c -o $@ $<

build/tests/%: tests/unit/%.c $(LIBOBJ) $(HDR) | build/tests
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iinclude -o $@ $< $(LIBOBJ) -lcmocka $(LIBS)

build/asan/tests/%: tests/unit/%.c $(ALIBOBJ) $(HDR) | build/asan/tests
	$(CC) $(CSTD) $(WARN) $(ASANFLAGS) -Iinclude -o $@ $< $(ALIBOBJ) -lcmocka $(LIBS)

build/obj build/tests build/asan/obj build/asan/tests build/failalloc/obj:
	@mkdir -p $@

# The whole suite: unit and end-to-end tests on the normal build, then again
# under AddressSanitizer and UndefinedBehaviorSanitizer, then the end-to-end
# tests under valgrind (check-valgrind) and the allocation failures
# (check-alloc). tests/run.sh prints the final "N passed, N failed" line and
# fails on any failure.
test: deps build/leadsim $(TESTS) build/asan/leadsim $(ATESTS) build/failalloc/leadsim
	@sh tests/run.sh

check-asan: deps build/asan/leadsim $(ATESTS)
	@sh tests/run.sh --asan-only

# The end-to-end tests with every run of the normal build under valgrind (no
# error, no leak, nothing left allocated; about three minutes).
check-valgrind: deps build/leadsim
	@sh tests/run.sh --valgrind-only

# Out of memory anywhere: each allocation of small run, sweep, check and gen
# commands made to fail in turn (about three minutes; see tests/test_alloc.sh).
check-alloc: deps build/failalloc/leadsim
	@sh tests/test_alloc.sh build/failalloc/leadsim

demo: all
	@sh tests/demo.sh

# Speed and memory against the targets, on a generated dataset of
# 1,000,000 x BENCH_SCALE leads (median of BENCH_REPS runs, default 3); prints
# one table and writes it to results/bench/bench.md. Example:
#   make bench BENCH_SCALE=0.01 BENCH_REPS=1
bench: deps build/leadsim build/bench/csvtok
	@BENCH_SCALE='$(BENCH_SCALE)' BENCH_REPS='$(BENCH_REPS)' bash tests/bench.sh

# libcsv alone tokenizing CSV files: the floor the benchmark compares loading with.
build/bench/csvtok: bench/csvtok.c
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -o $@ $< -lcsv

clean:
	rm -rf build
