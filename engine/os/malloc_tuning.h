// TuneMallocForThroughput sets the C library allocator up for a process that allocates and frees on several threads
// for a long time (the engine's IO thread, CPU workers and store writer): freed memory at the top of a heap is kept
// for reuse instead of being handed back to the kernel after every burst, and blocks up to 1 MiB come from the heaps
// rather than from a fresh mapping each. Call it once, first thing in main(), before other threads start.
//
// Why: with glibc's defaults each thread's heap shrinks as soon as 128 KiB at its top are free and grows again on the
// next burst, so an item's few hundred allocations kept paying for mprotect calls and page faults (about a tenth of
// the engine's CPU; see docs/BENCHMARKS.md). Peak memory grows by about 2 MB.
#ifndef LLMEVAL_ENGINE_OS_MALLOC_TUNING_H_
#define LLMEVAL_ENGINE_OS_MALLOC_TUNING_H_

namespace llmeval {

void TuneMallocForThroughput();

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_OS_MALLOC_TUNING_H_
