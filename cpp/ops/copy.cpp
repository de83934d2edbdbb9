#include "ops/copy.h"

#include <cstdint>
#include <cstring>
#include <limits>

#include "core/errors.h"

namespace trueno {

namespace {

// Bool bytes as 0 or 1 (see read_element), 8 a step: a byte becomes 1 when
// any of its bits is set. A plain loop of `!= 0` ran 10x slower than the
// memmove that bool copies were before.
void bools_as_01(const uint8_t* in, uint8_t* out, int64_t n) {
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL, kOnes = 0x0101010101010101ULL;
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, in + i, 8);
    w = ((((w & kLow7) + kLow7) | w) >> 7) & kOnes;
    std::memcpy(out + i, &w, 8);
  }
  for (; i < n; ++i) out[i] = in[i] != 0;
}

template <class From, class To>
void cast_strided(char** data, const int64_t* strides, int64_t n, const void*) {
  const char* in = data[0];
  char* out = data[1];
  const int64_t si = strides[0], so = strides[1];
  if constexpr (std::is_same_v<From, bool>) {
    if (si == 1 && so == sizeof(To)) {
      const auto* bytes = reinterpret_cast<const uint8_t*>(in);
      if constexpr (std::is_same_v<To, bool>) return bools_as_01(bytes, reinterpret_cast<uint8_t*>(out), n);
      To* b = reinterpret_cast<To*>(out);
      constexpr int64_t kStage = 512;
      alignas(64) uint8_t staged[kStage];
      for (int64_t i = 0; i < n; i += kStage) {
        const int64_t m = n - i < kStage ? n - i : kStage;
        bools_as_01(bytes + i, staged, m);
        for (int64_t j = 0; j < m; ++j) b[i + j] = cast_value<To>(staged[j]);
      }
      return;
    }
  }
  if (si == sizeof(From) && so == sizeof(To)) {
    const From* a = reinterpret_cast<const From*>(in);
    To* b = reinterpret_cast<To*>(out);
    for (int64_t i = 0; i < n; ++i) b[i] = cast_value<To>(read_element(a + i));
    return;
  }
  for (int64_t i = 0; i < n; ++i, in += si, out += so) {
    To r = cast_value<To>(read_element<From>(in));
    std::memcpy(out, &r, sizeof(To));
  }
}

template <size_t N>
void copy_bytes_strided(char** data, const int64_t* strides, int64_t n, const void*) {
  const char* in = data[0];
  char* out = data[1];
  if (strides[0] == static_cast<int64_t>(N) && strides[1] == static_cast<int64_t>(N)) {
    std::memmove(out, in, static_cast<size_t>(n) * N);
    return;
  }
  for (int64_t i = 0; i < n; ++i, in += strides[0], out += strides[1]) std::memcpy(out, in, N);
}

struct CastTable {
  StridedLoop loops[kNumDTypes][kNumDTypes];
  CastTable() {
    for (int f = 0; f < kNumDTypes; ++f)
      for (int t = 0; t < kNumDTypes; ++t)
        visit_dtype(static_cast<DType>(f), [&](auto from) {
          visit_dtype(static_cast<DType>(t), [&](auto to) {
            using From = decltype(from);
            using To = decltype(to);
            // Bool copies write 0 or 1 whatever nonzero byte they read, so that
            // a copy of foreign memory is canonical (see read_element).
            if constexpr (std::is_same_v<From, To> && !std::is_same_v<From, bool>)
              loops[f][t] = &copy_bytes_strided<sizeof(From)>;
            else
              loops[f][t] = &cast_strided<From, To>;
          });
        });
  }
};
const CastTable& cast_table() {
  static const CastTable table;
  return table;
}

// Lowest and one-past-highest byte touched by the view.
std::pair<const char*, const char*> byte_span(const Array& a) {
  const char* lo = a.data;
  const char* hi = a.data;
  if (a.size() == 0) return {lo, lo};
  for (int i = 0; i < a.ndim(); ++i) {
    int64_t ext = (a.shape[i] - 1) * a.strides[i];
    if (ext < 0) lo += ext; else hi += ext;
  }
  return {lo, hi + a.itemsize()};
}

}  // namespace

StridedLoop cast_loop(DType from, DType to) {
  return cast_table().loops[static_cast<int>(from)][static_cast<int>(to)];
}

bool may_overlap(const Array& a, const Array& b) {
  if (a.size() == 0 || b.size() == 0) return false;
  auto [alo, ahi] = byte_span(a);
  auto [blo, bhi] = byte_span(b);
  return alo < bhi && blo < ahi;
}

void copy_into(const Array& dst, const Array& src, const char* func) {
  if (dst.readonly) throw ValueError(std::string(func) + "(): assignment destination is read-only");
  Shape sstrides = broadcast_strides(src, dst.shape, func);
  if (dst.size() == 0) return;
  Array source = src;
  if (may_overlap(dst, src)) {
    source = make_empty(src.shape, src.dtype, func);
    Shape plain = src.strides;
    char* d[2] = {src.data, source.data};
    const Shape* s[2] = {&src.strides, &source.strides};
    for_each_strided(cast_loop(src.dtype, src.dtype), nullptr, 2, d, s, src.shape);
    sstrides = broadcast_strides(source, dst.shape, func);
  }
  char* d[2] = {source.data, dst.data};
  const Shape* s[2] = {&sstrides, &dst.strides};
  for_each_strided(cast_loop(src.dtype, dst.dtype), nullptr, 2, d, s, dst.shape);
}

Array astype_copy(const Array& a, DType dtype, const char* func) {
  Array out = make_empty(a.shape, dtype, func);
  copy_into(out, a, func);
  return out;
}

Array cast_if_needed(const Array& a, DType dtype, const char* func) {
  return a.dtype == dtype ? a : astype_copy(a, dtype, func);
}

}  // namespace trueno
