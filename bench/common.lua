-- Shared by the wrk scripts of bench/run: per-thread numbering and a machine-readable summary.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function bench_thread_count() return #threads end

-- Prints one line that bench/run parses: counts, errors and latency percentiles in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end

-- An order JSON object with a fresh id and a fresh customer (so throttling never skips it).
function bench_order(prefix, n)
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  return string.format(
    '{"id":"%s-%d","created_at":"%s","currency":"EUR","total_price":"42.00",' ..
    '"customer":{"id":"c-%s-%d","email":"c-%s-%d@bench.test","first_name":"Bench"},' ..
    '"line_items":[{"product_id":"p1","title":"Trail shoe","category":"shoes","quantity":1,' ..
    '"price":"42.00"}]}', prefix, n, now, prefix, n, prefix, n)
end
