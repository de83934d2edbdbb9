// Instantiates the loops of every row of ops/elementwise.def, for each
// compute dtype the row's category and result rule allow.
#include <cstring>
#include <string>
#include <tuple>
#include <utility>

#include "core/errors.h"
#include "kernels/elementwise_loops.h"
#include "kernels/scalar_math.h"
#include "kernels/simd_overrides.h"
#include "ops/elementwise.h"

namespace trueno {
namespace {

using AllTypes = std::tuple<bool, int8_t, int16_t, int32_t, int64_t, uint8_t, uint16_t, uint32_t,
                            uint64_t, float, double, complex64, complex128>;

constexpr bool computes_in(ResultRule rule, unsigned accepts, DType d) {
  if (rule == ResultRule::AsBool) return d == DType::Bool;
  if (!in_category(d, accepts)) return false;
  if (rule == ResultRule::ToFloat) return in_category(d, kFloating);
  return true;
}

template <ResultRule Rule, class T> struct OutType { using type = T; };
template <class T> struct OutType<ResultRule::Bool, T> { using type = bool; };
template <class T> struct OutType<ResultRule::AsBool, T> { using type = bool; };
template <class T> struct OutType<ResultRule::ToReal, T> { using type = real_of_t<T>; };

template <class Op, int Arity, ResultRule Rule, unsigned Accepts, size_t... I>
ElementwiseFunction make_function(const char* name, std::index_sequence<I...>) {
  ElementwiseFunction f{name, Arity, Accepts, Rule, {}};
  (
      [&] {
        using T = std::tuple_element_t<I, AllTypes>;
        using Out = typename OutType<Rule, T>::type;
        if constexpr (computes_in(Rule, Accepts, static_cast<DType>(I))) {
          if constexpr (Arity == 1)
            f.loops[I] = simd::unary_override<Op, T>() ? simd::unary_override<Op, T>()
                                                       : &kernels::unary_loop<Op, T, Out>;
          else
            f.loops[I] = simd::binary_override<Op, T>() ? simd::binary_override<Op, T>()
                                                        : &kernels::binary_loop<Op, T, Out>;
        }
      }(),
      ...);
  return f;
}

#define TRUENO_UNARY(NAME, ACCEPTS, RULE, OP)                                           \
  make_function<math::OP, 1, ResultRule::RULE, ACCEPTS>(#NAME,                          \
                                                        std::make_index_sequence<kNumDTypes>()),
#define TRUENO_BINARY(NAME, ACCEPTS, RULE, OP)                                          \
  make_function<math::OP, 2, ResultRule::RULE, ACCEPTS>(#NAME,                          \
                                                        std::make_index_sequence<kNumDTypes>()),
const ElementwiseFunction kFunctions[] = {
#include "ops/elementwise.def"
};
#undef TRUENO_UNARY
#undef TRUENO_BINARY

}  // namespace

const ElementwiseFunction* elementwise_functions(int* count) {
  *count = static_cast<int>(sizeof(kFunctions) / sizeof(kFunctions[0]));
  return kFunctions;
}

const ElementwiseFunction* find_elementwise_function(std::string_view name) {
  for (const auto& f : kFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

const ElementwiseFunction& elementwise_function(std::string_view name) {
  if (const ElementwiseFunction* f = find_elementwise_function(name)) return *f;
  throw ValueError("no elementwise function named " + std::string(name));
}

}  // namespace trueno
