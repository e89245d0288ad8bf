/*
 * alpxe.h - the public interface of the alpxe core.
 *
 * The core owns the configuration and every boot decision.  The Kea hook,
 * the nginx module, the tftp remap helper and the alpxe CLI are thin
 * adapters: they convert their server's types into the plain inputs below
 * (pointer + length, never NUL-terminated unless stated) and apply the
 * answer.  Nothing here does I/O except alpxe_config_load().
 *
 * Functions return 0 or a negative errno.  A loaded configuration is
 * immutable and may be shared by any number of threads without locking.
 */

#ifndef ALPXE_H
#define ALPXE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ALPXE_VERSION           "0.1.0"
#define ALPXE_DEFAULT_CONFIG    "/etc/alpxe/alpxe.conf"

/* Where nginx's master keeps the last good alpxe.conf (the module's
 * alpxe_last_good), for `alpxe status` to read. */
#define ALPXE_NGINX_LAST_GOOD   "/var/lib/alpxe/nginx-last-good.conf"

/* The name every iPXE client fetches below [server] http. */
#define ALPXE_SCRIPT_NAME       "gpxe-script"

/* The longest profile name. */
#define ALPXE_PROFILE_NAME_MAX  64

/* Room for any URL or file name the core hands out (NUL included). */
#define ALPXE_URL_MAX           1024

/* The BOOTP `file` field: 128 bytes, NUL-terminated, so 127 usable. */
#define ALPXE_DHCP_FILE_MAX     127

/* The longest DHCP option (67): longer URLs are refused at load. */
#define ALPXE_DHCP_OPTION_MAX   255

/* iPXE's encapsulated options: present in every iPXE request; in an
 * answer, suboption 176 (no-pxedhcp) = 1 spares iPXE its ProxyDHCP wait. */
#define ALPXE_DHCP_OPTION_IPXE  175
#define ALPXE_IPXE_NO_PXEDHCP   176

/* ---------------------------------------------------------------- MACs */

typedef struct {
    uint8_t  b[6];
} alpxe_mac;

/* "52:54:00:12:34:56" + NUL */
#define ALPXE_MAC_STR           18

/*
 * Parse a MAC address in any common spelling: colon or dash separated
 * (one or two hex digits per octet), Cisco dotted (5254.0012.3456), bare
 * hex (525400123456), any case, and PXELINUX/BOOTIF's "01-" ARP-type
 * prefix.  Returns 0 or -EINVAL.
 */
int alpxe_mac_parse(const char *s, size_t len, alpxe_mac *mac);

/* Lower-case, sep = ':' or '-'; out must hold ALPXE_MAC_STR bytes. */
void alpxe_mac_format(const alpxe_mac *mac, char sep, char *out);

/* --------------------------------------------------------------- archs */

/* Client system architectures (RFC 4578 option 93, IANA registry). */
typedef enum {
    ALPXE_ARCH_BIOS = 0,        /* 0: x86 BIOS */
    ALPXE_ARCH_EFI32,           /* 6: x86 UEFI */
    ALPXE_ARCH_EFI64,           /* 7, 9: x64 UEFI */
    ALPXE_ARCH_ARM32,           /* 10: ARM 32-bit UEFI */
    ALPXE_ARCH_ARM64,           /* 11: ARM 64-bit UEFI */
    ALPXE_ARCH_COUNT,           /* number of loader slots */
    ALPXE_ARCH_UNKNOWN = ALPXE_ARCH_COUNT
} alpxe_arch;

/* "bios", "efi32", "efi64", "arm32", "arm64", "unknown" */
const char *alpxe_arch_name(alpxe_arch arch);


/* -------------------------------------------------------- configuration */

typedef struct alpxe_config  alpxe_config;

typedef enum {
    ALPXE_ERROR = 0,
    ALPXE_WARNING
} alpxe_severity;

/*
 * Receives each diagnostic as one line, compiler style, without newline:
 *     "alpxe.conf:14: kernel: '#' is not allowed in "boot/vm#linuz" (...)"
 * `file` and `line` are given separately too (line 0: the whole file).
 */
typedef void (*alpxe_diag_fn)(void *ctx, alpxe_severity severity,
    const char *file, unsigned line, const char *text);

