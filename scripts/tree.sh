#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make the kernel work tree: pristine Debian 6.12 + overlay + quilt series.
# Usage: scripts/tree.sh    (prints the work tree's path on the last line)
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/tree.sh"
"$TOP/scripts/deps.sh" base kernel

kernel_version() {
	awk '/^VERSION =/{v=$3} /^PATCHLEVEL =/{p=$3} /^SUBLEVEL =/{s=$3}
	     END{print v "." p "." s}' "$1/Makefile"
}

unpack_pristine() {
	local tmp=$CACHE/src/unpack.$$
	[ -f "$KERNEL_TARBALL" ] || die "$KERNEL_TARBALL missing: is $KERNEL_PKG installed?"
	say "unpacking $KERNEL_TARBALL into $PRISTINE (about 20 s)"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	tar -xJf "$KERNEL_TARBALL" -C "$tmp" || die "cannot unpack $KERNEL_TARBALL"
	mv "$tmp"/linux-source-6.12 "$PRISTINE"
	rmdir "$tmp"
	chmod -R a-w "$PRISTINE"
}

check_version() {
	local v
	v=$(kernel_version "$PRISTINE")
	case $v in
	"$KERNEL_TESTED") ;;
	6.12.*)
		warn "kernel base is $v; the series is tested on $KERNEL_TESTED" ;;
	*)
		die "kernel base in $PRISTINE is $v, not 6.12.y: remove $CACHE/src and retry" ;;
	esac
}

# Stale package contents: a newer linux-source-6.12 was installed.
pristine_stale() {
	[ "$(cat "$CACHE/src/pristine.stamp" 2>/dev/null)" != \
	  "$(stat -c '%s %Y' "$KERNEL_TARBALL")" ]
}

mkdir -p "$CACHE/src"
if [ -d "$PRISTINE" ] && pristine_stale; then
	say "$KERNEL_TARBALL changed; unpacking it again"
	chmod -R u+w "$PRISTINE" && rm -rf "$PRISTINE" "$WORK" "$CACHE/src/base.git"
fi
if [ ! -d "$PRISTINE" ]; then
	unpack_pristine
	stat -c '%s %Y' "$KERNEL_TARBALL" >"$CACHE/src/pristine.stamp"
fi
check_version

if [ ! -d "$WORK" ]; then
	say "copying the pristine tree to $WORK"
	cp -a "$PRISTINE" "$WORK.tmp"
	chmod -R u+w "$WORK.tmp"
	mv "$WORK.tmp" "$WORK"
fi
cd "$WORK"
ln -sfn "$TOP/patches" patches

# Overlay: copy new or changed files, drop files removed from the overlay.
manifest=$WORK/.sfdoor-overlay
(cd "$TOP" && for d in $OVERLAY_DIRS; do
	if [ -d "$d" ]; then find "$d" -type f ! -name '*~' ! -name '.*.swp'; fi
done | sort) >"$manifest.new"
while read -r f; do
	[ -e "$PRISTINE/$f" ] &&
		die "overlay file $f also exists in the kernel: change it with a quilt patch instead (see README, Developing)"
	if ! cmp -s "$TOP/$f" "$f"; then
		mkdir -p "$(dirname "$f")"
		cp "$TOP/$f" "$f"
	fi
done <"$manifest.new"
if [ -f "$manifest" ]; then
	comm -23 "$manifest" "$manifest.new" | while read -r f; do rm -f "$f"; done
fi
mv "$manifest.new" "$manifest"

# Quilt series: re-apply from scratch whenever a patch or the series changed.
log=$LOGS/quilt.log
stamp=$WORK/.sfdoor-series
want=$(find "$TOP/patches" -maxdepth 1 -type f -print0 | sort -z |
	xargs -0 -r cat | sha1sum)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	: >"$log"
	# Quilt as the applied patches were: the series file may have
	# gained or lost patches since, which plain quilt refuses.
	qa() { QUILT_SERIES=$WORK/.pc/applied-patches quilt "$@"; }
	if [ -s .pc/applied-patches ]; then
		if [ -n "$(qa diff -z 2>/dev/null)" ]; then
			die "$WORK has changes not yet saved with 'quilt refresh' (see 'cd $WORK && quilt diff -z'); refresh or drop them, then retry"
		fi
		say "series changed: popping the applied patches"
		# Remember what the patched files looked like, so that files
		# which come out the same keep their time stamps and do not
		# make the next build recompile half the kernel.
		for f in $(qa files -a 2>/dev/null | sort -u); do
			if [ -f "$f" ]; then
				echo "$(sha1sum <"$f" | cut -d' ' -f1) $(stat -c %Y "$f") $f"
			fi
		done >"$WORK/.sfdoor-times"
		qa pop -a -f >>"$log" 2>&1 || die_log "$log" "quilt pop failed in $WORK"
	fi
	rm -f "$stamp"
	if [ -s patches/series ] && grep -qv '^\s*\(#\|$\)' patches/series; then
		say "applying the series with quilt push -a --fuzz=0"
		if ! quilt push -a --fuzz=0 >>"$log" 2>&1; then
			die_log "$log" "patch $(quilt next 2>/dev/null || echo '?') does not apply with --fuzz=0 in $WORK (fix it there: quilt push -f, resolve, quilt refresh)"
		fi
	fi
	if [ -f "$WORK/.sfdoor-times" ]; then
		while read -r sum mtime f; do
			if [ -f "$f" ] &&
			   [ "$(sha1sum <"$f" | cut -d' ' -f1)" = "$sum" ]; then
				touch -d "@$mtime" "$f"
			fi
		done <"$WORK/.sfdoor-times"
		rm -f "$WORK/.sfdoor-times"
	fi
	echo "$want" >"$stamp"
fi
echo "$WORK"
