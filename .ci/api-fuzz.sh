# Validates the API document as OpenAPI 3.1 and fuzzes the live server with schemathesis,
# every check and the stateful phase on. Source it after a build; needs python3.
# Usage: source .ci/api-fuzz.sh PATH/TO/couloir

couloir_bin=$1
python3 -m pip install --quiet --disable-pip-version-check "schemathesis==4.32.5" "openapi-spec-validator>=0.7" 2>&1 \
  | grep -v "Running pip as the 'root' user" || true
openapi-spec-validator Sources/CouloirAPI/openapi.yaml

fuzz_dir=$(mktemp -d /tmp/couloir-fuzz.XXXXXX)
fuzz_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# An administrator's token, so that every operation can be reached; schemathesis also
# checks that the API refuses requests without it (ignored_auth).
fuzz_token=$("$couloir_bin" token issue --database "$fuzz_dir/fuzz.sqlite" --organisation "OCHA Aleppo access cell" \
  --role admin --label schemathesis | tail -n 1)
"$couloir_bin" demo --database "$fuzz_dir/fuzz.sqlite" --port "$fuzz_port" --log-level warning >"$fuzz_dir/server.log" 2>&1 &
fuzz_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$fuzz_port/healthz" >/dev/null && break
  sleep 0.2
done
set +e
timeout 600 st --config-file .ci/schemathesis.toml run "http://127.0.0.1:$fuzz_port/api/openapi.yaml" \
  --url "http://127.0.0.1:$fuzz_port/api/v1" --header "Authorization: Bearer $fuzz_token" --checks all --phases examples,coverage,fuzzing,stateful \
  --max-examples 100 --seed 2016 --no-color
fuzz_status=$?
set -e
kill -TERM "$fuzz_pid"
wait "$fuzz_pid" || true
if [ "$fuzz_status" -ne 0 ]; then
  echo "schemathesis found failures; the server's log:"
  tail -n 50 "$fuzz_dir/server.log"
fi
rm -rf "$fuzz_dir"
[ "$fuzz_status" -eq 0 ]
