#pragma once
// The two kinds of transaction a Store hands out, each a set of repositories (store/repos/).
//
// ReadTx: what Store::Read and Store::ReadOne give their function. Only the reads interfaces
// (ShopReads, OrderReads, …) are reachable from it, so no write is offered: code that tries one
// does not compile (short of a cast).
// Tx: what Store::Write and Store::WriteAsync give theirs. The same accessors return the full
// repositories (Shops derives from ShopReads, …); a Tx is a ReadTx, so a function that only
// reads takes a ReadTx& and serves both.
//
// Not thread-safe; valid only inside the function the transaction was handed to. The
// repositories it returns live as long as the transaction.
#include "store/repos/audiences.h"
#include "store/repos/campaigns.h"
#include "store/repos/customers.h"
#include "store/repos/defined_themes.h"
#include "store/repos/experiments.h"
#include "store/repos/followups.h"
#include "store/repos/jobs.h"
#include "store/repos/meta.h"
#include "store/repos/orders.h"
#include "store/repos/referrals.h"
#include "store/repos/reports.h"
#include "store/repos/sessions.h"
#include "store/repos/shops.h"
#include "store/repos/sms.h"
#include "store/repos/surveys.h"
#include "store/repos/templates.h"
#include "store/repos/users.h"
#include "store/repos/webhooks.h"

namespace vouch::store {

class ReadTx {
 public:
  virtual ~ReadTx() = default;
  virtual ShopReads& shops() = 0;
  virtual CustomerReads& customers() = 0;
  virtual OrderReads& orders() = 0;
  virtual SurveyReads& surveys() = 0;
  virtual ReferralReads& referrals() = 0;
  virtual JobReads& jobs() = 0;
  virtual TemplateReads& templates() = 0;
  virtual Reports& reports() = 0;
  virtual MetaReads& meta() = 0;
  virtual UserReads& users() = 0;
  virtual SessionReads& sessions() = 0;
  virtual FollowupReads& followups() = 0;
  virtual SmsReads& sms() = 0;
  virtual CampaignReads& campaigns() = 0;
  virtual WebhookReads& webhooks() = 0;
  virtual ExperimentReads& experiments() = 0;
  virtual DefinedThemeReads& defined_themes() = 0;
  virtual AudienceReads& audiences() = 0;
};

class Tx : public ReadTx {
 public:
  Shops& shops() override = 0;
  Customers& customers() override = 0;
  Orders& orders() override = 0;
  Surveys& surveys() override = 0;
  Referrals& referrals() override = 0;
  Jobs& jobs() override = 0;
  Templates& templates() override = 0;
  Meta& meta() override = 0;
  Users& users() override = 0;
  Sessions& sessions() override = 0;
  Followups& followups() override = 0;
  Sms& sms() override = 0;
  Campaigns& campaigns() override = 0;
  Webhooks& webhooks() override = 0;
  Experiments& experiments() override = 0;
  DefinedThemes& defined_themes() override = 0;
  Audiences& audiences() override = 0;
};

}  // namespace vouch::store
