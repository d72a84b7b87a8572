// Hand-written stand-ins for the SDK declarations system_darwin.m uses (see objc_test.go); not Apple's headers.
typedef unsigned long uintptr_t;
