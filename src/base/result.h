#pragma once
// Errors as values. Result<T> has the shape of std::expected: either a T or an Error.
#include <string>
#include <utility>
#include <variant>

namespace vouch {

enum class Code {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong; `field` names what
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,  // the request is valid but the state forbids it
  kUnauthenticated,
  kPermissionDenied,   // authenticated, but not allowed to do this (a viewer, a missing CSRF token)
  kResourceExhausted,  // too many attempts: try again later (sign-in throttling)
  kPayloadTooLarge,
  kUnavailable,  // transient: retry later
  kInternal,
};

const char* CodeName(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string message;
  std::string field;  // JSON pointer-ish path of the offending input field, if any
};

inline Error InvalidArgument(std::string field, std::string message) {
  return Error{Code::kInvalidArgument, std::move(message), std::move(field)};
}
inline Error NotFound(std::string message) { return Error{Code::kNotFound, std::move(message), {}}; }
inline Error Internal(std::string message) { return Error{Code::kInternal, std::move(message), {}}; }
inline Error Unavailable(std::string message) { return Error{Code::kUnavailable, std::move(message), {}}; }

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status OkStatus() { return Ok{}; }

}  // namespace vouch

// Propagates an error out of the enclosing function returning a Result.
#define VOUCH_TRY(expr)                              \
  do {                                               \
    auto vouch_try_ = (expr);                        \
    if (!vouch_try_.ok()) return vouch_try_.error(); \
  } while (0)
