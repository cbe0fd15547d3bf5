#pragma once
// PostgreSQL connection over libpqxx behind the sql::Connection seam (no pqxx in this header).
//
// SQL is written in the store's portable form with numbered parameters "?1"; they are rewritten
// to "$1" (outside string literals, quoted identifiers and comments). Statements with parameters
// are prepared once per SQL text and cached; parameters are sent as text (or NULL) and PostgreSQL
// infers their types from the statement. Result columns map by type: integers, oid and integral
// NUMERIC to int64, floats and fractional NUMERIC to double, boolean to 0/1, NULL to NULL, the
// rest to text.
//
// Errors: kAlreadyExists for unique_violation; kUnavailable when the server cannot be reached or
// the connection broke (admin shutdown, restart), for serialization failures, deadlocks and
// statement timeouts; kInternal otherwise. Deadlocks and serialization failures also set the
// connection's TakeRetryableFailure() mark, so the group-commit writer can run that write again.
//
// Reconnects lazily: after the connection broke, the next statement outside a transaction opens
// a new one. Inside a transaction (after BEGIN) every statement fails with kUnavailable until the
// caller ends it with COMMIT (which fails: the transaction is lost) or ROLLBACK, so no write of a
// lost transaction ever runs in autocommit on the new connection.
//
// Not thread-safe: one thread uses a connection at a time.
#include <memory>
#include <string>

#include "store/sql/connection.h"

namespace vouch::store::postgres {

struct PgOptions {
  int connect_timeout_seconds = 5;
  int statement_timeout_ms = 5000;
  std::string application_name = "vouch";
};

// Connects to `dsn` (a libpq URL "postgres://user:pass@host:port/db?..." or "key=value" string).
// kUnavailable when the server cannot be reached.
Result<std::unique_ptr<sql::Connection>> OpenPostgres(const std::string& dsn, const PgOptions& o = {});

// Rewrites "?N" placeholders to "$N" outside literals, quoted identifiers and comments.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace vouch::store::postgres
