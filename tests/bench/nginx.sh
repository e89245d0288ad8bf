#!/bin/bash
# tests/bench/nginx.sh - ngx_http_alpxe_module against its anchors.
#
# One private nginx, one run, three locations serving the same bytes:
#   module   /pxe/<mac>/gpxe-script from a 100k-host alpxe.conf
#   return   `return 200 "<the same script>"` for /ret/<mac>/gpxe-script:
#            the same request (a prefix location, a URI of the same
#            length), answered as cheaply as nginx can
#   static   a static file holding the same script
# wrk (-t2 -c50) measures each in rounds; the ratios are the medians of
# the ratios within each round.  Beside req/s, the workers' CPU time per
# request (from /proc) gives the cost of a request even when other work
# on the machine makes req/s swing.  A fourth line, the module with a random
# host per request (wrk Lua), is compared with `return` under the same Lua
# request generator, so that the lookup across 100k hosts is measured too.
# Then the same module and `return 200` with the access log on, in a
# log_format that writes alpxe's variables ($alpxe_mac, $alpxe_host,
# $alpxe_profile, $alpxe_result): what a per-request line costs where it
# belongs (buffered, as access logs are run).
#
# Goals: module >= 0.95 x return, module >= 1.2 x static, random host >=
# 0.97 x return (both through wrk's Lua).
# Environment: HOSTS (100000), SECONDS_PER_RUN (3), ROUNDS (5), WORKERS
# (auto, as in Debian's nginx.conf).

. "$(dirname "$0")/../lib.sh"

NGINX=${NGINX:-/usr/sbin/nginx}
MODULE=$T_BUILD/ngx_http_alpxe_module.so
HOSTS=${HOSTS:-100000}
DURATION=${SECONDS_PER_RUN:-3}
ROUNDS=${ROUNDS:-5}
MAC=02:00:00:00:00:00           # host h0 of gen-config

for tool in "$NGINX" wrk curl; do
    command -v "$tool" >/dev/null || { echo "missing: $tool"; exit 1; }
done
[ -f "$MODULE" ] || { echo "missing: $MODULE (run make)"; exit 1; }

t_tmpdir >/dev/null
dir=$T_TMP
chmod 755 "$dir"
mkdir -p "$dir/tmp" "$dir/www/static"
chmod 755 "$dir/www" "$dir/www/static"
port=$(t_port)
U=http://127.0.0.1:$port

"$T_ROOT/tests/bench/gen-config" "$HOSTS" "$U/pxe" >"$dir/alpxe.conf"

# the module's own bytes, through a first nginx run, become the anchors'
write_conf() {
    cat >"$dir/nginx.conf" <<EOF
load_module "$MODULE";
$(t_nginx_user "$dir")

daemon off;
worker_processes ${WORKERS:-auto};
pid "$dir/nginx.pid";
error_log "$dir/error.log" warn;

events {
    worker_connections 1024;
}

http {
    access_log off;
    log_format alpxe '\$remote_addr [\$time_local] "\$request" \$status '
                     '\$body_bytes_sent mac=\$alpxe_mac host=\$alpxe_host '
                     'profile=\$alpxe_profile result=\$alpxe_result';
$(t_nginx_temp_paths "$dir")
    default_type text/plain;
    types { }

    alpxe_config "$dir/alpxe.conf";
    alpxe_last_good "$dir/last-good.conf";

    server {
        listen 127.0.0.1:$port;

        location /pxe/ {
            alpxe;
        }

        location /ret/ {
            add_header Cache-Control no-store;
            return 200 "$1";
        }

        location /static/ {
            root "$dir/www";
            add_header Cache-Control no-store;
        }

        location /logged/ {
            alpxe;
            access_log $dir/access.log alpxe buffer=64k;
        }

        location /retlog/ {
            add_header Cache-Control no-store;
            access_log $dir/access.log alpxe buffer=64k;
            return 200 "$1";
        }
    }
}
EOF
}

start() {
    "$NGINX" -p "$dir/" -c "$dir/nginx.conf" 2>"$dir/stderr" &
    PID=$!
    t_track "$PID"
    if ! t_wait_for 60 curl -s -o /dev/null "$U/ret/$MAC/gpxe-script"; then
        echo "nginx did not start:"
        cat "$dir/stderr" "$dir/error.log"
        exit 1
    fi
}

start_s=$SECONDS
write_conf ""
start
echo "nginx up with $HOSTS hosts in $((SECONDS - start_s)) s (config load included)"
curl -s -o "$dir/www/static/gpxe-script" "$U/pxe/$MAC/gpxe-script"
chmod 644 "$dir/www/static/gpxe-script"
t_stop "$PID"

# nginx string: \ and " escaped; '$' cannot be, so the script must not have one
if grep -q '\$' "$dir/www/static/gpxe-script"; then
    echo "the script contains '\$': cannot build the return 200 anchor"
    exit 1
