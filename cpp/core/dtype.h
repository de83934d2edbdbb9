// The 13 dtypes of the array API standard, their C++ storage types, and the
// spec's type-promotion table.
#pragma once
#include <complex>
#include <cstdint>
#include <cstddef>
#include <optional>
#include <string_view>
#include <type_traits>

namespace trueno {

enum class DType : uint8_t {
  Bool, Int8, Int16, Int32, Int64, UInt8, UInt16, UInt32, UInt64,
  Float32, Float64, Complex64, Complex128
};
constexpr int kNumDTypes = 13;

using complex64 = std::complex<float>;
using complex128 = std::complex<double>;

template <class T> struct dtype_of;
#define TRUENO_DTYPE_OF(T, D) template <> struct dtype_of<T> { static constexpr DType value = DType::D; };
TRUENO_DTYPE_OF(bool, Bool)
TRUENO_DTYPE_OF(int8_t, Int8)
TRUENO_DTYPE_OF(int16_t, Int16)
TRUENO_DTYPE_OF(int32_t, Int32)
TRUENO_DTYPE_OF(int64_t, Int64)
TRUENO_DTYPE_OF(uint8_t, UInt8)
TRUENO_DTYPE_OF(uint16_t, UInt16)
TRUENO_DTYPE_OF(uint32_t, UInt32)
TRUENO_DTYPE_OF(uint64_t, UInt64)
TRUENO_DTYPE_OF(float, Float32)
TRUENO_DTYPE_OF(double, Float64)
TRUENO_DTYPE_OF(complex64, Complex64)
TRUENO_DTYPE_OF(complex128, Complex128)
#undef TRUENO_DTYPE_OF

// Calls f(T{}) with the storage type of `d`; the one place that maps a
// runtime dtype to a compile-time type.
template <class F> decltype(auto) visit_dtype(DType d, F&& f) {
  switch (d) {
    case DType::Bool: return f(bool{});
    case DType::Int8: return f(int8_t{});
    case DType::Int16: return f(int16_t{});
    case DType::Int32: return f(int32_t{});
    case DType::Int64: return f(int64_t{});
    case DType::UInt8: return f(uint8_t{});
    case DType::UInt16: return f(uint16_t{});
    case DType::UInt32: return f(uint32_t{});
    case DType::UInt64: return f(uint64_t{});
    case DType::Float32: return f(float{});
    case DType::Float64: return f(double{});
    case DType::Complex64: return f(complex64{});
    default: return f(complex128{});
  }
}

template <class T> constexpr bool is_complex_v = false;
template <class T> constexpr bool is_complex_v<std::complex<T>> = true;
// The element at p. A bool byte other than 0 and 1 can arrive in memory
// trueno did not write (NumPy views, DLPack, pickles, the buffer protocol),
// and C++ assumes a bool holds 0 or 1: `!b` of a 2 is 3. So a bool is read
// as its byte, any nonzero byte being True, as NumPy reads it.
template <class T> inline T read_element(const T* p) {
  if constexpr (std::is_same_v<T, bool>) return *reinterpret_cast<const uint8_t*>(p) != 0;
  else return *p;
}
template <class T> inline T read_element(const char* p) { return read_element(reinterpret_cast<const T*>(p)); }

template <class T> struct real_of { using type = T; };
template <class T> struct real_of<std::complex<T>> { using type = T; };
template <class T> using real_of_t = typename real_of<T>::type;

// Categories named as the spec names them ("Data Types" > "Data type categories").
enum Category : uint16_t {
  kBool = 1, kSignedInt = 2, kUnsignedInt = 4, kRealFloat = 8, kComplexFloat = 16,
  kInteger = kSignedInt | kUnsignedInt,
  kIntegerOrBool = kInteger | kBool,
  kFloating = kRealFloat | kComplexFloat,
  kRealNumeric = kInteger | kRealFloat,
  kNumeric = kRealNumeric | kComplexFloat,
  kAny = kNumeric | kBool,
};

constexpr Category category_of(DType d) {
  switch (d) {
    case DType::Bool: return kBool;
    case DType::Int8: case DType::Int16: case DType::Int32: case DType::Int64: return kSignedInt;
    case DType::UInt8: case DType::UInt16: case DType::UInt32: case DType::UInt64: return kUnsignedInt;
    case DType::Float32: case DType::Float64: return kRealFloat;
    default: return kComplexFloat;
  }
}
constexpr bool in_category(DType d, unsigned cats) { return (category_of(d) & cats) != 0; }

size_t itemsize(DType d);
const char* dtype_name(DType d);
std::optional<DType> dtype_from_name(std::string_view name);

// The spec's promotion table; nullopt where it has no entry (mixed kinds,
// or uint64 with a signed integer).
std::optional<DType> promote_types(DType a, DType b);
// Same, raising TypeError naming both dtypes when there is no entry.
DType promote_or_throw(DType a, DType b, const char* func);

DType real_dtype(DType complex_or_real);     // complex64 -> float32
DType complex_dtype(DType real_or_complex);  // float32 -> complex64
constexpr DType kDefaultInt = DType::Int64;
constexpr DType kDefaultFloat = DType::Float64;
constexpr DType kDefaultComplex = DType::Complex128;
constexpr DType kDefaultIndex = DType::Int64;

}  // namespace trueno
