# Makefile - builds build/leadsim, runs the tests, installs missing system packages.
#
#   make            build build/leadsim (installs missing packages first)
#   make check      the developer's inner loop: unit and end-to-end tests on the normal
#                   build only (well under a minute)
#   make test       every test: unit (cmocka), end-to-end, then the same under ASan+UBSan,
#                   and each fuzz target on its reproducers and 2000 inputs (what CI runs)
#   make check-asan only the sanitizer run
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS (default 60) each
#   make check-alloc   every allocation of small runs failed in turn (fault-injection build)
#   make check-valgrind the end-to-end tests under valgrind (no error, no leak)
#   make demo       replay the example scenarios on the bundled sample dataset
#   make deps       install missing Debian packages (does nothing when all are present)

CC      ?= cc
CXX     ?= c++
CSTD    := -std=gnu11
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wno-unused-parameter
CFLAGS  ?= -O2 -g
LIBS    := -lcsv -linih -lgsl -lgslcblas -lfmt -lstdc++ -lm -lpthread
ASANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# The sanitizer build with allocation fault injection (see src/util.c); only
# tests use it: the normal build has no hook at all.
FAILFLAGS := $(ASANFLAGS) -DLEADSIM_FAILALLOC

SRC     := $(wildcard src/*.c) $(wildcard src/*.cc)
LIBSRC  := $(filter-out src/main.c,$(SRC))
HDR     := $(wildcard include/*.h)
OBJ     := $(patsubst src/%,build/obj/%.o,$(basename $(SRC)))
LIBOBJ  := $(patsubst src/%,build/obj/%.o,$(basename $(LIBSRC)))
AOBJ    := $(patsubst src/%,build/asan/obj/%.o,$(basename $(SRC)))
ALIBOBJ := $(patsubst src/%,build/asan/obj/%.o,$(basename $(LIBSRC)))
# libFuzzer harnesses (tests/fuzz/fuzz_*.c), built with clang against the
# library compiled for coverage-guided fuzzing with ASan and UBSan.
FUZZ_CC    := clang
FUZZ_CXX   := clang++
FUZZ_SANS  := address,undefined
FUZZFLAGS  := -O1 -g -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_SECONDS ?= 60
FUZZSRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZSRC:tests/fuzz/%.c=build/fuzz/%)
FLIBOBJ := $(patsubst src/%,build/fuzz/obj/%.o,$(basename $(LIBSRC)))
FOBJ    := $(patsubst src/%,build/failalloc/obj/%.o,$(basename $(SRC)))
TESTSRC := $(wildcard tests/unit/test_*.c)
TESTHDR := $(wildcard tests/unit/*.h)
TESTS   := $(TESTSRC:tests/unit/%.c=build/tests/%)
ATESTS  := $(TESTSRC:tests/unit/%.c=build/asan/tests/%)

# python3 runs the reference implementation of the differential test (tests/ref).
DEB_PKGS := g++ libgsl-dev libcsv-dev libinih-dev libcmocka-dev libfmt-dev \
            gnuplot-nox pkg-config chromium clang libclang-rt-14-dev llvm valgrind python3

.PHONY: all deps test check check-asan check-alloc check-valgrind unit e2e demo bench clean sample \
        fuzz fuzz-build

all: deps build/leadsim

deps:
	@sh tests/deps.sh $(DEB_PKGS)

build/leadsim: $(OBJ)
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)

build/obj/%.o: src/%.c $(HDR) | build/obj
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iinclude -c -o $@ $<

# The one C++ file: a C entry point into libfmt's Dragonbox (shortest digits).
build/obj/%.o: src/%.cc $(HDR) | build/obj
	$(CXX) -std=c++11 $(WARN:-Wstrict-prototypes=) $(CFLAGS) -Iinclude -c -o $@ $<

build/asan/obj/%.o: src/%.cc $(HDR) | build/asan/obj
	$(CXX) -std=c++11 $(WARN:-Wstrict-prototypes=) $(ASANFLAGS) -Iinclude -c -o $@ $<

build/asan/leadsim: $(AOBJ)
	$(CC) $(ASANFLAGS) -o $@ $(AOBJ) $(LIBS)

build/asan/obj/%.o: src/%.c $(HDR) | build/asan/obj
	$(CC) $(CSTD) $(WARN) $(ASANFLAGS) -Iinclude -c -o $@ $<

build/failalloc/leadsim: $(FOBJ)
	$(CC) $(FAILFLAGS) -o $@ $(FOBJ) $(LIBS)

build/failalloc/obj/%.o: src/%.c $(HDR) | build/failalloc/obj
	$(CC) $(CSTD) $(WARN) $(FAILFLAGS) -Iinclude -c -o $@ $<

build/failalloc/obj/%.o: src/%.cc $(HDR) | build/failalloc/obj
	$(CXX) -std=c++11 $(WARN:-Wstrict-prototypes=) $(FAILFLAGS) -Iinclude -c -o $@ $<

build/tests/%: tests/unit/%.c $(LIBOBJ) $(HDR) $(TESTHDR) | build/tests
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iinclude -o $@ $< $(LIBOBJ) -lcmocka $(LIBS)

build/asan/tests/%: tests/unit/%.c $(ALIBOBJ) $(HDR) $(TESTHDR) | build/asan/tests
	$(CC) $(CSTD) $(WARN) $(ASANFLAGS) -Iinclude -o $@ $< $(ALIBOBJ) -lcmocka $(LIBS)

build/fuzz/obj/%.o: src/%.c $(HDR) | build/fuzz/obj
	$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SANS) -Iinclude -c -o $@ $<

build/fuzz/obj/%.o: src/%.cc $(HDR) | build/fuzz/obj
	$(FUZZ_CXX) -std=c++11 $(WARN:-Wstrict-prototypes=) $(FUZZFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SANS) -Iinclude -c -o $@ $<

$(FUZZ_BINS): build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h tests/fuzz/fuzz_load.h $(FLIBOBJ) $(HDR) | build/fuzz/obj
	$(FUZZ_CC) $(CSTD) $(WARN) $(FUZZFLAGS) -fsanitize=fuzzer,$(FUZZ_SANS) -Iinclude -o $@ $< $(FLIBOBJ) $(LIBS)

# Every compile waits for deps through its folder: with make -j, a target's
# other prerequisites would otherwise start compiling before the headers of a
# missing package are installed.
build/obj build/tests build/asan/obj build/asan/tests build/fuzz/obj build/failalloc/obj: | deps
	@mkdir -p $@

# The whole suite: unit and end-to-end tests on the normal build, then again
# under AddressSanitizer and UndefinedBehaviorSanitizer, then the end-to-end
# tests under valgrind (check-valgrind), the allocation failures
# (check-alloc) and a short run of each fuzz target. tests/run.sh prints the
# final "N passed, M failed, K skipped" line and fails on any failure.
test: deps build/leadsim $(TESTS) build/asan/leadsim $(ATESTS) build/faultshim.so $(FUZZ_BINS) \
      build/failalloc/leadsim
	@sh tests/run.sh

# The fast inner loop: the unit tests and the end-to-end golden tests on the
# normal build, ending with the same "N passed, M failed, K skipped" line.
check: deps build/leadsim $(TESTS)
	@sh tests/run.sh --check

fuzz-build: deps $(FUZZ_BINS)

# Each fuzz target for FUZZ_SECONDS, one after the other; the corpora grow in
# build/fuzz/corpus/, crashes are saved in build/fuzz/artifacts/. Example:
#   make fuzz FUZZ_SECONDS=3600
fuzz: fuzz-build
	@sh tests/fuzz.sh --seconds '$(FUZZ_SECONDS)'

check-asan: deps build/asan/leadsim $(ATESTS) build/faultshim.so
	@sh tests/run.sh --asan-only

# The I/O fault injection library that tests/test_io.sh preloads into
# leadsim (test code, never linked into the program).
build/faultshim.so: tests/faultshim.c | build/obj
	$(CC) $(CSTD) $(WARN) -O2 -g -shared -fPIC -o $@ $< -ldl

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
# 1,000,000 x BENCH_SCALE leads (median of BENCH_REPS runs, default 5); prints
# one table and writes it to results/bench/bench.md. Example:
#   make bench BENCH_SCALE=0.01 BENCH_REPS=1
bench: deps build/leadsim build/bench/csvtok
	@BENCH_SCALE='$(BENCH_SCALE)' BENCH_REPS='$(BENCH_REPS)' bash tests/bench.sh

# libcsv alone tokenizing CSV files: the floor the benchmark compares loading with.
build/bench/csvtok: bench/csvtok.c | deps
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -o $@ $< -lcsv

clean:
	rm -rf build
