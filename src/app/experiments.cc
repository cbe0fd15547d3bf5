#include "app/experiments.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "app/links.h"
#include "app/shops.h"
#include "core/validate.h"
#include "delivery/templates.h"

namespace vouch::app {
namespace {

constexpr Millis kDay{std::chrono::days{1}};

Status ValidateVariant(const VariantInput& v, size_t i) {
  const std::string at = "variants[" + std::to_string(i) + "].";
  if (v.name.empty() || v.name.size() > 100) return InvalidArgument(at + "name", "must be 1-100 bytes");
  if (v.discount_kind != "percent" && v.discount_kind != "amount") {
    return InvalidArgument(at + "discount_kind", "must be \"percent\" or \"amount\"");
  }
  if (v.discount_value < 0 || (v.discount_kind == "percent" && v.discount_value > 100)) {
    return InvalidArgument(at + "discount_value", "must be 0-100 for a percent discount and not negative");
  }
  if (v.reward_minor < 0) return InvalidArgument(at + "reward_minor", "must not be negative");
  if (v.share_text.size() > kMaxShareText) {
    return InvalidArgument(at + "share_text", "must be at most 2000 bytes");
  }
  if (!v.share_text.empty()) {
    if (auto s = delivery::ValidateTemplate(v.share_text); !s)
      return Error{s.error().code, s.error().message, at + "share_text"};
    if (auto s = CheckShareDisclosure("share.txt", v.share_text); !s) {
      return Error{s.error().code, s.error().message, at + "share_text"};
    }
  }
  return OkStatus();
}

Status Validate(const ExperimentInput& in) {
  if (in.name.empty() || in.name.size() > kMaxExperimentName)
    return InvalidArgument("name", "must be 1-200 bytes");
  if (in.metric != "referred_orders" && in.metric != "net_revenue") {
    return InvalidArgument("metric", "must be \"referred_orders\" or \"net_revenue\"");
  }
  if (!(in.minimum_effect > 0) || in.minimum_effect > 1e12) {
    return InvalidArgument("minimum_effect", "must be a positive number");
  }
  if (in.window_days < 1 || in.window_days > 90) return InvalidArgument("window_days", "must be 1-90");
  if (in.variants.size() < 2 || in.variants.size() > static_cast<size_t>(kMaxVariants)) {
    return InvalidArgument("variants", "must hold 2-4 variants");
  }
  for (size_t i = 0; i < in.variants.size(); ++i) VOUCH_TRY(ValidateVariant(in.variants[i], i));
  return OkStatus();
}

// The end of the UTC day `t` falls in.
Instant DayEnd(Instant t) { return FromUnixMillis((DayNumber(t) + 1) * kDay.count()); }

}  // namespace

void ApplyVariantOffer(const store::ExperimentVariant& v, store::Shop& shop) {
  shop.settings.discount_kind = v.discount_kind;
  shop.settings.discount_value = v.discount_value;
  shop.settings.reward_minor = v.reward_minor;
}

void ApplyVariantShareText(const store::ExperimentVariant& v, const std::string& locale,
                           std::map<std::string, std::string>& overrides) {
  if (v.share_text.empty()) return;
  std::erase_if(overrides, [](const auto& kv) {
    return kv.first.size() >= 10 && kv.first.compare(kv.first.size() - 10, 10, "/share.txt") == 0;
  });
  overrides[core::LanguageOf(locale) + "/share.txt"] = v.share_text;
  overrides["en/share.txt"] = v.share_text;
}

Result<store::Experiment> Experiments::Create(const store::Shop& shop, const ExperimentInput& in) {
  VOUCH_TRY(Validate(in));
  store::Experiment e;
  e.shop_id = shop.id;
  e.name = in.name;
  e.metric = in.metric;
  e.minimum_effect_milli = std::llround(in.minimum_effect * 1000);
  if (e.minimum_effect_milli < 1) return InvalidArgument("minimum_effect", "must be at least 0.001");
  e.window_days = in.window_days;
  e.created_at = clock_.Now();
  for (size_t i = 0; i < in.variants.size(); ++i) {
    const auto& v = in.variants[i];
    e.variants.push_back(
        {static_cast<int>(i), v.name, v.discount_kind, v.discount_value, v.reward_minor, v.share_text});
  }
  auto id = store_.Write<store::Id>([&](store::Tx& tx) -> Result<store::Id> {
    auto running = tx.experiments().Running(shop.id);
    if (!running) return running.error();
    if (running->has_value()) {
      return Error{Code::kAlreadyExists, "another experiment is running; stop it first", "name"};
    }
    return tx.experiments().Insert(e);
  });
  if (!id) return id.error();
  e.id = *id;
  return e;
}

Result<std::vector<store::Experiment>> Experiments::List(store::Id shop) {
  return store_.Read<std::vector<store::Experiment>>(
      [&](store::ReadTx& tx) { return tx.experiments().List(shop); });
}

Result<ExperimentResults> Experiments::Results(const store::Shop& shop, store::Id experiment,
                                               const std::optional<store::AudienceCut>& cut) {
  struct Promoter {
    int variant = 0;
    Instant complete_at{};
    Instant assigned_at{};
    double value = 0;
  };
  ExperimentResults out;
  std::map<store::Id, Promoter> promoters;
  VOUCH_TRY(store_.Read<Ok>([&](store::ReadTx& tx) -> Status {
    auto found = tx.experiments().Find(shop.id, experiment);
    if (!found) return found.error();
    if (!found->has_value()) return Error{Code::kNotFound, "no such experiment", "id"};
    out.experiment = std::move(**found);
    const Millis window{std::chrono::days{out.experiment.window_days}};
    const bool revenue = out.experiment.metric == "net_revenue";
    if (cut) out.audience = cut->audience;
    return tx.experiments().EachOutcome(shop.id, experiment, cut, [&](const store::ExperimentOutcomeRow& r) {
      Promoter& p = promoters[r.customer_id];
      p.variant = r.variant;
      p.assigned_at = r.assigned_at;
      p.complete_at = r.assigned_at + window;
      if (r.referral_at && *r.referral_at < p.complete_at) {
        p.value += revenue ? static_cast<double>(r.revenue_minor - r.reward_minor) : 1.0;
      }
    });
  }));
  const store::Experiment& e = out.experiment;
  out.unit = e.metric == "net_revenue" ? "minor_units" : "orders";
  out.currency = shop.settings.currency;
  const size_t arms = e.variants.size();
  for (const auto& v : e.variants) out.variants.push_back({v, 0, 0, 0});
  std::vector<const Promoter*> order;
  for (const auto& [id, p] : promoters) {
    if (p.variant < 0 || static_cast<size_t>(p.variant) >= arms) continue;
    ++out.variants[static_cast<size_t>(p.variant)].assigned;
    order.push_back(&p);
  }
  std::sort(order.begin(), order.end(),
            [](const Promoter* a, const Promoter* b) { return a->complete_at < b->complete_at; });
  // One look at the end of every UTC day since the start, up to now (or the stop), and one now.
  const Instant end = e.stopped_at ? *e.stopped_at : clock_.Now();
  std::vector<Instant> times;
  for (Instant t = DayEnd(e.created_at); t <= end; t = t + kDay) times.push_back(t);
  if (times.empty() || times.back() < end) times.push_back(end);
  std::vector<std::vector<core::ArmSummary>> looks;
  looks.reserve(times.size());
  std::vector<core::ArmSummary> arm(arms);
  size_t next = 0;
  for (Instant t : times) {
    for (; next < order.size() && order[next]->complete_at <= t; ++next) {
      arm[static_cast<size_t>(order[next]->variant)].Add(order[next]->value);
    }
    looks.push_back(arm);
  }
  for (size_t v = 0; v < arms; ++v) {
    out.variants[v].complete = arm[v].n;
    out.variants[v].mean = arm[v].Mean();
  }
  core::SequentialParams params;
  params.alpha = kExperimentAlpha;
  params.minimum_effect = static_cast<double>(e.minimum_effect_milli) / 1000.0;
  params.min_per_arm = kMinPromotersPerArm;
  out.test = core::RunSequentialTest(looks, params);
  if (out.test.decided_at >= 0) out.decided_at = times[static_cast<size_t>(out.test.decided_at)];
  out.evaluated_until = times.empty() ? end : times.back();
  return out;
}

Result<store::Experiment> Experiments::Stop(store::Id shop, store::Id experiment) {
  const Instant now = clock_.Now();
  return store_.Write<store::Experiment>([&](store::Tx& tx) -> Result<store::Experiment> {
    auto found = tx.experiments().Find(shop, experiment);
    if (!found) return found.error();
    if (!found->has_value()) return Error{Code::kNotFound, "no such experiment", "id"};
    if ((*found)->status != "running")
      return Error{Code::kFailedPrecondition, "the experiment is not running", "id"};
    auto n = tx.experiments().Finish(shop, experiment, "stopped", now, std::nullopt);
    if (!n) return n.error();
    store::Experiment e = **found;
    e.status = "stopped";
    e.stopped_at = now;
    return e;
  });
}

Result<store::Experiment> Experiments::Adopt(const store::Shop& shop, store::Id experiment,
                                             std::optional<int> variant) {
  if (!variant) {
    auto results = Results(shop, experiment);
    if (!results) return results.error();
    if (results->test.decision != core::ExperimentDecision::kWinner) {
      return Error{Code::kFailedPrecondition, "the experiment has no winner yet; name the variant to adopt",
                   "variant"};
    }
    variant = results->test.winner;
  }
  const Instant now = clock_.Now();
  auto adopted = store_.Write<store::Experiment>([&](store::Tx& tx) -> Result<store::Experiment> {
    auto found = tx.experiments().Find(shop.id, experiment);
    if (!found) return found.error();
    if (!found->has_value()) return Error{Code::kNotFound, "no such experiment", "id"};
    store::Experiment e = **found;
    if (e.status == "adopted")
      return Error{Code::kFailedPrecondition, "the experiment was adopted already", "id"};
    if (*variant < 0 || static_cast<size_t>(*variant) >= e.variants.size()) {
      return InvalidArgument("variant", "no such variant");
    }
    const store::ExperimentVariant& v = e.variants[static_cast<size_t>(*variant)];
    auto current = tx.shops().Get(shop.id);
    if (!current) return current.error();
    if (!current->has_value()) return NotFound("shop not found");
    store::Shop s = **current;
    ApplyVariantOffer(v, s);
    VOUCH_TRY(tx.shops().Update(s));
    if (!v.share_text.empty()) {
      VOUCH_TRY(
          tx.templates().Put(shop.id, core::LanguageOf(s.settings.locale) + "/share.txt", v.share_text));
    }
    // A stopped experiment keeps its stop time.
    auto n = tx.experiments().Finish(shop.id, experiment, "adopted", now, *variant);
    if (!n) return n.error();
    if (!e.stopped_at) e.stopped_at = now;
    e.status = "adopted";
    e.adopted_variant = *variant;
    return e;
  });
  shops_.ForgetCached(shop.id);  // after the commit: a request now reads the new offer
  return adopted;
}

Status Experiments::AssignInTx(store::Tx& tx, store::Id shop, store::Id customer,
                               const store::ReferralCode& code) {
  auto running = tx.experiments().Running(shop);
  if (!running) return running.error();
  if (!running->has_value() || code.created_at < (*running)->created_at) return OkStatus();
  const store::Experiment& e = **running;
  store::ExperimentAssignment a;
  a.experiment_id = e.id;
  a.customer_id = customer;
  a.shop_id = shop;
  a.variant = core::AssignVariant(e.id, customer, static_cast<int>(e.variants.size()));
  a.code_id = code.id;
  a.assigned_at = code.created_at;
  return tx.experiments().Assign(a);
}

}  // namespace vouch::app
