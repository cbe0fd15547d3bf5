#include "api/json_sms.h"

#include <nlohmann/json.hpp>

namespace vouch::api {

std::string TextPreviewJson(const std::string& name, const std::string& locale,
                            const app::TextPreview& preview) {
  return nlohmann::json{{"name", name},
                        {"locale", locale},
                        {"text", preview.text},
                        {"encoding", core::SmsEncodingName(preview.shape.encoding)},
                        {"characters", preview.shape.characters},
                        {"units", preview.shape.units},
                        {"segments", preview.shape.segments}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace vouch::api
