# alpxe - the one entry point.
#
#   make            build the core, the CLI and every plugin into build/
#   make test       install what is missing, build, run every test suite
#                   (SANITIZE=1: the same with ASan+UBSan, in build-asan/)
#   make fuzz       the libFuzzer targets for FUZZ_SECONDS (60) each
#   make soak       Kea and nginx under load and reloads, SOAK_SECONDS (300)
#   make demo       boot a VM over the network through all three plugins
#   make bench      benchmarks (ratios against anchors of the same run)
#   make deps       install the Debian packages the build and tests need
#   make test-fresh the README's first commands in a pristine Debian 12 root
#   make install    install into Debian's paths (DESTDIR, PREFIX)
#   make deb        Debian packages into build/deb/, checked by lintian
#
# Each directory adds its own targets in DIR/build.mk: common/ the core
# library every part links, cli/ the alpxe command and the admin library
# it shares with alpxe-remap, tftp-remap/, kea-hook/, nginx-module/, and
# tests/.

B          := build
CC         ?= cc
CFLAGS     ?= -O2 -g
ALPXE_CFLAGS := -std=c11 -Wall -Wextra -Werror -fPIC -D_DEFAULT_SOURCE \
	-D_FORTIFY_SOURCE=2 -fstack-protector-strong -Icommon $(shell pkg-config --cflags inih 2>/dev/null)
# The core links inih (the INI lexer) and libcrypto (SHA-256 of a loaded
# alpxe.conf); both daemons already load OpenSSL.
LDLIBS_CORE := -linih -lcrypto

# SANITIZE=1: the core, the CLI, the Kea hook, the nginx module, alpxe-remap
# and the test programs built with ASan+UBSan into build-asan/ (the plain
# build/ stays as it is); `make test SANITIZE=1` runs the suites on them,
# the daemons with the ASan runtime preloaded (tests/lib.sh t_daemon_env),
# and fails any suite that leaves a sanitizer report (tests/run).
# clang, not gcc: gcc 12 puts UBSan in a runtime of its own beside ASan's,
# which ignores log_path and writes to stderr only, so a daemon's UBSan
# report would be lost; clang's ASan runtime carries UBSan and writes both
# to the file.  The plugins link that runtime as a shared library
# (-shared-libasan), the one preloaded into kea-dhcp4 and nginx.  With ODR
# indicators ASan poisons around each object's own copy of a global: the
# module's generated ngx_modules[] shares its name with nginx's array, and
# without them nginx's bigger array was poisoned after 16 bytes (a false
# report at every reload).
# _FORTIFY_SOURCE is dropped so that ASan, not glibc's checks, sees the
# calls.
ifeq ($(SANITIZE),1)
B          := build-asan
CC         := clang
KEA_CXX    := clang++
SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fsanitize-address-use-odr-indicator \
	-fno-omit-frame-pointer
SAN_SHARED := -shared-libasan
ALPXE_CFLAGS += $(SAN_FLAGS) -U_FORTIFY_SOURCE
LDFLAGS    += $(SAN_FLAGS)
export T_SANITIZE     := 1
export T_ASAN_RUNTIME := $(shell $(CC) -print-file-name=libclang_rt.asan-x86_64.so)
# Not run sanitized: the fuzz targets, ASan+UBSan builds in both modes;
# and the e2e VMs, whose suite (tests/e2e) starts Kea and nginx without
# the ASan runtime: the plugin code its boots drive is what the Kea and
# nginx suites drive here, with hostile input besides.
# tests/apparmor, which records the files the plain hook opens: the
# sanitized one opens the same, plus its runtime's.
SANITIZE_SKIP := tests/fuzz/run.sh tests/e2e/run.sh tests/e2e/ha.sh \
	tests/apparmor/run.sh
endif
export T_BUILD := $(CURDIR)/$(B)

# Debian 12 packages: what each is for is in README.md (Dependencies).
DEB_PACKAGES := build-essential pkg-config libinih-dev libcmocka-dev libyaml-dev \
	clang libclang-rt-14-dev iproute2 \
	libssl-dev libjansson-dev libcurl4-openssl-dev openssl \
	kea-dhcp4-server kea-dev libboost-dev kea-ctrl-agent kea-admin valgrind \
	nginx nginx-dev wrk \
	tftpd-hpa tftp-hpa ipxe \
	libnfs-dev \
	qemu-system-x86 ovmf busybox-static radvd cpio curl \
	nfs-ganesha nfs-ganesha-vfs rpcbind strace apparmor \
	debhelper fakeroot lintian man-db \
	chromium zlib1g-dev

