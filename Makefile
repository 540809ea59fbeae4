# Makefile: builds scalprof, runs the demo and the tests.
#   make            build build/scalprof and build/scalprof-kernels
#   make demo       install missing packages, build, run the seed 002 campaign (about three minutes)
#   make check      install missing packages, build, run every test under prove
#   make check SANITIZE=1   the same, built with -fsanitize=address,undefined
#   make install / uninstall   PREFIX (default /usr/local) and DESTDIR honoured
#   make bench      benchmarks (bench/), not part of check
#   make check-valgrind   scalprof run and a scalprofd session under valgrind memcheck
#   make fuzz       libFuzzer harnesses (tests/fuzz/), FUZZ_SECONDS (default 60) each

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := libcyaml yaml-0.1 sqlite3 hwloc libcrypto json-c libsystemd libdw

ifeq ($(SANITIZE),1)
B       := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
else
B       := build
SANFLAGS :=
endif

CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla -Wno-unused-parameter
LIBEXECDIR ?= $(PREFIX)/libexec/scalprof
SBINDIR ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
CPPFLAGS += -std=c11 -D_GNU_SOURCE -Idaemon -I. -DSCALPROF_LIBEXECDIR='"$(LIBEXECDIR)"' $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpfm -lm
MAKEFLAGS += --no-print-directory
ALLCFLAGS = $(CFLAGS) $(WARN) $(SANFLAGS) -MMD -MP