/* Load flags. */
#define ALPXE_LOAD_SCRIPTS      0x1   /* pre-render every host's script */
#define ALPXE_LOAD_KEEP_RO      0x2   /* alpxe_config_load_kept: read the
                                         last good copy, never write it */

/*
 * Read, validate and index a configuration file.  Every error and warning
 * is reported through diag (may be NULL).  On success *out owns the new
 * configuration; on any error nothing is allocated and *out is untouched,
 * so a caller that keeps its old configuration loses nothing.
 * Returns 0, -EINVAL (the file has errors), -ENOMEM, or the -errno of
 * opening/reading the file.
 */
int alpxe_config_load(const char *path, unsigned flags, alpxe_diag_fn diag,
    void *ctx, alpxe_config **out);

/* The same from memory; `name` is used in diagnostics. */
int alpxe_config_load_mem(const char *name, const char *text, size_t len,
    unsigned flags, alpxe_diag_fn diag, void *ctx, alpxe_config **out);

void alpxe_config_free(alpxe_config *cfg);

/* What alpxe_config_load_kept() did. */
typedef struct {
    int          fallback;      /* the file did not load: the last good
                                   copy did */
    int          file_rc;       /* the file's own result (0, -EINVAL for
                                   its errors, -errno) */
    int          keep_rc;       /* 0, or why the copy was not written or
                                   could not be used (-ENOENT: none yet) */
} alpxe_load_result;

/*
 * For the servers that must keep answering whatever happens to the file
 * (the Kea hook, the nginx module): load `path`; when it loads, keep its
 * exact bytes at `keep` (atomically; only when they changed; never with
 * ALPXE_LOAD_KEEP_RO); when it does not, load the copy kept there, under
 * the file's name, time and checksum as they were.  Every problem is
 * reported through diag, the file's first.  Returns 0 when either loaded
 * (r says which), else the file's error.  keep may be NULL: then this is
 * alpxe_config_load().
 */
int alpxe_config_load_kept(const char *path, const char *keep, unsigned flags,
    alpxe_diag_fn diag, void *ctx, alpxe_config **out, alpxe_load_result *r);

/* SHA-256 of the file's bytes as loaded, 64 hex digits: which version of
 * alpxe.conf a server serves, comparable across servers. */
const char *alpxe_config_sha256(const alpxe_config *cfg);

/* When those bytes were read from the file (seconds since the epoch): for
 * a last good copy, when it was read then. */
long long alpxe_config_loaded_at(const alpxe_config *cfg);

/* How long loading took in microseconds, reading the file included; not
 * the writing of the last good copy (disk-bound, and only when the file
 * changed). */
unsigned long long alpxe_config_load_us(const alpxe_config *cfg);

/* Loaded from the last good copy, not the file. */
int alpxe_config_is_fallback(const alpxe_config *cfg);

const char *alpxe_config_path(const alpxe_config *cfg);
size_t alpxe_config_host_count(const alpxe_config *cfg);
size_t alpxe_config_profile_count(const alpxe_config *cfg);

/* The name of profile i (file order), or NULL past the last. */
const char *alpxe_config_profile_name(const alpxe_config *cfg, size_t i);
size_t alpxe_config_warning_count(const alpxe_config *cfg);

/* [reload]: where `alpxe reload` finds each server (Debian's defaults). */
typedef enum {
    ALPXE_RELOAD_KEA_SOCKET = 0,    /* kea_socket: /run/kea/kea4-ctrl-socket */
    ALPXE_RELOAD_NGINX_PID,         /* nginx_pid:  /run/nginx.pid */
    ALPXE_RELOAD_TFTPD_PID,         /* tftpd_pid:  /run/tftpd-hpa.pid */
    ALPXE_RELOAD_REMAP,             /* remap:      /etc/alpxe/tftpd.remap */
    ALPXE_RELOAD_NGINX_LAST_GOOD,   /* nginx_last_good: the module's
                                       alpxe_last_good (for alpxe status) */
    ALPXE_RELOAD_KEA_PEERS,         /* kea_peer, repeatable: every Kea of an
                                       HA pair, control socket paths or
                                       kea-ctrl-agent http:// URLs, joined
                                       by spaces; "" (default): kea_socket */
    ALPXE_RELOAD_COUNT
} alpxe_reload_path;

const char *alpxe_config_reload_path(const alpxe_config *cfg,
    alpxe_reload_path which);

