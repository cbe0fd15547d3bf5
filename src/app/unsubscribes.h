#pragma once
// Unsubscribes that hold per shop for a person, not per customer row: a customer who unsubscribes
// is remembered under its canonical email and phone (core/identity.h), so a new customer id with
// the same address (or "A.nna+x@gmail.com" for "anna@gmail.com") is not surveyed again. Stored
// as keyed hashes, "e:" / "p:" and base64url(HMAC-SHA256(identity_key, canonical form)), so an
// erased customer's unsubscribe survives without the address. The key is created once per
// installation (meta "identity_key", by App::LoadLinkSecret or on the first unsubscribe) and,
// unlike the link secret, never rotated. Thread-safe (the key is cached once read).
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/time.h"
#include "store/store.h"

namespace vouch::app {

class Unsubscribes {
 public:
  // Creates the installation's identity key unless it exists (in the caller's transaction).
  static Status EnsureKeyInTx(store::Tx& tx);
  // Once per installation (meta "unsubscribes_backfill": the last customer id done, then
  // "done"): remembers every customer unsubscribed before this table existed (migration 0013)
  // under its keyed identities, in transactions of `chunk` customers, so a restart or a second
  // node resumes where it stopped (the inserts are idempotent). Run at start, by LoadLinkSecret.
  static Status BackfillFromCustomers(store::Store& store, int chunk = 500);

  // Remembers `c`'s canonical email and phone as unsubscribed from its shop.
  Status RecordInTx(store::Tx& tx, const store::Customer& c, Instant at);
  // Whether the shop holds an unsubscribe for `c`'s canonical email or phone.
  Result<bool> HeldInTx(store::ReadTx& tx, const store::Customer& c);
  // The installation's identity key, created in `tx` on first need. It also keys the networks
  // promoters answered from (app/promoter_networks.h), which must survive link-secret rotations.
  Result<std::string> KeyForWriteInTx(store::Tx& tx);
  // The key, or nullopt when none exists yet (then no unsubscribe or network was recorded either).
  Result<std::optional<std::string>> KeyInTx(store::ReadTx& tx);
  // The set form for ingest: for each of `cs` (all of one shop), whether HeldInTx. One statement.
  Result<std::vector<bool>> HeldManyInTx(store::ReadTx& tx, store::Id shop,
                                         const std::vector<const store::Customer*>& cs);

 private:
  static std::vector<std::string> IdentitiesOf(const std::string& key, const store::Customer& c);

  std::mutex mu_;
  std::optional<std::string> key_;
};

}  // namespace vouch::app
