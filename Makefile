# sesctl — hand-written Makefile (tig style). Every .c under src/ except main.c goes into
# build/libsesctl.a, which both ./sesctl and the tests link. New files need no edit here.

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
CC        ?= cc
BUILD     ?= build
NPROC     := $(shell nproc 2>/dev/null || echo 2)
# Linked: what every run needs. Loaded on first use (src/util/libs.c, dlopen): what only
# a verb that goes online, parses XML or imports reports needs — linking them made the
# loader 96 % of a cache-only run.
PKGS_LINKED := ncursesw libcjson sqlite3 libcares libidn2 zlib
PKGS_LAZY   := libcurl libcrypto libxml-2.0 gmime-3.0 libarchive
PKGS      := $(PKGS_LINKED) $(PKGS_LAZY)
# -isystem: warnings in the libraries' own headers (glib's) are not ours to fix under -Werror
PKG_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS_LINKED) 2>/dev/null) -ldl -lpthread
# the soname each lazy library is opened by, read from its development link
soname = $(shell objdump -p $$($(CC) -print-file-name=$(1)) 2>/dev/null | awk '/SONAME/{print $$2}')
LAZY_SONAMES := CURL=libcurl.so CRYPTO=libcrypto.so XML=libxml2.so GLIB=libglib-2.0.so \
                GOBJECT=libgobject-2.0.so GMIME=libgmime-3.0.so ARCHIVE=libarchive.so
LAZY_DEFS := $(foreach p,$(LAZY_SONAMES),$(if $(call soname,$(word 2,$(subst =, ,$(p)))),\
	-DLIBS_SONAME_$(word 1,$(subst =, ,$(p)))='"$(call soname,$(word 2,$(subst =, ,$(p))))"'))

WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral -Wstrict-prototypes \
             -Wmissing-prototypes -Wpointer-arith -Wvla
OPT       ?= -O2 -g
SAN       ?=
CPPFLAGS  += -Iinclude -D_GNU_SOURCE -DSESCTL_VERSION='"$(VERSION)"' \
             -DSESCTL_DATADIR='"$(PREFIX)/share/sesctl"'
CFLAGS    += -std=c11 $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS)
LDFLAGS   += $(SAN)
LDLIBS    += $(PKG_LIBS) -lm

