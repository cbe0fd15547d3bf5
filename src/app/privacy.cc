#include "app/privacy.h"

namespace vouch::app {

Result<CustomerExport> Privacy::Export(store::Id shop, const std::string& external_id) {
  return store_.Read<CustomerExport>([&](store::ReadTx& tx) -> Result<CustomerExport> {
    auto c = tx.customers().Find(shop, external_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("customer not found");
    CustomerExport out;
    out.customer = **c;
    auto orders = tx.orders().ListByCustomer(out.customer.id);
    if (!orders) return orders.error();
    out.orders = std::move(*orders);
    auto surveys = tx.surveys().ListByCustomer(out.customer.id);
    if (!surveys) return surveys.error();
    out.surveys = std::move(*surveys);
    auto code = tx.referrals().FindCodeByPromoter(shop, out.customer.id);
    if (!code) return code.error();
    out.code = *code;
    return out;
  });
}

Status Privacy::Erase(store::Id shop, const std::string& external_id) {
  return store_.Write<Ok>([&](store::Tx& tx) -> Status {
    auto c = tx.customers().Find(shop, external_id);
    if (!c) return c.error();
    if (!c->has_value()) return NotFound("customer not found");
    return tx.customers().Erase((*c)->id);
  });
}

}  // namespace vouch::app
