/*
 * fuzz_request.c - libFuzzer target: a request as the nginx module sees
 * it (a script, a menu's choice, a NoCloud document).  The input is a request line's target, "PATH?QUERY"
 * (split at the first '?'), PATH standing for nginx's decoded r->uri and
 * QUERY for the raw r->args.  It is read three ways: below the location
 * prefix "/pxe/" (a prefix location), as a whole path (a regular
 * expression location, ALPXE_REQUEST_TAIL), and as given.  Whatever
 * arrives: one of the three documented answers, and what is accepted
 * (MAC, document, choice) comes out the same from its canonical path.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What alpxe_request_parse reads comes out the same from its canonical
 * path and query. */
static void
check_parse(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags)
{
    alpxe_request req, again;
    char          canon[256], q[128];
    int           rc;

    rc = alpxe_request_parse(path, path_len, query, query_len, flags, &req);
    if (rc == -ENOENT || rc == -EINVAL) {
        return;
    }
    if (rc != 0 || (unsigned) req.doc >= ALPXE_DOC_COUNT
        || strlen(req.profile) > ALPXE_PROFILE_NAME_MAX)
    {
        abort();
    }
    if (!req.have_mac) {
        if (req.doc != ALPXE_DOC_SCRIPT || (flags & ALPXE_REQUEST_TAIL)) {
            abort();
        }
        return;
    }
    alpxe_mac_format(&req.mac, ':', canon);
    q[0] = '\0';
    if (req.doc == ALPXE_DOC_SCRIPT) {
        snprintf(canon + 17, sizeof(canon) - 17, "/%s", ALPXE_SCRIPT_NAME);
        if (req.profile[0] != '\0') {
            snprintf(q, sizeof(q), "profile=%s", req.profile);
        }
    } else {
        snprintf(canon + 17, sizeof(canon) - 17, "/%s%s%s", req.profile,
                 req.profile[0] ? "/" : "", alpxe_doc_name(req.doc));
    }
    if (alpxe_request_parse(canon, strlen(canon), q, strlen(q), 0, &again)
        != 0 || memcmp(req.mac.b, again.mac.b, 6) != 0
        || req.doc != again.doc || strcmp(req.profile, again.profile) != 0)
    {
        abort();
    }
}

static void
check(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags)
{
    check_parse(path, path_len, query, query_len, flags);
    alpxe_mac mac, again;
    char      canon[ALPXE_MAC_STR + sizeof("/" ALPXE_SCRIPT_NAME)];
    int       rc;

    rc = alpxe_request_mac(path, path_len, query, query_len, flags, &mac);
    if (rc == -ENOENT || rc == -EINVAL) {
        return;
    }
    if (rc != 0) {
        abort();
    }
    alpxe_mac_format(&mac, ':', canon);
    memcpy(canon + ALPXE_MAC_STR - 1, "/" ALPXE_SCRIPT_NAME,
           sizeof("/" ALPXE_SCRIPT_NAME));
    if (alpxe_request_mac(canon, strlen(canon), NULL, 0, 0, &again) != 0
        || memcmp(mac.b, again.b, 6) != 0)
    {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = (const char *) data, *query = NULL, *q;
    size_t      path_len = size, query_len = 0;

    q = memchr(data, '?', size);
    if (q != NULL) {
        path_len = (size_t) (q - path);
        query = q + 1;
        query_len = size - path_len - 1;
    }

    if (path_len >= 5 && memcmp(path, "/pxe/", 5) == 0) {
        check(path + 5, path_len - 5, query, query_len, 0);
    }
    check(path, path_len, query, query_len, ALPXE_REQUEST_TAIL);
    check(path, path_len, query, query_len, 0);
    return 0;
}
