-- NPS queries over a big shop: random ranges within $BENCH_DAYS days up to today, random
-- interval (day, week, month) and segment (none or one of $BENCH_SEGMENTS categories).
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local days, segments, today
local intervals = {"day", "week", "month"}

function init(args)
  days = tonumber(os.getenv("BENCH_DAYS") or "1095")
  segments = tonumber(os.getenv("BENCH_SEGMENTS") or "8")
  today = math.floor(os.time() / 86400)
  math.randomseed(os.time() + tid * 7919)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_KEY")
end

local function date(day) return os.date("!%Y-%m-%d", day * 86400) end

function request()
  local a = today - math.random(0, days - 1)
  local b = today - math.random(0, days - 1)
  if a > b then a, b = b, a end
  local q = string.format("/api/v1/nps?from=%s&to=%s&interval=%s", date(a), date(b),
                          intervals[math.random(1, 3)])
  local seg = math.random(0, segments)
  if seg > 0 then q = q .. "&segment=category-" .. (seg - 1) end
  return wrk.format("GET", q)
end
