// Jacobi sweeps over kLanes small matrices at once (see simd_jacobi.h). One
// matrix alone is latency-bound on each rotation's two divisions and two
// square roots (~0.4 us for a 3 x 3 eigh); with the matrices of a batch in the
// lanes, those run as vector instructions over 8 matrices (AVX3: one vector,
// AVX2: two, SSE: four, which also overlap).
#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/simd_jacobi.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_jacobi.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd::jacobi {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D = hn::CappedTag<double, kLanes>;
constexpr int L = kLanes;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// t = tan of the smaller rotation angle for cot(2 angle) = x, and c, s:
// t = sign(x) / (|x| + sqrt(1 + x^2)) (0.5 / x where x^2 would overflow);
// zero where `go` is false (the identity).
template <class M>
HWY_INLINE void Angle(D d, M go, hn::Vec<D> x, hn::Vec<D>& t, hn::Vec<D>& c, hn::Vec<D>& s) {
  const auto one = hn::Set(d, 1.0);
  const auto ax = hn::Abs(x);
  const auto sign = hn::IfThenElse(hn::Ge(x, hn::Zero(d)), one, hn::Neg(one));
  const auto small = hn::Div(sign, hn::Add(ax, hn::Sqrt(hn::Add(one, hn::Mul(x, x)))));
  const auto big = hn::Div(hn::Set(d, 0.5), x);
  t = hn::IfThenElseZero(go, hn::IfThenElse(hn::Gt(ax, hn::Set(d, 1e150)), big, small));
  c = hn::Div(one, hn::Sqrt(hn::Add(one, hn::Mul(t, t))));
  s = hn::Mul(t, c);
}

// x, y = c x - s y, s x + c y over `len` rows of two SoA columns.
HWY_INLINE void Rotate(D d, int len, double* HWY_RESTRICT x, double* HWY_RESTRICT y, const double* cs,
                       const double* sn) {
  const size_t N = hn::Lanes(d);
  for (int r = 0; r < len; ++r)
    for (size_t k = 0; k < size_t(L); k += N) {
      const auto c = hn::Load(d, cs + k), s = hn::Load(d, sn + k);
      const auto a = hn::LoadU(d, x + r * L + k), b = hn::LoadU(d, y + r * L + k);
      hn::StoreU(hn::Sub(hn::Mul(c, a), hn::Mul(s, b)), d, x + r * L + k);
      hn::StoreU(hn::Add(hn::Mul(s, a), hn::Mul(c, b)), d, y + r * L + k);
    }
}

void EighSweeps(int n, double* HWY_RESTRICT a, double* HWY_RESTRICT v) {
  const D d;
  const size_t N = hn::Lanes(d);
  const auto eps2 = hn::Set(d, kEps * kEps);
  alignas(64) double cs[L], sn[L], tg[L];
  for (int sweep = 0; sweep < 64; ++sweep) {  // (quadratic convergence: ~4-8 sweeps)
    bool rotated = false;
    for (int p = 0; p + 1 < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        double* cp = a + int64_t(p) * n * L;
        double* cq = a + int64_t(q) * n * L;
        bool any = false;
        for (size_t k = 0; k < size_t(L); k += N) {
          const auto apq = hn::LoadU(d, cq + p * L + k), app = hn::LoadU(d, cp + p * L + k),
                     aqq = hn::LoadU(d, cq + q * L + k);
          const auto go = hn::Gt(hn::Mul(apq, apq), hn::Mul(eps2, hn::Abs(hn::Mul(app, aqq))));
          any |= !hn::AllFalse(d, go);
          hn::Vec<D> t, c, s;
          Angle(d, go, hn::Div(hn::Sub(aqq, app), hn::Add(apq, apq)), t, c, s);
          hn::Store(t, d, tg + k);
          hn::Store(c, d, cs + k);
          hn::Store(s, d, sn + k);
        }
        if (!any) continue;
        rotated = true;
        // the diagonal pair and a_pq, before the columns move
        alignas(64) double app[L], aqq[L], apq[L];
        for (size_t k = 0; k < size_t(L); k += N) {
          hn::Store(hn::LoadU(d, cp + p * L + k), d, app + k);
          hn::Store(hn::LoadU(d, cq + q * L + k), d, aqq + k);
          hn::Store(hn::LoadU(d, cq + p * L + k), d, apq + k);
        }
        Rotate(d, n, cp, cq, cs, sn);
        for (int r = 0; r < n; ++r)  // the rows, from the updated columns (a symmetric)
          for (size_t k = 0; k < size_t(L); k += N) {
            hn::StoreU(hn::LoadU(d, cp + r * L + k), d, a + (p + int64_t(r) * n) * L + k);
            hn::StoreU(hn::LoadU(d, cq + r * L + k), d, a + (q + int64_t(r) * n) * L + k);
          }
        for (size_t k = 0; k < size_t(L); k += N) {
          const auto t = hn::Load(d, tg + k), x = hn::Load(d, apq + k);
          hn::StoreU(hn::Sub(hn::Load(d, app + k), hn::Mul(t, x)), d, cp + p * L + k);  // (t = 0: unchanged)
          hn::StoreU(hn::Add(hn::Load(d, aqq + k), hn::Mul(t, x)), d, cq + q * L + k);
          const auto off = hn::IfThenZeroElse(hn::Ne(t, hn::Zero(d)), x);
          hn::StoreU(off, d, cp + q * L + k);
          hn::StoreU(off, d, cq + p * L + k);
        }
        if (v) Rotate(d, n, v + int64_t(p) * n * L, v + int64_t(q) * n * L, cs, sn);
      }
    }
    if (!rotated) break;
  }
}

