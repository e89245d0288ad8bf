# tests/build.mk - test programs and the list of suites `make test` runs.
# Components append their own suites in their build.mk.

.PHONY: test-programs
test-programs:

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

test-programs: $(UNIT_TESTS)

$(B)/tests/test_%: tests/unit/test_%.c tests/unit/helpers.h $(B)/libalpxe.a | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(UNIT_CFLAGS) -Wno-unused-function \
		'-DEXAMPLE_CONF="$(CURDIR)/tests/data/example.conf"' -o $@ $< \
		$(B)/libalpxe.a $(LDLIBS_CORE) -lcmocka $(LDLIBS_TEST)

# The NoCloud documents are read back with libyaml, the parser behind
# tiny-cloud's yx.
$(B)/tests/test_metadata: LDLIBS_TEST := -lyaml

# The command line's log timestamps are pure too: their object is linked.
$(B)/tests/test_bootlog_time: $(B)/cli/bootlog_time.o
$(B)/tests/test_bootlog_time: UNIT_CFLAGS := -Icli
$(B)/tests/test_bootlog_time: LDLIBS_TEST := $(B)/cli/bootlog_time.o

TEST_SUITES += $(UNIT_TESTS)
TEST_SUITES += tests/cli/run.sh tests/cli/bootlog.sh

# libFuzzer targets: the core's sources compiled again with clang's
# coverage instrumentation and ASan+UBSan.
FUZZ_CC      := clang
FUZZ_FLAGS   := -g -O1 -std=c11 -D_DEFAULT_SOURCE -Icommon \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,$(B)/tests/%,$(wildcard tests/fuzz/fuzz_*.c))

test-programs: $(FUZZ_TARGETS)

# Beside the core, each target links the parser it feeds from elsewhere.
FUZZ_SRCS_remap    := tftp-remap/engine.c tftp-remap/sbuf.c
FUZZ_SRCS_kea_json := cli/kea_json.c
FUZZ_SRCS_bootlog  := cli/bootlog_parse.c cli/bootlog_time.c \
	cli/bootlog_track.c cli/bootlog_diag.c

.SECONDEXPANSION:
$(B)/tests/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRCS) $(CORE_HDRS) \
		$$(FUZZ_SRCS_$$*) | $(B)/tests
	$(FUZZ_CC) $(FUZZ_FLAGS) -Itftp-remap -Icli -o $@ $< $(CORE_SRCS) \
	    $(FUZZ_SRCS_$*) $(LDLIBS_CORE) $(if $(filter kea_json,$*),-ljansson)

TEST_SUITES += tests/fuzz/run.sh

# make fuzz [FUZZ_SECONDS=N] [FUZZ_ONLY="config dhcp"]: every target (or
# those) for N seconds (default 60), one
# line each with its executions and findings.
.PHONY: fuzz
fuzz: deps
	$(MAKE) $(FUZZ_TARGETS)
	FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) T_BUILD="$(CURDIR)/$(B)" tests/fuzz/run.sh

# make soak [SOAK_SECONDS=N]: Kea with the hook and nginx with the module
# under load and reloads, good and broken, for N seconds each (default 300),
# one after the other; not in make test.  Meant for the plain build: RSS
# figures of a sanitized one would be ASan's quarantine.
.PHONY: soak
soak: deps
	$(MAKE) all test-programs
	@st=0; for s in tests/soak/kea.sh tests/soak/nginx.sh; do \
	    echo "== $$s"; SOAK_SECONDS=$(or $(SOAK_SECONDS),300) $$s || st=1; \
	done; exit $$st

# The Kea hook against Debian's AppArmor profile for kea-dhcp4, as shipped:
# every file it opens, by strace, checked against the profile's rules.
TEST_SUITES += tests/apparmor/run.sh
test-programs: $(B)/tests/aa-allows

$(B)/tests/aa-allows: tests/tools/aa-allows.c | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# alpxe status --html in a real browser: Chromium's screenshot, its
# pixels counted by colour (png-colors, zlib).
TEST_SUITES += tests/status-page/run.sh
test-programs: $(B)/tests/png-colors

$(B)/tests/png-colors: tests/tools/png-colors.c | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< -lz

# A broken alpxe.conf against kea-dhcp4, nginx and in.tftpd: every fault
# leaves ordinary clients answered and netboot on the last good version.
TEST_SUITES += tests/faults/run.sh

# NFS directories against a real nfs-ganesha (v3 with rpcbind, and v4).
TEST_SUITES += tests/nfs/run.sh

# End to end: real VMs boot through all three plugins (tests/e2e/); one
# through the standby of a Kea HA pair whose primary was stopped.
TEST_SUITES += tests/e2e/run.sh tests/e2e/ha.sh
BENCH_SUITES += tests/e2e/bench.sh tests/bench/memory

# The drop-in install: make install, make deb, alpxe reload on real daemons.
TEST_SUITES += tests/install/run.sh

# make bench: a boot storm, N machines through DHCP, TFTP, DHCP, HTTP at
# once, against the plugins and against stock Kea classes + static files.
BENCH_SUITES += tests/bench/storm
test-programs: $(B)/tests/storm-client

$(B)/tests/storm-client: tests/bench/storm-client.c tests/tools/dhcp-packet.c \
		tests/tools/dhcp-client.h | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) -D_GNU_SOURCE $(CFLAGS) $(LDFLAGS) -o $@ \
	    tests/bench/storm-client.c tests/tools/dhcp-packet.c
