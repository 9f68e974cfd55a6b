/* A WASI command as an ordinary toolchain builds it (clang --target=wasm32-wasi, a main): prints
 * to stdout and stderr, reads the clocks, asks for random bytes, exits with the status it is given
 * (WASI_HELLO_STATUS, set at build time). */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void) {
  struct timespec a, b, wall;
  clock_gettime(CLOCK_MONOTONIC, &a);
  clock_gettime(CLOCK_MONOTONIC, &b);
  clock_gettime(CLOCK_REALTIME, &wall);
  const int monotonic = b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec);
  unsigned char r[32];
  if (getentropy(r, sizeof r) != 0) return 20;
  int nonzero = 0;
  for (unsigned i = 0; i < sizeof r; ++i) nonzero |= r[i];
  printf("hello from wasi: monotonic %s, random %s, year>2020 %s\n", monotonic ? "ok" : "bad",
         nonzero ? "ok" : "zero", wall.tv_sec > 1577836800 ? "ok" : "bad");
  fprintf(stderr, "to stderr\n");
  return WASI_HELLO_STATUS;
}