fi
body=$(sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' "$dir/www/static/gpxe-script"; echo x)
body=${body%x}
write_conf "$body"
start

for path in "pxe/$MAC/gpxe-script" "ret/$MAC/gpxe-script" static/gpxe-script \
    "logged/$MAC/gpxe-script" "retlog/$MAC/gpxe-script"; do
    curl -s -o "$dir/check" "$U/$path"
    if ! cmp -s "$dir/check" "$dir/www/static/gpxe-script"; then
        echo "/$path does not serve the same bytes"
        exit 1
    fi
done
bytes=$(wc -c <"$dir/check" | tr -d ' ')

# random hosts: every request a MAC from the config.  The anchor goes
# through the same Lua (a table of requests, a random index) so that wrk
# spends the same on both.
cat >"$dir/random.lua" <<EOF
local n = $HOSTS
local reqs = {}
init = function(args)
    math.randomseed(42)
    for i = 0, n - 1 do
        local prefix = args[1] == "module" and "/pxe/" or "/ret/"
        local p = string.format("%s02:00:%02x:%02x:%02x:%02x/gpxe-script",
            prefix, math.floor(i / 16777216) % 256,
            math.floor(i / 65536) % 256, math.floor(i / 256) % 256, i % 256)
        reqs[i + 1] = wrk.format("GET", p)
    end
end
request = function()
    return reqs[math.random(n)]
end
EOF

# worker_ticks: CPU time (user + system, clock ticks) of nginx's workers
worker_ticks() {
    local pid sum=0 stat
    for pid in $(cat "/proc/$PID/task/$PID/children"); do
        stat=$(cat "/proc/$pid/stat") || continue
        set -- ${stat##*) }
        sum=$((sum + ${12} + ${13}))
    done
    echo "$sum"
}

# run NAME ARGS...: one wrk run; its req/s is appended to $dir/NAME, the
# workers' CPU time per request (us) to $dir/NAME.cpu
run() {
    local name=$1 out rps n t0 t1
    shift
    : >"$dir/access.log"        # nginx appends: a file that does not grow
    t0=$(worker_ticks)
    out=$(wrk -t2 -c50 -d"${DURATION}s" "$@" 2>&1)
    t1=$(worker_ticks)
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
    n=$(printf '%s\n' "$out" | awk '/ requests in / { print $1 }')
    if [ -z "$rps" ] || [ -z "$n" ] || printf '%s\n' "$out" | grep -q 'Non-2xx'; then
        echo "wrk failed for $name:"
        printf '%s\n' "$out"
        exit 1
    fi
    echo "$rps" >>"$dir/$name"
    awk -v t="$((t1 - t0))" -v hz="$(getconf CLK_TCK)" -v n="$n" \
        'BEGIN { print t * 1e6 / hz / n }' >>"$dir/$name.cpu"
}

median() {
    sort -g | awk '{ v[NR] = $1 } END {
        print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Other work on the machine makes single runs swing; adjacent runs see the
# same load.  So every round measures all five, in alternating order, and
# the ratios are the medians of the per-round ratios.
echo "$bytes-byte body, wrk -t2 -c50, $ROUNDS rounds x 7 runs x ${DURATION} s"
for r in $(seq "$ROUNDS"); do
    order="module return static random return_lua module_log return_log"
    [ $((r % 2)) -eq 0 ] && order="return_log module_log return_lua random static return module"
    for what in $order; do
        case $what in
        module)     run module "$U/pxe/$MAC/gpxe-script" ;;
        return)     run return "$U/ret/$MAC/gpxe-script" ;;
        static)     run static "$U/static/gpxe-script" ;;
        random)     run random -s "$dir/random.lua" "$U" -- module ;;
        return_lua) run return_lua -s "$dir/random.lua" "$U" -- return ;;
        module_log) run module_log "$U/logged/$MAC/gpxe-script" ;;
        return_log) run return_log "$U/retlog/$MAC/gpxe-script" ;;
        esac
    done
done

# ratio A B: the median of A[i] / B[i]
ratio() {
    paste "$dir/$1" "$dir/$2" | awk '{ print $1 / $2 }' | median
}

rps() {
    printf '  %-32s %7.0f req/s %5.2f us CPU/req  (runs: %s)\n' "$1" \
        "$(median <"$dir/$2")" "$(median <"$dir/$2.cpu")" \
        "$(awk '{ printf "%s%.0fk", (NR > 1 ? " " : ""), $1 / 1000 }' "$dir/$2")"
}

rps "module (one host of $HOSTS)" module
rps "return 200, same bytes" return
rps "static file, same bytes" static
rps "module, random host (wrk Lua)" random
rps "return 200 (wrk Lua)" return_lua
rps "module, access log (variables)" module_log
rps "return 200, the same access log" return_log

