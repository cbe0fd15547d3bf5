#include "store/postgres/pg_connection.h"

#include <cctype>
#include <charconv>
#include <unordered_map>
#include <utility>

#include <fmt/format.h>
#include <pqxx/pqxx>

#include "store/sql/dialect.h"

namespace vouch::store::postgres {
namespace {

// Type OIDs from pg_type.h (stable across PostgreSQL versions).
constexpr pqxx::oid kBoolOid = 16;
constexpr pqxx::oid kInt8Oid = 20;
constexpr pqxx::oid kInt2Oid = 21;
constexpr pqxx::oid kInt4Oid = 23;
constexpr pqxx::oid kOidOid = 26;
constexpr pqxx::oid kFloat4Oid = 700;
constexpr pqxx::oid kFloat8Oid = 701;
constexpr pqxx::oid kNumericOid = 1700;

// The first keyword of `sql`, upper-cased ("BEGIN", "COMMIT", "ROLLBACK", ...).
std::string Keyword(std::string_view sql, size_t skip_words = 0) {
  size_t i = 0;
  std::string word;
  for (size_t n = 0; n <= skip_words; ++n) {
    while (i < sql.size() && std::isspace(static_cast<unsigned char>(sql[i]))) ++i;
    word.clear();
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
      word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
      ++i;
    }
  }
  return word;
}

bool StartsTransaction(std::string_view sql) {
  const std::string k = Keyword(sql);
  return k == "BEGIN" || k == "START";
}

bool EndsTransaction(std::string_view sql) {
  const std::string k = Keyword(sql);
  if (k == "COMMIT" || k == "END" || k == "ABORT") return true;
  return k == "ROLLBACK" && Keyword(sql, 1) != "TO";
}

// Integral NUMERIC ("42", "-7") as int64; anything else as double.
sql::Value FromNumeric(std::string_view text) {
  int64_t i = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
  if (ec == std::errc() && end == text.data() + text.size()) return i;
  return std::stod(std::string(text));
}

sql::Value FromField(const pqxx::field& f) {
  if (f.is_null()) return std::monostate{};
  const std::string_view text(f.c_str(), f.size());
  switch (f.type()) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: return f.as<int64_t>();
    case kFloat4Oid:
    case kFloat8Oid: return f.as<double>();
    case kNumericOid: return FromNumeric(text);
    case kBoolOid: return int64_t{text == "t" ? 1 : 0};
    default: return std::string(text);
  }
}

// Adds libpq's connect_timeout to a URL or key=value DSN unless it already names one.
std::string WithConnectTimeout(const std::string& dsn, int seconds) {
  if (dsn.find("connect_timeout") != std::string::npos || seconds <= 0) return dsn;
  const bool url = dsn.rfind("postgres://", 0) == 0 || dsn.rfind("postgresql://", 0) == 0;
  if (!url) return fmt::format("{} connect_timeout={}", dsn, seconds);
  return fmt::format("{}{}connect_timeout={}", dsn, dsn.find('?') == std::string::npos ? '?' : '&', seconds);
}

