/*
 * ISA-L's erasure coding on one core, for the same codes and stripes as CodecBench (JMH):
 * a stripe is 1 MiB of data cut into M fragments of floor(1 MiB / M / 64) * 64 bytes, plus N
 * parity fragments; encode writes the N parity fragments, decode rebuilds data fragments 0 and 1
 * from the first M survivors, with the repair matrix inverted and its tables built once per loss
 * pattern, outside the timed loop (Keel's decode caches its repair plan per loss pattern, and
 * the benchmark repeats one pattern). The generator is ISA-L's gf_gen_cauchy1_matrix, the one Keel uses, so the
 * parity is byte-identical to Keel's. Prints one line per measurement:
 *   isal <encode|decode> <M>+<N> <GB/s>      (GB = 10^9 bytes of data, M * fragment bytes)
 *
 *   isal_bench [seconds per measurement, default 2]
 *   isal_bench --fingerprint   parity fingerprints of fixed data, compared by ec-bench.sh with
 *                              Keel's (io.keel.ec.bench.Fingerprint) before anything is timed
 */
#include <isa-l/erasure_code.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STRIPE (1 << 20)
#define MAX_FRAGMENTS 32

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static unsigned char *fragment(int len) {
  void *p = NULL;
  if (posix_memalign(&p, 64, len) != 0) {
    fprintf(stderr, "isal_bench: out of memory\n");
    exit(1);
  }
  return p;
}

/* The rows that rebuild data fragments 0 and 1 from survivors 2..M-1 and parity 0..1. */
static int repair_tables(int m, const unsigned char *generator, unsigned char *tables) {
  unsigned char survivors[MAX_FRAGMENTS * MAX_FRAGMENTS], inverse[MAX_FRAGMENTS * MAX_FRAGMENTS];
  for (int r = 0; r < m; r++) {
    int row = r + 2; /* fragments 0 and 1 are lost: the first M survivors are rows 2..M+1 */
    memcpy(&survivors[r * m], &generator[row * m], m);
  }
  if (gf_invert_matrix(survivors, inverse, m) != 0) return -1;
  ec_init_tables(m, 2, inverse, tables); /* rows 0 and 1 of the inverse give data 0 and 1 */
  return 0;
}

static double measure(const char *what, int m, int n, double seconds, unsigned char *generator,
                      unsigned char **data, unsigned char **parity, unsigned char **survivors,
                      unsigned char **recovered, int len) {
  unsigned char tables[32 * MAX_FRAGMENTS * MAX_FRAGMENTS];
  int decode = strcmp(what, "decode") == 0;
  if (!decode) {
    ec_init_tables(m, n, &generator[m * m], tables);
  } else if (repair_tables(m, generator, tables) != 0) {
    fprintf(stderr, "isal_bench: singular repair matrix\n");
    exit(1);
  }
  long ops = 0;
  double start = now(), end = start + seconds, t;
  do {
    for (int i = 0; i < 16; i++) {
      if (decode) {
        ec_encode_data(len, m, 2, tables, survivors, recovered);
      } else {
        ec_encode_data(len, m, n, tables, data, parity);
      }
    }
    ops += 16;
    t = now();
  } while (t < end);
  return (double)ops * m * len / (t - start) / 1e9;
}

/* FNV-1a over the parity of fragments whose byte b of fragment i is (31i + 7b + b/8) mod 256. */
static int fingerprint(void) {
  int codes[][2] = {{1, 1}, {4, 2}, {5, 3}, {8, 3}, {10, 4}, {17, 3}, {12, 12}, {1, 31}};
  for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
    int m = codes[c][0], n = codes[c][1], len = 1000;
    unsigned char generator[MAX_FRAGMENTS * MAX_FRAGMENTS], tables[32 * MAX_FRAGMENTS * MAX_FRAGMENTS];
    unsigned char *data[MAX_FRAGMENTS], *parity[MAX_FRAGMENTS];
    gf_gen_cauchy1_matrix(generator, m + n, m);
    ec_init_tables(m, n, &generator[m * m], tables);
    for (int i = 0; i < m; i++) {
      data[i] = fragment(len);
      for (int b = 0; b < len; b++) data[i][b] = (31 * i + 7 * b + b / 8) & 0xFF;
    }
    for (int i = 0; i < n; i++) parity[i] = fragment(len);
    ec_encode_data(len, m, n, tables, data, parity);
    unsigned long long h = 0xcbf29ce484222325ULL;
    for (int i = 0; i < n; i++)
      for (int b = 0; b < len; b++) h = (h ^ parity[i][b]) * 0x100000001b3ULL;
    printf("%d+%d %016llx\n", m, n, h);
    for (int i = 0; i < m; i++) free(data[i]);
    for (int i = 0; i < n; i++) free(parity[i]);
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--fingerprint") == 0) return fingerprint();
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  int codes[][2] = {{4, 2}, {8, 3}, {10, 4}};
  for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
    int m = codes[c][0], n = codes[c][1];
    int len = STRIPE / m / 64 * 64;
    unsigned char generator[MAX_FRAGMENTS * MAX_FRAGMENTS];
    unsigned char *data[MAX_FRAGMENTS], *parity[MAX_FRAGMENTS], *survivors[MAX_FRAGMENTS], *recovered[2];
    gf_gen_cauchy1_matrix(generator, m + n, m);
    srand(42);
    for (int i = 0; i < m; i++) {
      data[i] = fragment(len);
      for (int b = 0; b < len; b++) data[i][b] = rand() & 0xFF;
    }
    for (int i = 0; i < n; i++) parity[i] = fragment(len);
    for (int i = 0; i < 2; i++) recovered[i] = fragment(len);
    unsigned char tables[32 * MAX_FRAGMENTS * MAX_FRAGMENTS];
    ec_init_tables(m, n, &generator[m * m], tables);
    ec_encode_data(len, m, n, tables, data, parity);
    for (int i = 0; i < m; i++) survivors[i] = i + 2 < m ? data[i + 2] : parity[i + 2 - m];
    /* A short warm-up doubles as a check that the repair really rebuilds the data. */
    measure("decode", m, n, 0.2, generator, data, parity, survivors, recovered, len);
    if (memcmp(recovered[0], data[0], len) != 0 || memcmp(recovered[1], data[1], len) != 0) {
      fprintf(stderr, "isal_bench: %d+%d decode did not rebuild the data\n", m, n);
      return 1;
    }
    measure("encode", m, n, 0.2, generator, data, parity, survivors, recovered, len);
    printf("isal encode %d+%d %.3f\n", m, n, measure("encode", m, n, seconds, generator, data, parity, survivors, recovered, len));
    printf("isal decode %d+%d %.3f\n", m, n, measure("decode", m, n, seconds, generator, data, parity, survivors, recovered, len));
    fflush(stdout);
    for (int i = 0; i < m; i++) free(data[i]);
    for (int i = 0; i < n; i++) free(parity[i]);
    for (int i = 0; i < 2; i++) free(recovered[i]);
  }
  return 0;
}
