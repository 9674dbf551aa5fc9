#!/usr/bin/env bash
# rootfs.sh — assemble the minimal runtime file set of the alb-webhook image and prove
# that the binary runs from it with nothing else.
#
#   deploy/image/rootfs.sh [--force] BINARY OUTDIR
#
# OUTDIR receives:
#   /alb-webhook                    the binary
#   the dynamic loader (PT_INTERP) and exactly the shared libraries `ldd BINARY` resolves,
#   each at the path ldd reports
#   /etc/passwd, /etc/group         root and nonroot (65532)
#   /tmp                            mode 1777 (the Deployment mounts an emptyDir over it)
# and nothing else: no shell, no package manager, no CA certificates (the server makes no
# outgoing TLS connections).
#
# Then it checks that
#   1. every library the loader resolves for the binary, searching only OUTDIR, lies inside
#      OUTDIR and the set equals the one copied ("ldd against the list");
#   2. the binary runs in OUTDIR alone: `chroot OUTDIR /alb-webhook version` when we may
#      chroot (root or an unprivileged user namespace), else via OUTDIR's own loader with
#      --library-path set to OUTDIR's library directories.
# The same script builds the image's root file system in deploy/image/Dockerfile.
set -euo pipefail

PROG=$(basename "$0")
die() { echo "$PROG: error: $*" >&2; exit 1; }
log() { echo "$PROG: $*"; }

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

FORCE=0
ARGS=()
while [[ $# -gt 0 ]]; do
  case $1 in
    -h|--help) usage; exit 0 ;;
    --force) FORCE=1; shift ;;
    --) shift; ARGS+=("$@"); break ;;
    -*) die "unknown option '$1' (see --help)" ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
