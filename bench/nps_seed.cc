// Seeds a big shop's answer history straight into a Vouch SQLite database (the server stopped):
// `rows` answered surveys spread over `days` days ending today, and the nps_daily rollup that
// Vouch would have built from them. Then, with --query, times the plain SQL aggregate over the
// surveys table that the rollup replaces. Prints one JSON line.
//   nps_seed --db vouch.db --shop 1 --rows 10000000 --days 1095 --segments 8 [--query 3]
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

}  // namespace

int main(int argc, char** argv) {
  std::string path = "vouch.db";
  int64_t shop = 1, rows = 100'000, days = 1095, segments = 8, queries = 0;
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
  sqlite3_stmt* ins =
      Prepare(db,
              "INSERT INTO surveys (id, shop_id, order_id, customer_id, channel, segment, due_at, status, "
              "sent_at, score, answer_state, answered_at, updated_at) "
              "VALUES (?1, ?2, ?1, ?1, 'email', ?3, ?4, 'sent', ?4, ?5, 'counted', ?6, ?6)");
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
      "{\"rows\":%lld,\"rollup_rows\":%zu,\"days\":%lld,\"seed_s\":%.2f,"
      "\"aggregate_rows\":%lld,\"aggregate_p50_ms\":%.1f,\"aggregate_max_ms\":%.1f}\n",
      static_cast<long long>(rows), rollup_rows, static_cast<long long>(days), seed_s,
      static_cast<long long>(total), p50, worst);
  sqlite3_close(db);
  return 0;
}