r_ret=$(ratio module return)
r_st=$(ratio module static)
r_rnd=$(ratio random return_lua)
c_ret=$(ratio return.cpu module.cpu)
c_st=$(ratio static.cpu module.cpu)
c_rnd=$(ratio return_lua.cpu random.cpu)
echo "  ratios, medians of the rounds:   req/s    CPU/req (anchor's / module's)"
printf '  module / return 200           %6.3f   %6.3f   (goal >= 0.95)\n' \
    "$r_ret" "$c_ret"
printf '  module / static file          %6.3f   %6.3f   (goal >= 1.2)\n' \
    "$r_st" "$c_st"
printf '  random host / return (Lua)    %6.3f   %6.3f   (goal >= 0.97)\n' \
    "$r_rnd" "$c_rnd"
printf '  access log on: module / return %5.3f   %6.3f   (goal >= 0.95)\n' \
    "$(ratio module_log return_log)" "$(ratio return_log.cpu module_log.cpu)"
printf '  module, access log on / off   %6.3f   %6.3f   (what the line costs)\n' \
    "$(ratio module_log module)" "$(ratio module.cpu module_log.cpu)"
last=$(grep -a "GET /logged/" "$dir/access.log" | tail -1)
case $last in
*"mac=$MAC host=h0 profile="*" result=boot") echo "  access log line: $last" ;;
*) echo "the access log does not carry alpxe's variables: $last"; exit 1 ;;
esac
# verdict LABEL TO-RETURN TO-STATIC RANDOM-TO-RETURN
verdict() {
    if awk -v a="$2" -v b="$3" -v c="$4" \
        'BEGIN { exit !(a >= 0.95 && b >= 1.2 && c >= 0.97) }'
    then
        echo "  goal met in $1"
    else
        echo "  GOAL NOT MET in $1"
    fi
}
verdict "req/s" "$r_ret" "$r_st" "$r_rnd"
verdict "CPU/req" "$c_ret" "$c_st" "$c_rnd"
echo "  (load average $(cut -d' ' -f1-3 /proc/loadavg): with other work on the" \
    "machine, req/s follows the scheduler, CPU/req does not)"

if grep -Eq '\[(emerg|alert|crit|error)\]' "$dir/error.log"; then
    echo "errors in nginx's log:"
    cat "$dir/error.log"
    exit 1
fi

# ------------------------------------------------------ instructions
# The same nginx, one process (master_process off) under callgrind, its
# counters zeroed before and read after each workload: the instructions
# nginx runs per request, reading, parsing, answering and writing
# included (not the kernel's part).  A figure other work on the machine
# does not move.  IR_SECONDS=0 skips it.
IR_SECONDS=${IR_SECONDS:-6}
if [ "$IR_SECONDS" -gt 0 ] && command -v valgrind >/dev/null &&
   command -v callgrind_control >/dev/null; then
    t_stop "$PID"
    sed -e 's/^daemon off;/daemon off;\nmaster_process off;/' \
        -e 's/^worker_processes .*/worker_processes 1;/' \
        "$dir/nginx.conf" >"$dir/nginx-ir.conf"
    valgrind --tool=callgrind --callgrind-out-file="$dir/cg.%p" \
        "$NGINX" -p "$dir/" -c "$dir/nginx-ir.conf" 2>"$dir/valgrind.err" &
    VPID=$!
    t_track "$VPID"
    if ! t_wait_for 300 curl -s -o /dev/null "$U/ret/$MAC/gpxe-script"; then
        echo "nginx under callgrind did not start: $(tail -3 "$dir/valgrind.err")"
        exit 1
    fi
    # ir ARGS...: instructions per request of one wrk run
    ir() {
        local n total dumps
        callgrind_control -z "$VPID" >/dev/null
        n=$(wrk -t1 -c1 -d"${IR_SECONDS}s" "$@" 2>&1 |
            awk '/ requests in / { print $1 }')
        callgrind_control -d "$VPID" >/dev/null
        dumps=$(ls "$dir/cg.$VPID".* 2>/dev/null | wc -l)
        total=$(awk '/^totals:/ { print $2 }' "$dir/cg.$VPID.$dumps")
        awk -v t="$total" -v n="$n" 'BEGIN { printf "%.0f", t / n }'
    }
    i_ret=$(ir "$U/ret/$MAC/gpxe-script")
    i_mod=$(ir "$U/pxe/$MAC/gpxe-script")
    i_rlua=$(ir -s "$dir/random.lua" "$U" -- return)
    i_rnd=$(ir -s "$dir/random.lua" "$U" -- module)
    t_stop "$VPID"
    echo "  instructions per request (callgrind, nginx's user space):"
    printf '    return 200 %6d   module %6d (%.3f)   random host %6d (%.3f, return 200 through the Lua: %d)\n' \
        "$i_ret" "$i_mod" "$(awk -v a="$i_ret" -v b="$i_mod" 'BEGIN { print a / b }')" \
        "$i_rnd" "$(awk -v a="$i_rlua" -v b="$i_rnd" 'BEGIN { print a / b }')" "$i_rlua"
    echo "    (return 200 answers in the rewrite phase; a content handler runs"
    echo "    nginx's later phases too)"
fi
