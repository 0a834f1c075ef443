#!/usr/bin/env bash
# libFuzzer targets over what the server and its clients parse from the outside:
#   client-messages  the server's decoder of every client message (round-trip oracle)
#   server-messages  the clients' decoder of every server message, deltas included
#   schema           the schema compiler on arbitrary text
#   first-request    the bytes of a new connection through the server's real pipeline
#                    (guards, HTTP decoder, request rules, upgrade, first frames); a package of
#                    its own in Tests/Fuzz/FirstRequest, as everything it builds is instrumented
# Each is seeded from Protocol/vectors (or the schemas) and keeps its corpus in .build/fuzz/.
#
# Usage: Tests/Fuzz/run.sh [--seconds N | --runs N] [TARGET...]
#   CI:   Tests/Fuzz/run.sh --seconds 20          (a short bounded run of each)
#   long: Tests/Fuzz/run.sh --runs 10000000       (10 M executions each; prints libFuzzer's stats)
# Exits non-zero on the first crash; the crashing input is left in .build/fuzz/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
limit=(-max_total_time=20)
targets=()
while [ $# -gt 0 ]; do
    case $1 in
        --seconds) limit=(-max_total_time="$2"); shift 2 ;;
        --runs) limit=(-runs="$2"); shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done
[ ${#targets[@]} -gt 0 ] || targets=(client-messages server-messages schema first-request)
out=$root/.build/fuzz
mkdir -p "$out"
flags=(-sanitize=fuzzer -O -parse-as-library)

# library MODULE: the module's sources, instrumented, as a static library in $out.
library() {
    local module=$1
    [ -f "$out/lib$module.a" ] && [ -z "$(find "Sources/$module" -name '*.swift' -newer "$out/lib$module.a")" ] && return
    swiftc "${flags[@]}" -emit-module -emit-library -static -module-name "$module" -emit-module-path "$out/$module.swiftmodule" \
        $(find "Sources/$module" -name '*.swift' | sort) -o "$out/lib$module.a"
}

# seeds TARGET: the target's seed inputs, written once from the vectors.
seeds() {
    local dir=$out/$1/seeds
    mkdir -p "$dir"
    python3 - "$1" "$dir" <<'PY'
import glob, json, os, sys
target, dir = sys.argv[1], sys.argv[2]
def vectors(*globs):
    for g in globs:
        for f in sorted(glob.glob(g)):
            v = json.load(open(f))
            yield os.path.basename(f)[:-5], v
if target == 'client-messages':
    for name, v in vectors('Protocol/vectors/arena/*.json', 'Protocol/vectors/errors/*.json'):
        if v.get('schema') == 'arena' and v['message'] in ('Hello', 'Input', 'Ping'):
            open(os.path.join(dir, name), 'wb').write(bytes.fromhex(v['hex']))
elif target == 'server-messages':
    # Each message alone, and the snapshots in a row (full, then deltas) for the baselines.
    snapshots = []
    for name, v in vectors('Protocol/vectors/arena/*.json'):
        if v['message'] in ('Hello', 'Input', 'Ping'): continue
        data = bytes.fromhex(v['hex'])
        if len(data) < 256:
            open(os.path.join(dir, name), 'wb').write(bytes([len(data)]) + data)
            if v['message'] == 'Snapshot': snapshots.append(data)
    snapshots.sort(key=lambda d: d[1] & 1)  # the full one (flag bit 0) first
    open(os.path.join(dir, 'snapshots-in-a-row'), 'wb').write(b''.join(bytes([len(d)]) + d for d in snapshots))
elif target == 'first-request':
    upgrade = ('GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
               'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n').encode()
    seeds = {
        'get': b'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
        'keep-alive': b'GET /rooms HTTP/1.1\r\nHost: a\r\n\r\nGET /metrics HTTP/1.1\r\nHost: a\r\n\r\n',
        'post-body': b'POST /admin/drain HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody',
        'chunked': b'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n',
        'upgrade': upgrade,
        'upgrade-frame': upgrade + b'\x82\x85\x00\x00\x00\x00hello',
        'upgrade-split': upgrade[:40] + b'\xff' + upgrade[40:] + b'\xff\x81\x82\x01\x02\x03\x04ab\x88\x80\x00\x00\x00\x00',
        'play': upgrade.replace(b'/echo', b'/play?room=1') + b'\x82\x80\x00\x00\x00\x00',
    }
    for name, data in seeds.items():
        open(os.path.join(dir, name), 'wb').write(data)
else:
    for f in glob.glob('Protocol/*.schema'):
        open(os.path.join(dir, os.path.basename(f)), 'wb').write(open(f, 'rb').read())
PY
}

# The first-request package names the project through a link of fixed name (its identity must
# not depend on the clone's folder name); SwiftPM builds it instrumented, in its own .build.
build_first_request() {
    mkdir -p "$root/.build/fuzz-root"
    ln -sfn "$root" "$root/.build/fuzz-root/Arbiter"
    swift build --package-path Tests/Fuzz/FirstRequest -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library \
        --product fuzz-first-request
    cp "Tests/Fuzz/FirstRequest/.build/release/fuzz-first-request" "$out/fuzz-first-request"
}

for target in "${targets[@]}"; do
    module=""
    case $target in
        client-messages) module=ArbiterProtocol; source=ClientMessagesFuzz ;;
        server-messages) module=ArbiterProtocol; source=ServerMessagesFuzz ;;
        schema) module=SchemaCompiler; source=SchemaFuzz ;;
        first-request) ;;
        *) echo "unknown fuzz target '$target'" >&2; exit 2 ;;
    esac
    echo "== fuzz $target"
    if [ -n "$module" ]; then
        library "$module"
        swiftc "${flags[@]}" -I "$out" -L "$out" -l"$module" "Tests/Fuzz/$source.swift" -o "$out/fuzz-$target"
    else
        build_first_request
    fi
    seeds "$target"
    mkdir -p "$out/$target/corpus"
    # Schema texts up to 600 bytes: room for every kind of declaration, while the emitters' cost
    # grows with the text (at full size 2,000 runs a second, at 600 bytes 15,000).
    extra=()
    [ "$target" = schema ] && extra=(-max_len=600)
    (cd "$out/$target" && "$out/fuzz-$target" corpus seeds "${limit[@]}" "${extra[@]}" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 2>&1 |
        grep -E '^(stat::|Done|==|SUMMARY|.*ERROR|.*Fatal error|.*deadly)' || true)
    [ -z "$(ls "$out/$target"/crash-* "$out/$target"/timeout-* "$out/$target"/oom-* 2>/dev/null)" ] ||
        { echo "fuzz $target found a failing input in $out/$target" >&2; exit 1; }
done
