#!/bin/bash
# tests/tftp/run.sh - alpxe-remap against Debian's real in.tftpd (5.2).
#
# Starts private in.tftpd instances (foreground, a random loopback UDP
# port, a private root, rules and pid file), fetches with the tftp-hpa
# client and compares the bytes served with the files in the root (the
# client exits 0 even on errors).  For every request name three answers
# must agree: the core's (alpxe_tftp_resolve, via build/tests/tftp-resolve),
# `alpxe-remap --test`, and what the daemon actually served.
# in.tftpd logs only to syslog, which these machines lack: nothing here
# reads its log.

. "$(dirname "$0")/../lib.sh"

REMAP=$T_BUILD/alpxe-remap
RESOLVE=$T_BUILD/tests/tftp-resolve
GENCONF=$T_ROOT/tests/bench/gen-config
TFTPD=${TFTPD:-/usr/sbin/in.tftpd}
IPXE=/usr/lib/ipxe

for f in "$REMAP" "$RESOLVE" "$TFTPD" /usr/bin/tftp \
         "$IPXE/undionly.kpxe" "$IPXE/snponly.efi" "$IPXE/ipxe.efi" \
         "$IPXE/ipxe.pxe"; do
    if [ ! -x "$f" ] && [ ! -f "$f" ]; then
        t_fail "prerequisite $f" "missing: run make (and make deps) first"
        t_done
        exit
    fi
done

t_tmpdir >/dev/null
tmp=$T_TMP
chmod 755 "$tmp"                # in.tftpd serves as nobody, chrooted
ROOT=$tmp/root                  # the TFTP root
SRC=$tmp/src                    # [tftp] source: a private loader shelf
mkdir -p "$ROOT" "$SRC"
chmod 755 "$ROOT"
cp "$IPXE/undionly.kpxe" "$IPXE/snponly.efi" "$IPXE/ipxe.efi" "$SRC/"
mkdir "$SRC/Boot"               # upper case, a directory and an ERE '+'
cp "$IPXE/ipxe.efi" "$SRC/Boot/iPXE+x.EFI"
cp "$IPXE/ipxe.pxe" "$SRC/extra.pxe"   # an alias target that is no loader
# snponly-arm64.efi is named by the config but deliberately not on the shelf

# ------------------------------------------------------------- helpers

# mk_conf FILE [TFTP-LINES...]: a config naming five loaders, two by hosts
mk_conf() {
    local file=$1 line
    shift
    {
        cat <<EOF
[server]
address = 127.0.0.1
http    = http://127.0.0.1/pxe
unknown = default
default = lts

[loader]
bios  = undionly.kpxe
efi64 = snponly.efi
arm64 = snponly-arm64.efi

[profile lts]
kernel  = boot/vmlinuz-lts
initrd  = boot/initramfs-lts
args    = quiet

[host special]
mac          = 52:54:00:12:34:56
profile      = lts
loader_efi64 = ipxe.efi

[host odd]
mac          = 52:54:00:12:34:57
profile      = lts
loader_efi32 = Boot/iPXE+x.EFI

[tftp]
root   = $ROOT
EOF
        for line in "$@"; do
            printf '%s\n' "$line"
        done
    } >"$file"
}

port_bound() {
    ss -H -lun "sport = :$1" 2>/dev/null | grep -q .
}

