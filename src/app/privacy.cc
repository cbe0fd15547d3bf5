#include "app/privacy.h"

#include <algorithm>

#include "app/ingest_steps.h"
#include "core/validate.h"

namespace vouch::app {

namespace {

// Everything held about `customer`.
Result<CustomerExport> ExportOf(store::ReadTx& tx, store::Id shop, const store::Customer& customer) {
  CustomerExport out;
  out.customer = customer;
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
}

}  // namespace

Result<CustomerExport> Privacy::Export(store::Id shop, const std::string& external_id) {
  return store_.Read<CustomerExport>([&](store::ReadTx& tx) -> Result<CustomerExport> {
    auto c = tx.customers().Find(shop, external_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("customer not found");
    return ExportOf(tx, shop, **c);
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

// The shop's customers the person may be held as, each once, in the order found: by the customer
// keys ingest stores (id, else email, else phone), and by the mailbox of the email (its canonical
// form, so "A.nna+x@googlemail.com" finds anna@gmail.com's rows under any customer id; rows
// without a canonical email by their raw one).
Result<std::vector<store::Customer>> SubjectCustomers(store::CustomerReads& customers, store::Id shop,
                                                      const PrivacySubject& who) {
  std::vector<store::Customer> out;
  auto add = [&](const store::Customer& c) {
    if (std::none_of(out.begin(), out.end(), [&](const store::Customer& o) { return o.id == c.id; })) {
      out.push_back(c);
    }
  };
  for (const std::string& key : KeysOf(who)) {
    auto c = customers.Find(shop, key);
    if (!c) return c.error();
    if (c->has_value()) add(**c);
  }
  if (auto e = core::NormalizeEmail(who.email, "email"); !who.email.empty() && e) {
    auto found = customers.FindByEmail(shop, *e);
    if (!found) return found.error();
    for (const auto& c : *found) add(c);
  }
  return out;
}

}  // namespace

Result<std::vector<CustomerExport>> Privacy::ExportSubject(store::Id shop, const PrivacySubject& who) {
  return store_.Read<std::vector<CustomerExport>>(
      [&](store::ReadTx& tx) -> Result<std::vector<CustomerExport>> {
        auto customers = SubjectCustomers(tx.customers(), shop, who);
        if (!customers) return customers.error();
        std::vector<CustomerExport> out;
        for (const auto& c : *customers) {
          auto e = ExportOf(tx, shop, c);
          if (!e) return e.error();
          out.push_back(std::move(*e));
        }
        return out;
      });
}

Result<int64_t> Privacy::EraseSubject(store::Id shop, const PrivacySubject& who) {
  return store_.Write<int64_t>([&](store::Tx& tx) -> Result<int64_t> {
    auto customers = SubjectCustomers(tx.customers(), shop, who);
    if (!customers) return customers.error();
    for (const auto& c : *customers) VOUCH_TRY(tx.customers().Erase(c.id));
    return static_cast<int64_t>(customers->size());
  });
}

Result<int64_t> Privacy::EraseAll(store::Id shop) {
  return store_.Write<int64_t>([&](store::Tx& tx) { return tx.customers().EraseAll(shop); });
}

}  // namespace vouch::app
