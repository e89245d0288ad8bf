# tftp-remap/build.mk - alpxe-remap, the tftpd-hpa helper (its rules, the
# rule engine of --test, the loaders, in.tftpd's reload), its tests and
# its benchmark.  It links the core and cli/'s admin library.

REMAP_SRCS := $(wildcard tftp-remap/*.c)
REMAP_OBJS := $(REMAP_SRCS:tftp-remap/%.c=$(B)/tftp-remap/%.o)

ALL_TARGETS  += $(B)/alpxe-remap
TEST_SUITES  += tests/tftp/run.sh
BENCH_SUITES += tests/bench/tftp-storm.sh

$(B)/tftp-remap:
	mkdir -p $@

$(B)/tftp-remap/%.o: tftp-remap/%.c $(wildcard tftp-remap/*.h) cli/admin/admin.h $(CORE_HDRS) | $(B)/tftp-remap
	$(CC) $(ALPXE_CFLAGS) $(ADMIN_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/alpxe-remap: $(REMAP_OBJS) $(B)/libalpxe-admin.a $(B)/libalpxe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_CORE)

# The core's own answer (alpxe_tftp_resolve), which the rules must match.
test-programs: $(B)/tests/tftp-resolve

$(B)/tests/tftp-resolve: tests/tftp/resolve.c $(B)/libalpxe.a common/alpxe.h | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libalpxe.a $(LDLIBS_CORE)

# Debian's layout: an administrator's tool beside in.tftpd.
PREFIX ?= /usr

.PHONY: install-alpxe-remap
install-alpxe-remap: $(B)/alpxe-remap
	install -D -m 0755 $(B)/alpxe-remap "$(DESTDIR)$(PREFIX)/sbin/alpxe-remap"

# The boot-storm benchmark's client: N concurrent downloads in one process.
test-programs: $(B)/tests/tftp-storm-client

$(B)/tests/tftp-storm-client: tests/bench/tftp-storm-client.c | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<
