// Highway passes of the Stockham FFT (see kernels/fft.h for the indexing and
// kernels/fft.cpp for the butterflies, which these compute in the same
// order of operations up to fused multiply-adds).
//
// A vector holds Lanes/2 complex numbers, (re, im) interleaved as in memory.
// Within a pass the twiddles w_L^(v k1) are fixed for each k1 and the
// butterflies run along j, contiguous in input and output, so every load
// and store is a plain unaligned vector access. When a pass's run r is
// shorter than a full vector, a narrower vector of the same target takes it
// (CappedTag: 8, 4, 2 complex numbers... down to one), and a run that is not
// a multiple of the vector ends with one-complex vectors; a run that divides
// the vector's length (the last passes of a power of two: r = 1, 2, 4) runs
// full vectors with gathered inputs instead (PassGathered).
//
// Complex product by a broadcast twiddle w = (wr, wi):
//   a w = a * wr + Reverse2(a) * (-wi, +wi, ...)
// (two multiplies, one of them fused, and a lane swap); -i a and +i a are a
// lane swap times (+1, -1, ...) or (-1, +1, ...).
#include <cstdint>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/simd_fft.cpp"
#include "hwy/foreach_target.h"  // IWYU pragma: keep
#include "hwy/highway.h"
#include "kernels/fft.h"

