#!/usr/bin/env bash
# Mutation testing of the rules and transforms (not part of CI: it rebuilds once
# per mutant). Resumable: results accumulate in Tests/Mutation/results.jsonl.
# Arguments are passed to mutate.py (see `mutate.py --help`).
set -euo pipefail
cd "$(dirname "$0")/../.."
exec python3 Tests/Mutation/mutate.py "$@"
