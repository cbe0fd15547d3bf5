#pragma once
// A numbered mail from the Trail Shop to customer<n>@example.org, for the delivery tests.
#include <string>

#include "delivery/message.h"

namespace vouch::test {

inline delivery::MailMessage SampleMail(int n) {
  delivery::MailMessage m;
  m.from_name = "Trail Shop";
  m.from_address = "noreply@trail.example";
  m.to_address = "customer" + std::to_string(n) + "@example.org";
  m.subject = "Message " + std::to_string(n);
  m.text = "Text of message " + std::to_string(n) + "\n";
  m.html = "<p>Message " + std::to_string(n) + "</p>";
  m.message_id = "<m" + std::to_string(n) + "@trail.example>";
  return m;
}

}  // namespace vouch::test
