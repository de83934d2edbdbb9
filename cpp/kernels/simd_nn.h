// SIMD kernels of trueno.nn (Highway, every target, dispatched at run time;
// kernels/simd_nn.cpp). Contiguous data only; ops/nn.cpp stages other layouts.
#pragma once
#include <cstddef>

namespace trueno::simd::nn {

enum class Activation { Relu, Sigmoid, Silu, GeluTanh, GeluErf };
enum class Ternary { Lerp, Fma };

// out[i] = f(in[i]); in and out may be the same memory.
void activation(Activation f, const float* in, float* out, size_t n);
void activation(Activation f, const double* in, double* out, size_t n);
// Softmax (or log-softmax) of each of `rows` contiguous rows of `len`.
void softmax_rows(const float* in, float* out, size_t rows, size_t len, bool log);
void softmax_rows(const double* in, double* out, size_t rows, size_t len, bool log);
// lerp: a + t (b - a) (exact at t = 0 and t = 1); fma: a b + c, rounded once.
void ternary(Ternary k, const float* a, const float* b, const float* c, float* out, size_t n);
void ternary(Ternary k, const double* a, const double* b, const double* c, double* out, size_t n);

}  // namespace trueno::simd::nn
