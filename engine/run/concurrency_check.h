// What will hold a run below its --concurrency, said once before the run starts (never silently): a provider's
// explicit max_concurrency below it, a provider's rate limit (requests or tokens per minute), or an open-file limit
// too low for one socket per call. ConcurrencyWarnings returns one message per cause, empty when nothing does; the
// runner hands them to RunObserver::OnWarning before OnStart. Reads the process's open-file limit; otherwise pure.
#ifndef LLMEVAL_ENGINE_RUN_CONCURRENCY_CHECK_H_
#define LLMEVAL_ENGINE_RUN_CONCURRENCY_CHECK_H_

#include <string>
#include <vector>

#include "engine/run/provider_set.h"

namespace llmeval {

// `concurrency`: the run's items in flight. `providers`: the run's resolved providers.
std::vector<std::string> ConcurrencyWarnings(int concurrency, const ProviderSet& providers);

// The open-file part alone: a warning when `concurrency` calls over HTTP could run out of file descriptors (each
// holds a socket; the store, dataset and epoll take a few more), empty otherwise.
std::string OpenFileWarning(int concurrency, bool over_http);

}  // namespace llmeval

#endif  // LLMEVAL_ENGINE_RUN_CONCURRENCY_CHECK_H_
