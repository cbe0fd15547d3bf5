// Seeds a big shop's answer history straight into a Vouch SQLite database (the server stopped):
// `rows` answered surveys spread over `days` days ending today, and the nps_daily rollup that
// Vouch would have built from them. Then, with --query, times the plain SQL aggregate over the
// surveys table that the rollup replaces. With --funnel 1 it also seeds what the dashboard's funnel
// counts: each survey's customer and order (placed 8 days before its answer, with one item of the
// survey's category), and for one promoter in 20 a referral code, its done activation job, 4 share
// visits and one referred order (a new customer's) whose referral is qualified (3 in 4, each with a
// released reward) or rejected. Prints one JSON line.
//   nps_seed --db vouch.db --shop 1 --rows 10000000 --days 1095 --segments 8 [--query 3] [--funnel 1]
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int64_t kDayMs = 86'400'000;

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "nps_seed: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void Exec(sqlite3* db, const char* sql) { Check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql); }

sqlite3_stmt* Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  Check(db, sqlite3_prepare_v2(db, sql, -1, &s, nullptr), sql);
  return s;
}

// A skewed score distribution (many promoters, some detractors), deterministic per row.
int ScoreOf(uint64_t i) {
  static const int kTable[20] = {10, 10, 10, 9, 9, 9, 9, 8, 8, 8, 7, 7, 6, 5, 10, 9, 3, 0, 8, 10};
  uint64_t x = i * 0x9E3779B97F4A7C15ull;
  return kTable[(x >> 33) % 20];
}

// The same day and time as the survey loop gives row i.
int64_t AnsweredAt(int64_t i, int64_t rows, int64_t days, int64_t first_day) {
  const int64_t day = first_day + i * days / rows;
  return day * kDayMs + (i * 7919) % kDayMs;
}

