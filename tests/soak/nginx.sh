#!/bin/bash
# tests/soak/nginx.sh - nginx with ngx_http_alpxe_module for SOAK_SECONDS
# (default 300) under two wrk clients at once, while alpxe.conf changes
# every RELOAD_EVERY seconds (default 3): a good version (a, b in turn)
# loaded with `nginx -s reload`, then a broken one sent to the master as a
# HUP (nginx -s would refuse it before signalling).
#   good   iPXE-like: one request per connection, known and unknown MACs,
#          every spelling (path, %3A, ?mac=); each must be 200 with a script
#   bad    keep-alive, malformed: bad MACs, 4 KB and 12 KB URIs, %00, broken
#          escapes, bad methods, header garbage, '..' above the root,
#          paths that name no script; each must be 400, 404, 405 or 414
#          (not sent: a request line nginx cannot parse at all, which it
#          answers HTTP/0.9-style, a bare body wrk cannot read)
# Passes when every good request is 200 (no socket error either), no bad
# one gets anything else, no worker ever exits on a signal or with an
# error, the master stays up, every good reload brings new workers and
# every broken one is refused, and the master's RSS (it loads every
# alpxe.conf) grows less than 5% from the first minute to the last (first
# and last fifth under 5 minutes; not judged under 200 s, see lib.sh).
# The last line is the summary.

. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/lib.sh"

NGINX=${NGINX:-/usr/sbin/nginx}
MODULE=$T_BUILD/ngx_http_alpxe_module.so
DURATION=${SOAK_SECONDS:-300}
RELOAD_EVERY=${RELOAD_EVERY:-3}
HOSTS=${HOSTS:-2000}
GEN=$T_ROOT/tests/bench/gen-config

for tool in "$NGINX" wrk curl; do
    command -v "$tool" >/dev/null || { t_fail "prerequisite $tool" "missing"; t_done; exit; }
done

t_tmpdir >/dev/null
dir=$T_TMP
chmod 755 "$dir"
mkdir -p "$dir/tmp"
port=$(t_port)
U=http://127.0.0.1:$port
CONF=$dir/alpxe.conf

"$GEN" "$HOSTS" "http://10.0.0.28/pxe" >"$dir/a.conf"
"$GEN" "$HOSTS" "http://10.0.0.29/pxe" | sed 's/ quiet$/ quiet soak=b/' >"$dir/b.conf"
{ cat "$dir/a.conf"; printf '\n[host bad]\nmac = not-a-mac\n'; } >"$dir/bad-mac.conf"
{ cat "$dir/b.conf"; printf '\n[profile x\nkernel = k\n'; } >"$dir/bad-syntax.conf"
{ cat "$dir/a.conf"; printf '\n[server]\nno_such_key = 1\n'; } >"$dir/bad-key.conf"
cp "$dir/a.conf" "$CONF"

cat >"$dir/nginx.conf" <<CONF
load_module "$MODULE";
$(t_nginx_user "$dir")

daemon off;
worker_processes 2;
pid "$dir/nginx.pid";
error_log "$dir/error.log" notice;

events {
    worker_connections 1024;
}

http {
    access_log off;
$(t_nginx_temp_paths "$dir")

    alpxe_config "$CONF";
    alpxe_last_good "$dir/last-good.conf";

    server {
        listen 127.0.0.1:$port;
        location /pxe/ { alpxe; }
    }
}
CONF

env $(t_daemon_env) "$NGINX" -p "$dir/" -c "$dir/nginx.conf" 2>"$dir/stderr" &
pid=$!
t_track "$pid"
if ! t_wait_for 30 curl -s -o /dev/null "$U/"; then
    t_fail "nginx starts with the module" "$(cat "$dir/stderr" "$dir/error.log")"
    t_done
    exit
fi

# --- the two clients (wrk's Lua: per-thread status counts, summed in done)
cat >"$dir/common.lua" <<'LUA'
counts = {}
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
    local total = {}
    for _, t in ipairs(threads) do
        for k, v in pairs(t:get("counts")) do total[k] = (total[k] or 0) + v end
    end
    for k, v in pairs(total) do io.write(string.format("status %s %d\n", k, v)) end
    local e = summary.errors
    io.write(string.format("errors connect=%d read=%d write=%d timeout=%d\n",
        e.connect, e.read, e.write, e.timeout))
end
LUA

cat >"$dir/good.lua" <<LUA
dofile("$dir/common.lua")
local n = $HOSTS
local h = { ["Host"] = "soak", ["Connection"] = "close" }
local function mac(i, sep)
    return string.format("02%s00%s%02x%s%02x%s%02x%s%02x", sep, sep,
        math.floor(i / 16777216) % 256, sep, math.floor(i / 65536) % 256, sep,
        math.floor(i / 256) % 256, sep, i % 256)
