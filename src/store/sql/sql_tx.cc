#include "store/sql/sql_tx.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>

namespace vouch::store::sql {

int64_t Int(const Row& r, size_t i) {
  const auto& v = r.at(i);
  if (std::holds_alternative<int64_t>(v)) return std::get<int64_t>(v);
  if (std::holds_alternative<double>(v)) return static_cast<int64_t>(std::get<double>(v));
  if (std::holds_alternative<std::string>(v)) return std::stoll(std::get<std::string>(v));
  return 0;
}

std::optional<int64_t> OptInt(const Row& r, size_t i) {
  if (std::holds_alternative<std::monostate>(r.at(i))) return std::nullopt;
  return Int(r, i);
}

std::string Text(const Row& r, size_t i) {
  const auto& v = r.at(i);
  if (std::holds_alternative<std::string>(v)) return std::get<std::string>(v);
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  return {};
}

namespace {

// Multi-row statements come in five sizes, so each has five shapes at most, each prepared once
// per connection: n rows are cut into chunks of 256, 64, 16, 4 and 1. 256 rows of the widest
// (nine columns) stay far below both databases' limits on parameters.
template <class F>
Status ForChunks(size_t n, F&& fn) {
  size_t at = 0;
  for (size_t size : {size_t{256}, size_t{64}, size_t{16}, size_t{4}, size_t{1}}) {
    while (n - at >= size) {
      VOUCH_TRY(fn(at, size));
      at += size;
    }
  }
  return OkStatus();
}

// "?2, ?3, ?4": n placeholders numbered from `first`.
std::string Placeholders(size_t n, size_t first) {
  std::string out;
  out.reserve(n * 6);
  for (size_t i = 0; i < n; ++i) fmt::format_to(std::back_inserter(out), "{}?{}", i ? ", " : "", first + i);
  return out;
}

constexpr const char* kShopCols =
    "id, name, url, survey_delay_seconds, throttle_days, discount_kind, discount_value, "
    "reward_minor, currency, code_expiry_days, code_max_uses, landing_url, locale, sender_name, "
    "created_at";

Shop ShopFrom(const Row& r) {
  Shop s;
  s.id = Int(r, 0);
  s.name = Text(r, 1);
  s.url = Text(r, 2);
  s.settings.survey_delay_seconds = Int(r, 3);
  s.settings.throttle_days = Int(r, 4);
  s.settings.discount_kind = Text(r, 5);
  s.settings.discount_value = Int(r, 6);
  s.settings.reward_minor = Int(r, 7);
  s.settings.currency = Text(r, 8);
  s.settings.code_expiry_days = Int(r, 9);
  s.settings.code_max_uses = Int(r, 10);
  s.settings.landing_url = Text(r, 11);
  s.settings.locale = Text(r, 12);
  s.settings.sender_name = Text(r, 13);
  s.created_at = Time(r, 14);
  return s;
}

constexpr const char* kCustomerCols =
    "id, shop_id, external_id, email, phone, first_name, last_name, locale, unsubscribed_at, "
    "last_survey_at";

Customer CustomerFrom(const Row& r) {
  Customer c;
  c.id = Int(r, 0);
  c.shop_id = Int(r, 1);
  c.external_id = Text(r, 2);
  c.email = Text(r, 3);
  c.phone = Text(r, 4);
  c.first_name = Text(r, 5);
  c.last_name = Text(r, 6);
  c.locale = Text(r, 7);
  c.unsubscribed_at = OptTime(r, 8);
  c.last_survey_at = OptTime(r, 9);
  return c;
}

constexpr const char* kOrderCols =
    "id, shop_id, external_id, customer_id, created_at, currency, total_minor, discount_codes, "
    "survey_id, survey_skip, referral_id, ingested_at";

std::string JoinLines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += '\n';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

Order OrderFrom(const Row& r) {
  Order o;
  o.id = Int(r, 0);
  o.shop_id = Int(r, 1);
  o.external_id = Text(r, 2);
  o.customer_id = Int(r, 3);
  o.created_at = Time(r, 4);
  o.currency = Text(r, 5);
  o.total_minor = Int(r, 6);
  o.discount_codes = SplitLines(Text(r, 7));
  o.survey_id = OptInt(r, 8);
  o.survey_skip = Text(r, 9);
  o.referral_id = OptInt(r, 10);
  o.ingested_at = Time(r, 11);
  return o;
}

constexpr const char* kSurveyCols =
    "id, shop_id, order_id, customer_id, channel, segment, due_at, status, sent_at, score, "
    "answer_state, answered_at, updated_at, comment";

Survey SurveyFrom(const Row& r) {
  Survey s;
  s.id = Int(r, 0);
  s.shop_id = Int(r, 1);
  s.order_id = Int(r, 2);
  s.customer_id = Int(r, 3);
  s.channel = Text(r, 4);
  s.segment = Text(r, 5);
  s.due_at = Time(r, 6);
  s.status = Text(r, 7);
  s.sent_at = OptTime(r, 8);
  if (auto score = OptInt(r, 9)) s.score = static_cast<int>(*score);
  s.answer_state = ParseAnswerState(Text(r, 10));
  s.answered_at = OptTime(r, 11);
  s.updated_at = OptTime(r, 12);
  s.comment = Text(r, 13);
  return s;
}

constexpr const char* kCodeCols =
    "id, shop_id, code, promoter_id, survey_id, created_at, expires_at, max_uses, uses, visits";

ReferralCode CodeFrom(const Row& r) {
  ReferralCode c;
  c.id = Int(r, 0);
  c.shop_id = Int(r, 1);
  c.code = Text(r, 2);
  c.promoter_id = Int(r, 3);
  c.survey_id = Int(r, 4);
  c.created_at = Time(r, 5);
  c.expires_at = OptTime(r, 6);
  c.max_uses = Int(r, 7);
  c.uses = Int(r, 8);
  c.visits = Int(r, 9);
  return c;
}

constexpr const char* kRewardCols =
    "id, shop_id, referral_id, promoter_id, code, amount_minor, currency, created_at";

Reward RewardFrom(const Row& r) {
  Reward w;
  w.id = Int(r, 0);
  w.shop_id = Int(r, 1);
  w.referral_id = Int(r, 2);
  w.promoter_id = Int(r, 3);
  w.code = Text(r, 4);
  w.amount_minor = Int(r, 5);
  w.currency = Text(r, 6);
  w.created_at = Time(r, 7);
  return w;
}

constexpr const char* kJobCols =
    "id, shop_id, kind, ref_id, run_at, attempts, status, last_error, created_at, finished_at";

Job JobFrom(const Row& r) {
  Job j;
  j.id = Int(r, 0);
  j.shop_id = Int(r, 1);
  j.kind = ParseJobKind(Text(r, 2)).value_or(JobKind::kSurvey);
  j.ref_id = Int(r, 3);
  j.run_at = Time(r, 4);
  j.attempts = static_cast<int>(Int(r, 5));
  j.status = Text(r, 6);
  j.last_error = Text(r, 7);
  j.created_at = Time(r, 8);
  j.finished_at = OptTime(r, 9);
  return j;
}

class SqlTx final : public Tx {
 public:
  explicit SqlTx(Connection& c) : c_(c) {}