# start_tftpd VAR ROOT [RULES]: start in.tftpd, set VAR_port and VAR_pid.
# A port found free can be taken before in.tftpd binds it (other suites
# pick ports too), and a loaded machine can be slow: a daemon that died or
# is not listening in time is stopped and started again on a new port.
start_tftpd() {
    local var=$1 root=$2 rules=${3:-} port pid try
    for try in 1 2 3; do
        port=$(t_port udp)
        rm -f "$tmp/$var.pid"
        if [ -n "$rules" ]; then
            "$TFTPD" -L -u nobody -a "127.0.0.1:$port" -s "$root" \
                -m "$rules" -P "$tmp/$var.pid" &
        else
            "$TFTPD" -L -u nobody -a "127.0.0.1:$port" -s "$root" \
                -P "$tmp/$var.pid" &
        fi
        pid=$!
        t_track "$pid"
        if t_wait_for 10 port_bound "$port" && kill -0 "$pid" 2>/dev/null; then
            t_wait_for 5 test -s "$tmp/$var.pid"
            printf -v "${var}_port" '%s' "$port"
            printf -v "${var}_pid" '%s' "$pid"
            return 0
        fi
        t_stop "$pid"
    done
    t_fail "in.tftpd starts ($var)" "not listening on 127.0.0.1:$port after 3 tries"
    return 1
}

# fetch PORT NAME OUT: download; prints the client's messages
fetch() {
    rm -f "$3"
    timeout 30 tftp -m binary 127.0.0.1 "$1" -c get "$2" "$3" 2>&1
}

show() {
    printf '%q' "$1" | cut -c1-60
}

# check CONF PORT NAME EXPECT
#   EXPECT: the file in ROOT whose bytes the request must get, DENIED, or
#   MISSING (not found / not servable).
# Asserts that --test agrees with the core, and that in.tftpd served what
# --test says and what EXPECT says.
check() {
    local conf=$1 port=$2 name=$3 expect=$4 label
    local core crc mapped mrc terr msg ok detail
    label=$(show "$name")

    core=$("$RESOLVE" "$conf" "$name" 2>&1)
    crc=$?
    mapped=$("$REMAP" --test -c "$conf" -- "$name" 2>"$tmp/test.err")
    mrc=$?
    terr=$(cat "$tmp/test.err")
    msg=$(fetch "$port" "$name" "$tmp/got")

    if [ "$crc" = "$mrc" ] && [ "$core" = "$mapped" ]; then
        t_ok "rules agree with the core: $label"
    else
        t_fail "rules agree with the core: $label" \
            "core: exit $crc '$core'" "--test: exit $mrc '$mapped' $terr"
    fi

    ok=1
    detail="--test: exit $mrc '$mapped' $terr; client: $msg"
    # in.tftpd against --test
    if [ "$mrc" = 0 ] && [ -f "$ROOT/$mapped" ]; then
        cmp -s "$tmp/got" "$ROOT/$mapped" || ok=0
        case $msg in *Error*) ok=0 ;; esac
    elif [ "$mrc" = 0 ]; then
        case $msg in
            *"Error code 1: File not found"*) ;;
            *"File name too long"*) ;;
            *) ok=0 ;;
        esac
    else
        # the client shows the text of the deny rule ("Access denied")
        case $msg in
            *"Error code 2: ${terr##*: }"*) ;;
            *) ok=0 ;;
        esac
    fi
    # in.tftpd against the expectation
    case $expect in
        DENIED) [ "$mrc" = 1 ] || ok=0
                case $msg in *"Error code 2"*) ;; *) ok=0 ;; esac ;;
        MISSING) case $msg in *Error*) ;; *) ok=0 ;; esac
                [ -s "$tmp/got" ] && ok=0 ;;
        *)      cmp -s "$tmp/got" "$ROOT/$expect" || ok=0 ;;
    esac
    if [ $ok = 1 ]; then
        t_ok "in.tftpd serves $(show "$expect") for $label, as --test says"
    else
        t_fail "in.tftpd serves $(show "$expect") for $label, as --test says" \
            "$detail"
    fi
}

rule_count() {
    grep -cvE '^[[:space:]]*(#|$)' "$1"
}

# ------------------------------------------------- generating the rules

CONF=$tmp/alpxe.conf
RULES=$tmp/tftpd.remap
mk_conf "$CONF" "source = $SRC" \
    "alias  = pxelinux.0 bios" \
    "alias  = EFI/BOOT/BOOTX64.EFI efi64" \
    "alias  = legacy/ipxe.kpxe undionly.kpxe" \
    "alias  = chain.pxe extra.pxe"

