#include "app/privacy.h"

#include <algorithm>

#include "app/ingest_steps.h"
#include "core/validate.h"

namespace vouch::app {

Result<CustomerExport> Privacy::Export(store::Id shop, const std::string& external_id) {
  return store_.Read<CustomerExport>([&](store::ReadTx& tx) -> Result<CustomerExport> {
    auto c = tx.customers().Find(shop, external_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("customer not found");
    CustomerExport out;
    out.customer = **c;
    auto orders = tx.orders().ListByCustomer(out.customer.id);
    if (!orders) return orders.error();
    out.orders = std::move(*orders);
    auto surveys = tx.surveys().ListByCustomer(out.customer.id);
    if (!surveys) return surveys.error();
    out.surveys = std::move(*surveys);
    auto code = tx.referrals().FindCodeByPromoter(shop, out.customer.id);
    if (!code) return code.error();
    out.code = *code;
    return out;
  });
}

Status Privacy::Erase(store::Id shop, const std::string& external_id) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto c = tx.customers().Find(shop, external_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("customer not found");
    return tx.customers().Erase((*c)->id);
  });
}

namespace {

// The customer keys ingest may have stored the person under (ingest_steps::CustomerKey).
std::vector<std::string> KeysOf(const PrivacySubject& who) {
  std::vector<std::string> keys;
  // One contact point at a time: CustomerKey takes the id, else the email, else the phone.
  auto add = [&](std::string CustomerInput::*field, std::string value) {
    CustomerInput c;
    c.*field = std::move(value);
    std::string k = ingest_steps::CustomerKey(c);
    if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(std::move(k));
  };
  if (!who.external_id.empty()) add(&CustomerInput::external_id, who.external_id);
  if (auto e = core::NormalizeEmail(who.email, "email"); !who.email.empty() && e) {
    add(&CustomerInput::email, std::move(*e));
  }
  if (auto p = core::NormalizePhone(who.phone, "phone"); !who.phone.empty() && p) {
    add(&CustomerInput::phone, std::move(*p));
  }
  return keys;
}

}  // namespace

Result<std::vector<CustomerExport>> Privacy::ExportSubject(store::Id shop, const PrivacySubject& who) {
  std::vector<CustomerExport> out;
  for (const std::string& key : KeysOf(who)) {
    auto e = Export(shop, key);
    if (!e && e.error().code == Code::kNotFound) continue;
    if (!e) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

Result<int64_t> Privacy::EraseSubject(store::Id shop, const PrivacySubject& who) {
  int64_t n = 0;
  for (const std::string& key : KeysOf(who)) {
    Status s = Erase(shop, key);
    if (!s.ok() && s.error().code == Code::kNotFound) continue;
    if (!s.ok()) return s.error();
    ++n;
  }
  return n;
}

Result<int64_t> Privacy::EraseAll(store::Id shop) {
  return store_.Write<int64_t>([&](store::Tx& tx) { return tx.customers().EraseAll(shop); });
}

}  // namespace vouch::app
