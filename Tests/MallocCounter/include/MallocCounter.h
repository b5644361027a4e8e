#ifndef PLANTSTREAM_MALLOC_COUNTER_H
#define PLANTSTREAM_MALLOC_COUNTER_H

/// Starts counting the calling thread's heap allocations (malloc, calloc, realloc, posix_memalign,
/// aligned_alloc, memalign) from zero.
void plantstream_malloc_counter_start(void);

/// Stops counting on the calling thread and returns the allocations counted since the start.
unsigned long plantstream_malloc_counter_stop(void);

#endif
