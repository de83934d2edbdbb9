// trueno._core.quant: ggml block-quantized weights (src/trueno/gguf.py is
// the public face). A submodule, so the array API namespace stays clean.
#include "bindings/bind.h"
#include "bindings/convert.h"
#include "core/errors.h"
#include "kernels/quant.h"
#include "ops/quant.h"

namespace trueno::py {

using namespace nb::literals;

void bind_quant(nb::module_& m) {
  nb::module_ q = m.def_submodule("quant", "ggml block-quantized weights (see trueno.gguf)");
  q.def("dequantize", [](nb::handle data, nb::handle type_id, nb::handle rows, nb::handle cols) {
    const char* f = "dequantize";
    return wrap(quant_dequantize(require_array(data, f, "data"), to_int(type_id, f, "type_id"),
                                 to_int(rows, f, "rows"), to_int(cols, f, "cols")));
  }, "data"_a, "type_id"_a, "rows"_a, "cols"_a,
        "float32 [rows, cols] values of `rows` rows of ggml type `type_id` held in `data` (uint8)");
  q.def("linear", [](nb::handle x, nb::handle data, nb::handle type_id, nb::handle rows,
                     nb::handle cols) {
    const char* f = "linear";
    return wrap(quant_linear(require_array(x, f, "x"), require_array(data, f, "data"),
                             to_int(type_id, f, "type_id"), to_int(rows, f, "rows"),
                             to_int(cols, f, "cols")));
  }, "x"_a, "data"_a, "type_id"_a, "rows"_a, "cols"_a,
        "x @ W.T (float32 [n, rows]) for float32 x [n, cols] and W quantized as in dequantize");
  q.def("rounds_activations", [](nb::handle type_id, nb::handle n, nb::handle cols) {
    const char* f = "rounds_activations";
    const int64_t id = to_int(type_id, f, "type_id");
    const auto* fmt = id >= 0 && id <= INT32_MAX ? kernels::quant_block_format(static_cast<int32_t>(id)) : nullptr;
    if (!fmt) throw trueno::NotImplementedError(std::string(f) + "(): no kernel for ggml tensor type " + std::to_string(id));
    const int64_t rows = to_int(n, f, "n");
    if (rows < 0) throw trueno::ValueError(std::string(f) + "(): n must be >= 0, got " + std::to_string(rows));
    const int64_t width = to_int(cols, f, "cols");
    if (width < 0) throw trueno::ValueError(std::string(f) + "(): cols must be >= 0, got " + std::to_string(width));
    return kernels::quant_rounds_activations(kernels::quant_kernel_choice(), static_cast<kernels::QuantType>(id),
                                             rows, width);
  }, "type_id"_a, "n"_a, "cols"_a,
        "whether linear() of n x rows of `cols` values by weights of ggml type `type_id` rounds "
        "x to int8 blocks of 256 (depends on the type, the sizes, the ISA and the CPU)");
  q.def("use_vnni", [](nb::handle enable) {
    int flag = -1;
    if (!enable.is_none()) {
      if (!PyBool_Check(enable.ptr()))
        throw trueno::TypeError("use_vnni(): enable must be a bool or None");
      flag = enable.ptr() == Py_True ? 1 : 0;
    }
    return kernels::quant_use_vnni(flag);
  }, "enable"_a = nb::none(),
        "whether AVX3 K-quant kernels use AVX-512 VNNI (the setting before the call); "
        "enable=False turns it off, True back on where the CPU has it");
  q.def("block_format", [](nb::handle type_id) -> nb::object {
    const int64_t id = to_int(type_id, "block_format", "type_id");
    const auto* fmt = id >= 0 && id <= INT32_MAX ? kernels::quant_block_format(static_cast<int32_t>(id)) : nullptr;
    if (!fmt) return nb::none();
    return nb::make_tuple(fmt->name, fmt->values, fmt->bytes);
  }, "type_id"_a, "(name, values per block, bytes per block) of a ggml type with kernels, or None");
}

}  // namespace trueno::py
