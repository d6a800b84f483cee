#!/usr/bin/env bash
# Builds the documentation catalogue (Documentation.docc) with the library's
# symbols into a static website, and the OptimiserLaws reference into a second
# one under laws/, with every DocC warning treated as an error.
#
#   bash Scripts/build-docs.sh [OUTPUT_DIRECTORY] [HOSTING_BASE_PATH]
#
# OUTPUT_DIRECTORY defaults to docs-out; HOSTING_BASE_PATH (the URL path the
# site is served under, e.g. https://example.github.io/Optimisers/) defaults to
# Optimisers. Upload the directory's contents to any static host; the pages are
# under <base>/documentation/optimisers and <base>/laws/documentation/optimiserlaws.
# To look at it locally:
#
#   python3 -m http.server --directory docs-out 8000
#   # then open http://localhost:8000/documentation/optimisers
#   # (a base path other than "/" needs the files under that prefix: see
#   #  CONTRIBUTING.md)
#
# Needs only the toolchain (swift, docc); no package plugin.
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-docs-out}
base_path=${2:-Optimisers}
case "$output" in "" | . | .. | /) echo "build-docs: refusing to replace '$output'" >&2; exit 2 ;; esac

# Symbol graphs are emitted while the module compiles, into a scratch path of
# their own, so that the extra compiler flags do not invalidate the ordinary
# build and a rebuild with nothing to recompile keeps the graphs of the last
# compilation. If the graphs are missing, the module's objects are removed from
# that scratch path so that it compiles again.
graphs=.build-docs/symbol-graphs
for module in Optimisers OptimiserLaws; do
  if [ ! -f "$graphs/$module.symbols.json" ]; then
    rm -rf .build-docs/*/debug/$module.build
  fi
done
mkdir -p "$graphs"
swift build --scratch-path .build-docs --target OptimiserLaws \
  -Xswiftc -emit-symbol-graph \
  -Xswiftc -emit-symbol-graph-dir -Xswiftc "$PWD/$graphs"
# One directory of graphs per module: DocC documents every module it is given.
for module in Optimisers OptimiserLaws; do
  rm -rf "$graphs-$module"
  mkdir -p "$graphs-$module"
  cp "$graphs/$module.symbols.json" "$graphs-$module"/
  cp "$graphs/$module"@*.symbols.json "$graphs-$module"/ 2>/dev/null || true  # extensions, if any
done

# convert OUTPUT BASE_PATH MODULE [CATALOGUE]: one static site.
convert() {
  local site=$1 base=$2 module=$3
  shift 3
  docc convert "$@" \
    --additional-symbol-graph-dir "$graphs-$module" \
    --fallback-display-name "$module" \
    --fallback-bundle-identifier "org.optimisers.$module" \
    --warnings-as-errors \
    --transform-for-static-hosting \
    --hosting-base-path "$base" \
    --output-path "$site"
}
rm -rf "$output"
convert "$output" "$base_path" Optimisers Documentation.docc
# OptimiserLaws has no catalogue of its own: its reference comes from its doc
# comments (links to Optimisers symbols are written as code, not ``links``).
convert "$output/laws" "${base_path%/}/laws" OptimiserLaws
echo "documentation built without warnings: $output (served under /${base_path#/}:" \
  "documentation/optimisers, laws/documentation/optimiserlaws)"
