-- Answer clicks on distinct surveys: each request takes the next URL of $BENCH_URLS (one answer
-- URL a line, from `vouch bench links`), threads interleaved, wrapping around at the end.
dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local paths = {}
local index, step

function init(args)
  for line in io.lines(os.getenv("BENCH_URLS")) do
    paths[#paths + 1] = line:gsub("^https?://[^/]+", "")
  end
  index = tid
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  wrk.headers["User-Agent"] =
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
end

function request()
  local path = paths[(index - 1) % #paths + 1]
  index = index + step
  return wrk.format("GET", path)
end
