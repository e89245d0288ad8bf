/*
 * fuzz_kea_json.c - libFuzzer target: the reader of Kea's control-channel
 * answers (cli/kea_json.c over jansson) that `alpxe reload` and `alpxe
 * status` use.  The input is whatever came back on the socket.  Whatever
 * arrives: an answer or NULL, a result and text or -EINVAL, members by
 * path of any type, and no read past the input (an exact-size heap block,
 * under ASan).
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kea_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const paths[] = {
        "arguments.served.sha256", "arguments.file.errors",
        "arguments.reload.loading", "arguments", "text", "", "a..b",
    };
    char   *buf = malloc(size ? size : 1);
    char    text[48];
    long    result;
    json_t *answer;
    size_t  i;
    int     rc;

    memcpy(buf, data, size);
    answer = kea_json_parse(buf, size);
    if (answer != NULL) {
        if (!json_is_object(answer)) {
            abort();
        }
        memset(text, 'x', sizeof(text));
        rc = kea_json_answer(answer, &result, text, sizeof(text));
        if ((rc != 0 && rc != -EINVAL)
            || memchr(text, '\0', sizeof(text)) == NULL)
        {
            abort();
        }
        for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
            (void) kea_json_at(answer, paths[i]);
            if (kea_json_str(answer, paths[i]) == NULL) {
                abort();
            }
        }
        json_decref(answer);
    }
    free(buf);
    return 0;
}
