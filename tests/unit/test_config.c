/*
 * test_config.c - every class of configuration error with its line, the
 * Alpine warnings, inheritance, overrides and template expansion.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>

#include <cmocka.h>

#include "helpers.h"

#define LONG100 "0123456789012345678901234567890123456789" \
                "0123456789012345678901234567890123456789" \
                "01234567890123456789"
#define LONG50  "0123456789012345678901234567890123456789" \
                "0123456789"
#define HOST(mac) "[host a]\nmac = " mac "\nprofile = lts\n"   /* 6-8 */

/* A configuration, the line of its first error, and words of the error. */
static const struct {
    const char *text;
    unsigned    line;
    const char *says;
} errors[] = {
    /* sections and keys */
    { SERVER "[hots a]\n",                    3, "unknown section [hots a]" },
    { SERVER "[profile]\n",                   3, "unknown section [profile]" },
    { SERVER "foo = 1\n",                     3, "unknown key 'foo' in [server]" },
    { SERVER PROFILE "kernal = x\n",          6, "unknown key 'kernal' in [profile lts]" },
    { SERVER PROFILE "[host a]\nmax = 1\n",   7, "unknown key 'max' in [host a]" },
    { SERVER "[loader]\nefi = x.efi\n",       4, "unknown key 'efi' in [loader]" },
    { "address = 1.2.3.4\n[server]\n",        1, "outside of any section" },
    { SERVER "garbage\n",                     3, "expected 'key = value'" },
    { SERVER "[host a\n",                     3, "without ']'" },
    { SERVER "[server]\n",                    3, "duplicate section [server] (first at line 1)" },
    { SERVER PROFILE PROFILE,                 6, "duplicate section [profile lts] (first at line 3)" },
    { SERVER PROFILE HOST("52:54:00:12:34:56") "[host a]\nmac = 52:54:00:12:34:57\n",
                                              9, "duplicate section [host a] (first at line 6)" },
    { SERVER PROFILE "kernel = boot/x\n",     6, "duplicate key 'kernel' (first set at line 4)" },
    { SERVER "http =\n",                      3, "'http' has no value" },
    /* required keys and references */
    { "[loader]\nbios = undionly.kpxe\n",     0, "no [server] section" },
    { "[server]\nhttp = http://x/pxe\n",      1, "missing required key 'address'" },
    /* found by fuzz_config: Alpine's rules on a file whose [server] failed */
    { "[server]\nunknown = ignore\n" PROFILE
      "ip = 10.0.0.51::10.0.0.1:255.255.255.0::eth0:none\nmodloop = boot/m\n",
                                              1, "missing required key 'address'" },
    { SERVER "[profile lts]\ninitrd = boot/i\n", 3, "missing required key 'kernel'" },
    { SERVER "[profile lts]\nkernel = boot/k\n", 3, "missing required key 'initrd'" },
    { SERVER PROFILE "[host a]\nprofile = lts\n", 6, "[host a]: missing required key 'mac'" },
    { SERVER PROFILE "[host a]\nmac = 52:54:00:12:34:56\nprofile = nope\n",
                                              8, "no [profile nope]" },
    { SERVER PROFILE "[host a]\nmac = 52:54:00:12:34:56\n",
                                              6, "no profile (set 'profile = NAME'" },
    { SERVER "unknown = default\n" PROFILE,   3, "unknown = default needs 'default = PROFILE'" },
    { SERVER "default = nope\n" PROFILE,      3, "default: no [profile nope]" },
    /* values */
    { "[server]\naddress = 10.0.0.256\n",     2, "\"10.0.0.256\" is not an IPv4 address" },
    { SERVER "http = ftp://x/pxe\n",          3, "not an http:// or https:// URL" },
    /* found by fuzz_config: a scheme with no server crashed the load */
    { SERVER "http = http://\n",              3, "\"http://\": no server after the scheme" },
    { SERVER "http = http:///\n",             3, "no server after the scheme" },
    { SERVER "http = https:///pxe\n",         3, "no server after the scheme" },
    { SERVER "http = http://?x\n",            3, "no server after the scheme" },
    { SERVER "[profile lts]\nkernel = http:///vmlinuz\ninitrd = i\n",
                                              4, "no server after the scheme" },
    { SERVER "unknown = maybe\n",             3, "\"maybe\" is none of default, ignore, exit" },
    { SERVER PROFILE "[host a]\nmac = 52:54:00:12:34\n",
                                              7, "\"52:54:00:12:34\" is not a MAC address" },
    { SERVER PROFILE "[host a]\nmac = 01:00:5e:00:00:01\n",
                                              7, "multicast" },
    { SERVER PROFILE "[host a]\nmac = 00:00:00:00:00:00\n",
                                              7, "all-zero" },
    { SERVER PROFILE HOST("52:54:00:12:34:56") "[host b]\nmac = 5254.0012.3456\nprofile = lts\n",
                                             10, "duplicate MAC 52:54:00:12:34:56 (already host a, line 7)" },
    { SERVER PROFILE HOST("52:54:00:12:34:56") "mac = 52-54-00-12-34-56\n",
                                              9, "duplicate MAC 52:54:00:12:34:56" },
    { SERVER PROFILE "[host a]\nmac = 52:54:00:12:34:56\nboot = maybe\n",
                                              8, "\"maybe\" is none of netboot, local, off" },
    { SERVER PROFILE "[host a_b]\n",          6, "\"a_b\" is not a valid host name" },
    { SERVER "[profile l ts]\n",              3, "\"l ts\" is not a valid profile name" },
    /* what iPXE or the kernel would misread: whitelisted, never escaped */
    { SERVER PROFILE "args = quiet #debug\n", 6, "'#' is not allowed in \"quiet #debug\"" },
    { SERVER PROFILE "args = a;b\n",          6, "';' ends an iPXE command" },
    { SERVER PROFILE "args = a&&b\n",         6, "\"&&\" ends an iPXE command" },
    { SERVER PROFILE "args = a||b\n",         6, "\"||\" ends an iPXE command" },
    { SERVER PROFILE "args = x=${net0/ip}\n", 6, "iPXE expands \"${\"" },
    { SERVER PROFILE "args = quiet \\\n",     6, "'\\' as an escape or a line continuation" },
    { SERVER PROFILE "args = a\x01" "b\n",    6, "character \\x01 is not allowed" },
    { SERVER PROFILE "args = a\"b\n",         6, "no quoting" },
    { SERVER "[profile lts]\nkernel = boot/vm linuz\n",
                                              4, "whitespace is not allowed in \"boot/vm linuz\"" },
    { SERVER "[profile lts]\nkernel = boot/${nope}\n",
                                              4, "iPXE expands \"${\"" },
    { SERVER "[profile lts]\nkernel = tftp://x/vmlinuz\n",
                                              4, "only http:// and https:// URLs" },
    { SERVER PROFILE "ip = 10.0.0.5#x\n",     6, "'#' is not allowed" },
    /* host names become hostnames: compared without case */
    { SERVER PROFILE "[host nuc1]\nmac = 52:54:00:12:34:56\nprofile = lts\n[host NUC1]\nmac = 52:54:00:12:34:57\nprofile = lts\n",
                                           9, "duplicate section [host NUC1] (first at line 6 as [host nuc1]: host names are compared without case)" },
    /* an alias named like a loader would give its clients another file */
    { SERVER "[loader]\nefi64 = snponly.efi\n[tftp]\nalias = undionly.kpxe snponly.efi\n",
                                           6, "alias: undionly.kpxe is a loader this file names; the clients asking for it would get snponly.efi instead" },
    { SERVER "[tftp]\nalias = UNDIONLY.KPXE x.efi\n",
                                           4, "alias: UNDIONLY.KPXE is a loader this file names" },
    /* alias names and targets are TFTP names: '\\' is '/', no iPXE reasons */
    { SERVER "[tftp]\nalias = a#b.0 bios\n", 4, "'#' is not allowed in \"a#b.0\" (allowed: letters, digits and ._-/+)" },
    { SERVER PROFILE "repo = http://a/main http://a/community\n",
                                              6, "Alpine reads alpine_repo= as a comma list (URL1,URL2)" },
    { SERVER PROFILE "repo = http://a/main,,http://a/c\n",
                                              6, "an empty item in the comma list" },
    { SERVER PROFILE "repo = main,ftp://a/c\n", 6, "only http:// and https:// URLs" },
    { SERVER PROFILE "nfs = 10.0.0.28:/homes\n", 6, "not an nfs://SERVER/PATH URL" },
    { SERVER PROFILE "nfs = nfs://10.0.0.28\n", 6, "no path after the server" },
    /* one nfs:// parser: what --network could not use is refused here */
    { SERVER PROFILE "nfs = nfs://10.0.0.28/\n", 6, "the path is empty" },
    { SERVER PROFILE "nfs = nfs:///homes/a\n",  6, "no server after nfs://" },
    { SERVER PROFILE "nfs = nfs://nas:99999/a\n", 6, "no port after the server: libnfs takes ?nfsport=N" },
    { SERVER PROFILE "nfs = nfs://nas:2049/a\n", 6, "no port after the server" },
    { SERVER PROFILE "nfs = nfs://root@nas/a\n", 6, "no user name before the server" },
    { SERVER PROFILE "nfs = nfs://[::1]/a\n",   6, "IPv6 addresses are not supported" },
    { SERVER PROFILE "nfs = nfs://nas/a/../b\n", 6, "may not hold '.' or '..' parts" },
    { SERVER PROFILE "nfs = nfs://nas/./b\n",   6, "may not hold '.' or '..' parts" },
    { SERVER PROFILE "nfs = nfs://nas/${hostname}/..\n", 6, "may not hold '.' or '..' parts" },
    { SERVER PROFILE "nfs = nfs://n_as/a\n",    6, "not a host name or an IPv4 address" },
    { SERVER PROFILE "nfs = nfs://nas/a?version=5\n", 6, "version is 3 or 4" },
    { SERVER PROFILE "nfs = nfs://nas/a?nfsport=0\n", 6, "port numbers from 1 to 65535" },
    { SERVER PROFILE "nfs = nfs://nas/a?uid\n", 6, "options are name=value pairs" },
    { SERVER PROFILE "nfs = nfs://nas/a#x\n",   6, "'#' is not allowed" },
    { SERVER PROFILE "nfs = nfs://nas/${host}\n", 6, "unknown variable" },
    { SERVER PROFILE "nfs_mode = 0789\n",      6, "\"0789\" is not an octal number from 0 to 7777" },
    { SERVER PROFILE "nfs_uid = -1\n",        6, "\"-1\" is not a number" },
    { SERVER "nfs_timeout = 0\n",             3, "nfs_timeout: \"0\" is not a number of seconds" },
    { SERVER "[loader]\nbios = ../etc/passwd\n", 4, "'..' is not allowed" },
    { SERVER "[loader]\nbios = /undionly.kpxe\n", 4, "without a leading '/'" },
    { SERVER "[tftp]\nalias = gpxe.kpxe\n",   4, "is not 'NAME TARGET'" },
    { SERVER "[tftp]\nroot = srv/tftp\n",     4, "is not an absolute path" },
    { SERVER "[tftp]\ncase = upper\n",        4, "neither insensitive nor sensitive" },
    { SERVER "[reload]\nnginx_pid = nginx.pid\n", 4, "nginx_pid: \"nginx.pid\" is not an absolute path" },
    { SERVER "[reload]\nkea = /x\n",         4, "unknown key 'kea' in [reload]" },
    { SERVER "[reload]\nkea_peer = ftp://h/\n", 4, "kea_peer: \"ftp://h/\" is neither a control socket's absolute path nor a kea-ctrl-agent's http(s):// URL" },
    { SERVER "[reload]\nkea_peer = kea.sock\n", 4, "kea_peer: \"kea.sock\" is neither" },
    { SERVER "[reload]\nkea_peer = http://\n", 4, "kea_peer: \"http://\" is neither" },
    { SERVER "[reload]\nkea_peer = https:///x\n", 4, "kea_peer: \"https:///x\" is neither" },
    { SERVER "[log]\nkea = kea.log\n",       4, "kea: \"kea.log\" is not an absolute path nor \"journal\"" },
    { SERVER "[log]\nnginx = journal\n",     4, "nginx: \"journal\" is not an absolute path" },
    { SERVER "[log]\nsyslog = /x\n",         4, "unknown key 'syslog' in [log]" },
    { SERVER "[log]\ntftpd = /a\ntftpd = /b\n", 5, "tftpd" },
    { SERVER "[log]\n[log]\n",               4, "[log]" },
    { SERVER "[tftp]\nalias = x.kpxe arm32\n", 4, "no loader for arm32" },
    { SERVER "[profile lts]\nargs = "
      "0123456789012345678901234567890123456789012345678901234567890123456789"
      "0123456789012345678901234567890123456789012345678901234567890123456789"
      "0123456789012345678901234567890123456789012345678901234567890123456789\n",
                                              4, "at most 198 fit" },
    { SERVER "x\0y = 1\n",                    3, "expected 'key = value'" },
    /* a URL no DHCP option can carry (http alone cannot get there: the
     * line limit stops it first) */
    { SERVER "http = http://10.0.0.28/" LONG100 LONG50 "\n[loader]\nefi64 = a/"
      LONG100 "x.efi\n" PROFILE,             5, "efi64: its UEFI HTTP boot URLs are 282 bytes; a DHCP option holds 255" },
};

