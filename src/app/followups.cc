#include "app/followups.h"

#include <algorithm>
#include <string_view>

namespace vouch::app {
namespace {

// Printable text: no control characters but, where `lines`, CR, LF and tab.
bool Printable(std::string_view s, bool lines) {
  for (unsigned char c : s) {
    if (c == 0x7f) return false;
    if (c < 0x20 && !(lines && (c == '\n' || c == '\r' || c == '\t'))) return false;
  }
  return true;
}

Status CheckText(const std::optional<std::string>& v, const char* field, size_t max, bool lines) {
  if (!v) return OkStatus();
  if (v->size() > max) return InvalidArgument(field, "must be at most " + std::to_string(max) + " bytes");
  if (!Printable(*v, lines)) return InvalidArgument(field, "must not contain control characters");
  return OkStatus();
}

std::optional<std::string> Cleared(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

}  // namespace

store::Followup FollowupOrOpen(const std::optional<store::Followup>& stored, store::Id shop,
                               store::Id survey) {
  if (stored) return *stored;
  store::Followup f;
  f.survey_id = survey;
  f.shop_id = shop;
  return f;
}

Result<store::Followup> Followups::Update(store::Id shop, store::Id survey, const FollowupPatch& patch) {
  if (!patch.owner && !patch.note && !patch.resolved) {
    return InvalidArgument("body", "must set at least one of owner, note and resolved");
  }
  VOUCH_TRY(CheckText(patch.owner, "owner", kMaxFollowupOwner, false));
  VOUCH_TRY(CheckText(patch.note, "note", kMaxFollowupNote, true));
  const Instant now = clock_.Now();
  return store_.Write<store::Followup>([&](store::Tx& tx) -> Result<store::Followup> {
    auto s = tx.surveys().Get(survey);
    if (!s) return s.error();
    // Another shop's survey is as unknown as a missing one.
    if (!*s || (*s)->shop_id != shop || !(*s)->score || (*s)->answer_state == store::AnswerState::kNone) {
      return Error{Code::kNotFound, "no answered survey with this id", "survey_id"};
    }
    if (*(*s)->score > 6) {
      return Error{Code::kFailedPrecondition, "only a detractor's answer (score 0-6) has a follow-up",
                   "survey_id"};
    }
    auto stored = tx.followups().Find(shop, survey);
    if (!stored) return stored.error();
    store::Followup f = FollowupOrOpen(*stored, shop, survey);
    if (!*stored) f.created_at = now;
    if (patch.owner) f.owner = Cleared(*patch.owner);
    if (patch.note) f.note = Cleared(*patch.note);
    if (patch.resolved) {
      if (*patch.resolved && f.status != store::FollowupStatus::kResolved) {
        f.status = store::FollowupStatus::kResolved;
        f.resolved_at = now;
      } else if (!*patch.resolved) {
        f.status = store::FollowupStatus::kOpen;
        f.resolved_at.reset();
      }
    }
    f.updated_at = now;
    VOUCH_TRY(tx.followups().Upsert(f));
    return f;
  });
}

Result<FollowupSummary> Followups::Summary(store::Id shop, Instant from, Instant to) {
  if (to <= from) return InvalidArgument("to", "must be after from");
  auto counts = store_.ReadOne<store::FollowupCounts>(
      [&](store::ReadTx& tx) { return tx.followups().Counts(shop, from, to); });
  if (!counts) return counts.error();
  FollowupSummary out;
  out.open = counts->open;
  out.resolved = counts->resolved;
  auto& ms = counts->resolve_millis;
  if (!ms.empty()) {
    std::sort(ms.begin(), ms.end());
    const size_t n = ms.size();
    const double mid = n % 2 == 1 ? static_cast<double>(ms[n / 2])
                                  : (static_cast<double>(ms[n / 2 - 1]) + static_cast<double>(ms[n / 2])) / 2;
    out.median_hours_to_resolve = mid / 3'600'000.0;
  }
  return out;
}

}  // namespace vouch::app