/*
 * The same from a file that may not load (`alpxe status` must find the
 * servers of a broken file): the [reload] values it holds that are valid,
 * defaults for the rest (all of them when it cannot be read).  paths[i]
 * are malloc'd (free each, also on error).  0, -ENOMEM (nothing set), or
 * the -errno of reading the file.
 */
int alpxe_config_reload_paths(const char *path,
    char *paths[ALPXE_RELOAD_COUNT]);

/* [server] http, without a trailing '/'. */
const char *alpxe_config_http(const alpxe_config *cfg);

/* [log]: where `alpxe log`, `status` and `watch` read each server's own
 * records of a boot (Debian's defaults: Kea and in.tftpd in the journal,
 * nginx's access log).  A value is an absolute file name, or
 * ALPXE_LOG_JOURNAL. */
typedef enum {
    ALPXE_LOG_KEA = 0,          /* kea:   journal (kea-dhcp4-server.service) */
    ALPXE_LOG_TFTPD,            /* tftpd: journal (in.tftpd's syslog lines) */
    ALPXE_LOG_NGINX,            /* nginx: /var/log/nginx/access.log */
    ALPXE_LOG_COUNT
} alpxe_log_source;

#define ALPXE_LOG_JOURNAL       "journal"

const char *alpxe_config_log_path(const alpxe_config *cfg,
    alpxe_log_source which);

/* ---------------------------------------------------------------- hosts */

typedef struct alpxe_host  alpxe_host;

typedef enum {
    ALPXE_BOOT_NETBOOT = 0,     /* boot the profile */
    ALPXE_BOOT_LOCAL,           /* iPXE gets `exit`: next boot device */
    ALPXE_BOOT_OFF,             /* no PXE answer at all */
    ALPXE_BOOT_MENU             /* iPXE gets a menu of the profiles */
} alpxe_boot;

const alpxe_host *alpxe_host_at(const alpxe_config *cfg, size_t i);
const char *alpxe_host_name(const alpxe_host *host);
const char *alpxe_host_profile(const alpxe_host *host);
alpxe_boot alpxe_host_boot(const alpxe_host *host);
/* "netboot", "local", "off", "menu": as alpxe.conf's boot = spells it. */
const char *alpxe_boot_name(alpxe_boot boot);
unsigned alpxe_host_line(const alpxe_host *host);

/* The host's MACs (at least one), in the order alpxe.conf gives them. */
size_t alpxe_host_mac_count(const alpxe_host *host);
const alpxe_mac *alpxe_host_mac(const alpxe_config *cfg,
    const alpxe_host *host, size_t i);

/* The host's `nfs` URL after template expansion, or NULL. */
const char *alpxe_host_nfs(const alpxe_host *host);

/* A legacy "alpine_dev=nfs:SERVER:/PATH" argument's value, expanded, or
 * NULL. */
const char *alpxe_host_alpine_dev(const alpxe_host *host);

/* How `alpxe provision` creates the directory: nfs_mode (octal, default
 * 0755), nfs_uid and nfs_gid (default 0). */
unsigned alpxe_host_nfs_mode(const alpxe_host *host);
unsigned long alpxe_host_nfs_uid(const alpxe_host *host);
unsigned long alpxe_host_nfs_gid(const alpxe_host *host);

/* [server] nfs_timeout (seconds, default 5) in milliseconds: the bound
 * on each NFS server's checks. */
unsigned alpxe_config_nfs_timeout_ms(const alpxe_config *cfg);

/* ------------------------------------------------------------------ NFS */

/* The longest server name of an nfs:// URL (a DNS name's 253, or IPv4). */
#define ALPXE_NFS_SERVER_MAX    253

/* A host's `nfs = nfs://SERVER/PATH[?OPTIONS]`, as libnfs will use it. */
typedef struct {
    char     server[ALPXE_NFS_SERVER_MAX + 1];  /* host name or IPv4 */
    char     path[ALPXE_URL_MAX];   /* "/a/b": no "//", ".", ".." or
                                       trailing '/' */
    char     query[ALPXE_URL_MAX];  /* libnfs's options after '?', or "" */
    int      v4;                    /* the options hold version=4 */
} alpxe_nfs_url;

