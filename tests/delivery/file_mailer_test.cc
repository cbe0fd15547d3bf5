#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "base/time.h"
#include "delivery/mailer.h"

namespace vouch::delivery {
namespace {

namespace fs = std::filesystem;

const Instant kNow = FromUnixMillis(1795169700000);

class FileMailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("vouch-file-mailer-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::permissions(root_, fs::perms::owner_all, fs::perm_options::add, ignored);
    fs::remove_all(root_, ignored);
  }

  static std::string Read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  static MailMessage Message(std::string id) {
    MailMessage m;
    m.from_address = "noreply@trail.example";
    m.to_address = "anna@example.org";
    m.subject = "Hi";
    m.text = "Hello\n";
    m.message_id = std::move(id);
    return m;
  }

  fs::path root_;
  FakeClock clock_{kNow};
};

TEST_F(FileMailerTest, WritesOneEmlPerMessageIdCreatingTheDirectory) {
  const fs::path dir = root_ / "outbox" / "nested";
  auto mailer = MakeFileMailer(dir.string(), clock_);
  const MailMessage m = Message("<survey-1@trail.example>");
  const SendResult r = mailer->Send(m);
  EXPECT_EQ(r.outcome, SendOutcome::kSent) << r.detail;
  const fs::path file = dir / "survey-1@trail.example.eml";
  ASSERT_TRUE(fs::exists(file));
  EXPECT_EQ(Read(file), ComposeMime(m, kNow));
  // A resend of the same cause replaces the file instead of adding one.
  EXPECT_EQ(mailer->Send(m).outcome, SendOutcome::kSent);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
}

TEST_F(FileMailerTest, UnsafeCharactersInTheIdStayInsideTheDirectory) {
  auto mailer = MakeFileMailer(root_.string(), clock_);
  const std::map<std::string, std::string> cases = {
      {"<../../etc/passwd@x>", "_._.._etc_passwd@x.eml"},
      {"<a/b\\c d:e@x>", "a_b_c_d_e@x.eml"},
      {"<..>", "_..eml"},
      {"<.hidden@x>", "_hidden@x.eml"},
  };
  for (const auto& [id, want] : cases) {
    ASSERT_EQ(mailer->Send(Message(id)).outcome, SendOutcome::kSent) << id;
    EXPECT_TRUE(fs::exists(root_ / want)) << id << " -> " << want;
  }
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(root_)) {
    EXPECT_TRUE(entry.is_regular_file());
    EXPECT_EQ(entry.path().extension(), ".eml") << "no temporary file left behind";
    ++files;
  }
  EXPECT_EQ(files, cases.size());
}

TEST_F(FileMailerTest, UnwritableDirectoryIsTransient) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores directory permissions";
  fs::create_directories(root_);
  fs::permissions(root_, fs::perms::owner_read | fs::perms::owner_exec);
  const SendResult r = MakeFileMailer(root_.string(), clock_)->Send(Message("<a@x>"));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient);
  EXPECT_FALSE(r.detail.empty());
}

TEST_F(FileMailerTest, DirectoryPathThatIsAFileIsTransient) {
  fs::create_directories(root_);
  std::ofstream(root_ / "file") << "x";
  const SendResult r = MakeFileMailer((root_ / "file").string(), clock_)->Send(Message("<a@x>"));
  EXPECT_EQ(r.outcome, SendOutcome::kTransient);
  EXPECT_FALSE(r.detail.empty());
}

}  // namespace
}  // namespace vouch::delivery