static void
test_errors(void **state)
{
    alpxe_config *cfg = (alpxe_config *) 0x1;   /* must stay untouched */
    diags         d;
    size_t        i;
    int           rc;

    (void) state;
    for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
        rc = load_string(errors[i].text, 0, &d, &cfg);
        if (rc != -EINVAL || d.errors == 0) {
            fail_msg("row %zu: loaded (rc %d), expected \"%s\"", i, rc,
                     errors[i].says);
        }
        if (cfg != (alpxe_config *) 0x1) {
            fail_msg("row %zu: *out was written on error", i);
        }
        if (d.first_error != errors[i].line) {
            fail_msg("row %zu: first error at line %u, expected %u:\n%s", i,
                     d.first_error, errors[i].line, d.text);
        }
        if (strstr(d.text, errors[i].says) == NULL) {
            fail_msg("row %zu: expected \"%s\" in:\n%s", i, errors[i].says,
                     d.text);
        }
        /* compiler style: "t.conf:LINE: error: " */
        if (errors[i].line != 0) {
            char prefix[64];

            snprintf(prefix, sizeof(prefix), "t.conf:%u: error: ",
                     errors[i].line);
            if (strstr(d.text, prefix) == NULL) {
                fail_msg("row %zu: no \"%s\" prefix:\n%s", i, prefix, d.text);
            }
        }
    }
}

