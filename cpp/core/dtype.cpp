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
// The spec's table, literally: rows and columns in DType order
// (b, i1, i2, i4, i8, u1, u2, u4, u8, f4, f8, c8, c16); '-' = no promotion.
constexpr const char* kPromotionTable[kNumDTypes] = {
    //  b i1 i2 i4 i8 u1 u2 u4 u8 f4 f8 c8 c16
    "b------------",  // b
    "-BCDECDE-----",  // i1
    "-CCDECDE-----",  // i2
    "-DDDEDDE-----",  // i4
    "-EEEEEEE-----",  // i8
    "-CCDEFGHI----",  // u1
    "-DDDEGGHI----",  // u2
    "-EEEEHHHI----",  // u4
    "-----IIII----",  // u8
    "---------JKLM",  // f4
    "---------KKMM",  // f8
    "---------LMLM",  // c8
    "---------MMMM",  // c16
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
