#pragma once
// Plain records the store reads and writes, one header per aggregate under store/records/; this
// umbrella includes them all. Money in minor units, time as Instant (UTC).
#include "store/records/campaigns.h"
#include "store/records/customers.h"
#include "store/records/defined_themes.h"
#include "store/records/experiments.h"
#include "store/records/followups.h"
#include "store/records/id.h"
#include "store/records/jobs.h"
#include "store/records/orders.h"
#include "store/records/referrals.h"
#include "store/records/reports.h"
#include "store/records/shops.h"
#include "store/records/surveys.h"
#include "store/records/users.h"
#include "store/records/webhooks.h"