out=$("$REMAP" -c "$CONF" -o "$RULES" 2>&1)
rc=$?
t_eq "alpxe-remap -o exits 0" "0" "$rc"
t_eq "the rules file is world-readable" "644" "$(stat -c %a "$RULES" 2>&1)"
t_eq "-o leaves no temp file beside it" "tftpd.remap" \
    "$(ls -A "$tmp" | grep -E 'remap' | tr '\n' ' ' | sed 's/ $//')"
t_eq "without -o the same rules go to stdout" "$(cat "$RULES")" \
    "$("$REMAP" -c "$CONF")"

ino1=$(stat -c %i "$RULES")
"$REMAP" -c "$CONF" -o "$RULES"
ino2=$(stat -c %i "$RULES")
if [ "$ino1" != "$ino2" ]; then
    t_ok "-o replaces the file by rename (new inode)"
else
    t_fail "-o replaces the file by rename (new inode)" "inode $ino1 kept"
fi

cp "$RULES" "$tmp/rules.before"
mk_conf "$tmp/bad.conf" "alias = bad#name bios"
"$REMAP" -c "$tmp/bad.conf" -o "$RULES" >/dev/null 2>"$tmp/err"
rc=$?
if [ "$rc" = 1 ] && cmp -s "$RULES" "$tmp/rules.before"; then
    t_ok "a bad configuration exits 1 and leaves the old rules in place"
else
    t_fail "a bad configuration exits 1 and leaves the old rules in place" \
        "exit $rc" "$(cat "$tmp/err")"
fi

"$GENCONF" 1 >"$tmp/hosts1.conf"
"$GENCONF" 3000 >"$tmp/hosts3000.conf"
"$REMAP" -c "$tmp/hosts1.conf" -o "$tmp/hosts1.remap"
"$REMAP" -c "$tmp/hosts3000.conf" -o "$tmp/hosts3000.remap"
n1=$(rule_count "$tmp/hosts1.remap")
n3000=$(rule_count "$tmp/hosts3000.remap")
if [ "$n1" = "$n3000" ] && [ "$n1" -gt 0 ] && [ "$n1" -lt 20 ]; then
    t_ok "rule count does not grow with hosts ($n1 rules for 1 and 3000)"
else
    t_fail "rule count does not grow with hosts" "1 host: $n1, 3000: $n3000"
fi

"$REMAP" --test -c "$CONF" >/dev/null 2>&1
rc1=$?
"$REMAP" -c "$CONF" --ip 10.0.0.1 >/dev/null 2>&1
rc2=$?
"$REMAP" --bogus >/dev/null 2>&1
rc3=$?
t_eq "usage errors exit 2 (--test without NAME, --ip without --test, bad option)" \
    "2 2 2" "$rc1 $rc2 $rc3"

# --------------------------------------------------- installing loaders

out=$("$REMAP" -c "$CONF" --install-loaders "$ROOT" 2>"$tmp/err")
rc=$?
err=$(cat "$tmp/err")
t_eq "--install-loaders exits 1 when a loader is missing" "1" "$rc"
t_match "the missing loader is reported" "missing loader snponly-arm64.efi" \
    "$err"
for l in undionly.kpxe snponly.efi ipxe.efi Boot/iPXE+x.EFI extra.pxe; do
    if cmp -s "$SRC/$l" "$ROOT/$l" \
       && [ "$(stat -c %a "$ROOT/$l")" = 644 ]; then
        t_ok "$l installed, identical, mode 644"
    else
        t_fail "$l installed, identical, mode 644" \
            "$(ls -l "$ROOT/$l" 2>&1)"
    fi
done
t_match "each installed loader is named on stdout" \
    "installed undionly.kpxe.*installed snponly.efi.*installed ipxe.efi" \
    "$(echo $out)"

