#pragma once
// Templates: the message templates a shop overrides, keyed "<locale>/<name>" (e.g.
// "de/survey.html"); the built-in ones are delivery's. Thread-safe; every method blocks on the
// store and returns its errors.
#include <map>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace vouch::app {

// One template's text and where it came from: the shop's override ("override") or Vouch's
// built-in one ("builtin"), under the key it was found at (a locale without a built-in of its own
// falls back to its language's, then to English).
struct TemplateText {
  std::string key;
  std::string body;
  std::string source;
};

class Templates {
 public:
  explicit Templates(store::Store& store) : store_(store) {}

  Result<std::map<std::string, std::string>> List(store::Id shop);
  Status Put(store::Id shop, const std::string& key, const std::string& body);
  Status Delete(store::Id shop, const std::string& key);
  // The text `locale`/`name` renders from: the shop's override of that key if any (unless
  // `builtin_only`), else the built-in. `locale` is normalised; kInvalidArgument as TemplateKey;
  // kNotFound "name" when no built-in exists for it.
  Result<TemplateText> Get(store::Id shop, const std::string& locale, const std::string& name,
                           bool builtin_only);

 private:
  store::Store& store_;
};

// "de/survey.html" from ("de", "survey.html"); kInvalidArgument for an unknown template name or
// a malformed locale.
Result<std::string> TemplateKey(const std::string& locale, const std::string& name);

}  // namespace vouch::app
