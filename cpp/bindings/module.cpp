// The native module trueno._core. Each bind_* lives in its own file and
// only converts arguments; the work happens in ops/.
#include <nanobind/nanobind.h>

#include "bindings/bind.h"

NB_MODULE(_core, m) {
  using namespace trueno::py;
  bind_types(m);
  bind_array(m);
  bind_elementwise(m);
  bind_creation(m);
  bind_manipulation(m);
  bind_indexing(m);
  bind_reduction(m);
  bind_sorting(m);
  bind_linalg(m);
  bind_lapack(m);
  bind_nn(m);
  bind_fft(m);
  bind_clip(m);
  bind_threading(m);
  bind_quant(m);
  wrap_public_functions(m);
}