  // One optional row of `sql`, mapped by `from`.
  template <class T, class F>
  Result<std::optional<T>> One(const std::string& sql, const std::vector<Value>& params, F from) {
    auto rows = c_.Query(sql, params);
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<T>{};
    return std::optional<T>{from(rows->front())};
  }

  template <class T, class F>
  Result<std::vector<T>> Many(const std::string& sql, const std::vector<Value>& params, F from) {
    auto rows = c_.Query(sql, params);
    if (!rows) return rows.error();
    std::vector<T> out;
    out.reserve(rows->size());
    for (const auto& r : *rows) out.push_back(from(r));
    return out;
  }

  Result<Id> InsertReturningId(const std::string& sql, const std::vector<Value>& params) {
    auto rows = c_.Query(sql + " RETURNING id", params);
    if (!rows) return rows.error();
    if (rows->empty()) return Internal("insert returned no id");
    return Int(rows->front(), 0);
  }

  // An insert that may collide on the unique key `conflict` (a column list): kAlreadyExists
  // without raising, because a failed statement aborts a PostgreSQL transaction and the caller
  // may want to retry with another value in the same transaction.
  Result<Id> InsertUnlessTaken(const std::string& sql, const std::string& conflict,
                               const std::vector<Value>& params, const std::string& what) {
    auto rows = c_.Query(fmt::format("{} ON CONFLICT ({}) DO NOTHING RETURNING id", sql, conflict),
                         params);
    if (!rows) return rows.error();
    if (rows->empty()) return Error{Code::kAlreadyExists, what + " already exists", {}};
    return Int(rows->front(), 0);
  }

  bool postgres() const { return c_.Kind() == "postgres"; }

  // Rows of a set insert by (shop, external id), to match what RETURNING gives back.
  using KeyIndex = std::map<std::pair<Id, std::string_view>, size_t>;

  template <class Rows>
  static KeyIndex IndexByKey(const Rows& rows) {
    KeyIndex where;
    for (size_t i = 0; i < rows.size(); ++i) where.emplace(std::pair{rows[i].shop_id, std::string_view(rows[i].external_id)}, i);
    return where;
  }

  static void Returned(const KeyIndex& where, const Row& r, std::vector<std::optional<Id>>& ids) {
    const std::string key = Text(r, 2);
    auto it = where.find(std::pair{Int(r, 1), std::string_view(key)});
    if (it != where.end()) ids[it->second] = Int(r, 0);
  }

  // PostgreSQL set statements take at most this many rows each (same SQL text for every block):
  // a 10,000-order batch's items in one statement would stretch toward the statement timeout.
  template <class F>
  static Status ForPgBlocks(size_t n, F&& fn) {
    constexpr size_t kPgRows = 2000;
    for (size_t at = 0; at < n; at += kPgRows) VOUCH_TRY(fn(at, std::min(kPgRows, n - at)));
    return OkStatus();
  }

  // A PostgreSQL array literal of n values, '{"a","b",NULL}', for one array parameter.
  template <class F>
  static std::string PgArray(size_t n, F value) {
    std::string out = "{";
    for (size_t i = 0; i < n; ++i) {
      if (i) out += ',';
      const Value v = value(i);
      if (std::holds_alternative<std::monostate>(v)) {
        out += "NULL";
        continue;
      }
      out += '"';
      const std::string text = std::holds_alternative<std::string>(v) ? std::get<std::string>(v)
                               : std::holds_alternative<int64_t>(v) ? std::to_string(std::get<int64_t>(v))
                                                                    : fmt::format("{}", std::get<double>(v));
      for (char ch : text) {
        if (ch == '"' || ch == '\\') out += '\\';
        out += ch;
      }
      out += '"';
    }
    out += '}';
    return out;
  }

  // The shop's rows of `table` whose external_id is one of `keys`.
  Status FindByKeys(const char* table, const char* cols, Id shop, const std::vector<std::string>& keys,
                    const std::function<void(Row&)>& each) {
    if (keys.empty()) return OkStatus();
    if (postgres()) {
      // One index probe per key (LATERAL … LIMIT 1 keeps the planner from turning it into a
      // join), not `external_id = ANY(…)`: on a table not yet analyzed (a new database filling up,
      // before autovacuum's first ANALYZE) the planner took the (shop_id, phone) index for that
      // and checked every row of the shop against the whole array — 0.6 s per 2,000-key look-up
      // at 40k customers. Equality on both columns of the unique index wins whatever the stats.
      return ForPgBlocks(keys.size(), [&](size_t at, size_t n) {
        return c_.QueryEach(fmt::format("SELECT t.* FROM (SELECT DISTINCT unnest(?2::text[])) AS k(key) CROSS JOIN "
                                        "LATERAL (SELECT {} FROM {} WHERE shop_id = ?1 AND external_id = k.key "
                                        "LIMIT 1) AS t",
                                        cols, table),
                            {shop, PgArray(n, [&](size_t i) { return Value{keys[at + i]}; })}, each);
      });
    }
    return ForChunks(keys.size(), [&](size_t at, size_t n) {
      std::vector<Value> params;
      params.reserve(n + 1);
      params.emplace_back(shop);
      for (size_t i = at; i < at + n; ++i) params.emplace_back(keys[i]);
      return c_.QueryEach(fmt::format("SELECT {} FROM {} WHERE shop_id = ?1 AND external_id IN ({})", cols, table,
                                      Placeholders(n, 2)),
                          params, each);
    });
  }

  // Calls `each` for the rows `SELECT cols FROM table WHERE [where AND] id_col IN ids` + `tail`:
  // on SQLite with the ids in chunks of IN lists, on PostgreSQL with one `= ANY(array)` (here the
  // id column leads the only index that fits, unlike FindByKeys' case). `lead` are the
  // parameters `where` uses (?1…).
  Status ForIds(std::string_view cols, std::string_view table, std::string_view id_col, std::string_view where,
                const std::vector<Value>& lead, const std::vector<Id>& ids, std::string_view tail,
                const std::function<void(Row&)>& each) {
    if (ids.empty()) return OkStatus();
    const size_t first = lead.size() + 1;
    const std::string_view and_ = where.empty() ? "" : " AND ";
    if (postgres()) {
      const std::string sql = fmt::format("SELECT {} FROM {} WHERE {}{}{} = ANY(?{}::bigint[]){}", cols, table, where,
                                          and_, id_col, first, tail);
      return ForPgBlocks(ids.size(), [&](size_t at, size_t n) {
        std::vector<Value> params = lead;
        params.emplace_back(PgArray(n, [&](size_t i) { return Value{ids[at + i]}; }));
        return c_.QueryEach(sql, params, each);
      });
    }
    return ForChunks(ids.size(), [&](size_t at, size_t n) {
      std::vector<Value> params = lead;
      for (size_t i = at; i < at + n; ++i) params.emplace_back(ids[i]);
      return c_.QueryEach(fmt::format("SELECT {} FROM {} WHERE {}{}{} IN ({}){}", cols, table, where, and_, id_col,
                                      Placeholders(n, first), tail),
                          params, each);
    });
  }

