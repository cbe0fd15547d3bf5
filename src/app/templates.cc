#include "app/templates.h"

#include <algorithm>

#include "core/validate.h"
#include "delivery/templates.h"

namespace vouch::app {

Result<std::string> TemplateKey(const std::string& locale, const std::string& name) {
  auto loc = core::NormalizeLocale(locale, "locale");
  if (!loc) return loc.error();
  const auto names = delivery::BuiltinTemplateNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    return InvalidArgument("name", "is not a template name (see GET /api/v1/templates)");
  }
  return *loc + "/" + name;
}

Result<std::map<std::string, std::string>> Templates::List(store::Id shop) {
  return store_.Read<std::map<std::string, std::string>>(
      [&](store::ReadTx& tx) { return tx.templates().Overrides(shop); });
}

Status Templates::Put(store::Id shop, const std::string& key, const std::string& body) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.templates().Put(shop, key, body); });
}

Result<TemplateText> Templates::Get(store::Id shop, const std::string& locale, const std::string& name,
                                    bool builtin_only) {
  auto key = TemplateKey(locale, name);
  if (!key) return key.error();
  if (!builtin_only) {
    auto overrides = List(shop);
    if (!overrides) return overrides.error();
    if (auto it = overrides->find(*key); it != overrides->end())
      return TemplateText{*key, it->second, "override"};
  }
  const auto& builtin = delivery::BuiltinTemplates();
  const std::string lang = core::LanguageOf(key->substr(0, key->find('/')));
  for (const std::string& k : {*key, lang + "/" + name, "en/" + name}) {
    if (auto it = builtin.find(k); it != builtin.end()) return TemplateText{k, it->second, "builtin"};
  }
  return Error{Code::kNotFound, "no built-in template with this name", "name"};
}

Status Templates::Delete(store::Id shop, const std::string& key) {
  return store_.Write<Ok>([&](store::Tx& tx) { return tx.templates().Delete(shop, key); });
}

}  // namespace vouch::app
