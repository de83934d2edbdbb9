// Vector and matrix norms: trueno.linalg.vector_norm / matrix_norm and
// trueno.nn.norm_*. One walk over axes and layouts (norm_over_axes) feeds the
// SIMD kernels of kernels/simd_norm.*; matrix 2-norms and nuclear norms come
// from the singular values of ops/lapack.
#pragma once
#include <optional>
#include <vector>

#include "core/array.h"
#include "kernels/simd_norm.h"

namespace trueno {

// The norm `kind` (order p for Kind::Power) of float32/float64 `x` over
// `axes` (normalised, distinct; nullopt: all axes), in x's dtype.
// Kind::Min of a zero-size vector raises ValueError (no identity, as NumPy).
Array norm_over_axes(simd::norm::Kind kind, double p, const Array& x, const std::optional<std::vector<int>>& axes,
                     bool keepdims, const char* func);

// linalg.vector_norm: x of any numeric dtype but bool (integers compute in
// float64; complex in |z|, the 2-norm directly on the real and imaginary
// parts); the result has x's real floating dtype. ord: any real.
Array linalg_vector_norm(const Array& x, double ord, const std::optional<std::vector<int>>& axes, bool keepdims);

enum class MatrixOrd { Fro, Nuc, One, MinusOne, Two, MinusTwo, Inf, MinusInf };
// linalg.matrix_norm over the last two axes of x (at least 2-D).
Array linalg_matrix_norm(const Array& x, MatrixOrd ord, bool keepdims);

}  // namespace trueno