ino1=$(stat -c %i "$ROOT/undionly.kpxe")
out=$("$REMAP" -c "$CONF" --install-loaders "$ROOT" 2>/dev/null)
t_eq "a second run leaves identical loaders alone" \
    "$ino1/" "$(stat -c %i "$ROOT/undionly.kpxe")/$out"
t_eq "no temp files are left in the root" ".alpxe-loaders" \
    "$(ls -A "$ROOT" | grep '^\.' | tr '\n' ' ' | sed 's/ $//')"
# The manifest is alpxe-remap's, not the clients': in.tftpd serves only
# world-readable files, and the rules deny it by name besides.
t_eq "the manifest is readable by root only" "600" \
    "$(stat -c %a "$ROOT/.alpxe-loaders")"

mkdir -p "$ROOT/sub/Dir" "$ROOT/L"
printf 'not a loader\n' >"$ROOT/sub/Dir/File.txt"
chmod -R a+rX "$ROOT/sub"

# the default source is Debian's ipxe package
mk_conf "$tmp/default-src.conf"
mkdir -m 755 "$tmp/root2"
sed -i "s|^root .*|root = $tmp/root2|" "$tmp/default-src.conf"
"$REMAP" -c "$tmp/default-src.conf" --install-loaders "$tmp/root2" \
    >/dev/null 2>&1
if cmp -s "$IPXE/undionly.kpxe" "$tmp/root2/undionly.kpxe" \
   && cmp -s "$IPXE/snponly.efi" "$tmp/root2/snponly.efi"; then
    t_ok "without [tftp] source, loaders come from $IPXE"
else
    t_fail "without [tftp] source, loaders come from $IPXE" \
        "$(ls -l "$tmp/root2")"
fi

# a loader dropped from the config is removed; other files stay
mk_conf "$tmp/fewer.conf" "source = $SRC"
sed -i '/^arm64 /d; /^loader_efi64 /d' "$tmp/fewer.conf"
cp -a "$ROOT" "$tmp/root3"
out=$("$REMAP" -c "$tmp/fewer.conf" --install-loaders "$tmp/root3" 2>&1)
rc=$?
if [ "$rc" = 0 ] && [ ! -e "$tmp/root3/ipxe.efi" ] \
   && [ -f "$tmp/root3/undionly.kpxe" ] \
   && [ -f "$tmp/root3/sub/Dir/File.txt" ]; then
    t_ok "a loader no longer named is removed, other files stay"
else
    t_fail "a loader no longer named is removed, other files stay" \
        "exit $rc: $out" "$(ls -R "$tmp/root3")"
fi
t_match "the removal is reported" "removed ipxe.efi" "$out"

# ---------------------------------------- the real daemon: every spelling

start_tftpd main "$ROOT" "$RULES" || { t_done; exit; }

# Without alpxe's rules (an in.tftpd another tool configured) the
# manifest's mode alone keeps it from clients.
if start_tftpd norules "$ROOT"; then
    msg=$(fetch "$norules_port" .alpxe-loaders "$tmp/got")
    if [ ! -s "$tmp/got" ] && printf '%s' "$msg" | grep -q "Error"; then
        t_ok "in.tftpd without the rules refuses the manifest too"
    else
        t_fail "in.tftpd without the rules refuses the manifest too" "$msg"
    fi
    t_stop "$norules_pid"
fi

# a 500-byte request for a file that exists: 4 directories of 99
# characters and a 99-character file name, asked with '\' and a leading '/'
d=$(printf 'd%.0s' $(seq 99))
f=$(printf 'f%.0s' $(seq 95)).efi
mkdir -p "$ROOT/$d/$d/$d/$d"
printf 'long name\n' >"$ROOT/$d/$d/$d/$d/$f"
chmod -R a+rX "$ROOT/$d"
LONG="/$d\\$d\\$d\\$d\\$f"
LONG_MISSING="/$d\\$d\\$d\\$d\\x$(printf 'g%.0s' $(seq 98))"