/*
 * The one nfs:// parser: `alpxe check` (through the configuration load)
 * and `alpxe check --network` / `provision` read URLs with it, so they
 * never disagree.  What libnfs 4.0 cannot use is refused here: a port
 * after the server (libnfs takes it into the host name: use ?nfsport=N),
 * a user name, an IPv6 literal, "." and ".." parts, an empty path.
 * `url` holds no alpxe variables (expand them first).  Returns 0, or
 * -EINVAL with a one-line reason in why.
 */
int alpxe_nfs_url_parse(const char *url, alpxe_nfs_url *u, char *why,
    size_t size);

/* ------------------------------------------------------------- machines */

/* What a machine gets from alpxe, whatever stage of its boot asks. */
typedef enum {
    ALPXE_ACTION_NONE = 0,      /* no netboot answer at all: boot = off,
                                   or an unknown MAC with unknown = ignore */
    ALPXE_ACTION_BOOT,          /* boot `profile` */
    ALPXE_ACTION_EXIT,          /* iPXE gets `exit` (the next boot device):
                                   boot = local, or unknown = exit */
    ALPXE_ACTION_MENU           /* iPXE gets a menu of the profiles; the
                                   choice's script is fetched from
                                   ${http}/<mac>/gpxe-script?profile=NAME:
                                   boot = menu, or unknown = menu */
} alpxe_action;

/* "none", "boot", "exit", "menu" */
const char *alpxe_action_name(alpxe_action action);

typedef struct {
    alpxe_action      action;
    const alpxe_host *host;     /* NULL: the MAC is in no [host] */
    const char       *profile;  /* BOOT: the profile that boots; MENU: the
                                   menu's default item, or NULL; else NULL */
    const char       *reason;   /* static text: why this action */
} alpxe_machine;

/*
 * The one rule for a MAC: which host has it, which profile it boots, and
 * what happens (the host's `boot`, else [server] unknown and default).
 * Every stage's answer starts here: alpxe_dhcp_decide, alpxe_script_for
 * and `alpxe explain`.  O(1); reads the MAC index entry only.
 */
void alpxe_machine_for(const alpxe_config *cfg, const alpxe_mac *mac,
    alpxe_machine *m);

/* ------------------------------------------------------------- the DHCP */

/*
 * What a DHCP adapter reads from a client's packet.  Absent options are
 * NULL/0.  Lengths are whatever arrived on the wire: the core checks them.
 */
typedef struct {
    uint8_t          htype;         /* BOOTP htype (1 = Ethernet) */
    const uint8_t   *chaddr;        /* hlen bytes of chaddr */
    size_t           hlen;
    const uint8_t   *vendor_class;  /* option 60 */
    size_t           vendor_class_len;
    const uint8_t   *user_class;    /* option 77, raw or RFC 3004 form */
    size_t           user_class_len;
    const uint8_t   *arch;          /* option 93: 16-bit big-endian types */
    size_t           arch_len;
    int              has_ipxe_encap; /* option 175 present */
} alpxe_dhcp_query;

typedef enum {
    ALPXE_STAGE_NONE = 0,       /* not a network-boot client */
    ALPXE_STAGE_PXE,            /* PXE ROM: TFTP loader */
    ALPXE_STAGE_IPXE,           /* iPXE: HTTP URL of its script */
    ALPXE_STAGE_HTTPBOOT        /* UEFI HTTP boot: loader URL */
} alpxe_stage;

/* "none", "pxe", "ipxe", "httpboot" */
const char *alpxe_stage_name(alpxe_stage stage);

/* alpxe_dhcp_answer.arch_type when the client named no architecture, and
 * when what it sent cannot be read. */
#define ALPXE_ARCH_TYPE_NONE    (-1)
#define ALPXE_ARCH_TYPE_BAD     (-2)

/* Why a network-boot client got no answer (alpxe_dhcp_answer.decline):
 * what the Kea hook counts and logs. */
typedef enum {
    ALPXE_DECLINE_NONE = 0,     /* answered, or not a network-boot client */
    ALPXE_DECLINE_UNKNOWN_MAC,  /* in no [host], and unknown = ignore */
    ALPXE_DECLINE_BOOT_OFF,     /* its [host] has boot = off */
    ALPXE_DECLINE_MALFORMED,    /* not Ethernet, or an unreadable arch */
    ALPXE_DECLINE_UNSUPPORTED_ARCH, /* an arch alpxe has no loader slot
                                   for, or HTTP boot from one that cannot */
    ALPXE_DECLINE_NO_LOADER,    /* no loader configured for its arch */
    ALPXE_DECLINE_TOO_LONG,     /* the boot file name does not fit */
    ALPXE_DECLINE_COUNT
} alpxe_decline;

