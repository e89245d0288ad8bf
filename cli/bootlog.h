/*
 * bootlog.h - a machine's boots, read back from the servers' own records.
 *
 * Kea logs the hook's answers and its own leases, in.tftpd (-v) logs each
 * read request to syslog, nginx logs each request in its access log.  Each
 * line is parsed into an event (bootlog_parse.c, bootlog_time.c); events,
 * in time order, go to a tracker (bootlog_track.c) that ties TFTP and HTTP
 * requests to a MAC by the addresses Kea leased it (or the host's static
 * ip=), cuts each MAC's events into boots and each boot into stages; the
 * last stage, or the one that failed, is explained in plain words
 * (bootlog_diag.c).  `alpxe log`, `status` and `watch` print what it
 * found; bootlog_read.c reads the files and the journal.
 *
 * Log lines are written by the daemons but carry what clients sent (MACs,
 * paths, user agents): every parser works on (pointer, end), bounded, and
 * cuts what it keeps to the fields below.
 */

#ifndef ALPXE_BOOTLOG_H
#define ALPXE_BOOTLOG_H

#include <stddef.h>

#include "alpxe.h"

/* The longest line read; longer ones are cut (their start is enough). */
#define BLOG_LINE_MAX   8192

/* Fields kept from a line: paths and file names are cut to this. */
#define BLOG_TEXT       256

/* ------------------------------------------------------------ events */

typedef enum {
    BLOG_NONE = 0,
    BLOG_ANSWER,        /* Kea, ALPXE_ANSWER: the hook answered */
    BLOG_DECLINED,      /* Kea, ALPXE_DECLINED: a network-boot client left
                           unanswered */
    BLOG_LEASE,         /* Kea, DHCP4_LEASE_ADVERT/_ALLOC: MAC -> address */
    BLOG_ALPXE,         /* Kea, any other ALPXE_ line (the hook logs) */
    BLOG_TFTP_RRQ,      /* in.tftpd: RRQ from IP filename F */
    BLOG_TFTP_NAK,      /* in.tftpd -vv: sending NAK (N, TEXT) to IP */
    BLOG_HTTP           /* an access-log line */
} blog_kind;

typedef enum {
    BLOG_SRC_KEA = 0,
    BLOG_SRC_TFTPD,
    BLOG_SRC_NGINX,
    BLOG_SRC_COUNT
} blog_source;

typedef struct {
    blog_kind    kind;
    long long    ms;            /* milliseconds since the epoch */
    int          whole_s;       /* the line gave whole seconds only */
    int          have_mac;
    alpxe_mac    mac;
    char         tid[20];       /* Kea: the query's transaction id */
    char         ip[48];        /* leased, or the client's address */

    /* ANSWER / DECLINED */
    char         stage[12];     /* pxe, ipxe, httpboot */
    char         arch[40];      /* "efi64 (type 7)" */
    char         host[64];      /* "unknown": in no [host] */
    char         profile[64];   /* "(exit)": no profile boots */
    char         decline[24];   /* unknown-mac, boot-off, ... */
    char         siaddr[20];

    /* ANSWER: the file; DECLINED: the reason; TFTP: the file asked for;
     * NAK: TFTP's error text; HTTP: the path, percent-decoded, no query */
    char         text[BLOG_TEXT];
    char         query[BLOG_TEXT];  /* HTTP: the query string, raw */
    char         remapped[BLOG_TEXT];   /* TFTP: the file served instead */
    char         method[12];    /* HTTP */
    int          status;        /* HTTP status; NAK: TFTP error code */
    long long    bytes;         /* HTTP body bytes; -1: not logged */
    char         result[16];    /* HTTP: $alpxe_result when logged */
} blog_event;

/*
 * One line of each server's log into *ev.  Returns 1 for an event, 0 for a
 * line that is none (or cannot be read).  now_ms (the time of reading)
 * dates syslog's year-less "Nov 27 10:02:11".  Local times are read in the
 * local time zone.
 */
