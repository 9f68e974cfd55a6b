/* Opens a file: needs WASI's file system, which wasmhop's minimal WASI does not have. */
#include <stdio.h>

int main(void) {
  FILE* f = fopen("/etc/hostname", "r");
  return f != NULL ? 1 : 2;
}
