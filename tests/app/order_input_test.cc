// ValidateOrder: every rule an order source shares, tested without JSON.
#include "app/order_input.h"

#include <gtest/gtest.h>

namespace vouch::app {
namespace {

using F = RawField;

// A valid order: 59.90 EUR by customer c-1 with one line item.
RawOrder Valid() {
  RawOrder o;
  o.id = F::Text("1001");
  o.created_at = F::Text("2026-11-27T10:00:00Z");
  o.currency = F::Text("EUR");
  o.total_price = F::Text("59.90");
  o.customer_shape = RawShape::kPresent;
  o.customer.id = F::Text("c-1");
  o.customer.email = F::Text("Anna.Schmidt@Example.COM");
  o.customer.phone = F::Text("+49 (0)151 1234-5678");
  o.customer.first_name = F::Text("Anna");
  o.customer.locale = F::Text("de");
  o.line_items_shape = RawShape::kPresent;
  RawLineItem li;
  li.product_id = F::Text("p-1");
  li.title = F::Text("Trail shoe");
  li.category = F::Text("shoes");
  li.quantity = F::Text("2");
  li.price = F::Text("29.95");
  o.line_items.push_back(li);
  return o;
}

// The error of `raw` as "field: message", or "ok".
std::string ErrorOf(RawOrder raw) {
  auto r = ValidateOrder(std::move(raw));
  if (r.ok()) return "ok";
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  return r.error().field + ": " + r.error().message;
}

TEST(ValidateOrderTest, NormalisesAValidOrder) {
  auto r = ValidateOrder(Valid());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->external_id, "1001");
  EXPECT_EQ(r->created_at, *ParseRfc3339("2026-11-27T10:00:00Z", "t"));
  EXPECT_EQ(r->currency, "EUR");
  EXPECT_EQ(r->total_minor, 5990);
  EXPECT_EQ(r->customer.external_id, "c-1");
  EXPECT_EQ(r->customer.email, "anna.schmidt@example.com");
  EXPECT_EQ(r->customer.phone, "+4915112345678");
  EXPECT_EQ(r->customer.first_name, "Anna");
  EXPECT_EQ(r->customer.locale, "de");
  ASSERT_EQ(r->items.size(), 1u);
  EXPECT_EQ(r->items[0].product_id, "p-1");
  EXPECT_EQ(r->items[0].category, "shoes");
  EXPECT_EQ(r->items[0].quantity, 2);
  EXPECT_EQ(r->items[0].price_minor, 2995);
}

TEST(ValidateOrderTest, RequiredFieldsAndTheirOrder) {
  RawOrder none;
  none.is_object = false;
  EXPECT_EQ(ErrorOf(none), ": an order must be a JSON object");
  EXPECT_EQ(ErrorOf(RawOrder{}), "id: is required");  // the first rule broken is reported
  auto o = Valid();
  o.id = F::Text("");
  EXPECT_EQ(ErrorOf(o), "id: must not be empty");
  o = Valid();
  o.id = F::Text(std::string(201, 'x'));
  EXPECT_EQ(ErrorOf(o), "id: is too long");
  o = Valid();
  o.id = F::Text("10\n01");
  EXPECT_EQ(ErrorOf(o), "id: must not contain control characters");
  o = Valid();
  o.id = F::Text("10\t01");
  EXPECT_EQ(ErrorOf(o), "ok");
  o = Valid();
  o.id = F::WrongType();
  EXPECT_EQ(ErrorOf(o), "id: must be a string");
  o = Valid();
  o.created_at = F::Absent();
  EXPECT_EQ(ErrorOf(o), "created_at: is required");
  o = Valid();
  o.customer_shape = RawShape::kAbsent;
  EXPECT_EQ(ErrorOf(o), "customer: is required");
  o = Valid();
  o.customer_shape = RawShape::kWrongType;
  EXPECT_EQ(ErrorOf(o), "customer: must be an object");
}

TEST(ValidateOrderTest, TimesAndMoney) {
  auto o = Valid();
  o.created_at = F::Text("yesterday");
  EXPECT_EQ(ErrorOf(o).rfind("created_at: ", 0), 0u);
  o = Valid();
  o.currency = F::Text("EURO");
  EXPECT_EQ(ErrorOf(o), "currency: is too long");
  o = Valid();
  o.currency = F::Text("XXX");
  EXPECT_EQ(ErrorOf(o), "currency: unknown ISO 4217 currency code");
  o = Valid();
  o.total_price = F::WrongType();
  EXPECT_EQ(ErrorOf(o), "total_price: must be a decimal amount such as \"59.90\"");
  o = Valid();
  o.total_price = F::Absent();
  EXPECT_EQ(ErrorOf(o), "total_price: is required");
  // The currency's exponent decides the minor units, of the total and of each price.
  o = Valid();
  o.currency = F::Text("JPY");
  o.total_price = F::Text("1000");
  o.line_items[0].price = F::Text("500");
  auto jpy = ValidateOrder(std::move(o));
  ASSERT_TRUE(jpy.ok());
  EXPECT_EQ(jpy->total_minor, 1000);
  EXPECT_EQ(jpy->items[0].price_minor, 500);
  o = Valid();
  o.currency = F::Text("JPY");
  o.total_price = F::Text("1000.5");
  EXPECT_EQ(ErrorOf(o).rfind("total_price: ", 0), 0u);
  o = Valid();
  o.line_items[0].price = F::Text("1.234");
  EXPECT_EQ(ErrorOf(o).rfind("line_items[0].price: ", 0), 0u);
}

TEST(ValidateOrderTest, CustomerContactsAreNormalisedOrRejected) {
  auto o = Valid();
  o.customer.email = F::Text("not an email");
  EXPECT_EQ(ErrorOf(o).rfind("customer.email: ", 0), 0u);
  o = Valid();
  o.customer.phone = F::Text("12");
  EXPECT_EQ(ErrorOf(o).rfind("customer.phone: ", 0), 0u);
  o = Valid();
  o.customer.locale = F::Text("xx_!!");
  EXPECT_EQ(ErrorOf(o).rfind("customer.locale: ", 0), 0u);
  o = Valid();
  o.customer.locale = F::Text("toolonglocale");
  EXPECT_EQ(ErrorOf(o), "customer.locale: is too long");
  o = Valid();
  o.customer = RawCustomer{};
  EXPECT_EQ(ErrorOf(o), "customer.id: a customer needs an id, an email or a phone");
  o = Valid();
  o.customer = RawCustomer{};
  o.customer.phone = F::Text("+44 20 7946 0958");
  auto by_phone = ValidateOrder(std::move(o));
  ASSERT_TRUE(by_phone.ok());
  EXPECT_EQ(by_phone->customer.phone, "+442079460958");
  EXPECT_EQ(by_phone->customer.email, "");
}

TEST(ValidateOrderTest, DiscountCodes) {
  auto o = Valid();
  o.discount_codes_shape = RawShape::kPresent;
  o.discount_codes = {F::Text(" anna-7k3f "), F::Text("SAVE10")};
  auto r = ValidateOrder(std::move(o));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->discount_codes.size(), 2u);
  EXPECT_EQ(r->discount_codes[0], "ANNA-7K3F");
  EXPECT_EQ(r->discount_codes[1], "SAVE10");
  o = Valid();
  o.discount_codes_shape = RawShape::kWrongType;
  EXPECT_EQ(ErrorOf(o), "discount_codes: must be an array of strings");
  o = Valid();
  o.discount_codes_shape = RawShape::kPresent;
  o.discount_codes.assign(51, F::Text("X"));
  EXPECT_EQ(ErrorOf(o), "discount_codes: has too many codes");
  o = Valid();
  o.discount_codes_shape = RawShape::kPresent;
  o.discount_codes = {F::Text("A"), F::WrongType()};
  EXPECT_EQ(ErrorOf(o), "discount_codes[1]: must be a string");
  o = Valid();
  o.discount_codes_shape = RawShape::kPresent;
  o.discount_codes = {F::Text(std::string(101, 'A'))};
  EXPECT_EQ(ErrorOf(o), "discount_codes[0]: is too long");
}

