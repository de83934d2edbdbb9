// FFT loops (see fft.h): portable C++, compiled at -O3 with the kernels.
//
// Butterflies (forward sign, w_p = exp(-2 pi i / p); the inverse swaps the
// roles of -i and +i):
// - radix 2: y0 = z0 + z1, y1 = z0 - z1.
// - radix 8: radix 4 on the even and on the odd inputs, joined by w_8^k.
// - radix 4: t0 = z0 + z2, t1 = z0 - z2, t2 = z1 + z3, t3 = z1 - z3;
//   y0 = t0 + t2, y2 = t0 - t2, y1 = t1 - i t3, y3 = t1 + i t3.
// - odd p (3, 5 with constants, others from a table of roots): pairing v
//   with p - v, s_v = z_v + z_(p-v) and d_v = z_v - z_(p-v);
//   A_k = z0 + sum_v cos(2 pi v k / p) s_v, B_k = sum_v sin(2 pi v k / p) d_v,
//   y_k = A_k - i B_k and y_(p-k) = A_k + i B_k: (p - 1)^2 / 2 real
//   multiply-adds per complex output pair instead of p^2 complex ones.
// Complex products are written out (no std::complex operator*, whose
// C99 Annex G recovery adds a branch and a library call).
#include "kernels/fft.h"

#include <cstring>

#include "kernels/simd_fft.h"

