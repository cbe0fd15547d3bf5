#pragma once
// Senders: how a message reaches a customer on one channel. The worker holds one Sender per
// channel (Senders) and sends each job's message through the sender of the message's channel.
// Email goes through a Mailer (SMTP or .eml files) wrapped as the email Sender; SMS will get a
// gateway Sender of its own.
#include <array>
#include <memory>
#include <string>

#include "core/channel.h"
#include "delivery/mailer.h"
#include "delivery/message.h"

namespace vouch::delivery {

// Sends the messages of one channel. Like a Mailer, a Sender is owned and used by one worker
// thread at a time (not thread-safe) and may keep a connection open between messages.
// Send's result follows the Mailer's contract: kSent when the server accepted the message,
// kTransient when it may succeed later (transport errors, 4xx, bad config: the queue retries),
// kPermanent when it never will as it is (5xx) — with the reason in `detail`. A message of
// another channel is kPermanent too ("email sender cannot send a sms message"), never a crash.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual core::Channel channel() const = 0;
  virtual SendResult Send(const Message& message) = 0;
};

// The email Sender over `mailer` (not null): a MailMessage goes out exactly as through the mailer.
std::unique_ptr<Sender> MakeEmailSender(std::unique_ptr<Mailer> mailer);
// The same over a mailer the caller owns; `mailer` must outlive the sender.
std::unique_ptr<Sender> MakeEmailSender(Mailer& mailer);

// One Sender per channel, for one worker thread; a channel may have none (not configured).
// Owns its senders; movable, not copyable; not thread-safe (neither are the senders).
class Senders {
 public:
  // Makes `sender` the sender of its channel, replacing the one there before; null is ignored.
  void Set(std::unique_ptr<Sender> sender);
  // The sender of `channel`, or nullptr when none is configured.
  Sender* For(core::Channel channel) const;
  // Sends `message` through the sender of its channel. No sender for that channel is
  // kPermanent with the detail NoSenderReason(channel): nothing here will ever send it.
  SendResult Send(const Message& message);

 private:
  std::array<std::unique_ptr<Sender>, std::size(core::kAllChannels)> by_channel_;
};

// "no sender for channel sms": why a message on an unconfigured channel fails.
std::string NoSenderReason(core::Channel channel);

}  // namespace vouch::delivery
