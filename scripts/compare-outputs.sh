#!/bin/sh
# Usage: scripts/compare-outputs.sh SRC PROJECT OUT
# Run every writer of the azgraph whose package is in SRC (a src/ folder: this tree's, or
# `git archive main src | tar -x -C /tmp/main`) on a scratch copy of PROJECT's folders, with the
# caches off, and keep what each writes in OUT: data/ from an empty build, a release, the
# Protégé bundle, validate (text, json) and every bundled query in every format, with their
# stdout, stderr and exit codes. Compare two trees with  diff -r OUT_A OUT_B  (#17: bytes
# must not change). PYTHON picks the interpreter (default python3).
set -u
src=$(realpath "$1"); project=$(realpath "$2"); out=$3
py=${PYTHON:-python3}
rm -rf "$out"; mkdir -p "$out/cli"; out=$(realpath "$out")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for d in seeds curated ontology shapes queries mappings lint data; do
  [ -d "$project/$d" ] && cp -r "$project/$d" "$work/$d"
done
cp "$project/pyproject.toml" "$work/" 2>/dev/null
run() { name=$1; shift
  (cd "$work" && PYTHONPATH="$src" AZGRAPH_CACHE=off "$py" -m azgraph "$@" \
     >"$out/cli/$name.out" 2>"$out/cli/$name.err"; echo "exit $?" >>"$out/cli/$name.err"); }
rm -rf "$work/data"; mkdir "$work/data"
run build build
cp -r "$work/data" "$out/data"
run release release release; cp -r "$work/release" "$out/release"
run protege export protege protege; cp -r "$work/protege" "$out/protege"
run validate-text validate --format text
run validate-json validate --format json
for q in "$work"/queries/*.rq; do
  n=$(basename "$q" .rq)
  for f in table csv tsv json; do run "query-$n-$f" query run "$n" --format "$f"; done
done
