// A stand-in libcublas.so.12 that forwards every call to the cuBLAS of CUDA 13.
//
// JCublas2 12.6.0 links against libcublas.so.12 and asks for symbols of version "libcublas.so.12". A CUDA 13
// installation has only libcublas.so.13, which holds the same functions under another version. This library
// exports each name JCublas2 imports (symbols.txt) under the version it wants; each export is a single indirect
// jump (trampolines.S, generated) through a table that the constructor below fills with dlsym on the real library.
// No function is re-declared, so no signature can be wrong. See ../../README.md.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

#include "names.inc"  // generated: SYMBOL_NAMES, SYMBOL_COUNT

#ifndef JGRAD_DEFAULT_TARGET
#define JGRAD_DEFAULT_TARGET "libcublas.so.13"
#endif

// Filled before any call can arrive; the trampolines read it.
__attribute__((visibility("hidden"))) void *jgrad_cublas_table[SYMBOL_COUNT];

// Lets tools (io.jgrad.cuda.Doctor) recognise this file and see where it points by default.
__attribute__((used)) static const char marker[] = "jgrad-cublas-shim: forwards to " JGRAD_DEFAULT_TARGET;

static const char *const names[SYMBOL_COUNT] = {SYMBOL_NAMES};

// What a function missing from the target returns: CUBLAS_STATUS_NOT_SUPPORTED (or NOT_INITIALIZED when the
// target itself could not be loaded), so callers get a status instead of a crash.
static int not_supported(void) { return 15; }
static int not_initialized(void) { return 1; }

__attribute__((constructor)) static void load_target(void) {
    const char *target = getenv("JGRAD_CUBLAS_TARGET");
    if (target == NULL || *target == '\0') target = JGRAD_DEFAULT_TARGET;
    // RTLD_LOCAL keeps the real library's names out of the global scope, where they would meet ours.
    void *lib = dlopen(target, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        fprintf(stderr, "jgrad cublas shim: cannot load %s (%s); every cuBLAS call will return NOT_INITIALIZED\n",
                target, dlerror());
    }
    for (int i = 0; i < SYMBOL_COUNT; i++) {
        void *f = lib != NULL ? dlsym(lib, names[i]) : NULL;
        if (f == NULL && lib != NULL) fprintf(stderr, "jgrad cublas shim: %s has no %s\n", target, names[i]);
        jgrad_cublas_table[i] = f != NULL ? f : (lib != NULL ? (void *) not_supported : (void *) not_initialized);
    }
}
