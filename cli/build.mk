# cli/build.mk - the alpxe command, and the admin library it shares with
# alpxe-remap (cli/admin/: pid files and /proc, signalling a daemon,
# printing diagnostics, file helpers).  Only the command links libnfs (NFS
# checks), jansson (Kea's control-channel answers) and libcurl (the
# kea-ctrl-agent of each peer of a Kea HA pair).

ADMIN_SRCS := $(wildcard cli/admin/*.c)
ADMIN_OBJS := $(ADMIN_SRCS:cli/admin/%.c=$(B)/admin/%.o)
CLI_SRCS   := $(wildcard cli/*.c)
CLI_OBJS   := $(CLI_SRCS:cli/%.c=$(B)/cli/%.o)
ADMIN_CFLAGS := -Icli/admin

ALL_TARGETS += $(B)/libalpxe-admin.a $(B)/alpxe

$(B)/admin $(B)/cli:
	mkdir -p $@

$(B)/admin/%.o: cli/admin/%.c cli/admin/admin.h $(CORE_HDRS) | $(B)/admin
	$(CC) $(ALPXE_CFLAGS) $(ADMIN_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/libalpxe-admin.a: $(ADMIN_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/cli/%.o: cli/%.c $(wildcard cli/*.h) cli/admin/admin.h $(CORE_HDRS) | $(B)/cli
	$(CC) $(ALPXE_CFLAGS) $(ADMIN_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/alpxe: $(CLI_OBJS) $(B)/libalpxe-admin.a $(B)/libalpxe.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS_CORE) $(shell pkg-config --libs libnfs) \
	    -ljansson $(shell pkg-config --libs libcurl)

# Debian's layout: the command in /usr/sbin beside alpxe-remap.
.PHONY: install-alpxe
install-alpxe: $(B)/alpxe install-config
	install -D -m 0755 $(B)/alpxe "$(DESTDIR)$(PREFIX)/sbin/alpxe"
	install -D -m 0644 cli/alpxe.8 "$(DESTDIR)$(MANDIR)/man8/alpxe.8"