/* "none", "unknown-mac", "boot-off", "malformed", "unsupported-arch",
 * "no-loader", "too-long": lower case with dashes, as Kea names its
 * statistics. */
const char *alpxe_decline_name(alpxe_decline decline);

typedef struct {
    int              answer;        /* 0: leave the packet untouched */
    const char      *reason;        /* static text: why (answered or not) */
    alpxe_stage      stage;
    alpxe_arch       arch;
    long             arch_type;     /* option 93's first type, else the
                                       vendor class's "Arch:NNNNN"; or
                                       ALPXE_ARCH_TYPE_NONE / _BAD */
    int              have_mac;
    alpxe_mac        mac;
    alpxe_machine    machine;       /* set when have_mac */

    /* The answer, when answer != 0. */
    int              set_siaddr;
    uint8_t          siaddr[4];
    char             file[ALPXE_URL_MAX];   /* NUL-terminated */
    size_t           file_len;
    int              vendor_class_httpclient; /* send option 60 "HTTPClient" */
    int              ipxe_no_pxedhcp;  /* send option 175.176 = 1 */

    /* When answer == 0 for a network-boot client (stage != NONE): why. */
    alpxe_decline    decline;
} alpxe_dhcp_answer;

/*
 * Decide what the server answers.  Never fails on client input: malformed
 * fields make the client "not a network-boot client" (answer = 0).
 */
void alpxe_dhcp_decide(const alpxe_config *cfg, const alpxe_dhcp_query *q,
    alpxe_dhcp_answer *a);

/* ------------------------------------------------------------- the TFTP */

/* Distinct loader file names named by [loader], profiles and hosts. */
size_t alpxe_tftp_loader_count(const alpxe_config *cfg);
const char *alpxe_tftp_loader(const alpxe_config *cfg, size_t i);

/* [tftp] alias lines (plus the built-in gpxe.kpxe), target resolved to a
 * loader file name. */
size_t alpxe_tftp_alias_count(const alpxe_config *cfg);
void alpxe_tftp_alias(const alpxe_config *cfg, size_t i, const char **name,
    const char **target);

/* [tftp] case = insensitive (default) or sensitive. */
int alpxe_tftp_case_insensitive(const alpxe_config *cfg);

/* [tftp] root (default /srv/tftp) and source (default /usr/lib/ipxe). */
const char *alpxe_tftp_root(const alpxe_config *cfg);
const char *alpxe_tftp_source(const alpxe_config *cfg);

/* Kept in the TFTP root by `alpxe-remap --install-loaders`: the loaders it
 * put there.  Not for clients: mode 0600, and denied by name. */
#define ALPXE_TFTP_MANIFEST     ".alpxe-loaders"

/*
 * The file a TFTP request for `name` gets, relative to the TFTP root:
 * leading '/' dropped, '\' read as '/', loader names and aliases matched
 * (case-insensitively unless configured otherwise).  Names that are not
 * loaders pass through normalised.  Returns 0, -EACCES for a ".."
 * component, a control character or the manifest, -ENAMETOOLONG when out
 * is too small.
 */
int alpxe_tftp_resolve(const alpxe_config *cfg, const char *name, size_t len,
    char *out, size_t size);

/* ----------------------------------------------------------- the script */

/* A machine's script: what alpxe_machine_for() decided, as iPXE reads it
 * (BOOT: kernel, initrd, boot; EXIT: "#!ipxe\nexit\n"; NONE: no script,
 * text NULL). */
typedef struct {
    alpxe_machine    machine;
    const char      *text;          /* not NUL-terminated */
    size_t           len;
} alpxe_script;

/*
 * The iPXE script for a MAC, in buf: copied out when it was pre-rendered
 * (ALPXE_LOAD_SCRIPTS), else rendered; the exit script points into the
 * configuration.  A script always fits in ALPXE_SCRIPT_MAX bytes.
 * Returns 0, or -ENOSPC with script->len the bytes needed when size is
 * too small: called with buf NULL and size 0, it answers NONE and EXIT
 * without a buffer and says what to allocate for the rest.
 */