TEST(ValidateOrderTest, LineItems) {
  auto o = Valid();
  o.line_items[0].quantity = F::Absent();
  auto one = ValidateOrder(std::move(o));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->items[0].quantity, 1);
  for (const char* bad : {"0", "-1", "1000001", "2.5", "", "x"}) {
    o = Valid();
    o.line_items[0].quantity = F::Text(bad);
    EXPECT_EQ(ErrorOf(o), "line_items[0].quantity: must be a positive integer") << bad;
  }
  o = Valid();
  o.line_items[0].quantity = F::WrongType();
  EXPECT_EQ(ErrorOf(o), "line_items[0].quantity: must be a positive integer");
  o = Valid();
  o.line_items[0].quantity = F::Text("1000000");
  EXPECT_EQ(ErrorOf(o), "ok");
  o = Valid();
  o.line_items.push_back(RawLineItem{});
  o.line_items[1].is_object = false;
  EXPECT_EQ(ErrorOf(o), "line_items[1]: must be an object");
  o = Valid();
  o.line_items[0].category = F::Text(std::string(101, 'c'));
  EXPECT_EQ(ErrorOf(o), "line_items[0].category: is too long");
  o = Valid();
  o.line_items_shape = RawShape::kWrongType;
  EXPECT_EQ(ErrorOf(o), "line_items: must be an array");
  o = Valid();
  o.line_items.assign(1001, RawLineItem{});
  EXPECT_EQ(ErrorOf(o), "line_items: has too many items");
  // Codes are checked before items: the first rule broken in the order's field order wins.
  o = Valid();
  o.line_items_shape = RawShape::kWrongType;
  o.discount_codes_shape = RawShape::kWrongType;
  EXPECT_EQ(ErrorOf(o), "discount_codes: must be an array of strings");
}