while IFS='|' read -r name expect; do
    [ -z "$name" ] && continue
    check "$CONF" "$main_port" "$name" "$expect"
done <<EOF
undionly.kpxe|undionly.kpxe
snponly.efi|snponly.efi
ipxe.efi|ipxe.efi
Boot/iPXE+x.EFI|Boot/iPXE+x.EFI
\\boot\\ipxe+X.efi|Boot/iPXE+x.EFI
Boot/iPXEEx.EFI|MISSING
undionlyXkpxe|MISSING
/undionly.kpxe|undionly.kpxe
//snponly.efi|snponly.efi
\\undionly.kpxe|undionly.kpxe
\\\\ipxe.efi|ipxe.efi
UNDIONLY.KPXE|undionly.kpxe
/SnpOnly.EFI|snponly.efi
\\IPXE.EFI|ipxe.efi
gpxe.kpxe|undionly.kpxe
GPXE.KPXE|undionly.kpxe
\\gpxe.kpxe|undionly.kpxe
pxelinux.0|undionly.kpxe
PXELINUX.0|undionly.kpxe
EFI/BOOT/BOOTX64.EFI|snponly.efi
\\efi\\boot\\bootx64.efi|snponly.efi
/legacy/IPXE.KPXE|undionly.kpxe
legacy\\ipxe.kpxe|undionly.kpxe
/CHAIN.PXE|extra.pxe
./undionly.kpxe|undionly.kpxe
sub\\Dir\\File.txt|sub/Dir/File.txt
/sub/Dir/File.txt|sub/Dir/File.txt
SUB/DIR/FILE.TXT|MISSING
../undionly.kpxe|DENIED
..\\..\\etc\\passwd|DENIED
sub/../undionly.kpxe|DENIED
sub\\..\\..\\undionly.kpxe|DENIED
/..|DENIED
..|DENIED
.alpxe-loaders|DENIED
/.alpxe-loaders|DENIED
\\.alpxe-loaders|DENIED
sub/.alpxe-loaders|DENIED
/etc/passwd|MISSING
\\etc\\passwd|MISSING
...undionly.kpxe|MISSING
..undionly.kpxe|MISSING
nothere.efi|MISSING
snponly-arm64.efi|MISSING
$LONG|$d/$d/$d/$d/$f
$LONG_MISSING|MISSING
EOF
check "$CONF" "$main_port" $'undionly.kpxe\t' DENIED
check "$CONF" "$main_port" $'\x7fundionly.kpxe' DENIED
check "$CONF" "$main_port" $'\xe9t\xe9.EFI' MISSING
t_eq "the 500-byte request names are 500 bytes" "500 500" \
    "${#LONG} ${#LONG_MISSING}"

# ------------------------------------------------- reload after a change

CONF2=$tmp/alpxe2.conf
mk_conf "$CONF2" "source = $SRC" "case = sensitive" \
    "alias = NEWNAME.KPXE efi64"
msg=$(fetch "$main_port" NEWNAME.KPXE "$tmp/got")
case $msg in
    *"File not found"*) t_ok "before the reload NEWNAME.KPXE is unknown" ;;
    *) t_fail "before the reload NEWNAME.KPXE is unknown" "$msg" ;;
esac

out=$("$REMAP" -c "$CONF2" -o "$RULES" --reload "$tmp/main.pid" 2>&1)
t_eq "-o with --reload exits 0" "0:" "$?:$out"
while IFS='|' read -r name expect; do
    check "$CONF2" "$main_port" "$name" "$expect"
done <<EOF
NEWNAME.KPXE|snponly.efi
newname.kpxe|MISSING
UNDIONLY.KPXE|MISSING
/undionly.kpxe|undionly.kpxe
gpxe.kpxe|undionly.kpxe
GPXE.KPXE|MISSING
\\ipxe.efi|ipxe.efi
../ipxe.efi|DENIED
EOF

