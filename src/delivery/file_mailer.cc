// The file Mailer: each message becomes <dir>/<message id>.eml, written to a temporary name and
// renamed into place, so a reader of the directory never sees half a message.
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "base/crypto.h"
#include "delivery/mailer.h"

namespace vouch::delivery {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMaxNameLength = 200;

// The message id without angle brackets, every character outside [A-Za-z0-9@._-] replaced by
// '_'. Never starts with '.', so the file is neither hidden nor "." or "..".
std::string FileStem(std::string_view message_id) {
  std::string stem;
  for (char c : message_id) {
    if (c == '<' || c == '>') continue;
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '@' || c == '.' || c == '_' || c == '-';
    stem += safe ? c : '_';
    if (stem.size() == kMaxNameLength) break;
  }
  if (stem.empty()) stem = Base64Url(RandomBytes(12));
  if (stem.front() == '.') stem.front() = '_';
  return stem;
}

class FileMailer final : public Mailer {
 public:
  FileMailer(std::string dir, const Clock& clock) : dir_(std::move(dir)), clock_(clock) {}

  SendResult Send(const MailMessage& message) override {
    const std::string mime = ComposeMime(message, clock_.Now());
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) return Failed("create " + dir_.string(), ec);

    const fs::path target = dir_ / (FileStem(message.message_id) + ".eml");
    const fs::path temp =
        dir_ / ("." + target.filename().string() + "." + Base64Url(RandomBytes(6)) + ".tmp");
    {
      errno = 0;
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out.write(mime.data(), static_cast<std::streamsize>(mime.size()));
      out.close();
      if (!out) {
        const std::error_code write_ec(errno != 0 ? errno : EIO, std::generic_category());
        fs::remove(temp, ec);
        return Failed("write " + temp.string(), write_ec);
      }
    }
    fs::rename(temp, target, ec);
    if (ec) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      return Failed("rename to " + target.string(), ec);
    }
    return {SendOutcome::kSent, target.string()};
  }

 private:
  static SendResult Failed(const std::string& what, const std::error_code& ec) {
    return {SendOutcome::kTransient, what + ": " + ec.message()};
  }

  fs::path dir_;
  const Clock& clock_;
};

}  // namespace

std::unique_ptr<Mailer> MakeFileMailer(std::string dir, const Clock& clock) {
  return std::make_unique<FileMailer>(std::move(dir), clock);
}

}  // namespace vouch::delivery
