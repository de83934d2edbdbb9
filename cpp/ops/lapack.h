// The decompositions and solvers of the linalg extension, through LAPACK
// (kernels/lapack.h). Each function validates its arguments (messages name
// "linalg.<function>()" and the argument), computes in the input's floating
// dtype (integers promote to float64, bool is a TypeError), copies each matrix
// of the batch into a column-major scratch buffer, calls LAPACK, and writes
// C-contiguous results. A matrix LAPACK cannot take raises LinAlgError.
#pragma once
#include <tuple>
#include <utility>

#include "core/array.h"

namespace trueno {

// The argument checks the linalg extension shares (messages "func(): argname ...").
// The dtype a floating-only function computes x in: floats and complex keep
// theirs, integers promote to float64 (NumPy's leniency), bool is a TypeError.
DType float_dtype(DType d, const char* func, const char* argname);
// At least two dimensions (ValueError), and square ones when `square`.
void require_matrix(const Array& x, const char* func, const char* argname, bool square);

// x1 @ X = x2: x2 is one vector (m,) shared by every matrix of x1, or a stack
// of (m, k) matrices whose batch broadcasts with x1's.
Array linalg_solve(const Array& x1, const Array& x2);
// `func` names the function in messages (matrix_power inverts through inv).
Array linalg_inv(const Array& x, const char* func = "linalg.inv");
Array linalg_det(const Array& x);
// (sign, logabsdet)
std::pair<Array, Array> linalg_slogdet(const Array& x);
Array linalg_cholesky(const Array& x, bool upper);
// Eigenvalues (ascending, real dtype) and, when `vectors`, eigenvectors in
// columns (eigh); without vectors (eigvalsh) the second array is empty.
std::pair<Array, Array> linalg_eigh(const Array& x, bool vectors);
// Eigenvalues and, when `vectors`, right eigenvectors, both complex (eig /
// eigvals). Infinities and NaNs raise LinAlgError, as NumPy's eig does.
std::pair<Array, Array> linalg_eig(const Array& x, bool vectors);
// (U, S, Vh) when `vectors` (svd: infinities and NaNs raise ValueError, since
// LAPACK's gesdd can loop on them), else (empty, S, empty) (svdvals).
// `func` names the function in messages (pinv, matrix_rank compose on it).
std::tuple<Array, Array, Array> linalg_svd(const Array& x, bool full_matrices, bool vectors,
                                           const char* func = "linalg.svd");
// (Q, R): 'reduced' (Q m x k, R k x n) or, when `complete`, Q m x m and R m x n.
std::pair<Array, Array> linalg_qr(const Array& x, bool complete);

}  // namespace trueno
