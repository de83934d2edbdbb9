// Exceptions of the kinds the spec names; the bindings translate each to the
// Python exception of the same name, so core code never includes Python.
#pragma once
#include <stdexcept>
#include <string>

namespace trueno {
struct TypeError : std::runtime_error { using std::runtime_error::runtime_error; };
struct ValueError : std::runtime_error { using std::runtime_error::runtime_error; };
struct IndexError : std::runtime_error { using std::runtime_error::runtime_error; };
// An axis out of range. Python sees trueno.AxisError, a subclass of both
// ValueError and IndexError (as NumPy's is): the spec asks for IndexError in
// expand_dims and ValueError elsewhere.
struct AxisError : ValueError { using ValueError::ValueError; };
struct OverflowError : std::runtime_error { using std::runtime_error::runtime_error; };
// An allocation that cannot be satisfied (Python MemoryError).
struct MemoryError : std::runtime_error { using std::runtime_error::runtime_error; };
struct NotImplementedError : std::runtime_error { using std::runtime_error::runtime_error; };
// A matrix a linalg function cannot take (singular, not positive definite, no
// convergence). Python sees trueno.linalg.LinAlgError (a ValueError), once
// trueno.linalg has registered it; plain ValueError before that.
struct LinAlgError : ValueError { using ValueError::ValueError; };
}  // namespace trueno
