# kea-hook/build.mk - the Kea DHCPv4 hooks library, its test client and suites.
#
# A thin C++ shim (Kea's hook API is C++) over the C core in libalpxe.a.
# Built against Debian's kea-dev (Kea 2.2); only the hook entry points are
# exported (libdhcp_alpxe.map).

KEA_HOOK_SRCS := $(wildcard kea-hook/*.cc)
KEA_HOOK_OBJS := $(KEA_HOOK_SRCS:kea-hook/%.cc=$(B)/kea-hook/%.o)
KEA_CXX      ?= $(CXX)
# -isystem: Kea's and Boost's headers are not ours to keep warning-free.
KEA_CXXFLAGS := -std=c++17 -Wall -Wextra -Werror -fPIC \
	-D_FORTIFY_SOURCE=2 -fstack-protector-strong -Icommon -isystem /usr/include/kea
KEA_LIBS     := -lkea-dhcp++ -lkea-hooks -lkea-log -lkea-cc -lkea-asiolink \
	-lkea-stats -lkea-exceptions

ALL_TARGETS  += $(B)/libdhcp_alpxe.so
TEST_SUITES  += tests/kea/kea-answers.sh tests/kea/kea-malformed.sh \
	tests/kea/kea-reload.sh tests/kea/kea-stats.sh tests/kea/kea-agent.sh
BENCH_SUITES += tests/bench/kea-bench tests/bench/kea-cost

test-programs: $(B)/tests/dhcp-client $(B)/tests/dhcp-decide $(B)/tests/kea-ctrl \
	$(B)/tests/libdhcp_null.so $(B)/tests/dhcp-pair

# A Kea HA pair with the hook (tests/ha/): hot-standby with failover,
# load balancing, multi-threaded, and two peers serving different files.
TEST_SUITES  += tests/ha/hot-standby.sh tests/ha/load-balancing.sh \
	tests/ha/multi-threaded.sh tests/ha/mismatch.sh tests/ha/tls.sh

$(B)/kea-hook:
	mkdir -p $@

$(B)/kea-hook/%.o: kea-hook/%.cc $(wildcard kea-hook/*.h) common/alpxe.h | $(B)/kea-hook
	$(KEA_CXX) $(KEA_CXXFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libdhcp_alpxe.so: $(KEA_HOOK_OBJS) $(B)/libalpxe.a kea-hook/libdhcp_alpxe.map
	$(KEA_CXX) -shared $(LDFLAGS) -Wl,-z,defs \
	    -Wl,--version-script=kea-hook/libdhcp_alpxe.map -o $@ \
	    $(KEA_HOOK_OBJS) $(B)/libalpxe.a $(LDLIBS_CORE) $(KEA_LIBS) -lcurl

DHCP_CLIENT_SRCS := tests/tools/dhcp-client.c tests/tools/dhcp-packet.c \
	tests/tools/dhcp-bench.c

$(B)/tests/dhcp-client: $(DHCP_CLIENT_SRCS) tests/tools/dhcp-client.h | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(DHCP_CLIENT_SRCS)

# The tests' oracle: the core's decision for a query, linked with the core.
$(B)/tests/dhcp-decide: tests/tools/dhcp-decide.c $(B)/libalpxe.a | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libalpxe.a $(LDLIBS_CORE)

# Which server of an HA pair answers each client.
$(B)/tests/dhcp-pair: tests/tools/dhcp-pair.c tests/tools/dhcp-packet.c \
		tests/tools/dhcp-client.h | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ tests/tools/dhcp-pair.c \
	    tests/tools/dhcp-packet.c

$(B)/tests/kea-ctrl: tests/tools/kea-ctrl.c | $(B)/tests
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $<

# kea-bench's anchor: Kea with an empty pkt4_send callout.
$(B)/tests/libdhcp_null.so: tests/bench/kea-null-hook.cc | $(B)/tests
	$(KEA_CXX) $(KEA_CXXFLAGS) $(CFLAGS) -shared $(LDFLAGS) -Wl,-z,defs -o $@ $< \
	    -lkea-hooks -lkea-log -lkea-exceptions

# Debian's directory for Kea hooks, where kea-dhcp4.conf's "library" points.
KEA_HOOKS_DIR ?= /usr/lib/$(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/kea/hooks

.PHONY: install-kea-hook
install-kea-hook: $(B)/libdhcp_alpxe.so
	install -D -m 0644 $(B)/libdhcp_alpxe.so "$(DESTDIR)$(KEA_HOOKS_DIR)/libdhcp_alpxe.so"
