/*
 * fuzz_kea_json.c - libFuzzer target: the reader of Kea's control-channel
 * answers (cli/kea_json.c) that `alpxe reload` and `alpxe status` use.
 * The input is whatever came back on the socket.  Whatever arrives: an
 * answer or -EINVAL, a text that is NUL-terminated inside its buffer, and
 * no read past the input (an exact-size heap block, under ASan).
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
    char   *buf = malloc(size ? size : 1);
    char    text[48];
    long    result = 12345;
    int     rc;

    memcpy(buf, data, size);
    memset(text, 'x', sizeof(text));
    rc = kea_json_answer(buf, size, &result, text, sizeof(text));
    if (rc != 0 && rc != -EINVAL) {
        abort();
    }
    if (rc == 0 && memchr(text, '\0', sizeof(text)) == NULL) {
        abort();
    }
    if (rc == 0 && result == 12345 && size < 5) {
        abort();            /* "result" needs more bytes than that */
    }
    free(buf);
    return 0;
}