HWY_BEFORE_NAMESPACE();
namespace trueno::simd::fft {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using trueno::fft::Complex;
using trueno::fft::Pass;

#if HWY_TARGET != HWY_SCALAR

template <class D> using V = hn::Vec<D>;
template <class T> using D_of = hn::ScalableTag<T>;

// (even lane, odd lane) = (e, o), repeated.
template <class D> HWY_INLINE V<D> Pairs(D d, hn::TFromD<D> e, hn::TFromD<D> o) {
  return hn::OddEven(hn::Set(d, o), hn::Set(d, e));
}

// -i a (forward) or +i a (inverse): `rot` is Pairs(1, -1) or Pairs(-1, 1).
template <class D> HWY_INLINE V<D> Rot(D d, V<D> a, V<D> rot) { return hn::Mul(hn::Reverse2(d, a), rot); }

struct Twiddle {
  template <class D> HWY_INLINE V<D> operator()(D d, V<D> a, V<D> wr, V<D> wi) const {
    return hn::MulAdd(a, wr, hn::Mul(hn::Reverse2(d, a), wi));
  }
};

template <int P> struct Butterfly;

template <> struct Butterfly<2> {
  template <class D> HWY_INLINE void operator()(D, V<D>* z, V<D>) const {
    const V<D> a = z[0], b = z[1];
    z[0] = hn::Add(a, b);
    z[1] = hn::Sub(a, b);
  }
};

template <> struct Butterfly<4> {
  template <class D> HWY_INLINE void operator()(D d, V<D>* z, V<D> rot) const {
    const V<D> t0 = hn::Add(z[0], z[2]), t1 = hn::Sub(z[0], z[2]);
    const V<D> t2 = hn::Add(z[1], z[3]), t3 = Rot(d, hn::Sub(z[1], z[3]), rot);
    z[0] = hn::Add(t0, t2);
    z[2] = hn::Sub(t0, t2);
    z[1] = hn::Add(t1, t3);
    z[3] = hn::Sub(t1, t3);
  }
};

template <> struct Butterfly<8> {
  template <class D> HWY_INLINE void operator()(D d, V<D>* z, V<D> rot) const {
    using T = hn::TFromD<D>;
    const V<D> h = hn::Set(d, T(0.707106781186547524400844362104849039L));
    V<D> e[4] = {z[0], z[2], z[4], z[6]}, o[4] = {z[1], z[3], z[5], z[7]};
    Butterfly<4>()(d, e, rot);
    Butterfly<4>()(d, o, rot);
    const V<D> o1 = hn::Mul(hn::Add(o[1], Rot(d, o[1], rot)), h);
    const V<D> o2 = Rot(d, o[2], rot);
    const V<D> o3 = Rot(d, hn::Mul(hn::Add(o[3], Rot(d, o[3], rot)), h), rot);
    z[0] = hn::Add(e[0], o[0]);
    z[4] = hn::Sub(e[0], o[0]);
    z[1] = hn::Add(e[1], o1);
    z[5] = hn::Sub(e[1], o1);
    z[2] = hn::Add(e[2], o2);
    z[6] = hn::Sub(e[2], o2);
    z[3] = hn::Add(e[3], o3);
    z[7] = hn::Sub(e[3], o3);
  }
};

template <> struct Butterfly<3> {
  template <class D> HWY_INLINE void operator()(D d, V<D>* z, V<D> rot) const {
    using T = hn::TFromD<D>;
    const V<D> half = hn::Set(d, T(0.5)), s = hn::Set(d, T(0.866025403784438646763723170752936183L));
    const V<D> sum = hn::Add(z[1], z[2]);
    const V<D> a = hn::Sub(z[0], hn::Mul(sum, half));
    const V<D> b = Rot(d, hn::Mul(hn::Sub(z[1], z[2]), s), rot);
    z[0] = hn::Add(z[0], sum);
    z[1] = hn::Add(a, b);
    z[2] = hn::Sub(a, b);
  }
};

template <> struct Butterfly<5> {
  template <class D> HWY_INLINE void operator()(D d, V<D>* z, V<D> rot) const {
    using T = hn::TFromD<D>;
    const V<D> c1 = hn::Set(d, T(0.309016994374947424102293417182819059L));
    const V<D> c2 = hn::Set(d, T(-0.809016994374947424102293417182819059L));
    const V<D> s1 = hn::Set(d, T(0.951056516295153572116439333379382143L));
    const V<D> s2 = hn::Set(d, T(0.587785252292473129168705954639072769L));
    const V<D> sa = hn::Add(z[1], z[4]), da = hn::Sub(z[1], z[4]);
    const V<D> sb = hn::Add(z[2], z[3]), db = hn::Sub(z[2], z[3]);
    const V<D> a1 = hn::MulAdd(c2, sb, hn::MulAdd(c1, sa, z[0]));
    const V<D> a2 = hn::MulAdd(c1, sb, hn::MulAdd(c2, sa, z[0]));
    const V<D> b1 = Rot(d, hn::MulAdd(s2, db, hn::Mul(s1, da)), rot);
    const V<D> b2 = Rot(d, hn::NegMulAdd(s1, db, hn::Mul(s2, da)), rot);
    z[0] = hn::Add(z[0], hn::Add(sa, sb));
    z[1] = hn::Add(a1, b1);
    z[4] = hn::Sub(a1, b1);
    z[2] = hn::Add(a2, b2);
    z[3] = hn::Sub(a2, b2);
  }
};

// The butterflies as the passes take them: radix() and kMax (the array size).
template <int P> struct Fixed {
  static constexpr int kMax = P;
  HWY_INLINE constexpr int radix() const { return P; }
  template <class D> HWY_INLINE void operator()(D d, V<D>* z, V<D> rot) const { Butterfly<P>()(d, z, rot); }
};

// An odd prime p <= kLargestDirectRadix, as the portable generic_pass
// (kernels/fft.cpp): inputs paired v with p - v, y_k = A_k -+ i B_k.
template <class T> struct OddPrime {
  static constexpr int kMax = trueno::fft::kLargestDirectRadix;
  int p;
  const T* cs;  // cos(2 pi m / p)
  const T* sn;  // sin(2 pi m / p)
  HWY_INLINE int radix() const { return p; }
  template <class D> HWY_INLINE void operator()(D d, V<D>* z, V<D> rot) const {
    const int half = (p - 1) / 2;
    V<D> s[kMax / 2], dif[kMax / 2];
    const V<D> z0 = z[0];
    V<D> y0 = z0;
    for (int v = 1; v <= half; ++v) {
      s[v - 1] = hn::Add(z[v], z[p - v]);
      dif[v - 1] = hn::Sub(z[v], z[p - v]);
      y0 = hn::Add(y0, s[v - 1]);
    }
    for (int k = 1; k <= half; ++k) {
      V<D> a = z0, b = hn::Zero(d);
      int m = 0;  // (v k) mod p, stepped
      for (int v = 1; v <= half; ++v) {
        m += k;
        if (m >= p) m -= p;
        a = hn::MulAdd(hn::Set(d, cs[m]), s[v - 1], a);
        b = hn::MulAdd(hn::Set(d, sn[m]), dif[v - 1], b);
      }
      const V<D> ib = Rot(d, b, rot);
      z[k] = hn::Add(a, ib);
      z[p - k] = hn::Sub(a, ib);
    }
    z[0] = y0;
  }
};

// Butterflies for j in [j0, j1) of one k1 (j1 - j0 a multiple of the
// vector's complex count), with twiddles w (null for k1 = 0: no products).
template <bool Inv, class BF, class D, class T>
HWY_INLINE void Run(D d, BF bf, const T* src, T* dst, int64_t r, int64_t out_stride, int64_t j0, int64_t j1,
                    const Complex<T>* w) {
  const int P = bf.radix();
  const int64_t step = static_cast<int64_t>(hn::Lanes(d) / 2);
  const V<D> rot = Inv ? Pairs(d, T(-1), T(1)) : Pairs(d, T(1), T(-1));
  V<D> wr[BF::kMax], wi[BF::kMax];
  if (w) {
    for (int v = 1; v < P; ++v) {
      const T im = Inv ? -w[v - 1].im : w[v - 1].im;
      wr[v] = hn::Set(d, w[v - 1].re);
      wi[v] = Pairs(d, -im, im);
    }
  }
  V<D> z[BF::kMax];
  for (int64_t j = j0; j < j1; j += step) {
    z[0] = hn::LoadU(d, src + 2 * j);
    for (int v = 1; v < P; ++v) {
      z[v] = hn::LoadU(d, src + 2 * (v * r + j));
      if (w) z[v] = Twiddle()(d, z[v], wr[v], wi[v]);
    }
    bf(d, z, rot);
    for (int k = 0; k < P; ++k) hn::StoreU(z[k], d, dst + 2 * (k * out_stride + j));
  }
}

// The pass with vectors of D along j, the ragged end of each run with
// one-complex vectors.
template <bool Inv, class BF, class D, class T> void PassWith(D d, BF bf, const Pass<T>& ps, const T* in, T* out) {
  const int P = bf.radix();
  const hn::CappedTag<T, 2> one;
  const int64_t lstar = ps.lstar, r = ps.r, out_stride = lstar * r;
  const int64_t step = static_cast<int64_t>(hn::Lanes(d) / 2);
  const int64_t full = r / step * step;
  for (int64_t k1 = 0; k1 < lstar; ++k1) {
    const T* src = in + 2 * k1 * r * P;
    T* dst = out + 2 * k1 * r;
    const Complex<T>* w = k1 ? ps.twiddles + k1 * (P - 1) : nullptr;
    Run<Inv>(d, bf, src, dst, r, out_stride, 0, full, w);
    if (full < r) Run<Inv>(one, bf, src, dst, r, out_stride, full, r, w);
  }
}

// A pass whose run r is shorter than the vector's N complex numbers (r
// dividing N): the lanes go over m = k1 r + j, which is contiguous in the
// output (at m + k lstar r); the inputs, at k1 r P + v r + j =
// m0 P + (e + (P - 1) r floor(e / r)) + v r for lane e of the vector at m0,
// and the per-lane twiddles are gathered. Without this, the last passes
// (r = 1, 2, 4) ran one or two complex numbers per vector.
template <bool Inv, class BF, class D, class T>
void PassGathered(D d, BF bf, const Pass<T>& ps, const T* in, T* out) {
  const int P = bf.radix();
  using TI = hwy::MakeSigned<T>;
  const hn::RebindToSigned<D> di;
  const int64_t lanes = static_cast<int64_t>(hn::Lanes(d)), n_c = lanes / 2;
  const int64_t r = ps.r, lstar = ps.lstar, out_stride = lstar * r;
  HWY_ALIGN TI data_off[HWY_MAX_BYTES / sizeof(T)];
  HWY_ALIGN TI tw_off[HWY_MAX_BYTES / sizeof(T)];
  for (int64_t t = 0; t < lanes; ++t) {
    const int64_t e = t / 2, part = t % 2;
    data_off[t] = static_cast<TI>(2 * (e + (P - 1) * r * (e / r)) + part);
    tw_off[t] = static_cast<TI>(2 * ((e / r) * (P - 1)) + part);
  }
  const auto vdata = hn::Load(di, data_off), vtw = hn::Load(di, tw_off);
  const V<D> rot = Inv ? Pairs(d, T(-1), T(1)) : Pairs(d, T(1), T(-1));
  const V<D> sign = Inv ? Pairs(d, T(1), T(-1)) : Pairs(d, T(-1), T(1));  // conj(w) for the inverse
  const T* tw = reinterpret_cast<const T*>(ps.twiddles);
  const int64_t groups = lstar * r / n_c;
  V<D> z[BF::kMax];
  for (int64_t g = 0; g < groups; ++g) {
    const int64_t m0 = g * n_c, k10 = m0 / r;
    z[0] = hn::GatherIndex(d, in + 2 * m0 * P, vdata);
    for (int v = 1; v < P; ++v) {
      const V<D> a = hn::GatherIndex(d, in + 2 * (m0 * P + v * r), vdata);
      const V<D> w = hn::GatherIndex(d, tw + 2 * (k10 * (P - 1) + v - 1), vtw);
      z[v] = hn::MulAdd(a, hn::DupEven(w), hn::Mul(hn::Reverse2(d, a), hn::Mul(hn::DupOdd(w), sign)));
    }
    bf(d, z, rot);
    for (int k = 0; k < P; ++k) hn::StoreU(z[k], d, out + 2 * (k * out_stride + m0));
  }
  // The k1 left over (lstar r not a multiple of N), one complex per vector.
  const hn::CappedTag<T, 2> one;
  for (int64_t k1 = groups * n_c / r; k1 < lstar; ++k1) {
    const Complex<T>* w = k1 ? ps.twiddles + k1 * (P - 1) : nullptr;
    Run<Inv>(one, bf, in + 2 * k1 * r * P, out + 2 * k1 * r, r, out_stride, 0, r, w);
  }
}

// The widest vector no longer than the run (in complex numbers).
template <bool Inv, class BF, class T> void PassSized(BF bf, const Pass<T>& ps, const T* in, T* out) {
  const hn::ScalableTag<T> full;
  const int64_t r2 = 2 * ps.r, lanes = static_cast<int64_t>(hn::Lanes(full));
  if (r2 >= lanes) return PassWith<Inv>(full, bf, ps, in, out);
  if ((lanes / 2) % ps.r == 0) return PassGathered<Inv>(full, bf, ps, in, out);
  if (lanes > 16 && r2 >= 16) return PassWith<Inv>(hn::CappedTag<T, 16>(), bf, ps, in, out);
  if (lanes > 8 && r2 >= 8) return PassWith<Inv>(hn::CappedTag<T, 8>(), bf, ps, in, out);
  if (lanes > 4 && r2 >= 4) return PassWith<Inv>(hn::CappedTag<T, 4>(), bf, ps, in, out);
  return PassWith<Inv>(hn::CappedTag<T, 2>(), bf, ps, in, out);
}

template <bool Inv, class T> bool PassDir(const Pass<T>& ps, const T* in, T* out) {
  switch (ps.radix) {
    case 2: PassSized<Inv>(Fixed<2>(), ps, in, out); return true;
    case 3: PassSized<Inv>(Fixed<3>(), ps, in, out); return true;
    case 4: PassSized<Inv>(Fixed<4>(), ps, in, out); return true;
    case 5: PassSized<Inv>(Fixed<5>(), ps, in, out); return true;
    case 8: PassSized<Inv>(Fixed<8>(), ps, in, out); return true;
    default: {
      if (ps.radix % 2 == 0 || ps.radix > trueno::fft::kLargestDirectRadix || !ps.roots) return false;
      T cs[trueno::fft::kLargestDirectRadix], sn[trueno::fft::kLargestDirectRadix];
      for (int m = 0; m < ps.radix; ++m) {
        cs[m] = ps.roots[m].re;
        sn[m] = -ps.roots[m].im;  // roots are exp(-2 pi i m / p) = cos - i sin
      }
      PassSized<Inv>(OddPrime<T>{ps.radix, cs, sn}, ps, in, out);
      return true;
    }
  }
}

template <class T> bool PassT(const Pass<T>* ps, const Complex<T>* in, Complex<T>* out, bool inverse) {
  const T* i = reinterpret_cast<const T*>(in);
  T* o = reinterpret_cast<T*>(out);
  return inverse ? PassDir<true>(*ps, i, o) : PassDir<false>(*ps, i, o);
}

// Per-lane complex product a w (w interleaved in lanes).
template <class D> HWY_INLINE V<D> MulLanes(D d, V<D> a, V<D> w) {
  using T = hn::TFromD<D>;
  return hn::MulAdd(a, hn::DupEven(w), hn::Mul(hn::Reverse2(d, a), hn::Mul(hn::DupOdd(w), Pairs(d, T(-1), T(1)))));
}
// The complex numbers of v in reverse order.
template <class D> HWY_INLINE V<D> ReverseComplex(D d, V<D> v) { return hn::Reverse2(d, hn::Reverse(d, v)); }

// See kernels/fft.h: real_forward_post, for k in [1, end); returns end.
template <class T> int64_t RealPostT(const Complex<T>* zc, Complex<T>* outc, int64_t h, const Complex<T>* wc) {
  const hn::ScalableTag<T> d;
  const int64_t step = static_cast<int64_t>(hn::Lanes(d) / 2);
  const T* z = reinterpret_cast<const T*>(zc);
  const T* w = reinterpret_cast<const T*>(wc);
  T* out = reinterpret_cast<T*>(outc);
  const V<D_of<T>> conj = Pairs(d, T(1), T(-1)), half = hn::Set(d, T(0.5));
  int64_t k = 1;
  for (; k + step <= h; k += step) {
    const V<D_of<T>> a = hn::LoadU(d, z + 2 * k);
    // z[h - k - step + 1 .. h - k], reversed: b_i = z[h - k - i]
    const V<D_of<T>> b = hn::Mul(ReverseComplex(d, hn::LoadU(d, z + 2 * (h - k - step + 1))), conj);
    const V<D_of<T>> e = hn::Mul(hn::Add(a, b), half);
    const V<D_of<T>> o = hn::Mul(hn::Mul(hn::Reverse2(d, hn::Sub(a, b)), conj), half);  // -i (a - b) / 2
    hn::StoreU(hn::Add(e, MulLanes(d, o, hn::LoadU(d, w + 2 * k))), d, out + 2 * k);
  }
  return k;
}

// See kernels/fft.h: real_inverse_pre, for k in [1, end); returns end.
template <class T> int64_t RealPreT(const Complex<T>* xc, Complex<T>* zc, int64_t h, const Complex<T>* wc) {
  const hn::ScalableTag<T> d;
  const int64_t step = static_cast<int64_t>(hn::Lanes(d) / 2);
  const T* x = reinterpret_cast<const T*>(xc);
  const T* w = reinterpret_cast<const T*>(wc);
  T* z = reinterpret_cast<T*>(zc);
  const V<D_of<T>> conj = Pairs(d, T(1), T(-1)), iota = Pairs(d, T(-1), T(1));
  int64_t k = 1;
  for (; k + step <= h; k += step) {
    const V<D_of<T>> xk = hn::LoadU(d, x + 2 * k);
    const V<D_of<T>> xc2 = hn::Mul(ReverseComplex(d, hn::LoadU(d, x + 2 * (h - k - step + 1))), conj);
    const V<D_of<T>> e = hn::Add(xk, xc2);
    const V<D_of<T>> o = MulLanes(d, hn::Sub(xk, xc2), hn::Mul(hn::LoadU(d, w + 2 * k), conj));
    hn::StoreU(hn::MulAdd(hn::Reverse2(d, o), iota, e), d, z + 2 * k);  // e + i o
  }
  return k;
}

// See kernels/fft.h: multiply, for i in [0, end); returns end.
template <class T>
int64_t MultiplyT(const Complex<T>* ac, const Complex<T>* bc, Complex<T>* outc, int64_t n, bool conj_a,
                  bool conj_out) {
  const hn::ScalableTag<T> d;
  const int64_t step = static_cast<int64_t>(hn::Lanes(d) / 2);
  const T* a = reinterpret_cast<const T*>(ac);
  const T* b = reinterpret_cast<const T*>(bc);
  T* out = reinterpret_cast<T*>(outc);
  const V<D_of<T>> ca = conj_a ? Pairs(d, T(1), T(-1)) : hn::Set(d, T(1));
  const V<D_of<T>> co = conj_out ? Pairs(d, T(1), T(-1)) : hn::Set(d, T(1));
  int64_t i = 0;
  for (; i + step <= n; i += step) {
    const V<D_of<T>> x = hn::Mul(hn::LoadU(d, a + 2 * i), ca);
    hn::StoreU(hn::Mul(MulLanes(d, x, hn::LoadU(d, b + 2 * i)), co), d, out + 2 * i);
  }
  return i;
}

int64_t MultiplyF32(const Complex<float>* a, const Complex<float>* b, Complex<float>* out, int64_t n, bool ca,
                    bool co) {
  return MultiplyT(a, b, out, n, ca, co);
}
int64_t MultiplyF64(const Complex<double>* a, const Complex<double>* b, Complex<double>* out, int64_t n, bool ca,
                    bool co) {
  return MultiplyT(a, b, out, n, ca, co);
}

int64_t RealPostF32(const Complex<float>* z, Complex<float>* out, int64_t h, const Complex<float>* w) {
  return RealPostT(z, out, h, w);
}
int64_t RealPostF64(const Complex<double>* z, Complex<double>* out, int64_t h, const Complex<double>* w) {
  return RealPostT(z, out, h, w);
}
int64_t RealPreF32(const Complex<float>* x, Complex<float>* z, int64_t h, const Complex<float>* w) {
  return RealPreT(x, z, h, w);
}
int64_t RealPreF64(const Complex<double>* x, Complex<double>* z, int64_t h, const Complex<double>* w) {
  return RealPreT(x, z, h, w);
}

bool PassF32(const Pass<float>* ps, const Complex<float>* in, Complex<float>* out, bool inverse) {
  return PassT(ps, in, out, inverse);
}
bool PassF64(const Pass<double>* ps, const Complex<double>* in, Complex<double>* out, bool inverse) {
  return PassT(ps, in, out, inverse);
}

#else  // HWY_SCALAR: one lane holds no complex number; the portable loop runs.

bool PassF32(const Pass<float>*, const Complex<float>*, Complex<float>*, bool) { return false; }
bool PassF64(const Pass<double>*, const Complex<double>*, Complex<double>*, bool) { return false; }
int64_t MultiplyF32(const Complex<float>*, const Complex<float>*, Complex<float>*, int64_t, bool, bool) { return 0; }
int64_t MultiplyF64(const Complex<double>*, const Complex<double>*, Complex<double>*, int64_t, bool, bool) {
  return 0;
}
int64_t RealPostF32(const Complex<float>*, Complex<float>*, int64_t, const Complex<float>*) { return 1; }
int64_t RealPostF64(const Complex<double>*, Complex<double>*, int64_t, const Complex<double>*) { return 1; }
int64_t RealPreF32(const Complex<float>*, Complex<float>*, int64_t, const Complex<float>*) { return 1; }
int64_t RealPreF64(const Complex<double>*, Complex<double>*, int64_t, const Complex<double>*) { return 1; }

#endif

}  // namespace HWY_NAMESPACE
}  // namespace trueno::simd::fft
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include "kernels/simd_fft.h"

