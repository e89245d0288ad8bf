/*
 * validate.h - whitelists for every value that can reach an iPXE script,
 * a kernel command line, a DHCP packet or a TFTP path.
 *
 * iPXE has no quoting: it splits on whitespace, '#' starts a comment,
 * "||", "&&" and ';' end a command, "${" expands and a trailing '\'
 * continues the line.  So values are checked against what is allowed,
 * never escaped.  Each checker returns 0, or -1 with a one-line reason in
 * msg (without file, line or key: the caller adds those).
 */

#ifndef ALPXE_VALIDATE_H
#define ALPXE_VALIDATE_H

#include <stddef.h>

/* A URL or a path under [server] http: one token, alpxe variables ok. */
int check_url(const char *v, char *msg, size_t size);

/* Kernel arguments: tokens separated by spaces. */
int check_args(const char *v, char *msg, size_t size);

/* The kernel's ip= value: "dhcp" or client:server:gw:mask:host:dev:auto. */
int check_ip(const char *v, char *msg, size_t size);

/* A loader file name relative to the TFTP root. */
int check_loader(const char *v, char *msg, size_t size);

/* A host name (RFC 1123) or a profile name. */
int check_hostname(const char *v, char *msg, size_t size);
int check_profile_name(const char *v, char *msg, size_t size);

/* nfs://server/path[?libnfs-options]; never reaches a script. */
int check_nfs(const char *v, char *msg, size_t size);

/* A whole number in base 8 or 10, at most max. */
int check_number(const char *v, int base, unsigned long max, char *msg,
    size_t size);

/* Does v use ${hostname}, ${mac} or ${mac_dash}? */
int uses_vars(const char *v);

/* A short, printable rendering of v for messages, \xNN for bytes that
 * would reach a terminal or a log as control characters; quote_value
 * puts it between double quotes. */
void escape_value(const char *v, char *out, size_t size);
void quote_value(const char *v, char *out, size_t size);

#endif /* ALPXE_VALIDATE_H */
