// libFuzzer's driver and the entry point every fuzz executable defines in Swift
// (`@_cdecl("LLVMFuzzerTestOneInput")`). Only `FuzzMain.c` uses them.
#ifndef SUPPORTBOT_FUZZ_MAIN_H
#define SUPPORTBOT_FUZZ_MAIN_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
