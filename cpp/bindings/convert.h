// Converting Python arguments to core types, shared by all binding files.
// Errors name the argument, as the spec's callers expect.
#pragma once
#include <nanobind/nanobind.h>

#include <optional>

#include "core/array.h"
#include "ops/elementwise.h"

namespace nb = nanobind;

namespace trueno::py {

// The Python object of each dtype (singletons, so `x.dtype is xp.float32`).
nb::object dtype_object(DType d);
// A dtype from a trueno dtype object (or a dtype name, NumPy dtype or Python
// type, leniently); TypeError naming `argname` otherwise.
DType to_dtype(nb::handle h, const char* func, const char* argname = "dtype");
std::optional<DType> to_optional_dtype(nb::handle h, const char* func, const char* argname = "dtype");

// What a failed nanobind cast (nb::cast_error) says in Python; trueno.Function
// prefixes it with the function's name.
inline constexpr const char* kCastFailureMessage = "an argument has the wrong type (it could not be converted)";

// Thrown wherever C++ meets an array or a device that is not the CPU (see
// as_array, to_device): the trueno.Function around each public function
// catches it and hands the whole call, arguments untouched, to the Python
// router (trueno/_route.py). CPU calls never pay for it: the check is one
// branch on a field already loaded, and the catch is on the error path.
struct RouteToDevice {};
// The Python exception RouteToDevice becomes while it crosses nanobind.
extern PyObject* route_exception;

// A device argument for a function that computes on the CPU: None means the
// default device; a non-CPU device throws RouteToDevice.
Device to_device(nb::handle h, const char* func);
// Any valid device (a Device, 'cpu', 'cuda:N', 'test:N'; None -> the default
// device); ValueError/ImportError from trueno._devices for the others.
Device parse_device(nb::handle h, const char* func);
void set_default_device(const Device& d);
nb::object device_object(const Device& d);

// A shape from an int or a sequence of ints; TypeError / ValueError naming it.
Shape to_shape(nb::handle h, const char* func, const char* argname = "shape");
// An axis or tuple of axes, normalised and checked for duplicates; nullopt for None.
std::optional<std::vector<int>> to_axes(nb::handle h, int ndim, const char* func);

bool is_array(nb::handle h);
// The CPU array behind `h` (caller checked is_array); RouteToDevice when it
// lives on another device, so that no C++ code ever reads its (absent) data.
Array& as_array(nb::handle h);
// A Python bool/int/float/complex, or nullopt; OverflowError naming func and
// argname for an int beyond both int64 and uint64.
std::optional<Scalar> to_scalar(nb::handle h, const char* func, const char* argname);
// An array argument (TypeError naming argname when it is not one).
Array& require_array(nb::handle h, const char* func, const char* argname = "x");
// NumPy's arrays and scalars, which operators, indexing and elementwise
// functions take as arrays (zero-copy; a NumPy scalar keeps its dtype, as
// NEP 50 has it). register_numpy_types runs once NumPy is imported.
void register_numpy_types(nb::handle numpy);
bool is_numpy_value(nb::handle h);
bool is_numpy_array(nb::handle h);
Array numpy_value_to_array(nb::handle h, const char* func, const char* argname);
// An array, a NumPy value, or a Python scalar turned into an array beside `other`.
Array operand(nb::handle h, const Array* other, const char* func, const char* argname);
// Any array-like (array, scalar, nested sequence, buffer, DLPack producer).
Array to_array_like(nb::handle h, std::optional<DType> dtype, const char* func, const char* argname = "obj");

nb::object wrap(Array a);
std::string python_type_name(nb::handle h);  // the name of h's type
void register_dtype_object(DType d, nb::handle obj);
// A zero-copy view of a buffer-protocol or DLPack object, or nullopt; NumPy
// input in the other byte order is copied into native order where
// copy_allowed (ValueError naming func and argname otherwise).
std::optional<Array> from_foreign(nb::handle h, const char* func, bool copy_allowed = true,
                                  const char* argname = "obj");
int64_t to_int(nb::handle h, const char* func, const char* argname);
// A Python int or float as a double; OverflowError (naming argname) for an int beyond float range.
double to_double(nb::handle h, const char* func, const char* argname);
// A Python bool (TypeError naming argname otherwise); None -> nullopt for the optional form.
bool to_bool(nb::handle h, const char* func, const char* argname);
std::optional<bool> to_optional_bool(nb::handle h, const char* func, const char* argname);

}  // namespace trueno::py
