#include "experiments/config/overrides.h"

#include <utility>
#include <vector>

#include "experiments/config/error.h"

namespace lclab::experiments {

namespace {

// One step of a key path: a name, and an array index (-1 for none).
using KeyPart = std::pair<std::string, long>;

// "a.b[1].c" as its parts.
std::vector<KeyPart> ParseKeyPath(const std::string& where, const std::string& key) {
  std::vector<KeyPart> parts;
  std::size_t pos = 0;
  while (pos <= key.size()) {
    const auto dot = key.find('.', pos);
    std::string part = key.substr(pos, dot == std::string::npos ? std::string::npos : dot - pos);
    long index = -1;
    const auto br = part.find('[');
    if (br != std::string::npos) {
      if (part.back() != ']') throw ConfigError(where + ": malformed key " + key);
      try {
        index = std::stol(part.substr(br + 1, part.size() - br - 2));
      } catch (...) {
        throw ConfigError(where + ": malformed index in " + key);
      }
      part = part.substr(0, br);
    }
    if (part.empty()) throw ConfigError(where + ": malformed key " + key);
    parts.emplace_back(part, index);
    if (dot == std::string::npos) break;
    pos = dot + 1;
  }
  return parts;
}

// The value in TOML syntax; a bare word is a string.
toml::table ParseValue(const std::string& text) {
  try {
    return toml::parse("v = " + text);
  } catch (const toml::parse_error&) {
    toml::table parsed;
    parsed.insert("v", text);
    return parsed;
  }
}

}  // namespace

std::string ApplyOverride(toml::table& root, const std::string& spec, const std::string& origin) {
  const std::string where = origin + " " + spec;
  const auto eq = spec.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(where + ": expected KEY=VALUE, e.g. population.size=200000");
  const std::string key = spec.substr(0, eq);
  toml::table parsed = ParseValue(spec.substr(eq + 1));
  toml::node* value = parsed.get("v");
  const std::vector<KeyPart> parts = ParseKeyPath(where, key);
  toml::table* t = &root;
  std::string walked;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& [name, index] = parts[i];
    walked += (walked.empty() ? "" : ".") + name;
    const bool last = i + 1 == parts.size();
    if (last && index < 0) {
      value->visit([&](auto&& v) { t->insert_or_assign(name, v); });
      break;
    }
    toml::node* n = t->get(name);
    if (index >= 0) {
      if (!n || !n->is_array() || index >= static_cast<long>(n->as_array()->size()) || index < 0)
        throw ConfigError(where + ": " + walked + "[" + std::to_string(index) +
                          "] does not exist (expected an index into an existing array of tables)");
      toml::node& elem = (*n->as_array())[static_cast<std::size_t>(index)];
      walked += "[" + std::to_string(index) + "]";
      if (last) throw ConfigError(where + ": cannot replace a whole table " + walked);
      if (!elem.is_table()) throw ConfigError(where + ": " + walked + " is not a table");
      t = elem.as_table();
    } else {
      if (!n) {
        t->insert(name, toml::table{});
        n = t->get(name);
      }
      if (!n->is_table()) throw ConfigError(where + ": " + walked + " is not a table");
      t = n->as_table();
    }
  }
  std::string path;
  for (const auto& [name, index] : parts)
    path += (path.empty() ? "" : ".") + name + (index >= 0 ? "[" + std::to_string(index) + "]" : "");
  return path;
}

}  // namespace lclab::experiments
