#pragma once
// Templates: the message templates a shop overrides, keyed "<locale>/<name>" (e.g.
// "de/survey.html"); the built-in ones are delivery's. Thread-safe; every method blocks on the
// store and returns its errors.
#include <map>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace vouch::app {

class Templates {
 public:
  explicit Templates(store::Store& store) : store_(store) {}

  Result<std::map<std::string, std::string>> List(store::Id shop);
  Status Put(store::Id shop, const std::string& key, const std::string& body);
  Status Delete(store::Id shop, const std::string& key);

 private:
  store::Store& store_;
};

// "de/survey.html" from ("de", "survey.html"); kInvalidArgument for an unknown template name or
// a malformed locale.
Result<std::string> TemplateKey(const std::string& locale, const std::string& name);

}  // namespace vouch::app
