#include "store/sql/sql_orders.h"

#include <fmt/format.h>

#include "core/identity.h"

namespace vouch::store::sql {
namespace {

// The order's shipping address as its columns store it: '' for each part when there is none.
const ShippingAddress& Ship(const Order& o) {
  static const ShippingAddress kNone;
  return o.shipping_address ? *o.shipping_address : kNone;
}

}  // namespace

Result<std::optional<Order>> SqlOrders::Find(Id shop, const std::string& external_id) {
  auto o =
      One<Order>(c_, fmt::format("SELECT {} FROM orders WHERE shop_id = ?1 AND external_id = ?2", kOrderCols),
                 {shop, external_id}, OrderFrom);
  if (!o || !o->has_value()) return o;
  auto items = Many<LineItem>(c_,
                              "SELECT product_id, title, category, quantity, price_minor FROM order_items "
                              "WHERE order_id = ?1 ORDER BY position",
                              {(*o)->id}, LineItemFrom);
  if (!items) return items.error();
  (*o)->items = std::move(*items);
  return o;
}

Result<std::vector<Order>> SqlOrders::ListByCustomer(Id customer) {
  return Many<Order>(
      c_, fmt::format("SELECT {} FROM orders WHERE customer_id = ?1 ORDER BY created_at", kOrderCols),
      {customer}, OrderFrom);
}

Result<std::optional<Order>> SqlOrders::Get(Id order) {
  return One<Order>(c_, fmt::format("SELECT {} FROM orders WHERE id = ?1", kOrderCols), {order}, OrderFrom);
}

Result<int64_t> SqlOrders::CountBefore(Id customer, Instant t, Id excluding) {
  return Count(c_, "SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND created_at < ?2 AND id <> ?3",
               {customer, Ms(t), excluding});
}

Result<int64_t> SqlOrders::CountByContactBefore(Id shop, const std::string& email, const std::string& phone,
                                                Instant t, Id excluding) {
  // A row without a canonical email but with an email was written by a node still running a
  // binary from before migration 0022 (a rolling upgrade): it is compared by its raw email.
  // The person's customer rows first, each arm on its own index (an OR across the customer's
  // columns made SQLite walk every earlier order of the shop), then their orders through
  // orders_customer (the customers are the shop's, so no shop term on orders, which would make
  // SQLite take orders_shop_time instead). `canonical_email || ''` keeps the raw-email arm on
  // customers_email rather than on every row without a canonical email.
  return Count(
      c_,
      "SELECT COUNT(*) FROM orders o WHERE o.customer_id IN ("
      "  SELECT id FROM customers WHERE shop_id = ?1 AND canonical_email = ?2 AND canonical_email <> '' "
      "  UNION SELECT id FROM customers WHERE shop_id = ?1 AND email = ?6 AND email <> '' "
      "    AND canonical_email || '' = '' AND CAST(?2 AS TEXT) <> '' "
      "  UNION SELECT id FROM customers WHERE shop_id = ?1 AND phone = ?3 AND phone <> '') "
      "AND o.created_at < ?4 AND o.id <> ?5",
      {shop, core::CanonicalEmail(email), phone, Ms(t), excluding, email});
}

Result<std::vector<Order>> SqlOrders::FindMany(Id shop, const std::vector<std::string>& keys) {
  std::vector<Order> out;
  VOUCH_TRY(
      d_.SelectByKeys(c_, "orders", kOrderCols, shop, keys, [&](Row& r) { out.push_back(OrderFrom(r)); }));
  return out;
}

Result<Id> SqlOrders::Insert(const Order& o) {
  auto id = InsertUnlessTaken(
      c_,
      "INSERT INTO orders (shop_id, external_id, customer_id, created_at, currency, total_minor, "
      "discount_codes, survey_skip, ingested_at, landing_site, browser_ip, ship_line1, ship_zip, "
      "ship_country) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
      "shop_id, external_id",
      {o.shop_id, o.external_id, o.customer_id, Ms(o.created_at), o.currency, o.total_minor,
       JoinLines(o.discount_codes), o.survey_skip, Ms(o.ingested_at), o.landing_site, o.browser_ip,
       Ship(o).line1, Ship(o).zip, Ship(o).country},
      "order " + o.external_id);
  if (!id) return id;
  int64_t pos = 0;
  for (const auto& it : o.items) {
    VOUCH_TRY(Exec(c_,
                   "INSERT INTO order_items (order_id, position, product_id, title, category, quantity, "
                   "price_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                   {*id, pos++, it.product_id, it.title, it.category, it.quantity, it.price_minor}));
  }
  return id;
}

Status SqlOrders::SetOutcome(Id order, std::optional<Id> survey, const std::string& skip,
                             std::optional<Id> referral) {
  return Exec(c_, "UPDATE orders SET survey_id = ?2, survey_skip = ?3, referral_id = ?4 WHERE id = ?1",
              {order, Opt(survey), skip, Opt(referral)});
}

Result<std::vector<std::optional<Id>>> SqlOrders::InsertMany(const std::vector<Order>& os) {
  std::vector<std::optional<Id>> ids(os.size());
  const KeyIndex where = IndexByKey(os);
  VOUCH_TRY(d_.InsertRows(
      c_, "orders",
      "shop_id, external_id, customer_id, created_at, currency, total_minor, discount_codes, survey_skip, "
      "ingested_at, landing_site, browser_ip, ship_line1, ship_zip, ship_country, survey_id",
      {"bigint", "text", "bigint", "bigint", "text", "bigint", "text", "text", "bigint", "text", "text",
       "text", "text", "text", "bigint"},
      os.size(),
      [&](size_t i, std::vector<Value>& v) {
        const Order& o = os[i];
        const ShippingAddress& ship = Ship(o);
        v.insert(v.end(),
                 {o.shop_id, o.external_id, o.customer_id, Ms(o.created_at), o.currency, o.total_minor,
                  JoinLines(o.discount_codes), o.survey_skip, Ms(o.ingested_at), o.landing_site, o.browser_ip,
                  ship.line1, ship.zip, ship.country, Opt(o.survey_id)});
      },
      " ON CONFLICT (shop_id, external_id) DO NOTHING RETURNING id, shop_id, external_id",
      [&](Row& r) { Returned(where, r, ids); }));
  // The inserted orders' items, in one more set statement.
  std::vector<std::pair<Id, const LineItem*>> items;
  std::vector<int64_t> positions;
  for (size_t i = 0; i < os.size(); ++i) {
    if (!ids[i]) continue;
    int64_t pos = 0;
    for (const auto& it : os[i].items) {
      items.emplace_back(*ids[i], &it);
      positions.push_back(pos++);
    }
  }
  VOUCH_TRY(d_.InsertRows(
      c_, "order_items", "order_id, position, product_id, title, category, quantity, price_minor",
      {"bigint", "bigint", "text", "text", "text", "bigint", "bigint"}, items.size(),
      [&](size_t i, std::vector<Value>& v) {
        const LineItem& it = *items[i].second;
        v.insert(v.end(), {items[i].first, positions[i], it.product_id, it.title, it.category, it.quantity,
                           it.price_minor});
      },
      "", [](Row&) {}));
  return ids;
}

Result<std::optional<OrderRefund>> SqlOrders::FindRefund(Id order, const std::string& refund_id) {
  return One<OrderRefund>(
      c_, fmt::format("SELECT {} FROM order_refunds WHERE order_id = ?1 AND refund_id = ?2", kRefundCols),
      {order, refund_id}, RefundFrom);
}

Result<std::vector<OrderRefund>> SqlOrders::ListRefunds(Id order) {
  return Many<OrderRefund>(
      c_,
      fmt::format("SELECT {} FROM order_refunds WHERE order_id = ?1 ORDER BY created_at, id", kRefundCols),
      {order}, RefundFrom);
}

Result<bool> SqlOrders::AddRefund(const OrderRefund& r) {
  // ON CONFLICT: a second node's insert of the same refund waits for the first one's commit on
  // PostgreSQL, then inserts nothing, so the amount is added once.
  auto n = c_.Exec(
      "INSERT INTO order_refunds (shop_id, order_id, refund_id, amount_minor, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (order_id, refund_id) DO NOTHING",
      {r.shop_id, r.order_id, r.refund_id, r.amount_minor, Ms(r.created_at)});
  if (!n) return n.error();
  if (*n == 0) return false;
  // Conditional, so two different refunds racing on two nodes never refund more than the total:
  // the second UPDATE waits for the first one's commit and re-checks.
  auto updated = c_.Exec(
      "UPDATE orders SET refunded_minor = refunded_minor + ?2 WHERE id = ?1 AND refunded_minor + ?2 <= "
      "total_minor",
      {r.order_id, r.amount_minor});
  if (!updated) return updated.error();
  if (*updated == 0) return InvalidArgument("amount", "is more than is left to refund");
  return true;
}

Result<bool> SqlOrders::Cancel(Id order, Instant at) {
  auto n =
      c_.Exec("UPDATE orders SET cancelled_at = ?2 WHERE id = ?1 AND cancelled_at IS NULL", {order, Ms(at)});
  if (!n) return n.error();
  return *n > 0;
}

}  // namespace vouch::store::sql
