#pragma once
// The parts of RenderTemplateFilled (templates.h) that need no template engine: a context's
// shape, its values as placeholders, a placeholder render cut into a skeleton, and the skeleton
// filled with a context's values. Internal to the delivery module; pure, nothing here does I/O.
//
// A placeholder is "\x02<index>&\x03". The HTML escape turns its '&' into "&amp;" and leaves the
// rest alone, so a skeleton tells an escaped value ({{x}} in a ".html" template) from a raw one.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "delivery/templates.h"

namespace vouch::delivery {

// Marks the start of every template line during rendering; dropped from the output (values
// included), in templates.cc's render and in Fill alike.
inline constexpr char kLineMark = '\x01';

// A template's output for one shape of context, with a gap for each of the context's non-empty
// strings.
struct Skeleton {
  struct Gap {
    size_t text_end;  // the literal text before the gap ends here in `text`
    uint32_t value;   // the value's index (in ShapeOf's order)
    bool escaped;     // written through the HTML escape
  };
  std::string text;  // the literal text between the gaps, run together
  std::vector<Gap> gaps;
  // The render's cost as templates.cc reckons it, with every value 0 bytes long (`bytes`), and
  // how much each byte of the longest value may add (`per_byte`): a bound for any values.
  double steps = 0;
  double bytes = 0;
  double per_byte = 0;
};

// Whether placeholders give exactly what a render of `body` gives: not when it changes
// delimiters (its lines then carry no kLineMark, so kainjow's blank-line rule would see the
// values), when a tag spans lines (kept out to be safe), or when its text
// holds the placeholders' marks.
bool FillableBody(std::string_view body);

// Appends the context's shape to `shape` (every key with its kind and truthiness, each list's
// length and each record's fields likewise: all that decides which sections render, and how
// often) and its non-empty strings to `values` (top-level keys and list records in the
// context's order); returns the longest value's length.
size_t ShapeOf(const TemplateContext& ctx, std::string& shape, std::vector<const std::string*>& values);

// `ctx` with its non-empty strings replaced by their placeholders, numbered in ShapeOf's order.
TemplateContext Placeholders(const TemplateContext& ctx);

// Cuts the render of Placeholders(ctx) (`count` values) into a skeleton (costs left at 0);
// nullopt when the render is not made of the text and well-formed placeholders.
std::optional<Skeleton> CutSkeleton(std::string_view rendered, size_t count);

// The skeleton's text with each gap filled by its value as the renderer writes it: through
// kainjow's HTML escape (& < > " ' as &amp; &lt; &gt; &quot; &apos;) when escaped, and without
// kLineMark bytes.
std::string Fill(const Skeleton& skeleton, const std::vector<const std::string*>& values);

}  // namespace vouch::delivery
