-- wrk script: replay pre-signed raw HTTP requests, each exactly once, then stop.
--
--   wrk -t T -c C -d CAP --timeout 10s -s replay.lua http://127.0.0.1:PORT -- FILE DONE_DIR T
--
-- FILE holds records "<length>\n<raw request bytes>". Thread k (1-based) sends records
-- k, k+T, k+2T, ... and stops after the last response; it then writes DONE_DIR/done-k so
-- the driver can end wrk (whose main thread otherwise sleeps for the whole -d cap), and
-- touches DONE_DIR/progress-k every 50 responses so the driver can end a stalled run.
-- Times come from CLOCK_MONOTONIC through LuaJIT's FFI: first send to last response.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")

local function now()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) + tonumber(clock.tv_nsec) / 1e9
end

function touch(name)
  local marker = assert(io.open(done_dir .. "/" .. name .. "-" .. id, "w"))
  marker:close()
end

function mark_done()
  touch("done")
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

-- Per-thread state is global on purpose: done() reads it back with thread:get().
function init(args)
  local path, threads_total = args[1], tonumber(args[3])
  done_dir = args[2]
  queue, sent, received, ok, failed = {}, 0, 0, 0, 0
  local file = assert(io.open(path, "rb"))
  local index = 0
  while true do
    local header = file:read("*l")
    if not header then break end
    local record = file:read(tonumber(header))
    if (index % threads_total) + 1 == id then
      table.insert(queue, record)
    end
    index = index + 1
  end
  file:close()
  quota = #queue
  if quota == 0 then mark_done() end
end

function request()
  if id == 1 and not verified then
    -- wrk calls request() once on the first thread before the run, only to count how
    -- many requests the string holds: answer with a real one but do not consume it.
    verified = true
    return queue[1] or wrk.format("GET", "/")
  end
  if sent >= quota then
    return "" -- nothing left: this connection idles until the thread stops
  end
  sent = sent + 1
  if not first_sent then first_sent = now() end
  return queue[sent]
end

function response(status, headers, body)
  received = received + 1
  last_received = now()
  if status == 200 then ok = ok + 1 else failed = failed + 1 end
  if received % 50 == 0 then touch("progress") end -- lets the driver notice a stall
  if received >= quota then
    mark_done()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local started, finished, totals = nil, nil, { sent = 0, received = 0, ok = 0, failed = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(totals) do
      totals[key] = totals[key] + (thread:get(key) or 0)
    end
    local first, last = thread:get("first_sent"), thread:get("last_received")
    if first and (not started or first < started) then started = first end
    if last and (not finished or last > finished) then finished = last end
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT sent=%d received=%d ok=%d failed=%d seconds=%.6f p50_us=%d p90_us=%d p99_us=%d " ..
    "max_us=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    totals.sent, totals.received, totals.ok, totals.failed, (finished or 0) - (started or 0),
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    errors.connect, errors.read, errors.write, errors.timeout))
end
