#include "app/promoter_networks.h"

namespace vouch::app {
namespace {

constexpr const char* kAnswered = "answered";

}  // namespace

Status RecordAnswerNetworkInTx(store::Tx& tx, Unsubscribes& keys, store::Id shop, store::Id customer,
                               std::string_view ip, Instant at) {
  if (ip.empty() || !core::NetworkOf(ip)) return OkStatus();
  auto key = keys.KeyForWriteInTx(tx);
  if (!key) return key.error();
  auto hash = core::NetworkHash(*key, shop, ip);
  if (!hash) return OkStatus();
  return tx.referrals().AddPromoterNetwork(shop, customer, *hash, kAnswered, at, kPromoterNetworksKept);
}

Result<std::optional<core::NetworkSource>> AnswerNetworkOfInTx(store::Tx& tx, Unsubscribes& keys,
                                                               store::Id shop, store::Id promoter,
                                                               std::string_view ip) {
  using Out = std::optional<core::NetworkSource>;
  if (ip.empty()) return Out{};
  auto key = keys.KeyInTx(tx);
  if (!key) return key.error();
  if (!*key) return Out{};  // no key yet: nothing was recorded under one
  auto hash = core::NetworkHash(**key, shop, ip);
  if (!hash) return Out{};
  auto found = tx.referrals().FindPromoterNetwork(promoter, *hash);
  if (!found) return found.error();
  return *found ? Out{core::NetworkSource::kAnswered} : Out{};
}

}  // namespace vouch::app
