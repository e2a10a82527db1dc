#include "experiments/analysis/design.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <map>
#include <stdexcept>

namespace lclab::experiments {

std::vector<std::vector<int>> FullFactorial(const std::vector<int>& level_counts) {
  std::vector<std::vector<int>> runs = {{}};
  for (int count : level_counts) {
    std::vector<std::vector<int>> next;
    for (const auto& run : runs)
      for (int l = 0; l < count; ++l) {
        next.push_back(run);
        next.back().push_back(l);
      }
    runs = std::move(next);
  }
  return runs;
}

char FactorLetter(int f) { return static_cast<char>('A' + f); }

namespace {

std::string WordText(std::uint32_t word) {
  std::string s;
  for (int f = 0; f < 32; ++f)
    if (word >> f & 1u) s += FactorLetter(f);
  return s;
}

// Standard generators for 2^(k-p) designs with the highest resolution and least aberration.
const std::map<std::pair<int, int>, std::vector<std::string>>& StandardGenerators() {
  static const std::map<std::pair<int, int>, std::vector<std::string>> table = {
      {{3, 1}, {"C=AB"}},
      {{4, 1}, {"D=ABC"}},
      {{5, 1}, {"E=ABCD"}},
      {{5, 2}, {"D=AB", "E=AC"}},
      {{6, 1}, {"F=ABCDE"}},
      {{6, 2}, {"E=ABC", "F=BCD"}},
      {{6, 3}, {"D=AB", "E=AC", "F=BC"}},
      {{7, 1}, {"G=ABCDEF"}},
      {{7, 2}, {"F=ABCD", "G=ABDE"}},
      {{7, 3}, {"E=ABC", "F=BCD", "G=ACD"}},
      {{7, 4}, {"D=AB", "E=AC", "F=BC", "G=ABC"}},
      {{8, 2}, {"G=ABCD", "H=ABEF"}},
      {{8, 3}, {"F=ABC", "G=ABD", "H=BCDE"}},
      {{8, 4}, {"E=BCD", "F=ACD", "G=ABC", "H=ABD"}},
  };
  return table;
}

}  // namespace

FractionalDesign Fractional(int k, int p, const std::vector<std::string>& generators) {
  if (k < 2 || k > 15 || p < 1 || p >= k)
    throw std::invalid_argument("a fraction 2^-p with 1 <= p < number of factors (" + std::to_string(k) + ")");
  const int base = k - p;
  FractionalDesign d;
  d.generators = generators;
  if (d.generators.empty()) {
    const auto it = StandardGenerators().find({k, p});
    if (it == StandardGenerators().end())
      throw std::invalid_argument("generators (no standard 2^(" + std::to_string(k) + "-" + std::to_string(p) +
                                  ") design is built in; give p generators such as \"" +
                                  std::string(1, FactorLetter(base)) + "=AB\")");
    d.generators = it->second;
  }
  if (static_cast<int>(d.generators.size()) != p)
    throw std::invalid_argument(std::to_string(p) + " generators, one per generated factor " +
                                std::string(1, FactorLetter(base)) + ".." + std::string(1, FactorLetter(k - 1)));
  // Each generator "X=WORD": generated factor X (one of the last p, in order) from base factors.
  std::vector<std::uint32_t> gen_words(p);
  for (int g = 0; g < p; ++g) {
    const std::string& text = d.generators[g];
    const char want = FactorLetter(base + g);
    if (text.size() < 3 || text[0] != want || text[1] != '=')
      throw std::invalid_argument("generator " + std::to_string(g + 1) + " of the form \"" + std::string(1, want) +
                                  "=AB...\" (got \"" + text + "\")");
    std::uint32_t w = 0;
    for (std::size_t j = 2; j < text.size(); ++j) {
      const int f = text[j] - 'A';
      if (f < 0 || f >= base || (w >> f & 1u))
        throw std::invalid_argument("generator \"" + text + "\" to use each base factor A.." +
                                    std::string(1, FactorLetter(base - 1)) + " at most once");
      w |= 1u << f;
    }
    if (std::popcount(w) < 2)
      throw std::invalid_argument("generator \"" + text + "\" to be a product of at least two base factors");
    gen_words[g] = w;
  }
  // Runs: base factors count in binary (first factor slowest); generated ones are products of signs.
  const int n = 1 << base;
  for (int r = 0; r < n; ++r) {
    std::vector<int> run(k);
    for (int f = 0; f < base; ++f) run[f] = (r >> (base - 1 - f)) & 1;
    for (int g = 0; g < p; ++g) {
      int parity = 0;  // level 1 is sign +1; the product of signs is + when an even number are -1
      for (int f = 0; f < base; ++f)
        if (gen_words[g] >> f & 1u) parity ^= 1 - run[f];
      run[base + g] = 1 - parity;
    }
    d.runs.push_back(run);
  }
  // Defining relation: products of the generator words (each with its generated letter).
  d.resolution = 1 << 30;
  for (std::uint32_t subset = 1; subset < (1u << p); ++subset) {
    std::uint32_t word = 0;
    for (int g = 0; g < p; ++g)
      if (subset >> g & 1u) word ^= gen_words[g] | (1u << (base + g));
    d.defining_relation.push_back(WordText(word));
    d.resolution = std::min(d.resolution, std::popcount(word));
  }
  std::sort(d.defining_relation.begin(), d.defining_relation.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return d;
}

}  // namespace lclab::experiments
