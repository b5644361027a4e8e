#!/usr/bin/env bash
# Builds the libFuzzer target over the JSON reader + JSON Schema validator and runs it.
# Usage: Fuzz/run.sh [SECONDS] [extra libFuzzer flags...]   (default 300 s; see docs/fuzzing.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
out=.build/fuzz
mkdir -p "$out" fuzz-corpus/json fuzz-artifacts
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6)

# JSON module as its own Swift module (the validator sources import it).
swiftc "${flags[@]}" -emit-library -static -module-name JSON -emit-module -emit-module-path "$out/JSON.swiftmodule" \
    -o "$out/libJSON.a" Sources/JSON/*.swift
# Validator sources + the fuzz entry point (schemas are read from schemas/ at start-up) in one executable module.
swiftc "${flags[@]}" -module-name SchemasFuzz -I "$out" -L "$out" -lJSON \
    Sources/Schemas/Validation/*.swift \
    Fuzz/FuzzSchemas.swift Fuzz/FuzzTarget.swift -o "$out/json-schema-fuzz"

# Seed corpus: JSONTestSuite files and the schemas/instances of the JSON-Schema-Test-Suite.
if [ -z "$(ls -A fuzz-corpus/json)" ]; then
    cp ../shared/json-test-suite/test_parsing/*.json fuzz-corpus/json/ 2>/dev/null || true
    python3 - <<'PY'
import json, glob, hashlib, os
for path in glob.glob('../shared/json-schema-test-suite/tests/draft2020-12/**/*.json', recursive=True):
    for group in json.load(open(path)):
        items = [group['schema']] + [t['data'] for t in group['tests']]
        for item in items:
            text = json.dumps(item).encode()
            open('fuzz-corpus/json/' + hashlib.sha1(text).hexdigest(), 'wb').write(text)
PY
fi
exec "$out/json-schema-fuzz" fuzz-corpus/json -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix=fuzz-artifacts/ -print_final_stats=1 "$@"
