#pragma once
// The shape of a text message: which alphabet it needs (GSM 03.38 with its extension table, else
// UCS-2), how many characters and segments it takes, and fitting a message into a number of
// segments without ever cutting its link. Pure functions on UTF-8 text; thread-safe.
#include <string>
#include <string_view>

#include "base/result.h"

namespace vouch::core {

enum class SmsEncoding { kGsm7, kUcs2 };
// "gsm7", "ucs2": the names the API shows.
const char* SmsEncodingName(SmsEncoding e);

struct SmsShape {
  SmsEncoding encoding = SmsEncoding::kGsm7;
  int characters = 0;  // Unicode code points
  int units = 0;       // septets (GSM-7: an extension character takes two) or UTF-16 code units
  int segments = 0;    // 1 when units fit one message (160 / 70), else parts of 153 / 67
};

// Measures UTF-8 text (invalid bytes count as one UCS-2 replacement character each). A GSM-7
// escape pair and a UTF-16 surrogate pair never straddle two segments, so a part may hold one unit
// less than 153 / 67. The empty text is one segment.
SmsShape MeasureSms(std::string_view utf8);

// `text` followed by `tail` (which carries the link and any opt-out hint; "" allowed) in at most
// `max_segments` segments: when the whole does not fit, `text` is cut at a word boundary and "..."
// is appended; `tail` is never cut. kInvalidArgument (field `field`) when even `tail` alone, after
// a shortened `text`, does not fit.
Result<std::string> FitSms(std::string_view text, std::string_view tail, int max_segments,
                           const std::string& field);

}  // namespace vouch::core