  // Inserts n rows into `table` (`cols`, of PostgreSQL `types`), row i's values appended by
  // `row(i, values)`, followed by `tail` (ON CONFLICT …, RETURNING …), calling `each` per returned
  // row. `const_col` = `const_value`, when given, is one more column, the same in every row.
  template <class RowFn>
  Status InsertRows(const char* table, const char* cols, std::initializer_list<const char*> types, size_t n,
                    RowFn row, const char* tail, const std::function<void(Row&)>& each,
                    const char* const_col = nullptr, const char* const_value = nullptr) {
    if (n == 0) return OkStatus();
    const size_t width = types.size();
    const std::string columns = const_col ? fmt::format("{}, {}", cols, const_col) : cols;
    std::vector<Value> values;
    if (postgres()) {
      std::string unnest;
      size_t c = 0;
      for (const char* type : types) {
        fmt::format_to(std::back_inserter(unnest), "{}?{}::{}[]", c ? ", " : "", c + 1, type);
        ++c;
      }
      const std::string sql = fmt::format("INSERT INTO {} ({}) SELECT *{}{} FROM unnest({}){}", table, columns,
                                          const_col ? ", " : "", const_value ? const_value : "", unnest, tail);
      return ForPgBlocks(n, [&](size_t at, size_t size) {
        values.clear();
        values.reserve(size * width);
        for (size_t i = at; i < at + size; ++i) row(i, values);
        std::vector<Value> params;
        for (size_t col = 0; col < width; ++col) {
          params.emplace_back(PgArray(size, [&](size_t i) { return values[i * width + col]; }));
        }
        return c_.QueryEach(sql, params, each);
      });
    }
    return ForChunks(n, [&](size_t at, size_t size) {
      values.clear();
      values.reserve(size * width);
      for (size_t i = at; i < at + size; ++i) row(i, values);
      std::string list;
      for (size_t r = 0; r < size; ++r) {
        list += r ? ", (" : "(";
        list += Placeholders(width, r * width + 1);
        if (const_value) fmt::format_to(std::back_inserter(list), ", {}", const_value);
        list += ')';
      }
      return c_.QueryEach(fmt::format("INSERT INTO {} ({}) VALUES {}{}", table, columns, list, tail), values, each);
    });
  }

  Result<int64_t> Count(const std::string& sql, const std::vector<Value>& params) {
    auto rows = c_.Query(sql, params);
    if (!rows) return rows.error();
    return rows->empty() ? 0 : Int(rows->front(), 0);
  }

  Status Exec(const std::string& sql, const std::vector<Value>& params) {
    auto n = c_.Exec(sql, params);
    if (!n) return n.error();
    return OkStatus();
  }

  // --- Shops -------------------------------------------------------------------------------
  Result<Id> InsertShop(const Shop& s, const std::string& key_hash) override {
    const auto& st = s.settings;
    return InsertUnlessTaken(
        "INSERT INTO shops (name, url, api_key_hash, survey_delay_seconds, throttle_days, "
        "discount_kind, discount_value, reward_minor, currency, code_expiry_days, code_max_uses, "
        "landing_url, locale, sender_name, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        "api_key_hash",
        {s.name, s.url, key_hash, st.survey_delay_seconds, st.throttle_days, st.discount_kind,
         st.discount_value, st.reward_minor, st.currency, st.code_expiry_days, st.code_max_uses,
         st.landing_url, st.locale, st.sender_name, Ms(s.created_at)},
        "shop with this API key");
  }

  Result<std::optional<Shop>> FindShopByKeyHash(const std::string& key_hash) override {
    return One<Shop>(fmt::format("SELECT {} FROM shops WHERE api_key_hash = ?1", kShopCols),
                     {key_hash}, ShopFrom);
  }

  Result<std::optional<Shop>> GetShop(Id shop) override {
    return One<Shop>(fmt::format("SELECT {} FROM shops WHERE id = ?1", kShopCols), {shop}, ShopFrom);
  }

  Result<std::vector<Shop>> ListShops() override {
    return Many<Shop>(fmt::format("SELECT {} FROM shops ORDER BY id", kShopCols), {}, ShopFrom);
  }

  Status UpdateShop(const Shop& s) override {
    const auto& st = s.settings;
    return Exec(
        "UPDATE shops SET name = ?2, url = ?3, survey_delay_seconds = ?4, throttle_days = ?5, "
        "discount_kind = ?6, discount_value = ?7, reward_minor = ?8, currency = ?9, "
        "code_expiry_days = ?10, code_max_uses = ?11, landing_url = ?12, locale = ?13, "
        "sender_name = ?14 WHERE id = ?1",
        {s.id, s.name, s.url, st.survey_delay_seconds, st.throttle_days, st.discount_kind,
         st.discount_value, st.reward_minor, st.currency, st.code_expiry_days, st.code_max_uses,
         st.landing_url, st.locale, st.sender_name});
  }

  Status SetShopKeyHash(Id shop, const std::string& key_hash) override {
    return Exec("UPDATE shops SET api_key_hash = ?2 WHERE id = ?1", {shop, key_hash});
  }

  // --- Customers ---------------------------------------------------------------------------
  Result<std::optional<Customer>> FindCustomer(Id shop, const std::string& external_id) override {
    return One<Customer>(
        fmt::format("SELECT {} FROM customers WHERE shop_id = ?1 AND external_id = ?2", kCustomerCols),
        {shop, external_id}, CustomerFrom);
  }

  Result<std::optional<Customer>> GetCustomer(Id customer) override {
    return One<Customer>(fmt::format("SELECT {} FROM customers WHERE id = ?1", kCustomerCols),
                         {customer}, CustomerFrom);
  }

  Result<Id> InsertCustomer(const Customer& c) override {
    // ON CONFLICT DO NOTHING, not a failing INSERT: on PostgreSQL a unique violation would abort
    // the transaction, and the caller wants to read the other node's customer and go on.
    return InsertUnlessTaken(
        "INSERT INTO customers (shop_id, external_id, email, phone, first_name, last_name, locale, "
        "unsubscribed_at, last_survey_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "shop_id, external_id",
        {c.shop_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.locale,
         Opt(c.unsubscribed_at), Opt(c.last_survey_at)},
        "customer " + c.external_id);
  }