int blog_parse_kea(const char *line, size_t len, long long now_ms,
    blog_event *ev);
int blog_parse_tftpd(const char *line, size_t len, long long now_ms,
    blog_event *ev);
int blog_parse_nginx(const char *line, size_t len, long long now_ms,
    blog_event *ev);
int blog_parse(blog_source src, const char *line, size_t len,
    long long now_ms, blog_event *ev);

/*
 * A time at the start of [p, end): Kea's "2026-11-27 10:49:41.723",
 * ISO 8601 / RFC 3339 ("2026-11-27T10:49:41.123456+00:00", nginx's
 * $time_iso8601, rsyslog's and journalctl's), syslog's "Nov 27 10:49:41",
 * nginx's $time_local "27/Nov/2026:10:49:41 +0000", and $msec
 * "1795779588.981".  Sets *ms, *whole_s and *after (the first byte after
 * the time); returns 0, or -1 for no time there.
 */
int blog_time_parse(const char *p, const char *end, long long now_ms,
    long long *ms, int *whole_s, const char **after);

/* "2026-11-27 10:49:41" (local), "10:49:41.723" (with_date 0: the time
 * only; whole_s: no milliseconds); out of at least 32 bytes. */
void blog_time_format(long long ms, int whole_s, int with_date, char *out,
    size_t size);

/* "2026-11-27T10:49:41.723Z" for JSON. */
void blog_time_iso(long long ms, char *out, size_t size);

long long blog_now_ms(void);

/* ------------------------------------------------------------ stages */

/* In the order a boot goes through them. */
typedef enum {
    BLOG_ST_DHCP_PXE = 0,   /* Kea answered the PXE firmware */
    BLOG_ST_TFTP,           /* in.tftpd served (or refused) the loader */
    BLOG_ST_DHCP_HTTP,      /* Kea answered UEFI HTTP boot */
    BLOG_ST_HTTP_LOADER,    /* nginx served the loader */
    BLOG_ST_DHCP_IPXE,      /* Kea answered iPXE */
    BLOG_ST_SCRIPT,         /* nginx served the iPXE script */
    BLOG_ST_KERNEL,
    BLOG_ST_INITRD,
    BLOG_ST_OS_DHCP,        /* the booted system's own DHCP */
    BLOG_ST_MODLOOP,
    BLOG_ST_APKOVL,
    BLOG_ST_REPO,           /* files under alpine_repo */
    BLOG_ST_SSH_KEY,
    BLOG_ST_METADATA,       /* meta-data, user-data, vendor-data,
                               network-config */
    BLOG_ST_OTHER,          /* anything else it fetched from nginx */
    BLOG_ST_DECLINED,       /* Kea saw it, alpxe did not answer */
    BLOG_ST_COUNT
} blog_stage;

/* "dhcp-pxe", "tftp", ... (JSON, tests); the title printed. */
const char *blog_stage_name(blog_stage st);
const char *blog_stage_title(blog_stage st);

/* One stage of one boot. */
typedef struct {
    int          seen;
    long long    first_ms;      /* its first event */
    long long    last_ms;
    int          whole_s;       /* first_ms is to the second */
    unsigned     count;         /* events (DHCP answers, requests) */
    unsigned     ok;            /* of them served (HTTP < 400, a TFTP read
                                   not refused) */
    unsigned     failed;        /* refused (HTTP >= 400, a TFTP NAK) */
    int          status;        /* HTTP status of the last event */
    long long    bytes;         /* HTTP bytes of the last event */
    char         ip[48];        /* the client's address */
    char         detail[BLOG_TEXT + 64];
    char         tid[20];       /* OS_DHCP: the lease's transaction id */
    char         file[BLOG_TEXT];   /* TFTP, HTTP: the last file asked for */
} blog_step;

