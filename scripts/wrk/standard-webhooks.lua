-- wrk script: sends pre-signed Standard Webhooks purchases
-- (scripts/wrk/presign.py), one file per wrk thread, each request a new event
-- (a file used up starts over: those answer 200 "duplicate", and show in the
-- status counts). Prints the status counts as one JSON line at the end.
--   wrk -t2 -c64 -d20s -s scripts/wrk/standard-webhooks.lua URL -- PREFIX [RATE CONNECTIONS]
-- With RATE (requests per second, all connections together) and CONNECTIONS
-- (the -c value) every connection waits CONNECTIONS/RATE seconds between requests.
local threads = {}
local counter = 0

function setup(thread)
   thread:set("index", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

requests = {}
position = 0
statuses = {}
pause = 0

function init(args)
   for line in io.lines(args[1] .. "-" .. index .. ".txt") do
      local id, ts, sig, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", nil, {
         ["Content-Type"] = "application/json", ["webhook-id"] = id, ["webhook-timestamp"] = ts, ["webhook-signature"] = sig,
      }, body)
   end
   if args[2] and args[3] then pause = tonumber(args[3]) * 1000 / tonumber(args[2]) end
end

function delay()
   return pause
end

function request()
   position = position + 1
   if position > #requests then position = 1 end
   return requests[position]
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local total = {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
   end
   local parts = {}
   for status, n in pairs(total) do parts[#parts + 1] = string.format('"%d":%d', status, n) end
   io.write(string.format('{"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"errors":%d,"statuses":{%s}}\n',
      summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
      latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
      table.concat(parts, ",")))
end
