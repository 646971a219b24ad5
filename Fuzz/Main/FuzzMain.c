// The `main` of every fuzz executable. SwiftPM links a Linux executable with
// `--defsym main=<Module>_main`, but under `-parse-as-library` (needed so that libFuzzer, not
// Swift, owns `main`) Swift emits no `<Module>_main`. Each executable links this file and uses
// its own function below, which hands the arguments to libFuzzer's driver with the executable's
// `LLVMFuzzerTestOneInput`. A new target needs one line here (see Package.swift, "Fuzzing").
#include "FuzzMain.h"

#define FUZZ_MAIN(module) \
    int module##_main(int argc, char **argv) { return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput); }

FUZZ_MAIN(FuzzJSONLine)
FUZZ_MAIN(FuzzTextMode)
FUZZ_MAIN(FuzzIntents)
FUZZ_MAIN(FuzzFAQYAML)
FUZZ_MAIN(FuzzFAQMarkdown)
FUZZ_MAIN(FuzzFAQJSON)
FUZZ_MAIN(FuzzFAQCSV)
FUZZ_MAIN(FuzzConversationScript)
FUZZ_MAIN(FuzzRedactor)
FUZZ_MAIN(FuzzSafeTensors)