typedef enum {
    BLOG_OUT_BOOTED = 0,        /* the booted system fetched its files */
    BLOG_OUT_HANDED_OVER,       /* kernel and initrd served, and the profile
                               gives the booted system nothing to fetch */
    BLOG_OUT_EXITED,            /* its script was `exit` (boot = local,
                               unknown = exit): the next boot device */
    BLOG_OUT_IN_PROGRESS,       /* the last event is recent */
    BLOG_OUT_STOPPED,           /* the next stage never came */
    BLOG_OUT_FAILED,            /* a stage failed (404, TFTP error) */
    BLOG_OUT_DECLINED,          /* alpxe did not answer it */
    BLOG_OUT_OFF,               /* ... because its host has boot = off */
    BLOG_OUT_NEVER_SEEN         /* no record of it */
} blog_outcome;

/* "booted", "handed-over", "exited", "in-progress", "stopped", "failed",
 * "declined", "off", "never-seen" */
const char *blog_outcome_name(blog_outcome o);

/* An outcome that needs someone's attention (stopped, failed, declined). */
int blog_outcome_bad(blog_outcome o);

typedef struct {
    long long    start_ms;      /* its first event */
    long long    last_ms;       /* its last event */
    int          have_dhcp;     /* it began with a DHCP answer of alpxe */
    char         arch[40];      /* from the hook's lines */
    char         host[64];
    char         profile[64];
    char         ip[48];        /* the address it used last */
    char         script_result[16]; /* $alpxe_result of its script */
    blog_step    step[BLOG_ST_COUNT];
} blog_boot;

/* What the configuration says about a MAC, for the diagnosis: its
 * script's URLs (paths only, "" when none), which the tracker matches
 * against the requests. */
typedef struct {
    int          known;         /* in a [host] */
    int          menu;          /* it gets a menu: the profile is picked */
    char         host[64];
    char         profile[64];
    alpxe_action action;
    const char  *reason;        /* alpxe_machine.reason */
    char         static_ip[48]; /* ip= client field, "" for dhcp */
    char         kernel[BLOG_TEXT];
    char         initrd[BLOG_TEXT];
    char         modloop[BLOG_TEXT];
    char         apkovl[BLOG_TEXT]; /* {MAC} expanded */
    char         ssh_key[BLOG_TEXT];
    char         repo[4][BLOG_TEXT];    /* alpine_repo's comma list */
    char         script_path[BLOG_TEXT];   /* ${http}/<mac>/gpxe-script */
    char         loader_dir[BLOG_TEXT];    /* ${http}/loader/ */
    char         http_base[BLOG_TEXT];     /* ${http} */
    char         tftp_root[BLOG_TEXT];
} blog_plan;

/* The plan of mac under cfg (cfg may be NULL: nothing is known). */
void blog_plan_for(const alpxe_config *cfg, const alpxe_mac *mac,
    blog_plan *plan);

/* A menu machine's plan once it picked profile from its menu (a script
 * request with the choice): that profile's kernel, initrd and arguments.
 * Nothing changes when the menu does not offer it. */
void blog_plan_choose(const alpxe_config *cfg, const alpxe_mac *mac,
    const char *profile, blog_plan *plan);

/* ----------------------------------------------------------- tracker */

typedef struct blog_machine blog_machine;
typedef struct blog_tracker blog_tracker;

/* What feeding one event did, for `alpxe watch`. */
typedef struct {
    const blog_machine *machine;    /* NULL: the event is no machine's */
    int          new_boot;          /* it started a boot */
    int          new_stage;         /* a stage seen for the first time */
    blog_stage   stage;
    int          failed;            /* ... or that stage failed */
} blog_change;

/*
 * cfg (may be NULL; must outlive the tracker) gives each MAC its plan.
 * keep_history: every boot of every MAC is kept (alpxe log --all), not
 * only the last.  only: track this MAC alone (NULL: every MAC that alpxe
 * answered or that is in a [host]).
 */
blog_tracker *blog_tracker_new(const alpxe_config *cfg, int keep_history,
    const alpxe_mac *only);
void blog_tracker_free(blog_tracker *t);

