/// A wrk Lua script whose every request POSTs a JSON body built from a key: each request a new
/// key (arguments: 0, run id), or one of `n` keys in turn (arguments: n, run id). `body` is a Lua
/// expression of `key`.
func uniqueBodyWrkScript(body: String) -> String {
    """
    local threads = 0
    function setup(thread)
      threads = threads + 1
      thread:set("tid", threads)
    end
    local counter = 0
    local keys = 0
    local prefix = ""
    function init(args)
      keys = tonumber(args[1]) or 0
      prefix = (args[2] or "run") .. "-" .. tostring(tid)
    end
    function request()
      counter = counter + 1
      local key
      if keys > 0 then key = "dedup-" .. (counter % keys) else key = prefix .. "-" .. counter end
      local body = \(body)
      return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
    end
    """
}
