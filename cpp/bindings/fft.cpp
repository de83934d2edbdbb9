// trueno._core._fft: the one-dimensional transforms src/trueno/fft.py
// composes (it validates the arguments and picks the norm's scale); the work
// is in ops/fft.
#include "bindings/bind.h"
#include "bindings/convert.h"
#include "ops/fft.h"

namespace trueno::py {

using namespace nb::literals;

void bind_fft(nb::module_& m) {
  nb::module_ f = m.def_submodule("_fft", "trueno's FFT (private; see trueno.fft)");
  f.def("complex", [](nb::handle x, int axis, int64_t n, bool inverse, double scale) {
    return wrap(fft_complex(require_array(x, "fft"), axis, n, inverse, scale));
  }, "x"_a, "axis"_a, "n"_a, "inverse"_a, "scale"_a);
  f.def("real_forward", [](nb::handle x, int axis, int64_t n, bool conjugate, double scale) {
    return wrap(fft_real_forward(require_array(x, "rfft"), axis, n, conjugate, scale));
  }, "x"_a, "axis"_a, "n"_a, "conjugate"_a, "scale"_a);
  f.def("real_inverse", [](nb::handle x, int axis, int64_t n, bool conjugate, double scale) {
    return wrap(fft_real_inverse(require_array(x, "irfft"), axis, n, conjugate, scale));
  }, "x"_a, "axis"_a, "n"_a, "conjugate"_a, "scale"_a);
  f.def("plan_cache_bytes", &fft_plan_cache_bytes);
  f.def("clear_plan_cache", &fft_clear_plan_cache);
}

}  // namespace trueno::py
