/*
 * kea_json.h - read Kea's answer to a control-channel command.
 */

#ifndef ALPXE_CLI_KEA_JSON_H
#define ALPXE_CLI_KEA_JSON_H

#include <stddef.h>

/*
 * The "result" and "text" of Kea's answer in buf (len bytes, need not be
 * NUL-terminated): an object, or (through kea-ctrl-agent) a list whose
 * first element is one.  text is truncated to fit and NUL-terminated ("",
 * when absent).  Returns 0, or -EINVAL when the answer is not that.
 */
int kea_json_answer(const char *buf, size_t len, long *result, char *text,
    size_t size);

#endif /* ALPXE_CLI_KEA_JSON_H */
