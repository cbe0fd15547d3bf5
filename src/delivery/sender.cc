#include "delivery/sender.h"

#include <utility>

namespace vouch::delivery {
namespace {

// The channel order of kAllChannels is the enum's: a channel's index is its value.
constexpr size_t IndexOf(core::Channel channel) { return static_cast<size_t>(channel); }
static_assert(IndexOf(core::kAllChannels[0]) == 0 && IndexOf(core::kAllChannels[1]) == 1);

class EmailSender final : public Sender {
 public:
  explicit EmailSender(std::unique_ptr<Mailer> owned) : owned_(std::move(owned)), mailer_(*owned_) {}
  explicit EmailSender(Mailer& mailer) : mailer_(mailer) {}

  core::Channel channel() const override { return core::Channel::kEmail; }

  SendResult Send(const Message& message) override {
    if (const auto* mail = std::get_if<MailMessage>(&message)) return mailer_.Send(*mail);
    return {SendOutcome::kPermanent,
            "email sender cannot send a " + std::string(core::ChannelName(ChannelOf(message))) + " message"};
  }

 private:
  std::unique_ptr<Mailer> owned_;
  Mailer& mailer_;
};

}  // namespace

std::unique_ptr<Sender> MakeEmailSender(std::unique_ptr<Mailer> mailer) {
  return std::make_unique<EmailSender>(std::move(mailer));
}

std::unique_ptr<Sender> MakeEmailSender(Mailer& mailer) { return std::make_unique<EmailSender>(mailer); }

void Senders::Set(std::unique_ptr<Sender> sender) {
  if (!sender) return;
  const size_t i = IndexOf(sender->channel());
  by_channel_[i] = std::move(sender);
}

Sender* Senders::For(core::Channel channel) const { return by_channel_[IndexOf(channel)].get(); }

SendResult Senders::Send(const Message& message) {
  const core::Channel channel = ChannelOf(message);
  Sender* sender = For(channel);
  if (sender == nullptr) return {SendOutcome::kPermanent, NoSenderReason(channel)};
  return sender->Send(message);
}

std::string NoSenderReason(core::Channel channel) {
  return "no sender for channel " + std::string(core::ChannelName(channel));
}

}  // namespace vouch::delivery