bool IsConnectionLoss(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

class PgConnection final : public sql::Connection {
 public:
  PgConnection(std::string dsn, PgOptions options) : dsn_(std::move(dsn)), options_(std::move(options)) {}

  Status Connect() {
    try {
      auto conn =
          std::make_unique<pqxx::connection>(WithConnectTimeout(dsn_, options_.connect_timeout_seconds));
      pqxx::nontransaction setup(*conn);
      setup.exec(fmt::format("SET statement_timeout = {}", options_.statement_timeout_ms));
      // The set forms send NULLs inside array literals (sql_tx.cc, PgArray).
      setup.exec("SET array_nulls = on");
      setup.exec("SET application_name = " + setup.quote(options_.application_name));
      setup.commit();
      conn_ = std::move(conn);
      statements_.clear();
      return OkStatus();
    } catch (const std::exception& e) {
      conn_.reset();
      return Unavailable(fmt::format("cannot connect to PostgreSQL: {}", Trim(e.what())));
    }
  }

  const sql::Dialect& dialect() const override { return sql::PostgresDialect(); }

  bool TakeRetryableFailure() override { return std::exchange(retryable_failure_, false); }

  Result<int64_t> Exec(std::string_view sql, const std::vector<sql::Value>& params) override {
    auto r = Run(sql, params);
    if (!r) return r.error();
    return static_cast<int64_t>(r->affected_rows());
  }

  Status QueryEach(std::string_view sql, const std::vector<sql::Value>& params,
                   const std::function<void(sql::Row&)>& each) override {
    return Each(Run(sql, params), each);
  }

  Status QueryEachUnprepared(std::string_view sql, const std::vector<sql::Value>& params,
                             const std::function<void(sql::Row&)>& each) override {
    return Each(Run(sql, params, Plan::kEachCall), each);
  }

  Status Script(std::string_view sql) override {
    auto r = Run(sql, {});
    if (!r) return r.error();
    return OkStatus();
  }

 private:
  enum class Plan { kPrepared, kEachCall };

  static Status Each(const Result<pqxx::result>& r, const std::function<void(sql::Row&)>& each) {
    if (!r) return r.error();
    sql::Row out;
    for (const auto& row : *r) {
      out.resize(row.size());  // again, if `each` took the last one
      for (size_t i = 0; i < out.size(); ++i) out[i] = FromField(row[static_cast<pqxx::row::size_type>(i)]);
      each(out);
    }
    return OkStatus();
  }

  static std::string Trim(std::string s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    return s;
  }

  // Runs one statement (or, without parameters, a script) with the reconnect rules above.
  Result<pqxx::result> Run(std::string_view sql, const std::vector<sql::Value>& params,
                           Plan plan = Plan::kPrepared) {
    if (lost_tx_) {
      // The transaction died with the old connection: refuse its statements until it ends.
      if (!EndsTransaction(sql)) return Unavailable("PostgreSQL connection lost; transaction aborted");
      const bool commit = Keyword(sql) != "ROLLBACK" && Keyword(sql) != "ABORT";
      lost_tx_ = false;
      in_tx_ = false;
      if (commit) return Unavailable("PostgreSQL connection lost; transaction rolled back");
      return pqxx::result{};
    }
    if (!conn_) VOUCH_TRY(Connect());
    last_sql_ = sql;
    try {
      pqxx::result r = Execute(sql, params, plan);
      if (StartsTransaction(sql)) in_tx_ = true;
      if (Keyword(sql) == "ROLLBACK" && Keyword(sql, 1) == "TO") aborted_ = false;
      if (EndsTransaction(sql)) {
        const bool was_aborted = aborted_;
        in_tx_ = false;
        aborted_ = false;
        // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not an error.
        if (Keyword(sql) == "COMMIT" && was_aborted) {
          return Error{Code::kInternal, "COMMIT rolled back a transaction aborted by an error", {}};
        }
      }
      return r;
    } catch (const pqxx::sql_error& e) {
      return Fail(e.sqlstate(), e.what());
    } catch (const pqxx::deadlock_detected& e) {
      return Fail("40P01", e.what());
    } catch (const pqxx::serialization_failure& e) {
      return Fail("40001", e.what());
    } catch (const pqxx::statement_completion_unknown& e) {
      return Fail("40003", e.what());
    } catch (const pqxx::transaction_rollback& e) {
      return Fail("40000", e.what());
    } catch (const pqxx::broken_connection& e) {
      return Fail("08006", e.what());
    } catch (const pqxx::in_doubt_error& e) {
      return Fail("08007", e.what());
    } catch (const std::exception& e) {
      return Fail("", e.what());
    }
  }

  pqxx::result Execute(std::string_view sql, const std::vector<sql::Value>& params, Plan plan) {
    pqxx::nontransaction tx(*conn_);
    if (params.empty()) return tx.exec(std::string(sql));
    std::vector<std::string> text(params.size());
    std::vector<const char*> args(params.size(), nullptr);
    for (size_t i = 0; i < params.size(); ++i) {
      const auto& v = params[i];
      if (std::holds_alternative<int64_t>(v)) {
        text[i] = std::to_string(std::get<int64_t>(v));
      } else if (std::holds_alternative<double>(v)) {
        text[i] = fmt::format("{}", std::get<double>(v));
      } else if (std::holds_alternative<std::string>(v)) {
        text[i] = std::get<std::string>(v);
      } else {
        continue;  // NULL
      }
      args[i] = text[i].c_str();
    }
    // The unnamed statement: parsed, planned for these values and run in one round trip.
    if (plan == Plan::kEachCall)
      return tx.exec_params(RewritePlaceholders(sql), pqxx::prepare::make_dynamic_params(args));
    return tx.exec_prepared(Prepared(sql), pqxx::prepare::make_dynamic_params(args));
  }

  const std::string& Prepared(std::string_view sql) {
    std::string key(sql);
    auto it = statements_.find(key);
    if (it != statements_.end()) return it->second;
    std::string name = fmt::format("v{}", statements_.size() + 1);
    conn_->prepare(name, RewritePlaceholders(sql));
    return statements_.emplace(std::move(key), std::move(name)).first->second;
  }

  Error Fail(const std::string& sqlstate, const char* what) {
    const std::string msg = Trim(what);
    if (in_tx_) aborted_ = true;  // until ROLLBACK [TO SAVEPOINT]
    if (EndsTransaction(last_sql_)) in_tx_ = aborted_ = false;
    const bool lost = IsConnectionLoss(sqlstate) || !conn_ || !conn_->is_open();
    if (lost) {
      conn_.reset();  // reconnect on next use
      statements_.clear();
      if (in_tx_) lost_tx_ = true;
      in_tx_ = aborted_ = false;
      return Unavailable("PostgreSQL connection lost: " + msg);
    }
    if (sqlstate == "23505") return Error{Code::kAlreadyExists, msg, {}};
    // Deadlock or serialization failure: PostgreSQL aborted this statement only to break a cycle
    // with another transaction; the same work succeeds when run again.
    if (sqlstate == "40P01" || sqlstate == "40001") retryable_failure_ = true;
    if (sqlstate.rfind("40", 0) == 0 || sqlstate == "57014" || sqlstate == "55P03" ||
        sqlstate.rfind("53", 0) == 0) {
      return Unavailable(msg);
    }
    if (sqlstate.empty()) return Internal(msg);
    return Internal(fmt::format("{} (SQLSTATE {})", msg, sqlstate));
  }

  std::string dsn_;
  PgOptions options_;
  std::unique_ptr<pqxx::connection> conn_;
  std::unordered_map<std::string, std::string> statements_;  // SQL text → prepared name
  std::string_view last_sql_;                                // the statement being run, for Fail()
  bool in_tx_ = false;
  bool aborted_ = false;  // a statement failed inside the transaction (PostgreSQL aborts it)
  bool lost_tx_ = false;
  bool retryable_failure_ = false;  // see TakeRetryableFailure()
};

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (c == '\'' || c == '"') {  // literal or quoted identifier; doubled quotes stay inside
      const size_t end = sql.find(c, i + 1);
      const size_t stop = end == std::string_view::npos ? sql.size() : end + 1;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      const size_t end = sql.find('\n', i);
      const size_t stop = end == std::string_view::npos ? sql.size() : end;
      out.append(sql.substr(i, stop - i));
      i = stop;
    } else if (c == '?' && i + 1 < sql.size() && std::isdigit(static_cast<unsigned char>(sql[i + 1]))) {
      out += '$';
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

Result<std::unique_ptr<sql::Connection>> OpenPostgres(const std::string& dsn, const PgOptions& o) {
  auto conn = std::make_unique<PgConnection>(dsn, o);
  VOUCH_TRY(conn->Connect());
  return std::unique_ptr<sql::Connection>(std::move(conn));
}

}  // namespace vouch::store::postgres