#define STATIC_IP   "ip = 10.0.0.51::10.0.0.1:255.255.255.0::eth0:none"

/* Loads, with a warning at a line that says something: Alpine's rules
 * (common/alpine.c), each naming what Alpine does and the fix. */
static const struct {
    const char *text;
    unsigned    line;
    const char *says;
} warnings[] = {
    { SERVER PROFILE "args = alpine_dev=nfs:10.0.0.28:/homes/a\n",
                                              6, "alpine_dev= is ignored by Alpine" },
    { SERVER PROFILE "ssh_key = ssh-ed25519\n", 6, "looks like a literal key" },
    { SERVER PROFILE "ssh_key = ssh-ed25519 AAAAC3Nza admin@x\n",
                                              6, "looks like a literal key" },
    { SERVER "http = http://10.0.0.28/a/very/long/path/that/goes/on/and/on/"
      "and/on/until/it/no/longer/fits/in/the/file/field\n" PROFILE,
                                              3, "longer than the 127 bytes" },
    { SERVER PROFILE HOST("52:54:00:12:34:56") "append = alpine_dev=nfs:x:/y\n",
                                              9, "[host a]: alpine_dev=" },
    /* sshd and the key only without an apkovl (mkinitfs 6a15ae8) */
    { SERVER PROFILE "apkovl = http://x/a.apkovl.tar.gz\n"
      "ssh_key = http://x/k.pub\n",           7, "ssh_key is ignored when apkovl is set" },
    { SERVER PROFILE "apkovl = http://x/a.apkovl.tar.gz\n"
      HOST("52:54:00:12:34:56") "ssh_key = http://x/k\n",
                                             10, "[host a]: ssh_key is ignored" },
    /* configure_ip reads client, gw, mask, device, autoconf, dns0, dns1 */
    { SERVER PROFILE "ip = 10.0.0.51::10.0.0.1:255.255.255.0:nuc1:eth0:none\n",
                                              6, "ignores the hostname field of ip= (\"nuc1\"" },
    { SERVER PROFILE "ip = 10.0.0.51:10.0.0.2:10.0.0.1:255.255.255.0::eth0:none\n",
                                              6, "ignores the server field" },
    { SERVER PROFILE STATIC_IP ":10.0.0.1::10.0.0.9\n",
                                              6, "ignores the NTP server field" },
    { SERVER PROFILE "ip = 10.0.0.51::gw:255.255.255.0::eth0:none\n",
                                              6, "the gateway field \"gw\" is not an IPv4 address" },
    { SERVER PROFILE "[host a]\nmac = 52:54:00:12:34:56\nmac = 52:54:00:12:34:57\n"
      "profile = lts\n" STATIC_IP "\n",       10, "names eth0: Alpine brings up eth0 whichever of the host's 2 NICs" },
    /* comma lists: find_boot_repositories, pkgs */
    { SERVER PROFILE "args = alpine_repo=http://a/main http://a/community\n",
                                              6, "'http://a/community' follows alpine_repo=http://a/main" },
    { SERVER PROFILE "args = quiet pkgs=htop vim nomodeset\n",
                                              6, "write pkgs=htop,vim" },
    /* the apkovl's suffix is its format */
    { SERVER PROFILE "apkovl = http://x/ovl/{MAC}.tgz\n",
                                              6, "\"Cipher tgz is not supported\"" },
    { SERVER PROFILE "apkovl = http://x/ovl/{MAC}\n",
                                              6, "\"Cipher /tmp/{MAC} is not supported\"" },
    { SERVER PROFILE "apkovl = http://x/ovl.php?mac={MAC}&f=x.tar.gz\n",
                                              6, "the file name \"ovl.php\" does not end in .gz" },
    { SERVER PROFILE "apkovl = http://x/{MAC}/{MAC}.apkovl.tar.gz\n",
                                              6, "2 times {MAC}: Alpine's initramfs replaces only the first" },
    { SERVER PROFILE "modloop = http://x/{MAC}/modloop\n",
                                              6, "{MAC} outside apkovl stays as it is" },
    /* a static ip= without DNS: no resolv.conf */
    { SERVER PROFILE STATIC_IP "\nrepo = http://mirror.example.org/v3.20/main\n",
                                              6, "cannot resolve mirror.example.org (repo)" },
    { SERVER "http = http://pxe.example/pxe\n" PROFILE STATIC_IP "\n"
      "modloop = boot/modloop-lts\n",         7, "cannot resolve pxe.example (modloop)" },
    { SERVER "http = http://pxe.example/pxe\n" PROFILE STATIC_IP "\n"
      "metadata = yes\n",                     7, "cannot resolve pxe.example (metadata)" },
    /* tiny-cloud only without an apkovl */
    { SERVER PROFILE "metadata = yes\napkovl = http://x/a.apkovl.tar.gz\n",
                                              6, "metadata = yes with apkovl" },
    { SERVER PROFILE "args = BOOTIF=01-52-54-00-12-34-56\n",
                                              6, "alpxe puts BOOTIF= on every kernel line" },
    /* a profile's problem is reported once, at the profile */
    { SERVER PROFILE "ip = 10.0.0.51::10.0.0.1:255.255.255.0:nuc1::none\n"
      HOST("52:54:00:12:34:56") "[host b]\nmac = 52:54:00:12:34:57\nprofile = lts\n",
                                              6, "[profile lts]: ip: Alpine's initramfs ignores the hostname" },
};

