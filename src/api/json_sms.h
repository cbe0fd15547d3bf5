#pragma once
// JSON of the text-message routes (api/routes_sms.cc).
#include <string>

#include "app/text_messages.h"

namespace vouch::api {

// {"name","locale","text","encoding":"gsm7"|"ucs2","characters","units","segments"}
std::string TextPreviewJson(const std::string& name, const std::string& locale,
                            const app::TextPreview& preview);

}  // namespace vouch::api
