#include "core/dtype.h"

#include "core/errors.h"

namespace trueno {

size_t itemsize(DType d) {
  static constexpr size_t sizes[kNumDTypes] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};
  return sizes[static_cast<int>(d)];
}

const char* dtype_name(DType d) {
  static constexpr const char* names[kNumDTypes] = {
      "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
      "uint64", "float32", "float64", "complex64", "complex128"};
  return names[static_cast<int>(d)];
}

std::optional<DType> dtype_from_name(std::string_view name) {
  for (int i = 0; i < kNumDTypes; ++i)
    if (name == dtype_name(static_cast<DType>(i))) return static_cast<DType>(i);
  return std::nullopt;
}

namespace {
// The spec's table, with one extension: an integer beside a floating-point
// dtype that holds all its values exactly (int8/16 and uint8/16 with float32
// and complex64; any integer with float64 and complex128) promotes to that
// dtype, the one result NumPy, JAX and PyTorch all give (engines such as
// Cubed compute int64 x float64 through operators). Where those three differ
// (int32/64 or uint32/64 with float32: NumPy says float64, the others
// float32) it stays undefined, as the spec leaves all mixed kinds.
// Rows and columns in DType order (b, i1, i2, i4, i8, u1, u2, u4, u8, f4, f8,
// c8, c16); '-' = no promotion.
constexpr const char* kPromotionTable[kNumDTypes] = {
    //  b i1 i2 i4 i8 u1 u2 u4 u8 f4 f8 c8 c16
    "b------------",  // b
    "-BCDECDE-JKLM",  // i1
    "-CCDECDE-JKLM",  // i2
    "-DDDEDDE--K-M",  // i4
    "-EEEEEEE--K-M",  // i8
    "-CCDEFGHIJKLM",  // u1
    "-DDDEGGHIJKLM",  // u2
    "-EEEEHHHI-K-M",  // u4
    "-----IIII-K-M",  // u8
    "-JJ--JJ--JKLM",  // f4
    "-KKKKKKKKKKMM",  // f8
    "-LL--LL--LMLM",  // c8
    "-MMMMMMMMMMMM",  // c16
};
DType table_code(char c) {
  switch (c) {
    case 'b': return DType::Bool;
    case 'B': return DType::Int8;
    case 'C': return DType::Int16;
    case 'D': return DType::Int32;
    case 'E': return DType::Int64;
    case 'F': return DType::UInt8;
    case 'G': return DType::UInt16;
    case 'H': return DType::UInt32;
    case 'I': return DType::UInt64;
    case 'J': return DType::Float32;
    case 'K': return DType::Float64;
    case 'L': return DType::Complex64;
    default: return DType::Complex128;
  }
}
}  // namespace

std::optional<DType> promote_types(DType a, DType b) {
  char c = kPromotionTable[static_cast<int>(a)][static_cast<int>(b)];
  if (c == '-') return std::nullopt;
  return table_code(c);
}

DType promote_or_throw(DType a, DType b, const char* func) {
  if (auto r = promote_types(a, b)) return *r;
  throw TypeError(std::string(func) + "(): no type promotion between " + dtype_name(a) +
                  " and " + dtype_name(b) + " (the array API standard leaves it undefined)");
}

DType real_dtype(DType d) {
  if (d == DType::Complex64) return DType::Float32;
  if (d == DType::Complex128) return DType::Float64;
  return d;
}
DType complex_dtype(DType d) {
  if (d == DType::Float32 || d == DType::Complex64) return DType::Complex64;
  return DType::Complex128;
}

}  // namespace trueno
