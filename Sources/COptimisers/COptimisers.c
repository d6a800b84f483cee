#if defined(__linux__)
#define _GNU_SOURCE
#include <sched.h>
#endif
#include "COptimisers.h"
#include <unistd.h>
#include <math.h>

float optimisers_expf(float x) { return expf(x); }
double optimisers_exp(double x) { return exp(x); }
float optimisers_logf(float x) { return logf(x); }
double optimisers_log(double x) { return log(x); }
float optimisers_tanhf(float x) { return tanhf(x); }
double optimisers_tanh(double x) { return tanh(x); }
float optimisers_erff(float x) { return erff(x); }
double optimisers_erf(double x) { return erf(x); }
float optimisers_powf(float x, float y) { return powf(x, y); }
double optimisers_pow(double x, double y) { return pow(x, y); }
double optimisers_cos(double x) { return cos(x); }

long optimisers_processor_count(void) {
#if defined(__linux__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    int count = CPU_COUNT(&set);
    if (count > 0) return count;
  }
#endif
  long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? online : 1;
}
