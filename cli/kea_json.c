/*
 * kea_json.c - the parts of Kea's control-channel answers alpxe reads:
 * "result", "text", and members of "arguments" by path.  jansson parses
 * them; what arrives may be anything a socket can carry (a truncated
 * answer, a daemon that is not Kea), so every access checks types.
 * Fuzzed by tests/fuzz/fuzz_kea_json.c.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kea_json.h"

/* Deep enough for Kea's answers, shallow enough for the stack. */
#define KEA_JSON_PATH_MAX   256

json_t *
kea_json_parse(const char *buf, size_t len)
{
    json_error_t err;
    json_t      *root, *first;

    root = json_loadb(buf, len, JSON_DISABLE_EOF_CHECK, &err);
    if (root == NULL) {
        return NULL;
    }
    if (json_is_array(root)) {
        first = json_array_get(root, 0);
        if (!json_is_object(first)) {
            json_decref(root);
            return NULL;
        }
        json_incref(first);
        json_decref(root);
        return first;
    }
    if (!json_is_object(root)) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int
kea_json_answer(const json_t *answer, long *result, char *text, size_t size)
{
    const json_t *r = json_object_get(answer, "result");
    const json_t *t = json_object_get(answer, "text");

    if (size > 0) {
        snprintf(text, size, "%s", json_is_string(t) ? json_string_value(t)
                                                       : "");
    }
    if (!json_is_integer(r)) {
        return -EINVAL;
    }
    *result = (long) json_integer_value(r);
    return 0;
}

const json_t *
kea_json_at(const json_t *answer, const char *path)
{
    char          key[KEA_JSON_PATH_MAX];
    const json_t *v = answer;
    const char   *p = path;
    size_t        n;

    while (v != NULL && *p != '\0') {
        n = strcspn(p, ".");
        if (n >= sizeof(key) || !json_is_object(v)) {
            return NULL;
        }
        memcpy(key, p, n);
        key[n] = '\0';
        v = json_object_get(v, key);
        p += n + (p[n] == '.');
    }
    return v;
}

const char *
kea_json_str(const json_t *answer, const char *path)
{
    const json_t *v = kea_json_at(answer, path);

    return json_is_string(v) ? json_string_value(v) : "";
}
