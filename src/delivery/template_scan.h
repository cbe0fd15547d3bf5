#pragma once
// The limits a template must keep to be rendered, and the scan that checks its shape before the
// mustache parser sees it (the parser and its tree recurse per nesting level, so an unbounded
// depth could exhaust the stack). Pure; nothing here does I/O.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace vouch::delivery {

// A shop's override may hold at most this many bytes.
inline constexpr size_t kTemplateMaxBytes = 64 * 1024;
// Sections may nest at most this deep.
inline constexpr int kTemplateMaxDepth = 8;
// One render may visit at most this many template parts (texts, tags, section passes) and write
// at most this many bytes; a template that could exceed either is refused before it renders.
inline constexpr int64_t kTemplateMaxSteps = 200'000;
inline constexpr int64_t kTemplateMaxOutput = 2 * 1024 * 1024;

// Walks the tags of `body` as the mustache parser reads them (set-delimiter tags included) and
// refuses, with kInvalidArgument and field `field`:
//  - sections nested deeper than kTemplateMaxDepth ("nests sections 9 deep; at most 8");
//  - a section nested inside a section of the same name ("section \"buttons\" is nested inside
//    itself"): each pass of the outer one repeats the inner one, so a dozen levels take 11^12
//    passes;
//  - partials ("{{>name}}"): Vouch supplies none, and the engine would take a value of that name
//    as a template.
// Syntax errors (unclosed tags and sections) are left to the parser, which names them better.
Status CheckTemplateShape(std::string_view body, const char* field);

// Whether `body` shows the variable `name` ("{{name}}", "{{{name}}}" or "{{&name}}") outside
// every section, so that every render of it shows the value (read as CheckTemplateShape reads
// tags, set-delimiter tags included).
bool HasTopLevelVariable(std::string_view body, std::string_view name);

}  // namespace vouch::delivery
