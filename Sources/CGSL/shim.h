#ifndef PEERLENS_CGSL_SHIM_H
#define PEERLENS_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_version.h>

/// Swift 6 rejects GSL's global `gsl_rng_*` type variables (mutable C globals
/// are not concurrency-safe), so expose them through functions.
static inline const gsl_rng_type *peerlens_gsl_rng_mt19937(void) { return gsl_rng_mt19937; }

/// The version of the GSL linked at run time (reported in every report's provenance).
static inline const char *peerlens_gsl_version(void) { return gsl_version; }

#endif
