#include "store/sql/sql_customers.h"

#include <fmt/format.h>

#include "core/identity.h"

namespace vouch::store::sql {

Result<std::optional<Customer>> SqlCustomers::Find(Id shop, const std::string& external_id) {
  return One<Customer>(
      c_, fmt::format("SELECT {} FROM customers WHERE shop_id = ?1 AND external_id = ?2", kCustomerCols),
      {shop, external_id}, CustomerFrom);
}

Result<std::optional<Customer>> SqlCustomers::Get(Id customer) {
  return One<Customer>(c_, fmt::format("SELECT {} FROM customers WHERE id = ?1", kCustomerCols), {customer},
                       CustomerFrom);
}

Result<Id> SqlCustomers::Insert(const Customer& c) {
  // ON CONFLICT DO NOTHING, not a failing INSERT: on PostgreSQL a unique violation would abort
  // the transaction, and the caller wants to read the other node's customer and go on.
  return InsertUnlessTaken(
      c_,
      "INSERT INTO customers (shop_id, external_id, email, phone, first_name, last_name, locale, "
      "unsubscribed_at, last_survey_at, accepts_email_marketing, accepts_sms_marketing, canonical_email) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
      "shop_id, external_id",
      {c.shop_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.locale,
       Opt(c.unsubscribed_at), Opt(c.last_survey_at), Opt(c.accepts_email_marketing),
       Opt(c.accepts_sms_marketing), core::CanonicalEmail(c.email)},
      "customer " + c.external_id);
}

Status SqlCustomers::Update(const Customer& c) {
  return Exec(c_,
              "UPDATE customers SET email = ?2, phone = ?3, first_name = ?4, last_name = ?5, locale = ?6, "
              "unsubscribed_at = ?7, last_survey_at = ?8, accepts_email_marketing = ?9, "
              "accepts_sms_marketing = ?10, canonical_email = ?11 WHERE id = ?1",
              {c.id, c.email, c.phone, c.first_name, c.last_name, c.locale, Opt(c.unsubscribed_at),
               Opt(c.last_survey_at), Opt(c.accepts_email_marketing), Opt(c.accepts_sms_marketing),
               core::CanonicalEmail(c.email)});
}

namespace {

// What erasure does beyond the customer row, for the customers `who` selects ("= ?1": one
// customer; "IN (SELECT id FROM customers WHERE shop_id = ?1)": a shop's):
// - the referral code (built from the first name) is renamed to "erased-<id>", which no
//   normalised (upper-case) code can equal, so it never resolves again, and expired as of its
//   creation, so nothing attributes to it; orders that used it name the new text;
// - survey comments and click user agents are blanked, the networks a promoter answered from
//   (promoter_networks) deleted;
// - job errors of the customer's messages are blanked (SMTP replies echo addresses).
Status EraseTraces(Connection& c, const std::string& who, int64_t key) {
  const std::string promoter = "promoter_id " + who;
  VOUCH_TRY(Exec(c,
                 "UPDATE orders SET discount_codes = COALESCE(REPLACE(discount_codes, "
                 "(SELECT rc.code FROM referral_codes rc WHERE rc.id = "
                 "(SELECT r.code_id FROM referrals r WHERE r.order_id = orders.id)), "
                 "'ERASED'), discount_codes) WHERE id IN (SELECT order_id FROM referrals WHERE " +
                     promoter + ")",
                 {key}));
  VOUCH_TRY(Exec(c,
                 "UPDATE referral_codes SET code = 'erased-' || id, expires_at = created_at WHERE " +
                     promoter + " AND code NOT LIKE 'erased-%'",
                 {key}));
  VOUCH_TRY(Exec(c,
                 "UPDATE orders SET browser_ip = '', ship_line1 = '', ship_zip = '', landing_site = '' "
                 "WHERE customer_id " +
                     who,
                 {key}));
  VOUCH_TRY(Exec(c, "UPDATE surveys SET comment = '' WHERE customer_id " + who, {key}));
  VOUCH_TRY(Exec(c, "DELETE FROM promoter_networks WHERE customer_id " + who, {key}));
  VOUCH_TRY(Exec(c,
                 "UPDATE clicks SET user_agent = '' WHERE survey_id IN "
                 "(SELECT id FROM surveys WHERE customer_id " +
                     who + ")",
                 {key}));
  return Exec(c,
              "UPDATE jobs SET last_error = '' WHERE last_error <> '' AND ("
              "(kind IN ('survey', 'reminder') AND ref_id IN (SELECT id FROM surveys WHERE customer_id " +
                  who +
                  ")) OR "
                  "(kind = 'activation' AND ref_id IN (SELECT id FROM referral_codes WHERE " +
                  promoter +
                  ")) OR "
                  "(kind IN ('reward', 'reward_release') AND ref_id IN (SELECT id FROM rewards WHERE " +
                  promoter + ")))",
              {key});
}

}  // namespace

Status SqlCustomers::Erase(Id customer) {
  VOUCH_TRY(Exec(
      c_,
      "UPDATE customers SET email = '', canonical_email = '', phone = '', first_name = '', last_name = '', "
      "external_id = 'erased-' || id WHERE id = ?1",
      {customer}));
  return EraseTraces(c_, "= ?1", customer);
}

Result<int64_t> SqlCustomers::EraseAll(Id shop) {
  auto n = c_.Exec(
      "UPDATE customers SET email = '', canonical_email = '', phone = '', first_name = '', last_name = '', "
      "external_id = 'erased-' || id WHERE shop_id = ?1 AND external_id NOT LIKE 'erased-%'",
      {shop});
  if (!n) return n.error();
  VOUCH_TRY(EraseTraces(c_, "IN (SELECT id FROM customers WHERE shop_id = ?1)", shop));
  return *n;
}

Result<std::vector<std::string>> SqlCustomers::FindUnsubscribed(Id shop,
                                                                const std::vector<std::string>& identities) {
  std::vector<std::string> out;
  if (identities.empty()) return out;
  VOUCH_TRY(ForChunks(identities.size(), [&](size_t at, size_t n) {
    std::vector<Value> params{shop};
    for (size_t i = at; i < at + n; ++i) params.emplace_back(identities[i]);
    return c_.QueryEach(
        "SELECT identity FROM unsubscribes WHERE shop_id = ?1 AND identity IN (" + Placeholders(n, 2) + ")",
        params, [&](Row& r) { out.push_back(Text(r, 0)); });
  }));
  return out;
}

Result<std::vector<Customer>> SqlCustomers::ListUnsubscribed(Id after, int limit) {
  std::vector<Customer> out;
  VOUCH_TRY(c_.QueryEach(
      fmt::format(
          "SELECT {} FROM customers WHERE id > ?1 AND unsubscribed_at IS NOT NULL ORDER BY id LIMIT ?2",
          kCustomerCols),
      {after, int64_t{limit}}, [&](Row& r) { out.push_back(CustomerFrom(r)); }));
  return out;
}

Status SqlCustomers::AddUnsubscribes(Id shop, const std::vector<std::string>& identities, Instant at) {
  for (const std::string& identity : identities) {
    VOUCH_TRY(Exec(c_,
                   "INSERT INTO unsubscribes (shop_id, identity, at) VALUES (?1, ?2, ?3) "
                   "ON CONFLICT (shop_id, identity) DO NOTHING",
                   {shop, identity, Ms(at)}));
  }
  return OkStatus();
}

Result<std::vector<Customer>> SqlCustomers::GetMany(const std::vector<Id>& ids) {
  std::vector<Customer> out;
  VOUCH_TRY(d_.SelectByIds(c_, kCustomerCols, "customers", "id", "", {}, ids, "",
                           [&](Row& r) { out.push_back(CustomerFrom(r)); }));
  return out;
}

Result<std::vector<Customer>> SqlCustomers::FindMany(Id shop, const std::vector<std::string>& keys) {
  std::vector<Customer> out;
  VOUCH_TRY(d_.SelectByKeys(c_, "customers", kCustomerCols, shop, keys,
                            [&](Row& r) { out.push_back(CustomerFrom(r)); }));
  return out;
}

Result<std::vector<Customer>> SqlCustomers::FindByEmail(Id shop, const std::string& email) {
  std::vector<Customer> out;
  const std::string canonical = core::CanonicalEmail(email);
  if (canonical.empty()) return out;
  VOUCH_TRY(c_.QueryEach(std::string("SELECT ") + kCustomerCols +
                             " FROM customers WHERE shop_id = ?1 AND (canonical_email = ?2 OR "
                             "(canonical_email = '' AND email <> '' AND email = ?3)) ORDER BY id",
                         {shop, canonical, email}, [&](Row& r) { out.push_back(CustomerFrom(r)); }));
  return out;
}

Result<std::vector<std::optional<Id>>> SqlCustomers::InsertMany(const std::vector<Customer>& cs) {
  std::vector<std::optional<Id>> ids(cs.size());
  const KeyIndex where = IndexByKey(cs);
  VOUCH_TRY(d_.InsertRows(
      c_, "customers",
      "shop_id, external_id, email, phone, first_name, last_name, locale, unsubscribed_at, last_survey_at, "
      "accepts_email_marketing, accepts_sms_marketing, canonical_email",
      {"bigint", "text", "text", "text", "text", "text", "text", "bigint", "bigint", "smallint", "smallint",
       "text"},
      cs.size(),
      [&](size_t i, std::vector<Value>& v) {
        const Customer& c = cs[i];
        v.insert(v.end(), {c.shop_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.locale,
                           Opt(c.unsubscribed_at), Opt(c.last_survey_at), Opt(c.accepts_email_marketing),
                           Opt(c.accepts_sms_marketing), core::CanonicalEmail(c.email)});
      },
      " ON CONFLICT (shop_id, external_id) DO NOTHING RETURNING id, shop_id, external_id",
      [&](Row& r) { Returned(where, r, ids); }));
  return ids;
}

}  // namespace vouch::store::sql
