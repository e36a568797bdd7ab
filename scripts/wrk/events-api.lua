-- wrk script: POST /v1/events, one purchase per request with a unique
-- event_id (thread index and counter), bearer token from the first argument.
-- Prints the status counts as one JSON line at the end (see standard-webhooks.lua).
--   wrk -t2 -c64 -d20s -s scripts/wrk/events-api.lua URL -- TOKEN [RATE CONNECTIONS]
local threads = {}
local counter = 0

function setup(thread)
   thread:set("index", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

statuses = {}
pause = 0
sent = 0
headers = {}
template = nil
run = nil

function init(args)
   headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[1] }
   if args[2] and args[3] then pause = tonumber(args[3]) * 1000 / tonumber(args[2]) end
   run = string.format("%x%d", os.time(), index)
   local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
   template = '{"events":[{"event_id":"sale:wrk-' .. run .. ':%d","event_name":"Purchase","event_time":"' .. now .. '",'
      .. '"order_id":"' .. run .. '-%d","value":"129.90","currency":"EUR",'
      .. '"line_items":[{"id":"BK-1001","name":"Der Zauberberg (Hardcover)","quantity":1,"unit_price":"34.00"},'
      .. '{"id":"BK-2040","name":"Leselampe Messing","quantity":1,"unit_price":"89.90"},{"id":"SHIP","name":"Versand","quantity":1,"unit_price":"6.00"}],'
      .. '"customer":{"email":"buyer%d@example.com","phone":"+4915123456789","first_name":"Noah","last_name":"Schmidt",'
      .. '"city":"Hamburg","postal_code":"20095","country":"DE","external_id":"cust-%d"},'
      .. '"client":{"ip_address":"198.51.100.61","user_agent":"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",'
      .. '"landing_url":"https://books.example.de/zauberberg?fbclid=IwZXh0bgNhZW0BMABhZGlkAasb6Nr1TaZBHfP3wV8yS5",'
      .. '"click_ids":{"fbc":"fb.1.1773500000000.IwZXh0bgNhZW0BMABhZGlk","fbp":"fb.1.1773499990000.1122334455","gclid":"Cj0KCQiA-bench","ttclid":"E.C.P.bench"}},'
      .. '"consent":{"ad_user_data":"granted","ad_personalization":"granted"},"test":false}]}'
end

function delay()
   return pause
end

function request()
   sent = sent + 1
   return wrk.format("POST", nil, headers, string.format(template, sent, sent, sent, sent))
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
