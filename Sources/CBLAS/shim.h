// OpenBLAS (Debian libopenblas-dev, pthread build): CBLAS plus the few LAPACK routines StainKit uses.
#ifndef STAINKIT_CBLAS_SHIM_H
#define STAINKIT_CBLAS_SHIM_H
#include <cblas.h>

/// Symmetric eigen-decomposition (LAPACK, Fortran ABI), used by FID's matrix square root.
void dsyev_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
            double *w, double *work, const int *lwork, int *info);

#if defined(__GLIBC__)
/// glibc's mallopt (NeuralKernels' MemoryPolicy keeps freed tensor memory mapped during training).
#include <malloc.h>
#endif
#endif