TEST(ValidateOrderTest, VisitShippingAndConsent) {
  RawOrder raw = Valid();
  raw.landing_site = F::Text("/p?utm=x");
  raw.browser_ip = F::Text("2001:DB8::5");
  raw.shipping_address_shape = RawShape::kPresent;
  raw.shipping_address.line1 = F::Text("Torstraße 1");
  raw.shipping_address.zip = F::Text("10119");
  raw.shipping_address.country = F::Text("de");
  raw.customer.accepts_email_marketing = F::Text("false");
  raw.customer.accepts_sms_marketing = F::Text("true");
  auto r = ValidateOrder(std::move(raw));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->landing_site, "/p?utm=x");
  EXPECT_EQ(r->browser_ip, "2001:db8::5");
  ASSERT_TRUE(r->shipping_address.has_value());
  EXPECT_EQ(*r->shipping_address, (store::ShippingAddress{"Torstraße 1", "10119", "DE"}));
  EXPECT_EQ(r->customer.accepts_email_marketing, std::optional<bool>(false));
  EXPECT_EQ(r->customer.accepts_sms_marketing, std::optional<bool>(true));

  auto plain = ValidateOrder(Valid());  // none given: empty, none, unknown
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->browser_ip, "");
  EXPECT_FALSE(plain->shipping_address.has_value());
  EXPECT_FALSE(plain->customer.accepts_email_marketing.has_value());

  RawOrder empty_address = Valid();  // an address of empty parts is none
  empty_address.shipping_address_shape = RawShape::kPresent;
  auto e = ValidateOrder(std::move(empty_address));
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->shipping_address.has_value());
}

TEST(ValidateOrderTest, VisitShippingAndConsentErrorsNameTheirField) {
  auto with = [](auto change) {
    RawOrder raw = Valid();
    change(raw);
    return ErrorOf(std::move(raw));
  };
  EXPECT_EQ(with([](RawOrder& o) { o.browser_ip = F::Text("10.0.0.300"); }),
            "browser_ip: must be an IPv4 or IPv6 address");
  EXPECT_EQ(with([](RawOrder& o) { o.browser_ip = F::WrongType(); }), "browser_ip: must be a string");
  EXPECT_EQ(with([](RawOrder& o) { o.landing_site = F::Text(std::string(2001, 'x')); }),
            "landing_site: is too long");
  EXPECT_EQ(with([](RawOrder& o) { o.shipping_address_shape = RawShape::kWrongType; }),
            "shipping_address: must be an object");
  EXPECT_EQ(with([](RawOrder& o) {
              o.shipping_address_shape = RawShape::kPresent;
              o.shipping_address.country = F::Text("DEU");
            }),
            "shipping_address.country: must be an ISO 3166-1 alpha-2 country code such as \"DE\"");
  EXPECT_EQ(with([](RawOrder& o) {
              o.shipping_address_shape = RawShape::kPresent;
              o.shipping_address.line1 = F::Text("a\x01b");
            }),
            "shipping_address.line1: must not contain control characters");
  EXPECT_EQ(with([](RawOrder& o) { o.customer.accepts_email_marketing = F::Text("yes"); }),
            "customer.accepts_email_marketing: must be true, false or null");
  EXPECT_EQ(with([](RawOrder& o) { o.customer.accepts_sms_marketing = F::WrongType(); }),
            "customer.accepts_sms_marketing: must be true, false or null");
}

}  // namespace
}  // namespace vouch::app
