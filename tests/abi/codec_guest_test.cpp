// Both codecs inside a real guest (guest/abi/codec_check.cpp) on every engine: the host encodes
// into a buffer the guest allocated, the guest decodes (and verifies) it; the guest encodes and
// the host decodes. Bad bytes are rejected inside the guest; memory does not grow per call.
#include <wasmhop/abi/bincode.hpp>
#include <wasmhop/abi/flatbuffers.hpp>

#include <climits>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "engine_fixture.hpp"

namespace wasmhop::testing {
namespace {

namespace bc = ::wasmhop::bincode;
namespace fb = ::wasmhop::flatbuf;
using Bytes = std::vector<std::uint8_t>;

struct Pair {
  std::int32_t a = 0;
  std::int32_t b = 0;
  WASMHOP_BINCODE_FIELDS(a, b)
  bool operator==(const Pair&) const = default;
};

class CodecGuest : public EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (IsSkipped()) return;
    if (HasFatalFailure()) return;
    inst_ = instantiate("codec_check");
    ASSERT_TRUE(inst_);
    auto alloc = inst_->typed<std::int64_t(std::int32_t)>("alloc");
    auto dealloc = inst_->typed<void(std::int32_t)>("dealloc");
    ASSERT_TRUE(alloc && dealloc);
    alloc_ = *alloc;
    dealloc_ = *dealloc;
  }

  // Copies `bytes` into a fresh guest buffer and calls fn(ptr, len); frees the buffer after.
  std::int32_t call_with(const char* name, std::span<const std::uint8_t> bytes) {
    auto fn = inst_->typed<std::int32_t(std::int32_t, std::int32_t)>(name);
    EXPECT_TRUE(fn) << name;
    if (!fn) return INT_MIN + 1;
    const auto size = static_cast<std::int32_t>(bytes.size());
    auto packed = alloc_(size == 0 ? 1 : size);
    EXPECT_TRUE(packed);
    const auto ptr = static_cast<std::uint32_t>(static_cast<std::uint64_t>(*packed) >> 32);
    const GuestMemory mem = inst_->memory();
    auto dst = mem.bytes(ptr, bytes.size());
    EXPECT_TRUE(dst) << "guest buffer outside memory";
    if (!dst) return INT_MIN + 1;
    std::copy(bytes.begin(), bytes.end(), dst->begin());
    auto r = (*fn)(static_cast<std::int32_t>(ptr), size);
    EXPECT_TRUE(r) << (r ? "" : r.error().describe());
    EXPECT_TRUE(dealloc_(static_cast<std::int32_t>(ptr)));
    return r ? *r : INT_MIN + 1;
  }

  std::unique_ptr<Instance> inst_;
  TypedFunc<std::int64_t(std::int32_t)> alloc_;
  TypedFunc<void(std::int32_t)> dealloc_;
};

Bytes bincode_bytes(const auto& v) {
  Bytes out;
  EXPECT_EQ(bc::encode_append(out, v), bc::Error::none);
  return out;
}

TEST_P(CodecGuest, PairInBothCodecs) {
  fb::Builder builder;
  for (const Pair p : {Pair{1, 2}, Pair{-5, 3}, Pair{INT_MAX, 1}, Pair{0, 0}}) {
    const std::int32_t expect =
        static_cast<std::int32_t>(static_cast<std::uint32_t>(p.a) + static_cast<std::uint32_t>(p.b));
    EXPECT_EQ(call_with("decode_pair_bincode", bincode_bytes(p)), expect);
    EXPECT_EQ(call_with("decode_pair_flatbuffers", fb::build_pair(builder, p.a, p.b)), expect);
  }
}

TEST_P(CodecGuest, BytePayloadsInBothCodecs) {
  fb::Builder builder;
  std::mt19937 rng(1);
  for (std::size_t size : {0u, 8u, 100u, 4096u, 65536u}) {
    Bytes payload(size);
    for (auto& x : payload) x = static_cast<std::uint8_t>(rng());
    const auto sum = static_cast<std::int32_t>(std::accumulate(payload.begin(), payload.end(), 0u));
    EXPECT_EQ(call_with("sum_bytes_bincode", bincode_bytes(payload)), sum) << size;
    EXPECT_EQ(call_with("sum_bytes_flatbuffers", fb::build_bytes(builder, payload)), sum) << size;
  }
}

TEST_P(CodecGuest, GuestRejectsBadBytes) {
  const Bytes pair = bincode_bytes(Pair{1, 2});
  for (std::size_t n = 0; n < pair.size(); ++n)
    EXPECT_EQ(call_with("decode_pair_bincode", std::span(pair.data(), n)), INT_MIN) << n;
  EXPECT_EQ(call_with("sum_bytes_bincode", bincode_bytes(std::uint64_t{1} << 40)), -1);  // huge length

  fb::Builder builder;
  const auto good = fb::build_pair(builder, 1, 2);
  const Bytes fbpair(good.begin(), good.end());
  for (std::size_t n = 0; n < fbpair.size(); ++n)
    EXPECT_EQ(call_with("decode_pair_flatbuffers", std::span(fbpair.data(), n)), INT_MIN) << n;
  Bytes corrupt = fbpair;
  corrupt[0] = 0xFF;  // root offset past the end
  EXPECT_EQ(call_with("decode_pair_flatbuffers", corrupt), INT_MIN);
}

TEST_P(CodecGuest, GuestEncodesHostDecodes) {
  auto encode = inst_->typed<std::int64_t(std::int32_t, std::int32_t)>("encode_pair_bincode");
  ASSERT_TRUE(encode);
  auto packed = (*encode)(7, -9);
  ASSERT_TRUE(packed);
  const auto u = static_cast<std::uint64_t>(*packed);
  const auto ptr = static_cast<std::uint32_t>(u >> 32);
  const auto len = static_cast<std::uint32_t>(u);
  ASSERT_EQ(len, bc::size_of(Pair{}));
  auto bytes = inst_->memory().bytes(ptr, len);
  ASSERT_TRUE(bytes);
  Pair p;
  ASSERT_EQ(bc::decode_exact(*bytes, p), bc::Error::none);
  EXPECT_EQ(p, (Pair{7, -9}));
  EXPECT_TRUE(dealloc_(static_cast<std::int32_t>(ptr)));
}

TEST_P(CodecGuest, MemoryDoesNotGrowPerCall) {
  fb::Builder builder;
  const Bytes bin = bincode_bytes(Bytes(1000, 7));
  const auto flat = fb::build_bytes(builder, Bytes(1000, 7));
  for (int i = 0; i < 50; ++i) call_with("sum_bytes_bincode", bin);  // warm the allocator
  const std::uint64_t before = inst_->memory().size();
  for (int i = 0; i < 2000; ++i) {
    ASSERT_EQ(call_with("sum_bytes_bincode", bin), 7000);
    ASSERT_EQ(call_with("sum_bytes_flatbuffers", flat), 7000);
  }
  EXPECT_EQ(inst_->memory().size(), before);
}

WASMHOP_INSTANTIATE_ENGINE_TESTS(CodecGuest);

}  // namespace
}  // namespace wasmhop::testing