TEST_SUITES  :=
BENCH_SUITES :=
ALL_TARGETS  :=

.PHONY: all test test-fresh bench demo deps check-deps clean fuzz install deb
.DEFAULT_GOAL := all

# The core first: every other part links it.
include common/build.mk
include cli/build.mk
include tftp-remap/build.mk
include kea-hook/build.mk
include nginx-module/build.mk
include tests/build.mk

ifeq ($(SANITIZE),1)
KEA_CXXFLAGS += $(SAN_FLAGS) -U_FORTIFY_SOURCE
$(B)/libdhcp_alpxe.so $(B)/tests/libdhcp_null.so: LDFLAGS += $(SAN_SHARED)
endif

all: $(ALL_TARGETS)

# Installs only what is missing, so it is cheap to run before every test.
deps:
	@missing=; for p in $(DEB_PACKAGES); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
	        || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    SUDO=$$(tests/root-or-sudo "installing Debian packages (make deps)") || exit 1; \
	    $$SUDO apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

test: deps
	$(MAKE) all test-programs
	tests/run $(filter-out $(SANITIZE_SKIP),$(TEST_SUITES))

bench: deps
	$(MAKE) all test-programs
	@set -e; for b in $(BENCH_SUITES); do echo "== $$b"; $$b; done

# make demo [UEFI=1 | HTTPBOOT=1 | ROM=1] [ALPINE=DIR] [KEEP=1]: a VM boots
# over a private network through the three plugins (tests/e2e/demo.sh).
demo: deps
	@tests/root-or-sudo "make demo (network namespaces, taps, raw sockets)" >/dev/null
	$(MAKE) all
	tests/e2e/demo.sh $(if $(UEFI),--uefi) $(if $(HTTPBOOT),--http) \
	    $(if $(ROM),--rom) $(if $(ALPINE),--alpine "$(ALPINE)") $(if $(KEEP),--keep)

# make test-fresh: the README's newcomer block, run as it is in a pristine
# Debian 12 root made by debootstrap (tests/fresh/run.sh).  As root; it
# runs the whole make test and make demo in there (about 15 minutes).
test-fresh:
	$(MAKE) deps DEB_PACKAGES=debootstrap
	tests/fresh/run.sh

# The programs and manuals go under PREFIX; the plugins go where Kea and
# nginx look for them (KEA_HOOKS_DIR, NGX_MODULES_DIR).
install: install-alpxe install-alpxe-remap install-kea-hook install-nginx-module
	install -D -m 0644 tftp-remap/alpxe-remap.8 "$(DESTDIR)$(MANDIR)/man8/alpxe-remap.8"

# dpkg-buildpackage (debian/) in a copy of the tree, so that debhelper's
# files stay out of it; the .debs and lintian's report land in build/deb/.
# Without this make's variables: the copy builds into its own build/.
# The copy is build/deb/src, or one under /tmp when the checkout's path
# has a space: debhelper's nginx_mod buildsystem cannot build there.
deb: deps
	rm -rf $(B)/deb
	mkdir -p $(B)/deb
	@set -e; w=$(B)/deb; \
	case "$(CURDIR)" in *[[:space:]]*) \
	    w=$$(mktemp -d /tmp/alpxe-deb.XXXXXX); trap 'rm -rf "$$w"' EXIT ;; esac; \
	mkdir "$$w/src"; \
	tar -c --exclude='./build*' --exclude=./.git . | tar -x -C "$$w/src"; \
	echo "dpkg-buildpackage in $$w/src"; \
	(cd "$$w/src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    dpkg-buildpackage -b -us -uc --jobs-try=auto); \
	[ "$$w" = $(B)/deb ] || mv "$$w"/*.deb "$$w"/*.changes "$$w"/*.buildinfo $(B)/deb/
	lintian --fail-on error,warning $(B)/deb/*.changes >$(B)/deb/lintian.log 2>&1; \
	    rc=$$?; cat $(B)/deb/lintian.log; exit $$rc

clean:
	rm -rf $(B)