  Status UpdateCustomer(const Customer& c) override {
    return Exec(
        "UPDATE customers SET email = ?2, phone = ?3, first_name = ?4, last_name = ?5, locale = ?6, "
        "unsubscribed_at = ?7, last_survey_at = ?8 WHERE id = ?1",
        {c.id, c.email, c.phone, c.first_name, c.last_name, c.locale, Opt(c.unsubscribed_at),
         Opt(c.last_survey_at)});
  }

  Result<int64_t> CountOrdersBefore(Id customer, Instant t, Id excluding) override {
    return Count("SELECT COUNT(*) FROM orders WHERE customer_id = ?1 AND created_at < ?2 AND id <> ?3",
                 {customer, Ms(t), excluding});
  }

  Result<int64_t> CountOrdersByContactBefore(Id shop, const std::string& email,
                                             const std::string& phone, Instant t,
                                             Id excluding) override {
    return Count(
        "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
        "WHERE o.shop_id = ?1 AND o.created_at < ?4 AND o.id <> ?5 AND "
        "((CAST(?2 AS TEXT) <> '' AND c.email = ?2) OR (CAST(?3 AS TEXT) <> '' AND c.phone = ?3))",
        {shop, email, phone, Ms(t), excluding});
  }

  Status EraseCustomer(Id customer) override {
    VOUCH_TRY(Exec(
        "UPDATE customers SET email = '', phone = '', first_name = '', last_name = '', "
        "external_id = 'erased-' || id WHERE id = ?1",
        {customer}));
    VOUCH_TRY(Exec("UPDATE surveys SET comment = '' WHERE customer_id = ?1", {customer}));
    return Exec(
        "UPDATE clicks SET user_agent = '' WHERE survey_id IN "
        "(SELECT id FROM surveys WHERE customer_id = ?1)",
        {customer});
  }

  // --- Orders ------------------------------------------------------------------------------
  Result<std::optional<Order>> FindOrder(Id shop, const std::string& external_id) override {
    auto o = One<Order>(
        fmt::format("SELECT {} FROM orders WHERE shop_id = ?1 AND external_id = ?2", kOrderCols),
        {shop, external_id}, OrderFrom);
    if (!o || !o->has_value()) return o;
    auto items = Many<LineItem>(
        "SELECT product_id, title, category, quantity, price_minor FROM order_items "
        "WHERE order_id = ?1 ORDER BY position",
        {(*o)->id}, [](const Row& r) {
          return LineItem{Text(r, 0), Text(r, 1), Text(r, 2), Int(r, 3), Int(r, 4)};
        });
    if (!items) return items.error();
    (*o)->items = std::move(*items);
    return o;
  }

  Result<Id> InsertOrder(const Order& o) override {
    auto id = InsertUnlessTaken(
        "INSERT INTO orders (shop_id, external_id, customer_id, created_at, currency, total_minor, "
        "discount_codes, survey_skip, ingested_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        "shop_id, external_id",
        {o.shop_id, o.external_id, o.customer_id, Ms(o.created_at), o.currency, o.total_minor,
         JoinLines(o.discount_codes), o.survey_skip, Ms(o.ingested_at)},
        "order " + o.external_id);
    if (!id) return id;
    int64_t pos = 0;
    for (const auto& it : o.items) {
      VOUCH_TRY(Exec(
          "INSERT INTO order_items (order_id, position, product_id, title, category, quantity, "
          "price_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
          {*id, pos++, it.product_id, it.title, it.category, it.quantity, it.price_minor}));
    }
    return id;
  }

  Status SetOrderOutcome(Id order, std::optional<Id> survey, const std::string& skip,
                         std::optional<Id> referral) override {
    return Exec("UPDATE orders SET survey_id = ?2, survey_skip = ?3, referral_id = ?4 WHERE id = ?1",
                {order, Opt(survey), skip, Opt(referral)});
  }

  Result<std::vector<Order>> ListCustomerOrders(Id customer) override {
    return Many<Order>(
        fmt::format("SELECT {} FROM orders WHERE customer_id = ?1 ORDER BY created_at", kOrderCols),
        {customer}, OrderFrom);
  }

  // --- Surveys -----------------------------------------------------------------------------
  Result<Id> InsertSurvey(const Survey& s) override {
    return InsertReturningId(
        "INSERT INTO surveys (shop_id, order_id, customer_id, channel, segment, due_at, status) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        {s.shop_id, s.order_id, s.customer_id, s.channel, s.segment, Ms(s.due_at), s.status});
  }

  Result<std::optional<Survey>> GetSurvey(Id survey) override {
    return One<Survey>(fmt::format("SELECT {} FROM surveys WHERE id = ?1", kSurveyCols), {survey},
                       SurveyFrom);
  }

  Status MarkSurveySent(Id survey, Instant at) override {
    return Exec("UPDATE surveys SET status = 'sent', sent_at = ?2 WHERE id = ?1", {survey, Ms(at)});
  }

  Status MarkSurveyFailed(Id survey) override {
    return Exec("UPDATE surveys SET status = 'failed' WHERE id = ?1", {survey});
  }

  Status SaveAnswer(const Survey& s) override {
    return Exec(
        "UPDATE surveys SET score = ?2, answer_state = ?3, answered_at = ?4, updated_at = ?5, "
        "comment = ?6 WHERE id = ?1",
        {s.id, s.score ? Value{int64_t{*s.score}} : Null(), AnswerStateName(s.answer_state),
         Opt(s.answered_at), Opt(s.updated_at), s.comment});
  }

  Status InsertClick(const Click& c) override {
    return Exec("INSERT INTO clicks (survey_id, at, score, verdict, user_agent) VALUES (?1, ?2, ?3, ?4, ?5)",
                {c.survey_id, Ms(c.at), int64_t{c.score}, c.verdict, c.user_agent});
  }

  Result<std::vector<Click>> RecentClicks(Id survey, Instant since) override {
    return Many<Click>(
        "SELECT survey_id, at, score, verdict, user_agent FROM clicks WHERE survey_id = ?1 AND at >= ?2 "
        "ORDER BY at",
        {survey, Ms(since)}, [](const Row& r) {
          return Click{Int(r, 0), Time(r, 1), static_cast<int>(Int(r, 2)), Text(r, 3), Text(r, 4)};
        });
  }

  Result<std::vector<Survey>> ListCustomerSurveys(Id customer) override {
    return Many<Survey>(
        fmt::format("SELECT {} FROM surveys WHERE customer_id = ?1 ORDER BY id", kSurveyCols),
        {customer}, SurveyFrom);
  }

  Status AddToRollup(Id shop, int64_t day, const std::string& segment, int score,
                     int64_t delta) override {
    if (score < 0 || score > 10) return InvalidArgument("score", "must be 0-10");
    const std::string col = fmt::format("s{}", score);
    // nps_daily_total, the same counts over all segments, follows by trigger (migration 0002).
    return Exec(fmt::format("INSERT INTO nps_daily (shop_id, day, segment, {0}) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT (shop_id, day, segment) DO UPDATE SET {0} = nps_daily.{0} + ?4",
                            col),
                {shop, day, segment, delta});
  }

  // --- Codes, referrals, rewards -----------------------------------------------------------
  Result<std::optional<ReferralCode>> FindCodeByPromoter(Id shop, Id promoter) override {
    return One<ReferralCode>(
        fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND promoter_id = ?2", kCodeCols),
        {shop, promoter}, CodeFrom);
  }

  Result<std::optional<ReferralCode>> FindCode(Id shop, const std::string& code) override {
    return One<ReferralCode>(
        fmt::format("SELECT {} FROM referral_codes WHERE shop_id = ?1 AND code = ?2", kCodeCols),
        {shop, code}, CodeFrom);
  }

  Result<std::optional<ReferralCode>> FindCodeAnyShop(const std::string& code) override {
    return One<ReferralCode>(fmt::format("SELECT {} FROM referral_codes WHERE code = ?1", kCodeCols),
                             {code}, CodeFrom);
  }

  Result<std::optional<ReferralCode>> GetCode(Id code) override {
    return One<ReferralCode>(fmt::format("SELECT {} FROM referral_codes WHERE id = ?1", kCodeCols),
                             {code}, CodeFrom);
  }

  Result<Id> InsertCode(const ReferralCode& c) override {
    // Only a taken code is "already exists" (the app retries with another); a second code for the
    // same promoter is a uniqueness violation that fails the whole write.
    return InsertUnlessTaken(
        "INSERT INTO referral_codes (shop_id, code, promoter_id, survey_id, created_at, expires_at, "
        "max_uses) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "code",
        {c.shop_id, c.code, c.promoter_id, c.survey_id, Ms(c.created_at), Opt(c.expires_at),
         c.max_uses},
        "referral code " + c.code);
  }

  Status AddCodeUse(Id code) override {
    return Exec("UPDATE referral_codes SET uses = uses + 1 WHERE id = ?1", {code});
  }

  Status AddCodeVisit(Id code, Instant at) override {
    VOUCH_TRY(Exec("UPDATE referral_codes SET visits = visits + 1 WHERE id = ?1", {code}));
    return Exec("INSERT INTO share_visits (code_id, at) VALUES (?1, ?2)", {code, Ms(at)});
  }

  Result<Id> InsertReferral(const Referral& r) override {
    return InsertReturningId(
        "INSERT INTO referrals (shop_id, order_id, code_id, promoter_id, status, revenue_minor, "
        "currency, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        {r.shop_id, r.order_id, r.code_id, r.promoter_id, r.status, r.revenue_minor, r.currency,
         Ms(r.created_at)});
  }