# the same with the documented kill -HUP
"$REMAP" -c "$CONF" -o "$RULES"
kill -HUP "$main_pid"
sleep 0.2
check "$CONF" "$main_port" UNDIONLY.KPXE undionly.kpxe

# a rules file in.tftpd would not load is not signalled
cp "$RULES" "$tmp/rules.good"
printf 'rq ^x$ y\n' >>"$RULES"
out=$("$REMAP" --reload "$tmp/main.pid" 2>&1)
rc=$?
if [ "$rc" = 1 ] && kill -0 "$main_pid" 2>/dev/null; then
    t_ok "--reload refuses a bad rules file and the daemon lives on"
else
    t_fail "--reload refuses a bad rules file and the daemon lives on" \
        "exit $rc: $out"
fi
t_match "the refusal names the bad line" "would exit.*line [0-9]+" "$out"
cp "$tmp/rules.good" "$RULES"
msg=$(fetch "$main_port" /UNDIONLY.KPXE "$tmp/got")
if cmp -s "$tmp/got" "$ROOT/undionly.kpxe"; then
    t_ok "the daemon still serves after the refused reload"
else
    t_fail "the daemon still serves after the refused reload" "$msg"
fi

sleep 30 &
sleeper=$!
t_track "$sleeper"
echo "$sleeper" >"$tmp/other.pid"
out=$("$REMAP" --reload "$tmp/other.pid" 2>&1)
rc=$?
if [ "$rc" = 1 ] && kill -0 "$sleeper" 2>/dev/null; then
    t_ok "--reload refuses a pid that is not in.tftpd"
else
    t_fail "--reload refuses a pid that is not in.tftpd" "exit $rc: $out"
fi
t_stop "$sleeper"

# ------------------------------- the engine against in.tftpd's semantics

# Hand-written rules using every feature; the root holds one file per
# possible outcome, containing its own name.
CROOT=$tmp/croot
CRULES=$tmp/custom.remap
mkdir -m 755 "$CROOT"
for f in one two q yyayy ABC abc-AbC ip-127.0.0.1 hex-7F000001 case \
         keptme get put limit-ok start; do
    printf '%s\n' "$f" >"$CROOT/$f"
