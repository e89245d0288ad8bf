# tests/lib.sh - shared helpers for the shell test suites.
#
# Every suite prints TAP lines ("ok N - name", "not ok N - name") that
# tests/run counts.  Daemons are started by the suites themselves with
# private configs, pid files and ports, and stopped by pid (never by name).

set -u

T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_BUILD=${T_BUILD:-$T_ROOT/build}
T_N=0
T_FAILED=0
T_PIDS=()

t_ok() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1"
}

# t_fail NAME [DETAIL...]: the detail goes to the log, prefixed with '#'.
t_fail() {
    T_N=$((T_N + 1))
    T_FAILED=$((T_FAILED + 1))
    echo "not ok $T_N - $1"
    shift
    local line
    for line in "$@"; do
        printf '%s\n' "$line" | sed 's/^/#   /'
    done
}

# t_skip NAME REASON: never counted as a pass.
t_skip() {
    T_N=$((T_N + 1))
    echo "ok $T_N - $1 # SKIP $2"
}

# t_eq NAME EXPECTED ACTUAL
t_eq() {
    if [ "$2" = "$3" ]; then
        t_ok "$1"
    else
        t_fail "$1" "expected: $2" "actual:   $3"
    fi
}

# t_match NAME EXTENDED-REGEX TEXT
t_match() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then
        t_ok "$1"
    else
        t_fail "$1" "no match for /$2/ in:" "$3"
    fi
}

# t_nomatch NAME EXTENDED-REGEX TEXT
t_nomatch() {
    if printf '%s' "$3" | grep -Eq -- "$2"; then
        t_fail "$1" "unexpected match for /$2/ in:" "$3"
    else
        t_ok "$1"
    fi
}

# t_private_dir DIR NAME: make and print a new directory DIR/NAME.XXXXXX,
# or ${TMPDIR:-/tmp}/alpxe-NAME.XXXXXX when DIR's path has a space: Kea
# cannot keep its leases there (it parses the lease-database name as
# space-separated name=value pairs), and the checkout may be anywhere.
t_private_dir() {
    case $1 in
    *[[:space:]]*) mktemp -d "${TMPDIR:-/tmp}/alpxe-$2.XXXXXX" ;;
    *) mkdir -p "$1" && mktemp -d "$1/$2.XXXXXX" ;;
    esac
}

# The suite's private directory, made here rather than in t_tmpdir so that
# `tmp=$(t_tmpdir)` (a subshell) still leaves t_cleanup something to remove.
T_SUITE=$(basename "$0" .sh)
[ "$T_SUITE" = run ] && T_SUITE=$(basename "$(dirname "$0")")
T_TMP=$(t_private_dir "$T_BUILD/tests/tmp" "$T_SUITE")

# t_tmpdir: print the suite's private directory, removed when it exits
# (kept with T_KEEP=1).
t_tmpdir() {
    echo "$T_TMP"
}

# t_port [udp|tcp]: a free port on 127.0.0.1, chosen at random.
t_port() {
    local proto=${1:-tcp} port flag=-ltn
    [ "$proto" = udp ] && flag=-lun
    while :; do
        port=$((20000 + RANDOM % 40000))
        if ! ss -H $flag "sport = :$port" 2>/dev/null | grep -q .; then
            echo "$port"
            return
        fi
    done
}

# t_track PID: remember a daemon we started so t_cleanup stops it.
t_track() {
    T_PIDS+=("$1")
}

# t_stop PID: TERM, wait up to 5 s, then KILL.  Only pids we started.
t_stop() {
    local pid=$1 i
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
}

# t_stop_pidfile FILE
t_stop_pidfile() {
    [ -s "$1" ] && t_stop "$(cat "$1")"
    return 0
}

# t_daemon_env: `env` arguments for a server that loads one of our plugins
# (kea-dhcp4, nginx, also for nginx -t / -s):  env $(t_daemon_env) CMD...
# (env execs CMD, so $! is still the daemon's pid).  Nothing normally.
# Under SANITIZE=1 the plugins are built with ASan: the daemons are not, so
# the ASan runtime must be preloaded (it must come first); leak checking is
# off in them, because it runs at the daemon's exit and would report Kea's
# and nginx's own memory (nginx never frees its cycle), not ours.  Our
# leaks are caught where we own the process: unit tests, the CLI, the
# fuzzers (load and free every input), and make soak's RSS figures.
# kea-dhcp4 with the runtime preloaded hangs in exit (a p11-kit destructor
# waits on glibc's locale lock), hook or no hook: t_stop's KILL ends it.
t_daemon_env() {
    [ -n "${T_ASAN_RUNTIME:-}" ] || return 0
    echo "LD_PRELOAD=$T_ASAN_RUNTIME" \
        "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
}

# t_nginx_temp_paths DIR: the http{} lines that keep a private nginx's
# temporary files in DIR/tmp (which the caller makes): Debian's nginx
# otherwise uses /var/lib/nginx, which belongs to the system's nginx.
t_nginx_temp_paths() {
    local t
    for t in client_body proxy fastcgi uwsgi scgi; do
        printf '    %s_temp_path "%s/tmp/%s";\n' "$t" "$1" "${t#client_}"
    done
}

# t_nginx_user DIR: the main-context line for a private nginx.conf whose
# workers read files in DIR.  Started by root, nginx runs its workers as
# nobody, which cannot reach DIR when the checkout is under a 0700 home
# (/root/alpxe): then they run as root.  Nothing otherwise, nor when not
# root (the workers are then the caller).
t_nginx_user() {
    [ "$(id -u)" -eq 0 ] || return 0
    setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$1" 2>/dev/null &&
        return 0
    echo "user root;  # nobody cannot reach $1"
}

# t_wait_for SECONDS COMMAND...: poll until the command succeeds.
t_wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    while ! "$@" >/dev/null 2>&1; do
        [ $SECONDS -ge $deadline ] && return 1
        sleep 0.1
    done
}

t_cleanup() {
    local pid
    for pid in "${T_PIDS[@]+"${T_PIDS[@]}"}"; do
        t_stop "$pid"
    done
    if [ -n "${T_TMP:-}" ] && [ -z "${T_KEEP:-}" ]; then
        rm -rf "$T_TMP"
    fi
}
trap t_cleanup EXIT

# t_done: the suite's exit status.
t_done() {
    echo "1..$T_N"
    [ "$T_FAILED" -eq 0 ]
}
