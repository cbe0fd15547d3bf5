// PostgreSQL side of bench/run, plain libpq, no Vouch code. Prints one JSON line per run.
//
//   pg_bench baseline --dsn D --mode single|multi|copy --seconds S [--rows 100]
//     The store's limit: rows shaped like Vouch's clicks (same table and index) inserted with
//     single-row commits (a prepared INSERT per transaction), multi-row INSERTs (--rows values per
//     statement, one statement per transaction) or COPY (--rows rows per COPY, one per
//     transaction). Reports rows/s and commits/s, plus the server's fsync settings so the caller
//     can check that durability was real.
//
//   pg_bench nps-seed --dsn D --shop N --rows R --days D --segments S [--query Q]
//     Seeds a big shop's answer history straight into a migrated Vouch database (the server
//     stopped): R answered surveys over D days ending today, generated server-side, then the
//     nps_daily rollup Vouch would have built from them (GROUP BY over what was seeded), VACUUM
//     ANALYZE; then, with --query, times the plain SQL aggregate the rollup replaces, Q runs.
//     Foreign keys (orders, customers) are not seeded: the session runs with
//     session_replication_role=replica (the DSN's user is a superuser on the bench cluster).
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr long long kDayMs = 86'400'000;

[[noreturn]] void Die(PGconn* c, const std::string& what) {
  std::fprintf(stderr, "pg_bench: %s: %s\n", what.c_str(), c ? PQerrorMessage(c) : "");
  std::exit(1);
}

void Exec(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  const auto st = PQresultStatus(r);
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    PQclear(r);
    Die(c, sql.substr(0, 80));
  }
  PQclear(r);
}

std::string Value(PGconn* c, const std::string& sql) {
  PGresult* r = PQexec(c, sql.c_str());
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    PQclear(r);
    Die(c, sql.substr(0, 80));
  }
  std::string v = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0) ? PQgetvalue(r, 0, 0) : "";
  PQclear(r);
  return v;
}

struct Args {
  std::string cmd, dsn, mode = "single";
  double seconds = 2;
  long long rows = 100, shop = 1, days = 1095, segments = 8, queries = 0;
};

Args Parse(int argc, char** argv) {
  Args a;
  if (argc > 1) a.cmd = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--dsn")
      a.dsn = v;
    else if (k == "--mode")
      a.mode = v;
    else if (k == "--seconds")
      a.seconds = std::atof(v);
    else if (k == "--rows")
      a.rows = std::atoll(v);
    else if (k == "--shop")
      a.shop = std::atoll(v);
    else if (k == "--days")
      a.days = std::atoll(v);
    else if (k == "--segments")
      a.segments = std::atoll(v);
    else if (k == "--query")
      a.queries = std::atoll(v);
  }
  if (a.rows < 1) a.rows = 1;
  return a;
}

const char* kUa = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36";

