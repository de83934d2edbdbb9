// Sorting, searching (where, searchsorted) and set functions.
#include "bindings/bind.h"
#include "bindings/convert.h"

namespace trueno::py {
void bind_sorting(nb::module_&) {}
}  // namespace trueno::py
