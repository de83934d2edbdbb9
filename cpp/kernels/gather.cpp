#include "kernels/gather.h"

#include <cstring>

namespace trueno::kernels {

namespace {
template <size_t N>
void gather_fixed(const char* base, int64_t stride, const int64_t* index, int64_t n, char* out) {
  struct Item { char bytes[N]; };
  Item* o = reinterpret_cast<Item*>(out);
  for (int64_t i = 0; i < n; ++i) std::memcpy(&o[i], base + index[i] * stride, N);
}
}  // namespace

void gather(size_t itemsize, const char* base, int64_t stride, const int64_t* index, int64_t n,
            char* out) {
  switch (itemsize) {
    case 1: return gather_fixed<1>(base, stride, index, n, out);
    case 2: return gather_fixed<2>(base, stride, index, n, out);
    case 4: return gather_fixed<4>(base, stride, index, n, out);
    case 8: return gather_fixed<8>(base, stride, index, n, out);
    default: return gather_fixed<16>(base, stride, index, n, out);
  }
}

}  // namespace trueno::kernels
