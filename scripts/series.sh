#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Export the series as git commits on pristine 6.12 and as a format-patch
# series with a cover letter, then check that the series git-ams cleanly.
# Usage: scripts/series.sh        (output: out/series/; prints the commit range)
. "$(dirname "$0")/lib.sh"

[ $# -eq 0 ] || die "usage: scripts/series.sh"
"$TOP/scripts/deps.sh" base kernel
"$TOP/scripts/tree.sh" >/dev/null
gitdir=$CACHE/src/base.git
tree=$CACHE/src/series
log=$LOGS/series.log
manifest=$TOP/patches/overlay.manifest
: >"$log"

g() { git -C "$tree" "$@"; }

# A git history holding pristine 6.12 as one commit, made once.
if ! git --git-dir="$gitdir" rev-parse -q --verify refs/heads/base >/dev/null 2>&1; then
	say "recording the pristine tree in $gitdir (about a minute, once)"
	rm -rf "$gitdir" "$tree"
	git init -q --bare "$gitdir"
	(cd "$PRISTINE" && git --git-dir="$gitdir" --work-tree=. add -A -f) >>"$log" 2>&1
	(cd "$PRISTINE" &&
	GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z \
	git --git-dir="$gitdir" --work-tree=. -c user.name=sfdoor \
		-c user.email=sfdoor@localhost commit -q \
		-m "Linux $(sed -n 's/^SUBLEVEL = /6.12./p' Makefile) (Debian $KERNEL_PKG)") >>"$log" 2>&1 ||
		die_log "$log" "cannot record the pristine tree"
	git --git-dir="$gitdir" branch base HEAD
fi
if [ ! -d "$tree" ]; then
	git --git-dir="$gitdir" worktree prune
	git --git-dir="$gitdir" worktree add -q --detach "$tree" base >>"$log" 2>&1 ||
		die_log "$log" "cannot check out $tree"
fi
g checkout -q -f --detach base
g clean -q -fdx

# Every overlay file belongs to exactly one patch of the series.
overlay=$(cd "$TOP" && for d in $OVERLAY_DIRS; do
	if [ -d "$d" ]; then find "$d" -type f; fi; done | sort)
listed=$(grep -v '^\s*\(#\|$\)' "$manifest" | awk '{print $1}' | sort)
unlisted=$(comm -23 <(echo "$overlay") <(echo "$listed"))
[ -z "$unlisted" ] || die "overlay files missing from patches/overlay.manifest: $unlisted"
gone=$(comm -13 <(echo "$overlay") <(echo "$listed"))
[ -z "$gone" ] || die "patches/overlay.manifest names files that do not exist: $gone"
dups=$(echo "$listed" | uniq -d)
[ -z "$dups" ] || die "patches/overlay.manifest names files twice: $dups"
for p in $(grep -v '^\s*\(#\|$\)' "$manifest" | awk '{print $2}' | sort -u); do
	grep -qx "$p" "$TOP/patches/series" ||
		die "patches/overlay.manifest names $p, which is not in patches/series"
done

name=$(git -C "$TOP" config user.name || echo "sfdoor developers")
email=$(git -C "$TOP" config user.email || echo "sfdoor@localhost")
export GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email
export GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email

n=0
while read -r p; do
	case $p in '' | '#'*) continue ;; esac
	pf=$TOP/patches/$p
	# The header (up to the first diff line) holds Subject: and the message.
	subject=$(sed -n '/^\(--- \|diff \|Index: \)/q; s/^Subject: *//p' "$pf" | head -n 1)
	[ -n "$subject" ] || die "patches/$p has no 'Subject:' line in its header"
	body=$(sed -n '/^\(--- \|diff \|Index: \)/q; /^Subject:/d; p' "$pf")
	if grep -q '^--- ' "$pf"; then
		g apply --index "$pf" >>"$log" 2>&1 ||
			die_log "$log" "patches/$p does not apply to the series so far"
	fi
	while read -r f _; do
		mkdir -p "$tree/$(dirname "$f")"
		cp "$TOP/$f" "$tree/$f"
		g add -f "$f"
	done < <(awk -v p="$p" '$1 !~ /^#/ && $2 == p' "$manifest")
	printf '%s\n\n%s\n' "$subject" "$(echo "$body" | sed -e '/./,$!d')" |
		g commit -q -s -F - >>"$log" 2>&1 ||
		die_log "$log" "commit for patches/$p failed (empty?)"
	n=$((n + 1))
done <"$TOP/patches/series"

# The commits must add up to the work tree the builds use.
for f in $(g diff --name-only base HEAD); do
	cmp -s "$tree/$f" "$WORK/$f" ||
		die "$f differs between the exported series and $WORK (unrefreshed quilt change?)"
done

series=$OUT/series
rm -rf "$series"
g format-patch -q --cover-letter -o "$series" base..HEAD >>"$log" 2>&1 ||
	die_log "$log" "git format-patch failed"
cover=$(ls "$series"/0000-*.patch)
python3 - "$cover" "$TOP/patches/cover-letter" <<'PY'
import sys
cover, text = sys.argv[1], open(sys.argv[2]).read().strip().split('\n', 1)
s = open(cover).read()
s = s.replace('*** SUBJECT HERE ***', text[0].strip())
s = s.replace('*** BLURB HERE ***', text[1].strip() if len(text) > 1 else '')
open(cover, 'w').write(s)
PY

# The exported files must git-am onto pristine 6.12 and give the same tree.
built=$(g rev-parse HEAD)
g checkout -q -f --detach base
if ! g am -q $(ls "$series"/*.patch | grep -v '/0000-') >>"$log" 2>&1; then
	g am --abort >/dev/null 2>&1 || true
	die_log "$log" "the exported series does not git-am onto pristine 6.12"
fi
g diff --quiet "$built" HEAD || die "git am of $series gives a different tree than the series"
say "$n commits in $series (git am onto pristine 6.12: ok)"
echo "$tree base..$built"
