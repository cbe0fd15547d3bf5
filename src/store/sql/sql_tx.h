#pragma once
// The SQL transactions: every repository in SQL (sql_<aggregate>.h) over one connection, shared
// by every backend. A SqlTx is the writer's Tx; a SqlReadTx hands a reader the same repositories
// through their reads interfaces only. Both are cheap to make (no allocation): one per read, one
// for the writer's lifetime. Not thread-safe; the connection must outlive them.
#include "store/sql/connection.h"
#include "store/sql/sql_audiences.h"
#include "store/sql/sql_campaigns.h"
#include "store/sql/sql_customers.h"
#include "store/sql/sql_defined_themes.h"
#include "store/sql/sql_experiments.h"
#include "store/sql/sql_followups.h"
#include "store/sql/sql_jobs.h"
#include "store/sql/sql_meta.h"
#include "store/sql/sql_orders.h"
#include "store/sql/sql_referrals.h"
#include "store/sql/sql_reports.h"
#include "store/sql/sql_sessions.h"
#include "store/sql/sql_shops.h"
#include "store/sql/sql_sms.h"
#include "store/sql/sql_surveys.h"
#include "store/sql/sql_templates.h"
#include "store/sql/sql_users.h"
#include "store/sql/sql_webhooks.h"
#include "store/tx.h"

namespace vouch::store::sql {

class SqlTx final : public Tx {
 public:
  explicit SqlTx(Connection& c)
      : shops_(c),
        customers_(c),
        orders_(c),
        surveys_(c),
        referrals_(c),
        jobs_(c),
        templates_(c),
        reports_(c),
        meta_(c),
        users_(c),
        sessions_(c),
        followups_(c),
        sms_(c),
        campaigns_(c),
        webhooks_(c),
        experiments_(c),
        defined_themes_(c),
        audiences_(c) {}
  SqlTx(const SqlTx&) = delete;
  SqlTx& operator=(const SqlTx&) = delete;

  Shops& shops() override { return shops_; }
  Customers& customers() override { return customers_; }
  Orders& orders() override { return orders_; }
  Surveys& surveys() override { return surveys_; }
  Referrals& referrals() override { return referrals_; }
  Jobs& jobs() override { return jobs_; }
  Templates& templates() override { return templates_; }
  Reports& reports() override { return reports_; }
  Meta& meta() override { return meta_; }
  Users& users() override { return users_; }
  Sessions& sessions() override { return sessions_; }
  Followups& followups() override { return followups_; }
  Sms& sms() override { return sms_; }
  Campaigns& campaigns() override { return campaigns_; }
  Webhooks& webhooks() override { return webhooks_; }
  Experiments& experiments() override { return experiments_; }
  DefinedThemes& defined_themes() override { return defined_themes_; }
  Audiences& audiences() override { return audiences_; }

 private:
  SqlShops shops_;
  SqlCustomers customers_;
  SqlOrders orders_;
  SqlSurveys surveys_;
  SqlReferrals referrals_;
  SqlJobs jobs_;
  SqlTemplates templates_;
  SqlReports reports_;
  SqlMeta meta_;
  SqlUsers users_;
  SqlSessions sessions_;
  SqlFollowups followups_;
  SqlSms sms_;
  SqlCampaigns campaigns_;
  SqlWebhooks webhooks_;
  SqlExperiments experiments_;
  SqlDefinedThemes defined_themes_;
  SqlAudiences audiences_;
};

class SqlReadTx final : public ReadTx {
 public:
  explicit SqlReadTx(Connection& c) : tx_(c) {}

  ShopReads& shops() override { return tx_.shops(); }
  CustomerReads& customers() override { return tx_.customers(); }
  OrderReads& orders() override { return tx_.orders(); }
  SurveyReads& surveys() override { return tx_.surveys(); }
  ReferralReads& referrals() override { return tx_.referrals(); }
  JobReads& jobs() override { return tx_.jobs(); }
  TemplateReads& templates() override { return tx_.templates(); }
  Reports& reports() override { return tx_.reports(); }
  MetaReads& meta() override { return tx_.meta(); }
  UserReads& users() override { return tx_.users(); }
  SessionReads& sessions() override { return tx_.sessions(); }
  FollowupReads& followups() override { return tx_.followups(); }
  SmsReads& sms() override { return tx_.sms(); }
  CampaignReads& campaigns() override { return tx_.campaigns(); }
  WebhookReads& webhooks() override { return tx_.webhooks(); }
  ExperimentReads& experiments() override { return tx_.experiments(); }
  DefinedThemeReads& defined_themes() override { return tx_.defined_themes(); }
  AudienceReads& audiences() override { return tx_.audiences(); }

 private:
  SqlTx tx_;
};

}  // namespace vouch::store::sql
