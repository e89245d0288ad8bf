/*
 * rules.h - alpxe.conf's TFTP section turned into tftpd-hpa remap rules.
 */

#ifndef ALPXE_REMAP_RULES_H
#define ALPXE_REMAP_RULES_H

#include <stddef.h>

#include "alpxe.h"
#include "sbuf.h"

/*
 * Append the text of a remap file implementing alpxe_tftp_resolve() for
 * cfg to out.  The number of rules depends on the loaders and aliases,
 * never on the hosts.  Returns 0, -ENOMEM, or -EINVAL with a message in
 * err when a loader or alias name cannot be written as a rule.
 */
int remap_rules_generate(const alpxe_config *cfg, sbuf *out, char *err,
    size_t errsize);

#endif /* ALPXE_REMAP_RULES_H */
