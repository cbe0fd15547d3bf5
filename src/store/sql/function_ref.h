#pragma once
// FunctionRef<R(A...)>: a non-owning reference to a callable, for passing a lambda through a
// virtual call without std::function's allocation. Valid only while the callable lives (pass
// lambdas as arguments, never store a FunctionRef). Thread safety: that of the callable.
#include <memory>
#include <type_traits>
#include <utility>

namespace vouch::store::sql {

template <class Sig>
class FunctionRef;

template <class R, class... A>
class FunctionRef<R(A...)> {
 public:
  template <class F>
  requires(!std::is_same_v<std::remove_cvref_t<F>, FunctionRef> && std::is_invocable_r_v<R, F&, A...>)
      FunctionRef(F&& f)  // NOLINT: implicit, like std::function
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* obj, A... args) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(obj))(std::forward<A>(args)...);
        }) {}

  R operator()(A... args) const { return call_(obj_, std::forward<A>(args)...); }

 private:
  void* obj_;
  R (*call_)(void*, A...);
};

}  // namespace vouch::store::sql
