#include "app/order_csv.h"

#include <cctype>
#include <utility>

namespace vouch::app {
namespace {

Error BrokenRecord(size_t line, const char* what) {
  return InvalidArgument("line " + std::to_string(line), what);
}

// "Created at" as Shopify exports it, "2026-11-20 10:15:00 +0100", as RFC 3339; anything else as
// it is (ValidateOrder judges it).
std::string Rfc3339(std::string_view t) {
  if (t.size() == 25 && t[10] == ' ' && t[19] == ' ' && (t[20] == '+' || t[20] == '-')) {
    return std::string(t.substr(0, 10)) + "T" + std::string(t.substr(11, 8)) + std::string(t.substr(20, 3)) +
           ":" + std::string(t.substr(23, 2));
  }
  return std::string(t);
}

RawField FieldOf(std::string_view v) {
  return v.empty() ? RawField::Absent() : RawField::Text(std::string(v));
}

std::string_view Trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// A column name compared as: trimmed, lower case, spaces as '_' ("Lineitem quantity").
std::string ColumnKey(std::string_view name) {
  std::string out;
  for (char c : Trim(name))
    out += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A phone from an address column: only in international form; a national number cannot be read
// without its country's rules. Spreadsheets keep a leading '+' behind an apostrophe.
std::string_view International(std::string_view phone) {
  if (!phone.empty() && phone.front() == '\'') phone.remove_prefix(1);
  return !phone.empty() && phone.front() == '+' ? phone : std::string_view{};
}

// A yes/no cell ("Accepts Marketing": yes/no; ours: true/false; 1/0) as ValidateOrder's
// "true"/"false"; anything else as it is, for ValidateOrder's error; empty: unknown.
RawField YesNo(std::string_view v) {
  std::string low;
  for (char c : v) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (low == "yes" || low == "true" || low == "1") return RawField::Text("true");
  if (low == "no" || low == "false" || low == "0") return RawField::Text("false");
  return FieldOf(v);
}

}  // namespace

bool CsvReader::Peek(char& c) {
  while (pos_ >= piece_.size()) {
    if (ended_) return false;
    piece_ = source_();
    pos_ = 0;
    if (piece_.empty()) {
      ended_ = true;
      return false;
    }
  }
  c = piece_[pos_];
  return true;
}

Result<std::optional<std::vector<std::string>>> CsvReader::Next(size_t& line) {
  char c = 0;
  if (!started_) {
    started_ = true;
    if (Peek(c) && c == '\xEF') {  // a UTF-8 byte order mark, as spreadsheets write
      for (char want : {'\xEF', '\xBB', '\xBF'}) {
        if (!Peek(c) || c != want) break;
        ++pos_;
      }
    }
  }
  while (Peek(c) && (c == '\n' || c == '\r')) {  // blank lines are no records
    if (c == '\n') ++line_;
    ++pos_;
  }
  if (!Peek(c)) return std::optional<std::vector<std::string>>{};
  line = line_;
  enum class State { kStart, kUnquoted, kQuoted, kAfterQuote };
  State st = State::kStart;
  std::vector<std::string> fields(1);
  auto end_record = [&]() {
    if (st == State::kUnquoted && !fields.back().empty() && fields.back().back() == '\r')
      fields.back().pop_back();
    return std::optional<std::vector<std::string>>{std::move(fields)};
  };
  while (Peek(c)) {
    ++pos_;
    switch (st) {
      case State::kStart:
      case State::kUnquoted:
        if (c == ',') {
          fields.emplace_back();
          st = State::kStart;
        } else if (c == '\n') {
          ++line_;
          return end_record();
        } else if (c == '"' && st == State::kStart) {
          st = State::kQuoted;
        } else {
          fields.back() += c;
          st = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          st = State::kAfterQuote;
        } else {
          if (c == '\n') ++line_;
          fields.back() += c;
        }
        break;
      case State::kAfterQuote:
        if (c == '"') {
          fields.back() += '"';
          st = State::kQuoted;
        } else if (c == ',') {
          fields.emplace_back();
          st = State::kStart;
        } else if (c == '\n') {
          ++line_;
          return end_record();
        } else if (c != '\r') {
          return BrokenRecord(line_, "has text after a closing quote");
        }
        break;
    }
  }
  if (st == State::kQuoted) return BrokenRecord(line, "has a quoted field that is not closed");
  return end_record();
}

Status OrderCsvReader::ReadHeader() {
  header_read_ = true;
  size_t line = 0;
  auto header = csv_.Next(line);
  if (!header) return header.error();
  if (!header->has_value()) return InvalidArgument("header", "the file is empty");
  for (size_t i = 0; i < (*header)->size(); ++i) columns_.emplace(ColumnKey((**header)[i]), i);
  if (!columns_.count("id") && !columns_.count("name")) {
    return InvalidArgument("header", "needs an id column (or Shopify's Id or Name)");
  }
  if (!columns_.count("created_at")) return InvalidArgument("header", "needs a created_at column");
  return OkStatus();
}

std::string_view OrderCsvReader::Cell(const std::vector<std::string>& row, std::string_view name) const {
  auto it = columns_.find(name);
  if (it == columns_.end() || it->second >= row.size()) return {};
  return Trim(row[it->second]);
}

std::string OrderCsvReader::IdOf(const std::vector<std::string>& row) const {
  std::string_view id = Cell(row, "id");
  return std::string(id.empty() ? Cell(row, "name") : id);
}

void OrderCsvReader::AddItem(const std::vector<std::string>& row, size_t line, CsvOrder& order) const {
  auto either = [&](std::string_view ours, std::string_view shopify) {
    std::string_view v = Cell(row, ours);
    return v.empty() ? Cell(row, shopify) : v;
  };
  RawLineItem li;
  li.product_id = FieldOf(either("product_id", "lineitem_sku"));
  li.title = FieldOf(either("title", "lineitem_name"));
  li.category = FieldOf(Cell(row, "category"));
  li.quantity = FieldOf(either("quantity", "lineitem_quantity"));
  li.price = FieldOf(either("price", "lineitem_price"));
  if (li.product_id.absent() && li.title.absent() && li.quantity.absent() && li.price.absent()) return;
  order.raw.line_items.push_back(std::move(li));
  order.item_lines.push_back(line);
}

CsvOrder OrderCsvReader::Start(const std::vector<std::string>& row, size_t line) const {
  CsvOrder order;
  order.line = line;
  RawOrder& o = order.raw;
  o.id = FieldOf(IdOf(row));
  o.created_at = FieldOf(Rfc3339(Cell(row, "created_at")));
  o.currency = FieldOf(Cell(row, "currency"));
  std::string_view total = Cell(row, "total_price");
  o.total_price = FieldOf(total.empty() ? Cell(row, "total") : total);
  o.customer_shape = RawShape::kPresent;
  RawCustomer& c = o.customer;
  c.id = FieldOf(Cell(row, "customer_id"));
  c.email = FieldOf(Cell(row, "email"));
  std::string_view phone = Cell(row, "phone");
  if (!phone.empty() && phone.front() == '\'') phone.remove_prefix(1);
  if (phone.empty()) phone = International(Cell(row, "billing_phone"));
  if (phone.empty()) phone = International(Cell(row, "shipping_phone"));
  c.phone = FieldOf(phone);
  c.first_name = FieldOf(Cell(row, "first_name"));
  c.last_name = FieldOf(Cell(row, "last_name"));
  if (std::string_view name = Cell(row, "billing_name"); c.first_name.absent() && !name.empty()) {
    const size_t space = name.find(' ');
    c.first_name = FieldOf(name.substr(0, space));
    if (space != std::string_view::npos) c.last_name = FieldOf(Trim(name.substr(space + 1)));
  }
  c.locale = FieldOf(Cell(row, "locale"));
  std::string_view email_ok = Cell(row, "accepts_email_marketing");
  c.accepts_email_marketing = YesNo(email_ok.empty() ? Cell(row, "accepts_marketing") : email_ok);
  c.accepts_sms_marketing = YesNo(Cell(row, "accepts_sms_marketing"));
  o.landing_site = FieldOf(Cell(row, "landing_site"));
  o.browser_ip = FieldOf(Cell(row, "browser_ip"));
  std::string_view line1 = Cell(row, "shipping_line1");
  RawShippingAddress ship{FieldOf(line1.empty() ? Cell(row, "shipping_address1") : line1),
                          FieldOf(Cell(row, "shipping_zip")), FieldOf(Cell(row, "shipping_country"))};
  if (!ship.line1.absent() || !ship.zip.absent() || !ship.country.absent()) {
    o.shipping_address_shape = RawShape::kPresent;
    o.shipping_address = std::move(ship);
  }
  std::string_view codes = Cell(row, "discount_codes");
  if (codes.empty()) codes = Cell(row, "discount_code");
  while (!codes.empty()) {
    const size_t comma = codes.find(',');
    std::string_view code = Trim(codes.substr(0, comma));
    if (!code.empty()) o.discount_codes.push_back(RawField::Text(std::string(code)));
    codes = comma == std::string_view::npos ? std::string_view{} : codes.substr(comma + 1);
  }
  if (!o.discount_codes.empty()) o.discount_codes_shape = RawShape::kPresent;
  o.line_items_shape = RawShape::kPresent;
  AddItem(row, line, order);
  return order;
}

Result<std::optional<CsvOrder>> OrderCsvReader::Next() {
  if (!header_read_) {
    VOUCH_TRY(ReadHeader());
  }
  if (pending_error_) return *pending_error_;
  std::vector<std::string> row;
  size_t line = 0;
  if (pending_) {
    row = std::move(*pending_);
    line = pending_line_;
    pending_.reset();
  } else {
    auto r = csv_.Next(line);
    if (!r) return r.error();
    if (!r->has_value()) return std::optional<CsvOrder>{};
    row = std::move(**r);
  }
  CsvOrder order = Start(row, line);
  const std::string id = IdOf(row);
  for (;;) {
    size_t next_line = 0;
    auto r = csv_.Next(next_line);
    if (!r) {  // the order read so far is whole: the error comes with the next call
      pending_error_ = r.error();
      break;
    }
    if (!r->has_value()) break;
    if (!id.empty() && IdOf(**r) == id) {
      AddItem(**r, next_line, order);
      continue;
    }
    pending_ = std::move(**r);
    pending_line_ = next_line;
    break;
  }
  return std::optional<CsvOrder>{std::move(order)};
}

}  // namespace vouch::app