/* What Alpine handles as written: no diagnostic at all. */
static const char *const clean[] = {
    /* mkinitfs loads loop and squashfs itself since 2011 (83dc0f1) */
    SERVER PROFILE "modloop = boot/modloop-lts\nargs = quiet\n",
    SERVER PROFILE "apkovl = http://x/{MAC}.apkovl.tar.gz?v=1\n",
    SERVER PROFILE "apkovl = http://x/h.apkovl.tar.gz.aes-256-cbc\n",
    SERVER PROFILE "args = alpine_repo=http://a/main,http://a/community "
                   "pkgs=htop,vim quiet nomodeset single\n",
    SERVER PROFILE STATIC_IP ":10.0.0.1\nrepo = http://mirror.example.org/main\n",
    SERVER PROFILE "repo = http://mirror.example.org/main\n",
    SERVER PROFILE "metadata = yes\nssh_key = http://10.0.0.28/k.pub\n",
    SERVER PROFILE HOST("52:54:00:12:34:56") STATIC_IP "\n",
    SERVER PROFILE "apkovl = http://10.0.0.28/{MAC}.apkovl.tar.gz\n" STATIC_IP "\n",
};

static void
test_clean(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;
    size_t        i;

    (void) state;
    for (i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
        if (load_string(clean[i], 0, &d, &cfg) != 0 || d.len != 0) {
            fail_msg("row %zu: expected no diagnostic, got:\n%s", i, d.text);
        }
        alpxe_config_free(cfg);
    }
}