// What the funnel counts beyond the answers (see the header). Ids: customer and order i share the
// survey's id; a referred order and its customer take ids after every survey's. Returns the codes.
int64_t SeedFunnel(sqlite3* db, int64_t shop, int64_t base_id, int64_t rows, int64_t days, int64_t first_day,
                   const std::vector<std::string>& segs) {
  sqlite3_stmt* cust = Prepare(db,
                               "INSERT INTO customers (id, shop_id, external_id, email, phone, first_name, "
                               "last_name, locale) VALUES (?1, ?2, 'c' || ?1, 'c' || ?1 || '@seed.test', '', "
                               "'Seed', 'Customer', 'en')");
  sqlite3_stmt* ord =
      Prepare(db,
              "INSERT INTO orders (id, shop_id, external_id, customer_id, created_at, currency, "
              "total_minor, discount_codes, survey_id, referral_id, ingested_at) "
              "VALUES (?1, ?2, 'o' || ?1, ?3, ?4, 'EUR', ?5, '', ?6, ?7, ?4)");
  sqlite3_stmt* item = Prepare(db,
                               "INSERT INTO order_items (order_id, position, product_id, title, category, "
                               "quantity, price_minor) VALUES (?1, 0, 'p1', 'Item', ?2, 1, ?3)");
  sqlite3_stmt* code =
      Prepare(db,
              "INSERT INTO referral_codes (id, shop_id, code, promoter_id, survey_id, created_at, "
              "max_uses, uses, visits) VALUES (?1, ?2, 'SEED' || ?1, ?3, ?3, ?4, 100, 1, 4)");
  sqlite3_stmt* job = Prepare(db,
                              "INSERT INTO jobs (shop_id, kind, ref_id, channel, run_at, status, created_at, "
                              "finished_at) VALUES (?1, 'activation', ?2, 'email', ?3, 'done', ?3, ?3)");
  sqlite3_stmt* visit = Prepare(db, "INSERT INTO share_visits (code_id, at) VALUES (?1, ?2)");
  sqlite3_stmt* ref = Prepare(db,
                              "INSERT INTO referrals (id, shop_id, order_id, code_id, promoter_id, status, "
                              "revenue_minor, currency, created_at, decision, rules) "
                              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'EUR', ?8, ?10, ?9)");
  sqlite3_stmt* rew =
      Prepare(db,
              "INSERT INTO rewards (id, shop_id, referral_id, promoter_id, code, amount_minor, "
              "currency, created_at, status, released_at) "
              "VALUES (?1, ?2, ?1, ?3, 'RW' || ?1, 1000, 'EUR', ?4, 'released', ?4)");
  auto step = [db](sqlite3_stmt* st, const char* what) {
    Check(db, sqlite3_step(st), what);
    sqlite3_reset(st);
  };
  auto add_order = [&](int64_t id, int64_t customer, int64_t at, int64_t total, const std::string& category,
                       int64_t survey, int64_t referral) {
    sqlite3_bind_int64(cust, 1, customer);
    sqlite3_bind_int64(cust, 2, shop);
    if (customer == id) step(cust, "insert customer");
    sqlite3_bind_int64(ord, 1, id);
    sqlite3_bind_int64(ord, 2, shop);
    sqlite3_bind_int64(ord, 3, customer);
    sqlite3_bind_int64(ord, 4, at);
    sqlite3_bind_int64(ord, 5, total);
    if (survey) {
      sqlite3_bind_int64(ord, 6, survey);
    } else {
      sqlite3_bind_null(ord, 6);
    }
    if (referral) {
      sqlite3_bind_int64(ord, 7, referral);
    } else {
      sqlite3_bind_null(ord, 7);
    }
    step(ord, "insert order");
    sqlite3_bind_int64(item, 1, id);
    sqlite3_bind_text(item, 2, category.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(item, 3, total);
    step(item, "insert item");
  };
  int64_t codes = 0;
  const int64_t next_id = base_id + rows + 1;
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t id = base_id + 1 + i;
    const int64_t at = AnsweredAt(i, rows, days, first_day);
    const int64_t seg = static_cast<int64_t>((static_cast<uint64_t>(i) * 2654435761u >> 7) %
                                             static_cast<uint64_t>(segs.size()));
    const std::string& category = segs[static_cast<size_t>(seg)];
    add_order(id, id, at - 8 * kDayMs, 2000 + (i % 50) * 100, category, id, 0);
    if (ScoreOf(static_cast<uint64_t>(i)) < 9 || i % 20 != 0) continue;
    // A promoter's code, its activation mail sent, visits over the next days, one referred order.
    ++codes;
    sqlite3_bind_int64(code, 1, id);
    sqlite3_bind_int64(code, 2, shop);
    sqlite3_bind_int64(code, 3, id);
    sqlite3_bind_int64(code, 4, at);
    step(code, "insert code");
    sqlite3_bind_int64(job, 1, shop);
    sqlite3_bind_int64(job, 2, id);
    sqlite3_bind_int64(job, 3, at);
    step(job, "insert job");
    for (int v = 0; v < 4; ++v) {
      sqlite3_bind_int64(visit, 1, id);
      sqlite3_bind_int64(visit, 2, at + (v + 1) * 3'600'000);
      step(visit, "insert visit");
    }
    const int64_t referred = next_id + codes;
    const int64_t ref_at = at + 2 * kDayMs;
    const bool qualified = codes % 4 != 0;
    add_order(referred, referred, ref_at, 4500, category, 0, referred);
    sqlite3_bind_int64(ref, 1, referred);
    sqlite3_bind_int64(ref, 2, shop);
    sqlite3_bind_int64(ref, 3, referred);
    sqlite3_bind_int64(ref, 4, id);
    sqlite3_bind_int64(ref, 5, id);
    sqlite3_bind_text(ref, 6, qualified ? "qualified" : "velocity", -1, SQLITE_STATIC);
    sqlite3_bind_text(ref, 10, qualified ? "qualified" : "rejected", -1, SQLITE_STATIC);
    sqlite3_bind_int64(ref, 7, 4500);
    sqlite3_bind_int64(ref, 8, ref_at);
    sqlite3_bind_text(ref, 9, qualified ? "" : "velocity\t5 orders in 1 hour\n", -1, SQLITE_STATIC);
    step(ref, "insert referral");
    if (!qualified) continue;
    sqlite3_bind_int64(rew, 1, referred);
    sqlite3_bind_int64(rew, 2, shop);
    sqlite3_bind_int64(rew, 3, id);
    sqlite3_bind_int64(rew, 4, ref_at);
    step(rew, "insert reward");
  }
  for (sqlite3_stmt* st : {cust, ord, item, code, job, visit, ref, rew}) sqlite3_finalize(st);
  return codes;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "vouch.db";
  int64_t shop = 1, rows = 100'000, days = 1095, segments = 8, queries = 0, funnel = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    if (k == "--db")
      path = argv[i + 1];
    else if (k == "--shop")
      shop = std::atoll(argv[i + 1]);
    else if (k == "--rows")
      rows = std::atoll(argv[i + 1]);
    else if (k == "--days")
      days = std::atoll(argv[i + 1]);
    else if (k == "--segments")
      segments = std::atoll(argv[i + 1]);
    else if (k == "--query")
      queries = std::atoll(argv[i + 1]);
    else if (k == "--funnel")
      funnel = std::atoll(argv[i + 1]);
  }
  if (days < 1) days = 1;
  if (segments < 1) segments = 1;
  sqlite3* db = nullptr;
  Check(db, sqlite3_open(path.c_str(), &db), "open");
  // Seed-only settings (the server is stopped; it switches the database back to WAL and its own
  // durable settings when it opens it): no journal at all (a failed seed is simply rerun), no
  // fsync, one exclusive lock, and a page cache (1 GB) that holds the indexes' hot right edges.
  Exec(db,
       "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE; "
       "PRAGMA cache_size=-1048576; PRAGMA temp_store=MEMORY;");
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const int64_t today = now_ms / kDayMs;
  const int64_t first_day = today - days + 1;

  const auto seed_start = Clock::now();
  int64_t base_id = 0;
  {
    sqlite3_stmt* m = Prepare(db, "SELECT COALESCE(MAX(id), 0) FROM surveys");
    Check(db, sqlite3_step(m), "max id");
    base_id = sqlite3_column_int64(m, 0);
    sqlite3_finalize(m);
  }
  std::vector<std::string> segs;
  for (int64_t s = 0; s < segments; ++s) segs.push_back("category-" + std::to_string(s));
  // counts[(day - first_day) * segments + segment][score]
  std::vector<std::array<int64_t, 11>> counts(static_cast<size_t>(days * segments));
  Exec(db, "BEGIN");
  sqlite3_stmt* ins = Prepare(
      db,
      "INSERT INTO surveys (id, shop_id, order_id, customer_id, channel, segment, due_at, status, "
      "sent_at, score, answer_state, answered_at, updated_at, order_at) "
      "VALUES (?1, ?2, ?1, ?1, 'email', ?3, ?4, 'sent', ?4, ?5, 'counted', ?6, ?6, ?6 - 8 * 86400000)");
  for (int64_t i = 0; i < rows; ++i) {
    const int64_t day = first_day + i * days / rows;  // ascending: index appends stay cheap
    const int64_t seg =
        static_cast<int64_t>((static_cast<uint64_t>(i) * 2654435761u >> 7) % static_cast<uint64_t>(segments));
    const int score = ScoreOf(static_cast<uint64_t>(i));
    const int64_t at = day * kDayMs + (i * 7919) % kDayMs;
    sqlite3_bind_int64(ins, 1, base_id + 1 + i);
    sqlite3_bind_int64(ins, 2, shop);
    sqlite3_bind_text(ins, 3, segs[static_cast<size_t>(seg)].c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 4, at - kDayMs);
    sqlite3_bind_int(ins, 5, score);
    sqlite3_bind_int64(ins, 6, at);
    Check(db, sqlite3_step(ins), "insert survey");
    sqlite3_reset(ins);
    counts[static_cast<size_t>((day - first_day) * segments + seg)][static_cast<size_t>(score)] += 1;
  }
  sqlite3_finalize(ins);
  int64_t codes = 0;
  if (funnel) codes = SeedFunnel(db, shop, base_id, rows, days, first_day, segs);
  sqlite3_stmt* roll =
      Prepare(db,
              "INSERT INTO nps_daily (shop_id, day, segment, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10) "
              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
  size_t rollup_rows = 0;
  for (size_t k = 0; k < counts.size(); ++k) {
    const auto& c = counts[k];
    int64_t n = 0;
    for (int64_t x : c) n += x;
    if (n == 0) continue;
    ++rollup_rows;
    sqlite3_bind_int64(roll, 1, shop);
    sqlite3_bind_int64(roll, 2, first_day + static_cast<int64_t>(k) / segments);
    sqlite3_bind_text(roll, 3, segs[k % static_cast<size_t>(segments)].c_str(), -1, SQLITE_STATIC);
    for (int s = 0; s <= 10; ++s) sqlite3_bind_int64(roll, 4 + s, c[static_cast<size_t>(s)]);
    Check(db, sqlite3_step(roll), "insert rollup");
    sqlite3_reset(roll);
  }
  sqlite3_finalize(roll);
  // nps_daily_total (migration 0002) follows these rows by trigger.
  Exec(db, "COMMIT");
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();

  // The plain aggregate the rollup replaces: NPS counts over the whole history.
  std::vector<double> ms;
  sqlite3_stmt* agg =
      Prepare(db,
              "SELECT score, COUNT(*) FROM surveys WHERE shop_id = ?1 AND answered_at >= ?2 AND "
              "answered_at < ?3 AND score IS NOT NULL AND answer_state IN ('counted', 'confirmed') "
              "GROUP BY score");
  int64_t total = 0;
  for (int64_t q = 0; q < queries; ++q) {
    const auto t0 = Clock::now();
    sqlite3_bind_int64(agg, 1, shop);
    sqlite3_bind_int64(agg, 2, first_day * kDayMs);
    sqlite3_bind_int64(agg, 3, (today + 1) * kDayMs);
    total = 0;
    int rc;
    while ((rc = sqlite3_step(agg)) == SQLITE_ROW) total += sqlite3_column_int64(agg, 1);
    Check(db, rc, "aggregate");
    sqlite3_reset(agg);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  sqlite3_finalize(agg);
  std::sort(ms.begin(), ms.end());
  const double p50 = ms.empty() ? 0 : ms[ms.size() / 2];
  const double worst = ms.empty() ? 0 : ms.back();
  std::printf(
      "{\"rows\":%lld,\"codes\":%lld,\"rollup_rows\":%zu,\"days\":%lld,\"seed_s\":%.2f,"
      "\"aggregate_rows\":%lld,\"aggregate_p50_ms\":%.1f,\"aggregate_max_ms\":%.1f}\n",
      static_cast<long long>(rows), static_cast<long long>(codes), rollup_rows, static_cast<long long>(days),
      seed_s, static_cast<long long>(total), p50, worst);
  sqlite3_close(db);
  return 0;
}