[[ ${#ARGS[@]} -eq 2 ]] || { usage >&2; exit 2; }
BINARY=${ARGS[0]} OUT=${ARGS[1]}

[[ -f $BINARY && -x $BINARY ]] || die "binary '$BINARY' does not exist or is not executable (build it first)"
command -v ldd >/dev/null || die "ldd not found (Debian package libc-bin)"
command -v readelf >/dev/null || die "readelf not found (Debian package binutils)"

# --- output directory -------------------------------------------------------------------------------
OUT=${OUT%/}
[[ -n $OUT && $OUT != / ]] || die "refusing to use '/' as OUTDIR"
if [[ -e $OUT && ! -d $OUT ]]; then die "'$OUT' exists and is not a directory"; fi
if [[ -d $OUT && -n "$(ls -A "$OUT")" ]]; then
  [[ $FORCE == 1 ]] || die "'$OUT' is not empty; pass --force to replace its contents"
  rm -rf "${OUT:?}"/* "${OUT:?}"/.[!.]* 2>/dev/null || true
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- what the binary needs ----------------------------------------------------------------------------
interp=$(readelf -l "$BINARY" | sed -n 's/.*\[Requesting program interpreter: \(.*\)\]/\1/p')
[[ -n $interp ]] || die "'$BINARY' has no program interpreter (static binary?); nothing to collect"

ldd_out=$(ldd "$BINARY" 2>&1) || die "ldd '$BINARY' failed: $ldd_out"
if grep -q 'not found' <<<"$ldd_out"; then
  die "unresolved libraries:"$'\n'"$(grep 'not found' <<<"$ldd_out")"
fi
# Lines: "libfoo.so.1 => /lib/x86_64-linux-gnu/libfoo.so.1 (0x...)", "/lib64/ld-linux-x86-64.so.2 (0x...)",
# "linux-vdso.so.1 (0x...)" (in the kernel, no file).
mapfile -t libs < <(
  awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$ldd_out" | sort -u
)
grep -qxF "$interp" < <(printf '%s\n' "${libs[@]}") || libs+=("$interp")

# --- copy -----------------------------------------------------------------------------------------------
install -m 0755 "$BINARY" "$OUT/alb-webhook"
for lib in "${libs[@]}"; do
  mkdir -p "$OUT$(dirname "$lib")"
  cp -L "$lib" "$OUT$lib"   # the file itself, under the name the loader looks for
  chmod 0755 "$OUT$lib"
done
mkdir -p "$OUT/etc" "$OUT/tmp"
chmod 1777 "$OUT/tmp"
cat >"$OUT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
EOF
cat >"$OUT/etc/group" <<'EOF'
root:x:0:
nonroot:x:65532:
EOF
chmod 0644 "$OUT/etc/passwd" "$OUT/etc/group"

log "collected $((${#libs[@]})) shared objects for $(basename "$BINARY"):"
printf '  %s\n' "${libs[@]}"

# --- check 1: the loader, searching OUTDIR only, resolves everything inside OUTDIR -----------------------
libdirs=$(printf '%s\n' "${libs[@]}" | xargs -n1 dirname | sort -u | sed "s|^|$OUT|" | paste -sd:)
list=$("$OUT$interp" --inhibit-cache --library-path "$libdirs" --list "$OUT/alb-webhook" 2>&1) ||
  die "the copied loader cannot load the binary:"$'\n'"$list"
mapfile -t resolved < <(awk '$2 == "=>" && $3 ~ /^\// { print $3 }' <<<"$list" | sort -u)
for r in "${resolved[@]}"; do
  [[ $r == "$OUT"/* ]] || die "library resolved outside OUTDIR: $r (missing from the file set)"
done
# The resolved set must be the copied set.
# (The loader itself may or may not be listed; compare without it.)
want=$(printf '%s\n' "${libs[@]}" | grep -vxF "$interp" | sed "s|^|$OUT|" | sort -u)
got=$(printf '%s\n' "${resolved[@]}" | grep -vxF "$OUT$interp" | sort -u)
if [[ $want != "$got" ]]; then
  die "library sets differ:"$'\n'"$(diff <(echo "$want") <(echo "$got") || true)"
fi
log "check 1 ok: the loader resolves all ${#resolved[@]} libraries inside $OUT"

# --- check 2: run it from OUTDIR alone ------------------------------------------------------------------
run_in_chroot() {  # -> sets run_out, returns chroot's status (125 = chroot itself was refused)
  local rc=0
  run_out=$("$@" 2>&1) || rc=$?
  return $rc
}
run_out="" how="" rc=0
if [[ $(id -u) == 0 ]] && command -v chroot >/dev/null; then
  how="chroot --userspec=65532:65532 $OUT /alb-webhook version"
  run_in_chroot chroot --userspec=65532:65532 "$OUT" /alb-webhook version || rc=$?
elif command -v unshare >/dev/null && command -v chroot >/dev/null; then
  how="unshare -r chroot $OUT /alb-webhook version"
  run_in_chroot unshare -r chroot "$OUT" /alb-webhook version || rc=$?
else
  rc=125
fi
if [[ $rc == 125 || ( $rc == 1 && $run_out == unshare:* ) ]]; then
  log "cannot chroot here ($run_out); running through the copied loader instead"
  how="$OUT$interp --inhibit-cache --library-path <OUTDIR lib dirs> $OUT/alb-webhook version"
  rc=0
  run_in_chroot "$OUT$interp" --inhibit-cache --library-path "$libdirs" "$OUT/alb-webhook" version || rc=$?
fi
[[ $rc == 0 ]] || die "running the binary from $OUT failed (exit $rc): $how"$'\n'"$run_out"
log "check 2 ok: $how -> $(head -n1 <<<"$run_out")"

# --- no shell, nothing extra ---------------------------------------------------------------------------
for sh in bin/sh bin/bash usr/bin/sh usr/bin/bash; do
  [[ ! -e $OUT/$sh ]] || die "unexpected shell in the file set: /$sh"
done
log "runtime file set in $OUT ($(du -sh "$OUT" | cut -f1)):"
(cd "$OUT" && find . -type f | sed 's|^\.||' | sort | sed 's/^/  /')
