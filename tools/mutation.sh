#!/usr/bin/env bash
# Mutation testing of one module against the tests that guard it (docs/testing.md).
#   tools/mutation.sh duixian/compute/engine.py tests/compute/test_semantics.py [more tests…]
# mutmut writes a mutants/ copy of the code and its cache beside pyproject.toml, so the run happens
# in a throwaway clone of HEAD; the summary and every surviving mutant's diff are printed at the end.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 MODULE.py TEST_PATH [TEST_PATH …]" >&2; exit 2; }
module=$1; shift
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d /tmp/duixian-mutation-XXXXXX)
git clone -q "$top" "$work/repo"
cd "$work/repo"
ln -s "$top/.venv" .venv
.venv/bin/python - "$module" "$@" <<'PY'
import json, re, sys
module, tests = sys.argv[1], sys.argv[2:]
text = open("pyproject.toml", encoding="utf-8").read()
text = re.sub(r"^only_mutate = .*$", "only_mutate = " + json.dumps([module]), text, flags=re.M)
text = re.sub(r"^pytest_add_cli_args_test_selection = .*$",
              "pytest_add_cli_args_test_selection = " + json.dumps(tests), text, flags=re.M)
open("pyproject.toml", "w", encoding="utf-8").write(text)
PY
env -u DATABASE_URL .venv/bin/mutmut run --max-children "${MUTATION_CHILDREN:-1}" > "$work/run.log" 2>&1 || true
tr '\r' '\n' < "$work/run.log" | grep -v '^⠋\|^⠙\|^⠹\|^⠸\|^⠼\|^⠴\|^⠦\|^⠧\|^⠇\|^⠏' | tail -n 5 || true
echo "== $module: final counts (🎉 killed, 🫥 no test covers it, ⏰ timeout, 🙁 survived, 🔇 skipped) =="
tr '\r' '\n' < "$work/run.log" | grep '🎉' | tail -n 1
echo "== surviving mutants =="
for name in $(env -u DATABASE_URL .venv/bin/mutmut results 2>/dev/null | awk -F: '/survived/ {print $1}'); do
  env -u DATABASE_URL .venv/bin/mutmut show "$name" 2>/dev/null || true
done
echo "(work directory: $work)"