LIB_SRC   := $(sort $(shell find src -name '*.c' ! -path src/main.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB       := $(BUILD)/libsesctl.a
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(sort $(wildcard tests/lib/*.c))

DEB_PKGS  := build-essential pkg-config libncurses-dev libcurl4-openssl-dev libssl-dev \
             libcjson-dev libsqlite3-dev libxml2-dev libc-ares-dev libidn2-dev libcmocka-dev \
             libgmime-3.0-dev libarchive-dev zlib1g-dev \
             tmux bind9-utils python3-dnslib sqlite3 clang libclang-rt-14-dev valgrind faketime \
             openssh-server openssh-client

.PHONY: all check check-dates unit deps asan install uninstall clean demo bench fuzz format tags layers
BIN ?= sesctl
all: $(BIN)

$(BIN): $(BUILD)/src/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/src/util/libs.o: CPPFLAGS += $(LAZY_DEFS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(TEST_HELPERS) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/lib -o $@ $< $(TEST_HELPERS) $(LIB) $(LDFLAGS) $(LDLIBS) -lcmocka

unit: $(UNIT_BIN)

# The whole suite: unit (cmocka), emulator, CLI, DNS and TUI suites. tests/run.sh prints
# one line per suite and a final "N passed, N failed, N skipped" line; non-zero on failure.
check: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all unit
	@SESCTL_BUILD=$(BUILD) SESCTL_BIN=$(CURDIR)/$(BIN) bash tests/run.sh

# The date-sensitive suites (unit, CLI, console) again under libfaketime: a year ahead, and
# across a UTC year boundary with the clock running. Every test must pass on any date
# (doc/architecture.md, "Time"). An "@date" becomes an offset from the run's start, so every
# process sees one running clock without libfaketime's shared memory. tests/run.sh puts
# only the test programs under the fake clock (its own timeout and bookkeeping keep real
# time). NO_FAKE_STAT: libfaketime's stat() wrapper holds a process-shared lock, and a child
# killed with SIGKILL inside stat() (test_cache_crash does exactly that) leaves the parent
# waiting on it forever. Tools that hang under libfaketime (named-checkzone) are run with
# LD_PRELOAD unset by the tests that call them.
DATES_SUITES ?= build/tests tests/cli tests/tui
DATES        ?= +400d|@2027-12-31 23:58:00
FAKETIME_LIB ?= $(firstword $(wildcard /usr/lib/*/faketime/libfaketime.so.1))
check-dates: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all unit
	@[ -n "$(FAKETIME_LIB)" ] || { echo "check-dates: libfaketime.so.1 not found (make deps installs libfaketime)"; exit 1; }
	@dates='$(DATES)'; fail=0; while [ -n "$$dates" ]; do when=$${dates%%|*}; \
	  case $$dates in *'|'*) dates=$${dates#*|};; *) dates=;; esac; \
	  case $$when in \
	    @*) off=$$(( $$(date -u -d "$${when#@} UTC" +%s) - $$(date -u +%s) )); \
	        case $$off in -*) ft=$$off;; *) ft=+$$off;; esac;; \
	    *) ft=$$when;; \
	  esac; \
	  echo "== check-dates: $$when (FAKETIME=$$ft)"; \
	  SESCTL_FAKETIME="$$ft" SESCTL_FAKETIME_LIB=$(FAKETIME_LIB) SESCTL_BUILD=$(BUILD) \
	    SESCTL_BIN=$(CURDIR)/$(BIN) TESTS="$(DATES_SUITES)" bash tests/run.sh || fail=1; \
	done; exit $$fail

# Includes point down a layer and no two files of a folder include each other (also part of
# `make check`: tests/unit/test_layers.py). Names each offending include.
layers:
	@python3 tests/unit/check_layers.py

# Installs the Debian packages the build and the tests need; does nothing when all are there.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all present"; exit 0; fi; \
	echo "deps: installing$$missing"; \
	SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing
	@python3 -c 'import moto, boto3, botocore, werkzeug' 2>/dev/null || { \
	  echo "deps: python3 lacks moto/boto3 (the emulator needs moto>=5.2 with boto3; the dev image ships them;"; \
	  echo "      elsewhere: pip install 'moto[server]>=5.2' boto3 awscli)"; exit 1; }

asan:
	$(MAKE) BUILD=build-asan BIN=build-asan/sesctl CC=clang OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" all unit
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  SESCTL_BUILD=build-asan SESCTL_BIN=$(CURDIR)/build-asan/sesctl bash tests/run.sh

# ---- fuzzing: libFuzzer + ASan + UBSan (clang). One binary per tests/fuzz/fuzz_*.c, linked
# with a libsesctl.a built by clang with coverage. `make fuzz` runs each for FUZZ_SECONDS over
# its corpus (build/fuzz/corpus/NAME, grown across runs) plus the seeds tests/fuzz/seeds.py
# makes from tests/fixtures/ and the crash regressions in tests/fuzz/regress/NAME; a crash
# is reported at the end and leaves build/fuzz/crash-NAME-*. `make fuzz-build` only builds.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   ?=
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
.PHONY: fuzz-build fuzz-seeds

fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g -fno-omit-frame-pointer" \
	  SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/libsesctl.a
	@$(MAKE) --no-print-directory $(FUZZ_BIN)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/libsesctl.a
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) -O1 -g -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer \
	  $(PKG_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libsesctl.a $(PKG_LIBS) -lm

fuzz-seeds:
	@python3 tests/fuzz/seeds.py $(FUZZ_BUILD)/seeds

fuzz: fuzz-build fuzz-seeds
	@bad=""; for f in $(FUZZ_BIN); do n=$${f##*/}; mkdir -p $(FUZZ_BUILD)/corpus/$$n tests/fuzz/regress/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	  if $$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 $(FUZZ_FLAGS) \
	    -artifact_prefix=$(FUZZ_BUILD)/crash-$$n- $(FUZZ_BUILD)/corpus/$$n $(FUZZ_BUILD)/seeds/$$n \
	    tests/fuzz/regress/$$n >$(FUZZ_BUILD)/$$n.log 2>&1; then \
	    grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_BUILD)/$$n.log | tail -1 | sed 's/^/    /'; \
	  else bad="$$bad $$n"; grep -E -A3 '^SUMMARY|ERROR:' $(FUZZ_BUILD)/$$n.log | head -20; \
	    grep 'Test unit written' $(FUZZ_BUILD)/$$n.log; fi; \
	done; if [ -n "$$bad" ]; then echo "fuzz: crashes in$$bad (logs: $(FUZZ_BUILD)/NAME.log)"; exit 1; fi

# ---- full-size hardening runs (make check runs them scaled down): fault soak of a 2000-
# identity account, 50 kill -9 during sync, 20 rounds of two concurrent syncs. Figures are
# printed as FIGURE lines; doc/reliability.md records them.
SOAK_ENV := SESCTL_SOAK_IDENTITIES=2000 SESCTL_CRASH_RUNS=50 SESCTL_CRASH_IDENTITIES=300 \
            SESCTL_CONCURRENCY_ROUNDS=20
.PHONY: soak
soak: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all
	@mkdir -p $(BUILD); fail=""; for t in test_fault_soak test_crash_safety test_concurrency; do \
	  echo "soak: $$t"; \
	  $(SOAK_ENV) SESCTL_BIN=$(CURDIR)/$(BIN) SESCTL_ROOT=$(CURDIR) PYTHONDONTWRITEBYTECODE=1 \
	    python3 -m unittest -v tests/hardening/$$t.py >$(BUILD)/soak-$$t.log 2>&1 || fail="$$fail $$t"; \
	  grep -Eo 'FIGURE .*' $(BUILD)/soak-$$t.log | sed 's/^/    /'; tail -1 $(BUILD)/soak-$$t.log | sed 's/^/    /'; \
	done; if [ -n "$$fail" ]; then echo "soak: failed:$$fail (logs: $(BUILD)/soak-*.log)"; exit 1; fi

# make demo FLEET=1: a fleet of accounts x regions (issue 21) instead of the demo account
demo: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all
	@SESEMU_FLEET=$(FLEET) bash tests/emulator/demo.sh

bench: deps
	@$(MAKE) --no-print-directory -j$(NPROC) all
	@bash bench/run.sh

install: sesctl
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/sesctl/themes
	install -m 0755 sesctl $(DESTDIR)$(PREFIX)/bin/sesctl
	install -m 0644 doc/sesctl.1 $(DESTDIR)$(PREFIX)/share/man/man1/sesctl.1
	for t in themes/*.theme; do [ -e "$$t" ] && install -m 0644 $$t $(DESTDIR)$(PREFIX)/share/sesctl/themes/; done; true
	[ ! -e doc/sesctl.bash-completion ] || { install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions; \
	  install -m 0644 doc/sesctl.bash-completion $(DESTDIR)$(PREFIX)/share/bash-completion/completions/sesctl; }

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/sesctl $(DESTDIR)$(PREFIX)/share/man/man1/sesctl.1
	rm -rf $(DESTDIR)$(PREFIX)/share/sesctl

format:
	clang-format -i $(shell find src include tests -name '*.[ch]')

clean:
	rm -rf build build-asan sesctl

-include $(LIB_OBJ:.o=.d) $(BUILD)/src/main.d