done
chmod 644 "$CROOT"/*
cat >"$CRULES" <<'EOF'
# every flag and substitution of tftpd-hpa 5.2
r    ^q$          one         # skipped: 's' resumes at the second rule
r    ^q$          two
r    ^start$      q
s    ^q$
rg   z            y
r    ^up-(.*)$    \U\1
r    ^low-(.*)$   \L\1\E-\1
r    ^ip$         ip-\i
r    ^hex$        hex-\x
a    ^secret      go\ away
a    ^deny
ie   ^CASE$
r    ^case$       notreached
rG   ^put$        get
rP   ^get$        put
e~   ^keep
r    ^keep        kept
EOF
start_tftpd custom "$CROOT" "$CRULES" || { t_done; exit; }

# check_engine RULES NAME: --test -m agrees with the daemon
check_engine() {
    local rules=$1 name=$2 mapped mrc msg ok=1 terr
    mapped=$("$REMAP" --test -m "$rules" --ip 127.0.0.1 -- "$name" \
        2>"$tmp/test.err")
    mrc=$?
    terr=$(cat "$tmp/test.err")
    msg=$(fetch "$custom_port" "$name" "$tmp/got")
    if [ "$mrc" = 0 ] && [ -f "$CROOT/$mapped" ]; then
        [ "$(cat "$tmp/got")" = "$mapped" ] || ok=0
    elif [ "$mrc" = 0 ]; then
        case $msg in *"File not found"*) ;; *) ok=0 ;; esac
    else
        case $msg in *"Error code 2: ${terr##*: }"*) ;; *) ok=0 ;; esac
    fi
    if [ $ok = 1 ]; then
        t_ok "engine = in.tftpd: $(show "$name") -> ${mapped:-${terr##*: }}"
    else
        t_fail "engine = in.tftpd: $(show "$name")" \
            "--test: exit $mrc '$mapped' $terr" "client: $msg" \
            "served: $(cat "$tmp/got" 2>/dev/null)"
    fi
}

for name in start q zzazz up-abc low-AbC ip hex secret1 deny CASE case \
            keepme put get other; do
    check_engine "$CRULES" "$name"
done
t_eq "--test follows the restart quirk (start -> two)" "two" \
    "$("$REMAP" --test -m "$CRULES" start 2>&1)"

# the 1024-visit limit: 1023 misses + a hit works, 1024 misses + a hit fails
for misses in 1023 1024; do
    {
        for i in $(seq "$misses"); do echo 'r ^nomatch$ x'; done
        echo 'r ^limit$ limit-ok'
    } >"$CRULES.new"
    mv "$CRULES.new" "$CRULES"
    "$REMAP" --reload "$tmp/custom.pid" || t_fail "reload custom daemon"
    sleep 0.2
    check_engine "$CRULES" limit
done
t_match "--test reports the table failure" "Remap table failure" \
    "$("$REMAP" --test -m "$CRULES" limit 2>&1)"

# A 'g' rule whose replacement holds what it matches grows the name for
# ever (in.tftpd would too): reported at once, not after minutes of
# rescanning a growing name (fuzz_remap found it).
printf 'gr i xix\n' >"$tmp/growing.remap"
start=$(date +%s%N)
out=$(timeout 10 "$REMAP" --test -m "$tmp/growing.remap" index 2>&1)
ms=$((($(date +%s%N) - start) / 1000000))
t_match "--test: a growing 'g' rule is refused" "never stops matching" "$out"
if [ "$ms" -lt 2000 ]; then
    t_ok "--test: ... within 2 s (${ms} ms)"
else
    t_fail "--test: ... within 2 s" "took ${ms} ms"
fi

# A rule that doubles the name and restarts there (no 'g': 's' goes back
# to the second rule, itself) reaches a gigabyte in 30 visits: refused at
# 4096 bytes (fuzz_remap found it).
printf 'r ^$ x\nrs ^(.*)$ \\0\\0\n' >"$tmp/doubling.remap"
start=$(date +%s%N)
out=$(timeout 10 "$REMAP" --test -m "$tmp/doubling.remap" index 2>&1)
ms=$((($(date +%s%N) - start) / 1000000))
t_match "--test: rules that double the name are refused" \
    "grow the name past 4096 bytes" "$out"
if [ "$ms" -lt 2000 ]; then
    t_ok "--test: ... within 2 s (${ms} ms)"
else
    t_fail "--test: ... within 2 s" "took ${ms} ms"
fi

# Files in.tftpd refuses to start with are refused by the engine too.
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%b\n' "$line" >"$tmp/bad$i.remap"
    port=$(t_port udp)
    timeout 3 "$TFTPD" -L -u nobody -a "127.0.0.1:$port" -s "$CROOT" \
        -m "$tmp/bad$i.remap"
    drc=$?
    "$REMAP" --test -m "$tmp/bad$i.remap" x >/dev/null 2>"$tmp/err"
    mrc=$?
    if [ "$drc" = 78 ] && [ "$mrc" = 1 ]; then
        t_ok "bad rule refused by both: $line"
    else
        t_fail "bad rule refused by both: $line" \
            "in.tftpd exit $drc, --test exit $mrc" "$(cat "$tmp/err")"
    fi
done <<'EOF'
rq ^x$ y
r~ ^x$ y
r (unclosed
r
e ^ok$\nr a{2,1} b
EOF

t_done
