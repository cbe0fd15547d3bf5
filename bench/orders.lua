-- Single order ingest: POST /api/v1/orders, a fresh order and customer per request.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local n = 0
local prefix

function init(args)
  prefix = string.format("%s-t%d", os.getenv("BENCH_RUN") or "r", tid)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/orders", nil, bench_order(prefix, n))
end
