-- wrk script: POST /v1/search with the query bodies HttpSearchLoad --dump-bodies wrote, one JSON
-- object per line, each connection walking the list from its own offset.
--   BODIES=/tmp/bodies.jsonl wrk -t2 -c8 -d30s -s hotmem-bench/wrk/search.lua \
--       http://127.0.0.1:8711/v1/search
local bodies = {}
local file = assert(io.open(os.getenv("BODIES") or "bodies.jsonl", "r"))
for line in file:lines() do
  if #line > 0 then
    bodies[#bodies + 1] = line
  end
end
file:close()
assert(#bodies > 0, "no bodies in the BODIES file")

local counter = 0
function setup(thread)
  thread:set("offset", counter * 131)
  counter = counter + 1
end

local next = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function request()
  next = next + 1
  local body = bodies[((offset or 0) + next) % #bodies + 1]
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
      "wrk: %d requests, %.0f req/s, non-2xx %d, socket errors %d; latency ms p50 %.3f p90 %.3f p99 %.3f p99.9 %.3f max %.3f\n",
      summary.requests, summary.requests / (summary.duration / 1e6), errors.status,
      errors.connect + errors.read + errors.write + errors.timeout,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
      latency:percentile(99.9) / 1000, latency.max / 1000))
end
