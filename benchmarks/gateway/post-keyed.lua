-- A prediction request carrying a user's key in a header: KEY_HEADER (default x-splitter-key),
-- one of 100,000 users drawn at random for each request. With a header the gateway does not read,
-- it costs wrk the same and the gateway draws at random: the unkeyed peer of the keyed run.
local header = os.getenv("KEY_HEADER") or "x-splitter-key"
local body = '{"key": "value"}'
math.randomseed(os.time())

request = function()
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers[header] = "user-" .. math.random(1, 100000)
  return wrk.format("POST", nil, headers, body)
end
