#include "store/sql/sql_experiments.h"

#include "store/sql/sql_audiences.h"

#include <map>

namespace vouch::store::sql {
namespace {

constexpr const char* kExperimentCols =
    "id, shop_id, name, metric, minimum_effect_milli, window_days, status, created_at, stopped_at, "
    "adopted_variant";
constexpr const char* kVariantCols = "variant, name, discount_kind, discount_value, reward_minor, share_text";

Experiment ExperimentFrom(const Row& r) {
  Experiment e;
  e.id = Int(r, 0);
  e.shop_id = Int(r, 1);
  e.name = Text(r, 2);
  e.metric = Text(r, 3);
  e.minimum_effect_milli = Int(r, 4);
  e.window_days = Int(r, 5);
  e.status = Text(r, 6);
  e.created_at = Time(r, 7);
  e.stopped_at = OptTime(r, 8);
  if (auto v = OptInt(r, 9)) e.adopted_variant = static_cast<int>(*v);
  return e;
}

ExperimentVariant VariantFrom(const Row& r, size_t first) {
  ExperimentVariant v;
  v.variant = static_cast<int>(Int(r, first));
  v.name = Text(r, first + 1);
  v.discount_kind = Text(r, first + 2);
  v.discount_value = Int(r, first + 3);
  v.reward_minor = Int(r, first + 4);
  v.share_text = Text(r, first + 5);
  return v;
}

}  // namespace

Result<std::vector<Experiment>> SqlExperiments::Select(const std::string& where,
                                                       const std::vector<Value>& params) {
  std::vector<Experiment> out;
  VOUCH_TRY(c_.QueryEach(std::string("SELECT ") + kExperimentCols + " FROM experiments WHERE " + where,
                         params, [&](const Row& r) { out.push_back(ExperimentFrom(r)); }));
  for (auto& e : out) {
    VOUCH_TRY(c_.QueryEach(std::string("SELECT ") + kVariantCols +
                               " FROM experiment_variants WHERE experiment_id = ?1 AND shop_id = ?2 "
                               "ORDER BY variant",
                           {e.id, e.shop_id},
                           [&](const Row& r) { e.variants.push_back(VariantFrom(r, 0)); }));
  }
  return out;
}

Result<std::vector<Experiment>> SqlExperiments::List(Id shop) {
  return Select("shop_id = ?1 ORDER BY id DESC", {shop});
}

Result<std::optional<Experiment>> SqlExperiments::Find(Id shop, Id experiment) {
  auto found = Select("shop_id = ?1 AND id = ?2", {shop, experiment});
  if (!found) return found.error();
  if (found->empty()) return std::optional<Experiment>{};
  return std::optional<Experiment>{std::move(found->front())};
}

Result<std::optional<Experiment>> SqlExperiments::Running(Id shop) {
  auto found = Select("shop_id = ?1 AND status = 'running'", {shop});
  if (!found) return found.error();
  if (found->empty()) return std::optional<Experiment>{};
  return std::optional<Experiment>{std::move(found->front())};
}

Result<std::optional<ExperimentVariant>> SqlExperiments::VariantOfPromoter(Id shop, Id customer) {
  return One<ExperimentVariant>(
      c_,
      "SELECT v.variant, v.name, v.discount_kind, v.discount_value, v.reward_minor, v.share_text, 0 "
      "FROM experiment_assignments a JOIN experiment_variants v "
      "  ON v.experiment_id = a.experiment_id AND v.variant = a.variant "
      "WHERE a.shop_id = ?1 AND a.customer_id = ?2 "
      "UNION ALL "
      "SELECT -1, u.name, u.offer_kind, u.offer_value, u.offer_reward_minor, '', 1 "
      "FROM audience_offers f JOIN audiences u ON u.id = f.audience_id "
      "WHERE f.shop_id = ?1 AND f.customer_id = ?2 AND u.offer_kind IS NOT NULL "
      "ORDER BY 7 LIMIT 1",
      {shop, customer}, [](const Row& r) { return VariantFrom(r, 0); });
}

Status SqlExperiments::EachOutcome(Id shop, Id experiment, const std::optional<AudienceCut>& cut,
                                   const std::function<void(const ExperimentOutcomeRow&)>& row) {
  std::vector<Value> params{shop, experiment};
  std::string in_audience;
  if (cut) {
    in_audience =
        " AND EXISTS (SELECT 1 FROM referral_codes rc JOIN surveys s ON s.id = rc.survey_id "
        "JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = s.customer_id "
        "WHERE rc.id = a.code_id AND " +
        AudienceCondition(cut->audience, cut->shop_locale, params) + ")";
  }
  const std::string kSql =
      "SELECT a.customer_id, a.variant, a.assigned_at, r.created_at, r.revenue_minor, "
      "  (SELECT COALESCE(SUM(w.amount_minor), 0) FROM rewards w WHERE w.referral_id = r.id "
      "     AND w.status IN ('held', 'released')) "
      "FROM experiment_assignments a "
      "LEFT JOIN referrals r ON r.code_id = a.code_id AND r.status = 'qualified' "
      "WHERE a.shop_id = ?1 AND a.experiment_id = ?2" +
      in_audience;
  return c_.QueryEach(kSql, params, [&row](const Row& r) {
    ExperimentOutcomeRow o;
    o.customer_id = Int(r, 0);
    o.variant = static_cast<int>(Int(r, 1));
    o.assigned_at = Time(r, 2);
    o.referral_at = OptTime(r, 3);
    o.revenue_minor = Int(r, 4);
    o.reward_minor = Int(r, 5);
    row(o);
  });
}

Result<Id> SqlExperiments::Insert(const Experiment& e) {
  auto id = InsertReturningId(
      c_,
      "INSERT INTO experiments (shop_id, name, metric, minimum_effect_milli, window_days, "
      "status, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'running', ?6)",
      {e.shop_id, e.name, e.metric, e.minimum_effect_milli, e.window_days, Ms(e.created_at)});
  if (!id) {
    if (id.error().code == Code::kAlreadyExists) {
      return Error{Code::kAlreadyExists, "another experiment is running; stop it first", "name"};
    }
    return id.error();
  }
  for (const auto& v : e.variants) {
    VOUCH_TRY(Exec(c_,
                   "INSERT INTO experiment_variants (experiment_id, variant, shop_id, name, discount_kind, "
                   "discount_value, reward_minor, share_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                   {*id, int64_t{v.variant}, e.shop_id, v.name, v.discount_kind, v.discount_value,
                    v.reward_minor, v.share_text}));
  }
  return *id;
}

