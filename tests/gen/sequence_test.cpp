// Step 6 against a literal, independent implementation of the original's stack.cc / GenerateAllRequests
// (array stack with shifts, cumulative probabilities recomputed in double after every change).
#include <algorithm>
#include <numeric>

#include <gtest/gtest.h>

#include "gen/lru_stack.hpp"
#include "gen/prowgen.hpp"
#include "gen/rng.hpp"
#include "gen/stats.hpp"

namespace wasmhop::gen {
namespace {

std::vector<std::uint32_t> literal_sequence(const Catalog& cat, StackModel model, std::uint32_t m,
                                            std::uint64_t seed) {
  const auto d = static_cast<std::uint32_t>(cat.freq.size());
  const std::uint64_t n_out = std::accumulate(cat.freq.begin(), cat.freq.end(), std::uint64_t{0});
  std::vector<double> prob(d);
  for (std::uint32_t i = 0; i < d; ++i) prob[i] = static_cast<double>(cat.freq[i]) / static_cast<double>(n_out);
  const bool dynamic = model == StackModel::dynamic;
  if (!dynamic) m = std::min(m, d);
  std::vector<double> cum(m);
  if (!dynamic) {
    double s = 0;
    for (std::uint32_t i = 0; i < m; ++i) cum[i] = s += prob[i];
  }
  std::vector<std::uint32_t> bucket;  // index 0 = top
  auto recompute = [&] {
    if (!dynamic) return;
    double s = 0;
    for (std::size_t i = 0; i < bucket.size(); ++i) cum[i] = s += prob[bucket[i]];
  };
  std::vector<std::uint32_t> remaining(cat.freq);
  std::vector<std::uint32_t> unique(d);
  std::iota(unique.begin(), unique.end(), 0u);
  std::size_t live = d;
  Erand48 rng(seed);
  std::vector<std::uint32_t> out;
  while (out.size() < n_out) {
    double u = rng.next();
    bool found = false;
    if (!bucket.empty()) {
      if (live == 0) u *= cum[bucket.size() - 1];
      if (u <= cum[bucket.size() - 1]) {
        std::size_t loc = 0;
        while (u > cum[loc]) ++loc;  // smallest position with u <= C_loc
        const std::uint32_t doc = bucket[loc];
        out.push_back(doc);
        bucket.erase(bucket.begin() + static_cast<std::ptrdiff_t>(loc));
        if (--remaining[doc] > 0) bucket.insert(bucket.begin(), doc);
        recompute();
        found = true;
      }
    }
    if (found || live == 0) continue;
    const auto index = static_cast<std::size_t>(static_cast<double>(live) * rng.next());
    const std::uint32_t doc = unique[index];
    out.push_back(doc);
    unique[index] = unique[live - 1];
    --live;
    if (--remaining[doc] > 0) {
      if (bucket.size() == m) {
        unique[live++] = bucket.back();
        bucket.pop_back();
      }
      bucket.insert(bucket.begin(), doc);
      recompute();
    }
  }
  return out;
}

TEST(Sequence, MatchesALiteralImplementationOfTheOriginal) {
  for (StackModel model : {StackModel::fixed, StackModel::dynamic}) {
    for (std::uint32_t m : {1u, 7u, 100u, 1000u}) {
      Config c;
      c.requests = 30'000;
      const auto cat = build_catalog(c);
      ASSERT_TRUE(cat.has_value());
      const std::uint64_t seed = stream_seeds(0).sequencing;
      const auto ours = sequence(*cat, model, m, seed);
      ASSERT_TRUE(ours.has_value());
      const auto literal = literal_sequence(*cat, model, m, seed);
      ASSERT_EQ(ours->size(), literal.size());
      EXPECT_TRUE(*ours == literal) << to_string(model) << " M=" << m << ": first difference at "
                                    << (std::mismatch(ours->begin(), ours->end(), literal.begin()).first -
                                        ours->begin());
    }
  }
}

TEST(Sequence, StackLargerThanTheCatalogue) {
  Config c;
  c.requests = 2'000;
  const auto cat = build_catalog(c);
  ASSERT_TRUE(cat.has_value());
  for (StackModel model : {StackModel::fixed, StackModel::dynamic}) {
    const auto ours = sequence(*cat, model, 100'000, 99);
    ASSERT_TRUE(ours.has_value());
    EXPECT_TRUE(*ours == literal_sequence(*cat, model, 100'000, 99));
  }
}

TEST(Sequence, RejectsAZeroStack) {
  Config c;
  c.requests = 1000;
  const auto cat = build_catalog(c);
  ASSERT_TRUE(cat.has_value());
  const auto r = sequence(*cat, StackModel::fixed, 0, 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("--stack-size"), std::string::npos);
}

TEST(LruStack, AgreesWithAPlainVectorThroughCompactions) {
  for (bool weighted : {false, true}) {
    const std::uint32_t cap = 37;
    LruStack s(cap, weighted);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> model;  // (doc, weight), index 0 = top
    Erand48 rng(std::uint64_t{11});
    std::uint32_t next_doc = 0;
    for (int step = 0; step < 50'000; ++step) {
      const double u = rng.next();
      if (model.size() < cap && (model.empty() || u < 0.4)) {
        const std::uint32_t w = 1 + static_cast<std::uint32_t>(rng.next() * 1000);
        s.push_top(next_doc, w);
        model.insert(model.begin(), {next_doc++, w});
      } else {
        const auto j = static_cast<std::uint32_t>(rng.next() * static_cast<double>(model.size()));
        std::uint32_t slot = 0;
        if (weighted && u < 0.7) {
          std::uint64_t total = 0;
          for (auto& e : model) total += e.second;
          ASSERT_EQ(s.total_weight(), total);
          const std::uint64_t t = 1 + static_cast<std::uint64_t>(rng.next() * static_cast<double>(total));
          std::uint64_t acc = 0;
          std::size_t pos = 0;
          while ((acc += model[pos].second) < t) ++pos;
          slot = s.slot_by_weight(t);
          ASSERT_EQ(s.doc_at_slot(slot), model[pos].first) << "step " << step;
          model.erase(model.begin() + static_cast<std::ptrdiff_t>(pos));
        } else if (u < 0.8) {
          slot = s.bottom_slot();
          ASSERT_EQ(s.doc_at_slot(slot), model.back().first);
          model.pop_back();
        } else {
          slot = s.slot_at_position(j);
          ASSERT_EQ(s.doc_at_slot(slot), model[j].first) << "step " << step;
          const auto e = model[j];
          model.erase(model.begin() + j);
          s.remove(slot);
          s.push_top(e.first, e.second);  // move to top
          model.insert(model.begin(), e);
          continue;
        }
        s.remove(slot);
      }
      ASSERT_EQ(s.size(), model.size());
    }
  }
}

}  // namespace
}  // namespace wasmhop::gen
