/*
 * reload_kea.c - `alpxe reload` for Kea: the hook's "alpxe-reload"
 * command over kea-dhcp4's control socket.
 *
 * The hook loads the file beside the configuration in service: a small
 * file's answer says at once how it went, a big one's says "loading", and
 * then alpxe-status is asked until the load ends.  Every wait fits the
 * file's size; when it runs out, the line says what is known (sent, no
 * answer yet), never that Kea failed.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "kea_ctrl.h"
#include "reload.h"

#define POLL_MS     200

/* What Kea may take for a file this size: 10 s, and 2 s more per MB
 * (100k hosts, about 10 MB, load in well under a second). */
static unsigned
timeout_for(const char *config)
{
    struct stat st;
    unsigned    ms = RELOAD_TIMEOUT_MS;

    if (stat(config, &st) == 0 && st.st_size > 0) {
        ms += (unsigned) ((unsigned long long) st.st_size * 2000
                          / (1024 * 1024));
    }
    return ms;
}

/* Ask alpxe-status until the reload under way ends; 0, -ETIMEDOUT. */
static int
wait_loaded(const char *socket_path, unsigned timeout_ms, json_t **status,
    char *err, size_t errsize)
{
    static const struct timespec poll_ts = { 0, POLL_MS * 1000000L };
    unsigned waited;
    int      rc;

    for (waited = 0; waited < timeout_ms; waited += POLL_MS) {
        nanosleep(&poll_ts, NULL);
        rc = kea_ctrl(socket_path, "alpxe-status", timeout_ms, status, err,
                      errsize);
        if (rc != 0) {
            return rc;
        }
        if (!json_is_true(kea_json_at(*status,
                                      "arguments.reload.loading")))
        {
            return 0;
        }
        json_decref(*status);
        *status = NULL;
    }
    return -ETIMEDOUT;
}

void
reload_kea(const char *socket_path, const char *config, reload_result *r)
{
    json_t   *answer = NULL, *status = NULL;
    char      text[sizeof(r->text) - 128], err[1024];
    unsigned  timeout = timeout_for(config);
    long      result = -1;
    int       rc;

    rc = kea_ctrl(socket_path, "alpxe-reload", timeout, &answer, err,
                  sizeof(err));
    if (rc == -ENOENT || rc == -ECONNREFUSED) {
        reload_set(r, RELOAD_NOT_RUNNING, "%s", err);
        return;
    }
    if (rc == -ETIMEDOUT) {
        reload_set(r, RELOAD_SENT, "%s", err);
        return;
    }
    if (rc != 0) {
        reload_set(r, RELOAD_FAILED, "%s", err);
        return;
    }
    if (kea_json_answer(answer, &result, text, sizeof(text)) != 0) {
        reload_set(r, RELOAD_FAILED, "%s: an answer without a result",
                   socket_path);
        goto out;
    }
    if (result != 0) {
        /* 2: the command is unknown, so the hook is not loaded */
        reload_set(r, RELOAD_FAILED, "Kea answered result %ld, \"%s\"%s",
                   result, text, result == 2 ? " (is libdhcp_alpxe.so in "
                   "its hooks-libraries?)" : "");
        goto out;
    }
    if (!json_is_true(kea_json_at(answer, "arguments.loading"))) {
        reload_set(r, RELOAD_DONE, "Kea answered \"%s\"", text);
        goto out;
    }

    /* a big file: loading beside the configuration in service */
    rc = wait_loaded(socket_path, timeout, &status, err, sizeof(err));
    if (rc == -ETIMEDOUT) {
        reload_set(r, RELOAD_SENT, "sent; Kea is still loading %s after "
                   "%u s (alpxe status says when it serves)", config,
                   timeout / 1000);
    } else if (rc != 0) {
        reload_set(r, RELOAD_SENT, "sent; then %s", err);
    } else if (strcmp(kea_json_str(status, "arguments.file.state"), "ok")
               == 0)
    {
        reload_set(r, RELOAD_DONE, "loaded in the background, sha256 %.12s",
                   kea_json_str(status, "arguments.served.sha256"));
    } else {
        json_t *errors = (json_t *) kea_json_at(status,
                                                "arguments.file.errors");

        reload_set(r, RELOAD_FAILED, "refused, the previous configuration "
                   "keeps serving: %s", json_is_array(errors)
                   && json_is_string(json_array_get(errors, 0))
                   ? json_string_value(json_array_get(errors, 0))
                   : "the file does not load");
    }

out:
    json_decref(status);
    json_decref(answer);
}
