#!/usr/bin/env bash
# Builds the libFuzzer target over the Sparkplug B payload decoder and topic parser and runs it.
# Usage: Fuzz/run-sparkplug.sh [SECONDS] [extra libFuzzer flags...]   (default 600 s; see docs/fuzzing.md)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
out=.build/fuzz
mkdir -p "$out" fuzz-corpus/sparkplug fuzz-artifacts
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name SparkplugFuzz \
    Sources/Sparkplug/*.swift Fuzz/Sparkplug/SparkplugFuzzTarget.swift -o "$out/sparkplug-fuzz"

# Seed corpus: BIRTH and DATA payloads of every datatype, properties, arrays (written by hand, field by field).
if [ -z "$(ls -A fuzz-corpus/sparkplug)" ]; then
    python3 - <<'PY'
import hashlib, struct
def varint(n):
    out = b''
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80]); n >>= 7
    return out + bytes([n])
def key(field, wire): return varint(field << 3 | wire)
def v(field, n): return key(field, 0) + varint(n)
def ld(field, data): return key(field, 2) + varint(len(data)) + data
def s(field, text): return ld(field, text.encode())
def f32(field, x): return key(field, 5) + struct.pack('<f', x)
def f64(field, x): return key(field, 1) + struct.pack('<d', x)
prop = ld(9, s(1, 'engUnit') + s(1, 'Quality') + ld(2, v(1, 12) + s(8, 'PCS')) + ld(2, v(1, 3) + v(3, 192)))
metrics = [
    s(1, 'bdSeq') + v(4, 4) + v(11, 0),
    s(1, 'Counters/Good') + v(2, 1) + v(4, 4) + v(11, 42) + prop,
    s(1, 'Temperature') + v(2, 2) + v(4, 9) + f32(12, 71.5),
    s(1, 'Pressure') + v(2, 3) + v(4, 10) + f64(13, 1.25),
    s(1, 'State') + v(2, 4) + v(4, 12) + s(15, 'RUNNING'),
    s(1, 'Running') + v(2, 5) + v(4, 11) + v(14, 1),
    s(1, 'Offset') + v(2, 6) + v(4, 1) + v(10, 0xFFFFFFFF),
    s(1, 'Blob') + v(2, 7) + v(4, 17) + ld(16, b'\x00\x01\xfe'),
    s(1, 'Samples') + v(2, 8) + v(4, 23) + ld(16, b'\xff\xff\x02\x00'),
    s(1, 'Names') + v(2, 9) + v(4, 33) + ld(16, b'A\x00B\x00'),
    s(1, 'Missing') + v(2, 10) + v(4, 3) + v(7, 1),
]
seeds = [
    v(1, 1742198400000) + b''.join(ld(2, m) for m in metrics) + v(3, 0),
    v(1, 1742198405000) + ld(2, v(2, 1) + v(11, 43)) + ld(2, v(2, 2) + f32(12, 72.0)) + v(3, 1),
    v(1, 1742198460000) + ld(2, s(1, 'bdSeq') + v(4, 4) + v(11, 0)),
    v(3, 255) + s(4, 'uuid') + ld(5, b'body'),
]
for seed in seeds:
    open('fuzz-corpus/sparkplug/' + hashlib.sha1(seed).hexdigest(), 'wb').write(seed)
PY
fi
exec "$out/sparkplug-fuzz" fuzz-corpus/sparkplug -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix=fuzz-artifacts/ -print_final_stats=1 "$@"