  Result<std::optional<Referral>> GetReferral(Id referral) override {
    return One<Referral>(
        "SELECT id, shop_id, order_id, code_id, promoter_id, status, revenue_minor, currency, "
        "created_at FROM referrals WHERE id = ?1",
        {referral}, [](const Row& r) {
          return Referral{Int(r, 0), Int(r, 1), Int(r, 2), Int(r, 3),  Int(r, 4),
                          Text(r, 5), Int(r, 6), Text(r, 7), Time(r, 8)};
        });
  }

  Result<Id> InsertReward(const Reward& w) override {
    return InsertUnlessTaken(
        "INSERT INTO rewards (shop_id, referral_id, promoter_id, code, amount_minor, currency, "
        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        "shop_id, code",
        {w.shop_id, w.referral_id, w.promoter_id, w.code, w.amount_minor, w.currency,
         Ms(w.created_at)},
        "reward code " + w.code);
  }

  Result<std::optional<Reward>> GetReward(Id reward) override {
    return One<Reward>(fmt::format("SELECT {} FROM rewards WHERE id = ?1", kRewardCols), {reward},
                       RewardFrom);
  }

  Result<std::optional<Reward>> FindRewardByReferral(Id referral) override {
    return One<Reward>(fmt::format("SELECT {} FROM rewards WHERE referral_id = ?1", kRewardCols),
                       {referral}, RewardFrom);
  }

  // --- Set forms for ingest ----------------------------------------------------------------
  // On PostgreSQL each set form is one statement whatever the number of rows: every column goes
  // as one array parameter (unnest() for inserts, = ANY() for look-ups), since each statement is
  // a round trip. On SQLite, where a statement is a function call, rows go in chunks
  // (ForChunks) of multi-row VALUES lists and IN lists.
  Result<std::vector<Customer>> FindCustomers(Id shop, const std::vector<std::string>& keys) override {
    std::vector<Customer> out;
    VOUCH_TRY(FindByKeys("customers", kCustomerCols, shop, keys, [&](Row& r) { out.push_back(CustomerFrom(r)); }));
    return out;
  }

  Result<std::vector<Order>> FindOrders(Id shop, const std::vector<std::string>& keys) override {
    std::vector<Order> out;
    VOUCH_TRY(FindByKeys("orders", kOrderCols, shop, keys, [&](Row& r) { out.push_back(OrderFrom(r)); }));
    return out;
  }

  Result<std::vector<std::optional<Id>>> InsertCustomers(const std::vector<Customer>& cs) override {
    std::vector<std::optional<Id>> ids(cs.size());
    const KeyIndex where = IndexByKey(cs);
    VOUCH_TRY(InsertRows(
        "customers", "shop_id, external_id, email, phone, first_name, last_name, locale, unsubscribed_at, last_survey_at",
        {"bigint", "text", "text", "text", "text", "text", "text", "bigint", "bigint"}, cs.size(),
        [&](size_t i, std::vector<Value>& v) {
          const Customer& c = cs[i];
          v.insert(v.end(), {c.shop_id, c.external_id, c.email, c.phone, c.first_name, c.last_name, c.locale,
                             Opt(c.unsubscribed_at), Opt(c.last_survey_at)});
        },
        " ON CONFLICT (shop_id, external_id) DO NOTHING RETURNING id, shop_id, external_id",
        [&](Row& r) { Returned(where, r, ids); }));
    return ids;
  }

