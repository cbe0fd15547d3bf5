-- Batch ingest: POST /api/v1/orders/batch with $BENCH_BATCH fresh orders per request.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local n = 0
local prefix, size

function init(args)
  prefix = string.format("%s-t%d", os.getenv("BENCH_RUN") or "b", tid)
  size = tonumber(os.getenv("BENCH_BATCH") or "1000")
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local parts = {}
  for i = 1, size do
    n = n + 1
    parts[i] = bench_order(prefix, n)
  end
  return wrk.format("POST", "/api/v1/orders/batch", nil, "[" .. table.concat(parts, ",") .. "]")
end