#define ALPXE_SCRIPT_MAX        4096

int alpxe_script_for(const alpxe_config *cfg, const alpxe_mac *mac,
    char *buf, size_t size, alpxe_script *script);

/* ------------------------------------------------ what a request asks */

/* The documents below ${http}/<mac>/: the iPXE script, and the NoCloud
 * documents tiny-cloud fetches (metadata = yes). */
typedef enum {
    ALPXE_DOC_SCRIPT = 0,       /* gpxe-script */
    ALPXE_DOC_META_DATA,        /* meta-data */
    ALPXE_DOC_USER_DATA,        /* user-data */
    ALPXE_DOC_VENDOR_DATA,      /* vendor-data */
    ALPXE_DOC_NETWORK_CONFIG,   /* network-config */
    ALPXE_DOC_COUNT
} alpxe_doc;

/* Any NoCloud document fits in this many bytes (checked at load). */
#define ALPXE_DOC_MAX           (160 * 1024)

/* The document's name in the URL: "gpxe-script", "meta-data", ... */
const char *alpxe_doc_name(alpxe_doc doc);

/* A request below [server] http, as alpxe_request_parse() reads it. */
typedef struct {
    int          have_mac;      /* 0: ${http}/gpxe-script with no MAC (the
                                   classic embedded loader's URL) */
    alpxe_mac    mac;
    alpxe_doc    doc;
    char         profile[ALPXE_PROFILE_NAME_MAX + 1];
                                /* a menu's choice, NUL-terminated, or "" */
} alpxe_request;

/*
 * Read a request's path (below where the web server mounts alpxe,
 * percent-decoded) and raw query (without '?'; either may be NULL):
 *
 *   gpxe-script[?mac=<mac>]          the script (no MAC: the chain script)
 *   <mac>/gpxe-script[?profile=P]    the script, or a menu's choice P
 *   <mac>/<doc>                      a NoCloud document
 *   <mac>/<P>/<doc>                  the same for a menu's choice P
 *
 * <doc> is meta-data, user-data, vendor-data or network-config; empty
 * segments are skipped (tiny-cloud asks for "<seed>/" + "/meta-data").
 * With ALPXE_REQUEST_TAIL the path is a whole URI path and is read from
 * its end.  Returns 0, -ENOENT when the path names nothing alpxe serves
 * (404), -EINVAL for a malformed MAC or query (400).
 */
int alpxe_request_parse(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags, alpxe_request *req);

/*
 * The answer to a request: answer->machine is what alpxe_machine_for()
 * decided for its MAC (a menu's choice, when the menu offers it: a BOOT
 * of that profile); answer->text is the document, or NULL for a 404 (no
 * script, no metadata for this machine, a choice not offered).  Like
 * alpxe_script_for(): text is in buf, or in the configuration for the
 * exit and chain scripts and a document kept whole; with buf too small
 * (or NULL) it returns -ENOSPC and sets answer->len to the bytes needed.
 */
int alpxe_answer(const alpxe_config *cfg, const alpxe_request *req,
    char *buf, size_t size, alpxe_script *answer);

/* ---------------------------------------------------------- the request */

/* alpxe_request_mac() flags. */
#define ALPXE_REQUEST_TAIL      0x1   /* path is a whole URI path whose
                                         mount point is unknown */

/*
 * The MAC of a script request.  `path` is the request path below where the
 * web server mounts alpxe ("52:54:00:12:34:56/gpxe-script" for
 * /pxe/52:54:00:12:34:56/gpxe-script under /pxe/), already
 * percent-decoded; `query` is the raw query string without '?', whose
 * first "mac" argument (name in any case) is percent-decoded here.  Either
 * may be NULL when empty.  The path is "<mac>/gpxe-script", or
 * "gpxe-script" with the MAC in ?mac=.  With ALPXE_REQUEST_TAIL the path
 * is a whole one and only its end is read: its last segment when that is
 * "gpxe-script" and ?mac= is there, else its last two segments.
 * Returns 0, -ENOENT when the path names no script (404), -EINVAL when the
 * MAC is missing or malformed (400); mac is written only on success.
 */
int alpxe_request_mac(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags, alpxe_mac *mac);

#ifdef __cplusplus
}
#endif

#endif /* ALPXE_H */
