# common/build.mk - the core library and the alpxe CLI are built by the
# top-level Makefile's pattern rules; this adds their install target.

# Debian's layout: the command in /usr/sbin beside alpxe-remap, its
# manuals, and an example /etc/alpxe/alpxe.conf that never replaces one
# already there (it is the admin's file from the first edit on).
PREFIX     ?= /usr
MANDIR     ?= $(PREFIX)/share/man
ALPXE_ETC  ?= /etc/alpxe

.PHONY: install-alpxe
install-alpxe: $(B)/alpxe
	install -D -m 0755 $(B)/alpxe $(DESTDIR)$(PREFIX)/sbin/alpxe
	install -D -m 0644 common/alpxe.8 $(DESTDIR)$(MANDIR)/man8/alpxe.8
	install -D -m 0644 common/alpxe.conf.5 $(DESTDIR)$(MANDIR)/man5/alpxe.conf.5
	@if [ -e $(DESTDIR)$(ALPXE_ETC)/alpxe.conf ]; then \
	    echo "kept $(DESTDIR)$(ALPXE_ETC)/alpxe.conf (example: common/alpxe.conf.example)"; \
	else \
	    echo "install -D -m 0644 common/alpxe.conf.example $(DESTDIR)$(ALPXE_ETC)/alpxe.conf"; \
	    install -D -m 0644 common/alpxe.conf.example $(DESTDIR)$(ALPXE_ETC)/alpxe.conf; \
	fi
