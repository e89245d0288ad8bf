/*
 * kea_http.c - one command to kea-dhcp4 through kea-ctrl-agent (or HA's
 * own listener), over HTTP or HTTPS: how `alpxe reload` and `alpxe status`
 * reach the other Kea of an HA pair.
 *
 * The agent takes a POST of the command with "service": ["dhcp4"] and
 * forwards it to kea-dhcp4's control socket; the answer comes back as a
 * list of one answer per service (kea_json_parse takes the first).  The
 * HTTP itself is libcurl's: URLs (IPv6 in brackets, user:password@ as the
 * agent's basic authentication), TLS when the agent has a certificate,
 * and one deadline over name lookup, connection and answer.
 */

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kea_ctrl.h"

#define ANSWER_MAX      (1024 * 1024)

typedef struct {
    char   *data;
    size_t  len;
} answer_buf;

void
kea_url_shown(const char *url, char *out, size_t size)
{
    const char *host = strstr(url, "://"), *at, *colon;

    host = host != NULL ? host + 3 : url;
    at = memchr(host, '@', strcspn(host, "/"));
    colon = at != NULL ? memchr(host, ':', (size_t) (at - host)) : NULL;
    if (colon == NULL) {
        snprintf(out, size, "%s", url);
        return;
    }
    snprintf(out, size, "%.*s:***%s", (int) (colon - url), url, at);
}

/* libcurl's write callback: an answer past ANSWER_MAX ends the transfer. */
static size_t
collect(char *data, size_t size, size_t n, void *ctx)
{
    answer_buf *a = ctx;
    size_t      len = size * n;

    if (len > ANSWER_MAX - a->len) {
        return 0;
    }
    memcpy(a->data + a->len, data, len);
    a->len += len;
    return len;
}

/* What a failed transfer means, as kea_ctrl's callers read it: nothing
 * listening is -ECONNREFUSED ("not running"), a silent agent -ETIMEDOUT. */
static int
failure(CURL *curl, CURLcode rc, const char *url, const char *command,
    unsigned timeout_ms, const char *detail, char *err, size_t errsize)
{
    curl_off_t connected = 0;
    long       os_errno = 0;

    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
        snprintf(err, errsize, "%s: no such host", url);
        return -EHOSTUNREACH;
    case CURLE_COULDNT_CONNECT:
        curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
        snprintf(err, errsize, "%s: %s", url, os_errno != 0
                 ? strerror((int) os_errno) : detail);
        return os_errno != 0 ? (int) -os_errno : -ECONNREFUSED;
    case CURLE_OPERATION_TIMEDOUT:
        curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected);
        if (connected == 0) {
            snprintf(err, errsize, "%s: no connection within %u s", url,
                     timeout_ms / 1000);
        } else {
            snprintf(err, errsize, "%s: sent \"%s\", no answer yet after "
                     "%u s", url, command, timeout_ms / 1000);
        }
        return -ETIMEDOUT;
    case CURLE_WRITE_ERROR:
        snprintf(err, errsize, "%s: an answer longer than %d bytes", url,
                 ANSWER_MAX);
        return -EMSGSIZE;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
        snprintf(err, errsize, "%s: not a URL alpxe can ask "
                 "(http[s]://[USER:PASSWORD@]HOST[:PORT][/PATH]): %s", url,
                 detail);
        return -EINVAL;
    default:
        snprintf(err, errsize, "%s: %s", url, detail);
        return -EPROTO;
    }
}

int
kea_http(const char *url, const char *command, unsigned timeout_ms,
    json_t **answer, char *err, size_t errsize)
{
    struct curl_slist *headers = NULL;
    answer_buf         a = { NULL, 0 };
    CURLcode           rc;
    CURL              *curl;
    char               body[512], detail[CURL_ERROR_SIZE], shown[512];
    char               text[512];
    long               status = 0, result;
    int                ret;

    kea_url_shown(url, shown, sizeof(shown));       /* no password */

    curl = curl_easy_init();
    a.data = malloc(ANSWER_MAX + 1);
    headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (curl == NULL || a.data == NULL || headers == NULL) {
        snprintf(err, errsize, "out of memory");
        ret = -ENOMEM;
        goto done;
    }
    snprintf(body, sizeof(body), "{ \"command\": \"%s\", "
             "\"service\": [ \"dhcp4\" ] }", command);
    detail[0] = '\0';

    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long) timeout_ms);
    /* the agent is asked directly, whatever http_proxy says */
    curl_easy_setopt(curl, CURLOPT_PROXY, "");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);

    rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        ret = failure(curl, rc, shown, command, timeout_ms,
                      detail[0] != '\0' ? detail : curl_easy_strerror(rc),
                      err, errsize);
        goto done;
    }
    a.data[a.len] = '\0';
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        snprintf(err, errsize, "%s: HTTP %ld%s", shown, status,
                 status != 401 ? ""
                 : strcmp(shown, url) != 0 ? " (the agent takes another user "
                   "and password)"
                 : " (the agent wants a user and password: "
                   "http://USER:PASSWORD@HOST:PORT/)");
        ret = -EACCES;
        goto done;
    }
    *answer = kea_json_parse(a.data, a.len);
    if (*answer == NULL) {
        snprintf(err, errsize, "%s: not an answer Kea gives: %.200s", shown,
                 a.data);
        ret = -EBADMSG;
        goto done;
    }
    /* The agent answers for a kea-dhcp4 it cannot reach: as a socket
     * nothing listens on. */
    if (kea_json_answer(*answer, &result, text, sizeof(text)) == 0
        && result != 0
        && strncasecmp(text, "unable to forward command", 25) == 0)
    {
        snprintf(err, errsize, "%s: the agent answers, kea-dhcp4 behind it "
                 "does not: %s", shown, text);
        json_decref(*answer);
        *answer = NULL;
        ret = -ECONNREFUSED;
        goto done;
    }
    err[0] = '\0';
    ret = 0;

done:
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    free(a.data);
    return ret;
}