static void
test_warnings(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;
    size_t        i;

    (void) state;
    for (i = 0; i < sizeof(warnings) / sizeof(warnings[0]); i++) {
        if (load_string(warnings[i].text, 0, &d, &cfg) != 0) {
            fail_msg("row %zu: did not load:\n%s", i, d.text);
        }
        if (d.warnings != 1 || d.first_warning != warnings[i].line
            || strstr(d.text, warnings[i].says) == NULL)
        {
            fail_msg("row %zu: expected one warning at line %u saying "
                     "\"%s\", got:\n%s", i, warnings[i].line,
                     warnings[i].says, d.text);
        }
        assert_int_equal(alpxe_config_warning_count(cfg), 1);
        alpxe_config_free(cfg);
    }
}

static void
test_clean_config_has_no_diagnostics(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;

    (void) state;
    assert_int_equal(load_string(SERVER PROFILE
                                 "modloop = boot/modloop-lts\n"
                                 "args = modules=loop,squashfs quiet\n"
                                 HOST("52:54:00:12:34:56"), 0, &d, &cfg), 0);
    assert_string_equal(d.text, "");
    assert_int_equal(alpxe_config_host_count(cfg), 1);
    assert_int_equal(alpxe_config_profile_count(cfg), 1);
    assert_string_equal(alpxe_config_http(cfg), "http://10.0.0.28/pxe");
    alpxe_config_free(cfg);
}

