// Gathering elements by index: out[i] = *(base + index[i] * stride).
#pragma once
#include <cstddef>
#include <cstdint>

namespace trueno::kernels {

// Indices must already be in range (checked by ops/indexing).
void gather(size_t itemsize, const char* base, int64_t stride, const int64_t* index, int64_t n,
            char* out);

}  // namespace trueno::kernels
