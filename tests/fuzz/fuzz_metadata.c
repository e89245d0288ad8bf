/*
 * fuzz_metadata.c - libFuzzer target: the files alpxe.conf names for the
 * NoCloud metadata.  The input (after its first byte) is written to a
 * file that a small alpxe.conf names as authorized_keys or as user_data
 * (the first byte chooses), for a profile with metadata = yes, a host
 * with an NFS directory and a menu host.  Whatever the file holds: the
 * load refuses it or loads it, and every document of every machine is
 * answered within ALPXE_DOC_MAX.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alpxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf_fmt[] =
    "[server]\n"
    "address = 10.0.0.28\n"
    "unknown = menu\n"
    "default = lts\n"
    "[profile lts]\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = boot/initramfs-lts\n"
    "metadata = yes\n"
    "%s = %s\n"
    "[host nuc1]\n"
    "mac = 52:54:00:12:34:56\n"
    "profile = lts\n"
    "ip = 10.0.0.51::10.0.0.1:255.255.255.0::eth0:none:10.0.0.1\n"
    "nfs = nfs://10.0.0.28/homes/${hostname}?version=4\n"
    "%s = %s\n"
    "[host pick]\n"
    "mac = 52:54:00:12:34:57\n"
    "profile = lts\n"
    "boot = menu\n";

static char dir[64];

/* libFuzzer has no teardown: the scratch directory goes at exit. */
static void
remove_dir(void)
{
    char path[128];

    snprintf(path, sizeof(path), "%s/file", dir);
    unlink(path);
    rmdir(dir);
}

static void
answer_all(const alpxe_config *cfg, const char *mac, const char *profile)
{
    static char   buf[ALPXE_DOC_MAX];
    alpxe_request req;
    alpxe_script  s;
    int           d;

    for (d = 0; d < ALPXE_DOC_COUNT; d++) {
        memset(&req, 0, sizeof(req));
        req.have_mac = 1;
        if (alpxe_mac_parse(mac, strlen(mac), &req.mac) != 0) {
            abort();
        }
        req.doc = (alpxe_doc) d;
        snprintf(req.profile, sizeof(req.profile), "%s", profile);
        if (alpxe_answer(cfg, &req, buf, sizeof(buf), &s) != 0
            || (s.text != NULL && s.len > ALPXE_DOC_MAX))
        {
            abort();
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alpxe_config *cfg = NULL;
    const char   *key;
    char          path[128], text[sizeof(conf_fmt) + 512];
    FILE         *f;

    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/alpxe-fuzz-metadata.XXXXXX");
        if (mkdtemp(dir) == NULL) {
            abort();
        }
        atexit(remove_dir);
    }
    if (size == 0) {
        return 0;
    }
    key = data[0] & 1 ? "user_data" : "authorized_keys";
    snprintf(path, sizeof(path), "%s/file", dir);
    f = fopen(path, "wb");
    if (f == NULL) {
        abort();
    }
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    snprintf(text, sizeof(text), conf_fmt, key, path, key, path);

    if (alpxe_config_load_mem("fuzz.conf", text, strlen(text),
                              ALPXE_LOAD_SCRIPTS, NULL, NULL, &cfg) == 0)
    {
        answer_all(cfg, "52:54:00:12:34:56", "");
        answer_all(cfg, "52:54:00:12:34:57", "lts");
        answer_all(cfg, "52:54:00:99:99:99", "lts");
        alpxe_config_free(cfg);
    }
    unlink(path);
    return 0;
}
