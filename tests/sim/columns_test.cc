// Tables that list their columns once: AssignColumns sizes and fills every
// column (width elements per row), BytesPerRow counts every column.
#include "sim/columns.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace lclab::sim {
namespace {

struct Toy {
  std::vector<std::uint8_t> flag;
  std::vector<float> value;
  std::vector<std::int16_t> ring;  // three per row
  template <class F>
  void ForEachColumn(F&& f) {
    f(flag, 1, std::size_t{1}), f(value, 0.5, std::size_t{1}), f(ring, -7, std::size_t{3});
  }
};

TEST(Columns, AssignSizesAndFillsEveryColumn) {
  Toy t;
  AssignColumns(t, 4);
  EXPECT_EQ(t.flag, std::vector<std::uint8_t>(4, 1));
  EXPECT_EQ(t.value, std::vector<float>(4, 0.5f));
  EXPECT_EQ(t.ring, std::vector<std::int16_t>(12, -7));
  AssignColumns(t, 0);
  EXPECT_TRUE(t.ring.empty());
  AssignColumns(t, 5, 3);  // the columns filled on three threads: the same table
  EXPECT_EQ(t.flag, std::vector<std::uint8_t>(5, 1));
  EXPECT_EQ(t.value, std::vector<float>(5, 0.5f));
  EXPECT_EQ(t.ring, std::vector<std::int16_t>(15, -7));
}

TEST(Columns, BytesPerRowCountsEveryColumn) {
  Toy t;
  EXPECT_EQ(BytesPerRow(t), 1u + 4u + 3u * 2u);
}

}  // namespace
}  // namespace lclab::sim
