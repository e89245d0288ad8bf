/*
 * bootlog_time.c - the timestamps of Kea's, syslog's (in.tftpd), the
 * journal's and nginx's log lines, to milliseconds since the epoch, and
 * back to text.
 *
 * Each server writes its own format, most of them in local time; all are
 * read with a cursor over (p, end) and digit counts checked, never with
 * sscanf.  Syslog's traditional format has no year: the one that puts the
 * line closest before the time of reading is taken.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "bootlog.h"

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

long long
blog_now_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (long long) tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* n digits at *p (advanced); -1 when they are not all there. */
static long
digits(const char **p, const char *end, int n)
{
    long v = 0;
    int  i;

    if (end - *p < n) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9') {
            return -1;
        }
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return v;
}

static int
expect(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c) {
        return -1;
    }
    (*p)++;
    return 0;
}

/* n digits, then sep: the value, or -1. */
static long
field(const char **p, const char *end, int n, char sep)
{
    long v = digits(p, end, n);

    return v < 0 || expect(p, end, sep) != 0 ? -1 : v;
}

/* "10:49:41" at *p (advanced): 0, or -1 when it is not there. */
static int
clock_time(const char **p, const char *end, long *h, long *mi, long *s)
{
    *h = field(p, end, 2, ':');
    *mi = *h < 0 ? -1 : field(p, end, 2, ':');
    *s = *mi < 0 ? -1 : digits(p, end, 2);
    return *s < 0 ? -1 : 0;
}

static int
month(const char **p, const char *end)
{
    int i;

    if (end - *p < 3) {
        return -1;
    }
    for (i = 0; i < 12; i++) {
        if (memcmp(*p, months + 3 * i, 3) == 0) {
            *p += 3;
            return i;
        }
    }
    return -1;
}

/* Fraction of a second after '.', any number of digits: milliseconds. */
static long
fraction(const char **p, const char *end, int *whole_s)
{
    long ms = 0;
    int  n = 0;

    *whole_s = 1;
    if (*p >= end || **p != '.') {
        return 0;
    }
    (*p)++;
    while (*p < end && **p >= '0' && **p <= '9') {
        if (n < 3) {
            ms = ms * 10 + (**p - '0');
        }
        n++;
        (*p)++;
    }
    if (n == 0) {
        return -1;
    }
    while (n < 3) {
        ms *= 10;
        n++;
    }
    *whole_s = 0;
    return ms;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), for UTC times. */