/* Events in time order.  0, or -ENOMEM. */
int blog_tracker_feed(blog_tracker *t, const blog_event *ev,
    blog_change *change);

/* Settle what waits for a later line (a lease that may still turn out
 * to be the netboot exchange's): those older than now_ms - 2 s, or all
 * with now_ms 0.  change as for feed (one change at most). */
int blog_tracker_settle(blog_tracker *t, long long now_ms,
    blog_change *change);

size_t blog_tracker_count(const blog_tracker *t);
const blog_machine *blog_tracker_at(const blog_tracker *t, size_t i);
const blog_machine *blog_tracker_find(const blog_tracker *t,
    const alpxe_mac *mac);

/* Lines the tracker saw from the hook (ALPXE_*), and events it could not
 * tie to a machine: for the warnings. */
unsigned long blog_tracker_alpxe_lines(const blog_tracker *t);

const alpxe_mac *blog_machine_mac(const blog_machine *m);
const blog_plan *blog_machine_plan(const blog_machine *m);
size_t blog_machine_boots(const blog_machine *m);  /* kept ones */
const blog_boot *blog_machine_boot(const blog_machine *m, size_t i);
const blog_boot *blog_machine_last(const blog_machine *m); /* or NULL */
unsigned long blog_machine_boot_total(const blog_machine *m);

/* -------------------------------------------------------- diagnosis */

typedef struct {
    blog_outcome outcome;
    blog_stage   at;            /* STOPPED/FAILED: the stage that failed
                                   or never came; BOOTED: the last */
    blog_stage   last;          /* the last stage reached */
    long long    at_ms;         /* when (for STOPPED: the last event) */
    char         text[1024];    /* one paragraph, plain words */
} blog_verdict;

/* What sources could be read, for the diagnosis to say what it could
 * not see. */
typedef struct {
    int          readable[BLOG_SRC_COUNT];
    char         name[BLOG_SRC_COUNT][BLOG_TEXT];  /* path or "journal" */
} blog_sources;

/*
 * The verdict on boot b of a machine with plan p (b NULL: never seen).
 * stall_s: a boot whose last event is less than that old is in progress.
 */
void blog_diagnose(const blog_plan *p, const blog_boot *b,
    const blog_sources *src, long long now_ms, long stall_s,
    blog_verdict *v);

/* ----------------------------------------------------------- reading */

typedef struct {
    const char  *path[BLOG_SRC_COUNT];  /* a file, or "journal" */
} blog_paths;

/* [log]'s paths (or Debian's defaults without cfg), overridden by the
 * non-NULL entries of opt. */
void blog_paths_from(const alpxe_config *cfg, const blog_paths *opt,
    blog_paths *out);

/*
 * Read every source whole (rotated FILE.1 first), merge their events in
 * time order and feed them to t.  src says what could be read; each
 * problem is printed to stderr as "alpxe: kea log FILE: why".  0 or
 * -ENOMEM.
 */
int blog_read_all(const blog_paths *paths, blog_tracker *t,
    blog_sources *src);

/* Following the sources as they grow (alpxe watch). */
typedef struct blog_follow blog_follow;

/* Files are read from their start (the first rounds give what they
 * hold: a watcher learns the leases so far), the journal from its last
 * 10000 lines, and all of them followed. */
blog_follow *blog_follow_open(const blog_paths *paths, blog_sources *src);
/* Wait up to timeout_ms for lines; each event read goes to cb, in time
 * order.  0, or -errno. */
int blog_follow_poll(blog_follow *f, int timeout_ms,
    void (*cb)(void *ctx, const blog_event *ev), void *ctx);
void blog_follow_close(blog_follow *f);

/* snprintf into a field, cut to its size when longer: what is shown of
 * a log line is bounded, by intent. */
void blog_fmt(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The human size of a byte count: "8.2 MB", "218 B". */
void blog_human_bytes(long long bytes, char *out, size_t size);

#endif /* ALPXE_BOOTLOG_H */
