// Reductions: statistical, utility (all/any) and argmax/argmin/count_nonzero.
#include "bindings/bind.h"
#include "bindings/convert.h"

namespace trueno::py {
void bind_reduction(nb::module_&) {}
}  // namespace trueno::py
