# nginx-module/build.mk - ngx_http_alpxe_module, a dynamic module for
# Debian's nginx, built the way debhelper's nginx_mod buildsystem does it:
# nginx-dev's source tree, its conf_flags, --add-dynamic-module, and
# `make modules`.  configure runs once (again only when the module's config
# fragment changes); the module is relinked when its source or the core
# changes.

NGX_DEV_SRC   := /usr/share/nginx/src
NGX_SRC       := $(B)/nginx-src
NGX_BUILD     := $(B)/nginx-build
NGX_MODULE    := $(B)/ngx_http_alpxe_module.so

ALL_TARGETS   += $(NGX_MODULE)
TEST_SUITES   += tests/nginx/run.sh
BENCH_SUITES  += tests/bench/nginx.sh

.PHONY: nginx-module

nginx-module: $(NGX_MODULE)

# configure again when the sanitizer flags it bakes in change
$(B)/nginx-san-flags: FORCE
	@mkdir -p $(B)
	@echo '$(SAN_FLAGS) $(SAN_SHARED)' | cmp -s - $@ 2>/dev/null || \
	    echo '$(SAN_FLAGS) $(SAN_SHARED)' >$@

.PHONY: FORCE
FORCE:

# Every path configure writes into nginx's Makefile is relative to
# $(NGX_SRC), where that Makefile runs, and reaches the tree through the
# link alpxe-src: configure and the Makefile it writes split paths on
# spaces, and a checkout's path may have them.
$(NGX_BUILD)/Makefile: SHELL := /bin/bash
$(NGX_BUILD)/Makefile: nginx-module/config nginx-module/build.mk \
		$(B)/nginx-san-flags
	@test -x $(NGX_DEV_SRC)/configure || \
	    { echo "$(NGX_DEV_SRC) missing: install nginx-dev (make deps)"; exit 1; }
	rm -rf $(NGX_SRC) $(NGX_BUILD)
	mkdir -p $(B)
	cp -a $(NGX_DEV_SRC) $(NGX_SRC)
	ln -s "$(CURDIR)" $(NGX_SRC)/alpxe-src
	cd $(NGX_SRC) && . ./conf_flags && \
	ALPXE_INC=alpxe-src/common ALPXE_LIB=../libalpxe.a \
	ALPXE_SAN_CFLAGS="$(SAN_FLAGS)" ALPXE_SAN_LIBS="$(SAN_FLAGS) $(SAN_SHARED)" \
	./configure \
	    --with-cc-opt="$$(dpkg-buildflags --get CFLAGS) -fPIC $$(dpkg-buildflags --get CPPFLAGS)" \
	    --with-ld-opt="$$(dpkg-buildflags --get LDFLAGS) -fPIC" \
	    "$${NGX_CONF_FLAGS[@]}" \
	    --add-dynamic-module=alpxe-src/nginx-module \
	    --builddir=../nginx-build >../nginx-configure.log 2>&1 || \
	    { cat ../nginx-configure.log; rm -f ../nginx-build/Makefile; exit 1; }

# nginx's Makefile knows the module's source and header, not the archive it
# links: drop its .so so that a new libalpxe.a is linked in.  The result is
# renamed into place, never written over: a running nginx has the old file
# mapped, and rewriting it in place crashes its workers.  SANITIZE=1
# compiles it with the core's compiler (clang), not configure's.
$(NGX_MODULE): nginx-module/ngx_http_alpxe_module.c common/alpxe.h \
		$(B)/libalpxe.a $(NGX_BUILD)/Makefile
	rm -f $(NGX_BUILD)/ngx_http_alpxe_module.so
	$(MAKE) -C $(NGX_SRC) -f ../nginx-build/Makefile modules \
	    $(if $(SAN_FLAGS),CC=$(CC))
	cp $(NGX_BUILD)/ngx_http_alpxe_module.so $@.tmp
	mv -f $@.tmp $@

# Debian's layout: the module in /usr/lib/nginx/modules, its load_module
# line in modules-available, enabled by a link in /etc/nginx/modules-enabled
# (the nginx.conf Debian ships includes that directory).
NGX_MODULES_DIR ?= /usr/lib/nginx/modules
NGX_SHARE_DIR   ?= /usr/share/nginx

.PHONY: install-nginx-module
install-nginx-module: $(NGX_MODULE)
	install -D -m 0644 $(NGX_MODULE) \
	    "$(DESTDIR)$(NGX_MODULES_DIR)/ngx_http_alpxe_module.so"
	install -d -m 0755 "$(DESTDIR)/var/lib/alpxe"     # alpxe_last_good
	install -d "$(DESTDIR)$(NGX_SHARE_DIR)/modules-available" \
	    "$(DESTDIR)/etc/nginx/modules-enabled"
	echo 'load_module modules/ngx_http_alpxe_module.so;' \
	    >"$(DESTDIR)$(NGX_SHARE_DIR)/modules-available/mod-http-alpxe.conf"
	ln -sf $(NGX_SHARE_DIR)/modules-available/mod-http-alpxe.conf \
	    "$(DESTDIR)/etc/nginx/modules-enabled/50-mod-http-alpxe.conf"
