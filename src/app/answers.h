#pragma once
// Answers: what customers do with the links they got — answer clicks (with the scanner judgement
// of core/clicks.h), confirmations, comments and unsubscribes — and the answer page's view.
// An answer's writes (click log, survey, NPS rollup deltas, a promoter's code and held
// activation job) go in one transaction.
//
// GET clicks from the I/O threads (RecordClickAsync) wait in a WriteCoalescer and are applied as
// a set by one write function with a few statements per table (app/click_set.cc); clicks on one
// survey go in successive rounds of the set, so each sees the ones before; a set the store
// refuses is rolled back and its clicks run one by one.
//
// Thread-safe: every method may be called from any thread; all but RecordClickAsync block on
// the store. Errors: kNotFound for an unknown or forged token, kInvalidArgument for a score out of
// 0..10 or a comment too long, kFailedPrecondition for a comment before an answer, store errors.
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/async.h"
#include "app/coalescer.h"
#include "app/links.h"
#include "app/referrals.h"
#include "app/unsubscribes.h"
#include "app/webhooks.h"
#include "base/result.h"
#include "base/time.h"
#include "core/clicks.h"
#include "store/store.h"

namespace vouch::app {

// What the answer page shows.
struct AnswerView {
  store::Shop shop;
  store::Survey survey;
  std::string first_name;
  std::string locale;
  core::ClickVerdict verdict = core::ClickVerdict::kCount;
  bool locked = false;  // the answer is older than the change window and was not changed
  std::optional<store::ReferralCode> code;
  ShareLinks share;
  std::string offer_text;
};

class Answers {
 public:
  // `async` counts RecordClickAsync calls in flight, `notifier` wakes the workers when an
  // activation is due at once; both outlive this object.
  Answers(store::Store& store, const Clock& clock, const Links& links, Referrals& referrals,
          AsyncCalls& async, const WorkNotifier& notifier, Unsubscribes& unsubscribes, Webhooks& webhooks);

  // `token` is the survey token from the link; `client_ip` the address the answer came from (a
  // promoter's network is remembered for the shared-network rule, app/promoter_networks.h; ""
  // for none).
  Result<AnswerView> RecordClick(std::string_view token, int score, std::string_view method,
                                 std::string_view user_agent, std::string_view client_ip = {});
  // As RecordClick, without blocking: `done` runs once, on the store's writer thread when the
  // answer is durable or failed, or at once on the caller's thread for an invalid link or score.
  // It must be quick and must not call the store.
  void RecordClickAsync(std::string_view token, int score, std::string method, std::string user_agent,
                        std::function<void(Result<AnswerView>)> done, std::string client_ip = {});
  // RecordClickAsync calls so far (for tests and diagnostics).
  uint64_t AsyncClicks() const { return async_clicks_.load(std::memory_order_relaxed); }
  // A person's confirmation (the page's button): counts even where a click looked automatic.
  Result<AnswerView> Confirm(std::string_view token, int score, std::string_view client_ip = {});
  Result<AnswerView> View(std::string_view token);
  Status SaveComment(std::string_view token, std::string comment);
  // One-click unsubscribe (RFC 8058) and the page's button; `token` is an unsubscribe token.
  Status Unsubscribe(std::string_view token);
  Result<store::Shop> UnsubscribeShop(std::string_view token);

 private:
  // A GET click queued by RecordClickAsync.
  struct QueuedClick {
    store::Id survey = 0;
    int score = 0;
    std::string method;
    std::string user_agent;
    Instant now{};
    std::function<void(Result<AnswerView>)> done;
    std::function<void()> finished;  // ends the async call (AsyncCalls::Begin)
    std::string client_ip;           // read only when the answer makes a promoter
  };
  struct ClickState {
    std::vector<std::optional<Result<AnswerView>>> results;
    bool activate_now = false;
  };
  using ClickCoalescer = WriteCoalescer<QueuedClick, ClickState>;

  Result<AnswerView> Apply(std::string_view token, int score, std::string_view method,
                           std::string_view user_agent, bool confirmed, std::string_view client_ip);
  // The answer's writes in `tx`; sets `activate_now` when an activation mail is due at once.
  Result<AnswerView> ApplyInTx(store::Tx& tx, store::Id survey_id, int score, std::string_view method,
                               std::string_view user_agent, bool confirmed, Instant now, bool& activate_now,
                               std::string_view client_ip);
  // A promoter's code and activation job (due at once when a person confirmed the answer), and
  // the network they answered from (`client_ip`).
  Status ActivatePromoterInTx(store::Tx& tx, const store::Shop& shop, const store::Customer& customer,
                              const store::Survey& survey, bool confirmed, Instant now, bool& activate_now,
                              std::string_view client_ip);
  // The answer page's view of `survey` (reads a promoter's code).
  Result<AnswerView> ViewOf(store::ReadTx& tx, const store::Survey& survey, const store::Shop& shop,
                            const store::Customer& customer);
  Result<AnswerView> MakeView(store::ReadTx& tx, const store::Survey& survey);

  // An answer's events: response.created (and detractor.created for 0-6) when a survey's answer
  // first counts, sent after kResponseEventDelay so the comment comes along.
  Status EmitAnswerInTx(store::Tx& tx, const store::Survey& before, const store::Survey& after, Instant now);

  // The click set (app/click_set.cc).
  Status RunClickSet(store::Tx& tx, ClickCoalescer::Set& set);
  struct Round;
  Status ClickRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, const std::vector<size_t>& round);
  Status LoadRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, Round& r);
  Status WriteRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, Round& r);
  Status ViewRoundInTx(store::Tx& tx, ClickCoalescer::Set& set, Round& r);
  void FinishClickSet(ClickCoalescer::Set& set);
  // A click of a set the store refused, on its own.
  void ApplyAlone(QueuedClick&& q);
  static void AnswerClick(QueuedClick& q, Result<AnswerView> r);

  store::Store& store_;
  const Clock& clock_;
  const Links& links_;
  Referrals& referrals_;
  AsyncCalls& async_;
  const WorkNotifier& notifier_;
  Unsubscribes& unsubscribes_;
  Webhooks& webhooks_;
  std::atomic<uint64_t> async_clicks_{0};
  ClickCoalescer clicks_;
};

}  // namespace vouch::app