Status SqlExperiments::Assign(const ExperimentAssignment& a) {
  return Exec(c_,
              "INSERT INTO experiment_assignments (experiment_id, customer_id, shop_id, variant, code_id, "
              "assigned_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
              {a.experiment_id, a.customer_id, a.shop_id, int64_t{a.variant}, a.code_id, Ms(a.assigned_at)});
}

Result<int64_t> SqlExperiments::Finish(Id shop, Id experiment, const std::string& status, Instant at,
                                       std::optional<int> adopted_variant) {
  return c_.Exec(
      "UPDATE experiments SET status = ?3, stopped_at = COALESCE(stopped_at, ?4), adopted_variant = ?5 "
      "WHERE shop_id = ?1 AND id = ?2 AND status <> 'adopted'",
      {shop, experiment, status, Ms(at), adopted_variant ? Value{int64_t{*adopted_variant}} : Null()});
}

Result<std::optional<HoldoutDraw>> SqlExperiments::HoldoutOf(Id shop, Id customer) {
  return One<HoldoutDraw>(
      c_,
      "SELECT shop_id, customer_id, survey_id, held_out, percent, drawn_at FROM holdout_draws "
      "WHERE shop_id = ?1 AND customer_id = ?2",
      {shop, customer}, [](const Row& r) {
        HoldoutDraw d;
        d.shop_id = Int(r, 0);
        d.customer_id = Int(r, 1);
        d.survey_id = Int(r, 2);
        d.held_out = Int(r, 3) != 0;
        d.percent = Int(r, 4);
        d.drawn_at = Time(r, 5);
        return d;
      });
}

Status SqlExperiments::EachHoldoutOutcome(Id shop, Instant from, Instant to,
                                          const std::optional<AudienceCut>& cut,
                                          const std::function<void(const HoldoutOutcomeRow&)>& row) {
  std::vector<Value> params{shop, Ms(from), Ms(to)};
  std::string in_audience;
  if (cut) {
    in_audience =
        " AND EXISTS (SELECT 1 FROM surveys s JOIN orders o ON o.id = s.order_id "
        "JOIN customers c ON c.id = s.customer_id WHERE s.id = d.survey_id AND " +
        AudienceCondition(cut->audience, cut->shop_locale, params) + ")";
  }
  const std::string kSql =
      "SELECT d.customer_id, d.held_out, d.drawn_at, o.created_at, o.total_minor - o.refunded_minor, "
      "  o.currency "
      "FROM holdout_draws d "
      "LEFT JOIN orders o ON o.shop_id = d.shop_id AND o.customer_id = d.customer_id "
      "  AND o.created_at > d.drawn_at AND o.cancelled_at IS NULL "
      "WHERE d.shop_id = ?1 AND d.drawn_at >= ?2 AND d.drawn_at < ?3" +
      in_audience;
  return c_.QueryEach(kSql, params, [&row](const Row& r) {
    HoldoutOutcomeRow o;
    o.customer_id = Int(r, 0);
    o.held_out = Int(r, 1) != 0;
    o.drawn_at = Time(r, 2);
    o.order_at = OptTime(r, 3);
    if (o.order_at) {
      o.revenue_minor = Int(r, 4);
      o.currency = Text(r, 5);
    }
    row(o);
  });
}

Status SqlExperiments::RecordHoldout(const HoldoutDraw& d) {
  return Exec(
      c_,
      "INSERT INTO holdout_draws (shop_id, customer_id, survey_id, held_out, percent, drawn_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
      {d.shop_id, d.customer_id, d.survey_id, int64_t{d.held_out ? 1 : 0}, d.percent, Ms(d.drawn_at)});
}

}  // namespace vouch::store::sql
