/*
 * kea_json.h - read Kea's answers to control-channel commands (jansson).
 */

#ifndef ALPXE_CLI_KEA_JSON_H
#define ALPXE_CLI_KEA_JSON_H

#include <stddef.h>

#include <jansson.h>

/*
 * Parse an answer (len bytes, need not be NUL-terminated): one object, or
 * (through kea-ctrl-agent) a list whose first element is one.  Returns the
 * object (a new reference: json_decref() it), or NULL when the bytes are
 * not that.
 */
json_t *kea_json_parse(const char *buf, size_t len);

/*
 * Its "result" and "text": text truncated to fit and NUL-terminated (""
 * when absent).  Returns 0, or -EINVAL when there is no integer result.
 */
int kea_json_answer(const json_t *answer, long *result, char *text,
    size_t size);

/* The member at a dotted path ("arguments.served.sha256"), or NULL. */
const json_t *kea_json_at(const json_t *answer, const char *path);

/* That member as a string; "" when it is absent, null or no string. */
const char *kea_json_str(const json_t *answer, const char *path);

#endif /* ALPXE_CLI_KEA_JSON_H */