/* Input a user's editor or terminal produces, and what it gets. */
static void
test_oddities(void **state)
{
    alpxe_config *cfg = NULL;
    const char   *name, *target;
    diags         d;

    (void) state;
    /* a UTF-8 BOM before the first line is no error */
    assert_int_equal(load_string("\xef\xbb\xbf" SERVER PROFILE, 0, &d, &cfg),
                     0);
    assert_string_equal(d.text, "");
    alpxe_config_free(cfg);

    /* alias names and targets are TFTP names: '\\' reads as '/' */
    assert_int_equal(load_string(SERVER "[tftp]\nalias = \\boot\\a.0 "
                                 "boot\\undionly.kpxe\n", 0, &d, &cfg), 0);
    alpxe_tftp_alias(cfg, 0, &name, &target);
    assert_string_equal(name, "boot/a.0");
    assert_string_equal(target, "boot/undionly.kpxe");
    alpxe_config_free(cfg);

    /* with case = sensitive, UNDIONLY.KPXE is another name */
    assert_int_equal(load_string(SERVER "[tftp]\ncase = sensitive\n"
                                 "alias = UNDIONLY.KPXE x.efi\n", 0, &d,
                                 &cfg), 0);
    alpxe_config_free(cfg);

    /* names are shown escaped, never as raw control bytes */
    assert_int_equal(load_string(SERVER "ke\033[2Jy = 1\n[pro\033]0;x\007]\n"
                                 "[host \033c]\n", 0, &d, &cfg), -EINVAL);
    assert_null(strchr(d.text, '\033'));
    assert_null(strchr(d.text, '\007'));
    assert_non_null(strstr(d.text, "unknown key 'ke\\x1b[2Jy' in [server]"));
    assert_non_null(strstr(d.text, "unknown section [pro\\x1b] ("));
    assert_non_null(strstr(d.text, "[host \\x1bc]: "));
}

static void
test_errors_are_all_reported(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;

    (void) state;
    /* One run names every broken line, like a compiler. */
    assert_int_equal(load_string(SERVER PROFILE "args = a#b\nfoo = 1\n"
                                 "[host a]\nmac = zz\n", 0, &d, &cfg),
                     -EINVAL);
    assert_int_equal(d.errors, 3);
    assert_non_null(strstr(d.text, "t.conf:6: error:"));
    assert_non_null(strstr(d.text, "t.conf:7: error:"));
    assert_non_null(strstr(d.text, "t.conf:9: error:"));
}

static void
test_missing_file(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;

    (void) state;
    memset(&d, 0, sizeof(d));
    assert_int_equal(alpxe_config_load("/nonexistent/alpxe.conf", 0, collect,
                                       &d, &cfg), -ENOENT);
    assert_null(cfg);
    assert_non_null(strstr(d.text, "/nonexistent/alpxe.conf: error: cannot "
                           "read: No such file or directory"));
}

static const char inherit_conf[] =
    SERVER
    "[profile lts]\n"
    "kernel  = boot/vmlinuz-lts\n"
    "initrd  = boot/initramfs-lts\n"
    "repo    = /alpine/v3.20/main\n"
    "apkovl  = ovl/${hostname}.apkovl.tar.gz\n"
    "args    = console=ttyS0 hostname=${hostname}\n"
    "nfs     = nfs://10.0.0.28/homes/${hostname}\n"
    "[host nuc1]\n"
    "mac     = 52:54:00:12:34:56\n"
    "profile = lts\n"
    "[host nuc2]\n"
    "mac     = 52:54:00:12:34:57\n"
    "mac     = 52:54:00:12:34:58\n"
    "profile = lts\n"
    "kernel  = http://other/vmlinuz-virt\n"
    "repo    = /alpine/main,http://m/community,edge/testing\n"
    "args    = console=tty0\n"
    "append  = mac=${mac} dash=${mac_dash}\n"
    "nfs     = nfs://nas/${mac_dash}?version=4\n"
    "nfs_mode = 0700\n"
    "nfs_uid = 1000\n"
    "[host old]\n"
    "mac     = 52:54:00:12:34:59\n"
    "profile = lts\n"
    "append  = alpine_dev=nfs:10.0.0.28:/homes/${hostname}\n";

/* MAC, what its script must contain. */
static const struct {
    const char *mac;
    const char *has;
} inherit[] = {
    { "52:54:00:12:34:56", "kernel http://10.0.0.28/pxe/boot/vmlinuz-lts " },
    { "52:54:00:12:34:56", " alpine_repo=http://10.0.0.28/alpine/v3.20/main " },
    { "52:54:00:12:34:56", " apkovl=http://10.0.0.28/pxe/ovl/nuc1.apkovl.tar.gz " },
    { "52:54:00:12:34:56", " console=ttyS0 hostname=nuc1\n" },
    { "52:54:00:12:34:57", "kernel http://other/vmlinuz-virt initrd=initramfs-lts " },
    { "52:54:00:12:34:57", " apkovl=http://10.0.0.28/pxe/ovl/nuc2.apkovl.tar.gz " },
    { "52:54:00:12:34:57", " console=tty0 mac=52:54:00:12:34:57 dash=52-54-00-12-34-57\n" },
    { "52:54:00:12:34:58", " mac=52:54:00:12:34:58 dash=52-54-00-12-34-58\n" },
    /* alpine_repo= is a comma list: each URL resolved on its own */
    { "52:54:00:12:34:57", " alpine_repo=http://10.0.0.28/alpine/main,"
      "http://m/community,http://10.0.0.28/pxe/edge/testing " },
    /* each MAC of a host names itself to Alpine: the NIC that booted */
    { "52:54:00:12:34:56", " ip=dhcp BOOTIF=01-52-54-00-12-34-56 " },
    { "52:54:00:12:34:57", " ip=dhcp BOOTIF=01-52-54-00-12-34-57 " },
    { "52:54:00:12:34:58", " ip=dhcp BOOTIF=01-52-54-00-12-34-58 " },
};