end
request = function()
    local i = math.random(0, 2 * n - 1)     -- above n: unknown MACs
    local form = math.random(1, 4)
    local path
    if form == 1 then path = "/pxe/" .. mac(i, ":") .. "/gpxe-script"
    elseif form == 2 then path = "/pxe/" .. mac(i, "%3A") .. "/gpxe-script"
    elseif form == 3 then path = "/pxe/gpxe-script?mac=" .. mac(i, "%3a")
    else path = "/pxe/" .. mac(i, "-") .. "/gpxe-script" end
    return wrk.format("GET", path, h)
end
response = function(status, headers, body)
    local k = tostring(status)
    if status == 200 and string.sub(body, 1, 7) ~= "#!ipxe\n" then k = "200-not-a-script" end
    counts[k] = (counts[k] or 0) + 1
end
LUA

cat >"$dir/bad.lua" <<LUA
dofile("$dir/common.lua")
local long4 = string.rep("a", 4000)
local long12 = string.rep("b", 12000)
local reqs
-- wrk.format adds the Host header only once wrk knows the URL: in init
init = function(args) reqs = {
    wrk.format("GET", "/pxe/zz:54:00:12:34:56/gpxe-script"),
    wrk.format("GET", "/pxe/52:54:00:12:34/gpxe-script"),
    wrk.format("GET", "/pxe/gpxe-script?mac=nonsense"),
    wrk.format("GET", "/pxe/gpxe-script"),
    wrk.format("GET", "/pxe/" .. long4 .. "/gpxe-script"),
    wrk.format("GET", "/pxe/gpxe-script?mac=" .. long4),
    wrk.format("GET", "/pxe/" .. long12 .. "/gpxe-script"),
    wrk.format("GET", "/pxe/52%3A54%3A00%3A12%3A34%3A56%00/gpxe-script"),
    wrk.format("GET", "/pxe/gpxe-script?mac=52%3A54%3A00%3A12%3A34%3A56%00"),
    wrk.format("GET", "/pxe/gpxe-script?mac=52%:54:00:12:34:56"),
    wrk.format("GET", "/pxe/%zz/gpxe-script"),
    wrk.format("GET", "/pxe/02:00:00:00:00:01/other"),
    wrk.format("GET", "/pxe/02:00:00:00:00:01/gpxe-script/x"),
    wrk.format("POST", "/pxe/02:00:00:00:00:01/gpxe-script", nil, "x=1"),
    wrk.format("DELETE", "/pxe/02:00:00:00:00:01/gpxe-script"),
    wrk.format("FOO", "/pxe/02:00:00:00:00:01/gpxe-script"),
    "GET /pxe/02:00:00:00:00:01/gpxe-script HTTP/1.1\r\nHost: soak\r\nno colon here\r\n\r\n",
    "GET /pxe/../../etc/passwd HTTP/1.1\r\nHost: soak\r\n\r\n",
} end
request = function() return reqs[math.random(#reqs)] end
response = function(status, headers, body)
    local k = tostring(status)
    counts[k] = (counts[k] or 0) + 1
end
LUA

start=$SECONDS
deadline=$((start + DURATION))
wrk -t1 -c16 -d"${DURATION}s" --timeout 5s -s "$dir/good.lua" "$U" \
    >"$dir/good.out" 2>&1 &
good_pid=$!
wrk -t1 -c16 -d"${DURATION}s" --timeout 5s -s "$dir/bad.lua" "$U" \
    >"$dir/bad.out" 2>&1 &
bad_pid=$!

# workers: the master's children, one line
workers() {
    tr ' ' '\n' <"/proc/$pid/task/$pid/children" 2>/dev/null | grep . | sort | tr '\n' ' '
}

# --- reloads: good a/b with nginx -s reload (new workers must appear),
# broken ones as a HUP to the master (it must log the error, keep its
# workers and keep running)
(
    i=0
    broken=(bad-mac bad-syntax bad-key)
    while [ $((SECONDS + RELOAD_EVERY)) -lt "$deadline" ]; do
        sleep "$RELOAD_EVERY"
        before=$(workers)
        if [ $((i % 2)) -eq 0 ]; then
            v=b
            [ $((i % 4)) -eq 2 ] && v=a
            cp "$dir/$v.conf" "$CONF.new" && mv "$CONF.new" "$CONF"
            if env $(t_daemon_env) "$NGINX" -p "$dir/" -c "$dir/nginx.conf" \
                    -s reload 2>>"$dir/reload.err" &&
               t_wait_for 10 bash -c "[ \"\$(tr ' ' '\n' <'/proc/$pid/task/$pid/children' | grep . | sort | tr '\n' ' ')\" != '$before' ]"
            then
                echo "good $v taken" >>"$dir/reloads"
            else
                echo "good $v NOT taken" >>"$dir/reloads"
            fi
        else
            v=${broken[$(((i / 2) % 3))]}
            cp "$dir/$v.conf" "$CONF.new" && mv "$CONF.new" "$CONF"
            n=$(grep -c '\[emerg\]' "$dir/error.log")
            kill -HUP "$pid"
            if t_wait_for 10 bash -c "[ \$(grep -c '\[emerg\]' '$dir/error.log') -gt $n ]" &&
               sleep 0.2 && [ "$(workers)" = "$before" ]
            then
                echo "broken $v refused" >>"$dir/reloads"
            else
                echo "broken $v NOT refused" >>"$dir/reloads"
            fi
        fi
        i=$((i + 1))
    done
) &
reloader=$!

# --- RSS, sampled
soak_rss_sample "$pid" "$deadline" "$dir/rss" &
sampler=$!

wait "$good_pid" "$bad_pid" "$reloader" "$sampler"
elapsed=$((SECONDS - start))

# --- figures
count() {   # count FILE STATUS-REGEX
    awk -v re="^($2)\$" '$1 == "status" && $2 ~ re { n += $3 } END { print n + 0 }' "$1"
}
good_total=$(count "$dir/good.out" '.*')
good_200=$(count "$dir/good.out" '200')
good_errors=$(sed -n 's/^errors //p' "$dir/good.out")
bad_total=$(count "$dir/bad.out" '.*')
bad_other=$((bad_total - $(count "$dir/bad.out" '400|404|405|414')))
bad_mix=$(awk '$1 == "status" { printf "%s%s x%s", s, $2, $3; s = ", " }' "$dir/bad.out")
reloads=$(wc -l <"$dir/reloads")
taken=$(grep -c ' taken$' "$dir/reloads")
refused=$(grep -c ' refused$' "$dir/reloads")
exits=$(grep -c 'worker process [0-9]* exited' "$dir/error.log")
signal_exits=$(grep -c 'exited on signal' "$dir/error.log")
error_exits=$(grep -Ec 'exited with code [1-9]' "$dir/error.log")


# --- verdicts
if [ "$good_total" -gt 0 ] && [ "$good_200" -eq "$good_total" ]; then
    t_ok "every good request 200 with a script ($good_total)"
else
    t_fail "every good request 200 with a script" "$(cat "$dir/good.out")"
fi
t_eq "no socket error on a good request" \
    "connect=0 read=0 write=0 timeout=0" "$good_errors"
if [ "$bad_total" -gt 0 ] && [ "$bad_other" -eq 0 ]; then
    t_ok "every malformed request 400, 404, 405 or 414 ($bad_mix)"
else
    t_fail "every malformed request 400, 404, 405 or 414" "$(cat "$dir/bad.out")"
fi
t_eq "every good reload brings new workers" "$(grep -c '^good' "$dir/reloads")" "$taken"
t_eq "every broken reload refused, old workers kept" \
    "$(grep -c '^broken' "$dir/reloads")" "$refused"
[ "$taken" -ne "$(grep -c '^good' "$dir/reloads")" ] || [ "$refused" -ne "$(grep -c '^broken' "$dir/reloads")" ] &&
    grep 'NOT' "$dir/reloads" | head -3 | sed 's/^/#   /'
t_eq "no worker exits on a signal ($exits exits)" 0 "$signal_exits"
t_eq "no worker exits with an error" 0 "$error_exits"
[ "$signal_exits$error_exits" != 00 ] &&
    grep -E 'exited (on signal|with code [1-9])' "$dir/error.log" | head -3 | sed 's/^/#   /'
if kill -0 "$pid" 2>/dev/null; then
    t_ok "the master still runs after ${elapsed}s"
else
    t_fail "the master still runs after ${elapsed}s" "$(tail -5 "$dir/error.log")"
fi
t_nomatch "no alert or crit in the error log" '\[(alert|crit)\]' "$(cat "$dir/error.log")"
soak_rss_verdict "the master's" "$DURATION" "$dir/rss"

status=ok
[ "$T_FAILED" -ne 0 ] && status=FAILED
printf '# nginx soak: %ss, %s good requests (%s/s, %s 200), %s malformed (%s/s: %s), %s reloads (%s taken, %s broken refused), %s worker exits (%s on a signal), master RSS %s kB first %ss, %s kB last %ss (%s%%): %s\n' \
    "$elapsed" "$good_total" "$((good_total / elapsed))" "$good_200" \
    "$bad_total" "$((bad_total / elapsed))" "$bad_mix" "$reloads" "$taken" \
    "$refused" "$exits" "$signal_exits" "$RSS_FIRST" "$RSS_WINDOW" \
    "$RSS_LAST" "$RSS_WINDOW" "$RSS_GROWTH" "$status"
t_done