int Baseline(PGconn* c, const Args& a) {
  // The same table and index as Vouch's clicks (migrations/postgres/0001_init.sql), without the
  // foreign key (there are no surveys here). A regular, logged table: every commit is durable.
  Exec(c, "SET client_min_messages = warning");
  Exec(c, "DROP TABLE IF EXISTS bench_clicks");
  Exec(c,
       "CREATE TABLE bench_clicks (survey_id BIGINT NOT NULL, at BIGINT NOT NULL, score BIGINT "
       "NOT NULL, verdict TEXT NOT NULL, user_agent TEXT NOT NULL);"
       "CREATE INDEX bench_clicks_survey ON bench_clicks (survey_id, at)");
  const std::string fsync = Value(c, "SHOW fsync");
  const std::string sync_commit = Value(c, "SHOW synchronous_commit");
  const std::string fpw = Value(c, "SHOW full_page_writes");
  const long long per = a.mode == "single" ? 1 : a.rows;
  if (a.mode == "single") {
    PGresult* r =
        PQprepare(c, "ins", "INSERT INTO bench_clicks VALUES ($1, $2, $3, 'count', $4)", 4, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(c, "prepare");
    PQclear(r);
  } else if (a.mode == "multi") {
    std::string sql = "INSERT INTO bench_clicks VALUES ";
    for (long long i = 0; i < per; ++i) {
      const long long p = i * 4;
      sql += (i ? ",(" : "(") + std::string("$") + std::to_string(p + 1) + ",$" + std::to_string(p + 2) +
             ",$" + std::to_string(p + 3) + ",'count',$" + std::to_string(p + 4) + ")";
    }
    PGresult* r = PQprepare(c, "ins", sql.c_str(), static_cast<int>(per * 4), nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(c, "prepare");
    PQclear(r);
  } else if (a.mode != "copy") {
    Die(nullptr, "unknown --mode " + a.mode);
  }
  std::vector<std::string> vals(static_cast<size_t>(per * 4));
  std::vector<const char*> ptrs(vals.size());
  std::string copybuf;
  long long rows = 0, commits = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(a.seconds);
  while (Clock::now() < until) {
    if (a.mode == "copy") {
      Exec(c, "BEGIN");
      PGresult* r = PQexec(c, "COPY bench_clicks FROM STDIN");
      if (PQresultStatus(r) != PGRES_COPY_IN) Die(c, "COPY");
      PQclear(r);
      copybuf.clear();
      for (long long i = 0; i < per; ++i, ++rows) {
        copybuf += std::to_string(rows) + '\t' + std::to_string(1'700'000'000'000LL + rows) + '\t' +
                   std::to_string(rows % 11) + "\tcount\t" + kUa + '\n';
      }
      if (PQputCopyData(c, copybuf.data(), static_cast<int>(copybuf.size())) != 1 ||
          PQputCopyEnd(c, nullptr) != 1)
        Die(c, "copy data");
      r = PQgetResult(c);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(c, "copy end");
      PQclear(r);
      while ((r = PQgetResult(c)) != nullptr) PQclear(r);
      Exec(c, "COMMIT");
    } else {
      for (long long i = 0; i < per; ++i, ++rows) {
        vals[static_cast<size_t>(i * 4)] = std::to_string(rows);
        vals[static_cast<size_t>(i * 4 + 1)] = std::to_string(1'700'000'000'000LL + rows);
        vals[static_cast<size_t>(i * 4 + 2)] = std::to_string(rows % 11);
        vals[static_cast<size_t>(i * 4 + 3)] = kUa;
      }
      for (size_t i = 0; i < vals.size(); ++i) ptrs[i] = vals[i].c_str();
      // Autocommit: one statement, one transaction, one commit (and its WAL flush).
      PGresult* r = PQexecPrepared(c, "ins", static_cast<int>(ptrs.size()), ptrs.data(), nullptr, nullptr, 0);
      if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(c, "insert");
      PQclear(r);
    }
    ++commits;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  Exec(c, "DROP TABLE bench_clicks");
  std::printf(
      "{\"mode\":\"%s\",\"per_commit\":%lld,\"rows\":%lld,\"commits\":%lld,\"seconds\":%.3f,"
      "\"rows_per_s\":%.0f,\"commits_per_s\":%.0f,\"fsync\":\"%s\",\"synchronous_commit\":\"%s\","
      "\"full_page_writes\":\"%s\"}\n",
      a.mode.c_str(), per, rows, commits, secs, rows / secs, commits / secs, fsync.c_str(),
      sync_commit.c_str(), fpw.c_str());
  return 0;
}

int NpsSeed(PGconn* c, const Args& a) {
  const long long now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const long long today = now_ms / kDayMs;
  const long long first_day = today - a.days + 1;
  const auto seed_start = Clock::now();
  Exec(c, "SET session_replication_role = replica");  // no FK triggers: orders/customers not seeded
  Exec(c, "SET maintenance_work_mem = '512MB'");
  Exec(c, "SET synchronous_commit = off");  // the seed's own single commit; the bench's are untouched
  const long long base = std::atoll(Value(c, "SELECT COALESCE(MAX(id), 0) FROM surveys").c_str());
  const std::string R = std::to_string(a.rows), D = std::to_string(a.days), S = std::to_string(a.segments);
  // Same shape as bench/nps_seed.cc: ascending days (index appends stay cheap), a skewed score
  // distribution (many promoters, some detractors), 'category-N' segments, deterministic per row.
  const std::string ins =
      "INSERT INTO surveys (id, shop_id, order_id, customer_id, channel, segment, due_at, status, "
      "sent_at, score, answer_state, answered_at, updated_at, order_at) "
      "SELECT " +
      std::to_string(base) + " + 1 + i, " + std::to_string(a.shop) + ", " + std::to_string(base) +
      " + 1 + i, " + std::to_string(base) +
      " + 1 + i, 'email', "
      "'category-' || ((i * 2654435761) >> 7) % " +
      S +
      ", at - 86400000, 'sent', at - 86400000, "
      "(ARRAY[10,10,10,9,9,9,9,8,8,8,7,7,6,5,10,9,3,0,8,10])[1 + (i * 40503) % 20], 'counted', at, at, "
      "at - 8 * 86400000 "
      "FROM (SELECT i, (" +
      std::to_string(first_day) + " + i * " + D + " / " + R +
      ") * 86400000 + "
      "(i * 7919) % 86400000 AS at FROM generate_series(0::bigint, " +
      R + " - 1) AS i) g";
  // Secondary indexes and the UNIQUE (order_id) constraint are dropped and rebuilt around the bulk
  // insert (one sort each, parallel, instead of 10 M b-tree insertions apiece), exactly as the
  // migration defined them (pg_get_indexdef / pg_get_constraintdef).
  std::vector<std::string> drop, create;
  {
    PGresult* r = PQexec(
        c,
        "SELECT 'ALTER TABLE surveys DROP CONSTRAINT ' || quote_ident(conname), "
        "'ALTER TABLE surveys ADD CONSTRAINT ' || quote_ident(conname) || ' ' || pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE conrelid = 'surveys'::regclass AND contype = 'u' "
        "UNION ALL SELECT 'DROP INDEX ' || indexrelid::regclass::text, pg_get_indexdef(indexrelid) "
        "FROM pg_index i WHERE indrelid = 'surveys'::regclass AND NOT indisprimary AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(c, "list indexes");
    for (int i = 0; i < PQntuples(r); ++i) {
      drop.emplace_back(PQgetvalue(r, i, 0));
      create.emplace_back(PQgetvalue(r, i, 1));
    }
    PQclear(r);
  }
  Exec(c, "BEGIN");
  for (const auto& d : drop) Exec(c, d);
  Exec(c, ins);
  for (const auto& k : create) Exec(c, k);
  Exec(c, "SELECT setval(pg_get_serial_sequence('surveys', 'id'), (SELECT MAX(id) FROM surveys))");
  Exec(c,
       "INSERT INTO nps_daily (shop_id, day, segment, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10) "
       "SELECT shop_id, answered_at / 86400000, segment, "
       "COUNT(*) FILTER (WHERE score = 0), COUNT(*) FILTER (WHERE score = 1), "
       "COUNT(*) FILTER (WHERE score = 2), COUNT(*) FILTER (WHERE score = 3), "
       "COUNT(*) FILTER (WHERE score = 4), COUNT(*) FILTER (WHERE score = 5), "
       "COUNT(*) FILTER (WHERE score = 6), COUNT(*) FILTER (WHERE score = 7), "
       "COUNT(*) FILTER (WHERE score = 8), COUNT(*) FILTER (WHERE score = 9), "
       "COUNT(*) FILTER (WHERE score = 10) FROM surveys WHERE shop_id = " +
           std::to_string(a.shop) + " AND id > " + std::to_string(base) +
           " GROUP BY 1, 2, 3 "
           "ON CONFLICT (shop_id, day, segment) DO UPDATE SET s0 = nps_daily.s0 + EXCLUDED.s0, "
           "s1 = nps_daily.s1 + EXCLUDED.s1, s2 = nps_daily.s2 + EXCLUDED.s2, s3 = nps_daily.s3 + "
           "EXCLUDED.s3, "
           "s4 = nps_daily.s4 + EXCLUDED.s4, s5 = nps_daily.s5 + EXCLUDED.s5, s6 = nps_daily.s6 + "
           "EXCLUDED.s6, "
           "s7 = nps_daily.s7 + EXCLUDED.s7, s8 = nps_daily.s8 + EXCLUDED.s8, s9 = nps_daily.s9 + "
           "EXCLUDED.s9, "
           "s10 = nps_daily.s10 + EXCLUDED.s10");
  // The all-segments rollup (migration 0002), derived from the one just written: its trigger
  // does not fire under session_replication_role = replica.
  Exec(c, "DELETE FROM nps_daily_total WHERE shop_id = " + std::to_string(a.shop));
  Exec(c,
       "INSERT INTO nps_daily_total (shop_id, day, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10) "
       "SELECT shop_id, day, SUM(s0), SUM(s1), SUM(s2), SUM(s3), SUM(s4), SUM(s5), SUM(s6), "
       "SUM(s7), SUM(s8), SUM(s9), SUM(s10) FROM nps_daily WHERE shop_id = " +
           std::to_string(a.shop) + " GROUP BY shop_id, day");
  Exec(c, "COMMIT");
  const std::string rollup_rows =
      Value(c, "SELECT COUNT(*) FROM nps_daily WHERE shop_id = " + std::to_string(a.shop));
  // Statistics, as autovacuum would have gathered them on a live table.
  Exec(c, "ANALYZE surveys");
  Exec(c, "ANALYZE nps_daily");
  Exec(c, "ANALYZE nps_daily_total");
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();

  // The plain aggregate the rollup replaces: NPS counts over the whole history.
  PGresult* r = PQprepare(c, "agg",
                          "SELECT score, COUNT(*) FROM surveys WHERE shop_id = $1 AND answered_at >= $2 "
                          "AND answered_at < $3 AND score IS NOT NULL AND answer_state IN ('counted', "
                          "'confirmed') GROUP BY score",
                          3, nullptr);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) Die(c, "prepare aggregate");
  PQclear(r);
  const std::string p1 = std::to_string(a.shop), p2 = std::to_string(first_day * kDayMs),
                    p3 = std::to_string((today + 1) * kDayMs);
  const char* params[3] = {p1.c_str(), p2.c_str(), p3.c_str()};
  std::vector<double> ms;
  long long total = 0;
  for (long long q = 0; q < a.queries; ++q) {
    const auto t0 = Clock::now();
    r = PQexecPrepared(c, "agg", 3, params, nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) Die(c, "aggregate");
    total = 0;
    for (int i = 0; i < PQntuples(r); ++i) total += std::atoll(PQgetvalue(r, i, 1));
    PQclear(r);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf(
      "{\"rows\":%lld,\"rollup_rows\":%s,\"days\":%lld,\"seed_s\":%.2f,"
      "\"aggregate_rows\":%lld,\"aggregate_p50_ms\":%.1f,\"aggregate_max_ms\":%.1f}\n",
      a.rows, rollup_rows.c_str(), a.days, seed_s, total, ms.empty() ? 0 : ms[ms.size() / 2],
      ms.empty() ? 0 : ms.back());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  if (a.cmd != "baseline" && a.cmd != "nps-seed") {
    std::fprintf(stderr, "usage: pg_bench baseline|nps-seed --dsn DSN ...\n");
    return 2;
  }
  PGconn* c = PQconnectdb(a.dsn.c_str());
  if (PQstatus(c) != CONNECTION_OK) Die(c, "connect");
  const int rc = a.cmd == "baseline" ? Baseline(c, a) : NpsSeed(c, a);
  PQfinish(c);
  return rc;
}
