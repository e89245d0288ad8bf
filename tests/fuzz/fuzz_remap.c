/*
 * fuzz_remap.c - libFuzzer target: the tftpd-hpa rule engine of
 * alpxe-remap (tftp-remap/engine.c), which reads rules files the admin or
 * alpxe-remap wrote and applies them to request names a client sends.
 * The input is "NAME\nRULES": the first line a TFTP read request's file
 * name, the rest a rules file.  Whatever arrives: the file is accepted or
 * refused, an accepted file gives one of the three documented results for
 * the name, and nothing is read or written out of bounds (ASan).
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Names and files as long as a request or a rules file gets. */
#define NAME_MAX_FUZZ   512
#define RULES_MAX_FUZZ  4096

/*
 * The engine hands each pattern to glibc's regcomp(), as in.tftpd does.
 * Stacked or counted repetitions ("(.*)+++", "(a{255}){255}") make
 * regcomp itself take gigabytes: a property of glibc, for in.tftpd too,
 * not of the code fuzzed here, so such inputs are passed over.
 */
static int
regex_blowup(const uint8_t *p, size_t len)
{
    size_t i, quantifiers = 0;

    for (i = 0; i < len; i++) {
        if (p[i] == '{') {
            return 1;
        }
        if (p[i] == '*' || p[i] == '+' || p[i] == '?') {
            quantifiers++;
        }
    }
    return quantifiers > 8;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const remap_client client = { AF_INET, { 10, 0, 0, 7 } };
    const uint8_t *nl = memchr(data, '\n', size);
    remap_rules   *rules;
    remap_result   res;
    size_t         name_len, rules_len;
    char          *name, *text;

    if (nl == NULL) {
        return 0;
    }
    name_len = (size_t) (nl - data);
    rules_len = size - name_len - 1;
    if (name_len > NAME_MAX_FUZZ || rules_len > RULES_MAX_FUZZ
        || memchr(data, '\0', name_len) != NULL
        || regex_blowup(nl + 1, rules_len))
    {
        return 0;
    }
    name = malloc(name_len + 1);
    text = malloc(rules_len ? rules_len : 1);
    memcpy(name, data, name_len);
    name[name_len] = '\0';
    memcpy(text, nl + 1, rules_len);

    if (remap_parse(text, rules_len, NULL, NULL, &rules) == 0) {
        if (remap_apply(rules, name, 'G', &client, NULL, NULL, &res) == 0) {
            switch (res.status) {
            case REMAP_MAPPED:
                if (res.name == NULL) {
                    abort();
                }
                break;
            case REMAP_DENIED:
            case REMAP_FAILED:
                if (res.message == NULL) {
                    abort();
                }
                break;
            default:
                abort();
            }
            if (res.visits > REMAP_MAX_VISITS + 1) {
                abort();
            }
            remap_result_free(&res);
        }
        remap_free(rules);
    }
    free(name);
    free(text);
    return 0;
}
