#!/usr/bin/env bash
# Fails when the public API of the library products (Optimisers, OptimiserLaws)
# breaks against the last release: a removed or changed public symbol must be a
# decision recorded in CHANGELOG.md, not an accident. New symbols are fine.
#
#   bash Scripts/check-api.sh [BASELINE]
#
# The baseline is, in order: the argument; the latest tag reachable from HEAD;
# the commit named in .api-baseline (for clones that carry no tags). The
# baseline's API is cached under .build/api-baseline/<commit>, so only the
# first run per baseline builds it (about 2 minutes on two cores).
#
# An intended break: add a "### Breaking" list under "## Unreleased" in
# CHANGELOG.md naming each change, and copy each "API breakage: ..." line this
# script printed into .api-breakage-allowlist. The next release empties the
# allowlist and moves the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ge 1 ]; then
  baseline=$1 origin="argument"
elif tag=$(git describe --tags --abbrev=0 2>/dev/null); then
  baseline=$tag origin="latest tag"
elif [ -s .api-baseline ]; then
  baseline=$(tr -d '[:space:]' < .api-baseline) origin=".api-baseline"
else
  echo "check-api: no tag and no .api-baseline: nothing to compare against" >&2
  exit 1
fi

if ! commit=$(git rev-parse --verify --quiet "$baseline^{commit}"); then
  # A shallow or tagless clone may lack the commit; ask the remote once.
  git fetch --quiet origin "$baseline" 2>/dev/null || true
  if ! commit=$(git rev-parse --verify --quiet "$baseline^{commit}"); then
    echo "check-api: baseline $baseline ($origin) is not in this clone;" \
      "fetch the history (git fetch --unshallow --tags) and run again" >&2
    exit 1
  fi
fi
echo "API baseline: $baseline ($origin), commit $commit"

if git diff --quiet "$commit" -- Package.swift Sources/Optimisers Sources/OptimiserLaws Sources/COptimisers \
  && [ -z "$(git ls-files --others --exclude-standard Sources/Optimisers Sources/OptimiserLaws Sources/COptimisers)" ]; then
  echo "The library sources are identical to the baseline's: no API change."
  exit 0
fi

allowlist=()
if [ -s .api-breakage-allowlist ]; then
  allowlist=(--breakage-allowlist-path .api-breakage-allowlist)
  if ! awk '/^## /{inside = ($0 ~ /^## Unreleased/)} inside && /^### Breaking/{found = 1} END{exit !found}' CHANGELOG.md; then
    echo "check-api: .api-breakage-allowlist accepts breaking changes, but CHANGELOG.md has no" \
      "'### Breaking' list under '## Unreleased' describing them" >&2
    exit 1
  fi
fi

status=0
swift package diagnose-api-breaking-changes "$commit" \
  --products Optimisers OptimiserLaws \
  --baseline-dir ".build/api-baseline/$commit" \
  ${allowlist[@]+"${allowlist[@]}"} || status=$?
if [ "$status" -ne 0 ]; then
  cat >&2 <<MESSAGE

check-api: the public API breaks against $baseline ($origin).
If the break is not intended, restore the symbols listed above. If it is:
  1. describe each change under "### Breaking" in the "## Unreleased" section
     of CHANGELOG.md (what changed and what users write instead), and
  2. copy each "API breakage: ..." line above into .api-breakage-allowlist.
See CONTRIBUTING.md, "API stability".
MESSAGE
  exit "$status"
fi
