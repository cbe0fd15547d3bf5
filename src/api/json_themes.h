#pragma once
// Comment themes in JSON (issue 16). Pure functions, thread-safe.
#include <string>

#include "app/themes.h"

namespace vouch::api {

// {"from","to","category","detractor_comments","promoter_comments","capped","detractor_terms",
// "promoter_terms","significance_test"}: each term with its display form, stems, whether it is
// a phrase, the comments of each group that carry it, G², p-value and example comments.
std::string ToJson(const app::ThemeReport& r);

}  // namespace vouch::api
