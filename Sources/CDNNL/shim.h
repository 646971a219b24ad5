// oneDNN's C API (Debian's libdnnl-dev, built on OpenMP), for the encoder's reduced-precision
// matrix products.
#include <oneapi/dnnl/dnnl.h>
#include <dlfcn.h>

// Sets the OpenMP team size for parallel regions started by the calling thread (oneDNN's
// threading runtime). Looked up at run time: libgomp is loaded with libdnnl, but its development
// symlink is not always installed. Returns 0 when OpenMP is not there.
static inline int supportbot_omp_set_num_threads(int threads) {
    static void (*set_num_threads)(int) = 0;
    if (!set_num_threads) {
        set_num_threads = (void (*)(int))dlsym(RTLD_DEFAULT, "omp_set_num_threads");
        if (!set_num_threads) return 0;
    }
    set_num_threads(threads);
    return 1;
}

// DNNL_MEMORY_ALLOCATE (a cast macro Swift cannot import): asks oneDNN to allocate a memory
// object's buffer itself.
static inline void *supportbot_dnnl_memory_allocate(void) { return DNNL_MEMORY_ALLOCATE; }