  Result<std::vector<std::optional<Id>>> InsertOrders(const std::vector<Order>& os) override {
    std::vector<std::optional<Id>> ids(os.size());
    const KeyIndex where = IndexByKey(os);
    VOUCH_TRY(InsertRows(
        "orders",
        "shop_id, external_id, customer_id, created_at, currency, total_minor, discount_codes, survey_skip, ingested_at",
        {"bigint", "text", "bigint", "bigint", "text", "bigint", "text", "text", "bigint"}, os.size(),
        [&](size_t i, std::vector<Value>& v) {
          const Order& o = os[i];
          v.insert(v.end(), {o.shop_id, o.external_id, o.customer_id, Ms(o.created_at), o.currency, o.total_minor,
                             JoinLines(o.discount_codes), o.survey_skip, Ms(o.ingested_at)});
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
    VOUCH_TRY(InsertRows(
        "order_items", "order_id, position, product_id, title, category, quantity, price_minor",
        {"bigint", "bigint", "text", "text", "text", "bigint", "bigint"}, items.size(),
        [&](size_t i, std::vector<Value>& v) {
          const LineItem& it = *items[i].second;
          v.insert(v.end(), {items[i].first, positions[i], it.product_id, it.title, it.category, it.quantity,
                             it.price_minor});
        },
        "", [](Row&) {}));
    return ids;
  }

  Result<std::vector<Id>> InsertSurveys(const std::vector<Survey>& ss) override {
    std::vector<Id> ids(ss.size(), 0);
    std::unordered_map<Id, size_t> where;
    for (size_t i = 0; i < ss.size(); ++i) where.emplace(ss[i].order_id, i);
    VOUCH_TRY(InsertRows(
        "surveys", "shop_id, order_id, customer_id, channel, segment, due_at, status",
        {"bigint", "bigint", "bigint", "text", "text", "bigint", "text"}, ss.size(),
        [&](size_t i, std::vector<Value>& v) {
          const Survey& s = ss[i];
          v.insert(v.end(), {s.shop_id, s.order_id, s.customer_id, s.channel, s.segment, Ms(s.due_at), s.status});
        },
        " RETURNING id, order_id",
        [&](Row& r) {
          auto it = where.find(Int(r, 1));
          if (it != where.end()) ids[it->second] = Int(r, 0);
        }));
    if (std::find(ids.begin(), ids.end(), Id{0}) != ids.end()) return Internal("a survey insert returned no id");
    return ids;
  }

  Status LinkOrderSurveys(const std::vector<Id>& orders) override {
    constexpr const char* kLink = "UPDATE orders SET survey_id = (SELECT s.id FROM surveys s WHERE s.order_id = orders.id) WHERE id ";
    if (orders.empty()) return OkStatus();
    if (postgres()) {
      return ForPgBlocks(orders.size(), [&](size_t at, size_t n) {
        return Exec(fmt::format("{}= ANY(?1::bigint[])", kLink), {PgArray(n, [&](size_t i) { return Value{orders[at + i]}; })});
      });
    }
    return ForChunks(orders.size(), [&](size_t at, size_t n) -> Status {
      std::vector<Value> params(orders.begin() + static_cast<std::ptrdiff_t>(at),
                                orders.begin() + static_cast<std::ptrdiff_t>(at + n));
      return Exec(fmt::format("{}IN ({})", kLink, Placeholders(n, 1)), params);
    });
  }

  Result<int64_t> EnqueueJobs(Id shop, JobKind kind, const std::vector<std::pair<Id, Instant>>& jobs) override {
    int64_t added = 0;
    const std::string kind_name = JobKindName(kind);
    // created_at is the run time, as EnqueueJob writes it.
    VOUCH_TRY(InsertRows(
        "jobs", "shop_id, kind, ref_id, run_at, created_at", {"bigint", "text", "bigint", "bigint", "bigint"},
        jobs.size(),
        [&](size_t i, std::vector<Value>& v) {
          v.insert(v.end(), {shop, kind_name, jobs[i].first, Ms(jobs[i].second), Ms(jobs[i].second)});
        },
        " ON CONFLICT (kind, ref_id) DO NOTHING RETURNING id", [&](Row&) { ++added; }, "status", "'pending'"));
    return added;
  }

  // --- Set forms for answer clicks ----------------------------------------------------------
  Result<std::vector<Survey>> GetSurveys(const std::vector<Id>& ids) override {
    std::vector<Survey> out;
    VOUCH_TRY(ForIds(kSurveyCols, "surveys", "id", "", {}, ids, "", [&](Row& r) { out.push_back(SurveyFrom(r)); }));
    return out;
  }

  Result<std::vector<Customer>> GetCustomers(const std::vector<Id>& ids) override {
    std::vector<Customer> out;
    VOUCH_TRY(ForIds(kCustomerCols, "customers", "id", "", {}, ids, "", [&](Row& r) { out.push_back(CustomerFrom(r)); }));
    return out;
  }

  Result<std::vector<Click>> RecentClicksOf(const std::vector<Id>& surveys, Instant since) override {
    std::vector<Click> out;
    VOUCH_TRY(ForIds("survey_id, at, score, verdict, user_agent", "clicks", "survey_id", "at >= ?1", {Ms(since)},
                     surveys, " ORDER BY survey_id, at", [&](Row& r) {
                       out.push_back(Click{Int(r, 0), Time(r, 1), static_cast<int>(Int(r, 2)), Text(r, 3), Text(r, 4)});
                     }));
    return out;
  }

  Status InsertClicks(const std::vector<Click>& clicks) override {
    return InsertRows(
        "clicks", "survey_id, at, score, verdict, user_agent", {"bigint", "bigint", "bigint", "text", "text"},
        clicks.size(),
        [&](size_t i, std::vector<Value>& v) {
          const Click& c = clicks[i];
          v.insert(v.end(), {c.survey_id, Ms(c.at), int64_t{c.score}, c.verdict, c.user_agent});
        },
        "", [](Row&) {});
  }

  Status SaveAnswers(const std::vector<Survey>& ss) override {
    if (!postgres()) {  // a prepared UPDATE per row costs SQLite no round trip
      for (const Survey& s : ss) VOUCH_TRY(SaveAnswer(s));
      return OkStatus();
    }
    auto column = [&](size_t at, size_t n, auto value) { return PgArray(n, [&](size_t i) { return value(ss[at + i]); }); };
    return ForPgBlocks(ss.size(), [&](size_t at, size_t n) {
      return Exec(
          "UPDATE surveys AS s SET score = u.score, answer_state = u.answer_state, answered_at = u.answered_at, "
          "updated_at = u.updated_at, comment = u.comment "
          "FROM unnest(?1::bigint[], ?2::bigint[], ?3::text[], ?4::bigint[], ?5::bigint[], ?6::text[]) "
          "AS u(id, score, answer_state, answered_at, updated_at, comment) WHERE s.id = u.id",
          {column(at, n, [](const Survey& s) { return Value{s.id}; }),
           column(at, n, [](const Survey& s) { return s.score ? Value{int64_t{*s.score}} : Null(); }),
           column(at, n, [](const Survey& s) { return Value{std::string(AnswerStateName(s.answer_state))}; }),
           column(at, n, [](const Survey& s) { return Opt(s.answered_at); }),
           column(at, n, [](const Survey& s) { return Opt(s.updated_at); }),
           column(at, n, [](const Survey& s) { return Value{s.comment}; })});
    });
  }

  // --- Jobs --------------------------------------------------------------------------------
  Result<bool> EnqueueJob(Id shop, JobKind kind, Id ref, Instant run_at) override {
    auto n = c_.Exec(
        "INSERT INTO jobs (shop_id, kind, ref_id, run_at, status, created_at) "
        "VALUES (?1, ?2, ?3, ?4, 'pending', ?4) ON CONFLICT (kind, ref_id) DO NOTHING",
        {shop, JobKindName(kind), ref, Ms(run_at)});
    if (!n) return n.error();
    return *n > 0;
  }

  Result<std::optional<Job>> FindJob(JobKind kind, Id ref) override {
    return One<Job>(fmt::format("SELECT {} FROM jobs WHERE kind = ?1 AND ref_id = ?2", kJobCols),
                    {JobKindName(kind), ref}, JobFrom);
  }

  Status RescheduleJob(JobKind kind, Id ref, Instant run_at) override {
    return Exec("UPDATE jobs SET run_at = ?3 WHERE kind = ?1 AND ref_id = ?2 AND status = 'pending'",
                {JobKindName(kind), ref, Ms(run_at)});
  }

  Result<std::vector<Job>> ClaimJobs(Instant now, Millis lease, int limit) override {
    // On PostgreSQL several nodes claim at once: SKIP LOCKED passes over rows another node's
    // open transaction is claiming. SQLite has one writer and no row locks.
    return Many<Job>(
        fmt::format(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = ?2 "
            "WHERE id IN (SELECT id FROM jobs WHERE "
            "(status = 'pending' AND run_at <= ?1) OR (status = 'running' AND locked_until <= ?1) "
            "ORDER BY run_at LIMIT ?3{}) RETURNING {}",
            postgres() ? " FOR UPDATE SKIP LOCKED" : "", kJobCols),
        {Ms(now), Ms(now + lease), int64_t{limit}}, JobFrom);
  }

  Status FinishJob(Id job, const std::string& status, const std::string& note, Instant at) override {
    return Exec(
        "UPDATE jobs SET status = ?2, last_error = ?3, finished_at = ?4, locked_until = NULL "
        "WHERE id = ?1",
        {job, status, note, Ms(at)});
  }

  Status RetryJob(Id job, Instant run_at, const std::string& error) override {
    return Exec(
        "UPDATE jobs SET status = 'pending', run_at = ?2, last_error = ?3, locked_until = NULL "
        "WHERE id = ?1",
        {job, Ms(run_at), error});
  }

  Result<std::vector<Job>> ListJobs(Id shop, const std::string& status, int limit) override {
    return Many<Job>(
        fmt::format("SELECT {} FROM jobs WHERE shop_id = ?1 AND (CAST(?2 AS TEXT) = '' OR status = ?2) "
                    "ORDER BY id DESC LIMIT ?3",
                    kJobCols),
        {shop, status, int64_t{limit}}, JobFrom);
  }

  Result<JobCounts> CountJobs(Id shop) override {
    auto rows = c_.Query("SELECT status, COUNT(*) FROM jobs WHERE shop_id = ?1 GROUP BY status", {shop});
    if (!rows) return rows.error();
    JobCounts jc;
    for (const auto& r : *rows) {
      const std::string st = Text(r, 0);
      const int64_t n = Int(r, 1);
      if (st == "pending") jc.pending = n;
      else if (st == "running") jc.running = n;
      else if (st == "done") jc.done = n;
      else if (st == "failed") jc.failed = n;
      else if (st == "skipped") jc.skipped = n;
    }
    return jc;
  }

  Result<std::optional<Instant>> NextJobDue() override {
    auto rows = c_.Query(
        "SELECT MIN(t) FROM (SELECT MIN(run_at) AS t FROM jobs WHERE status = 'pending' "
        "UNION ALL SELECT MIN(locked_until) AS t FROM jobs WHERE status = 'running') AS due",
        {});
    if (!rows) return rows.error();
    if (rows->empty()) return std::optional<Instant>{};
    return OptTime(rows->front(), 0);
  }

  // --- Templates ---------------------------------------------------------------------------
  Result<std::map<std::string, std::string>> TemplateOverrides(Id shop) override {
    auto rows = c_.Query("SELECT key, body FROM templates WHERE shop_id = ?1", {shop});
    if (!rows) return rows.error();
    std::map<std::string, std::string> out;
    for (const auto& r : *rows) out.emplace(Text(r, 0), Text(r, 1));
    return out;
  }

  Status PutTemplate(Id shop, const std::string& key, const std::string& body) override {
    return Exec(
        "INSERT INTO templates (shop_id, key, body) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (shop_id, key) DO UPDATE SET body = excluded.body",
        {shop, key, body});
  }

  Status DeleteTemplate(Id shop, const std::string& key) override {
    return Exec("DELETE FROM templates WHERE shop_id = ?1 AND key = ?2", {shop, key});
  }

  // --- Reports -----------------------------------------------------------------------------
  Result<std::vector<DayCounts>> RollupByDay(Id shop, int64_t from_day, int64_t to_day,
                                             const std::optional<std::string>& segment) override {
    // One row per day: nps_daily_total without a segment, nps_daily with one. Read in key order
    // without GROUP BY (SQLite's eleven SUMs per group cost more than reading the rows) and
    // streamed, not materialised.
    static constexpr std::string_view kAll =
        "SELECT day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 FROM nps_daily_total "
        "WHERE shop_id = ?1 AND day >= ?2 AND day < ?3 ORDER BY day";
    static constexpr std::string_view kOne =
        "SELECT day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10 FROM nps_daily "
        "WHERE shop_id = ?1 AND day >= ?2 AND day < ?3 AND segment = ?4 ORDER BY day";
    std::vector<DayCounts> out;
    out.reserve(static_cast<size_t>(std::clamp<int64_t>(to_day - from_day, 0, 1 << 16)));
    auto add = [&out](const Row& r) {
      const int64_t day = Int(r, 0);
      if (out.empty() || out.back().day != day) out.push_back(DayCounts{day, {}});
      auto& counts = out.back().counts.by_score;
      for (size_t i = 0; i < counts.size(); ++i) counts[i] += Int(r, i + 1);
    };
    VOUCH_TRY(segment ? c_.QueryEach(kOne, {shop, from_day, to_day, *segment}, add)
                      : c_.QueryEach(kAll, {shop, from_day, to_day}, add));
    return out;
  }

  Result<std::vector<std::string>> Segments(Id shop) override {
    return Many<std::string>("SELECT DISTINCT segment FROM nps_daily WHERE shop_id = ?1 ORDER BY segment",
                             {shop}, [](const Row& r) { return Text(r, 0); });
  }

  Result<Funnel> FunnelCounts(Id shop, Instant from, Instant to) override {
    // Stages up to activation follow the cohort of orders placed in [from, to) (a survey, its
    // answer and the activation it caused count with their order); share visits, referred orders
    // and rewards count by their own time in [from, to).
    auto rows = c_.Query(
        "SELECT "
        "(SELECT COUNT(*) FROM orders WHERE shop_id = ?1 AND created_at >= ?2 AND created_at < ?3), "
        "(SELECT COUNT(*) FROM surveys s JOIN orders o ON o.id = s.order_id WHERE s.shop_id = ?1 "
        "   AND o.created_at >= ?2 AND o.created_at < ?3), "
        "(SELECT COUNT(*) FROM surveys s JOIN orders o ON o.id = s.order_id WHERE s.shop_id = ?1 "
        "   AND o.created_at >= ?2 AND o.created_at < ?3 AND s.status = 'sent'), "
        "(SELECT COUNT(*) FROM surveys s JOIN orders o ON o.id = s.order_id WHERE s.shop_id = ?1 "
        "   AND o.created_at >= ?2 AND o.created_at < ?3 AND s.answer_state IN ('counted', 'confirmed')), "
        "(SELECT COUNT(*) FROM surveys s JOIN orders o ON o.id = s.order_id WHERE s.shop_id = ?1 "
        "   AND o.created_at >= ?2 AND o.created_at < ?3 AND s.answer_state IN ('counted', 'confirmed') "
        "   AND s.score >= 9), "
        "(SELECT COUNT(*) FROM referral_codes c JOIN jobs j ON j.kind = 'activation' AND j.ref_id = c.id "
        "   JOIN surveys s ON s.id = c.survey_id JOIN orders o ON o.id = s.order_id "
        "   WHERE c.shop_id = ?1 AND o.created_at >= ?2 AND o.created_at < ?3 AND j.status = 'done'), "
        "(SELECT COUNT(*) FROM share_visits v JOIN referral_codes c ON c.id = v.code_id "
        "   WHERE c.shop_id = ?1 AND v.at >= ?2 AND v.at < ?3), "
        "(SELECT COUNT(*) FROM referrals WHERE shop_id = ?1 AND status = 'qualified' "
        "   AND created_at >= ?2 AND created_at < ?3), "
        "(SELECT COALESCE(SUM(revenue_minor), 0) FROM referrals WHERE shop_id = ?1 "
        "   AND status = 'qualified' AND created_at >= ?2 AND created_at < ?3), "
        "(SELECT COUNT(*) FROM rewards WHERE shop_id = ?1 AND created_at >= ?2 AND created_at < ?3), "
        "(SELECT COALESCE(SUM(amount_minor), 0) FROM rewards WHERE shop_id = ?1 "
        "   AND created_at >= ?2 AND created_at < ?3)",
        {shop, Ms(from), Ms(to)});
    if (!rows) return rows.error();
    const Row& r = rows->front();
    Funnel f;
    f.orders = Int(r, 0);
    f.surveys_scheduled = Int(r, 1);
    f.surveys_sent = Int(r, 2);
    f.responses = Int(r, 3);
    f.promoters = Int(r, 4);
    f.activated = Int(r, 5);
    f.share_visits = Int(r, 6);
    f.referred_orders = Int(r, 7);
    f.referred_revenue_minor = Int(r, 8);
    f.rewards = Int(r, 9);
    f.reward_cost_minor = Int(r, 10);
    return f;
  }

  Result<std::vector<PromoterRow>> TopPromoters(Id shop, Instant from, Instant to, int limit) override {
    return Many<PromoterRow>(
        "SELECT c.id, c.external_id, c.email, c.first_name, c.last_name, k.code, k.visits, "
        "  (SELECT COUNT(*) FROM referrals r WHERE r.code_id = k.id AND r.status = 'qualified' "
        "     AND r.created_at >= ?2 AND r.created_at < ?3) AS n, "
        "  (SELECT COALESCE(SUM(r.revenue_minor), 0) FROM referrals r WHERE r.code_id = k.id "
        "     AND r.status = 'qualified' AND r.created_at >= ?2 AND r.created_at < ?3) AS revenue, "
        "  (SELECT COALESCE(SUM(w.amount_minor), 0) FROM rewards w WHERE w.promoter_id = c.id "
        "     AND w.created_at >= ?2 AND w.created_at < ?3) AS cost "
        "FROM referral_codes k JOIN customers c ON c.id = k.promoter_id "
        "JOIN surveys s ON s.id = k.survey_id WHERE k.shop_id = ?1 "
        // A code issued on a click later withdrawn (a scanner burst) is no promoter's, unless
        // it has brought referrals all the same.
        "AND ((s.score >= 9 AND s.answer_state IN ('counted', 'confirmed')) OR k.uses > 0) "
        "ORDER BY revenue DESC, n DESC, k.visits DESC, c.id LIMIT ?4",
        {shop, Ms(from), Ms(to), int64_t{limit}}, [](const Row& r) {
          PromoterRow p;
          p.customer_id = Int(r, 0);
          p.external_id = Text(r, 1);
          p.email = Text(r, 2);
          p.first_name = Text(r, 3);
          p.last_name = Text(r, 4);
          p.code = Text(r, 5);
          p.visits = Int(r, 6);
          p.referrals = Int(r, 7);
          p.revenue_minor = Int(r, 8);
          p.reward_cost_minor = Int(r, 9);
          return p;
        });
  }

  Result<std::vector<ResponseRow>> ListResponses(Id shop, Instant from, Instant to, int min_score,
                                                 int max_score, Id after_survey, int limit) override {
    return Many<ResponseRow>(
        "SELECT s.id, o.external_id, c.external_id, c.email, c.first_name, c.last_name, s.score, "
        "s.comment, s.answer_state, s.answered_at, s.segment FROM surveys s "
        "JOIN orders o ON o.id = s.order_id JOIN customers c ON c.id = s.customer_id "
        "WHERE s.shop_id = ?1 AND s.answered_at >= ?2 AND s.answered_at < ?3 AND s.score >= ?4 "
        "AND s.score <= ?5 AND s.answer_state IN ('counted', 'confirmed', 'suspect') "
        "AND (CAST(?6 AS BIGINT) = 0 OR s.id < ?6) ORDER BY s.id DESC LIMIT ?7",
        {shop, Ms(from), Ms(to), int64_t{min_score}, int64_t{max_score}, after_survey,
         int64_t{limit}},
        [](const Row& r) {
          ResponseRow x;
          x.survey_id = Int(r, 0);
          x.order_external_id = Text(r, 1);
          x.customer_external_id = Text(r, 2);
          x.email = Text(r, 3);
          x.first_name = Text(r, 4);
          x.last_name = Text(r, 5);
          x.score = static_cast<int>(Int(r, 6));
          x.comment = Text(r, 7);
          x.state = ParseAnswerState(Text(r, 8));
          x.answered_at = Time(r, 9);
          x.segment = Text(r, 10);
          return x;
        });
  }

  // --- Meta --------------------------------------------------------------------------------
  Result<std::optional<std::string>> GetMeta(const std::string& key) override {
    return One<std::string>("SELECT value FROM meta WHERE key = ?1", {key},
                            [](const Row& r) { return Text(r, 0); });
  }

  Status PutMetaIfAbsent(const std::string& key, const std::string& value) override {
    return Exec("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                {key, value});
  }

 private:
  Connection& c_;
};

}  // namespace

std::unique_ptr<Tx> MakeSqlTx(Connection& conn) { return std::make_unique<SqlTx>(conn); }

}  // namespace vouch::store::sql