namespace trueno::fft {
namespace {

template <class T> using C = Complex<T>;

template <class T> inline C<T> add(C<T> a, C<T> b) { return {a.re + b.re, a.im + b.im}; }
template <class T> inline C<T> sub(C<T> a, C<T> b) { return {a.re - b.re, a.im - b.im}; }
template <class T> inline C<T> mul(C<T> a, C<T> b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
template <class T> inline C<T> scal(C<T> a, T s) { return {a.re * s, a.im * s}; }
// -i a (forward) or +i a (inverse).
template <class T, bool Inv> inline C<T> rot(C<T> a) {
  return Inv ? C<T>{-a.im, a.re} : C<T>{a.im, -a.re};
}
template <class T, bool Inv> inline C<T> twiddle(C<T> w) { return Inv ? C<T>{w.re, -w.im} : w; }

template <class T, bool Inv> struct Radix2 {
  static constexpr int P = 2;
  inline void operator()(C<T>* z) const {
    const C<T> a = z[0], b = z[1];
    z[0] = add(a, b);
    z[1] = sub(a, b);
  }
};

template <class T, bool Inv> struct Radix4 {
  static constexpr int P = 4;
  inline void operator()(C<T>* z) const {
    const C<T> t0 = add(z[0], z[2]), t1 = sub(z[0], z[2]);
    const C<T> t2 = add(z[1], z[3]), t3 = rot<T, Inv>(sub(z[1], z[3]));
    z[0] = add(t0, t2);
    z[2] = sub(t0, t2);
    z[1] = add(t1, t3);
    z[3] = sub(t1, t3);
  }
};

// Radix 8 as two radix-4 butterflies on the even and odd inputs joined by
// w_8^k: w_8 a = (a - i a) / sqrt(2) (forward), w_8^2 a = -i a, w_8^3 a = -i w_8 a.
template <class T, bool Inv> struct Radix8 {
  static constexpr int P = 8;
  inline void operator()(C<T>* z) const {
    const T h = T(0.707106781186547524400844362104849039L);  // 1 / sqrt(2)
    C<T> e[4] = {z[0], z[2], z[4], z[6]}, o[4] = {z[1], z[3], z[5], z[7]};
    Radix4<T, Inv>()(e);
    Radix4<T, Inv>()(o);
    const C<T> o1 = scal(add(o[1], rot<T, Inv>(o[1])), h);
    const C<T> o2 = rot<T, Inv>(o[2]);
    const C<T> o3 = rot<T, Inv>(scal(add(o[3], rot<T, Inv>(o[3])), h));
    z[0] = add(e[0], o[0]);
    z[4] = sub(e[0], o[0]);
    z[1] = add(e[1], o1);
    z[5] = sub(e[1], o1);
    z[2] = add(e[2], o2);
    z[6] = sub(e[2], o2);
    z[3] = add(e[3], o3);
    z[7] = sub(e[3], o3);
  }
};

template <class T, bool Inv> struct Radix3 {
  static constexpr int P = 3;
  inline void operator()(C<T>* z) const {
    const T half = T(0.5), s = T(0.866025403784438646763723170752936183L);  // sin(2 pi / 3)
    const C<T> sum = add(z[1], z[2]);
    const C<T> a = sub(z[0], scal(sum, half));
    const C<T> b = rot<T, Inv>(scal(sub(z[1], z[2]), s));
    z[0] = add(z[0], sum);
    z[1] = add(a, b);
    z[2] = sub(a, b);
  }
};

template <class T, bool Inv> struct Radix5 {
  static constexpr int P = 5;
  inline void operator()(C<T>* z) const {
    const T c1 = T(0.309016994374947424102293417182819059L);   // cos(2 pi / 5)
    const T c2 = T(-0.809016994374947424102293417182819059L);  // cos(4 pi / 5)
    const T s1 = T(0.951056516295153572116439333379382143L);   // sin(2 pi / 5)
    const T s2 = T(0.587785252292473129168705954639072769L);   // sin(4 pi / 5)
    const C<T> sa = add(z[1], z[4]), da = sub(z[1], z[4]);
    const C<T> sb = add(z[2], z[3]), db = sub(z[2], z[3]);
    const C<T> a1 = {z[0].re + c1 * sa.re + c2 * sb.re, z[0].im + c1 * sa.im + c2 * sb.im};
    const C<T> a2 = {z[0].re + c2 * sa.re + c1 * sb.re, z[0].im + c2 * sa.im + c1 * sb.im};
    const C<T> b1 = rot<T, Inv>(C<T>{s1 * da.re + s2 * db.re, s1 * da.im + s2 * db.im});
    const C<T> b2 = rot<T, Inv>(C<T>{s2 * da.re - s1 * db.re, s2 * da.im - s1 * db.im});
    z[0] = add(z[0], add(sa, sb));
    z[1] = add(a1, b1);
    z[4] = sub(a1, b1);
    z[2] = add(a2, b2);
    z[3] = sub(a2, b2);
  }
};

// The loop shared by every radix: for each k1 the twiddles w_L^(v k1) are
// fixed and the butterflies run along j, contiguous in input and output.
template <class T, bool Inv, class Butterfly>
void fixed_pass(const Pass<T>& ps, const C<T>* in, C<T>* out, Butterfly bf) {
  constexpr int P = Butterfly::P;
  const int64_t lstar = ps.lstar, r = ps.r, out_stride = lstar * r;
  C<T> z[P];
  for (int64_t k1 = 0; k1 < lstar; ++k1) {
    const C<T>* src = in + k1 * r * P;
    C<T>* dst = out + k1 * r;
    if (k1 == 0) {  // w = 1: no products (and exact passes for the first stage)
      for (int64_t j = 0; j < r; ++j) {
        for (int v = 0; v < P; ++v) z[v] = src[v * r + j];
        bf(z);
        for (int k = 0; k < P; ++k) dst[k * out_stride + j] = z[k];
      }
      continue;
    }
    C<T> w[P];
    for (int v = 1; v < P; ++v) w[v] = twiddle<T, Inv>(ps.twiddles[k1 * (P - 1) + v - 1]);
    for (int64_t j = 0; j < r; ++j) {
      z[0] = src[j];
      for (int v = 1; v < P; ++v) z[v] = mul(src[v * r + j], w[v]);
      bf(z);
      for (int k = 0; k < P; ++k) dst[k * out_stride + j] = z[k];
    }
  }
}

// An odd prime radix p <= kLargestDirectRadix, from the table of roots.
template <class T, bool Inv> void generic_pass(const Pass<T>& ps, const C<T>* in, C<T>* out) {
  const int p = ps.radix, half = (p - 1) / 2;
  const int64_t lstar = ps.lstar, r = ps.r, out_stride = lstar * r;
  T cs[kLargestDirectRadix], sn[kLargestDirectRadix];
  for (int m = 0; m < p; ++m) {
    cs[m] = ps.roots[m].re;
    sn[m] = -ps.roots[m].im;  // roots are exp(-2 pi i m / p) = cos - i sin
  }
  C<T> z[kLargestDirectRadix], s[kLargestDirectRadix / 2 + 1], d[kLargestDirectRadix / 2 + 1];
  for (int64_t k1 = 0; k1 < lstar; ++k1) {
    const C<T>* src = in + k1 * r * p;
    C<T>* dst = out + k1 * r;
    const C<T>* tw = ps.twiddles + k1 * (p - 1);
    for (int64_t j = 0; j < r; ++j) {
      z[0] = src[j];
      for (int v = 1; v < p; ++v) z[v] = k1 ? mul(src[v * r + j], twiddle<T, Inv>(tw[v - 1])) : src[v * r + j];
      C<T> y0 = z[0];
      for (int v = 1; v <= half; ++v) {
        s[v] = add(z[v], z[p - v]);
        d[v] = sub(z[v], z[p - v]);
        y0 = add(y0, s[v]);
      }
      dst[j] = y0;
      for (int k = 1; k <= half; ++k) {
        C<T> a = z[0], b = {T(0), T(0)};
        int m = 0;  // (v k) mod p, stepped
        for (int v = 1; v <= half; ++v) {
          m += k;
          if (m >= p) m -= p;
          a.re += cs[m] * s[v].re;
          a.im += cs[m] * s[v].im;
          b.re += sn[m] * d[v].re;
          b.im += sn[m] * d[v].im;
        }
        const C<T> ib = rot<T, Inv>(b);
        dst[k * out_stride + j] = add(a, ib);
        dst[(p - k) * out_stride + j] = sub(a, ib);
      }
    }
  }
}

template <class T, bool Inv> void run_pass_dir(const Pass<T>& ps, const C<T>* in, C<T>* out) {
  switch (ps.radix) {
    case 2: return fixed_pass<T, Inv>(ps, in, out, Radix2<T, Inv>{});
    case 3: return fixed_pass<T, Inv>(ps, in, out, Radix3<T, Inv>{});
    case 4: return fixed_pass<T, Inv>(ps, in, out, Radix4<T, Inv>{});
    case 5: return fixed_pass<T, Inv>(ps, in, out, Radix5<T, Inv>{});
    case 8: return fixed_pass<T, Inv>(ps, in, out, Radix8<T, Inv>{});
    default: return generic_pass<T, Inv>(ps, in, out);
  }
}

}  // namespace

template <class T> void run_pass(const Pass<T>& pass, const Complex<T>* in, Complex<T>* out, bool inverse) {
  if (simd::fft::run_pass(pass, in, out, inverse)) return;
  if (inverse) run_pass_dir<T, true>(pass, in, out);
  else run_pass_dir<T, false>(pass, in, out);
}

template <class T>
void multiply(const Complex<T>* a, const Complex<T>* b, Complex<T>* out, int64_t n, bool conj_a, bool conj_out) {
  const T ca = conj_a ? T(-1) : T(1), co = conj_out ? T(-1) : T(1);
  for (int64_t i = simd::fft::multiply(a, b, out, n, conj_a, conj_out); i < n; ++i) {
    const C<T> p = mul(C<T>{a[i].re, ca * a[i].im}, b[i]);
    out[i] = {p.re, co * p.im};
  }
}

template <class T> void scale(const Complex<T>* x, Complex<T>* out, int64_t n, T s, bool conj) {
  const T si = conj ? -s : s;
  for (int64_t i = 0; i < n; ++i) out[i] = {x[i].re * s, x[i].im * si};
}

template <class T>
void load_complex(const char* src, int64_t stride, DType dt, int64_t count, Complex<T>* dst, int64_t n) {
  switch (dt) {
    case DType::Float32:
      for (int64_t i = 0; i < count; ++i) dst[i] = {T(*reinterpret_cast<const float*>(src + i * stride)), T(0)};
      break;
    case DType::Float64:
      for (int64_t i = 0; i < count; ++i) dst[i] = {T(*reinterpret_cast<const double*>(src + i * stride)), T(0)};
      break;
    case DType::Complex64:
      for (int64_t i = 0; i < count; ++i) {
        const float* p = reinterpret_cast<const float*>(src + i * stride);
        dst[i] = {T(p[0]), T(p[1])};
      }
      break;
    default:  // Complex128
      for (int64_t i = 0; i < count; ++i) {
        const double* p = reinterpret_cast<const double*>(src + i * stride);
        dst[i] = {T(p[0]), T(p[1])};
      }
      break;
  }
  for (int64_t i = count; i < n; ++i) dst[i] = {T(0), T(0)};
}

template <class T> void load_real(const char* src, int64_t stride, DType dt, int64_t count, T* dst, int64_t n) {
  if (dt == DType::Float32) {
    for (int64_t i = 0; i < count; ++i) dst[i] = T(*reinterpret_cast<const float*>(src + i * stride));
  } else {
    for (int64_t i = 0; i < count; ++i) dst[i] = T(*reinterpret_cast<const double*>(src + i * stride));
  }
  for (int64_t i = count; i < n; ++i) dst[i] = T(0);
}

// Elements of S (float or double), K per value (1 real, 2 complex), into a tile of Complex<T>.
template <class T, class S, int K>
void load_tile_from(const char* src, int64_t stride, int64_t line_stride, int64_t lines, int64_t count,
                    Complex<T>* dst, int64_t line_step, int64_t elem_step) {
  for (int64_t m = 0; m < count; ++m) {
    const char* p = src + m * stride;
    Complex<T>* d = dst + m * elem_step;
    for (int64_t b = 0; b < lines; ++b) {
      const S* q = reinterpret_cast<const S*>(p + b * line_stride);
      d[b * line_step] = {T(q[0]), K == 2 ? T(q[K - 1]) : T(0)};
    }
  }
}

template <class T>
void load_complex_tile(const char* src, int64_t stride, int64_t line_stride, int64_t lines, DType dt,
                       int64_t count, Complex<T>* dst, int64_t n, int64_t line_step, int64_t elem_step) {
  const bool rows_copy = line_step == 1 && line_stride == int64_t(sizeof(Complex<T>)) &&
                         dt == (sizeof(T) == 4 ? DType::Complex64 : DType::Complex128);
  if (rows_copy) {
    for (int64_t m = 0; m < count; ++m)
      std::memcpy(static_cast<void*>(dst + m * elem_step), src + m * stride, size_t(lines) * sizeof(Complex<T>));
  } else {
    switch (dt) {
      case DType::Float32: load_tile_from<T, float, 1>(src, stride, line_stride, lines, count, dst, line_step, elem_step); break;
      case DType::Float64: load_tile_from<T, double, 1>(src, stride, line_stride, lines, count, dst, line_step, elem_step); break;
      case DType::Complex64: load_tile_from<T, float, 2>(src, stride, line_stride, lines, count, dst, line_step, elem_step); break;
      case DType::Complex128: load_tile_from<T, double, 2>(src, stride, line_stride, lines, count, dst, line_step, elem_step); break;
      default: break;  // (the callers check the dtype)
    }
  }
  for (int64_t m = count; m < n; ++m)
    for (int64_t b = 0; b < lines; ++b) dst[b * line_step + m * elem_step] = {T(0), T(0)};
}

template <class T>
void store_complex_tile(const Complex<T>* src, int64_t n, int64_t lines, char* dst, int64_t stride,
                        int64_t line_stride, int64_t line_step, int64_t elem_step) {
  const bool rows_copy = line_step == 1 && line_stride == int64_t(sizeof(Complex<T>));
  for (int64_t m = 0; m < n; ++m) {
    char* p = dst + m * stride;
    const Complex<T>* q = src + m * elem_step;
    if (rows_copy) {
      std::memcpy(p, static_cast<const void*>(q), size_t(lines) * sizeof(Complex<T>));
      continue;
    }
    for (int64_t b = 0; b < lines; ++b) *reinterpret_cast<Complex<T>*>(p + b * line_stride) = q[b * line_step];
  }
}

template <class T> void store_complex(const Complex<T>* src, int64_t n, char* dst, int64_t stride) {
  for (int64_t i = 0; i < n; ++i) *reinterpret_cast<Complex<T>*>(dst + i * stride) = src[i];
}

template <class T> void store_real(const T* src, int64_t n, char* dst, int64_t stride) {
  for (int64_t i = 0; i < n; ++i) *reinterpret_cast<T*>(dst + i * stride) = src[i];
}

template <class T> void real_parts(const Complex<T>* src, int64_t n, T* dst, T s) {
  for (int64_t i = 0; i < n; ++i) dst[i] = src[i].re * s;
}

template <class T> void hermitian_extend(const Complex<T>* x, Complex<T>* y, int64_t n) {
  const int64_t half = n / 2;
  for (int64_t k = 0; k <= half; ++k) y[k] = x[k];
  for (int64_t k = 1; k < n - half; ++k) y[n - k] = {x[k].re, -x[k].im};
}

// With a = Z_k and b = conj(Z_(h-k)): the transforms of the even and odd
// samples are E = (a + b) / 2 and O = (a - b) / (2i), and X_k = E + w^k O.
template <class T> void real_forward_post(const Complex<T>* z, Complex<T>* out, int64_t h, const Complex<T>* w) {
  out[0] = {z[0].re + z[0].im, T(0)};
  out[h] = {z[0].re - z[0].im, T(0)};
  for (int64_t k = simd::fft::real_forward_post(z, out, h, w); k < h; ++k) {
    const C<T> a = z[k], b = {z[h - k].re, -z[h - k].im};
    const C<T> e = scal(add(a, b), T(0.5));
    const C<T> dif = sub(a, b);
    const C<T> o = {dif.im * T(0.5), -dif.re * T(0.5)};
    out[k] = add(e, mul(w[k], o));
  }
}

// Z_k = 2 (E_k + i O_k) with 2 E_k = X_k + conj(X_(h-k)) and
// 2 O_k = (X_k - conj(X_(h-k))) w^-k: then the unnormalised inverse of
// length h gives z_j = x_2j + i x_2j+1.
template <class T> void real_inverse_pre(const Complex<T>* x, Complex<T>* z, int64_t h, const Complex<T>* w) {
  const T a = x[0].re, c = x[h].re;
  z[0] = {a + c, a - c};
  for (int64_t k = simd::fft::real_inverse_pre(x, z, h, w); k < h; ++k) {
    const C<T> xk = x[k], xc = {x[h - k].re, -x[h - k].im};
    const C<T> e = add(xk, xc);
    const C<T> o = mul(sub(xk, xc), C<T>{w[k].re, -w[k].im});
    z[k] = {e.re - o.im, e.im + o.re};
  }
}

#define TRUENO_FFT_INSTANTIATE(T)                                                                     \
  template void run_pass<T>(const Pass<T>&, const Complex<T>*, Complex<T>*, bool);                    \
  template void multiply<T>(const Complex<T>*, const Complex<T>*, Complex<T>*, int64_t, bool, bool);  \
  template void scale<T>(const Complex<T>*, Complex<T>*, int64_t, T, bool);                           \
  template void real_forward_post<T>(const Complex<T>*, Complex<T>*, int64_t, const Complex<T>*);     \
  template void real_inverse_pre<T>(const Complex<T>*, Complex<T>*, int64_t, const Complex<T>*);      \
  template void load_complex<T>(const char*, int64_t, DType, int64_t, Complex<T>*, int64_t);          \
  template void load_real<T>(const char*, int64_t, DType, int64_t, T*, int64_t);                      \
  template void store_complex<T>(const Complex<T>*, int64_t, char*, int64_t);                         \
  template void load_complex_tile<T>(const char*, int64_t, int64_t, int64_t, DType, int64_t, Complex<T>*,  \
                                     int64_t, int64_t, int64_t);                                      \
  template void store_complex_tile<T>(const Complex<T>*, int64_t, int64_t, char*, int64_t, int64_t,    \
                                      int64_t, int64_t);                                              \
  template void store_real<T>(const T*, int64_t, char*, int64_t);                                     \
  template void real_parts<T>(const Complex<T>*, int64_t, T*, T);                                     \
  template void hermitian_extend<T>(const Complex<T>*, Complex<T>*, int64_t);
TRUENO_FFT_INSTANTIATE(float)
TRUENO_FFT_INSTANTIATE(double)
#undef TRUENO_FFT_INSTANTIATE

}  // namespace trueno::fft
