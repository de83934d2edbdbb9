// The sweeps of the Jacobi kernels behind small-matrix eigh and svd
// (kernels/lapack.cpp's small_eigh and small_svd; Highway, every target,
// dispatched at run time). kLanes matrices run in lockstep, structure of
// arrays: element (r, c) of matrix l of an n x n column-major batch is at
// [(r + c * n) * kLanes + l]. A lane whose pair needs no rotation is rotated
// by the identity (c = 1, s = 0, exact), so every matrix's result is the same
// whatever the other lanes hold and however many sweeps they take (targets
// with FMA may round the last bit differently from those without).
// All in float64 on finite matrices scaled to a largest |entry| in [1, 2).
#pragma once

namespace trueno::simd::jacobi {

constexpr int kLanes = 8;

// Two-sided cyclic Jacobi on the symmetric matrices a (both triangles held):
// on return the diagonals hold the eigenvalues (unsorted) and, where v is not
// null, v (the identity on entry) holds the accumulated rotations, the
// eigenvectors. A pair is rotated while a_pq^2 > eps^2 |a_pp a_qq|
// (Demmel-Veselic); the rotation is Golub-Van Loan's sym.schur2.
void eigh_sweeps(int n, double* a, double* v);

// One-sided (Hestenes) Jacobi on the columns of w: pairs rotated until every
// pair is orthogonal, |w_p . w_q| <= eps |w_p| |w_q|; v (the identity on
// entry, or null) accumulates the rotations. Then w = U diag(s).
void svd_sweeps(int n, double* w, double* v);

}  // namespace trueno::simd::jacobi