static long long
days_from_civil(long y, long m, long d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int
valid(long y, long mo, long d, long h, long mi, long s)
{
    return y >= 1970 && y <= 9999 && mo >= 0 && mo <= 11 && d >= 1
           && d <= 31 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0
           && s <= 60;
}

/* mo 0-11; local time, or UTC shifted by off_s when utc. */
static int
to_ms(long y, long mo, long d, long h, long mi, long s, long ms, int utc,
    long off_s, long long *out)
{
    struct tm tm;
    time_t    t;

    if (!valid(y, mo, d, h, mi, s)) {
        return -1;
    }
    if (utc) {
        *out = ((days_from_civil(y, mo + 1, d) * 86400 + h * 3600 + mi * 60
                 + s) - off_s) * 1000 + ms;
        return 0;
    }
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = (int) y - 1900;
    tm.tm_mon = (int) mo;
    tm.tm_mday = (int) d;
    tm.tm_hour = (int) h;
    tm.tm_min = (int) mi;
    tm.tm_sec = (int) s;
    tm.tm_isdst = -1;
    t = mktime(&tm);
    if (t == (time_t) -1) {
        return -1;
    }
    *out = (long long) t * 1000 + ms;
    return 0;
}

/* "Z", "+00:00", "+0000", or nothing (local time). */
static int
zone(const char **p, const char *end, int *utc, long *off_s)
{
    long hh, mm;
    int  sign;

    *utc = 0;
    *off_s = 0;
    if (*p < end && **p == 'Z') {
        (*p)++;
        *utc = 1;
        return 0;
    }
    if (*p >= end || (**p != '+' && **p != '-')) {
        return 0;
    }
    sign = **p == '-' ? -1 : 1;
    (*p)++;
    hh = digits(p, end, 2);
    if (hh < 0) {
        return -1;
    }
    if (*p < end && **p == ':') {
        (*p)++;
    }
    mm = digits(p, end, 2);
    if (mm < 0 || hh > 23 || mm > 59) {
        return -1;
    }
    *utc = 1;
    *off_s = sign * (hh * 3600 + mm * 60);
    return 0;
}

/* "2026-11-27 10:49:41.723" (Kea) or "2026-11-27T10:49:41.1+01:00". */
static int
iso(const char *p, const char *end, long long *out, int *whole_s,
    const char **after)
{
    long y, mo, d, h, mi, s, ms;
    long off;
    int  utc;

    y = field(&p, end, 4, '-');
    mo = y < 0 ? -1 : field(&p, end, 2, '-');
    d = mo < 0 ? -1 : digits(&p, end, 2);
    if (d < 0 || p >= end || (*p != ' ' && *p != 'T')) {
        return -1;
    }
    p++;
    if (clock_time(&p, end, &h, &mi, &s) != 0) {
        return -1;
    }
    ms = fraction(&p, end, whole_s);
    if (ms < 0 || zone(&p, end, &utc, &off) != 0) {
        return -1;
    }
    if (to_ms(y, mo - 1, d, h, mi, s, ms, utc, off, out) != 0) {
        return -1;
    }
    *after = p;
    return 0;
}

/* "Nov 27 10:49:41" (or "Nov  7"), local time, no year. */
static int
rfc3164(const char *p, const char *end, long long now_ms, long long *out,
    int *whole_s, const char **after)
{
    long      mo, d, h, mi, s, ms;
    long long t;
    time_t    now = (time_t) (now_ms / 1000);
    struct tm tm;

    mo = month(&p, end);
    if (mo < 0 || expect(&p, end, ' ') != 0) {
        return -1;
    }
    if (p < end && *p == ' ') {
        p++;
        d = digits(&p, end, 1);
    } else {
        d = digits(&p, end, 2);
    }
    if (d < 0 || expect(&p, end, ' ') != 0
        || clock_time(&p, end, &h, &mi, &s) != 0)
    {
        return -1;
    }
    ms = fraction(&p, end, whole_s);
    if (ms < 0 || localtime_r(&now, &tm) == NULL) {
        return -1;
    }
    /* this year, unless that is more than a day ahead of now */
    if (to_ms(tm.tm_year + 1900, mo, d, h, mi, s, ms, 0, 0, &t) != 0) {
        return -1;
    }
    if (t > now_ms + 86400000LL
        && to_ms(tm.tm_year + 1899, mo, d, h, mi, s, ms, 0, 0, &t) != 0)
    {
        return -1;
    }
    *out = t;
    *after = p;
    return 0;
}

/* nginx's $time_local: "27/Nov/2026:10:49:41 +0000". */
static int
time_local(const char *p, const char *end, long long *out, int *whole_s,
    const char **after)
{
    long d, mo, y, h, mi, s, off;
    int  utc;

    d = field(&p, end, 2, '/');
    mo = d < 0 ? -1 : month(&p, end);
    if (mo < 0 || expect(&p, end, '/') != 0) {
        return -1;
    }
    y = field(&p, end, 4, ':');
    if (y < 0 || clock_time(&p, end, &h, &mi, &s) != 0
        || expect(&p, end, ' ') != 0 || zone(&p, end, &utc, &off) != 0
        || !utc)
    {
        return -1;
    }
    *whole_s = 1;
    if (to_ms(y, mo, d, h, mi, s, 0, 1, off, out) != 0) {
        return -1;
    }
    *after = p;
    return 0;
}

/* nginx's $msec: "1795779588.981" (10 digits: 2001 to 2286). */
static int
msec(const char *p, const char *end, long long *out, int *whole_s,
    const char **after)
{
    long long s = 0;
    long      ms;
    int       n = 0;

    while (p < end && *p >= '0' && *p <= '9' && n < 11) {
        s = s * 10 + (*p - '0');
        p++;
        n++;
    }
    if (n != 10 || p >= end || *p != '.') {
        return -1;
    }
    ms = fraction(&p, end, whole_s);
    if (ms < 0 || (p < end && *p >= '0' && *p <= '9')) {
        return -1;
    }
    *out = s * 1000 + ms;
    *after = p;
    return 0;
}

int
blog_time_parse(const char *p, const char *end, long long now_ms,
    long long *ms, int *whole_s, const char **after)
{
    if (p >= end) {
        return -1;
    }
    if (iso(p, end, ms, whole_s, after) == 0
        || msec(p, end, ms, whole_s, after) == 0
        || time_local(p, end, ms, whole_s, after) == 0
        || rfc3164(p, end, now_ms, ms, whole_s, after) == 0)
    {
        return 0;
    }
    return -1;
}

void
blog_time_format(long long ms, int whole_s, int with_date, char *out,
    size_t size)
{
    time_t    t = (time_t) (ms / 1000);
    struct tm tm;
    char      base[32];

    if (localtime_r(&t, &tm) == NULL
        || strftime(base, sizeof(base), with_date ? "%Y-%m-%d %H:%M:%S"
                                                  : "%H:%M:%S", &tm) == 0)
    {
        snprintf(out, size, "?");
        return;
    }
    if (whole_s) {
        snprintf(out, size, "%s", base);
    } else {
        snprintf(out, size, "%s.%03lld", base, ms % 1000);
    }
}

void
blog_time_iso(long long ms, char *out, size_t size)
{
    time_t    t = (time_t) (ms / 1000);
    struct tm tm;
    char      base[32];

    if (gmtime_r(&t, &tm) == NULL
        || strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
    {
        snprintf(out, size, "?");
        return;
    }
    snprintf(out, size, "%s.%03lldZ", base, ms % 1000);
}

void
blog_human_bytes(long long bytes, char *out, size_t size)
{
    if (bytes < 0) {
        snprintf(out, size, "? bytes");
    } else if (bytes >= 1048576) {
        snprintf(out, size, "%.1f MB", (double) bytes / 1048576);
    } else if (bytes >= 1024) {
        snprintf(out, size, "%.1f kB", (double) bytes / 1024);
    } else {
        snprintf(out, size, "%lld B", bytes);
    }
}

void
blog_fmt(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void) vsnprintf(out, size, fmt, ap);
    va_end(ap);
}
