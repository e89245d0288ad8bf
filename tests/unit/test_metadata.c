/*
 * test_metadata.c - the NoCloud documents (metadata = yes) as tiny-cloud
 * reads them: each document is parsed with libyaml, the parser behind
 * tiny-cloud's `yx`, and read by key path the way its get_userdata does
 * ("write_files/0/path"), one row per value.  Then the files alpxe.conf
 * names (authorized_keys, user_data): every refusal with its file and
 * line; whitelisted values that would end a YAML scalar; the kernel line's
 * ds= seed; byte-for-byte meta-data.
 */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <yaml.h>

#include "helpers.h"

static char dir[64];

/* Write dir/name. */
static void
put_file(const char *name, const char *text)
{
    char  path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char keys_pub[] =
    "# the admins\n"
    "\n"
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example\n"
    "ssh-rsa   AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA  ops  team (laptop)  \n";

static const char host_pub[] =
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAy owner\n";

static const char common_yaml[] =
    "#alpine-config\n"
    "packages:\n"
    "- htop\n"
    "- vim\n"
    "runcmd:\n"
    "    - echo hello > /etc/motd\n"
    "ntp:\n"
    "  enabled: true\n"
    "user:\n"
    "  name: root\n";

static const char host_yaml[] =
    "#alpine-config\n"
    "# the host's own\n"
    "write_files:\n"
    "  - path: /etc/issue\n"
    "    content: |\n"
    "      welcome\n"
    "user: admin\n";

/* %1$s: the directory of the files above.  Lines matter for the
 * error rows below. */
static const char conf_fmt[] =
    "[server]\n"
    "address = 10.0.0.28\n"
    "unknown = menu\n"
    "default = lts\n"
    "[profile lts]\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = boot/initramfs-lts\n"
    "metadata = yes\n"
    "authorized_keys = %1$s/keys.pub\n"
    "user_data = %1$s/common.yaml\n"
    "[profile plain]\n"
    "kernel = boot/vmlinuz-virt\n"
    "initrd = boot/initramfs-virt\n"
    "[host nuc1]\n"
    "mac = 52:54:00:12:34:56\n"
    "mac = 52:54:00:12:34:57\n"
    "profile = lts\n"
    "ip = 10.0.0.51::10.0.0.1:255.255.255.0::eth0:none:10.0.0.1\n"
    "nfs = nfs://10.0.0.28/homes/${hostname}?version=4&nfsport=2049\n"
    "authorized_keys = %1$s/host.pub\n"
    "user_data = %1$s/host.yaml\n"
    "[host dyn]\n"
    "mac = 52:54:00:00:00:02\n"
    "profile = lts\n"
    "nfs = nfs://nas.example/export/dyn\n"
    "[host bare]\n"
    "mac = 52:54:00:00:00:03\n"
    "profile = plain\n"
    "[host pick]\n"
    "mac = 52:54:00:00:00:04\n"
    "profile = plain\n"
    "boot = menu\n";

/* ------------------------------------------------ yx, with libyaml */

/*
 * The scalar at a key path ("write_files/0/content"): map keys by name,
 * sequence items by index, as tiny-cloud's `yx -f FILE a b c` does.
 * Returns a malloc'd copy, or NULL when the path leads nowhere.
 */
static char *
yx(const char *text, size_t len, const char *path)
{
    yaml_parser_t    parser;
    yaml_document_t  doc;
    yaml_node_t     *node;
    char             p[256], *seg, *save = NULL, *out = NULL;

    assert_true(yaml_parser_initialize(&parser));
    yaml_parser_set_input_string(&parser, (const unsigned char *) text, len);
    if (!yaml_parser_load(&parser, &doc)) {
        fail_msg("libyaml: %s (line %zu) in:\n%.*s", parser.problem,
                 parser.problem_mark.line + 1, (int) len, text);
    }
    node = yaml_document_get_root_node(&doc);
    snprintf(p, sizeof(p), "%s", path);
    for (seg = strtok_r(p, "/", &save); seg != NULL && node != NULL;
         seg = strtok_r(NULL, "/", &save))
    {
        yaml_node_t *next = NULL;

        if (node->type == YAML_MAPPING_NODE) {
            yaml_node_pair_t *pair;

            for (pair = node->data.mapping.pairs.start;
                 pair < node->data.mapping.pairs.top; pair++)
            {
                yaml_node_t *k = yaml_document_get_node(&doc, pair->key);

                if (k->type == YAML_SCALAR_NODE
                    && strcmp((char *) k->data.scalar.value, seg) == 0)
                {
                    next = yaml_document_get_node(&doc, pair->value);
                }
            }
        } else if (node->type == YAML_SEQUENCE_NODE) {
            long i = strtol(seg, NULL, 10);

            if (i >= 0 && node->data.sequence.items.start + i
                          < node->data.sequence.items.top)
            {
                next = yaml_document_get_node(&doc,
                           node->data.sequence.items.start[i]);
            }
        }
        node = next;
    }
    if (node != NULL && node->type == YAML_SCALAR_NODE) {
        out = strdup((char *) node->data.scalar.value);
    }
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return out;
}

/* The number of items (sequence) or keys (mapping) at a path, -1. */
static int
yx_count(const char *text, size_t len, const char *path)
{
    char  p[256];
    int   n;

    for (n = 0; n < 64; n++) {
        snprintf(p, sizeof(p), "%s%s%d", path, path[0] ? "/" : "", n);
        char *v = yx(text, len, p);

        if (v == NULL) {
            /* a map of maps has no index: not used with those */
            break;
        }
        free(v);
    }
    return n;
}

static alpxe_config *
load_conf(void)
{
    alpxe_config *cfg = NULL;
    char          text[sizeof(conf_fmt) + 256];
    diags         d;

    snprintf(text, sizeof(text), conf_fmt, dir);
    if (load_string(text, ALPXE_LOAD_SCRIPTS, &d, &cfg) != 0) {
        fail_msg("did not load:\n%s", d.text);
    }
    return cfg;
}

/* The document as nginx serves it: alpxe_answer for the request. */
static char *
serve(const alpxe_config *cfg, const char *mac, alpxe_doc doc,
    const char *profile, size_t *len)
{
    alpxe_request req;
    alpxe_script  s;
    char         *buf = malloc(ALPXE_DOC_MAX), *out;

    assert_non_null(buf);
    memset(&req, 0, sizeof(req));
    req.have_mac = 1;
    assert_int_equal(alpxe_mac_parse(mac, strlen(mac), &req.mac), 0);
    req.doc = doc;
    snprintf(req.profile, sizeof(req.profile), "%s", profile);
    assert_int_equal(alpxe_answer(cfg, &req, buf, ALPXE_DOC_MAX, &s), 0);
    if (s.text == NULL) {
        free(buf);
        return NULL;
    }
    out = malloc(s.len + 1);
    memcpy(out, s.text, s.len);
    out[s.len] = '\0';
    *len = s.len;
    free(buf);
    return out;
}

#define NUC1    "52:54:00:12:34:56"
#define NUC1B   "52:54:00:12:34:57"     /* nuc1's second NIC */
#define DYN     "52:54:00:00:00:02"
#define BARE    "52:54:00:00:00:03"
#define PICK    "52:54:00:00:00:04"
#define NEW     "52:54:00:99:99:99"     /* unknown = menu */
#define KEY0    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@example"
#define KEY1    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA ops team (laptop)"
#define KEY2    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAy owner"

/* MAC, menu choice, document, key path → value (NULL: absent) */
static const struct {
    const char  *mac;
    const char  *profile;
    alpxe_doc    doc;
    const char  *path;
    const char  *value;
} rows[] = {
    /* meta-data: tiny-cloud reads hostname */
    { NUC1, "", ALPXE_DOC_META_DATA, "hostname",       "nuc1" },
    { NUC1, "", ALPXE_DOC_META_DATA, "local-hostname", "nuc1" },
    { NUC1, "", ALPXE_DOC_META_DATA, "instance-id",    "nuc1" },
    { NUC1, "", ALPXE_DOC_META_DATA, "network-interfaces",
      "auto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n"
      "  address 10.0.0.51\n  netmask 255.255.255.0\n  gateway 10.0.0.1\n" },
    { NUC1, "", ALPXE_DOC_META_DATA, "resolv_conf/nameservers/0", "10.0.0.1" },
    { NUC1B, "", ALPXE_DOC_META_DATA, "hostname",      "nuc1" },
    { DYN,  "", ALPXE_DOC_META_DATA, "hostname",       "dyn" },
    { DYN,  "", ALPXE_DOC_META_DATA, "network-interfaces",
      "auto lo\niface lo inet loopback\n# alpxe: the NIC that booted "
      "(52:54:00:00:00:02) keeps the address the initramfs gave it\n" },
    { DYN,  "", ALPXE_DOC_META_DATA, "resolv_conf",    NULL },
    /* user-data: the keys, the profile's and the host's */
    { NUC1, "", ALPXE_DOC_USER_DATA, "ssh_authorized_keys/0", KEY0 },
    { NUC1, "", ALPXE_DOC_USER_DATA, "ssh_authorized_keys/1", KEY1 },
    { NUC1, "", ALPXE_DOC_USER_DATA, "ssh_authorized_keys/2", KEY2 },
    { DYN,  "", ALPXE_DOC_USER_DATA, "ssh_authorized_keys/1", KEY1 },
    { DYN,  "", ALPXE_DOC_USER_DATA, "ssh_authorized_keys/2", NULL },
    /* the NFS directory: fstab, lbu, mounted in runcmd */
    { NUC1, "", ALPXE_DOC_USER_DATA, "packages/0",     "nfs-utils" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "packages/1",     "htop" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "packages/2",     "vim" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/0/path", "/etc/fstab" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/0/append", "true" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/0/content",
      "10.0.0.28:/homes/nuc1 /media/alpxe nfs rw,_netdev,vers=4,port=2049 0 0\n" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/1/path", "/etc/lbu/lbu.conf" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/1/content",
      "LBU_BACKUPDIR=/media/alpxe\n" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/2/path", "/etc/issue" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "write_files/2/content", "welcome\n" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "runcmd/0",       "mkdir -p /media/alpxe" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "runcmd/1",       "mount /media/alpxe" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "runcmd/2",       "rc-update add netmount default" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "runcmd/3",       "echo hello > /etc/motd" },
    { NUC1, "", ALPXE_DOC_USER_DATA, "ntp/enabled",    "true" },
    /* a key in both files: the host's */
    { NUC1, "", ALPXE_DOC_USER_DATA, "user",           "admin" },
    { DYN,  "", ALPXE_DOC_USER_DATA, "user/name",      "root" },
    { DYN,  "", ALPXE_DOC_USER_DATA, "write_files/0/content",
      "nas.example:/export/dyn /media/alpxe nfs rw,_netdev,vers=3,nolock 0 0\n" },
    /* network-config (cloud-init's), by MAC */
    { NUC1, "", ALPXE_DOC_NETWORK_CONFIG, "version",   "2" },
    { NUC1, "", ALPXE_DOC_NETWORK_CONFIG, "ethernets/alpxe0/match/macaddress", NUC1 },
    { NUC1B, "", ALPXE_DOC_NETWORK_CONFIG, "ethernets/alpxe0/match/macaddress", NUC1B },
    { NUC1, "", ALPXE_DOC_NETWORK_CONFIG, "ethernets/alpxe0/addresses/0", "10.0.0.51/24" },
    { NUC1, "", ALPXE_DOC_NETWORK_CONFIG, "ethernets/alpxe0/gateway4", "10.0.0.1" },
    { NUC1, "", ALPXE_DOC_NETWORK_CONFIG, "ethernets/alpxe0/nameservers/addresses/0", "10.0.0.1" },
    { DYN,  "", ALPXE_DOC_NETWORK_CONFIG, "ethernets/alpxe0/dhcp4", "true" },
    /* a menu's choice of a profile with metadata: the machine's name */
    { PICK, "lts", ALPXE_DOC_META_DATA, "hostname",    "pick" },
    { PICK, "lts", ALPXE_DOC_USER_DATA, "ssh_authorized_keys/0", KEY0 },
    { NEW,  "lts", ALPXE_DOC_META_DATA, "hostname",    "52-54-00-99-99-99" },
    { NEW,  "lts", ALPXE_DOC_USER_DATA, "packages/0",  "htop" },
};

static void
test_documents(void **state)
{
    alpxe_config *cfg = load_conf();
    size_t        i, len;
    char         *text, *v;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        text = serve(cfg, rows[i].mac, rows[i].doc, rows[i].profile, &len);
        if (text == NULL) {
            fail_msg("row %zu: %s %s: 404", i, rows[i].mac,
                     alpxe_doc_name(rows[i].doc));
        }
        v = yx(text, len, rows[i].path);
        if ((v == NULL) != (rows[i].value == NULL)
            || (v != NULL && strcmp(v, rows[i].value) != 0))
        {
            fail_msg("row %zu: %s: \"%s\", expected \"%s\" in:\n%s", i,
                     rows[i].path, v ? v : "(none)",
                     rows[i].value ? rows[i].value : "(none)", text);
        }
        free(v);
        free(text);
    }
    alpxe_config_free(cfg);
}

/* Exactly tiny-cloud's list lengths: nothing added twice, nothing lost. */
static void
test_counts(void **state)
{
    alpxe_config *cfg = load_conf();
    size_t        len;
    char         *t;

    (void) state;
    t = serve(cfg, NUC1, ALPXE_DOC_USER_DATA, "", &len);
    assert_int_equal(yx_count(t, len, "ssh_authorized_keys"), 3);
    assert_int_equal(yx_count(t, len, "packages"), 3);
    assert_int_equal(yx_count(t, len, "runcmd"), 4);
    assert_memory_equal(t, "#alpine-config\n", 15);
    free(t);
    /* a profile without metadata: no user-data at all */
    t = serve(cfg, BARE, ALPXE_DOC_USER_DATA, "", &len);
    assert_null(t);
    alpxe_config_free(cfg);
}

/* What is served, and what is a 404. */
static void
test_who_gets_documents(void **state)
{
    alpxe_config *cfg = load_conf();
    size_t        len;
    char         *t;
    int           d;

    (void) state;
    for (d = ALPXE_DOC_META_DATA; d < ALPXE_DOC_COUNT; d++) {
        /* every document of a host with metadata */
        t = serve(cfg, NUC1, (alpxe_doc) d, "", &len);
        assert_non_null(t);
        free(t);
        /* none for a profile without it, nor for a menu before a choice */
        assert_null(serve(cfg, BARE, (alpxe_doc) d, "", &len));
        assert_null(serve(cfg, PICK, (alpxe_doc) d, "", &len));
        assert_null(serve(cfg, NEW, (alpxe_doc) d, "", &len));
        /* a choice of a profile without metadata, of one not offered,
         * and a choice where there is no menu */
        assert_null(serve(cfg, PICK, (alpxe_doc) d, "plain", &len));
        assert_null(serve(cfg, PICK, (alpxe_doc) d, "nope", &len));
        assert_null(serve(cfg, NUC1, (alpxe_doc) d, "lts", &len));
    }
    t = serve(cfg, NUC1, ALPXE_DOC_VENDOR_DATA, "", &len);
    assert_int_equal(len, 0);       /* tiny-cloud ignores it: empty */
    free(t);
    alpxe_config_free(cfg);
}

/* The kernel line names the seed; a menu's choice adds the profile. */
static void
test_seed_on_the_kernel_line(void **state)
{
    alpxe_config *cfg = load_conf();
    size_t        len;
    char         *t;

    (void) state;
    t = serve(cfg, NUC1, ALPXE_DOC_SCRIPT, "", &len);
    assert_non_null(strstr(t, " BOOTIF=01-52-54-00-12-34-56 ds=nocloud;s="
                           "http://10.0.0.28/pxe/52:54:00:12:34:56/\n"));
    free(t);
    t = serve(cfg, PICK, ALPXE_DOC_SCRIPT, "lts", &len);
    assert_non_null(strstr(t, " ds=nocloud;s=http://10.0.0.28/pxe/"
                           "52:54:00:00:00:04/lts/\n"));
    free(t);
    t = serve(cfg, BARE, ALPXE_DOC_SCRIPT, "", &len);
    assert_null(strstr(t, "ds="));
    free(t);
    alpxe_config_free(cfg);
}

static const char meta_nuc1[] =
    "instance-id: \"nuc1\"\n"
    "local-hostname: \"nuc1\"\n"
    "hostname: \"nuc1\"\n"
    "network-interfaces: |\n"
    "  auto lo\n"
    "  iface lo inet loopback\n"
    "\n"
    "  auto eth0\n"
    "  iface eth0 inet static\n"
    "    address 10.0.0.51\n"
    "    netmask 255.255.255.0\n"
    "    gateway 10.0.0.1\n"
    "resolv_conf:\n"
    "  nameservers:\n"
    "    - \"10.0.0.1\"\n";

static void
test_meta_data_byte_for_byte(void **state)
{
    alpxe_config *cfg = load_conf();
    size_t        len;
    char         *t;

    (void) state;
    t = serve(cfg, NUC1, ALPXE_DOC_META_DATA, "", &len);
    assert_string_equal(t, meta_nuc1);
    free(t);
    alpxe_config_free(cfg);
}

/* A file's content, the file it is named as, and the refusal with its
 * line in that file (0: in alpxe.conf, at the key's line). */
static const struct {
    const char  *key;           /* authorized_keys or user_data */
    const char  *content;
    unsigned     line;
    const char  *says;
} bad_files[] = {
    { "authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA x\"y\n",
      1, "character '\"' is not allowed in a key's comment" },
    { "authorized_keys", "\n\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA a\\b\n",
      3, "character '\\' is not allowed" },
    { "authorized_keys", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA a#b\n",
      1, "character '#' is not allowed" },
    { "authorized_keys", "from=\"10.0.0.1\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5\n",
      1, "key options" },
    { "authorized_keys", "ssh-foo AAAAC3NzaC1lZDI1NTE5AAAA\n",
      1, "\"ssh-foo\" is not an SSH public key type" },
    { "authorized_keys", "ssh-ed25519 AAA*\n",
      1, "is not base64" },
    { "user_data", "#cloud-config\npackages: [a]\n",
      1, "tiny-cloud does not implement #cloud-config" },
    { "user_data", "#!/bin/sh\necho hi\n",
      1, "a script cannot be merged" },
    { "user_data", "packages:\n- a\n",
      1, "the first line must be \"#alpine-config\"" },
    { "user_data", "#alpine-config\npackages: [htop, vim]\n",
      2, "write packages as a block list" },
    { "user_data", "#alpine-config\nruncmd: echo hi\n",
      2, "write runcmd as a block list" },
    { "user_data", "#alpine-config\nwrite_files:\n  path: /x\n",
      2, "write write_files as a block list" },
    { "user_data", "#alpine-config\nntp:\n  enabled: true\nntp:\n  enabled: false\n",
      4, "duplicate key 'ntp' (first at line 2)" },
    { "user_data", "#alpine-config\n---\nuser: x\n",
      2, "not a top-level \"key:\" line" },
    { "user_data", "#alpine-config\n\tuser: x\n",
      2, "tabs cannot indent YAML" },
    { "user_data", "#alpine-config\n  - a\n",
      2, "belongs to no top-level key" },
    { "user_data", "#alpine-config\nuser: \x01x\n",
      2, "byte 0x01" },
    { "user_data", "#alpine-config\nuser: \xc3x\n",
      2, "byte 0xc3" },
};

static void
test_bad_files(void **state)
{
    alpxe_config *cfg = NULL;
    char          text[1024], want[300];
    diags         d;
    size_t        i;

    (void) state;
    for (i = 0; i < sizeof(bad_files) / sizeof(bad_files[0]); i++) {
        put_file("bad", bad_files[i].content);
        snprintf(text, sizeof(text), SERVER PROFILE "metadata = yes\n"
                 "%s = %s/bad\n", bad_files[i].key, dir);
        if (load_string(text, 0, &d, &cfg) != -EINVAL) {
            fail_msg("row %zu: loaded:\n%s", i, d.text);
        }
        snprintf(want, sizeof(want), "%s/bad:%u: error: %s: ", dir,
                 bad_files[i].line, bad_files[i].key);
        if (strstr(d.text, want) == NULL
            || strstr(d.text, bad_files[i].says) == NULL)
        {
            fail_msg("row %zu: expected \"%s...%s\" in:\n%s", i, want,
                     bad_files[i].says, d.text);
        }
    }
}

/* A file that does not load is read and reported once, however many
 * profiles name it; one over the bound is refused by its size, unread. */
static void
test_file_errors_once(void **state)
{
    static const char two[] =
        "[server]\naddress = 10.0.0.28\n"
        "[profile a]\nkernel = k\ninitrd = i\n%1$s = %2$s/%3$s\n"
        "[profile b]\nkernel = k\ninitrd = i\n%1$s = %2$s/%3$s\n"
        "[profile c]\nkernel = k\ninitrd = i\n%1$s = %2$s/%3$s\n";
    alpxe_config *cfg = NULL;
    char          text[1024], big[40001], says[300];
    diags         d;

    (void) state;
    snprintf(text, sizeof(text), two, "user_data", dir, "missing.yaml");
    assert_int_equal(load_string(text, 0, &d, &cfg), -EINVAL);
    assert_int_equal(d.errors, 1);
    assert_int_equal(d.first_error, 6);

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    put_file("big.pub", big);
    snprintf(text, sizeof(text), two, "authorized_keys", dir, "big.pub");
    assert_int_equal(load_string(text, 0, &d, &cfg), -EINVAL);
    assert_int_equal(d.errors, 1);
    snprintf(says, sizeof(says), "authorized_keys: %s/big.pub is 40000 bytes; "
             "at most 32768 are served", dir);
    if (strstr(d.text, says) == NULL) {
        fail_msg("expected \"%s\" in:\n%s", says, d.text);
    }
}

/* Refusals in alpxe.conf itself, at the key's line. */
static const struct {
    const char  *text;          /* %1$s: the directory */
    unsigned     line;
    const char  *says;
} bad_conf[] = {
    { SERVER PROFILE "user_data = %1$s/missing.yaml\n",
      6, "user_data: cannot read %1$s/missing.yaml: No such file" },
    { SERVER PROFILE "authorized_keys = %1$s\n",
      6, "is a directory" },
    { SERVER PROFILE "authorized_keys = %1$s/keys.pub\n"
      "user_data = %1$s/keys.pub\n",
      7, "named both as authorized_keys and as user_data" },
    { SERVER PROFILE "metadata = maybe\n", 6, "\"maybe\" is neither yes nor no" },
    { SERVER PROFILE "user_data = ${hostname}.yaml\n", 6, "file names take no variables" },
    /* an NFS path that would break fstab or the YAML around it */
    { SERVER PROFILE "metadata = yes\n[host a]\nmac = 52:54:00:12:34:56\n"
      "profile = lts\nnfs = nfs://10.0.0.28/homes/a\"b\n",
      10, "goes into the machine's /etc/fstab" },
    { SERVER PROFILE "[host a]\nmac = 52:54:00:12:34:56\nprofile = lts\n"
      "description = x\n", 9, "'description' is a key of [profile] sections" },
    { SERVER PROFILE "description = a;b\n", 6, "';' ends an iPXE command" },
    { SERVER PROFILE "description = #1\n", 6, "'#' is not allowed" },
    { SERVER PROFILE "description = ${hostname}\n", 6, "takes no variables" },
    { SERVER "unknown = menu\n" PROFILE "menu = no\n",
      3, "unknown = menu, but every profile has menu = no" },
    { SERVER "menu_timeout = 3601\n", 3, "menu_timeout: \"3601\" is not a number" },
    { SERVER "[profile -x]\n", 3, "not a valid profile name (a letter or a digit, then" },
    { SERVER "[profile ..]\n", 3, "not a valid profile name" },
};

static void
test_bad_conf(void **state)
{
    alpxe_config *cfg = NULL;
    char          text[1024], says[300], want[32];
    diags         d;
    size_t        i;

    (void) state;
    for (i = 0; i < sizeof(bad_conf) / sizeof(bad_conf[0]); i++) {
        snprintf(text, sizeof(text), bad_conf[i].text, dir);
        snprintf(says, sizeof(says), bad_conf[i].says, dir);
        snprintf(want, sizeof(want), "t.conf:%u: error: ", bad_conf[i].line);
        if (load_string(text, 0, &d, &cfg) != -EINVAL) {
            fail_msg("row %zu: loaded:\n%s", i, d.text);
        }
        if (strstr(d.text, want) == NULL || strstr(d.text, says) == NULL) {
            fail_msg("row %zu: expected \"%s...%s\" in:\n%s", i, want, says,
                     d.text);
        }
    }
}

/* A user_data key tiny-cloud does not read: a warning, at its line. */
static void
test_ignored_key_warns(void **state)
{
    alpxe_config *cfg = NULL;
    char          text[512], want[300];
    diags         d;

    (void) state;
    put_file("warn.yaml", "#alpine-config\nhostname: x\nmounts:\n  - [a, b]\n");
    snprintf(text, sizeof(text), SERVER PROFILE "user_data = %s/warn.yaml\n",
             dir);
    assert_int_equal(load_string(text, 0, &d, &cfg), 0);
    assert_int_equal(d.warnings, 2);
    snprintf(want, sizeof(want), "%s/warn.yaml:2: warning: user_data: "
             "tiny-cloud's #alpine-config ignores 'hostname'", dir);
    assert_non_null(strstr(d.text, want));
    snprintf(want, sizeof(want), "%s/warn.yaml:3: warning:", dir);
    assert_non_null(strstr(d.text, want));
    alpxe_config_free(cfg);
}

/* Files without a final newline (found by the sanitizers: a key line was
 * read to a NUL the file does not have). */
static void
test_no_final_newline(void **state)
{
    alpxe_config *cfg = NULL;
    char          text[512];
    size_t        len;
    diags         d;

    (void) state;
    put_file("bad", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkV end");
    put_file("warn.yaml", "#alpine-config\nuser: x");
    snprintf(text, sizeof(text), SERVER PROFILE "metadata = yes\n"
             "authorized_keys = %s/bad\nuser_data = %s/warn.yaml\n"
             "[host a]\nmac = 52:54:00:12:34:56\nprofile = lts\n", dir, dir);
    if (load_string(text, ALPXE_LOAD_SCRIPTS, &d, &cfg) != 0) {
        fail_msg("%s", d.text);
    }
    {
        char *t = serve(cfg, "52:54:00:12:34:56", ALPXE_DOC_USER_DATA, "",
                        &len);
        char *v = yx(t, len, "ssh_authorized_keys/0");

        assert_string_equal(v, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkV "
                            "end");
        free(v);
        v = yx(t, len, "user");
        assert_string_equal(v, "x");
        free(v);
        free(t);
    }
    alpxe_config_free(cfg);
}

/* Relative file names are read next to alpxe.conf. */
static void
test_relative_names(void **state)
{
    alpxe_config *cfg = NULL;
    char          path[256], text[512];
    FILE         *f;

    (void) state;
    snprintf(text, sizeof(text), SERVER PROFILE "metadata = yes\n"
             "authorized_keys = keys.pub\n[host a]\nmac = 52:54:00:12:34:56\n"
             "profile = lts\n");
    snprintf(path, sizeof(path), "%s/rel.conf", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    assert_int_equal(alpxe_config_load(path, ALPXE_LOAD_SCRIPTS, NULL, NULL,
                                       &cfg), 0);
    {
        size_t len;
        char  *t = serve(cfg, "52:54:00:12:34:56", ALPXE_DOC_USER_DATA, "",
                         &len);
        char  *v = yx(t, len, "ssh_authorized_keys/0");

        assert_string_equal(v, KEY0);
        free(v);
        free(t);
    }
    alpxe_config_free(cfg);
}

static int
setup(void **state)
{
    (void) state;
    snprintf(dir, sizeof(dir), "/tmp/alpxe-meta.XXXXXX");
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    put_file("keys.pub", keys_pub);
    put_file("host.pub", host_pub);
    put_file("common.yaml", common_yaml);
    put_file("host.yaml", host_yaml);
    return 0;
}

static int
teardown(void **state)
{
    const char *names[] = { "keys.pub", "host.pub", "common.yaml",
                            "host.yaml", "bad", "warn.yaml", "rel.conf",
                            "big.pub" };
    char        path[256];
    size_t      i;

    (void) state;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    return rmdir(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_who_gets_documents),
        cmocka_unit_test(test_seed_on_the_kernel_line),
        cmocka_unit_test(test_meta_data_byte_for_byte),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_bad_conf),
        cmocka_unit_test(test_file_errors_once),
        cmocka_unit_test(test_ignored_key_warns),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_relative_names),
    };

    return cmocka_run_group_tests_name("metadata", tests, setup, teardown);
}
