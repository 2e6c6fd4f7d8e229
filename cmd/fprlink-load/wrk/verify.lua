-- wrk script for the verify API: POST /api/v1/verify as one relying party,
-- taking the documents of a file (one QR text or compact JWS per line) in
-- turn, each thread from its own offset.
--
--   FPRLINK_LOAD_API_KEY=… FPRLINK_LOAD_INPUT=qr.txt \
--     wrk -t2 -c32 -d10s -s cmd/fprlink-load/wrk/verify.lua http://127.0.0.1:8080
--
-- The last line printed is one summary for the tables of
-- docs/PERFORMANCE.md. A run with any answer other than 200 (a 429 when
-- the server was not started with -verify-rate 0) measures nothing.

local key = os.getenv("FPRLINK_LOAD_API_KEY")
local input = os.getenv("FPRLINK_LOAD_INPUT") or "qr.txt"
if key == nil or key == "" then
  error("set FPRLINK_LOAD_API_KEY to the relying party's API key")
end

local bodies = {}
for line in io.lines(input) do
  line = line:gsub("%s+$", "")
  if #line > 0 then
    local member = line:sub(1, 6) == "fprl:/" and "qr" or "token"
    bodies[#bodies + 1] = '{"' .. member .. '":"' .. line .. '"}'
  end
end
if #bodies == 0 then
  error(input .. " holds no document")
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local n = 0
function request()
  n = n + 1
  return wrk.format(nil, "/api/v1/verify", nil, bodies[(offset + n) % #bodies + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "wrk: %d requests in %.1fs, %.0f/s; latency p50 %.1f ms p90 %.1f ms p99 %.1f ms max %.1f ms; non-200 %d, socket errors %d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.status, e.connect + e.read + e.write + e.timeout))
end