# Everything below the two mains, layer by layer (README: Layout); a new
# file in a layer's folder is built without a line here.
LAYERS     := base host model store analysis engine service cli
ENGINE_SRC := $(foreach l,$(LAYERS),$(sort $(wildcard daemon/$(l)/*.c))) \
              $(sort $(wildcard probes/*.c)) workloads/builtins.c
ENGINE_OBJ := $(ENGINE_SRC:%.c=$(B)/%.o) $(B)/daemon/store/schema_blob.o
UNIT_SRC   := $(wildcard tests/unit/test-*.c)
UNIT_BIN   := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

.PHONY: FORCE all deps demo check test install uninstall clean bench lint-man check-valgrind fuzz fuzz-build
all: $(B)/scalprof $(B)/scalprofd $(B)/scalprof-kernels
ifeq ($(SANITIZE),1)
all: $(B)/scalprof-kernels-san
KERNELS_UNDER_TEST := $(CURDIR)/$(B)/scalprof-kernels-san
else
KERNELS_UNDER_TEST := $(CURDIR)/$(B)/scalprof-kernels
endif

deps:
	@scripts/deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -c -o $@ $<

# schema.sql is embedded verbatim; see daemon/store/schema_blob.S
$(B)/daemon/store/schema_blob.o: daemon/store/schema_blob.S schema.sql
	@mkdir -p $(dir $@)
	$(CC) -c -o $@ $<

# the version, from git describe (scripts/version.sh): the stamp changes only
# when the version does, and only version.o is rebuilt then
$(B)/version.stamp: FORCE
	@mkdir -p $(B); v=$$(scripts/version.sh); [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" >$@

$(B)/daemon/base/version.o: daemon/base/version.c $(B)/version.stamp
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -DSCALPROF_VERSION="\"$$(cat $(B)/version.stamp)\"" $(ALLCFLAGS) -c -o $@ $<

FORCE:

$(B)/libengine.a: $(ENGINE_OBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/scalprof: $(B)/daemon/scalprof.o $(B)/libengine.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

$(B)/scalprofd: $(B)/daemon/scalprofd.o $(B)/libengine.a
	$(CC) $(SANFLAGS) -o $@ $^ $(LDLIBS)

# The kernels are what is measured: never instrumented, or every figure
# taken with a sanitized build would describe the sanitizer. A sanitized
# copy, scalprof-kernels-san, is built for t0900's checks of their code.
KERNEL_SRC := workloads/kernels.c workloads/builtins.c
$(B)/scalprof-kernels: $(KERNEL_SRC) workloads/builtins.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) -o $@ $(KERNEL_SRC) -lm

$(B)/scalprof-kernels-san: $(KERNEL_SRC) workloads/builtins.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(SANFLAGS) -o $@ $(KERNEL_SRC) -lm

$(B)/tests/%: tests/unit/%.c tests/lib/tap.h $(B)/libengine.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/lib $(ALLCFLAGS) -o $@ $< $(B)/libengine.a $(LDLIBS)

# deps first, then a fresh make: pkg-config must see the new packages
demo: deps
	$(MAKE) all
	$(B)/scalprof run config/campaigns/seed-002-lists.yaml --db scalprof.db

test: all $(UNIT_BIN)
	SRC_DIR=$(CURDIR) KERNELS_UNDER_TEST=$(KERNELS_UNDER_TEST) SCALPROF=$(CURDIR)/$(B)/scalprof UNIT_DIR=$(CURDIR)/$(B)/tests SANITIZE=$(SANITIZE) \
	  prove --timer --exec tests/lib/run-one $(UNIT_BIN) tests/t[0-9]*.sh

check: deps
	$(MAKE) all $(UNIT_BIN)
	$(MAKE) test

# every builtin through scalprof run, and a scalprofd session, under
# valgrind memcheck: no error, nothing definitely or indirectly lost
check-valgrind: deps
	@scripts/deps.sh valgrind
	$(MAKE) all
	B=$(CURDIR)/build tests/valgrind/check.sh

lint-man:
	mandoc -Tlint -Wwarning man/*.[0-9]

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(SBINDIR) $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/man/man7 $(DESTDIR)$(PREFIX)/share/man/man8
	install -d $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 755 $(B)/scalprof $(DESTDIR)$(PREFIX)/bin/scalprof
	install -m 755 $(B)/scalprofd $(DESTDIR)$(SBINDIR)/scalprofd
	install -m 755 $(B)/scalprof-kernels $(DESTDIR)$(LIBEXECDIR)/scalprof-kernels
	# campaigns keep their path to the Python programs: ../../workloads/python
	install -d $(DESTDIR)$(PREFIX)/share/scalprof/config/campaigns $(DESTDIR)$(PREFIX)/share/scalprof/workloads/python
	install -m 644 config/campaigns/*.yaml $(DESTDIR)$(PREFIX)/share/scalprof/config/campaigns/
	install -m 644 config/scalprofd.yaml $(DESTDIR)$(PREFIX)/share/scalprof/config/scalprofd.yaml
	install -m 644 workloads/python/*.py $(DESTDIR)$(PREFIX)/share/scalprof/workloads/python/
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 man/*.7 $(DESTDIR)$(PREFIX)/share/man/man7/
	install -m 644 man/*.8 $(DESTDIR)$(PREFIX)/share/man/man8/
	sed 's|@SBINDIR@|$(SBINDIR)|g; s|@SYSCONFDIR@|$(SYSCONFDIR)|g' config/systemd/scalprofd.service.in \
	  >$(DESTDIR)$(SYSTEMDUNITDIR)/scalprofd.service
	install -m 644 config/systemd/scalprofd.socket $(DESTDIR)$(SYSTEMDUNITDIR)/scalprofd.socket
	install -m 644 config/systemd/scalprof.sysusers $(DESTDIR)$(SYSUSERSDIR)/scalprof.conf
	install -m 644 config/systemd/scalprof.tmpfiles $(DESTDIR)$(TMPFILESDIR)/scalprof.conf
	# the configuration is the administrator's once installed: never overwritten
	install -d $(DESTDIR)$(SYSCONFDIR)/scalprof
	[ -e $(DESTDIR)$(SYSCONFDIR)/scalprof/scalprofd.yaml ] || \
	  install -m 644 config/scalprofd.yaml $(DESTDIR)$(SYSCONFDIR)/scalprof/scalprofd.yaml

# the configuration in SYSCONFDIR stays unless it is the default unchanged
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/scalprof $(DESTDIR)$(SBINDIR)/scalprofd $(DESTDIR)$(LIBEXECDIR)/scalprof-kernels
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/scalprofd.service $(DESTDIR)$(SYSTEMDUNITDIR)/scalprofd.socket
	rm -f $(DESTDIR)$(SYSUSERSDIR)/scalprof.conf $(DESTDIR)$(TMPFILESDIR)/scalprof.conf
	if cmp -s config/scalprofd.yaml $(DESTDIR)$(SYSCONFDIR)/scalprof/scalprofd.yaml; then \
	  rm -f $(DESTDIR)$(SYSCONFDIR)/scalprof/scalprofd.yaml; rmdir $(DESTDIR)$(SYSCONFDIR)/scalprof 2>/dev/null || true; fi
	rm -rf $(DESTDIR)$(PREFIX)/share/scalprof
	-rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null
	cd man && for m in *.[0-9]; do rm -f $(DESTDIR)$(PREFIX)/share/man/man$${m##*.}/$$m; done

$(B)/bench-ingest: bench/ingest.c $(B)/libengine.a
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(B)/libengine.a $(LDLIBS)

# benchmarks: figures printed as tables, not part of check
bench: all $(B)/bench-ingest
	@scripts/deps.sh bench
	@rc=0; bench/ceiling-vs-likwid.sh || rc=1; bench/overhead.sh || rc=1; bench/report.sh || rc=1; \
	  bench/soak.sh || rc=1; bench/profile.sh || rc=1; \
	  [ $$rc = 0 ] || echo "bench: a goal was missed (see above)"; exit $$rc

# fuzzing: the engine built again by clang with libFuzzer's coverage,
# AddressSanitizer and UndefinedBehaviorSanitizer into build/fuzz, one
# harness per parser (tests/fuzz/README). Each runs FUZZ_SECONDS on a
# scratch copy of its corpus; any crash, leak or hang fails, its input kept
# under build/fuzz/. (The engine is compiled without $(WARN) here: clang
# warns where gcc does not, and the warnings are the ordinary build's.)
FUZZ_CC      := clang
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SAN)
FUZZ_NAMES   := campaign config proto mcpmu
FUZZ_BIN     := $(FUZZ_NAMES:%=build/fuzz/fuzz-%)

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

build/fuzz/daemon/store/schema_blob.o: daemon/store/schema_blob.S schema.sql
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -c -o $@ $<

build/fuzz/libengine.a: $(ENGINE_SRC:%.c=build/fuzz/%.o) build/fuzz/daemon/store/schema_blob.o
	rm -f $@ && ar rcs $@ $^

build/fuzz/fuzz-%: tests/fuzz/fuzz-%.c build/fuzz/libengine.a
	$(FUZZ_CC) $(CPPFLAGS) -g -O1 -fsanitize=fuzzer $(FUZZ_SAN) $(WARN) -o $@ $< build/fuzz/libengine.a $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

# deps first, then a fresh make: pkg-config must see the new packages
fuzz:
	@scripts/deps.sh fuzz
	$(MAKE) fuzz-build
	@tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
