// matmul (the linear algebra of the main namespace; tensordot and vecdot are
// compositions in Python).
#pragma once
#include "core/array.h"

namespace trueno {

Array matmul(const Array& a, const Array& b);

}  // namespace trueno