static const alpxe_host *
host_of(const alpxe_config *cfg, const alpxe_mac *mac)
{
    alpxe_machine m;

    alpxe_machine_for(cfg, mac, &m);
    return m.host;
}

static void
test_inheritance_and_templates(void **state)
{
    alpxe_config     *cfg = NULL;
    const alpxe_host *h;
    alpxe_script      s;
    alpxe_mac         mac;
    char              buf[ALPXE_SCRIPT_MAX], text[ALPXE_SCRIPT_MAX + 1];
    diags             d;
    size_t            i;
    unsigned          flags;

    (void) state;
    /* Both ways of getting a script must agree. */
    for (flags = 0; flags <= ALPXE_LOAD_SCRIPTS; flags += ALPXE_LOAD_SCRIPTS) {
        assert_int_equal(load_string(inherit_conf, flags, &d, &cfg), 0);
        for (i = 0; i < sizeof(inherit) / sizeof(inherit[0]); i++) {
            assert_int_equal(alpxe_mac_parse(inherit[i].mac, 17, &mac), 0);
            assert_int_equal(alpxe_script_for(cfg, &mac, buf, sizeof(buf),
                                              &s), 0);
            assert_int_equal(s.machine.action, ALPXE_ACTION_BOOT);
            memcpy(text, s.text, s.len);
            text[s.len] = '\0';
            if (strstr(text, inherit[i].has) == NULL) {
                fail_msg("row %zu: no \"%s\" in:\n%s", i, inherit[i].has,
                         text);
            }
        }
        assert_int_equal(alpxe_mac_parse("52:54:00:12:34:56", 17, &mac), 0);
        h = host_of(cfg, &mac);
        assert_non_null(h);
        assert_string_equal(alpxe_host_nfs(h), "nfs://10.0.0.28/homes/nuc1");
        assert_int_equal(alpxe_mac_parse("52:54:00:12:34:58", 17, &mac), 0);
        h = host_of(cfg, &mac);
        assert_string_equal(alpxe_host_name(h), "nuc2");
        assert_string_equal(alpxe_host_nfs(h),
                            "nfs://nas/52-54-00-12-34-57?version=4");
        assert_int_equal(alpxe_host_nfs_mode(h), 0700);
        assert_int_equal(alpxe_host_nfs_uid(h), 1000);
        assert_int_equal(alpxe_host_nfs_gid(h), 0);
        assert_null(alpxe_host_alpine_dev(h));
        assert_int_equal(alpxe_mac_parse("52:54:00:12:34:59", 17, &mac), 0);
        h = host_of(cfg, &mac);
        assert_string_equal(alpxe_host_alpine_dev(h),
                            "nfs:10.0.0.28:/homes/old");
        assert_int_equal(alpxe_host_nfs_mode(h), 0755);
        assert_int_equal(alpxe_config_nfs_timeout_ms(cfg), 5000);
        alpxe_config_free(cfg);
    }
}

static void
test_reload_paths(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;

    (void) state;
    assert_int_equal(load_string(SERVER "[reload]\nnginx_pid = /srv/n.pid\n",
                                 0, &d, &cfg), 0);
    assert_string_equal(alpxe_config_reload_path(cfg,
                        ALPXE_RELOAD_NGINX_PID), "/srv/n.pid");
    assert_string_equal(alpxe_config_reload_path(cfg,
                        ALPXE_RELOAD_KEA_SOCKET), "/run/kea/kea4-ctrl-socket");
    assert_string_equal(alpxe_config_reload_path(cfg,
                        ALPXE_RELOAD_TFTPD_PID), "/run/tftpd-hpa.pid");
    assert_string_equal(alpxe_config_reload_path(cfg, ALPXE_RELOAD_REMAP),
                        "/etc/alpxe/tftpd.remap");
    assert_string_equal(alpxe_config_reload_path(cfg,
                        ALPXE_RELOAD_KEA_PEERS), "");
    alpxe_config_free(cfg);

    /* an HA pair: one kea_peer line per Kea, kept in order */
    assert_int_equal(load_string(SERVER "[reload]\n"
                                 "kea_peer = https://10.0.0.28:8000/\n"
                                 "kea_peer = /run/kea/kea4-ctrl-socket\n",
                                 0, &d, &cfg), 0);
    assert_string_equal(alpxe_config_reload_path(cfg,
                        ALPXE_RELOAD_KEA_PEERS),
                        "https://10.0.0.28:8000/ /run/kea/kea4-ctrl-socket");
    alpxe_config_free(cfg);
}

