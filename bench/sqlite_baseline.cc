// The store's limit: how fast plain SQLite takes rows shaped like Vouch's answer clicks, with a
// prepared statement, in WAL mode, one row per transaction or many. Prints one JSON line per run:
//   sqlite_baseline --db /tmp/x.db --sync FULL --batch 1 --seconds 2
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite_baseline: %s: %s\n", what, sqlite3_errmsg(db));
    std::exit(1);
  }
}

void Exec(sqlite3* db, const char* sql) { Check(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql); }

struct Args {
  std::string db = "baseline.db";
  std::string sync = "FULL";
  long batch = 1;
  double seconds = 2;
};

Args Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--db")
      a.db = v;
    else if (k == "--sync")
      a.sync = v;
    else if (k == "--batch")
      a.batch = std::atol(v);
    else if (k == "--seconds")
      a.seconds = std::atof(v);
  }
  if (a.batch < 1) a.batch = 1;
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = Parse(argc, argv);
  sqlite3* db = nullptr;
  Check(db, sqlite3_open(a.db.c_str(), &db), "open");
  Exec(db, "PRAGMA journal_mode=WAL");
  Exec(db, ("PRAGMA synchronous=" + a.sync).c_str());
  // The same table and index as Vouch's clicks (migrations/sqlite/0001_init.sql).
  Exec(db,
       "CREATE TABLE IF NOT EXISTS clicks (survey_id INTEGER NOT NULL, at INTEGER NOT NULL, "
       "score INTEGER NOT NULL, verdict TEXT NOT NULL, user_agent TEXT NOT NULL);"
       "CREATE INDEX IF NOT EXISTS clicks_survey ON clicks (survey_id, at);");
  sqlite3_stmt* ins = nullptr;
  Check(db, sqlite3_prepare_v2(db, "INSERT INTO clicks VALUES (?1, ?2, ?3, 'count', ?4)", -1, &ins, nullptr),
        "prepare");
  const char* ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36";
  long rows = 0, commits = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(a.seconds);
  while (Clock::now() < until) {
    Exec(db, "BEGIN IMMEDIATE");
    for (long i = 0; i < a.batch; ++i, ++rows) {
      sqlite3_bind_int64(ins, 1, rows);
      sqlite3_bind_int64(ins, 2, 1'700'000'000'000 + rows);
      sqlite3_bind_int(ins, 3, static_cast<int>(rows % 11));
      sqlite3_bind_text(ins, 4, ua, -1, SQLITE_STATIC);
      Check(db, sqlite3_step(ins), "insert");
      sqlite3_reset(ins);
    }
    Exec(db, "COMMIT");
    ++commits;
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf(
      "{\"sync\":\"%s\",\"batch\":%ld,\"rows\":%ld,\"commits\":%ld,\"seconds\":%.3f,"
      "\"rows_per_s\":%.0f,\"commits_per_s\":%.0f}\n",
      a.sync.c_str(), a.batch, rows, commits, secs, rows / secs, commits / secs);
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return 0;
}
