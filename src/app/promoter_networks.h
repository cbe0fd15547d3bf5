#pragma once
// The networks promoters answered from, for the shared-network rule (issue 11, core/signals.h):
// a friend ordering from the network (IPv4 address, IPv6 /64: core::NetworkOf) the promoter
// answered their survey from is held for review. Only promoters' answers are recorded (inside
// their activation, app/answers.cc), as keyed hashes (core::NetworkHash under the installation's
// identity_key, which unlike the link secret is never rotated), never the IP; the latest
// kPromoterNetworksKept per promoter; erasure deletes them (store/sql/sql_customers.cc).
// Stateless functions over the caller's transaction. Errors: store errors.
#include <string_view>

#include "app/unsubscribes.h"
#include "base/result.h"
#include "base/time.h"
#include "core/signals.h"
#include "store/store.h"

namespace vouch::app {

inline constexpr int kPromoterNetworksKept = 20;

// Records in `tx` that the promoter `customer` of `shop` answered from `ip`'s network; nothing
// for an empty or malformed address.
Status RecordAnswerNetworkInTx(store::Tx& tx, Unsubscribes& keys, store::Id shop, store::Id customer,
                               std::string_view ip, Instant at);

// Whether `ip` is on a network the promoter answered from: kAnswered or nullopt.
Result<std::optional<core::NetworkSource>> AnswerNetworkOfInTx(store::Tx& tx, Unsubscribes& keys,
                                                               store::Id shop, store::Id promoter,
                                                               std::string_view ip);

}  // namespace vouch::app