static void
test_log_paths(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;

    (void) state;
    /* Debian's defaults: Kea and in.tftpd in the journal */
    assert_int_equal(load_string(SERVER, 0, &d, &cfg), 0);
    assert_string_equal(alpxe_config_log_path(cfg, ALPXE_LOG_KEA), "journal");
    assert_string_equal(alpxe_config_log_path(cfg, ALPXE_LOG_TFTPD),
                        "journal");
    assert_string_equal(alpxe_config_log_path(cfg, ALPXE_LOG_NGINX),
                        "/var/log/nginx/access.log");
    assert_null(alpxe_config_log_path(cfg, ALPXE_LOG_COUNT));
    alpxe_config_free(cfg);
    assert_int_equal(load_string(SERVER "[log]\nkea = /var/log/kea/k.log\n"
                                 "tftpd = /var/log/syslog\n"
                                 "nginx = /srv/access.log\n", 0, &d, &cfg), 0);
    assert_string_equal(alpxe_config_log_path(cfg, ALPXE_LOG_KEA),
                        "/var/log/kea/k.log");
    assert_string_equal(alpxe_config_log_path(cfg, ALPXE_LOG_TFTPD),
                        "/var/log/syslog");
    assert_string_equal(alpxe_config_log_path(cfg, ALPXE_LOG_NGINX),
                        "/srv/access.log");
    alpxe_config_free(cfg);
}

static void
test_host_macs(void **state)
{
    alpxe_config     *cfg = NULL;
    const alpxe_host *h;
    char              text[ALPXE_MAC_STR];
    diags             d;

    (void) state;
    assert_int_equal(load_string(SERVER PROFILE "[host a]\n"
                                 "mac = 52:54:00:00:00:0a\nprofile = lts\n"
                                 "[host b]\nmac = 52-54-00-00-00-0B\n"
                                 "mac = 5254.0000.000c\nprofile = lts\n",
                                 0, &d, &cfg), 0);
    h = alpxe_host_at(cfg, 1);
    assert_string_equal(alpxe_host_name(h), "b");
    assert_int_equal(alpxe_host_mac_count(h), 2);
    alpxe_mac_format(alpxe_host_mac(cfg, h, 0), ':', text);
    assert_string_equal(text, "52:54:00:00:00:0b");
    alpxe_mac_format(alpxe_host_mac(cfg, h, 1), ':', text);
    assert_string_equal(text, "52:54:00:00:00:0c");
    assert_null(alpxe_host_mac(cfg, h, 2));
    h = alpxe_host_at(cfg, 0);
    assert_int_equal(alpxe_host_mac_count(h), 1);
    alpxe_mac_format(alpxe_host_mac(cfg, h, 0), ':', text);
    assert_string_equal(text, "52:54:00:00:00:0a");
    alpxe_config_free(cfg);
}

static void
test_args_lines_join(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_script  s;
    alpxe_mac     mac;
    char          buf[ALPXE_SCRIPT_MAX];
    diags         d;

    (void) state;
    /* Long argument lists span several lines (inih holds 198 bytes). */
    assert_int_equal(load_string(SERVER PROFILE "args = console=ttyS0\n"
                                 "args =  quiet\t  loglevel=3 \n"
                                 HOST("52:54:00:12:34:56"), 0, &d, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("525400123456", 12, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, buf, sizeof(buf), &s), 0);
    assert_non_null(strstr(buf, " console=ttyS0 quiet loglevel=3\ninitrd "));
    alpxe_config_free(cfg);
}

static void
test_indented_keys_are_keys(void **state)
{
    alpxe_config *cfg = NULL;
    diags         d;

    (void) state;
    /* inih would take an indented line for a continuation of the last. */
    assert_int_equal(load_string("[server]\n  address = 10.0.0.28\n"
                                 "  unknown = ignore\n", 0, &d, &cfg), 0);
    alpxe_config_free(cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_warnings),
        cmocka_unit_test(test_clean),
        cmocka_unit_test(test_clean_config_has_no_diagnostics),
        cmocka_unit_test(test_errors_are_all_reported),
        cmocka_unit_test(test_oddities),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_inheritance_and_templates),
        cmocka_unit_test(test_args_lines_join),
        cmocka_unit_test(test_reload_paths),
        cmocka_unit_test(test_log_paths),
        cmocka_unit_test(test_host_macs),
        cmocka_unit_test(test_indented_keys_are_keys),
    };

    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
