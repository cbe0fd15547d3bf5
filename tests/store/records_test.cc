// The names the states are stored under: each enum's Name and Parse are inverse, and parsing
// rejects what the schema never holds.
#include <gtest/gtest.h>

#include "store/records.h"

namespace vouch::store {
namespace {

TEST(StateNames, SurveyStatusRoundTrips) {
  for (SurveyStatus s : {SurveyStatus::kScheduled, SurveyStatus::kSent, SurveyStatus::kFailed}) {
    EXPECT_EQ(ParseSurveyStatus(SurveyStatusName(s)), s);
  }
  EXPECT_STREQ(SurveyStatusName(SurveyStatus::kScheduled), "scheduled");
  EXPECT_STREQ(SurveyStatusName(SurveyStatus::kSent), "sent");
  EXPECT_EQ(ParseSurveyStatus("pending"), std::nullopt);
  EXPECT_EQ(ParseSurveyStatus(""), std::nullopt);
}

TEST(StateNames, JobStatusRoundTrips) {
  for (JobStatus s : {JobStatus::kPending, JobStatus::kRunning, JobStatus::kDone, JobStatus::kFailed,
                      JobStatus::kSkipped}) {
    EXPECT_EQ(ParseJobStatus(JobStatusName(s)), s);
  }
  EXPECT_STREQ(JobStatusName(JobStatus::kSkipped), "skipped");
  EXPECT_STREQ(JobStatusName(JobStatus::kDone), "done");
  EXPECT_EQ(ParseJobStatus("Done"), std::nullopt);
  EXPECT_EQ(ParseJobStatus("sent"), std::nullopt);
  EXPECT_EQ(ParseJobStatus(""), std::nullopt);
}

TEST(StateNames, RoleRoundTrips) {
  for (Role r : {Role::kAdmin, Role::kViewer}) EXPECT_EQ(ParseRole(RoleName(r)), r);
  EXPECT_STREQ(RoleName(Role::kAdmin), "admin");
  EXPECT_STREQ(RoleName(Role::kViewer), "viewer");
  EXPECT_EQ(ParseRole("Admin"), std::nullopt);
  EXPECT_EQ(ParseRole("owner"), std::nullopt);
  EXPECT_EQ(ParseRole(""), std::nullopt);
}

}  // namespace
}  // namespace vouch::store