void SvdSweeps(int n, double* HWY_RESTRICT w, double* HWY_RESTRICT v) {
  const D d;
  const size_t N = hn::Lanes(d);
  const auto tol2 = hn::Set(d, kEps * kEps);
  alignas(64) double cs[L], sn[L], tg[L], norms[64 * L];  // squared column norms
  auto dot = [&](const double* x, const double* y, size_t k) {
    auto acc = hn::Zero(d);
    for (int r = 0; r < n; ++r) acc = hn::Add(acc, hn::Mul(hn::LoadU(d, x + r * L + k), hn::LoadU(d, y + r * L + k)));
    return acc;
  };
  for (int sweep = 0; sweep < 64; ++sweep) {  // (quadratic convergence: ~6 sweeps)
    for (int j = 0; j < n; ++j) {
      const double* wj = w + int64_t(j) * n * L;
      for (size_t k = 0; k < size_t(L); k += N) hn::Store(dot(wj, wj, k), d, norms + j * L + k);
    }
    bool rotated = false;
    for (int p = 0; p + 1 < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        double* wp = w + int64_t(p) * n * L;
        double* wq = w + int64_t(q) * n * L;
        bool any = false;
        for (size_t k = 0; k < size_t(L); k += N) {
          const auto alpha = hn::Load(d, norms + p * L + k), beta = hn::Load(d, norms + q * L + k);
          const auto gamma = dot(wp, wq, k);
          const auto go = hn::Gt(hn::Mul(gamma, gamma), hn::Mul(hn::Mul(tol2, alpha), beta));
          any |= !hn::AllFalse(d, go);
          hn::Vec<D> t, c, s;
          Angle(d, go, hn::Div(hn::Sub(beta, alpha), hn::Add(gamma, gamma)), t, c, s);
          hn::Store(t, d, tg + k);
          hn::Store(c, d, cs + k);
          hn::Store(s, d, sn + k);
          const auto tgam = hn::Mul(t, gamma);  // (t = 0: unchanged)
          hn::Store(hn::Sub(alpha, tgam), d, norms + p * L + k);
          hn::Store(hn::Add(beta, tgam), d, norms + q * L + k);
        }
        if (!any) continue;
        rotated = true;
        Rotate(d, n, wp, wq, cs, sn);
        if (v) Rotate(d, n, v + int64_t(p) * n * L, v + int64_t(q) * n * L, cs, sn);
      }
    }
    if (!rotated) break;
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd::jacobi
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace trueno::simd::jacobi {
HWY_EXPORT(EighSweeps);
HWY_EXPORT(SvdSweeps);
void eigh_sweeps(int n, double* a, double* v) { HWY_DYNAMIC_DISPATCH(EighSweeps)(n, a, v); }
void svd_sweeps(int n, double* w, double* v) { HWY_DYNAMIC_DISPATCH(SvdSweeps)(n, w, v); }
}  // namespace trueno::simd::jacobi
#endif  // HWY_ONCE
