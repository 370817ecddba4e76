// The one C boundary of DRLSim: GSL (GNU Scientific Library, Debian's libgsl-dev).
// Swift 6 rejects GSL's global `gsl_rng_*` type variables as shared mutable state, so they are
// exposed through static inline accessors that return the (immutable) type descriptors.
#ifndef DRLSIM_CGSL_SHIM_H
#define DRLSIM_CGSL_SHIM_H
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>

/// The Mersenne Twister MT19937 generator type (gsl_rng.h).
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
/// The RANLUX double-precision generator, luxury level 2 (gsl_rng.h).
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
/// Tausworthe generator taus2 (gsl_rng.h).
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
/// Turns GSL's abort-on-error handler off once, so GSL returns error codes instead of aborting.
static inline void cgsl_disable_abort(void) { gsl_set_error_handler_off(); }

#endif