namespace trueno::simd::fft {

HWY_EXPORT(PassF32);
HWY_EXPORT(PassF64);
HWY_EXPORT(MultiplyF32);
HWY_EXPORT(MultiplyF64);
HWY_EXPORT(RealPostF32);
HWY_EXPORT(RealPostF64);
HWY_EXPORT(RealPreF32);
HWY_EXPORT(RealPreF64);

int64_t multiply(const trueno::fft::Complex<float>* a, const trueno::fft::Complex<float>* b,
                 trueno::fft::Complex<float>* out, int64_t n, bool conj_a, bool conj_out) {
  return HWY_DYNAMIC_DISPATCH(MultiplyF32)(a, b, out, n, conj_a, conj_out);
}
int64_t multiply(const trueno::fft::Complex<double>* a, const trueno::fft::Complex<double>* b,
                 trueno::fft::Complex<double>* out, int64_t n, bool conj_a, bool conj_out) {
  return HWY_DYNAMIC_DISPATCH(MultiplyF64)(a, b, out, n, conj_a, conj_out);
}
int64_t real_forward_post(const trueno::fft::Complex<float>* z, trueno::fft::Complex<float>* out, int64_t h,
                          const trueno::fft::Complex<float>* w) {
  return HWY_DYNAMIC_DISPATCH(RealPostF32)(z, out, h, w);
}
int64_t real_forward_post(const trueno::fft::Complex<double>* z, trueno::fft::Complex<double>* out, int64_t h,
                          const trueno::fft::Complex<double>* w) {
  return HWY_DYNAMIC_DISPATCH(RealPostF64)(z, out, h, w);
}
int64_t real_inverse_pre(const trueno::fft::Complex<float>* x, trueno::fft::Complex<float>* z, int64_t h,
                         const trueno::fft::Complex<float>* w) {
  return HWY_DYNAMIC_DISPATCH(RealPreF32)(x, z, h, w);
}
int64_t real_inverse_pre(const trueno::fft::Complex<double>* x, trueno::fft::Complex<double>* z, int64_t h,
                         const trueno::fft::Complex<double>* w) {
  return HWY_DYNAMIC_DISPATCH(RealPreF64)(x, z, h, w);
}

bool run_pass(const trueno::fft::Pass<float>& pass, const trueno::fft::Complex<float>* in,
              trueno::fft::Complex<float>* out, bool inverse) {
  return HWY_DYNAMIC_DISPATCH(PassF32)(&pass, in, out, inverse);
}
bool run_pass(const trueno::fft::Pass<double>& pass, const trueno::fft::Complex<double>* in,
              trueno::fft::Complex<double>* out, bool inverse) {
  return HWY_DYNAMIC_DISPATCH(PassF64)(&pass, in, out, inverse);
}

}  // namespace trueno::simd::fft
#endif  // HWY_ONCE
