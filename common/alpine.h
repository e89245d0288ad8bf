/*
 * alpine.h - Alpine's rules for the kernel line, as load warnings
 * (alpine.c).
 */

#ifndef ALPXE_ALPINE_H
#define ALPXE_ALPINE_H

#include "config_parse.h"

/*
 * Warn about what Alpine's boot would do differently from what the
 * values of a profile or a host suggest.  `v` holds the effective values
 * (NULL: unset), `kind` and `name` name the section ("host", "nuc1"),
 * `line` is its header's; `own` has bit k set for each key k the section sets itself
 * (a rule is reported only where one of its keys is set); `nmacs` is the
 * host's number of MACs (0 for a profile).
 */
void alpine_rules(parse_state *ps, const cfg_value *const *v,
    const char *kind, const char *name, unsigned line, unsigned own,
    unsigned nmacs);

/*
 * An ip= value split into its fields as Alpine's configure_ip does
 * (IFS=':'): client, server, gateway, netmask, hostname, device,
 * autoconf, dns0, dns1, NTP.  Absent fields are "".  NULL reads as
 * "dhcp", Alpine's default.
 */
#define ALPINE_IP_FIELDS    10

typedef struct {
    char    text[256];
    char   *f[ALPINE_IP_FIELDS];
} alpine_ip;

void alpine_ip_split(const char *v, alpine_ip *ip);

/* Does Alpine's initramfs set the address itself (neither DHCP nor off)? */
int alpine_ip_static(const alpine_ip *ip);

#endif /* ALPXE_ALPINE_H */
