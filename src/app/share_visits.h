#pragma once
// Share-link visits (GET /r/{code}): the code is looked up with a read, never on the writer, and
// a visit is counted at most once per client and code per kVisitWindow, in sets that one write
// function takes (WriteCoalescer, as clicks and orders are): a flood of share links neither stalls
// the writer nor moves a promoter's visit count. Thread-safe; Visit blocks on a read only.
// Errors: kNotFound for an unknown code, store errors of the read.
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/async.h"
#include "app/coalescer.h"
#include "app/links.h"
#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

class ShareVisits {
 public:
  // One visit per client (IP address) and code in this window.
  static constexpr Millis kVisitWindow{24LL * 3600 * 1000};
  // Clients remembered per node; past it, expired entries go, and if none has, all of them.
  static constexpr size_t kMaxRemembered = 100'000;

  // `async` counts the visits waiting to be written (App::WaitForAsync waits for them).
  ShareVisits(store::Store& store, const Clock& clock, const Links& links, AsyncCalls& async);

  // Where to send a visitor of `code` (the shop's landing URL with the code). Counts the visit,
  // later and in a set, unless `client` visited this code within kVisitWindow.
  Result<std::string> Visit(std::string_view code, std::string_view client);

 private:
  struct Item {
    store::Id code = 0;
    Instant at{};
    std::function<void()> finished;  // ends the async call
  };
  struct NoState {};
  using Coalescer = WriteCoalescer<Item, NoState>;

  // Whether `client` has not visited `code` within the window (and remembers it has now).
  bool FirstInWindow(store::Id code, std::string_view client, Instant now);

  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
  AsyncCalls& async_;
  std::mutex mu_;
  std::unordered_map<std::string, Instant> seen_;  // "<code id> <client>" -> last counted visit
  Coalescer visits_;
};

}  // namespace vouch::app
