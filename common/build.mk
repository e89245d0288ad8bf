# common/build.mk - the core library, libalpxe.a: the configuration and
# every boot decision.  Every other part links it; it links only inih.

CORE_SRCS  := $(wildcard common/*.c)
CORE_OBJS  := $(CORE_SRCS:common/%.c=$(B)/core/%.o)
CORE_HDRS  := $(wildcard common/*.h)

ALL_TARGETS += $(B)/libalpxe.a

$(B)/core $(B)/tests:
	mkdir -p $@

$(B)/core/%.o: common/%.c $(CORE_HDRS) | $(B)/core
	$(CC) $(ALPXE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libalpxe.a: $(CORE_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# The configuration format is the core's: its manual and an example
# alpxe.conf that never replaces one already there (it is the admin's file
# from the first edit on).  Installed with the alpxe command.
#
# Everyone reads /etc/alpxe/alpxe.conf, and /etc/alpxe is a link to
# /etc/kea/alpxe: Debian's AppArmor profile for kea-dhcp4 (enforcing by
# default, no local/ include) lets Kea read /etc/kea/** only, and AppArmor
# checks the path a link resolves to.  A real /etc/alpxe already there is
# left alone.
PREFIX     ?= /usr
MANDIR     ?= $(PREFIX)/share/man
ALPXE_ETC  ?= /etc/kea/alpxe

.PHONY: install-config
install-config:
	install -D -m 0644 common/alpxe.conf.5 "$(DESTDIR)$(MANDIR)/man5/alpxe.conf.5"
	@if [ -e "$(DESTDIR)$(ALPXE_ETC)/alpxe.conf" ]; then \
	    echo "kept $(DESTDIR)$(ALPXE_ETC)/alpxe.conf (example: common/alpxe.conf.example)"; \
	else \
	    echo "install -D -m 0644 common/alpxe.conf.example $(DESTDIR)$(ALPXE_ETC)/alpxe.conf"; \
	    install -D -m 0644 common/alpxe.conf.example "$(DESTDIR)$(ALPXE_ETC)/alpxe.conf"; \
	fi
	@if [ "$(ALPXE_ETC)" = /etc/kea/alpxe ] && [ ! -e "$(DESTDIR)/etc/alpxe" ] \
	    && [ ! -L "$(DESTDIR)/etc/alpxe" ]; then \
	    echo "ln -s kea/alpxe $(DESTDIR)/etc/alpxe"; \
	    ln -s kea/alpxe "$(DESTDIR)/etc/alpxe"; \
	fi
