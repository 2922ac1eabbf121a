/* OpenBLAS sgemm throughput and accuracy on the GEMM shapes of a paper-size training step, for comparing OpenBLAS
 * kernel families (OPENBLAS_CORETYPE) on one machine. Built and run by scripts/bench/sgemm-kernels.
 * Prints GFLOP/s (median-free: as many calls as fit in one second) and the largest |error| against a float64
 * product on a sample of entries. */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
    /* m × n × k: Winograd's 36 GEMMs (256 channels, 16×16 and 32×32 tiles), an im2col stride-2 conv, the first 7×7
     * conv, D's 4×4 256→512 conv, and the 7×7 64→3 output conv. */
    const int shapes[][3] = {{256, 256, 256}, {256, 1024, 256}, {128, 4096, 576}, {64, 16384, 147},
                             {512, 961, 4096}, {3, 65536, 3136}};
    for (int s = 0; s < 6; s++) {
        const int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
        if (!a || !b || !c) return 1;
        srand(1);
        for (long i = 0; i < (long)m * k; i++) a[i] = rand() / (float)RAND_MAX - 0.5f;
        for (long i = 0; i < (long)k * n; i++) b[i] = rand() / (float)RAND_MAX - 0.5f;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
        int calls = 0;
        double start = now(), elapsed;
        do {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
            calls++;
            elapsed = now() - start;
        } while (elapsed < 1.0);
        double worst = 0;
        for (int i = 0; i < m; i += 7)
            for (int j = 0; j < n; j += 13) {
                double exact = 0;
                for (int l = 0; l < k; l++) exact += (double)a[(long)i * k + l] * b[(long)l * n + j];
                worst = fmax(worst, fabs(exact - c[(long)i * n + j]));
            }
        printf("%4d x %5d x %4d: %6.1f GFLOP/s  max |error| %.2e\n", m, n, k, 2.0 * m * n * k * calls / elapsed / 1e9,
               worst);
        free(a);
        free(b);
        free(c);
    }
    return 0;
}
