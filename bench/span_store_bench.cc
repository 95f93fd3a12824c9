// span_store_bench: records 1,000,000 spans into the results store the way a run does (TraceBuilder per item, spans
// converted to rows, written in batches by the StoreWriter thread) and prints spans/second and the cost per span.
//   build/bench/span_store_bench [SPANS] [SPANS_PER_TRACE]      (defaults 1000000 and 20)
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/clock.h"
#include "engine/store/span_rows.h"
#include "engine/store/store.h"
#include "engine/store/store_writer.h"
#include "tracing/id_generator.h"
#include "tracing/semconv.h"
#include "tracing/trace_builder.h"

namespace {

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace llmeval;
  int64_t total = argc > 1 ? std::atoll(argv[1]) : 1'000'000;
  int64_t per_trace = argc > 2 ? std::atoll(argv[2]) : 20;
  std::string path = "/tmp/llmeval-span-store-bench-" + std::to_string(getpid()) + ".db";
  Result<std::unique_ptr<Store>> store = Store::Open(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  RunRecord run;
  run.experiment = "bench";
  int64_t run_id = *(*store)->CreateRun(run);
  VariantRecord variant;
  variant.run_id = run_id;
  variant.prompt_name = "bench";
  variant.prompt_version = 1;
  variant.model = "sim";
  int64_t variant_id = *(*store)->AddVariant(variant);
  Result<std::unique_ptr<Store>> writer_store = Store::Open(path);
  IdGenerator ids(42);
  auto start = std::chrono::steady_clock::now();
  double cpu_start = CpuSeconds();
  {
    StoreWriter writer(std::move(writer_store.value()));
    for (int64_t t = 0; t * per_trace < total; ++t) {
      TraceBuilder trace(Clock::Real(), &ids);
      SpanHandle root = trace.StartSpan("eval_item bench", SpanKind::kInternal);
      trace.SetAttribute(root, semconv::kLlmevalItemIndex, t);
      for (int64_t s = 1; s < per_trace; ++s) {
        SpanHandle span = trace.StartSpan("chat sim", SpanKind::kClient, root);
        trace.SetAttribute(span, semconv::kGenAiRequestModel, std::string("sim"));
        trace.SetAttribute(span, semconv::kGenAiUsageInputTokens, int64_t{321});
        trace.SetAttribute(span, semconv::kGenAiUsageOutputTokens, int64_t{123});
        trace.End(span);
      }
      trace.End(root);
      ItemRecord item;
      item.run_id = run_id;
      item.variant_id = variant_id;
      item.row_index = t;
      item.item_key = std::to_string(t);
      item.trace_id = trace.trace_id().Hex();
      for (const Span& s : trace.Finish()) item.spans.push_back(SpanToRow(s));
      writer.Push(std::move(item));
    }
    Status s = writer.Flush();
    if (!s.ok()) std::fprintf(stderr, "%s\n", s.ToString().c_str());
  }
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = CpuSeconds() - cpu_start;
  std::printf("spans stored: %lld (%lld per trace)\n", static_cast<long long>(total),
              static_cast<long long>(per_trace));
  std::printf("wall: %.2f s  -> %.0f spans/s\n", wall, static_cast<double>(total) / wall);
  std::printf("cpu:  %.2f s  -> %.2f us per span (recording, encoding, SQLite insert)\n", cpu,
              cpu * 1e6 / static_cast<double>(total));
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return 0;
}
